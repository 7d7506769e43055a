"""`AffineCoupling`: the coupling layer of RealNVP and Glow."""

import keras
import tensorflow as tf
import tensorflow_probability as tfp

from keras_gen.core.validation import check_positive
from keras_gen.flows.conditioners import CouplingConvNet, CouplingMLP
from keras_gen.flows.flow_layer import FlowLayer, per_example, soft_clamp

tfb = tfp.bijectors


def check_num_masked(num_masked, depth, name):
    """Resolves `num_masked` (default: half the last axis, rounded down)."""
    if depth < 2:
        raise ValueError(
            f"A coupling layer splits the last axis in two, so it needs at least "
            f"2 features there. Received: {name} on data of shape (..., {depth})"
        )
    masked = depth // 2 if num_masked is None else int(num_masked)
    if not 1 <= masked < depth:
        raise ValueError(
            f"`num_masked` must be in [1, {depth - 1}] for {depth} features. "
            f"Received: num_masked={num_masked}"
        )
    return masked


@keras.saving.register_keras_serializable(package="keras_gen")
class CouplingLayer(FlowLayer):
    """Base of coupling layers: half the features transform the other half.

    The last axis is split into `x0 = x[..., :num_masked]`, passed through
    unchanged, and `x1`, mapped by an elementwise bijector that
    `transform(x0, context)` builds from a conditioner's output. `bijector()`
    is the equivalent `tfp.bijectors.RealNVP`; the flow itself calls
    `inverse_and_log_det` / `forward_and_log_det`, which evaluate the
    conditioner once for both the map and its log-determinant.

    Args:
        num_masked: Number of features that condition the others; default
            half the last axis, rounded down.
        **kwargs: Passed to `keras.layers.Layer`.
    """

    def __init__(self, num_masked=None, **kwargs):
        super().__init__(**kwargs)
        self.num_masked = num_masked

    def build(self, x_shape, context_shape=None):
        super().build(x_shape, context_shape)
        self._masked = check_num_masked(self.num_masked, self.data_shape[-1], self.name)
        self._transformed = self.data_shape[-1] - self._masked

    def transform(self, x0, context=None):
        """The elementwise TFP bijector applied to `x1` (`forward`: to data)."""
        raise NotImplementedError

    def bijector(self, context=None):
        def bijector_fn(x0, output_units):
            del output_units  # RealNVP passes it; the conditioner knows its size.
            return self.transform(x0, context)

        return tfb.RealNVP(num_masked=self._masked, bijector_fn=bijector_fn)

    def _apply(self, x, context, direction):
        x0, x1 = x[..., : self._masked], x[..., self._masked :]
        transform = self.transform(x0, context)
        if direction == "inverse":
            y1 = transform.inverse(x1)
            log_det = transform.inverse_log_det_jacobian(
                x1, event_ndims=self.event_ndims
            )
        else:
            y1 = transform.forward(x1)
            log_det = transform.forward_log_det_jacobian(
                x1, event_ndims=self.event_ndims
            )
        return tf.concat([x0, y1], axis=-1), per_example(log_det, x)

    def inverse_and_log_det(self, x, context=None):
        return self._apply(x, context, "inverse")

    def forward_and_log_det(self, z, context=None):
        return self._apply(z, context, "forward")

    def get_config(self):
        return {**super().get_config(), "num_masked": self.num_masked}


@keras.saving.register_keras_serializable(package="keras_gen")
class AffineCoupling(CouplingLayer):
    """Affine coupling layer (RealNVP), as a Keras 3 layer.

    The last axis is split into `x0 = x[..., :num_masked]` and the rest,
    `x1`. The data side is `x1 = z1 * exp(log_scale) + shift`, where
    `(shift, log_scale)` are computed from `x0` (and the context) by a
    conditioner: a `CouplingMLP` for vectors, a `CouplingConvNet` for images
    of shape `(H, W, C)`. `log_scale` is bounded to `(-scale_bound,
    scale_bound)` with a soft clamp. The bijector is
    `tfp.bijectors.RealNVP`.

    Args:
        hidden_units: Hidden sizes (units, or channels for images) of the
            conditioner.
        activation: Activation of the conditioner.
        num_masked: Number of features that condition the others; default
            half the last axis, rounded down.
        scale_bound: Bound on `|log_scale|`.
        **kwargs: Passed to `keras.layers.Layer`.

    Reference:
        Dinh et al., "Density estimation using Real NVP", 2016,
        https://arxiv.org/abs/1605.08803
    """

    def __init__(
        self,
        hidden_units=(64, 64),
        activation="relu",
        num_masked=None,
        scale_bound=3.0,
        **kwargs,
    ):
        super().__init__(num_masked=num_masked, **kwargs)
        self.hidden_units = tuple(hidden_units)
        self.activation = activation
        self.scale_bound = check_positive("scale_bound", scale_bound)

    def build(self, x_shape, context_shape=None):
        super().build(x_shape, context_shape)
        outputs = 2 * self._transformed
        conditioner_shape = (*x_shape[:-1], self._masked)
        if self.event_ndims == 1:
            self.conditioner = CouplingMLP(outputs, self.hidden_units, self.activation)
        elif self.event_ndims == 3:
            self.conditioner = CouplingConvNet(
                outputs, self.hidden_units, self.activation
            )
        else:
            raise ValueError(
                "`AffineCoupling` takes vectors `(d,)` or images `(H, W, C)`. "
                f"Received: data of per-example shape {self.data_shape}"
            )
        self.conditioner.build(conditioner_shape, context_shape)

    def shift_and_log_scale(self, x0, context=None):
        """The conditioner's `(shift, log_scale)`, in float32."""
        params = tf.cast(self.conditioner(x0, context), tf.float32)
        shift, raw_log_scale = tf.split(params, 2, axis=-1)
        return shift, soft_clamp(raw_log_scale, self.scale_bound)

    def transform(self, x0, context=None):
        shift, log_scale = self.shift_and_log_scale(x0, context)
        return tfb.Chain([tfb.Shift(shift), tfb.Scale(log_scale=log_scale)])

    def get_config(self):
        return {
            **super().get_config(),
            "hidden_units": list(self.hidden_units),
            "activation": self.activation,
            "scale_bound": self.scale_bound,
        }


__all__ = ["AffineCoupling", "CouplingLayer"]
