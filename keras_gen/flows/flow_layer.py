"""`FlowLayer`: a Keras 3 layer that owns weights and hands out a TFP bijector."""

import keras
import tensorflow as tf


def soft_clamp(values, bound):
    """Smoothly bounds `values` to `(-bound, bound)`: `bound * tanh(values / bound)`.

    It is the identity near zero, so a zero-initialised network still gives
    the identity map; it keeps `exp(log_scale)` away from overflow and zero.
    """
    return bound * tf.math.tanh(values / bound)


@keras.saving.register_keras_serializable(package="keras_gen")
class FlowLayer(keras.layers.Layer):
    """Base class of the invertible layers of a `keras_gen.Flow`.

    A flow layer is an invertible map between its *data side* (its input,
    nearer the data) and its *latent side* (its output, nearer the base
    distribution). It is an ordinary Keras 3 layer that owns its weights
    (and its conditioner networks); `bijector(context)` builds a TensorFlow
    Probability bijector from them on every call. Following TFP, the
    bijector's `forward` maps the latent side to the data side (the
    generative direction) and its `inverse` normalizes data.

    Subclasses implement `build(x_shape, context_shape=None)`, `bijector()`
    and, if they change the shape, `compute_output_shape()`. Their config
    holds only hyperparameters: weights are created in `build`, TFP objects
    only inside `bijector()`.

    Calling the layer, `layer(x, context)`, returns `(z, log_det)`: the
    latent-side tensor and the log-determinant of the Jacobian of the
    inverse map, one float32 value per example.

    Args:
        **kwargs: Passed to `keras.layers.Layer` (e.g. `name`).
    """

    def build(self, x_shape, context_shape=None):
        """Records the data-side shape and the context size.

        Args:
            x_shape: Shape of a batch on the data side, batch first.
            context_shape: Shape `(batch, context_dim)` of the conditioning
                context, or `None` for an unconditional flow.
        """
        self.data_shape = tuple(int(d) for d in x_shape[1:])
        self.context_dim = None if context_shape is None else int(context_shape[-1])

    @property
    def event_ndims(self):
        """Rank of one example on the data side."""
        return len(self.data_shape)

    def compute_output_shape(self, x_shape, context_shape=None):
        """Shape of a batch on the latent side (the same by default)."""
        return tuple(x_shape)

    def bijector(self, context=None):
        """Returns a TFP bijector built from the layer's current weights.

        Args:
            context: Float32 conditioning context of shape
                `(batch, context_dim)`, or `None`.

        Returns:
            A `tfp.bijectors.Bijector` whose `forward` maps latent-side
            tensors to data-side tensors.
        """
        raise NotImplementedError

    def inverse_and_log_det(self, x, context=None):
        """Maps data-side `x` to the latent side.

        Returns:
            A tuple `(z, log_det)` where `log_det` (float32, shape
            `(batch,)`) is the log-determinant of the Jacobian of `x -> z`.
        """
        bijector = self.bijector(context)
        z = bijector.inverse(x)
        log_det = bijector.inverse_log_det_jacobian(x, event_ndims=self.event_ndims)
        return z, per_example(log_det, x)

    def forward_and_log_det(self, z, context=None):
        """Maps latent-side `z` to the data side.

        Returns:
            A tuple `(x, log_det)` where `log_det` (float32, shape
            `(batch,)`) is the log-determinant of the Jacobian of `z -> x`.
        """
        bijector = self.bijector(context)
        x = bijector.forward(z)
        log_det = bijector.forward_log_det_jacobian(z, event_ndims=self.event_ndims)
        return x, per_example(log_det, z)

    def call(self, x, context=None):
        return self.inverse_and_log_det(x, context)


def per_example(log_det, x):
    """Broadcasts a (possibly scalar) log-det to float32 of shape `(batch,)`."""
    return tf.cast(log_det, tf.float32) + tf.zeros(tf.shape(x)[:1], tf.float32)


def context_dim_of(context_shape):
    """The context size from a `context_shape`, or 0 without context."""
    return 0 if context_shape is None else int(context_shape[-1])


__all__ = ["FlowLayer", "soft_clamp"]
