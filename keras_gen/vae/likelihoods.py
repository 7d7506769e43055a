"""Log-likelihoods and KL divergences of the VAE, as pure functions.

Every function takes batched tensors and returns one value per example: it
sums over all axes but the first (the batch axis). Inputs are cast to
`float32`.

References:
    - Kingma & Welling, "Auto-Encoding Variational Bayes", 2013,
      https://arxiv.org/abs/1312.6114 (Appendix B: the Gaussian KL).
"""

import math

import tensorflow as tf

LOG_2PI = math.log(2.0 * math.pi)


def _sum_per_example(values):
    """Sums `values` over every axis but the first."""
    rank = values.shape.rank
    if rank is not None:
        return tf.reduce_sum(values, axis=list(range(1, rank))) if rank > 1 else values
    return tf.reduce_sum(values, axis=tf.range(1, tf.rank(values)))


def bernoulli_log_likelihood(x, logits):
    """`log p(x | logits)` of independent Bernoulli variables, per example.

    Computed from the logits as `x * logits - softplus(logits)`, which is
    exact and finite for any finite logits (no `log(sigmoid(.))`).

    Args:
        x: Data in `[0, 1]`, shape `(batch, ...)`. Values strictly between 0
            and 1 give the (continuous) cross-entropy.
        logits: Logits of the same shape as `x`.

    Returns:
        A tensor of shape `(batch,)`.

    Example:

    >>> x = tf.constant([[1.0, 0.0]])
    >>> float(keras_gen.vae.bernoulli_log_likelihood(x, tf.zeros((1, 2)))[0])  # 2 log(1/2)
    -1.3862943649291992
    """
    x = tf.cast(x, tf.float32)
    logits = tf.cast(logits, tf.float32)
    return _sum_per_example(x * logits - tf.math.softplus(logits))


def gaussian_log_likelihood(x, mean, log_scale):
    """`log N(x; mean, scale^2)` of independent Gaussians, per example.

    Args:
        x: Data of shape `(batch, ...)`.
        mean: Means of the same shape as `x`.
        log_scale: Log standard deviation, broadcastable to `x` (e.g. a
            scalar).

    Returns:
        A tensor of shape `(batch,)`.

    Example:

    >>> x = tf.zeros((1, 3))
    >>> round(float(keras_gen.vae.gaussian_log_likelihood(x, x, 0.0)[0]), 4)  # -1.5 log(2 pi)
    -2.7568
    """
    x = tf.cast(x, tf.float32)
    mean = tf.cast(mean, tf.float32)
    log_scale = tf.broadcast_to(tf.cast(log_scale, tf.float32), tf.shape(x))
    z = (x - mean) * tf.exp(-log_scale)
    return _sum_per_example(-0.5 * tf.square(z) - log_scale - 0.5 * LOG_2PI)


def diagonal_normal_log_prob(z, mean, log_var):
    """`log N(z; mean, diag(exp(log_var)))`, per example.

    Args:
        z: Points of shape `(batch, latent_dim)`.
        mean: Means of the same shape.
        log_var: Log-variances of the same shape.

    Returns:
        A tensor of shape `(batch,)`.
    """
    z = tf.cast(z, tf.float32)
    mean = tf.cast(mean, tf.float32)
    log_var = tf.cast(log_var, tf.float32)
    squared = tf.square(z - mean) * tf.exp(-log_var)
    return _sum_per_example(-0.5 * (squared + log_var + LOG_2PI))


def standard_normal_log_prob(z):
    """`log N(z; 0, I)`, per example (the VAE's prior).

    Args:
        z: Points of shape `(batch, latent_dim)`.

    Returns:
        A tensor of shape `(batch,)`.
    """
    z = tf.cast(z, tf.float32)
    return _sum_per_example(-0.5 * (tf.square(z) + LOG_2PI))


def kl_diagonal_normal(mean, log_var):
    """`KL(N(mean, diag(exp(log_var))) || N(0, I))` in closed form, per example.

    `0.5 * sum(exp(log_var) + mean^2 - 1 - log_var)` (Kingma & Welling,
    2013, Appendix B).

    Args:
        mean: Posterior means of shape `(batch, latent_dim)`.
        log_var: Posterior log-variances of the same shape.

    Returns:
        A non-negative tensor of shape `(batch,)`.

    Example:

    >>> float(keras_gen.vae.kl_diagonal_normal(tf.ones((1, 2)), tf.zeros((1, 2)))[0])
    1.0
    """
    mean = tf.cast(mean, tf.float32)
    log_var = tf.cast(log_var, tf.float32)
    return _sum_per_example(0.5 * (tf.exp(log_var) + tf.square(mean) - 1.0 - log_var))


__all__ = [
    "bernoulli_log_likelihood",
    "diagonal_normal_log_prob",
    "gaussian_log_likelihood",
    "kl_diagonal_normal",
    "standard_normal_log_prob",
]
