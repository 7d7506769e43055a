"""Argument checks shared by every model.

Each check raises a `ValueError` that names the argument, says what was
expected and ends with `Received: name=value`, before any state changes.
"""

import numbers

import numpy as np


def check_positive_int(name, value):
    """Returns `value` as an `int`, or raises if it is not an integer >= 1."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral | np.integer):
        if hasattr(value, "shape") and tuple(getattr(value, "shape", ())) == ():
            try:
                as_int = int(value)
            except (TypeError, ValueError):
                as_int = None
            if as_int is not None and as_int == value:
                return check_positive_int(name, as_int)
        raise ValueError(
            f"`{name}` must be a positive integer. Received: {name}={value!r}"
        )
    if value < 1:
        raise ValueError(
            f"`{name}` must be a positive integer. Received: {name}={value!r}"
        )
    return int(value)


def check_non_negative_int(name, value):
    """Returns `value` as an `int`, or raises if it is not an integer >= 0."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
        raise ValueError(
            f"`{name}` must be a non-negative integer. Received: {name}={value!r}"
        )
    return int(value)


def check_non_negative(name, value):
    """Returns `value` as a `float`, or raises if it is negative or not a number."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(
            f"`{name}` must be a non-negative number. Received: {name}={value!r}"
        )
    if not np.isfinite(value) or value < 0:
        raise ValueError(
            f"`{name}` must be a non-negative number. Received: {name}={value!r}"
        )
    return float(value)


def check_positive(name, value):
    """Returns `value` as a `float`, or raises if it is not a finite number > 0."""
    if (
        isinstance(value, bool)
        or not isinstance(value, numbers.Real)
        or not np.isfinite(value)
        or value <= 0
    ):
        raise ValueError(
            f"`{name}` must be a positive number. Received: {name}={value!r}"
        )
    return float(value)


def check_choice(name, value, choices):
    """Returns `value` if it is one of `choices`, else raises."""
    if value not in choices:
        raise ValueError(
            f"Unknown `{name}`: {value!r}. Expected one of {sorted(choices)}. "
            f"Received: {name}={value!r}"
        )
    return value


def check_shape(name, received, expected):
    """Checks a per-example shape against an expected one.

    `None` entries of `expected` match any size.
    """
    received = tuple(received)
    expected = tuple(expected)
    ok = len(received) == len(expected) and all(
        e is None or r is None or int(r) == int(e)
        for r, e in zip(received, expected, strict=True)
    )
    if not ok:
        raise ValueError(
            f"`{name}` has the wrong per-example shape. Expected {expected}. "
            f"Received: {name}.shape[1:]={received}"
        )
