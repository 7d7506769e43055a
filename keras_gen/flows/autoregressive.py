"""`MaskedAutoregressive`: the affine autoregressive layer of MAF."""

import keras
import tensorflow as tf
import tensorflow_probability as tfp

from keras_gen.core.validation import check_positive
from keras_gen.flows.conditioners import MADE
from keras_gen.flows.flow_layer import FlowLayer, soft_clamp

tfb = tfp.bijectors


@keras.saving.register_keras_serializable(package="keras_gen")
class MaskedAutoregressive(FlowLayer):
    """Masked autoregressive affine layer (MAF), as a Keras 3 layer.

    On the data side, `x[i] = z[i] * exp(log_scale[i]) + shift[i]` where
    `(shift[i], log_scale[i])` depend on `x[:i]` (and the context) through
    a `MADE` network. Normalizing data (density evaluation) is one pass of
    the network; sampling inverts it one dimension at a time, `d` passes in
    a `tf.while_loop`. So MAF scores fast and samples slowly. `log_scale` is
    bounded to `(-scale_bound, scale_bound)`. The bijector is
    `tfp.bijectors.MaskedAutoregressiveFlow` with the MADE layer as its
    `shift_and_log_scale_fn`.

    Args:
        hidden_units: Sizes of the MADE hidden layers.
        activation: Activation of the MADE hidden layers.
        scale_bound: Bound on `|log_scale|`.
        **kwargs: Passed to `keras.layers.Layer`.

    Reference:
        Papamakarios et al., "Masked Autoregressive Flow for Density
        Estimation", 2017, https://arxiv.org/abs/1705.07057
    """

    def __init__(
        self, hidden_units=(64, 64), activation="relu", scale_bound=3.0, **kwargs
    ):
        super().__init__(**kwargs)
        self.hidden_units = tuple(hidden_units)
        self.activation = activation
        self.scale_bound = check_positive("scale_bound", scale_bound)

    def build(self, x_shape, context_shape=None):
        super().build(x_shape, context_shape)
        if self.event_ndims != 1:
            raise ValueError(
                "`MaskedAutoregressive` takes vectors `(d,)`. "
                f"Received: data of per-example shape {self.data_shape}"
            )
        self.made = MADE(2, self.hidden_units, self.activation)
        self.made.build(x_shape, context_shape)

    def shift_and_log_scale(self, x, context=None):
        """MADE's `(shift, log_scale)` for data-side `x`, in float32."""
        params = tf.cast(self.made(x, context), tf.float32)
        shift, raw_log_scale = tf.unstack(params, num=2, axis=-1)
        return shift, soft_clamp(raw_log_scale, self.scale_bound)

    def bijector(self, context=None):
        def shift_and_log_scale_fn(x):
            return self.shift_and_log_scale(x, context)

        return tfb.MaskedAutoregressiveFlow(
            shift_and_log_scale_fn=shift_and_log_scale_fn
        )

    def get_config(self):
        return {
            **super().get_config(),
            "hidden_units": list(self.hidden_units),
            "activation": self.activation,
            "scale_bound": self.scale_bound,
        }


__all__ = ["MaskedAutoregressive"]
