import builtins

import numpy as np
import pytest

from keras_gen.datasets import load_digits


def test_default_images_and_labels():
    x, y = load_digits()
    assert x.shape == (1797, 8, 8, 1) and x.dtype == np.float32
    assert y.shape == (1797,) and y.dtype == np.int32
    assert x.min() == 0.0 and x.max() == 1.0
    # Raw pixels are integers 0..16 divided by 16.
    np.testing.assert_allclose(x * 16, np.round(x * 16), atol=1e-5)
    assert set(np.unique(y)) == set(range(10))


def test_matches_sklearn_pixels():
    from sklearn.datasets import load_digits as sk_load_digits

    raw = sk_load_digits()
    x, y = load_digits(flatten=True)
    assert x.shape == (1797, 64)
    np.testing.assert_allclose(x, raw.data / 16.0, atol=1e-6)
    np.testing.assert_array_equal(y, raw.target)


def test_tanh_scale():
    unit, _ = load_digits()
    x, _ = load_digits(scale="tanh")
    assert x.min() == -1.0 and x.max() == 1.0
    np.testing.assert_allclose(x, 2 * unit - 1, atol=1e-6)


def test_binarize_uses_raw_threshold():
    unit, _ = load_digits(flatten=True)
    x, _ = load_digits(binarize=True, flatten=True)
    assert set(np.unique(x)) == {0.0, 1.0}
    np.testing.assert_array_equal(x, (unit * 16 >= 8).astype("float32"))
    low, _ = load_digits(binarize=True, threshold=1, flatten=True)
    assert low.mean() > x.mean()
    signed, _ = load_digits(binarize=True, scale="tanh", flatten=True)
    assert set(np.unique(signed)) == {-1.0, 1.0}


def test_split_is_disjoint_and_seeded():
    train, val, test = load_digits(split=(1000, 350, 447), flatten=True)
    assert [len(part[0]) for part in (train, val, test)] == [1000, 350, 447]
    assert [len(part[1]) for part in (train, val, test)] == [1000, 350, 447]
    all_x, _ = load_digits(flatten=True)
    # Together the three parts are a permutation of the whole set.
    joined = np.concatenate([train[0], val[0], test[0]])
    np.testing.assert_array_equal(
        np.sort(joined.view("V256").ravel()), np.sort(all_x.view("V256").ravel())
    )
    again = load_digits(split=(1000, 350, 447), flatten=True)
    np.testing.assert_array_equal(again[0][0], train[0])
    np.testing.assert_array_equal(again[2][1], test[1])
    other = load_digits(split=(1000, 350, 447), flatten=True, seed=1)
    assert not np.array_equal(other[0][1], train[1])


def test_split_smaller_than_dataset():
    train, val, test = load_digits(split=(10, 0, 5))
    assert train[0].shape == (10, 8, 8, 1)
    assert val[0].shape == (0, 8, 8, 1)
    assert test[1].shape == (5,)


@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"split": (1000, 1000, 1000)}, "split"),
        ({"split": (10, 10)}, "split"),
        ({"split": (10, -1, 10)}, "split"),
        ({"split": (10.0, 1, 1)}, "split"),
        ({"scale": "minus_one"}, "scale"),
        ({"threshold": 17}, "threshold"),
    ],
)
def test_bad_arguments_raise(kwargs, name):
    with pytest.raises(ValueError, match=f"`{name}`.*Received: {name}="):
        load_digits(**kwargs)


def test_missing_sklearn_raises_helpful_import_error(monkeypatch):
    real_import = builtins.__import__

    def fake_import(name, *args, **kwargs):
        if name == "sklearn" or name.startswith("sklearn."):
            raise ImportError("No module named 'sklearn'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)
    with pytest.raises(ImportError, match="pip install scikit-learn") as info:
        load_digits()
    assert "keras-gen[datasets]" in str(info.value)
