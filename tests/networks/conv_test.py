import keras
import numpy as np
import pytest

from keras_gen import networks

SHAPES = [(8, 8, 1), (28, 28, 1), (32, 32, 3)]


@pytest.mark.parametrize("image_shape", SHAPES)
def test_encoder_decoder_shapes(image_shape):
    encoder = networks.build_conv_encoder(
        image_shape, 4, base_filters=4, hidden_units=8
    )
    decoder = networks.build_conv_decoder(4, image_shape, base_filters=4)
    assert encoder.output_shape == [(None, 4), (None, 4)]
    assert encoder.output_names == ["mean", "log_var"]
    assert decoder.input.name == "z"
    assert decoder.output_shape == (None, *image_shape)
    x = np.random.default_rng(0).random((2, *image_shape)).astype("float32")
    mean, log_var = encoder(x)
    assert tuple(mean.shape) == (2, 4) and tuple(log_var.shape) == (2, 4)
    out = keras.ops.convert_to_numpy(decoder(mean))
    assert out.shape == (2, *image_shape)
    # Logits by default: the last layer is linear.
    assert decoder.get_layer("image").activation is keras.activations.linear


def test_decoder_output_activation():
    decoder = networks.build_conv_decoder(
        2, (8, 8, 1), base_filters=4, output_activation="sigmoid"
    )
    out = keras.ops.convert_to_numpy(decoder(np.full((3, 2), 5.0, "float32")))
    assert out.min() >= 0.0 and out.max() <= 1.0


def test_conditional_round_trip(tmp_path):
    encoder = networks.build_conv_encoder(
        (28, 28, 1), 3, num_classes=10, base_filters=4, hidden_units=8
    )
    decoder = networks.build_conv_decoder(
        3, (28, 28, 1), num_classes=10, base_filters=4
    )
    assert [i.name for i in encoder.inputs] == ["x", "labels"]
    assert [i.name for i in decoder.inputs] == ["z", "labels"]
    x = np.random.default_rng(0).random((2, 28, 28, 1)).astype("float32")
    labels = np.array([3, 7], "int32")
    mean, _ = encoder([x, labels])
    z = np.zeros((2, 3), "float32")
    out = keras.ops.convert_to_numpy(decoder([z, labels]))
    assert out.shape == (2, 28, 28, 1) and not np.allclose(out[0], out[1])

    for model, inputs in [(encoder, [x, labels]), (decoder, [z, labels])]:
        path = tmp_path / f"{model.name}.keras"
        model.save(path)
        loaded = keras.saving.load_model(path)
        expected = keras.tree.flatten(model(inputs))
        actual = keras.tree.flatten(loaded(inputs))
        for a, b in zip(expected, actual, strict=True):
            np.testing.assert_allclose(a, b, atol=1e-5)


def test_vector_conditions_serialize():
    encoder = networks.build_conv_encoder(
        (8, 8, 1), 2, condition_shape=5, base_filters=4
    )
    assert [i.shape for i in encoder.inputs] == [(None, 8, 8, 1), (None, 5)]
    rebuilt = keras.saving.deserialize_keras_object(
        keras.saving.serialize_keras_object(encoder)
    )
    assert rebuilt.output_shape == [(None, 2), (None, 2)]
    assert rebuilt.count_params() == encoder.count_params()


@pytest.mark.parametrize("bad", [(28, 28), (4, 4, 1), (32, 31, 3), "28x28"])
def test_unsupported_image_shape_raises(bad):
    with pytest.raises(ValueError, match="Received: image_shape="):
        networks.build_conv_encoder(bad, 2)
    with pytest.raises(ValueError, match="Received: image_shape="):
        networks.build_conv_decoder(2, bad)


def test_bad_sizes_raise():
    with pytest.raises(ValueError, match="latent_dim"):
        networks.build_conv_encoder((8, 8, 1), 0)
    with pytest.raises(ValueError, match="latent_dim"):
        networks.build_conv_decoder(-2, (8, 8, 1))
    with pytest.raises(ValueError, match="hidden_units"):
        networks.build_conv_encoder((8, 8, 1), 2, hidden_units=0)
