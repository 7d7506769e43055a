"""Multilayer perceptrons: a general builder plus GAN and VAE presets.

Every builder returns a plain functional `keras.Model` made only of built-in
layers, so it saves and loads in `.keras` format with `safe_mode=True`.

Conditional models take a list of inputs. With `num_classes`, the second
input holds integer class ids of shape `(batch,)` (or `(batch, 1)`), which an
`Embedding` turns into vectors; with `condition_shape`, it holds real-valued
conditioning vectors. Either way the condition is concatenated with the
(flattened) first input.
"""

import math

import keras


def _as_shape(value, name: str) -> tuple:
    """Normalises an int or a sequence of ints into a tuple of positive ints."""
    shape = (
        (value,) if isinstance(value, int) and not isinstance(value, bool) else value
    )
    try:
        shape = tuple(shape)
    except TypeError:
        shape = None
    if (
        not shape
        or any(isinstance(d, bool) or not isinstance(d, int) for d in shape)
        or any(d <= 0 for d in shape)
    ):
        raise ValueError(
            f"`{name}` must be a positive integer or a non-empty tuple of positive "
            f"integers. Received: {name}={value!r}"
        )
    return shape


def _check_positive_int(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(
            f"`{name}` must be a positive integer. Received: {name}={value!r}"
        )
    return value


def _condition_input(num_classes, condition_shape, embedding_dim):
    """Builds the optional condition input.

    Returns:
        A tuple `(input, vector)`: the `keras.Input` and a rank-2 tensor to
        concatenate with features, or `(None, None)` if unconditional.
    """
    if num_classes is not None and condition_shape is not None:
        raise ValueError(
            "Pass at most one of `num_classes` and `condition_shape`. Received: "
            f"num_classes={num_classes}, condition_shape={condition_shape}"
        )
    if num_classes is not None:
        _check_positive_int(num_classes, "num_classes")
        _check_positive_int(embedding_dim, "embedding_dim")
        labels = keras.Input(shape=(), dtype="int32", name="labels")
        vector = keras.layers.Embedding(
            num_classes, embedding_dim, name="label_embedding"
        )(labels)
        return labels, vector
    if condition_shape is not None:
        condition_shape = _as_shape(condition_shape, "condition_shape")
        conditions = keras.Input(shape=condition_shape, name="conditions")
        vector = conditions
        if len(condition_shape) > 1:
            vector = keras.layers.Flatten(name="flatten_conditions")(vector)
        return conditions, vector
    return None, None


def _mlp_trunk(
    input_shape,
    hidden_units,
    activation,
    dropout,
    num_classes,
    condition_shape,
    embedding_dim,
    input_name,
):
    """Inputs and the last hidden tensor of an MLP (shared by all builders)."""
    input_shape = _as_shape(input_shape, "input_shape")
    if isinstance(hidden_units, int):
        hidden_units = (hidden_units,)
    if any(
        isinstance(u, bool) or not isinstance(u, int) or u <= 0 for u in hidden_units
    ):
        raise ValueError(
            "`hidden_units` must be a sequence of positive integers. "
            f"Received: hidden_units={hidden_units!r}"
        )
    if not 0.0 <= dropout < 1.0:
        raise ValueError(f"`dropout` must be in [0, 1). Received: dropout={dropout}")
    x_input = keras.Input(shape=input_shape, name=input_name)
    h = x_input
    if len(input_shape) > 1:
        h = keras.layers.Flatten(name="flatten")(h)
    c_input, c_vector = _condition_input(num_classes, condition_shape, embedding_dim)
    inputs = [x_input]
    if c_input is not None:
        inputs.append(c_input)
        h = keras.layers.Concatenate(name="concat_conditions")([h, c_vector])
    for i, units in enumerate(hidden_units):
        h = keras.layers.Dense(units, activation=activation, name=f"dense_{i}")(h)
        if dropout:
            h = keras.layers.Dropout(dropout, name=f"dropout_{i}")(h)
    return inputs if len(inputs) > 1 else x_input, h


def _reshape_head(h, output_shape, activation, name):
    units = math.prod(output_shape)
    out = keras.layers.Dense(units, activation=activation, name=name)(h)
    if len(output_shape) > 1:
        out = keras.layers.Reshape(output_shape, name=f"{name}_reshape")(out)
    return out


def build_mlp(
    input_shape,
    output_shape,
    hidden_units=(128, 128),
    activation="relu",
    output_activation=None,
    num_classes: int | None = None,
    condition_shape=None,
    embedding_dim: int = 16,
    dropout: float = 0.0,
    input_name: str = "x",
    name: str | None = None,
) -> keras.Model:
    """Builds a multilayer perceptron as a functional `keras.Model`.

    Inputs of rank above one are flattened; the output `Dense` layer has
    `prod(output_shape)` units and is reshaped to `output_shape`.

    Args:
        input_shape: Shape of one input example, an int or a tuple.
        output_shape: Shape of one output example, an int or a tuple.
        hidden_units: Width of each hidden `Dense` layer, in order.
        activation: Activation of the hidden layers.
        output_activation: Activation of the output layer, applied
            elementwise; `None` gives a linear output (logits, means).
        num_classes: If given, the model takes `[x, labels]` with integer
            labels in `[0, num_classes)`, embedded in `embedding_dim` dims.
        condition_shape: If given, the model takes `[x, conditions]` with
            real-valued conditions of this shape. Exclusive with
            `num_classes`.
        embedding_dim: Size of the label embedding.
        dropout: Dropout rate after each hidden layer (0 for none).
        input_name: Name of the first input.
        name: Name of the model.

    Returns:
        A `keras.Model` mapping `(batch, *input_shape)` to
        `(batch, *output_shape)`.

    Raises:
        ValueError: If a shape or size is invalid, or both `num_classes` and
            `condition_shape` are given.

    Example:

    >>> model = keras_gen.networks.build_mlp((8, 8, 1), 10, hidden_units=(32,))
    >>> model.output_shape
    (None, 10)
    """
    output_shape = _as_shape(output_shape, "output_shape")
    inputs, h = _mlp_trunk(
        input_shape,
        hidden_units,
        activation,
        dropout,
        num_classes,
        condition_shape,
        embedding_dim,
        input_name,
    )
    outputs = _reshape_head(h, output_shape, output_activation, "output")
    return keras.Model(inputs, outputs, name=name)


def build_mlp_generator(
    latent_dim: int,
    data_shape,
    hidden_units=(128, 128),
    activation="relu",
    output_activation=None,
    num_classes: int | None = None,
    condition_shape=None,
    embedding_dim: int = 16,
    name: str = "generator",
) -> keras.Model:
    """Builds an MLP GAN generator mapping noise `z` to data.

    Args:
        latent_dim: Size of the noise vector (the input named `"z"`).
        data_shape: Shape of one generated example, an int or a tuple.
        hidden_units: Width of each hidden layer.
        activation: Activation of the hidden layers.
        output_activation: Activation of the output, e.g. `"tanh"` for data
            in `[-1, 1]`; `None` (linear) suits 2D toy data.
        num_classes: If given, the model takes `[z, labels]`.
        condition_shape: If given, the model takes `[z, conditions]`.
        embedding_dim: Size of the label embedding.
        name: Name of the model.

    Returns:
        A `keras.Model` mapping `(batch, latent_dim)` to `(batch, *data_shape)`.

    Example:

    >>> g = keras_gen.networks.build_mlp_generator(16, 2)
    >>> g.output_shape
    (None, 2)
    """
    _check_positive_int(latent_dim, "latent_dim")
    return build_mlp(
        latent_dim,
        data_shape,
        hidden_units=hidden_units,
        activation=activation,
        output_activation=output_activation,
        num_classes=num_classes,
        condition_shape=condition_shape,
        embedding_dim=embedding_dim,
        input_name="z",
        name=name,
    )


def build_mlp_discriminator(
    data_shape,
    hidden_units=(128, 128),
    activation="leaky_relu",
    dropout: float = 0.0,
    num_classes: int | None = None,
    condition_shape=None,
    embedding_dim: int = 16,
    name: str = "discriminator",
) -> keras.Model:
    """Builds an MLP GAN discriminator (or critic) returning one logit.

    Args:
        data_shape: Shape of one example, an int or a tuple.
        hidden_units: Width of each hidden layer.
        activation: Activation of the hidden layers; the default
            `"leaky_relu"` has slope 0.2.
        dropout: Dropout rate after each hidden layer.
        num_classes: If given, the model takes `[x, labels]`.
        condition_shape: If given, the model takes `[x, conditions]`.
        embedding_dim: Size of the label embedding.
        name: Name of the model.

    Returns:
        A `keras.Model` mapping `(batch, *data_shape)` to logits of shape
        `(batch, 1)`, with no final activation.

    Example:

    >>> d = keras_gen.networks.build_mlp_discriminator(2)
    >>> d.output_shape
    (None, 1)
    """
    return build_mlp(
        data_shape,
        1,
        hidden_units=hidden_units,
        activation=activation,
        num_classes=num_classes,
        condition_shape=condition_shape,
        embedding_dim=embedding_dim,
        dropout=dropout,
        name=name,
    )


def build_mlp_encoder(
    data_shape,
    latent_dim: int,
    hidden_units=(256, 128),
    activation="relu",
    num_classes: int | None = None,
    condition_shape=None,
    embedding_dim: int = 16,
    name: str = "encoder",
) -> keras.Model:
    """Builds an MLP VAE encoder returning `[mean, log_var]`.

    Args:
        data_shape: Shape of one example, an int or a tuple.
        latent_dim: Size of the latent code.
        hidden_units: Width of each hidden layer.
        activation: Activation of the hidden layers.
        num_classes: If given, the model takes `[x, labels]`.
        condition_shape: If given, the model takes `[x, conditions]`.
        embedding_dim: Size of the label embedding.
        name: Name of the model.

    Returns:
        A `keras.Model` with two outputs, the mean and the log-variance of a
        diagonal Gaussian, each of shape `(batch, latent_dim)`.

    Example:

    >>> e = keras_gen.networks.build_mlp_encoder((8, 8, 1), 4)
    >>> e.output_shape
    [(None, 4), (None, 4)]
    """
    _check_positive_int(latent_dim, "latent_dim")
    inputs, h = _mlp_trunk(
        data_shape,
        hidden_units,
        activation,
        0.0,
        num_classes,
        condition_shape,
        embedding_dim,
        "x",
    )
    mean = keras.layers.Dense(latent_dim, name="mean")(h)
    log_var = keras.layers.Dense(latent_dim, name="log_var")(h)
    return keras.Model(inputs, [mean, log_var], name=name)


def build_mlp_decoder(
    latent_dim: int,
    data_shape,
    hidden_units=(128, 256),
    activation="relu",
    output_activation=None,
    num_classes: int | None = None,
    condition_shape=None,
    embedding_dim: int = 16,
    name: str = "decoder",
) -> keras.Model:
    """Builds an MLP VAE decoder mapping a latent code `z` to data space.

    Args:
        latent_dim: Size of the latent code (the input named `"z"`).
        data_shape: Shape of one example, an int or a tuple.
        hidden_units: Width of each hidden layer.
        activation: Activation of the hidden layers.
        output_activation: `None` (default) gives linear outputs: Bernoulli
            logits or Gaussian means, as the likelihood expects.
        num_classes: If given, the model takes `[z, labels]`.
        condition_shape: If given, the model takes `[z, conditions]`.
        embedding_dim: Size of the label embedding.
        name: Name of the model.

    Returns:
        A `keras.Model` mapping `(batch, latent_dim)` to `(batch, *data_shape)`.

    Example:

    >>> dec = keras_gen.networks.build_mlp_decoder(4, (8, 8, 1))
    >>> dec.output_shape
    (None, 8, 8, 1)
    """
    return build_mlp_generator(
        latent_dim,
        data_shape,
        hidden_units=hidden_units,
        activation=activation,
        output_activation=output_activation,
        num_classes=num_classes,
        condition_shape=condition_shape,
        embedding_dim=embedding_dim,
        name=name,
    )
