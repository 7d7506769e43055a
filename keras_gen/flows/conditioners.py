"""Conditioners: the Keras 3 networks that give flow layers their parameters.

Each conditioner ends in a zero-initialised layer, so a fresh flow is the
identity map. Each takes an optional conditioning `context` of shape
`(batch, context_dim)`.
"""

import keras
import numpy as np
import tensorflow as tf

from keras_gen.flows.flow_layer import context_dim_of


def _check_units(name, units):
    units = tuple(units)
    if not all(isinstance(u, int | np.integer) and u > 0 for u in units):
        raise ValueError(
            f"`{name}` must be a sequence of positive integers. Received: {name}={units!r}"
        )
    return tuple(int(u) for u in units)


@keras.saving.register_keras_serializable(package="keras_gen")
class CouplingMLP(keras.layers.Layer):
    """A dense network mapping `[x, context]` to `output_dim` parameters.

    The conditioner of coupling layers on vector data. The last layer is
    initialised to zero.

    Args:
        output_dim: Number of outputs.
        hidden_units: Sizes of the hidden layers.
        activation: Activation of the hidden layers.
        **kwargs: Passed to `keras.layers.Layer`.
    """

    def __init__(self, output_dim, hidden_units=(64, 64), activation="relu", **kwargs):
        super().__init__(**kwargs)
        self.output_dim = int(output_dim)
        self.hidden_units = _check_units("hidden_units", hidden_units)
        self.activation = activation

    def build(self, x_shape, context_shape=None):
        width = int(x_shape[-1]) + context_dim_of(context_shape)
        self.hidden_layers = []
        for units in self.hidden_units:
            layer = keras.layers.Dense(units, activation=self.activation)
            layer.build((None, width))
            self.hidden_layers.append(layer)
            width = units
        self.output_layer = keras.layers.Dense(
            self.output_dim, kernel_initializer="zeros", bias_initializer="zeros"
        )
        self.output_layer.build((None, width))

    def call(self, x, context=None):
        h = x if context is None else tf.concat([x, tf.cast(context, x.dtype)], axis=-1)
        for layer in self.hidden_layers:
            h = layer(h)
        return self.output_layer(h)

    def get_config(self):
        return {
            **super().get_config(),
            "output_dim": self.output_dim,
            "hidden_units": list(self.hidden_units),
            "activation": self.activation,
        }


def made_masks(input_dim, hidden_units, num_params):
    """Masks of MADE (Germain et al., 2015) for the natural input order.

    Input `i` has degree `i + 1`; hidden units cycle through degrees
    `1 .. input_dim - 1`; output `(i, p)` (flattened `i * num_params + p`)
    has degree `i + 1` and sees only hidden units of smaller degree, so
    output `i` depends on inputs `< i` only.

    Returns:
        A list of float32 arrays, one `(fan_in, fan_out)` mask a layer.
    """
    degrees = [np.arange(1, input_dim + 1)]
    for units in hidden_units:
        degrees.append(np.arange(units) % max(1, input_dim - 1) + 1)
    masks = [
        (later[None, :] >= earlier[:, None]).astype("float32")
        for earlier, later in zip(degrees[:-1], degrees[1:], strict=True)
    ]
    output_degrees = np.repeat(np.arange(1, input_dim + 1), num_params)
    masks.append((output_degrees[None, :] > degrees[-1][:, None]).astype("float32"))
    return masks


@keras.saving.register_keras_serializable(package="keras_gen")
class MADE(keras.layers.Layer):
    """Masked autoencoder for distribution estimation, as a Keras 3 layer.

    Maps `x` of shape `(batch, d)` to parameters of shape
    `(batch, d, num_params)` such that the parameters of dimension `i` depend
    only on `x[:, :i]` and on the context. The context enters the first
    hidden layer and the output layer unmasked, so that the parameters of
    dimension 0, which see no input, still depend on it. The output layer
    (and its context kernel) is initialised to zero.

    Args:
        num_params: Parameters per dimension (2 for shift and log-scale).
        hidden_units: Sizes of the masked hidden layers.
        activation: Activation of the hidden layers.
        **kwargs: Passed to `keras.layers.Layer`.

    Reference:
        Germain et al., "MADE: Masked Autoencoder for Distribution
        Estimation", 2015, https://arxiv.org/abs/1502.03509
    """

    def __init__(
        self, num_params=2, hidden_units=(64, 64), activation="relu", **kwargs
    ):
        super().__init__(**kwargs)
        self.num_params = int(num_params)
        self.hidden_units = _check_units("hidden_units", hidden_units)
        self.activation = activation
        self._activation_fn = keras.activations.get(activation)

    def build(self, x_shape, context_shape=None):
        self.input_dim = int(x_shape[-1])
        widths = [self.input_dim, *self.hidden_units, self.input_dim * self.num_params]
        self._masks = made_masks(self.input_dim, self.hidden_units, self.num_params)
        self.kernels, self.biases = [], []
        last = len(widths) - 2
        for i, (fan_in, fan_out) in enumerate(
            zip(widths[:-1], widths[1:], strict=True)
        ):
            init = "zeros" if i == last else "glorot_uniform"
            self.kernels.append(
                self.add_weight((fan_in, fan_out), init, name=f"kernel_{i}")
            )
            self.biases.append(self.add_weight((fan_out,), "zeros", name=f"bias_{i}"))
        self.context_kernel = None
        self.output_context_kernel = None
        context_dim = context_dim_of(context_shape)
        if context_dim:
            self.context_kernel = self.add_weight(
                (context_dim, widths[1]), "glorot_uniform", name="context_kernel"
            )
            self.output_context_kernel = self.add_weight(
                (context_dim, widths[-1]), "zeros", name="output_context_kernel"
            )

    def call(self, x, context=None):
        h = x
        use_context = self.context_kernel is not None and context is not None
        last = len(self.kernels) - 1
        for i, (kernel, bias) in enumerate(zip(self.kernels, self.biases, strict=True)):
            mask = tf.constant(self._masks[i], dtype=kernel.dtype)
            h = tf.matmul(h, kernel * mask) + bias
            if use_context and i in (0, last):
                context_kernel = (
                    self.context_kernel if i == 0 else self.output_context_kernel
                )
                h = h + tf.matmul(tf.cast(context, h.dtype), context_kernel)
            if i < last:
                h = self._activation_fn(h)
        return tf.reshape(h, tf.concat([tf.shape(x), [self.num_params]], axis=0))

    def get_config(self):
        return {
            **super().get_config(),
            "num_params": self.num_params,
            "hidden_units": list(self.hidden_units),
            "activation": self.activation,
        }


@keras.saving.register_keras_serializable(package="keras_gen")
class CouplingConvNet(keras.layers.Layer):
    """A convolutional network mapping images to per-pixel parameters.

    The conditioner of coupling layers on images, as in Glow: a 3x3
    convolution, 1x1 convolutions, and a zero-initialised 3x3 convolution
    with `output_channels` channels. A context vector is broadcast over the
    pixels and concatenated to the input channels.

    Args:
        output_channels: Number of output channels.
        hidden_units: Channels of the hidden convolutions (the first is
            3x3, the others 1x1).
        activation: Activation of the hidden layers.
        **kwargs: Passed to `keras.layers.Layer`.
    """

    def __init__(
        self, output_channels, hidden_units=(64, 64), activation="relu", **kwargs
    ):
        super().__init__(**kwargs)
        self.output_channels = int(output_channels)
        self.hidden_units = _check_units("hidden_units", hidden_units)
        self.activation = activation

    def build(self, x_shape, context_shape=None):
        height, width = x_shape[1], x_shape[2]
        channels = int(x_shape[-1]) + context_dim_of(context_shape)
        self.hidden_layers = []
        for i, units in enumerate(self.hidden_units):
            layer = keras.layers.Conv2D(
                units, 3 if i == 0 else 1, padding="same", activation=self.activation
            )
            layer.build((None, height, width, channels))
            self.hidden_layers.append(layer)
            channels = units
        self.output_layer = keras.layers.Conv2D(
            self.output_channels,
            3,
            padding="same",
            kernel_initializer="zeros",
            bias_initializer="zeros",
        )
        self.output_layer.build((None, height, width, channels))

    def call(self, x, context=None):
        h = x
        if context is not None:
            context = tf.cast(context, x.dtype)[:, None, None, :]
            shape = tf.concat([tf.shape(x)[:-1], tf.shape(context)[-1:]], axis=0)
            h = tf.concat([x, tf.broadcast_to(context, shape)], axis=-1)
        for layer in self.hidden_layers:
            h = layer(h)
        return self.output_layer(h)

    def get_config(self):
        return {
            **super().get_config(),
            "output_channels": self.output_channels,
            "hidden_units": list(self.hidden_units),
            "activation": self.activation,
        }


__all__ = ["MADE", "CouplingConvNet", "CouplingMLP", "made_masks"]
