import keras
import numpy as np
import pytest

from keras_gen import networks

SHAPES = [(8, 8, 1), (28, 28, 1), (32, 32, 3)]


def _round_trip(model, inputs, tmp_path):
    path = tmp_path / f"{model.name}.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)  # safe_mode=True by default
    np.testing.assert_allclose(
        model(inputs, training=False), loaded(inputs, training=False), atol=1e-5
    )


@pytest.mark.parametrize("image_shape", SHAPES)
def test_unconditional_shapes(image_shape):
    g = networks.build_dcgan_generator(16, image_shape, base_filters=8)
    d = networks.build_dcgan_discriminator(image_shape, base_filters=8)
    assert g.input.name == "z"
    assert g.output_shape == (None, *image_shape)
    assert d.output_shape == (None, 1)
    z = np.random.default_rng(0).normal(size=(3, 16)).astype("float32")
    images = keras.ops.convert_to_numpy(g(z, training=False))
    assert images.shape == (3, *image_shape)
    # tanh output by default.
    assert images.min() >= -1.0 and images.max() <= 1.0
    assert tuple(d(images).shape) == (3, 1)


@pytest.mark.parametrize(
    "image_shape, grid, num_convs",
    [((8, 8, 1), (4, 4), 1), ((28, 28, 1), (7, 7), 2), ((32, 32, 3), (4, 4), 3)],
)
def test_architecture_follows_dcgan(image_shape, grid, num_convs):
    g = networks.build_dcgan_generator(16, image_shape, base_filters=8)
    assert g.get_layer("to_grid").output.shape[1:3] == grid
    ups = [
        layer for layer in g.layers if isinstance(layer, keras.layers.Conv2DTranspose)
    ]
    assert len(ups) == num_convs
    assert all(layer.strides == (2, 2) for layer in ups)
    assert ups[-1].filters == 8
    assert sum(isinstance(x, keras.layers.BatchNormalization) for x in g.layers) == (
        num_convs + 1
    )
    d = networks.build_dcgan_discriminator(image_shape, base_filters=8, dropout=0.3)
    convs = [layer for layer in d.layers if isinstance(layer, keras.layers.Conv2D)]
    assert [c.filters for c in convs] == [8 * 2**i for i in range(num_convs)]
    assert all(c.strides == (2, 2) for c in convs)
    assert sum(isinstance(x, keras.layers.LeakyReLU) for x in d.layers) == num_convs
    assert sum(isinstance(x, keras.layers.Dropout) for x in d.layers) == num_convs
    assert d.get_layer("logits").activation is keras.activations.linear


@pytest.mark.parametrize(
    "activation, low, high", [("sigmoid", 0.0, 1.0), (None, -np.inf, np.inf)]
)
def test_output_activation(activation, low, high):
    g = networks.build_dcgan_generator(
        4, (8, 8, 1), base_filters=4, output_activation=activation
    )
    assert g.get_layer("image").activation is keras.activations.get(activation)
    images = keras.ops.convert_to_numpy(g(np.ones((2, 4), "float32")))
    assert images.min() >= low and images.max() <= high


def test_non_square_images():
    g = networks.build_dcgan_generator(4, (12, 20, 2), base_filters=4)
    d = networks.build_dcgan_discriminator((12, 20, 2), base_filters=4)
    assert g.output_shape == (None, 12, 20, 2)
    assert tuple(d(np.zeros((1, 12, 20, 2), "float32")).shape) == (1, 1)


def test_conditional_generator_and_discriminator(tmp_path):
    g = networks.build_dcgan_generator(8, (8, 8, 1), num_classes=10, base_filters=8)
    d = networks.build_dcgan_discriminator((8, 8, 1), num_classes=10, base_filters=8)
    assert [i.name for i in g.inputs] == ["z", "labels"]
    assert [i.name for i in d.inputs] == ["x", "labels"]
    z = np.repeat(np.random.default_rng(0).normal(size=(1, 8)), 3, axis=0)
    labels = np.array([0, 5, 9], "int32")
    images = keras.ops.convert_to_numpy(g([z.astype("float32"), labels]))
    assert images.shape == (3, 8, 8, 1)
    assert not np.allclose(images[0], images[1])
    logits = d([images, labels])
    assert tuple(logits.shape) == (3, 1)
    _round_trip(g, [z.astype("float32"), labels], tmp_path)
    _round_trip(d, [images, labels], tmp_path)


def test_vector_conditions():
    d = networks.build_dcgan_discriminator((8, 8, 1), condition_shape=3, base_filters=4)
    x = np.zeros((2, 8, 8, 1), "float32")
    c = np.array([[0, 0, 0], [1, 2, 3]], "float32")
    logits = keras.ops.convert_to_numpy(d([x, c]))
    assert logits.shape == (2, 1) and logits[0, 0] != logits[1, 0]


def test_round_trip_28x28(tmp_path):
    g = networks.build_dcgan_generator(8, (28, 28, 1), base_filters=4)
    d = networks.build_dcgan_discriminator((28, 28, 1), base_filters=4)
    z = np.random.default_rng(0).normal(size=(2, 8)).astype("float32")
    _round_trip(g, z, tmp_path)
    _round_trip(d, g(z), tmp_path)
    config = keras.saving.serialize_keras_object(g)
    rebuilt = keras.saving.deserialize_keras_object(config)
    assert rebuilt.output_shape == (None, 28, 28, 1)
    assert rebuilt.count_params() == g.count_params()


@pytest.mark.parametrize(
    "bad", [(28, 28), (7, 7, 1), (6, 8, 1), (9, 9, 1), (8, 8, 0), 28, None]
)
def test_unsupported_image_shape_raises(bad):
    with pytest.raises(ValueError, match="image_shape"):
        networks.build_dcgan_generator(8, bad)
    with pytest.raises(ValueError, match="image_shape"):
        networks.build_dcgan_discriminator(bad)


def test_bad_sizes_raise():
    with pytest.raises(ValueError, match="latent_dim"):
        networks.build_dcgan_generator(0, (8, 8, 1))
    with pytest.raises(ValueError, match="base_filters"):
        networks.build_dcgan_discriminator((8, 8, 1), base_filters=0)
    with pytest.raises(ValueError, match="dropout"):
        networks.build_dcgan_discriminator((8, 8, 1), dropout=1.5)
    with pytest.raises(ValueError, match="num_classes"):
        networks.build_dcgan_generator(8, (8, 8, 1), num_classes=3, condition_shape=2)
