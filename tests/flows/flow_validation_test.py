"""Bad input raises a `ValueError` that names what was expected and received."""

import keras
import numpy as np
import pytest

import keras_gen.flows as flows


def tiny(**kwargs):
    keras.utils.set_random_seed(0)
    return flows.RealNVP((2,), num_layers=2, hidden_units=(8,), **kwargs)


X = np.zeros((4, 2), "float32")


@pytest.mark.parametrize(
    "call, match",
    [
        (
            lambda f: f.log_prob(np.zeros((4, 3), "float32")),
            r"Expected \(2,\).*x.shape=\(4, 3\)",
        ),
        (
            lambda f: f.log_prob(np.zeros((4, 2, 1), "float32")),
            r"Expected \(2,\).*Received",
        ),
        (
            lambda f: f.log_prob(np.zeros(2, "float32")),
            r"Expected \(2,\).*x.shape=\(2,\)",
        ),
        (
            lambda f: f.inverse(np.zeros((4, 3), "float32")),
            r"Expected \(2,\).*Received",
        ),
        (lambda f: f.forward(np.zeros((4, 5), "float32")), r"`z`.*Expected \(2,\)"),
        (lambda f: f.log_prob(X, conditions=[0, 1, 0, 1]), "must be None.*Received"),
        (lambda f: f.sample(3, conditions=[0, 1, 0]), "must be None.*Received"),
        (lambda f: f.sample(0), "num_samples.*Received"),
    ],
)
def test_unconditional_bad_inputs(call, match):
    with pytest.raises(ValueError, match=match):
        call(tiny())


@pytest.mark.parametrize(
    "call, match",
    [
        (
            lambda f: f.log_prob(X),
            r"`conditions` is required.*Received: conditions=None",
        ),
        (lambda f: f.sample(3), r"`conditions` is required.*Received: conditions=None"),
        (lambda f: f.log_prob(X, [0, 1]), r"one condition per sample \(4\).*Received"),
        (lambda f: f.log_prob(X, [0, 1, 5, 1]), r"class ids in \[0, 3\).*Received"),
        (lambda f: f.log_prob(X, [0.5, 1, 0, 1]), "integer class ids.*Received"),
        (lambda f: f.sample(3, conditions=7), r"class ids in \[0, 3\).*Received"),
        (lambda f: f.sample(3, conditions=[0, 1, -1]), r"class ids in \[0, 3\)"),
    ],
)
def test_conditional_bad_inputs(call, match):
    flow = tiny(num_classes=3)
    seed_state = flow.seed_generator.state.numpy().copy()
    with pytest.raises(ValueError, match=match):
        call(flow)
    # Rejected before any noise is drawn.
    np.testing.assert_array_equal(flow.seed_generator.state.numpy(), seed_state)


def test_condition_vectors_of_the_wrong_shape():
    flow = tiny(condition_shape=(3,))
    with pytest.raises(ValueError, match=r"Expected \(None, 3\).*Received"):
        flow.log_prob(X, np.zeros((4, 2), "float32"))


def test_fit_rejects_bad_batches():
    flow = tiny()
    flow.compile()
    with pytest.raises(
        ValueError, match=r"Expected \(2,\).*Received: x.shape\[1:\]=\(3,\)"
    ):
        flow.fit(np.zeros((8, 3), "float32"), epochs=1, verbose=0)
    with pytest.raises(ValueError, match="must be None.*not conditional"):
        flow.fit(X, np.zeros(4, "int32"), epochs=1, verbose=0)
    conditional = tiny(num_classes=3)
    conditional.compile()
    with pytest.raises(ValueError, match="`conditions` are required.*Received"):
        conditional.fit(X, epochs=1, verbose=0)


def test_compile_takes_no_loss():
    with pytest.raises(ValueError, match="no `loss`.*Received: loss='mse'"):
        tiny().compile(loss="mse")


@pytest.mark.parametrize(
    "make, match",
    [
        (
            lambda: tiny(base="uniform"),
            r"Unknown `base`.*\['normal'\].*Received: base='uniform'",
        ),
        (lambda: flows.Flow((2,), []), "non-empty list.*Received: layers="),
        (
            lambda: flows.Flow((2,), [keras.layers.Dense(2)]),
            "FlowLayer.*Received: a Dense",
        ),
        (
            lambda: flows.Flow((0,), [flows.Permute()]),
            "event_shape.*Received: event_shape",
        ),
        (lambda: tiny(num_classes=3, condition_shape=(2,)), "at most one.*Received"),
        (lambda: tiny(condition_shape=(2, 2)), r"vector shape \(d,\).*Received"),
        (lambda: flows.RealNVP((1,)), r"d >= 2.*Received: event_shape=\(1,\)"),
        (
            lambda: flows.RealNVP((4, 4, 1)),
            r"\(d,\).*Received: event_shape=\(4, 4, 1\)",
        ),
        (lambda: flows.Glow((6, 6, 1), num_levels=2), r"divisible by.*4.*Received"),
        (lambda: flows.Glow((8,)), r"\(H, W, C\).*Received: event_shape=\(8,\)"),
        (lambda: flows.Flow((3,), [flows.Permute([0, 2])]), "each index.*Received"),
        (
            lambda: flows.Flow((3,), [flows.AffineCoupling(num_masked=3)]),
            r"\[1, 2\].*Received",
        ),
        (lambda: flows.Flow((4,), [flows.Squeeze()]), r"\(H, W, C\).*Received"),
        (
            lambda: flows.Flow((2,), [flows.Permute()], pixel_levels=1),
            "at least 2.*Received",
        ),
    ],
)
def test_bad_constructor_arguments(make, match):
    with pytest.raises(ValueError, match=match):
        make()
