"""Glow's layers: squeeze, ActNorm, invertible 1x1 convolution, multi-scale."""

import keras
import numpy as np
import tensorflow as tf
import tensorflow_probability as tfp

from keras_gen.core.validation import check_positive
from keras_gen.flows.flow_layer import FlowLayer, soft_clamp

tfb = tfp.bijectors


def _check_image(layer, shape, factor=1):
    if len(shape) != 3 or shape[0] % factor or shape[1] % factor:
        raise ValueError(
            f"`{layer}` takes images of shape (H, W, C) with H and W divisible by "
            f"{factor}. Received: per-example shape {tuple(shape)}"
        )


def squeeze_bijector(data_shape):
    """TFP bijector: `forward` maps `(H/2, W/2, 4C)` to `(H, W, C)`.

    Each 2x2 block of pixels becomes 4 channels (space-to-depth) in the
    inverse direction; pure reshapes and a transpose, so log-det 0.
    """
    height, width, channels = data_shape
    blocks = (height // 2, 2, width // 2, 2, channels)
    stacked = (height // 2, width // 2, 2, 2, channels)
    return tfb.Chain(
        [
            tfb.Reshape(event_shape_out=data_shape, event_shape_in=blocks),
            tfb.Transpose(perm=[0, 2, 1, 3, 4]),
            tfb.Reshape(
                event_shape_out=stacked,
                event_shape_in=(height // 2, width // 2, 4 * channels),
            ),
        ]
    )


@keras.saving.register_keras_serializable(package="keras_gen")
class Squeeze(FlowLayer):
    """Trades space for channels: `(H, W, C)` data to `(H/2, W/2, 4C)` latent.

    Reference:
        Dinh et al., "Density estimation using Real NVP", 2016,
        https://arxiv.org/abs/1605.08803
    """

    def build(self, x_shape, context_shape=None):
        super().build(x_shape, context_shape)
        _check_image("Squeeze", self.data_shape, factor=2)

    def compute_output_shape(self, x_shape, context_shape=None):
        batch, height, width, channels = x_shape
        return (batch, height // 2, width // 2, 4 * channels)

    def bijector(self, context=None):
        return squeeze_bijector(self.data_shape)


@keras.saving.register_keras_serializable(package="keras_gen")
class Unsqueeze(FlowLayer):
    """The inverse of `Squeeze`: `(H, W, C)` data to `(2H, 2W, C/4)` latent."""

    def build(self, x_shape, context_shape=None):
        super().build(x_shape, context_shape)
        if len(self.data_shape) != 3 or self.data_shape[-1] % 4:
            raise ValueError(
                "`Unsqueeze` takes images of shape (H, W, C) with C divisible by 4. "
                f"Received: per-example shape {self.data_shape}"
            )

    def compute_output_shape(self, x_shape, context_shape=None):
        batch, height, width, channels = x_shape
        return (batch, 2 * height, 2 * width, channels // 4)

    def bijector(self, context=None):
        height, width, channels = self.data_shape
        return tfb.Invert(squeeze_bijector((2 * height, 2 * width, channels // 4)))


@keras.saving.register_keras_serializable(package="keras_gen")
class ActNorm(FlowLayer):
    """Per-channel affine normalization: `z = (x + bias) * exp(log_scale)`.

    Starts at the identity (zero bias and log-scale) and learns by gradient
    descent; Glow's data-dependent initialisation is left out, since it
    would make the weights depend on how a batch is split across replicas.
    `log_scale` is bounded to `(-scale_bound, scale_bound)`.

    Args:
        scale_bound: Bound on `|log_scale|`.
        **kwargs: Passed to `keras.layers.Layer`.

    Reference:
        Kingma & Dhariwal, "Glow: Generative Flow with Invertible 1x1
        Convolutions", 2018, https://arxiv.org/abs/1807.03039
    """

    def __init__(self, scale_bound=5.0, **kwargs):
        super().__init__(**kwargs)
        self.scale_bound = check_positive("scale_bound", scale_bound)

    def build(self, x_shape, context_shape=None):
        super().build(x_shape, context_shape)
        channels = self.data_shape[-1]
        self.bias = self.add_weight((channels,), "zeros", name="bias")
        self.log_scale = self.add_weight((channels,), "zeros", name="log_scale")

    def bijector(self, context=None):
        log_scale = soft_clamp(tf.cast(self.log_scale, tf.float32), self.scale_bound)
        bias = tf.cast(self.bias, tf.float32)
        return tfb.Chain([tfb.Shift(-bias), tfb.Scale(log_scale=-log_scale)])

    def get_config(self):
        return {**super().get_config(), "scale_bound": self.scale_bound}


@keras.saving.register_keras_serializable(package="keras_gen")
class InvertibleConv1x1(FlowLayer):
    """Invertible 1x1 convolution with an LU-parametrized weight matrix.

    The data side is `x = W z` at every pixel, with `W = P L U`: a fixed
    permutation `P`, a unit lower-triangular `L` and an upper-triangular `U`
    whose diagonal is `sign * exp(log_diagonal)`, so `W` is always
    invertible and `log|det W| = sum(log_diagonal)`. `W` starts as a random
    rotation. The bijector is `tfp.bijectors.ScaleMatvecLU`.

    Reference:
        Kingma & Dhariwal, "Glow: Generative Flow with Invertible 1x1
        Convolutions", 2018, https://arxiv.org/abs/1807.03039
    """

    def build(self, x_shape, context_shape=None):
        super().build(x_shape, context_shape)
        channels = self.data_shape[-1]
        rotation = keras.initializers.Orthogonal()((channels, channels))
        lower_upper, permutation = tf.linalg.lu(tf.cast(rotation, tf.float32))
        lower_upper = lower_upper.numpy()
        diagonal = np.diag(lower_upper)

        def constant(value):
            return lambda shape, dtype=None: tf.constant(value, dtype=dtype)

        shape = (channels, channels)
        self.lower = self.add_weight(
            shape, constant(np.tril(lower_upper, -1)), name="lower"
        )
        self.upper = self.add_weight(
            shape, constant(np.triu(lower_upper, 1)), name="upper"
        )
        self.log_diagonal = self.add_weight(
            (channels,), constant(np.log(np.abs(diagonal))), name="log_diagonal"
        )
        self.sign = self.add_weight(
            (channels,), constant(np.sign(diagonal)), name="sign", trainable=False
        )
        self.permutation = self.add_weight(
            (channels,),
            constant(permutation.numpy()),
            dtype="int32",
            name="permutation",
            trainable=False,
        )

    def lower_upper(self):
        """The packed LU factors `L + U - I` of `W`, in float32."""
        lower = tf.linalg.band_part(tf.cast(self.lower, tf.float32), -1, 0)
        upper = tf.linalg.band_part(tf.cast(self.upper, tf.float32), 0, -1)
        diagonal = tf.cast(self.sign, tf.float32) * tf.exp(
            tf.cast(self.log_diagonal, tf.float32)
        )
        strictly = lower - tf.linalg.diag(tf.linalg.diag_part(lower))
        strictly += upper - tf.linalg.diag(tf.linalg.diag_part(upper))
        return strictly + tf.linalg.diag(diagonal)

    def bijector(self, context=None):
        return tfb.ScaleMatvecLU(
            self.lower_upper(), tf.convert_to_tensor(self.permutation)
        )


class _ChannelSplit(tfb.Bijector):
    """Applies `inner` to the first `keep` channels, the identity to the rest."""

    def __init__(self, inner, keep, name="channel_split"):
        parameters = dict(locals())
        self._inner = inner
        self._keep = keep
        super().__init__(forward_min_event_ndims=3, parameters=parameters, name=name)

    @classmethod
    def _parameter_properties(cls, dtype):
        return {}

    def _apply(self, x, fn):
        head, tail = x[..., : self._keep], x[..., self._keep :]
        return tf.concat([fn(head), tail], axis=-1)

    def _forward(self, x):
        return self._apply(x, self._inner.forward)

    def _inverse(self, y):
        return self._apply(y, self._inner.inverse)

    def _forward_log_det_jacobian(self, x):
        return self._inner.forward_log_det_jacobian(x[..., : self._keep], event_ndims=3)

    def _inverse_log_det_jacobian(self, y):
        return self._inner.inverse_log_det_jacobian(y[..., : self._keep], event_ndims=3)


@keras.saving.register_keras_serializable(package="keras_gen")
class MultiScale(FlowLayer):
    """Glow's multi-scale split: `layers` act on the first `keep` channels only.

    The other channels are "factored out": they go to the base distribution
    as they are. `layers` must give back the shape they are given (a Glow
    level squeezes, transforms and unsqueezes), so the latent side has the
    shape of the data side.

    Args:
        layers: List of `FlowLayer`s, in data-to-latent order.
        keep: Channels passed to `layers`; default half, rounded down.
        **kwargs: Passed to `keras.layers.Layer`.
    """

    def __init__(self, layers, keep=None, **kwargs):
        super().__init__(**kwargs)
        self.inner_layers = [
            keras.saving.deserialize_keras_object(layer)
            if isinstance(layer, dict)
            else layer
            for layer in layers
        ]
        self.keep = keep

    def build(self, x_shape, context_shape=None):
        super().build(x_shape, context_shape)
        _check_image("MultiScale", self.data_shape)
        channels = self.data_shape[-1]
        self._keep = channels // 2 if self.keep is None else int(self.keep)
        if not 1 <= self._keep < channels:
            raise ValueError(
                f"`keep` must be in [1, {channels - 1}]. Received: keep={self.keep}"
            )
        shape = start = (None, *self.data_shape[:-1], self._keep)
        for layer in self.inner_layers:
            if not layer.built:
                layer.build(shape, context_shape)
            shape = tuple(layer.compute_output_shape(shape))
        if tuple(shape[1:]) != tuple(start[1:]):
            raise ValueError(
                "The layers of `MultiScale` must keep the shape they are given. "
                f"Expected {start[1:]}. Received: output shape {shape[1:]}"
            )

    def bijector(self, context=None):
        inner = tfb.Chain([layer.bijector(context) for layer in self.inner_layers])
        return _ChannelSplit(inner, self._keep)

    def get_config(self):
        return {
            **super().get_config(),
            "layers": [
                keras.saving.serialize_keras_object(x) for x in self.inner_layers
            ],
            "keep": self.keep,
        }


__all__ = ["ActNorm", "InvertibleConv1x1", "MultiScale", "Squeeze", "Unsqueeze"]
