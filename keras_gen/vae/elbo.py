"""Variational bounds: the ELBO, the IWAE bound and a chunked log p(x) estimate.

References:
    - Kingma & Welling, "Auto-Encoding Variational Bayes", 2013,
      https://arxiv.org/abs/1312.6114
    - Higgins et al., "beta-VAE: Learning Basic Visual Concepts with a
      Constrained Variational Framework", ICLR 2017 (the `beta` weight).
    - Burda, Grosse & Salakhutdinov, "Importance Weighted Autoencoders",
      2015, https://arxiv.org/abs/1509.00519
"""

import math

import tensorflow as tf

from keras_gen.vae import likelihoods

EXAMPLE_CHUNK = 32
"""Examples per chunk in `importance_sampled_log_prob`."""

SAMPLE_CHUNK = 64
"""Importance samples per chunk in `importance_sampled_log_prob`."""


def evidence_lower_bound(log_likelihood, kl, beta=1.0):
    """The evidence lower bound `E_q[log p(x|z)] - beta * KL(q(z|x) || p(z))`.

    With `beta = 1` it is the ELBO of Kingma & Welling (2013), a lower bound
    of `log p(x)`; `beta != 1` gives the beta-VAE objective (Higgins et al.,
    2017).

    Args:
        log_likelihood: Per-example reconstruction term `log p(x|z)`.
        kl: Per-example KL divergence of the posterior from the prior.
        beta: Weight of the KL term.

    Returns:
        A tensor of the shape of `log_likelihood`.
    """
    return tf.cast(log_likelihood, tf.float32) - beta * tf.cast(kl, tf.float32)


def importance_log_weights(log_likelihood, z, mean, log_var, kl_weight=1.0):
    """`log p(x|z) + kl_weight * (log p(z) - log q(z|x))` for each sample.

    With `kl_weight = 1` these are the log importance weights
    `log p(x, z) / q(z|x)` of Burda et al. (2015), for a standard normal
    prior and a diagonal Gaussian posterior.

    Args:
        log_likelihood: `log p(x|z)`, shape `(k, batch)`.
        z: Posterior samples, shape `(k, batch, latent_dim)`.
        mean: Posterior means, shape `(batch, latent_dim)`.
        log_var: Posterior log-variances, shape `(batch, latent_dim)`.
        kl_weight: Weight of the prior-to-posterior log ratio (the `beta` of
            a beta-VAE, or a warm-up weight).

    Returns:
        A tensor of shape `(k, batch)`.
    """
    k = tf.shape(z)[0]
    batch = tf.shape(z)[1]
    flat_z = tf.reshape(z, [k * batch, -1])
    flat_mean = tf.reshape(tf.broadcast_to(mean[None], tf.shape(z)), [k * batch, -1])
    flat_log_var = tf.reshape(
        tf.broadcast_to(log_var[None], tf.shape(z)), [k * batch, -1]
    )
    log_prior = likelihoods.standard_normal_log_prob(flat_z)
    log_posterior = likelihoods.diagonal_normal_log_prob(
        flat_z, flat_mean, flat_log_var
    )
    log_ratio = tf.reshape(log_prior - log_posterior, [k, batch])
    return tf.cast(log_likelihood, tf.float32) + kl_weight * log_ratio


def iwae_bound(log_weights):
    """`log (1/k) sum_i w_i`, the IWAE bound of Burda et al. (2015).

    Computed with `logsumexp` from log weights; it grows with `k` towards
    `log p(x)`, and equals the ELBO for `k = 1`.

    Args:
        log_weights: Log importance weights of shape `(k, batch)`.

    Returns:
        A tensor of shape `(batch,)`.
    """
    log_weights = tf.cast(log_weights, tf.float32)
    k = tf.cast(tf.shape(log_weights)[0], tf.float32)
    return tf.reduce_logsumexp(log_weights, axis=0) - tf.math.log(k)


def importance_sampled_log_prob(log_weight_fn, x, conditions, num_samples, seed):
    """Importance-sampled `log p(x)`, in chunks of examples and of samples.

    Memory stays bounded for any number of examples and samples: examples
    are processed `EXAMPLE_CHUNK` at a time and samples `SAMPLE_CHUNK` at a
    time, merged with a running `logsumexp`. The noise of chunk `(i, j)` is
    drawn from `fold_in(fold_in(seed, i), j)`, and a last, shorter chunk of
    examples is padded to `EXAMPLE_CHUNK` rows (repeating its last example)
    so that the noise always has the same shape: each example's estimate
    depends only on the seed, its position and `num_samples`, not on how
    many examples follow it.

    Args:
        log_weight_fn: Callable `(x, conditions, k, seed) -> (k, batch)` log
            importance weights for a chunk (`conditions` may be `None`).
        x: Examples, shape `(n, ...)`.
        conditions: Conditions of shape `(n, ...)`, or `None`.
        num_samples: Number of importance samples `k` (int32 scalar).
        seed: `int32[2]` seed of the stateless noise.

    Returns:
        A float32 tensor of shape `(n,)`.
    """
    num_samples = tf.cast(num_samples, tf.int32)
    n = tf.shape(x)[0]
    num_example_chunks = (n + EXAMPLE_CHUNK - 1) // EXAMPLE_CHUNK
    num_sample_chunks = (num_samples + SAMPLE_CHUNK - 1) // SAMPLE_CHUNK
    log_k = tf.math.log(tf.cast(num_samples, tf.float32))

    def example_chunk(i, results):
        start = i * EXAMPLE_CHUNK
        size = tf.minimum(EXAMPLE_CHUNK, n - start)
        rows = tf.minimum(start + tf.range(EXAMPLE_CHUNK), n - 1)
        xs = tf.gather(x, rows)
        cs = None if conditions is None else tf.gather(conditions, rows)
        chunk_seed = tf.random.experimental.stateless_fold_in(seed, i)

        def sample_chunk(j, total):
            size = tf.minimum(SAMPLE_CHUNK, num_samples - j * SAMPLE_CHUNK)
            sample_seed = tf.random.experimental.stateless_fold_in(chunk_seed, j)
            log_w = tf.reduce_logsumexp(
                log_weight_fn(xs, cs, size, sample_seed), axis=0
            )
            return j + 1, tf.reduce_logsumexp(tf.stack([total, log_w]), axis=0)

        start_total = tf.fill([EXAMPLE_CHUNK], tf.constant(-math.inf, tf.float32))
        _, total = tf.while_loop(
            lambda j, _: j < num_sample_chunks,
            sample_chunk,
            (tf.constant(0), start_total),
        )
        return i + 1, results.write(i, total[:size] - log_k)

    results = tf.TensorArray(
        tf.float32, size=num_example_chunks, infer_shape=False, element_shape=[None]
    )
    _, results = tf.while_loop(
        lambda i, _: i < num_example_chunks, example_chunk, (tf.constant(0), results)
    )
    return results.concat()


__all__ = [
    "evidence_lower_bound",
    "importance_log_weights",
    "importance_sampled_log_prob",
    "iwae_bound",
]
