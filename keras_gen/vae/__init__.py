"""Variational autoencoders: the `VAE` model, its likelihoods and bounds."""

from keras_gen.vae.elbo import (
    evidence_lower_bound,
    importance_log_weights,
    importance_sampled_log_prob,
    iwae_bound,
)
from keras_gen.vae.likelihoods import (
    bernoulli_log_likelihood,
    diagonal_normal_log_prob,
    gaussian_log_likelihood,
    kl_diagonal_normal,
    standard_normal_log_prob,
)
from keras_gen.vae.vae import LOG_VAR_RANGE, VAE

__all__ = [
    "LOG_VAR_RANGE",
    "VAE",
    "bernoulli_log_likelihood",
    "diagonal_normal_log_prob",
    "evidence_lower_bound",
    "gaussian_log_likelihood",
    "importance_log_weights",
    "importance_sampled_log_prob",
    "iwae_bound",
    "kl_diagonal_normal",
    "standard_normal_log_prob",
]
