"""scikit-learn's bundled 8x8 handwritten digits, ready for generative models.

The 1,797 images ship inside scikit-learn, so loading them needs no network.
"""

import numpy as np

_NUM_DIGITS = 1797
_SCALES = ("unit", "tanh")


def _check_scale(scale: str) -> str:
    if scale not in _SCALES:
        raise ValueError(f"`scale` must be one of {_SCALES}. Received: scale={scale!r}")
    return scale


def _check_split(split, total: int) -> tuple:
    message = (
        "`split` must be `None` or a tuple of three non-negative integers "
        f"(num_train, num_val, num_test) summing to at most {total}. "
        f"Received: split={split!r}"
    )
    if not isinstance(split, (tuple, list)) or len(split) != 3:
        raise ValueError(message)
    for size in split:
        if isinstance(size, bool) or not isinstance(size, (int, np.integer)):
            raise ValueError(message)
        if size < 0:
            raise ValueError(message)
    if sum(split) > total:
        raise ValueError(message)
    return tuple(int(size) for size in split)


def _import_sklearn_datasets():
    try:
        from sklearn import datasets
    except ImportError as error:
        raise ImportError(
            "`keras_gen.datasets.load_digits` requires scikit-learn, which "
            "ships the digits data. Install it with `pip install scikit-learn` "
            "or `pip install keras-gen[datasets]`."
        ) from error
    return datasets


def load_digits(
    binarize: bool = False,
    threshold: int = 8,
    flatten: bool = False,
    split: tuple[int, int, int] | None = None,
    seed: int | None = 0,
    scale: str = "unit",
):
    """Loads the 8x8 handwritten digits bundled with scikit-learn.

    The raw pixels are integers from 0 to 16. With `scale="unit"` they are
    divided by 16 into `[0, 1]`; with `scale="tanh"` they are mapped linearly
    onto `[-1, 1]`, the range of a generator ending in `tanh`. With
    `binarize=True` each pixel becomes 1 if its raw value is at least
    `threshold` and 0 otherwise (or -1 and 1 with `scale="tanh"`), the
    usual input to a Bernoulli decoder.

    Args:
        binarize: Whether to threshold the pixels to two values.
        threshold: Raw pixel value (0 to 16) at or above which a pixel is on
            when `binarize=True`.
        flatten: If `True`, images have shape `(64,)`; else `(8, 8, 1)`.
        split: `None` to return the whole set in its original order, or a
            tuple `(num_train, num_val, num_test)`, e.g. `(1000, 350, 447)`,
            to return three disjoint subsets of a seeded permutation.
        seed: Seed of the permutation used by `split`. The same seed always
            gives the same split.
        scale: `"unit"` for values in `[0, 1]` or `"tanh"` for `[-1, 1]`.

    Returns:
        With `split=None`, a tuple `(x, y)`: float32 images of shape
        `(1797, 8, 8, 1)` (or `(1797, 64)`) and int32 labels of shape
        `(1797,)`. With a `split`, a tuple of three such `(x, y)` pairs:
        `(train, val, test)`.

    Raises:
        ImportError: If scikit-learn is not installed.
        ValueError: If an argument is out of range.

    Example:

    >>> train, val, test = keras_gen.datasets.load_digits(split=(1000, 350, 447))
    >>> train[0].shape, val[0].shape, test[1].shape
    ((1000, 8, 8, 1), (350, 8, 8, 1), (447,))
    >>> x, y = keras_gen.datasets.load_digits(scale="tanh", flatten=True)
    >>> x.shape, float(x.min()), float(x.max())
    ((1797, 64), -1.0, 1.0)
    """
    scale = _check_scale(scale)
    if split is not None:
        split = _check_split(split, _NUM_DIGITS)
    if not 0 <= threshold <= 16:
        raise ValueError(
            "`threshold` must be a raw pixel value between 0 and 16. "
            f"Received: threshold={threshold}"
        )
    datasets = _import_sklearn_datasets()
    bunch = datasets.load_digits()
    raw = np.asarray(bunch.data, dtype="float32")
    labels = np.asarray(bunch.target, dtype="int32")

    if binarize:
        x = (raw >= threshold).astype("float32")
    else:
        x = raw / np.float32(16.0)
    if scale == "tanh":
        x = 2.0 * x - 1.0
    x = x.astype("float32")
    if not flatten:
        x = x.reshape(-1, 8, 8, 1)

    if split is None:
        return x, labels
    order = np.random.default_rng(seed).permutation(len(x))
    pairs = []
    start = 0
    for size in split:
        indices = order[start : start + size]
        pairs.append((x[indices], labels[indices]))
        start += size
    return tuple(pairs)
