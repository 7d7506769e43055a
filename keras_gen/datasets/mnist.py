"""MNIST through `keras.datasets`, with a clear error when it cannot download.

This loader needs the internet the first time (Keras then caches the file in
`~/.keras/datasets`). Tests, examples and demos should use the offline data
in `keras_gen.datasets` instead, such as `load_digits`.
"""

import numpy as np

_SCALES = ("unit", "tanh")


class DatasetDownloadError(RuntimeError):
    """Raised when an online dataset cannot be downloaded or read."""


def load_mnist(
    scale: str = "unit",
    binarize: bool = False,
    threshold: float = 0.5,
    flatten: bool = False,
    path: str = "mnist.npz",
):
    """Loads MNIST (LeCun et al., 1998) via `keras.datasets.mnist.load_data`.

    Pixels are divided by 255 into `[0, 1]` (`scale="unit"`) or mapped
    linearly onto `[-1, 1]` (`scale="tanh"`). With `binarize=True` a pixel is
    on when its `[0, 1]` value is at least `threshold`, giving `{0, 1}` (or
    `{-1, 1}` with `scale="tanh"`).

    The first call downloads about 11 MB and needs the internet; later calls
    read the cached copy. Offline, use `keras_gen.datasets.load_digits`.

    Args:
        scale: `"unit"` for values in `[0, 1]` or `"tanh"` for `[-1, 1]`.
        binarize: Whether to threshold the pixels to two values.
        threshold: Value in `[0, 1]` at or above which a pixel is on when
            `binarize=True`.
        flatten: If `True`, images have shape `(784,)`; else `(28, 28, 1)`.
        path: File name of the cache in `~/.keras/datasets`, passed on to
            `keras.datasets.mnist.load_data`.

    Returns:
        A tuple `((x_train, y_train), (x_test, y_test))` with float32 images
        of shape `(n, 28, 28, 1)` (or `(n, 784)`) and int32 labels of shape
        `(n,)`: 60,000 training and 10,000 test examples.

    Raises:
        DatasetDownloadError: A `RuntimeError` raised when the data cannot be
            downloaded (for example offline) or read.
        ValueError: If an argument is out of range.

    Example:

    ```python
    (x_train, y_train), _ = keras_gen.datasets.load_mnist(scale="tanh")
    x_train.shape  # (60000, 28, 28, 1)
    ```
    """
    if scale not in _SCALES:
        raise ValueError(f"`scale` must be one of {_SCALES}. Received: scale={scale!r}")
    if not 0.0 <= threshold <= 1.0:
        raise ValueError(
            f"`threshold` must be between 0 and 1. Received: threshold={threshold}"
        )
    import keras  # Imported here so the rest of `keras_gen.datasets` is numpy only.

    try:
        (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data(path=path)
    except Exception as error:
        raise DatasetDownloadError(
            "Could not download or read MNIST with "
            "`keras.datasets.mnist.load_data()`. The first call needs an "
            "internet connection (the file is then cached in "
            "`~/.keras/datasets`). To work offline, use a bundled data set "
            "instead, such as `keras_gen.datasets.load_digits()` (8x8 digits "
            "from scikit-learn) or the 2D toy data in `keras_gen.datasets`. "
            f"Original error: {type(error).__name__}: {error}"
        ) from error
    return (
        (_prepare(x_train, scale, binarize, threshold, flatten), _labels(y_train)),
        (_prepare(x_test, scale, binarize, threshold, flatten), _labels(y_test)),
    )


def _prepare(images, scale, binarize, threshold, flatten):
    x = np.asarray(images, dtype="float32") / np.float32(255.0)
    if binarize:
        x = (x >= threshold).astype("float32")
    if scale == "tanh":
        x = 2.0 * x - 1.0
    x = x.astype("float32")
    if flatten:
        return x.reshape(len(x), -1)
    return x.reshape(x.shape + (1,)) if x.ndim == 3 else x


def _labels(labels):
    return np.asarray(labels, dtype="int32")
