import numpy as np
import pytest
import tensorflow as tf
from scipy import stats

from keras_gen.vae import (
    bernoulli_log_likelihood,
    diagonal_normal_log_prob,
    evidence_lower_bound,
    gaussian_log_likelihood,
    importance_log_weights,
    importance_sampled_log_prob,
    iwae_bound,
    kl_diagonal_normal,
    standard_normal_log_prob,
)

RNG = np.random.default_rng(0)


def test_bernoulli_matches_direct_formula_and_is_stable():
    x = (RNG.random((5, 3, 2)) > 0.5).astype("float32")
    logits = RNG.normal(size=(5, 3, 2)).astype("float32")
    p = 1 / (1 + np.exp(-logits.astype("float64")))
    expected = np.sum(x * np.log(p) + (1 - x) * np.log(1 - p), axis=(1, 2))
    np.testing.assert_allclose(bernoulli_log_likelihood(x, logits), expected, rtol=1e-5)
    # Extreme logits stay finite (no log(sigmoid) underflow).
    extreme = bernoulli_log_likelihood(
        np.array([[1.0, 0.0]]), np.array([[-200.0, 200.0]])
    )
    np.testing.assert_allclose(extreme, [-400.0], rtol=1e-6)


def test_gaussian_matches_scipy():
    x = RNG.normal(size=(4, 6))
    mean = RNG.normal(size=(4, 6))
    log_scale = np.float32(-0.3)
    expected = stats.norm.logpdf(x, mean, np.exp(log_scale)).sum(axis=1)
    np.testing.assert_allclose(
        gaussian_log_likelihood(x, mean, log_scale), expected, rtol=1e-5
    )


def test_latent_densities_match_scipy():
    z, mean = RNG.normal(size=(2, 7, 3))
    log_var = RNG.normal(size=(7, 3))
    expected = stats.norm.logpdf(z, mean, np.exp(0.5 * log_var)).sum(axis=1)
    np.testing.assert_allclose(
        diagonal_normal_log_prob(z, mean, log_var), expected, rtol=1e-5
    )
    np.testing.assert_allclose(
        standard_normal_log_prob(z), stats.norm.logpdf(z).sum(axis=1), rtol=1e-5
    )


def test_kl_against_closed_form_of_full_gaussians():
    mean = RNG.normal(size=(6, 4))
    log_var = RNG.normal(size=(6, 4))
    expected = []
    for m, lv in zip(mean, log_var, strict=True):
        cov = np.diag(np.exp(lv))  # KL(N(m, S) || N(0, I)), the general formula
        k = len(m)
        expected.append(0.5 * (np.trace(cov) + m @ m - k - np.log(np.linalg.det(cov))))
    np.testing.assert_allclose(kl_diagonal_normal(mean, log_var), expected, rtol=1e-5)
    np.testing.assert_allclose(
        kl_diagonal_normal(np.zeros((2, 3)), np.zeros((2, 3))), [0, 0]
    )


def test_kl_matches_monte_carlo_of_log_ratio():
    mean = np.array([[0.5, -1.0]], "float32")
    log_var = np.array([[-0.5, 0.3]], "float32")
    z = mean + np.exp(0.5 * log_var) * RNG.normal(size=(200_000, 2)).astype("float32")
    ratio = diagonal_normal_log_prob(
        z, np.repeat(mean, len(z), 0), np.repeat(log_var, len(z), 0)
    ) - standard_normal_log_prob(z)
    np.testing.assert_allclose(
        np.mean(ratio), kl_diagonal_normal(mean, log_var)[0], rtol=0.02
    )


def test_iwae_bound_with_one_sample_is_the_elbo_and_is_stable():
    log_w = RNG.normal(size=(1, 5)).astype("float32")
    np.testing.assert_allclose(iwae_bound(log_w), log_w[0], rtol=1e-6)
    big = np.array([[-1000.0], [-1000.0]], "float32")
    np.testing.assert_allclose(iwae_bound(big), [-1000.0])
    log_lik, kl = RNG.normal(size=(2, 3))
    np.testing.assert_allclose(
        evidence_lower_bound(log_lik, kl, beta=2.0), log_lik - 2 * kl, rtol=1e-6
    )


def test_importance_log_weights_are_log_joint_over_proposal():
    z = RNG.normal(size=(3, 2, 4)).astype("float32")
    mean, log_var = RNG.normal(size=(2, 2, 4)).astype("float32")
    log_lik = RNG.normal(size=(3, 2)).astype("float32")
    expected = (
        log_lik
        + stats.norm.logpdf(z).sum(-1)
        - stats.norm.logpdf(z, mean, np.exp(0.5 * log_var)).sum(-1)
    )
    got = importance_log_weights(log_lik, z, mean, log_var)
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("n, k", [(1, 1), (70, 130), (33, 64)])
def test_chunked_log_prob_equals_one_big_logsumexp(n, k):
    """Chunking over examples and samples does not change the estimate."""
    x = tf.constant(RNG.normal(size=(n, 2)), tf.float32)
    calls = []

    def log_weight_fn(xs, cs, size, seed):
        calls.append(1)
        # Deterministic weights that depend on the sample index through the seed.
        noise = tf.random.stateless_normal(tf.stack([size, tf.shape(xs)[0]]), seed=seed)
        return noise + tf.reduce_sum(xs, axis=1)[None]

    result = importance_sampled_log_prob(log_weight_fn, x, None, k, tf.constant([1, 2]))
    assert result.shape == (n,)
    # With the same noise in one block, a direct logsumexp: rebuild the noise chunk by chunk.
    expected = []
    for i in range(0, n, 32):
        # A short last chunk is padded with its last example.
        xs = tf.gather(x, np.minimum(np.arange(i, i + 32), n - 1))
        chunk_seed = tf.random.experimental.stateless_fold_in(
            tf.constant([1, 2]), i // 32
        )
        weights = [
            log_weight_fn(
                xs,
                None,
                min(64, k - j),
                tf.random.experimental.stateless_fold_in(chunk_seed, j // 64),
            )
            for j in range(0, k, 64)
        ]
        size = min(32, n - i)
        expected.append(
            tf.reduce_logsumexp(tf.concat(weights, 0), 0)[:size] - np.log(k)
        )
    np.testing.assert_allclose(result, tf.concat(expected, 0), rtol=1e-5, atol=1e-5)


def test_an_estimate_does_not_depend_on_the_examples_after_it():
    x = tf.constant(RNG.normal(size=(70, 2)), tf.float32)

    def log_weight_fn(xs, cs, size, seed):
        noise = tf.random.stateless_normal(tf.stack([size, tf.shape(xs)[0]]), seed=seed)
        return noise + tf.reduce_sum(xs, axis=1)[None]

    def estimate(n):
        return importance_sampled_log_prob(
            log_weight_fn, x[:n], None, 10, tf.constant([3, 4])
        )

    full = estimate(70)
    for n in (1, 33, 40, 64):
        np.testing.assert_array_equal(estimate(n), full[:n])
