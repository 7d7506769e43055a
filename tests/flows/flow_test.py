"""One generic test parametrized over every preset, as zuko does.

Each preset is built tiny, its weights are perturbed away from the identity
it starts at, and it must then pass: shapes, `inverse(forward(z)) == z`,
the log-det against an autodiff Jacobian, gradients reaching every weight,
the TFP bijector it hands out agreeing with its own maps, in 2D a density
that integrates to 1, and the shared save/load/export checks.
"""

import keras
import numpy as np
import pytest
import tensorflow as tf
from model_checks import run_generative_model_checks

from keras_gen import flows

TINY = {"num_layers": 2, "hidden_units": (16, 16)}
PRESETS = {
    "real_nvp": lambda shape, **kw: flows.RealNVP(shape, **TINY, **kw),
    "maf": lambda shape, **kw: flows.MAF(shape, **TINY, **kw),
    "spline": lambda shape, **kw: flows.NeuralSplineFlow(shape, **TINY, **kw),
    "glow": lambda shape, **kw: flows.Glow(
        shape, num_levels=2, num_layers=1, hidden_units=(8, 8), pixel_levels=17, **kw
    ),
}
SHAPES = {"real_nvp": (3,), "maf": (3,), "spline": (3,), "glow": (4, 4, 1)}
NUM_CLASSES = 3


def make_flow(preset, shape=None, perturb=0.0, **kwargs):
    keras.utils.set_random_seed(0)
    flow = PRESETS[preset](shape or SHAPES[preset], seed=1, **kwargs)
    if perturb:
        rng = np.random.default_rng(0)
        for v in flow.trainable_variables:
            v.assign(
                v.numpy() + perturb * rng.standard_normal(v.shape).astype("float32")
            )
    return flow


def make_data(preset, n=64, seed=0):
    rng = np.random.default_rng(seed)
    if preset == "glow":
        return (rng.integers(0, 17, (n, *SHAPES["glow"])) / 16).astype("float32")
    return rng.standard_normal((n, *SHAPES[preset])).astype("float32")


@pytest.fixture(params=[False, True], ids=["unconditional", "conditional"])
def conditional(request):
    return request.param


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_flow_properties(preset, conditional):
    kwargs = {"num_classes": NUM_CLASSES} if conditional else {}
    flow = make_flow(preset, perturb=0.2, **kwargs)
    x = tf.constant(make_data(preset, n=5))
    labels = tf.constant([0, 1, 2, 1, 0], tf.int32) if conditional else None

    # Shapes; `flow(x)` is `log_prob(x)`, in float32.
    assert isinstance(flow, flows.Flow)
    log_prob = flow(x, labels)
    assert log_prob.shape == (5,) and log_prob.dtype == tf.float32
    if conditional:
        other = flow(x, (labels + 1) % NUM_CLASSES)
        assert not np.allclose(log_prob, other), "the conditions change nothing"
    assert flow.latent_shape == flow.data_shape

    # inverse(forward(z)) == z, and the log-dets of the two directions agree.
    z = tf.random.stateless_normal((5, *flow.latent_shape), seed=[1, 2])
    x_of_z, forward_log_det = flow.forward_and_log_det(z, labels)
    assert x_of_z.shape == (5, *flow.data_shape)
    z_again, inverse_log_det = flow.inverse_and_log_det(x_of_z, labels)
    np.testing.assert_allclose(z_again, z, atol=1e-4)
    np.testing.assert_allclose(forward_log_det, -inverse_log_det, atol=1e-3, rtol=1e-4)

    # The log-det against an autodiff Jacobian.
    with tf.GradientTape() as tape:
        tape.watch(x)
        z_of_x, log_det = flow.inverse_and_log_det(x, labels)
        flat = tf.reshape(z_of_x, (5, -1))
    jacobian = tf.reshape(
        tape.batch_jacobian(flat, x), (5, flat.shape[1], flat.shape[1])
    )
    _, expected = tf.linalg.slogdet(jacobian)
    assert np.all(np.abs(np.asarray(log_det)) > 1e-3), "weights still at the identity"
    np.testing.assert_allclose(log_det, expected, atol=2e-3, rtol=1e-4)

    # The TFP bijector handed out agrees with the flow's own maps.
    bijector = flow.bijector(labels)
    np.testing.assert_allclose(bijector.inverse(x), z_of_x, atol=1e-5)
    tfp_log_det = bijector.inverse_log_det_jacobian(x, event_ndims=len(flow.data_shape))
    np.testing.assert_allclose(tfp_log_det, log_det, atol=1e-4, rtol=1e-5)
    np.testing.assert_allclose(bijector.forward(z), x_of_z, atol=1e-4)

    # Gradients of the likelihood reach every trainable weight.
    with tf.GradientTape() as tape:
        loss = -tf.reduce_mean(flow(x, labels))
    grads = tape.gradient(loss, flow.trainable_variables)
    names = [
        v.path
        for v, g in zip(flow.trainable_variables, grads, strict=True)
        if g is None or not np.any(np.asarray(tf.convert_to_tensor(g)))
    ]
    assert not names, f"no gradient reaches {names}"


@pytest.mark.parametrize("preset", ["real_nvp", "maf", "spline"])
def test_density_integrates_to_one_in_2d(preset):
    flow = make_flow(preset, shape=(2,), perturb=0.3)
    step = 0.04
    ticks = np.arange(-10.0, 10.0, step) + step / 2
    grid = np.stack(np.meshgrid(ticks, ticks), axis=-1).reshape(-1, 2).astype("float32")
    mass = float(np.sum(np.exp(np.asarray(flow.log_prob(grid)))) * step**2)
    assert abs(mass - 1.0) < 0.02, mass


def _endpoints(preset, conditions=None):
    x = make_data(preset, n=5, seed=3)

    def with_conditions(kwargs):
        return kwargs if conditions is None else {**kwargs, "conditions": conditions}

    def log_prob(model):
        return with_conditions({"x": x}), np.asarray(model.log_prob(x, conditions))

    def inverse(model):
        return with_conditions({"x": x}), np.asarray(model.inverse(x, conditions))

    def forward(model):
        z = np.random.default_rng(4).standard_normal((5, *model.latent_shape))
        z = z.astype("float32")
        return with_conditions({"z": z}), np.asarray(model.forward(z, conditions))

    return {"log_prob": log_prob, "inverse": inverse, "forward": forward}


def _compiled(preset, **kwargs):
    def make():
        flow = make_flow(preset, **kwargs)
        flow.compile(optimizer=keras.optimizers.Adam(1e-3))
        return flow

    return make


# Every preset goes through save/load and export once; two of them
# conditional (class ids and vectors), to keep the suite fast.
MODEL_CHECKS = {
    "real_nvp": ({}, None),
    "maf": ({"condition_shape": (2,)}, "vectors"),
    "spline": ({"num_classes": NUM_CLASSES}, "classes"),
    "glow": ({}, None),
}


def make_conditions(kind, n):
    if kind == "classes":
        return (np.arange(n) % NUM_CLASSES).astype("int32")
    return np.random.default_rng(1).standard_normal((n, 2)).astype("float32")


@pytest.mark.parametrize("preset", sorted(MODEL_CHECKS))
def test_model_checks(preset, tmp_path):
    kwargs, kind = MODEL_CHECKS[preset]
    conditions = None if kind is None else make_conditions(kind, 64)
    sample_conditions = None if kind is None else conditions[:5]
    model = run_generative_model_checks(
        _compiled(preset, **kwargs),
        make_data(preset, n=64),
        tmp_path,
        conditions=conditions,
        sample_conditions=sample_conditions,
        num_samples=5,
        extra_endpoints=_endpoints(preset, sample_conditions),
    )
    # `.keras` round-trip in safe mode: identical `log_prob` and seeded samples.
    path = tmp_path / "again.keras"
    model.save(path)
    reloaded = keras.saving.load_model(path, safe_mode=True)
    x = make_data(preset, n=5, seed=5)
    np.testing.assert_array_equal(
        reloaded.log_prob(x, sample_conditions), model.log_prob(x, sample_conditions)
    )
    np.testing.assert_array_equal(
        reloaded.sample(5, seed=3, conditions=sample_conditions),
        model.sample(5, seed=3, conditions=sample_conditions),
    )
    if kind is not None:
        # The conditions change the density, and one condition serves a batch.
        x = make_data(preset, n=5)
        a = model.log_prob(x, sample_conditions[0])
        b = model.log_prob(x, np.stack([sample_conditions[0]] * 5))
        np.testing.assert_allclose(a, b, rtol=1e-6)
        assert not np.allclose(a, model.log_prob(x, sample_conditions[1]))


def test_resumed_training_with_dequantization_is_bit_exact(tmp_path):
    """The dequantization noise continues from the saved seed state."""

    def make():
        keras.utils.set_random_seed(0)
        flow = flows.Flow((2,), [flows.AffineCoupling((8,))], pixel_levels=17, seed=3)
        flow.compile(optimizer=keras.optimizers.Adam(1e-2))
        return flow

    x = (np.random.default_rng(0).integers(0, 17, (64, 2)) / 16).astype("float32")
    straight = make()
    straight.fit(x, batch_size=32, epochs=2, shuffle=False, verbose=0)
    first = make()
    first.fit(x, batch_size=32, epochs=1, shuffle=False, verbose=0)
    first.save(tmp_path / "half.keras")
    resumed = keras.saving.load_model(tmp_path / "half.keras")
    history = resumed.fit(x, batch_size=32, epochs=1, shuffle=False, verbose=0)
    assert set(history.history) == {"loss", "bits_per_dim"}
    for a, b in zip(straight.get_weights(), resumed.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
