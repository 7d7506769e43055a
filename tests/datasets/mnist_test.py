import keras
import numpy as np
import pytest

from keras_gen import datasets
from keras_gen.datasets import DatasetDownloadError, load_mnist


def _fake_mnist(num_train=6, num_test=4):
    rng = np.random.default_rng(0)
    x_train = rng.integers(0, 256, size=(num_train, 28, 28), dtype=np.uint8)
    x_test = rng.integers(0, 256, size=(num_test, 28, 28), dtype=np.uint8)
    x_train[0, 0, 0], x_train[0, 0, 1] = 0, 255
    y_train = rng.integers(0, 10, size=num_train, dtype=np.uint8)
    y_test = rng.integers(0, 10, size=num_test, dtype=np.uint8)
    return (x_train, y_train), (x_test, y_test)


@pytest.fixture
def fake_load_data(monkeypatch):
    calls = []

    def load_data(path="mnist.npz"):
        calls.append(path)
        return _fake_mnist()

    monkeypatch.setattr(keras.datasets.mnist, "load_data", load_data)
    return calls


def test_offline_raises_clear_error(monkeypatch):
    def load_data(path="mnist.npz"):
        raise Exception("URL fetch failure on https://example.invalid: None")

    monkeypatch.setattr(keras.datasets.mnist, "load_data", load_data)
    with pytest.raises(DatasetDownloadError) as info:
        load_mnist()
    message = str(info.value)
    assert "download" in message
    assert "internet" in message
    assert "keras_gen.datasets.load_digits" in message
    assert "URL fetch failure" in message
    assert isinstance(info.value, RuntimeError)
    assert isinstance(info.value.__cause__, Exception)


def test_unit_scale(fake_load_data):
    (x_train, y_train), (x_test, y_test) = load_mnist()
    (raw_train, raw_y), (raw_test, _) = _fake_mnist()
    assert x_train.shape == (6, 28, 28, 1) and x_train.dtype == np.float32
    assert x_test.shape == (4, 28, 28, 1)
    assert y_train.dtype == np.int32 and y_test.shape == (4,)
    np.testing.assert_array_equal(y_train, raw_y)
    np.testing.assert_allclose(x_train[..., 0], raw_train / 255.0, atol=1e-6)
    np.testing.assert_allclose(x_test[..., 0], raw_test / 255.0, atol=1e-6)
    assert x_train.min() == 0.0 and x_train.max() == 1.0
    assert fake_load_data == ["mnist.npz"]


def test_tanh_scale_and_flatten(fake_load_data):
    (x_train, _), _ = load_mnist(scale="tanh", flatten=True)
    (raw_train, _), _ = _fake_mnist()
    assert x_train.shape == (6, 784) and x_train.dtype == np.float32
    assert x_train.min() == -1.0 and x_train.max() == 1.0
    np.testing.assert_allclose(
        x_train, raw_train.reshape(6, 784) / 127.5 - 1.0, atol=1e-6
    )


def test_binarize(fake_load_data):
    (x_train, _), (x_test, _) = load_mnist(binarize=True, threshold=0.5)
    (raw_train, _), _ = _fake_mnist()
    assert set(np.unique(x_train)) == {0.0, 1.0}
    np.testing.assert_array_equal(x_train[..., 0], raw_train / 255.0 >= 0.5)
    (signed, _), _ = load_mnist(binarize=True, scale="tanh")
    assert set(np.unique(signed)) == {-1.0, 1.0}


def test_path_is_passed_through(fake_load_data):
    load_mnist(path="my_mnist.npz")
    assert fake_load_data == ["my_mnist.npz"]


@pytest.mark.parametrize(
    "kwargs, name", [({"scale": "zero_one"}, "scale"), ({"threshold": 2}, "threshold")]
)
def test_bad_arguments_raise_before_download(fake_load_data, kwargs, name):
    with pytest.raises(ValueError, match=f"Received: {name}="):
        load_mnist(**kwargs)
    assert fake_load_data == []


def test_exported_from_package():
    assert datasets.load_mnist is load_mnist
    assert issubclass(datasets.DatasetDownloadError, RuntimeError)
