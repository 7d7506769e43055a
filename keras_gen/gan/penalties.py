"""Gradient penalties for GAN discriminators.

These functions call the discriminator (with `training=True` unless told
otherwise, e.g. for evaluation) under their own
`tf.GradientTape`, so they can be used inside an outer tape that takes
gradients with respect to the discriminator's weights (double backprop).
Like the losses, they return plain batch means; replica scaling under
`tf.distribute` is left to the caller.

Randomness is drawn by the caller and passed in (`alpha`), which keeps the
penalties deterministic and testable; `sample_interpolation_alpha` draws it
from a stateless seed.
"""

import tensorflow as tf

__all__ = [
    "gradient_penalty",
    "r1_penalty",
    "sample_interpolation_alpha",
]

# Added under the square root of the squared gradient norm: the derivative of
# `sqrt(s)` is infinite at `s = 0`, which would turn the gradient of the
# penalty into NaN (`0 * inf`) wherever the discriminator's input gradient is
# exactly zero (e.g. dead ReLUs). With it, the norm is at least 1e-6.
_NORM_EPSILON = 1e-12


def _call(discriminator, inputs, conditions, training):
    if conditions is None:
        return discriminator(inputs, training=training)
    # Keras rejects a list that mixes tensors and numpy arrays.
    conditions = tf.nest.map_structure(tf.convert_to_tensor, conditions)
    return discriminator([inputs, conditions], training=training)


def _input_gradients(discriminator, inputs, conditions, training) -> tf.Tensor:
    """Gradients of `sum(D(inputs))` w.r.t. `inputs`, flattened per example."""
    with tf.GradientTape() as tape:
        tape.watch(inputs)
        outputs = _call(discriminator, inputs, conditions, training)
        total = tf.reduce_sum(tf.cast(outputs, tf.float32))
    grads = tape.gradient(total, inputs)
    if grads is None:
        # The output does not depend on the input: the gradient is zero.
        grads = tf.zeros_like(inputs)
    grads = tf.cast(grads, tf.float32)
    return tf.reshape(grads, (tf.shape(grads)[0], -1))


def gradient_penalty(
    discriminator,
    real,
    fake,
    alpha,
    conditions=None,
    target: float = 1.0,
    training=True,
) -> tf.Tensor:
    """WGAN-GP gradient penalty on random interpolates of real and fake data.

    `mean((||grad_x D(x_hat)||_2 - target)^2)` with
    `x_hat = real + alpha * (fake - real)`. The norm is computed as
    `sqrt(sum(g^2) + 1e-12)`: the epsilon keeps the penalty and its gradient
    finite where the input gradient is exactly zero (the penalty is then
    `(1e-6 - target)^2`, about `target^2`).

    Args:
        discriminator: A callable (e.g. a `keras.Model`) called as
            `discriminator(x, training=True)`, or
            `discriminator([x, conditions], training=True)` when `conditions`
            is given.
        real: Real data, shape `(B, ...)`.
        fake: Generated data, same shape as `real`.
        alpha: Interpolation weights of shape `(B, 1, ..., 1)` (broadcastable
            to `real`), drawn by the caller from `U(0, 1)`, e.g. with
            `sample_interpolation_alpha`. `0` gives `real`, `1` gives `fake`.
        conditions: Optional conditioning inputs passed to the discriminator.
        target: The target gradient norm (`1.0` in the paper).
        training: Passed to the discriminator; `False` for evaluation.

    Returns:
        A scalar float32 tensor (not yet multiplied by the penalty weight).

    Reference:
        Gulrajani et al., 2017, Improved Training of Wasserstein GANs,
        https://arxiv.org/abs/1704.00028
    """
    real = tf.convert_to_tensor(real)
    fake = tf.cast(fake, real.dtype)
    alpha = tf.cast(alpha, real.dtype)
    interpolated = real + alpha * (fake - real)
    grads = _input_gradients(discriminator, interpolated, conditions, training)
    norm = tf.sqrt(tf.reduce_sum(tf.square(grads), axis=1) + _NORM_EPSILON)
    return tf.reduce_mean(tf.square(norm - target))


def r1_penalty(discriminator, real, conditions=None, training=True) -> tf.Tensor:
    """R1 penalty: half the squared input-gradient norm on real data.

    `0.5 * mean(||grad_x D(x)||_2^2)` over real `x`. The factor `0.5` is
    included so that a caller that adds `gamma * r1_penalty(...)` gets the
    paper's regularizer `gamma / 2 * E[||grad_x D(x)||^2]`: pass the paper's
    `gamma` as the weight, unchanged.

    Args:
        discriminator: A callable called as `discriminator(x, training=True)`,
            or `discriminator([x, conditions], training=True)` when
            `conditions` is given.
        real: Real data, shape `(B, ...)`.
        conditions: Optional conditioning inputs passed to the discriminator.
        training: Passed to the discriminator; `False` for evaluation.

    Returns:
        A scalar float32 tensor (not yet multiplied by `gamma`).

    Reference:
        Mescheder, Geiger & Nowozin, 2018, Which Training Methods for GANs do
        actually Converge?, https://arxiv.org/abs/1801.04406
    """
    real = tf.convert_to_tensor(real)
    grads = _input_gradients(discriminator, real, conditions, training)
    return 0.5 * tf.reduce_mean(tf.reduce_sum(tf.square(grads), axis=1))


def sample_interpolation_alpha(batch_size, ndim, seed, dtype="float32") -> tf.Tensor:
    """Draws WGAN-GP interpolation weights `alpha ~ U(0, 1)`, one per example.

    Args:
        batch_size: Number of examples (a Python int or a scalar int tensor,
            e.g. `tf.shape(real)[0]`).
        ndim: Rank of the data tensor, batch axis included (`real.shape.rank`).
        seed: A stateless seed, an int32 tensor (or pair of ints) of shape `(2,)`.
        dtype: Float dtype of the result.

    Returns:
        A tensor of shape `(batch_size, 1, ..., 1)` with `ndim` axes.

    Example:

    >>> from keras_gen.gan import penalties
    >>> penalties.sample_interpolation_alpha(4, 3, seed=[1, 2]).shape
    TensorShape([4, 1, 1])
    """
    if ndim < 1:
        raise ValueError(f"`ndim` must be at least 1. Received: ndim={ndim}")
    shape = tf.stack(
        [tf.cast(batch_size, tf.int32)] + [tf.constant(1, tf.int32)] * (ndim - 1)
    )
    seed = tf.cast(tf.convert_to_tensor(seed), tf.int32)
    return tf.random.stateless_uniform(shape=shape, seed=seed, dtype=dtype)
