import keras
import numpy as np
import pytest

from keras_gen import networks


def _outputs(model, inputs):
    outputs = model(inputs, training=False)
    if isinstance(outputs, (list, tuple)):
        return [keras.ops.convert_to_numpy(o) for o in outputs]
    return [keras.ops.convert_to_numpy(outputs)]


def _assert_round_trip(model, inputs, tmp_path):
    path = tmp_path / f"{model.name}.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)  # safe_mode=True by default
    for a, b in zip(_outputs(model, inputs), _outputs(loaded, inputs), strict=True):
        np.testing.assert_allclose(a, b, atol=1e-6)
    config = keras.saving.serialize_keras_object(model)
    rebuilt = keras.saving.deserialize_keras_object(config)
    assert [o.shape for o in _outputs(rebuilt, inputs)] == [
        o.shape for o in _outputs(model, inputs)
    ]


@pytest.mark.parametrize(
    "input_shape, output_shape, expected",
    [
        (2, 2, (2,)),
        ((8, 8, 1), 10, (10,)),
        (5, (8, 8, 1), (8, 8, 1)),
        ((3,), (4, 6), (4, 6)),
    ],
)
def test_build_mlp_shapes(input_shape, output_shape, expected):
    model = networks.build_mlp(input_shape, output_shape, hidden_units=(16, 8))
    in_shape = (input_shape,) if isinstance(input_shape, int) else input_shape
    x = np.random.default_rng(0).normal(size=(3, *in_shape)).astype("float32")
    y = model(x)
    assert tuple(y.shape) == (3, *expected)
    assert model.output_shape == (None, *expected)
    hidden = [layer.units for layer in model.layers if layer.name.startswith("dense_")]
    assert hidden == [16, 8]


def test_build_mlp_output_activation_and_dropout():
    model = networks.build_mlp(4, 6, output_activation="sigmoid", dropout=0.5)
    x = np.random.default_rng(0).normal(size=(32, 4)).astype("float32") * 10
    y = keras.ops.convert_to_numpy(model(x))
    assert y.min() >= 0.0 and y.max() <= 1.0
    assert any(isinstance(layer, keras.layers.Dropout) for layer in model.layers)
    np.testing.assert_allclose(model(x, training=False), y, atol=1e-6)


def test_generator_and_discriminator(tmp_path):
    g = networks.build_mlp_generator(8, 2, hidden_units=(16,))
    d = networks.build_mlp_discriminator(2, hidden_units=(16,))
    assert g.input.name == "z" and g.name == "generator"
    assert g.input_shape == (None, 8) and g.output_shape == (None, 2)
    assert d.output_shape == (None, 1) and d.name == "discriminator"
    # Logits: no activation on the output layer.
    assert d.get_layer("output").activation is keras.activations.linear
    z = np.random.default_rng(1).normal(size=(5, 8)).astype("float32")
    assert tuple(d(g(z)).shape) == (5, 1)
    _assert_round_trip(g, z, tmp_path)
    _assert_round_trip(d, g(z), tmp_path)


def test_conditional_with_labels(tmp_path):
    g = networks.build_mlp_generator(4, (8, 8, 1), hidden_units=(16,), num_classes=10)
    assert [i.name for i in g.inputs] == ["z", "labels"]
    z = np.zeros((4, 4), "float32")
    labels = np.array([0, 1, 2, 3], "int32")
    images = keras.ops.convert_to_numpy(g([z, labels]))
    assert images.shape == (4, 8, 8, 1)
    # Same noise, different labels: different outputs.
    assert not np.allclose(images[0], images[1])
    # Labels of shape (batch, 1) give the same result.
    np.testing.assert_allclose(g([z, labels[:, None]]), images, atol=1e-6)
    _assert_round_trip(g, [z, labels], tmp_path)

    d = networks.build_mlp_discriminator((8, 8, 1), hidden_units=(16,), num_classes=10)
    assert tuple(d([images, labels]).shape) == (4, 1)
    assert d.predict([images, labels], verbose=0).shape == (4, 1)


def test_conditional_with_vectors(tmp_path):
    model = networks.build_mlp(3, 2, hidden_units=(8,), condition_shape=(2, 2))
    assert [i.name for i in model.inputs] == ["x", "conditions"]
    x = np.ones((2, 3), "float32")
    c = np.stack([np.zeros((2, 2)), np.ones((2, 2))]).astype("float32")
    y = keras.ops.convert_to_numpy(model([x, c]))
    assert y.shape == (2, 2) and not np.allclose(y[0], y[1])
    _assert_round_trip(model, [x, c], tmp_path)


def test_encoder_and_decoder(tmp_path):
    encoder = networks.build_mlp_encoder(
        (8, 8, 1), 3, hidden_units=(16,), num_classes=4
    )
    assert encoder.output_shape == [(None, 3), (None, 3)]
    assert encoder.output_names == ["mean", "log_var"]
    x = np.random.default_rng(0).random((6, 8, 8, 1)).astype("float32")
    labels = np.arange(6, dtype="int32") % 4
    mean, log_var = encoder([x, labels])
    assert tuple(mean.shape) == (6, 3) and tuple(log_var.shape) == (6, 3)
    _assert_round_trip(encoder, [x, labels], tmp_path)

    decoder = networks.build_mlp_decoder(3, (8, 8, 1), hidden_units=(16,))
    assert decoder.input.name == "z" and decoder.output_shape == (None, 8, 8, 1)
    logits = keras.ops.convert_to_numpy(decoder(mean))
    assert logits.shape == (6, 8, 8, 1)
    assert logits.min() < 0.0  # linear output: logits, not probabilities

    vector_encoder = networks.build_mlp_encoder(2, 2, condition_shape=5)
    assert [i.shape for i in vector_encoder.inputs] == [(None, 2), (None, 5)]


@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"input_shape": 0, "output_shape": 2}, "input_shape"),
        ({"input_shape": (2, -1), "output_shape": 2}, "input_shape"),
        ({"input_shape": 2, "output_shape": ()}, "output_shape"),
        ({"input_shape": 2, "output_shape": 2.5}, "output_shape"),
        ({"input_shape": 2, "output_shape": 2, "hidden_units": (8, 0)}, "hidden_units"),
        ({"input_shape": 2, "output_shape": 2, "num_classes": 0}, "num_classes"),
        ({"input_shape": 2, "output_shape": 2, "dropout": 1.0}, "dropout"),
        (
            {
                "input_shape": 2,
                "output_shape": 2,
                "num_classes": 3,
                "condition_shape": 2,
            },
            "condition_shape",
        ),
    ],
)
def test_bad_arguments_raise(kwargs, name):
    with pytest.raises(ValueError, match=f"{name}="):
        networks.build_mlp(**kwargs)


def test_bad_latent_dim_raises():
    with pytest.raises(ValueError, match="latent_dim"):
        networks.build_mlp_generator(0, 2)
    with pytest.raises(ValueError, match="latent_dim"):
        networks.build_mlp_encoder(2, -1)
