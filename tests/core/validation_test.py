import numpy as np
import pytest

from keras_gen import flows
from keras_gen.core import validation


def test_positive_int():
    assert validation.check_positive_int("n", 3) == 3
    assert validation.check_positive_int("n", np.int32(4)) == 4
    assert validation.check_positive_int("n", np.array(5)) == 5
    for bad in (0, -1, 2.0, "3", True, None):
        with pytest.raises(
            ValueError, match=r"`n` must be a positive integer. Received: n="
        ):
            validation.check_positive_int("n", bad)


def test_non_negative():
    assert validation.check_non_negative("w", 0) == 0.0
    assert validation.check_non_negative("w", 2.5) == 2.5
    for bad in (-0.1, float("nan"), float("inf"), "1", None, True):
        with pytest.raises(ValueError, match=r"`w` must be a non-negative number"):
            validation.check_non_negative("w", bad)


def test_positive():
    assert validation.check_positive("bound", 3) == 3.0
    assert isinstance(validation.check_positive("bound", np.float32(0.5)), float)
    for bad in (0, -1.0, float("nan"), float("inf"), "1", None, True):
        with pytest.raises(
            ValueError, match=r"`bound` must be a positive number. Received: bound="
        ):
            validation.check_positive("bound", bad)


@pytest.mark.parametrize(
    "make, name",
    [
        (lambda: flows.AffineCoupling(scale_bound=0), "scale_bound"),
        (lambda: flows.MaskedAutoregressive(scale_bound=-1.0), "scale_bound"),
        (lambda: flows.SplineCoupling(bound=0.0), "bound"),
        (lambda: flows.ActNorm(scale_bound=0), "scale_bound"),
    ],
)
def test_flow_layers_reject_non_positive_bounds(make, name):
    with pytest.raises(ValueError, match=rf"Received: {name}="):
        make()


def test_non_negative_int():
    assert validation.check_non_negative_int("seed", 0) == 0
    with pytest.raises(ValueError, match=r"Received: seed=-1"):
        validation.check_non_negative_int("seed", -1)


def test_choice_and_shape():
    assert validation.check_choice("base", "normal", {"normal"}) == "normal"
    with pytest.raises(
        ValueError, match=r"Unknown `base`: 'x'. Expected one of \['normal'\]"
    ):
        validation.check_choice("base", "x", {"normal"})
    validation.check_shape("x", (None, 3), (4, 3))
    with pytest.raises(
        ValueError, match=r"Expected \(4, 3\). Received: x.shape\[1:\]=\(4, 2\)"
    ):
        validation.check_shape("x", (4, 2), (4, 3))
    with pytest.raises(ValueError, match=r"x.shape"):
        validation.check_shape("x", (4,), (4, 3))
