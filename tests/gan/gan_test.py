import keras
import numpy as np
import pytest
from model_checks import run_generative_model_checks

import keras_gen

LATENT = 4


def make_generator(num_classes=None, latent=LATENT):
    z = keras.Input((latent,), name="z")
    h = z
    inputs = [z]
    if num_classes:
        c = keras.Input((1,), dtype="int32", name="conditions")
        inputs.append(c)
        e = keras.layers.Flatten()(keras.layers.Embedding(num_classes, 4)(c))
        h = keras.layers.Concatenate()([z, e])
    h = keras.layers.Dense(16, activation="relu")(h)
    out = keras.layers.Dense(2)(h)
    return keras.Model(inputs if num_classes else z, out)


def make_discriminator(num_classes=None, data_shape=(2,)):
    x = keras.Input(data_shape, name="x")
    h = keras.layers.Flatten()(x)
    inputs = [x]
    if num_classes:
        c = keras.Input((1,), dtype="int32", name="conditions")
        inputs.append(c)
        e = keras.layers.Flatten()(keras.layers.Embedding(num_classes, 4)(c))
        h = keras.layers.Concatenate()([h, e])
    h = keras.layers.Dense(16, activation="relu")(h)
    return keras.Model(inputs if num_classes else x, keras.layers.Dense(1)(h))


def make_gan(**kwargs):
    num_classes = kwargs.pop("num_classes", None)
    keras.utils.set_random_seed(0)
    gan = keras_gen.GAN(
        make_generator(num_classes), make_discriminator(num_classes), seed=1, **kwargs
    )
    gan.compile(generator_optimizer="adam", discriminator_optimizer="adam")
    return gan


def data(n=128):
    return keras_gen_ring(n)


def keras_gen_ring(n):
    rng = np.random.default_rng(0)
    angles = rng.integers(0, 8, n) * (2 * np.pi / 8)
    return (2 * np.stack([np.cos(angles), np.sin(angles)], 1)).astype("float32")


def generate_endpoint(model):
    z = np.random.default_rng(3).normal(size=(5, LATENT)).astype("float32")
    return {"z": z}, np.asarray(model.generate(z))


def test_generic_model_checks(tmp_path):
    run_generative_model_checks(
        lambda: make_gan(ema_decay=0.5),
        data(),
        tmp_path,
        optimizer_attrs=("generator_optimizer", "discriminator_optimizer"),
        extra_endpoints={"generate": generate_endpoint},
    )


def test_conditional_model_checks(tmp_path):
    labels = np.arange(128) % 3

    def generate_conditional(model):
        z = np.random.default_rng(3).normal(size=(4, LATENT)).astype("float32")
        c = np.array([[0], [1], [2], [1]], "int32")
        return {"z": z, "conditions": c}, np.asarray(model.generate(z, c))

    model = run_generative_model_checks(
        lambda: make_gan(num_classes=3),
        data(),
        tmp_path,
        conditions=labels,
        sample_conditions=np.array([0, 1, 2, 0, 1, 2]),
        optimizer_attrs=("generator_optimizer", "discriminator_optimizer"),
        extra_endpoints={"generate": generate_conditional},
    )
    # A single class id is broadcast to every sample.
    assert model.sample(4, seed=1, conditions=2).shape == (4, 2)
    np.testing.assert_array_equal(
        model.sample(4, seed=1, conditions=2),
        model.sample(4, seed=1, conditions=[2] * 4),
    )


@pytest.mark.parametrize(
    "loss", ["non_saturating", "minimax", "wasserstein", "hinge", "least_squares"]
)
def test_every_loss_trains(loss):
    gan = make_gan(loss=loss)
    before = [w.copy() for w in gan.generator.get_weights()]
    history = gan.fit(data(), batch_size=32, epochs=1, verbose=0).history
    assert set(history) == {"discriminator_loss", "generator_loss"}
    assert all(np.isfinite(v).all() for v in history.values())
    after = gan.generator.get_weights()
    assert any(not np.allclose(a, b) for a, b in zip(before, after, strict=True))


@pytest.mark.parametrize(
    "kwargs, logged",
    [
        ({"loss": "wasserstein", "gradient_penalty": 10.0}, "gradient_penalty"),
        ({"r1_penalty": 1.0}, "r1_penalty"),
        (
            {
                "loss": "hinge",
                "gradient_penalty": 1.0,
                "r1_penalty": 1.0,
                "discriminator_steps": 2,
            },
            None,
        ),
    ],
)
def test_penalties_train_and_are_logged(kwargs, logged):
    gan = make_gan(**kwargs)
    history = gan.fit(data(), batch_size=32, epochs=1, verbose=0).history
    if logged:
        assert logged in history
        assert history[logged][0] > 0
    assert all(np.isfinite(v).all() for v in history.values())
    steps = kwargs.get("discriminator_steps", 1)
    assert int(gan.discriminator_optimizer.iterations) == steps * int(
        gan.generator_optimizer.iterations
    )


def test_generator_never_sees_real_data():
    """The generator's update is the same whatever the real batch holds."""
    x = data()
    results = []
    for real in (x, x + 100.0):
        gan = make_gan(loss="wasserstein")
        gan.discriminator.trainable = False  # freeze D so only real data differs
        gan.compile(
            generator_optimizer=keras.optimizers.SGD(0.1),
            discriminator_optimizer=keras.optimizers.SGD(0.0),
        )
        gan.fit(real, batch_size=128, epochs=1, verbose=0, shuffle=False)
        results.append(gan.generator.get_weights())
    for a, b in zip(*results, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-6)


def test_ema_generator_is_used_for_sampling():
    gan = make_gan(ema_decay=0.9)
    gan.fit(data(), batch_size=32, epochs=1, verbose=0)
    z = np.zeros((3, LATENT), "float32")
    raw = np.asarray(gan.generator(z))
    averaged = np.asarray(gan.generate(z))
    np.testing.assert_allclose(averaged, np.asarray(gan.ema_generator(z)))
    assert not np.allclose(raw, averaged)
    # EMA weights after one step from equal weights: 0.9 * w0 + 0.1 * w1.
    gan2 = make_gan(ema_decay=0.9)
    w0 = gan2.generator.get_weights()
    gan2.fit(data()[:32], batch_size=32, epochs=1, verbose=0)
    w1 = gan2.generator.get_weights()
    for e, a, b in zip(gan2.ema_generator.get_weights(), w0, w1, strict=True):
        np.testing.assert_allclose(e, 0.9 * a + 0.1 * b, rtol=1e-5, atol=1e-7)


def test_evaluate_runs_both_networks_in_inference_mode():
    z = keras.Input((LATENT,))
    h = keras.layers.BatchNormalization()(keras.layers.Dense(16)(z))
    generator = keras.Model(z, keras.layers.Dense(2)(h))
    x_in = keras.Input((2,))
    h = keras.layers.Dropout(0.5)(keras.layers.Dense(16, activation="relu")(x_in))
    discriminator = keras.Model(x_in, keras.layers.Dense(1)(h))
    gan = keras_gen.GAN(generator, discriminator, r1_penalty=1.0, seed=1)
    gan.compile()
    before = [w.copy() for w in gan.get_weights()]
    seed_state = gan.seed_generator.state.numpy().copy()
    first = gan.evaluate(data(), batch_size=64, verbose=0, return_dict=True)
    # BatchNorm's moving statistics are untouched and Dropout is off: the
    # discriminator's loss on the same noise (same seed state) is the same.
    for a, b in zip(before, gan.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    gan.seed_generator.state.assign(seed_state)
    second = gan.evaluate(data(), batch_size=64, verbose=0, return_dict=True)
    assert first == second


def test_resume_after_reload_is_bit_exact(tmp_path):
    x = data()
    straight = make_gan(gradient_penalty=1.0)
    straight.fit(x, batch_size=32, epochs=2, verbose=0, shuffle=False)

    first = make_gan(gradient_penalty=1.0)
    first.fit(x, batch_size=32, epochs=1, verbose=0, shuffle=False)
    path = tmp_path / "half.keras"
    first.save(path)
    resumed = keras.saving.load_model(path)
    resumed.fit(x, batch_size=32, epochs=1, verbose=0, shuffle=False)
    for a, b in zip(straight.get_weights(), resumed.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(
        straight.seed_generator.state.numpy(), resumed.seed_generator.state.numpy()
    )


def test_latent_dim_and_shapes():
    gan = make_gan()
    assert gan.latent_dim == LATENT
    assert gan.data_shape == (2,)
    assert gan.condition_spec is None
    assert make_gan(num_classes=3).is_conditional
