"""Argument checks of `Flow` and its presets.

Each raises a `ValueError` that names the argument, says what was expected
and ends with `Received: ...`, before any state is created.
"""

import numpy as np
import tensorflow as tf

from keras_gen.core.validation import check_choice, check_positive_int
from keras_gen.flows.flow_layer import FlowLayer

BASES = ("normal",)


def check_shape_arg(name, shape):
    """Returns `shape` as a tuple of positive ints (an int `d` means `(d,)`)."""
    if isinstance(shape, int | np.integer) and not isinstance(shape, bool):
        shape = (shape,)
    try:
        shape = tuple(shape)
    except TypeError:
        shape = None
    if not shape or not all(
        isinstance(d, int | np.integer) and not isinstance(d, bool) and d > 0
        for d in shape
    ):
        raise ValueError(
            f"`{name}` must be a tuple of positive integers, e.g. (2,) or (8, 8, 1). "
            f"Received: {name}={shape!r}"
        )
    return tuple(int(d) for d in shape)


def check_flow_arguments(
    event_shape, layers, base, num_classes, condition_shape, embedding_dim, pixel_levels
):
    """Validates the arguments of `Flow`; returns the normalized values.

    Returns:
        `(event_shape, layers, num_classes, condition_shape, embedding_dim,
        pixel_levels)`.
    """
    event_shape = check_shape_arg("event_shape", event_shape)
    check_choice("base", base, BASES)
    layers = list(layers) if isinstance(layers, list | tuple) else layers
    if not isinstance(layers, list) or not layers:
        raise ValueError(
            f"`layers` must be a non-empty list of FlowLayers. Received: layers={layers!r}"
        )
    for layer in layers:
        if not isinstance(layer, FlowLayer):
            raise ValueError(
                "`layers` must hold `keras_gen.flows.FlowLayer` instances. "
                f"Received: a {type(layer).__name__} in layers"
            )
    if num_classes is not None and condition_shape is not None:
        raise ValueError(
            "Pass at most one of `num_classes` and `condition_shape`. Received: "
            f"num_classes={num_classes}, condition_shape={condition_shape}"
        )
    if num_classes is not None:
        num_classes = check_positive_int("num_classes", num_classes)
    if condition_shape is not None:
        condition_shape = check_shape_arg("condition_shape", condition_shape)
        if len(condition_shape) != 1:
            raise ValueError(
                "`condition_shape` must be a vector shape (d,). "
                f"Received: condition_shape={condition_shape}"
            )
    embedding_dim = check_positive_int("embedding_dim", embedding_dim)
    if pixel_levels is not None:
        pixel_levels = check_positive_int("pixel_levels", pixel_levels)
        if pixel_levels < 2:
            raise ValueError(
                f"`pixel_levels` must be at least 2. Received: pixel_levels={pixel_levels}"
            )
    return (
        event_shape,
        layers,
        num_classes,
        condition_shape,
        embedding_dim,
        pixel_levels,
    )


def check_input(name, value, shape):
    """Returns `value` as float32 if it is a batch of per-example `shape`."""
    value = tf.convert_to_tensor(value)
    received = tuple(value.shape)
    if len(received) != len(shape) + 1 or tuple(received[1:]) != tuple(shape):
        raise ValueError(
            f"`{name}` must be a batch of shape (batch, *{shape}): wrong "
            f"per-example shape. Expected {shape}. Received: {name}.shape={received}"
        )
    return tf.cast(value, tf.float32)
