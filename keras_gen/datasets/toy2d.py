"""Seeded two-dimensional toy distributions and a mode-coverage score.

Every sampler returns a float32 NumPy array of shape `(num_samples, 2)` and
draws from `np.random.default_rng(seed)`, so the same seed gives the same
points. Samplers made of discrete parts can also return the int32 id of the
part each point came from (`return_labels=True`).
"""

import math

import numpy as np

from keras_gen.core.validation import check_positive


def _check_num_samples(num_samples) -> int:
    if isinstance(num_samples, bool) or not isinstance(num_samples, (int, np.integer)):
        raise ValueError(
            "`num_samples` must be a positive integer. "
            f"Received: num_samples={num_samples!r}"
        )
    if num_samples <= 0:
        raise ValueError(
            "`num_samples` must be a positive integer. "
            f"Received: num_samples={num_samples}"
        )
    return int(num_samples)


def _check_non_negative(name: str, value) -> float:
    if not np.isfinite(value) or value < 0:
        raise ValueError(
            f"`{name}` must be a non-negative number. Received: {name}={value}"
        )
    return float(value)


def _mixture(centers, num_samples, std, seed, return_labels):
    num_samples = _check_num_samples(num_samples)
    std = _check_non_negative("std", std)
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, len(centers), size=num_samples)
    points = centers[labels] + std * rng.standard_normal((num_samples, 2))
    points = points.astype("float32")
    if return_labels:
        return points, labels.astype("int32")
    return points


def gaussian_ring_centers(num_modes: int = 8, radius: float = 2.0) -> np.ndarray:
    """Centres of `gaussian_ring`: `num_modes` points evenly spaced on a circle.

    Args:
        num_modes: Number of centres. The first lies at `(radius, 0)`, the
            others follow counter-clockwise.
        radius: Radius of the circle.

    Returns:
        A float32 array of shape `(num_modes, 2)`.

    Raises:
        ValueError: If `num_modes` is not a positive integer or `radius` is
            negative.

    Example:

    >>> keras_gen.datasets.gaussian_ring_centers(4).round(3)
    array([[ 2.,  0.],
           [ 0.,  2.],
           [-2.,  0.],
           [-0., -2.]], dtype=float32)
    """
    if isinstance(num_modes, bool) or not isinstance(num_modes, (int, np.integer)):
        raise ValueError(
            f"`num_modes` must be a positive integer. Received: num_modes={num_modes!r}"
        )
    if num_modes <= 0:
        raise ValueError(
            f"`num_modes` must be a positive integer. Received: num_modes={num_modes}"
        )
    radius = _check_non_negative("radius", radius)
    angles = 2.0 * np.pi * np.arange(num_modes) / num_modes
    centers = radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    return centers.astype("float32")


def gaussian_ring(
    num_samples: int,
    num_modes: int = 8,
    radius: float = 2.0,
    std: float = 0.02,
    seed: int | None = None,
    return_labels: bool = False,
):
    """Samples an equal-weight mixture of Gaussians placed on a circle.

    With the defaults this is the 8-mode ring used to show GAN mode collapse
    (Metz et al., "Unrolled Generative Adversarial Networks", 2016).

    Args:
        num_samples: Number of points, a positive integer.
        num_modes: Number of Gaussians, see `gaussian_ring_centers`.
        radius: Radius of the circle the means lie on.
        std: Standard deviation of each (isotropic) Gaussian.
        seed: Seed for `np.random.default_rng`; `None` draws fresh points.
        return_labels: If `True`, also return the index of each point's mode.

    Returns:
        A float32 array of shape `(num_samples, 2)`, or a tuple `(points,
        labels)` with int32 `labels` of shape `(num_samples,)`.

    Raises:
        ValueError: If an argument is out of range.

    Example:

    >>> x = keras_gen.datasets.gaussian_ring(1000, seed=0)
    >>> x.shape, x.dtype
    ((1000, 2), dtype('float32'))
    """
    centers = gaussian_ring_centers(num_modes, radius)
    return _mixture(centers, num_samples, std, seed, return_labels)


def gaussian_grid_centers() -> np.ndarray:
    """Centres of `gaussian_grid`: the 25 points of `{-4, -2, 0, 2, 4}^2`.

    Returns:
        A float32 array of shape `(25, 2)`, row by row from `(-4, -4)`.
    """
    ticks = np.arange(-4.0, 5.0, 2.0)
    xs, ys = np.meshgrid(ticks, ticks, indexing="ij")
    return np.stack([xs.ravel(), ys.ravel()], axis=1).astype("float32")


def gaussian_grid(
    num_samples: int,
    std: float = 0.05,
    seed: int | None = None,
    return_labels: bool = False,
):
    """Samples an equal-weight mixture of 25 Gaussians on a 5x5 grid.

    Args:
        num_samples: Number of points, a positive integer.
        std: Standard deviation of each (isotropic) Gaussian.
        seed: Seed for `np.random.default_rng`; `None` draws fresh points.
        return_labels: If `True`, also return the index of each point's mode
            (a row of `gaussian_grid_centers()`).

    Returns:
        A float32 array of shape `(num_samples, 2)`, or `(points, labels)`.

    Raises:
        ValueError: If an argument is out of range.

    Example:

    >>> x = keras_gen.datasets.gaussian_grid(500, seed=0)
    >>> x.shape
    (500, 2)
    """
    return _mixture(gaussian_grid_centers(), num_samples, std, seed, return_labels)


def moons(
    num_samples: int,
    noise: float = 0.05,
    seed: int | None = None,
    return_labels: bool = False,
):
    """Samples two interleaving half circles.

    The upper moon (label 0) is the unit half circle `(cos t, sin t)`, the
    lower one (label 1) is `(1 - cos t, 0.5 - sin t)`, with `t ~ U(0, pi)`;
    each point falls on either moon with probability 1/2 and is then moved by
    isotropic Gaussian noise.

    Args:
        num_samples: Number of points, a positive integer.
        noise: Standard deviation of the Gaussian noise.
        seed: Seed for `np.random.default_rng`; `None` draws fresh points.
        return_labels: If `True`, also return which moon each point is on.

    Returns:
        A float32 array of shape `(num_samples, 2)`, or `(points, labels)`.

    Raises:
        ValueError: If an argument is out of range.

    Example:

    >>> x, y = keras_gen.datasets.moons(200, seed=0, return_labels=True)
    >>> x.shape, y.shape
    ((200, 2), (200,))
    """
    num_samples = _check_num_samples(num_samples)
    noise = _check_non_negative("noise", noise)
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 2, size=num_samples)
    t = rng.uniform(0.0, np.pi, size=num_samples)
    upper = np.stack([np.cos(t), np.sin(t)], axis=1)
    lower = np.stack([1.0 - np.cos(t), 0.5 - np.sin(t)], axis=1)
    points = np.where(labels[:, None] == 0, upper, lower)
    points = points + noise * rng.standard_normal((num_samples, 2))
    points = points.astype("float32")
    if return_labels:
        return points, labels.astype("int32")
    return points


def checkerboard(num_samples: int, seed: int | None = None) -> np.ndarray:
    """Samples the checkerboard density of FFJORD (Grathwohl et al., 2018).

    The density is uniform on 8 of the 16 squares of side 2 that tile
    `[-4, 4]^2`, alternating like the black squares of a chess board, so its
    differential entropy is `log(32)`.

    Args:
        num_samples: Number of points, a positive integer.
        seed: Seed for `np.random.default_rng`; `None` draws fresh points.

    Returns:
        A float32 array of shape `(num_samples, 2)` with values in `[-4, 4]`.

    Raises:
        ValueError: If `num_samples` is not a positive integer.

    Example:

    >>> x = keras_gen.datasets.checkerboard(1000, seed=0)
    >>> bool(abs(x).max() <= 4.0)
    True
    """
    num_samples = _check_num_samples(num_samples)
    rng = np.random.default_rng(seed)
    x1 = rng.random(num_samples) * 4.0 - 2.0
    x2 = rng.random(num_samples) - 2.0 * rng.integers(0, 2, size=num_samples)
    x2 = x2 + np.floor(x1) % 2
    return (2.0 * np.stack([x1, x2], axis=1)).astype("float32")


def ffjord_8gaussians(
    num_samples: int,
    seed: int | None = None,
    return_labels: bool = False,
):
    """Samples FFJORD's "8 Gaussians" density (Grathwohl et al., 2018).

    The means are the 8 points `(+-1, 0), (0, +-1), (+-1/sqrt(2), +-1/sqrt(2))`
    scaled by 4, each point is its mean plus `N(0, 0.5^2 I)` noise, and the
    result is divided by 1.414 (so the means lie on a circle of radius about
    2.83 and the standard deviation is about 0.354).

    Args:
        num_samples: Number of points, a positive integer.
        seed: Seed for `np.random.default_rng`; `None` draws fresh points.
        return_labels: If `True`, also return the index of each point's mode,
            counter-clockwise from `(1, 0)`.

    Returns:
        A float32 array of shape `(num_samples, 2)`, or `(points, labels)`.

    Raises:
        ValueError: If `num_samples` is not a positive integer.
    """
    centers = gaussian_ring_centers(8, 4.0).astype("float64")
    result = _mixture(centers, num_samples, 0.5, seed, True)
    points = result[0] / np.float32(1.414)
    return (points, result[1]) if return_labels else points


def two_spirals(
    num_samples: int,
    noise: float = 0.1,
    seed: int | None = None,
    return_labels: bool = False,
):
    """Samples FFJORD's two interleaved spirals (Grathwohl et al., 2018).

    One arm is `(-t cos t, t sin t) / 3` with `t = sqrt(u) * 3 pi`, `u ~ U(0, 1)`,
    jittered by `U(0, 0.5) / 3` on each axis; the other arm (label 1) is its
    mirror image through the origin. Gaussian noise of scale `noise` is added
    last. Values lie roughly in `[-4, 4]^2`.

    Args:
        num_samples: Number of points, a positive integer.
        noise: Standard deviation of the final Gaussian noise (FFJORD: 0.1).
        seed: Seed for `np.random.default_rng`; `None` draws fresh points.
        return_labels: If `True`, also return which arm each point is on.

    Returns:
        A float32 array of shape `(num_samples, 2)`, or `(points, labels)`.

    Raises:
        ValueError: If an argument is out of range.
    """
    num_samples = _check_num_samples(num_samples)
    noise = _check_non_negative("noise", noise)
    rng = np.random.default_rng(seed)
    t = np.sqrt(rng.random(num_samples)) * 3.0 * math.pi
    jitter = 0.5 * rng.random((num_samples, 2))
    arm = np.stack([-np.cos(t) * t, np.sin(t) * t], axis=1) + jitter
    labels = rng.integers(0, 2, size=num_samples)
    sign = np.where(labels == 0, 1.0, -1.0)[:, None]
    points = sign * arm / 3.0 + noise * rng.standard_normal((num_samples, 2))
    points = points.astype("float32")
    if return_labels:
        return points, labels.astype("int32")
    return points


def mode_coverage(samples, centers, threshold: float, min_count: int = 1):
    """Counts how many modes of a mixture a set of samples covers.

    Each sample is assigned to its nearest centre (Euclidean distance). It is
    "high quality" if that distance is at most `threshold` (commonly 3
    standard deviations of a mode, as in VEEGAN and PacGAN). A mode is
    covered when at least `min_count` high-quality samples are assigned to
    it. PacGAN, for instance, draws 2,500 samples and uses `min_count=20`.

    Args:
        samples: Array-like of shape `(num_samples, dim)`.
        centers: Array-like of shape `(num_modes, dim)`, e.g.
            `keras_gen.datasets.gaussian_ring_centers()`.
        threshold: Largest distance to a centre, a positive number.
        min_count: Fewest high-quality samples a covered mode needs, a
            positive integer.

    Returns:
        A tuple `(num_modes_covered, fraction_high_quality)`: an `int` in
        `[0, num_modes]` and a `float` in `[0, 1]`.

    Raises:
        ValueError: If the shapes do not match or an argument is out of range.

    Example:

    >>> centers = keras_gen.datasets.gaussian_ring_centers()
    >>> x = keras_gen.datasets.gaussian_ring(2000, seed=0)
    >>> keras_gen.datasets.mode_coverage(x, centers, threshold=0.06)
    (8, 0.9935)
    """
    samples = np.asarray(samples, dtype="float64")
    centers = np.asarray(centers, dtype="float64")
    if samples.ndim != 2 or samples.shape[0] == 0:
        raise ValueError(
            "`samples` must be a non-empty array of shape (num_samples, dim). "
            f"Received: samples.shape={samples.shape}"
        )
    if (
        centers.ndim != 2
        or centers.shape[0] == 0
        or centers.shape[1] != samples.shape[1]
    ):
        raise ValueError(
            "`centers` must be a non-empty array of shape (num_modes, dim) with "
            f"the same `dim` as `samples` ({samples.shape[1]}). "
            f"Received: centers.shape={centers.shape}"
        )
    threshold = check_positive("threshold", threshold)
    if isinstance(min_count, bool) or not isinstance(min_count, (int, np.integer)):
        raise ValueError(
            f"`min_count` must be a positive integer. Received: min_count={min_count!r}"
        )
    if min_count <= 0:
        raise ValueError(
            f"`min_count` must be a positive integer. Received: min_count={min_count}"
        )
    # Squared distances, shape (num_samples, num_modes).
    sq_dist = (
        np.sum(samples**2, axis=1, keepdims=True)
        - 2.0 * samples @ centers.T
        + np.sum(centers**2, axis=1)
    )
    nearest = np.argmin(sq_dist, axis=1)
    nearest_dist = np.sqrt(np.maximum(sq_dist[np.arange(len(samples)), nearest], 0.0))
    good = nearest_dist <= threshold
    counts = np.bincount(nearest[good], minlength=len(centers))
    return int(np.sum(counts >= min_count)), float(np.mean(good))
