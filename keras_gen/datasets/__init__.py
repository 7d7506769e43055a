"""Data sets: 2D toy mixtures, bundled 8x8 digits and online loaders."""

from keras_gen.datasets.digits import load_digits
from keras_gen.datasets.mnist import DatasetDownloadError, load_mnist
from keras_gen.datasets.toy2d import (
    checkerboard,
    ffjord_8gaussians,
    gaussian_grid,
    gaussian_grid_centers,
    gaussian_ring,
    gaussian_ring_centers,
    mode_coverage,
    moons,
    two_spirals,
)

__all__ = [
    "DatasetDownloadError",
    "checkerboard",
    "ffjord_8gaussians",
    "gaussian_grid",
    "gaussian_grid_centers",
    "gaussian_ring",
    "gaussian_ring_centers",
    "load_digits",
    "load_mnist",
    "mode_coverage",
    "moons",
    "two_spirals",
]
