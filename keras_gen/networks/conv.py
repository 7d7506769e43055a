"""Convolutional VAE encoder and decoder builders.

They accept the same image shapes as the DCGAN builders: any
`(height, width, channels)` with even `height` and `width` of at least 8,
such as `(8, 8, 1)`, `(28, 28, 1)` and `(32, 32, 3)`.
"""

import keras

from keras_gen.networks.dcgan import _image_plan, _upsample
from keras_gen.networks.mlp import _check_positive_int, _condition_input


def build_conv_encoder(
    image_shape,
    latent_dim: int,
    num_classes: int | None = None,
    condition_shape=None,
    base_filters: int = 32,
    hidden_units: int = 128,
    activation="relu",
    embedding_dim: int = 16,
    name: str = "encoder",
) -> keras.Model:
    """Builds a convolutional VAE encoder returning `[mean, log_var]`.

    Stride-2 3x3 convolutions double the filters from `base_filters` while
    halving the image (as many times as `build_dcgan_discriminator` does),
    then a `Dense` layer of `hidden_units` on the flattened features, joined
    by the embedded condition if any, feeds two linear heads.

    Args:
        image_shape: `(height, width, channels)` of the input images.
        latent_dim: Size of the latent code.
        num_classes: If given, the model takes `[x, labels]` with integer
            labels of shape `(batch,)`.
        condition_shape: If given, the model takes `[x, conditions]` with
            real-valued conditions. Exclusive with `num_classes`.
        base_filters: Filters of the first convolution.
        hidden_units: Width of the hidden `Dense` layer.
        activation: Activation of the convolutions and the hidden layer.
        embedding_dim: Size of the label embedding.
        name: Name of the model.

    Returns:
        A `keras.Model` with two outputs, the mean and the log-variance of a
        diagonal Gaussian, each of shape `(batch, latent_dim)`.

    Raises:
        ValueError: If `image_shape` is unsupported or a size is invalid.

    Example:

    >>> e = keras_gen.networks.build_conv_encoder((28, 28, 1), latent_dim=8)
    >>> e.output_shape
    [(None, 8), (None, 8)]
    """
    _check_positive_int(latent_dim, "latent_dim")
    _check_positive_int(base_filters, "base_filters")
    _check_positive_int(hidden_units, "hidden_units")
    image_shape, steps, _ = _image_plan(image_shape)
    x = keras.Input(shape=image_shape, name="x")
    h = x
    for i in range(steps):
        h = keras.layers.Conv2D(
            base_filters * 2**i,
            3,
            strides=2,
            padding="same",
            activation=activation,
            name=f"down_conv_{i}",
        )(h)
    h = keras.layers.Flatten(name="flatten")(h)
    c_input, c_vector = _condition_input(num_classes, condition_shape, embedding_dim)
    if c_input is not None:
        h = keras.layers.Concatenate(name="concat_conditions")([h, c_vector])
    h = keras.layers.Dense(hidden_units, activation=activation, name="hidden")(h)
    mean = keras.layers.Dense(latent_dim, name="mean")(h)
    log_var = keras.layers.Dense(latent_dim, name="log_var")(h)
    inputs = [x, c_input] if c_input is not None else x
    return keras.Model(inputs, [mean, log_var], name=name)


def build_conv_decoder(
    latent_dim: int,
    image_shape,
    num_classes: int | None = None,
    condition_shape=None,
    base_filters: int = 32,
    activation="relu",
    output_activation=None,
    embedding_dim: int = 16,
    name: str = "decoder",
) -> keras.Model:
    """Builds a convolutional VAE decoder mapping a latent code `z` to images.

    The layout is that of `build_dcgan_generator` without batch
    normalization: a `Dense` projection to a small grid, stride-2 3x3
    transposed convolutions halving the filters down to `base_filters`, and
    a final 3x3 convolution with `image_shape[-1]` channels.

    Args:
        latent_dim: Size of the latent code (the input named `"z"`).
        image_shape: `(height, width, channels)` of the output images.
        num_classes: If given, the model takes `[z, labels]` with integer
            labels of shape `(batch,)`.
        condition_shape: If given, the model takes `[z, conditions]` with
            real-valued conditions. Exclusive with `num_classes`.
        base_filters: Filters of the last upsampling layer.
        activation: Activation of the hidden layers.
        output_activation: `None` (default) gives linear outputs, i.e.
            Bernoulli logits or Gaussian means as the likelihood expects;
            `"sigmoid"` gives pixel values in `[0, 1]`.
        embedding_dim: Size of the label embedding.
        name: Name of the model.

    Returns:
        A `keras.Model` mapping `(batch, latent_dim)` to
        `(batch, *image_shape)`.

    Raises:
        ValueError: If `image_shape` is unsupported or a size is invalid.

    Example:

    >>> d = keras_gen.networks.build_conv_decoder(8, (32, 32, 3))
    >>> d.output_shape
    (None, 32, 32, 3)
    """
    _check_positive_int(latent_dim, "latent_dim")
    _check_positive_int(base_filters, "base_filters")
    image_shape, steps, (height0, width0) = _image_plan(image_shape)
    z = keras.Input(shape=(latent_dim,), name="z")
    c_input, c_vector = _condition_input(num_classes, condition_shape, embedding_dim)
    h = z
    if c_input is not None:
        h = keras.layers.Concatenate(name="concat_conditions")([z, c_vector])
    filters0 = base_filters * 2**steps
    h = keras.layers.Dense(
        height0 * width0 * filters0, activation=activation, name="project"
    )(h)
    h = keras.layers.Reshape((height0, width0, filters0), name="to_grid")(h)
    h = _upsample(h, steps, base_filters, 3, False, activation, "up")
    outputs = keras.layers.Conv2D(
        image_shape[-1], 3, padding="same", activation=output_activation, name="image"
    )(h)
    inputs = [z, c_input] if c_input is not None else z
    return keras.Model(inputs, outputs, name=name)
