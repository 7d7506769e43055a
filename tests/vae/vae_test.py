from functools import partial

import keras
import numpy as np
import pytest
import tensorflow as tf
from model_checks import run_generative_model_checks
from scipy import stats

import keras_gen
from keras_gen.vae import VAE, kl_diagonal_normal

DATA, LATENT = 6, 2


def make_encoder(num_classes=None, data=DATA, latent=LATENT):
    x = keras.Input((data,), name="x")
    h, inputs = x, [x]
    if num_classes:
        c = keras.Input((), dtype="int32", name="labels")
        inputs.append(c)
        h = keras.layers.Concatenate()([x, keras.layers.Embedding(num_classes, 3)(c)])
    h = keras.layers.Dense(16, activation="tanh")(h)
    outputs = [keras.layers.Dense(latent)(h), keras.layers.Dense(latent)(h)]
    return keras.Model(inputs if num_classes else x, outputs)


def make_decoder(num_classes=None, data=DATA, latent=LATENT):
    z = keras.Input((latent,), name="z")
    h, inputs = z, [z]
    if num_classes:
        c = keras.Input((), dtype="int32", name="labels")
        inputs.append(c)
        h = keras.layers.Concatenate()([z, keras.layers.Embedding(num_classes, 3)(c)])
    h = keras.layers.Dense(16, activation="tanh")(h)
    return keras.Model(inputs if num_classes else z, keras.layers.Dense(data)(h))


def make_vae(num_classes=None, optimizer="adam", **kwargs):
    keras.utils.set_random_seed(0)
    vae = VAE(make_encoder(num_classes), make_decoder(num_classes), seed=1, **kwargs)
    vae.compile(optimizer=optimizer)
    return vae


def binary_data(n=128):
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 3, n)
    probs = np.stack(
        [np.linspace(0.1, 0.9, DATA), np.full(DATA, 0.5), np.linspace(0.9, 0.1, DATA)]
    )
    return (rng.random((n, DATA)) < probs[labels]).astype("float32"), labels.astype(
        "int32"
    )


def endpoints(conditions=None):
    x, _ = binary_data(5)
    z = np.random.default_rng(3).normal(size=(5, LATENT)).astype("float32")
    extra = {} if conditions is None else {"conditions": conditions}

    def encode(model):
        return {"x": x, **extra}, list(model.encode(x, conditions))

    def decode(model):
        return {"z": z, **extra}, np.asarray(model.decode(z, conditions))

    def log_prob(model):
        kwargs = {
            "x": x,
            "num_samples": np.int32(70),
            "seed": np.int32([4, 5]),
            **extra,
        }
        return kwargs, np.asarray(
            model.log_prob(x, 70, seed=[4, 5], conditions=conditions)
        )

    return {"encode": encode, "decode": decode, "log_prob": log_prob}


def test_generic_model_checks(tmp_path):
    run_generative_model_checks(
        make_vae, binary_data()[0], tmp_path, extra_endpoints=endpoints()
    )


def test_conditional_gaussian_iwae_model_checks(tmp_path):
    """A conditional VAE with a learned Gaussian scale, trained on the IWAE bound."""
    x, labels = binary_data()
    c = np.array([0, 1, 2, 2, 1], "int32")
    model = run_generative_model_checks(
        lambda: make_vae(
            num_classes=3,
            likelihood="gaussian",
            gaussian_scale="learned",
            importance_samples=3,
        ),
        x,
        tmp_path,
        conditions=labels,
        sample_conditions=np.array([0, 1, 2, 0, 1, 2]),
        extra_endpoints=endpoints(conditions=c),
    )
    assert float(model.log_gaussian_scale.numpy()) != 0.0  # the scale was trained
    # Decoding depends on the condition; a single class id is broadcast.
    z = np.zeros((1, LATENT), "float32")
    assert not np.allclose(model.decode(z, [0]), model.decode(z, [2]))
    np.testing.assert_array_equal(
        model.sample(4, seed=1, conditions=2),
        model.sample(4, seed=1, conditions=[2] * 4),
    )
    with pytest.raises(ValueError, match="conditions"):
        model.fit(x, batch_size=32, verbose=0)
    with pytest.raises(ValueError, match="conditions"):
        model.log_prob(x[:3])


def test_keras_round_trip_keeps_encodings_log_prob_and_learned_scale(tmp_path):
    x = np.random.default_rng(0).normal(size=(64, DATA)).astype("float32")
    vae = make_vae(likelihood="gaussian", gaussian_scale="learned", kl_warmup_steps=5)
    vae.fit(x, batch_size=32, epochs=2, verbose=0)
    vae.save(tmp_path / "vae.keras")
    loaded = keras.saving.load_model(tmp_path / "vae.keras")
    for a, b in zip(vae.encode(x), loaded.encode(x), strict=True):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(
        vae.log_prob(x, 50, seed=3), loaded.log_prob(x, 50, seed=3)
    )
    np.testing.assert_array_equal(
        vae.log_gaussian_scale.numpy(), loaded.log_gaussian_scale.numpy()
    )
    assert float(loaded.kl_weight()) == pytest.approx(float(vae.kl_weight()))
    # Resumed training is bit-exact (optimizer and noise state are restored).
    vae.fit(x, batch_size=32, epochs=1, verbose=0, shuffle=False)
    loaded.fit(x, batch_size=32, epochs=1, verbose=0, shuffle=False)
    for a, b in zip(vae.get_weights(), loaded.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


def test_logged_kl_is_the_closed_form():
    x, _ = binary_data(64)
    # Evaluation uses the full KL weight, even at the start of a warm-up.
    vae = make_vae(kl_warmup_steps=50)
    logs = vae.evaluate(x, batch_size=64, verbose=0, return_dict=True)
    assert set(logs) == {"loss", "reconstruction_loss", "kl_loss"}
    mean, log_var = vae.encode(x)
    np.testing.assert_allclose(
        logs["kl_loss"], np.mean(kl_diagonal_normal(mean, log_var)), rtol=1e-5
    )
    np.testing.assert_allclose(
        logs["loss"], logs["reconstruction_loss"] + logs["kl_loss"], rtol=1e-5
    )


def linear_gaussian_vae(importance_samples=1):
    """x = W z + b + N(0, s^2 I), with an encoder set to the exact posterior."""
    rng = np.random.default_rng(1)
    q, _ = np.linalg.qr(rng.normal(size=(4, 2)))
    w = q * np.array([1.5, 0.7])  # orthogonal columns: a diagonal posterior
    b, s = rng.normal(size=4), 0.5
    cov = np.linalg.inv(np.eye(2) + w.T @ w / s**2)  # diagonal
    a = cov @ w.T / s**2  # posterior mean = a (x - b)
    x_in = keras.Input((4,))
    mean = keras.layers.Dense(2, name="mean")(x_in)
    log_var = keras.layers.Dense(2, name="log_var")(x_in)
    encoder = keras.Model(x_in, [mean, log_var])
    encoder.get_layer("mean").set_weights([a.T, -a @ b])
    encoder.get_layer("log_var").set_weights([np.zeros((4, 2)), np.log(np.diag(cov))])
    z_in = keras.Input((2,))
    dense = keras.layers.Dense(4)
    decoder = keras.Model(z_in, dense(z_in))
    dense.set_weights([w.T, b])
    vae = VAE(
        encoder,
        decoder,
        likelihood="gaussian",
        gaussian_scale=s,
        importance_samples=importance_samples,
        seed=0,
    )
    x = rng.multivariate_normal(b, w @ w.T + s**2 * np.eye(4), size=50).astype(
        "float32"
    )
    true_log_px = stats.multivariate_normal(b, w @ w.T + s**2 * np.eye(4)).logpdf(x)
    return vae, x, true_log_px


@pytest.mark.parametrize("num_samples", [1, 7, 200])
def test_log_prob_with_exact_posterior_equals_true_marginal(num_samples):
    vae, x, true_log_px = linear_gaussian_vae()
    np.testing.assert_allclose(
        vae.log_prob(x, num_samples=num_samples), true_log_px, atol=2e-4
    )


def test_iwae_loss_with_exact_posterior_is_the_true_marginal():
    vae, x, true_log_px = linear_gaussian_vae(importance_samples=5)
    vae.compile(optimizer="sgd")
    logs = vae.evaluate(x, batch_size=50, verbose=0, return_dict=True)
    np.testing.assert_allclose(logs["loss"], -np.mean(true_log_px), rtol=1e-5)


def test_log_prob_grows_with_num_samples():
    x, _ = binary_data(200)
    vae = make_vae()
    means = [
        np.mean([np.mean(vae.log_prob(x, k, seed=s)) for s in range(3)])
        for k in (1, 10, 100)
    ]
    assert means[0] < means[1] < means[2], means
    assert means[1] - means[0] > 0.05, means
    # Seeded estimates are reproducible; fresh ones differ.
    np.testing.assert_array_equal(
        vae.log_prob(x, 5, seed=2), vae.log_prob(x, 5, seed=2)
    )
    assert not np.allclose(vae.log_prob(x, 5), vae.log_prob(x, 5))


def test_seeded_log_prob_of_a_prefix_is_the_prefix_of_log_prob():
    x, _ = binary_data(70)
    vae = make_vae()
    full = np.asarray(vae.log_prob(x, 10, seed=3))
    for m in (1, 33, 40):
        np.testing.assert_array_equal(vae.log_prob(x[:m], 10, seed=3), full[:m])


def test_kl_warmup_is_linear():
    x, _ = binary_data(32)
    vae = make_vae(optimizer=keras.optimizers.SGD(0.0), beta=0.5, kl_warmup_steps=4)
    history = vae.fit(x, batch_size=32, epochs=6, verbose=0).history
    weights = (np.array(history["loss"]) - history["reconstruction_loss"]) / history[
        "kl_loss"
    ]
    np.testing.assert_allclose(
        weights, 0.5 * np.minimum(1, np.arange(6) / 4), atol=1e-4
    )
    assert float(vae.kl_weight()) == 0.5


def test_training_lowers_the_loss_on_a_tf_data_pipeline():
    x, _ = binary_data(256)
    vae = make_vae(optimizer=keras.optimizers.Adam(0.01))
    dataset = tf.data.Dataset.from_tensor_slices(x).batch(64)  # bare tensors
    history = vae.fit(dataset, epochs=8, shuffle=False, verbose=0).history
    assert history["loss"][-1] < history["loss"][0] - 0.2


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"likelihood": "poisson"}, "likelihood"),
        ({"likelihood": None}, "likelihood"),
        ({"beta": -1.0}, "beta"),
        ({"kl_warmup_steps": -2}, "kl_warmup_steps"),
        ({"importance_samples": 0}, "importance_samples"),
        ({"gaussian_scale": 0.0, "likelihood": "gaussian"}, "gaussian_scale"),
        (
            {"gaussian_scale": "learnt", "likelihood": "gaussian"},
            r"positive number or 'learned'. Received: gaussian_scale='learnt'",
        ),
        ({"gaussian_scale": float("nan")}, r"Received: gaussian_scale=nan"),
    ],
)
def test_bad_hyperparameters(kwargs, match):
    with pytest.raises(ValueError, match=match):
        VAE(make_encoder(), make_decoder(), **kwargs)


def test_bad_networks():
    x = keras.Input((DATA,))
    one_output = keras.Model(x, keras.layers.Dense(LATENT)(x))
    unequal = keras.Model(
        x, [keras.layers.Dense(LATENT)(x), keras.layers.Dense(LATENT + 1)(x)]
    )
    with pytest.raises(
        ValueError, match="`encoder` must return two tensors of equal shape"
    ):
        VAE(one_output, make_decoder())
    with pytest.raises(
        ValueError, match="`encoder` must return two tensors of equal shape"
    ):
        VAE(unequal, make_decoder())
    with pytest.raises(
        ValueError, match="`decoder` must return one tensor of the data's shape"
    ):
        VAE(make_encoder(), make_decoder(data=DATA + 1))
    with pytest.raises(ValueError, match="`decoder` must take latent codes"):
        VAE(make_encoder(), make_decoder(latent=LATENT + 1))
    with pytest.raises(ValueError, match="`encoder` and `decoder` must both take"):
        VAE(make_encoder(num_classes=3), make_decoder())


def test_bernoulli_data_outside_unit_interval():
    x, _ = binary_data(64)
    vae = make_vae()
    before = [w.copy() for w in vae.get_weights()]
    seed_state = vae.seed_generator.state.numpy().copy()
    for bad in (x * 2.0, x - 0.5):
        with pytest.raises(ValueError, match=r"`x` must be in \[0, 1\]"):
            vae.fit(bad, batch_size=32, verbose=0)
        with pytest.raises(ValueError, match=r"`x` must be in \[0, 1\]"):
            vae.log_prob(bad)
    with pytest.raises(ValueError, match=r"`x` must be in \[0, 1\]"):
        vae.evaluate(x * 255.0, verbose=0)
    # A tf.data pipeline is checked in the graph, before the update: no
    # weight, no optimizer step (hence no KL warm-up) and no noise is used up.
    bad = tf.data.Dataset.from_tensor_slices(x * 2.0).batch(32)
    for run in (partial(vae.fit, shuffle=False), vae.evaluate):
        with pytest.raises(
            tf.errors.InvalidArgumentError, match=r"`x` must be in \[0, 1\]"
        ):
            run(bad, verbose=0)
    for a, b in zip(before, vae.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    assert int(vae.optimizer.iterations) == 0
    np.testing.assert_array_equal(vae.seed_generator.state.numpy(), seed_state)
    with pytest.raises(ValueError, match="x"):
        vae.fit(np.zeros((8, DATA + 1), "float32"), verbose=0)
    with pytest.raises(ValueError, match="loss"):
        vae.compile(optimizer="adam", loss="mse")
    with pytest.raises(ValueError, match="num_samples"):
        vae.log_prob(x, num_samples=0)
    with pytest.raises(ValueError, match="z"):
        vae.decode(np.zeros((2, LATENT + 1)))


@pytest.mark.parametrize("shape", [(28, 28, 1), (32, 32, 3)])
def test_conv_builders_fit_the_vae(shape):
    encoder = keras_gen.networks.build_conv_encoder(
        shape, latent_dim=4, base_filters=4, hidden_units=8
    )
    decoder = keras_gen.networks.build_conv_decoder(4, shape, base_filters=4)
    vae = VAE(encoder, decoder, likelihood="gaussian", seed=0)
    x = np.random.default_rng(0).random((4, *shape)).astype("float32")
    assert vae.sample(2, seed=0).shape == (2, *shape)
    assert vae.reconstruct(x[:2]).shape == (2, *shape)
    assert vae.log_prob(x[:3], num_samples=4, seed=0).shape == (3,)
    if shape == (28, 28, 1):
        vae.compile()
        assert np.isfinite(vae.fit(x, batch_size=4, verbose=0).history["loss"][0])


def test_mlp_builders_fit_the_conditional_vae():
    encoder = keras_gen.networks.build_mlp_encoder(
        (8, 8, 1), 3, hidden_units=(8,), num_classes=10
    )
    decoder = keras_gen.networks.build_mlp_decoder(
        3, (8, 8, 1), hidden_units=(8,), num_classes=10
    )
    vae = VAE(encoder, decoder, seed=0)
    vae.compile()
    (x, y), _, _ = keras_gen.datasets.load_digits(binarize=True, split=(64, 0, 0))
    vae.fit(x, y, batch_size=32, verbose=0)
    assert vae.latent_dim == 3 and vae.data_shape == (8, 8, 1)
    assert vae.sample(10, seed=0, conditions=np.arange(10)).shape == (10, 8, 8, 1)
    assert vae.log_prob(x[:4], 3, conditions=y[:4]).shape == (4,)
