"""DCGAN generator and discriminator builders (Radford et al., 2015).

Reference:
    Radford, Metz and Chintala, "Unsupervised Representation Learning with
    Deep Convolutional Generative Adversarial Networks", ICLR 2016.
    https://arxiv.org/abs/1511.06434

Image sizes: any `(height, width, channels)` with even `height` and `width`
of at least 8 works, e.g. `(8, 8, 1)`, `(28, 28, 1)`, `(32, 32, 3)` or
`(64, 64, 3)`. The generator starts from a small grid, found by halving the
size while the half is a whole number of at least 4 (28 -> 14 -> 7, 32 -> 16
-> 8 -> 4, 8 -> 4), and doubles it back with strided transposed convolutions;
the discriminator mirrors it with strided convolutions.
"""

import keras

from keras_gen.networks.mlp import _check_positive_int, _condition_input


def _image_plan(image_shape, name: str = "image_shape"):
    """Validates an image shape and plans its resampling.

    Returns:
        A tuple `(image_shape, num_resamplings, (height0, width0))`, where
        the image is `2 ** num_resamplings` times the small grid.
    """
    message = (
        f"`{name}` must be a tuple (height, width, channels) with even height "
        "and width of at least 8 and at least one channel, e.g. (8, 8, 1), "
        f"(28, 28, 1) or (32, 32, 3). Received: {name}={image_shape!r}"
    )
    try:
        shape = tuple(image_shape)
    except TypeError:
        raise ValueError(message) from None
    if len(shape) != 3 or any(
        isinstance(d, bool) or not isinstance(d, int) for d in shape
    ):
        raise ValueError(message)
    height, width, channels = shape
    if channels < 1 or any(d < 8 or d % 2 for d in (height, width)):
        raise ValueError(message)

    def halvings(size):
        count = 0
        while size % 2 == 0 and size // 2 >= 4:
            size //= 2
            count += 1
        return count

    steps = min(halvings(height), halvings(width))
    return shape, steps, (height >> steps, width >> steps)


def _upsample(h, steps, base_filters, kernel_size, batch_norm, activation, prefix):
    """`steps` stride-2 transposed convolutions, halving filters each time."""
    for i in range(steps):
        filters = base_filters * 2 ** (steps - 1 - i)
        h = keras.layers.Conv2DTranspose(
            filters,
            kernel_size,
            strides=2,
            padding="same",
            use_bias=not batch_norm,
            name=f"{prefix}_conv_transpose_{i}",
        )(h)
        if batch_norm:
            h = keras.layers.BatchNormalization(name=f"{prefix}_bn_{i}")(h)
        h = keras.layers.Activation(activation, name=f"{prefix}_act_{i}")(h)
    return h


def build_dcgan_generator(
    latent_dim: int,
    image_shape,
    num_classes: int | None = None,
    condition_shape=None,
    base_filters: int = 32,
    kernel_size: int = 4,
    output_activation="tanh",
    embedding_dim: int = 16,
    name: str = "generator",
) -> keras.Model:
    """Builds a DCGAN generator mapping noise `z` to images.

    `z` (concatenated with the embedded condition, if any) goes through a
    `Dense` layer to a small grid with `base_filters * 2 ** steps` channels,
    then `steps` stride-2 `Conv2DTranspose` layers, each followed by batch
    normalization and ReLU, halve the channels and double the size; a final
    3x3 convolution gives the image channels.

    Args:
        latent_dim: Size of the noise vector (the input named `"z"`).
        image_shape: `(height, width, channels)`; see the module docstring.
        num_classes: If given, the model takes `[z, labels]` with integer
            labels of shape `(batch,)`.
        condition_shape: If given, the model takes `[z, conditions]` with
            real-valued conditions. Exclusive with `num_classes`.
        base_filters: Filters of the last upsampling layer.
        kernel_size: Kernel size of the transposed convolutions.
        output_activation: Final activation: `"tanh"` for images in
            `[-1, 1]`, `"sigmoid"` for `[0, 1]`, or `None` for linear.
        embedding_dim: Size of the label embedding.
        name: Name of the model.

    Returns:
        A `keras.Model` mapping `(batch, latent_dim)` to
        `(batch, *image_shape)`.

    Raises:
        ValueError: If `image_shape` is unsupported or a size is invalid.

    Example:

    >>> g = keras_gen.networks.build_dcgan_generator(32, (28, 28, 1))
    >>> g.output_shape
    (None, 28, 28, 1)
    """
    _check_positive_int(latent_dim, "latent_dim")
    _check_positive_int(base_filters, "base_filters")
    _check_positive_int(kernel_size, "kernel_size")
    image_shape, steps, (height0, width0) = _image_plan(image_shape)
    z = keras.Input(shape=(latent_dim,), name="z")
    c_input, c_vector = _condition_input(num_classes, condition_shape, embedding_dim)
    h = z
    if c_input is not None:
        h = keras.layers.Concatenate(name="concat_conditions")([z, c_vector])
    filters0 = base_filters * 2**steps
    h = keras.layers.Dense(height0 * width0 * filters0, use_bias=False, name="project")(
        h
    )
    h = keras.layers.BatchNormalization(name="project_bn")(h)
    h = keras.layers.Activation("relu", name="project_act")(h)
    h = keras.layers.Reshape((height0, width0, filters0), name="to_grid")(h)
    h = _upsample(h, steps, base_filters, kernel_size, True, "relu", "up")
    images = keras.layers.Conv2D(
        image_shape[-1], 3, padding="same", activation=output_activation, name="image"
    )(h)
    inputs = [z, c_input] if c_input is not None else z
    return keras.Model(inputs, images, name=name)


def build_dcgan_discriminator(
    image_shape,
    num_classes: int | None = None,
    condition_shape=None,
    base_filters: int = 32,
    kernel_size: int = 4,
    dropout: float = 0.0,
    embedding_dim: int = 16,
    name: str = "discriminator",
) -> keras.Model:
    """Builds a DCGAN discriminator (or critic) returning one logit.

    Stride-2 `Conv2D` layers with `LeakyReLU(0.2)` (and optional dropout)
    double the filters from `base_filters` while halving the size, as many
    times as the generator upsamples; a `Dense(1)` layer on the flattened
    features gives the logit. There is no batch normalization, so the
    network suits gradient-penalty losses too. A condition, if any, is
    mapped by a `Dense` layer to one extra input channel.

    Args:
        image_shape: `(height, width, channels)`; see the module docstring.
        num_classes: If given, the model takes `[x, labels]` with integer
            labels of shape `(batch,)`.
        condition_shape: If given, the model takes `[x, conditions]` with
            real-valued conditions. Exclusive with `num_classes`.
        base_filters: Filters of the first convolution.
        kernel_size: Kernel size of the convolutions.
        dropout: Dropout rate after each convolution (0.3 is a common
            choice for small data sets).
        embedding_dim: Size of the label embedding.
        name: Name of the model.

    Returns:
        A `keras.Model` mapping `(batch, *image_shape)` to logits of shape
        `(batch, 1)`, with no final activation.

    Raises:
        ValueError: If `image_shape` is unsupported or a size is invalid.

    Example:

    >>> d = keras_gen.networks.build_dcgan_discriminator((32, 32, 3))
    >>> d.output_shape
    (None, 1)
    """
    _check_positive_int(base_filters, "base_filters")
    _check_positive_int(kernel_size, "kernel_size")
    if not 0.0 <= dropout < 1.0:
        raise ValueError(f"`dropout` must be in [0, 1). Received: dropout={dropout}")
    image_shape, steps, _ = _image_plan(image_shape)
    height, width, _ = image_shape
    x = keras.Input(shape=image_shape, name="x")
    c_input, c_vector = _condition_input(num_classes, condition_shape, embedding_dim)
    h = x
    if c_input is not None:
        plane = keras.layers.Dense(height * width, name="condition_plane")(c_vector)
        plane = keras.layers.Reshape((height, width, 1), name="condition_map")(plane)
        h = keras.layers.Concatenate(name="concat_conditions")([x, plane])
    for i in range(steps):
        h = keras.layers.Conv2D(
            base_filters * 2**i,
            kernel_size,
            strides=2,
            padding="same",
            name=f"down_conv_{i}",
        )(h)
        h = keras.layers.LeakyReLU(negative_slope=0.2, name=f"down_act_{i}")(h)
        if dropout:
            h = keras.layers.Dropout(dropout, name=f"down_dropout_{i}")(h)
    h = keras.layers.Flatten(name="flatten")(h)
    logits = keras.layers.Dense(1, name="logits")(h)
    inputs = [x, c_input] if c_input is not None else x
    return keras.Model(inputs, logits, name=name)
