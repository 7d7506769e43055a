import math

import numpy as np
import pytest

from keras_gen import datasets

SAMPLERS = [
    datasets.gaussian_ring,
    datasets.gaussian_grid,
    datasets.moons,
    datasets.checkerboard,
    datasets.ffjord_8gaussians,
    datasets.two_spirals,
]


@pytest.mark.parametrize("sampler", SAMPLERS, ids=lambda f: f.__name__)
def test_shape_dtype_and_seeding(sampler):
    x = sampler(257, seed=3)
    assert x.shape == (257, 2)
    assert x.dtype == np.float32
    assert np.all(np.isfinite(x))
    np.testing.assert_array_equal(x, sampler(257, seed=3))
    assert not np.array_equal(x, sampler(257, seed=4))


@pytest.mark.parametrize("sampler", SAMPLERS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("bad", [0, -5, 2.5, "10", None, True])
def test_bad_num_samples_raises(sampler, bad):
    with pytest.raises(ValueError, match="num_samples"):
        sampler(bad)


def test_gaussian_ring_centers_defaults():
    centers = datasets.gaussian_ring_centers()
    assert centers.shape == (8, 2) and centers.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(centers, axis=1), 2.0, atol=1e-6)
    # Eight distinct centres, 45 degrees apart, the first on the x axis.
    np.testing.assert_allclose(centers[0], [2.0, 0.0], atol=1e-6)
    np.testing.assert_allclose(centers[2], [0.0, 2.0], atol=1e-6)
    gaps = np.linalg.norm(centers - np.roll(centers, 1, axis=0), axis=1)
    np.testing.assert_allclose(gaps, 2 * 2.0 * math.sin(math.pi / 8), atol=1e-5)


def test_gaussian_ring_statistics_and_labels():
    x, labels = datasets.gaussian_ring(8000, seed=0, return_labels=True)
    centers = datasets.gaussian_ring_centers()
    assert labels.dtype == np.int32 and set(np.unique(labels)) == set(range(8))
    residual = x - centers[labels]
    np.testing.assert_allclose(residual.std(axis=0), 0.02, rtol=0.05)
    np.testing.assert_allclose(np.bincount(labels) / 8000, 1 / 8, atol=0.02)


def test_gaussian_ring_options():
    x = datasets.gaussian_ring(2000, num_modes=3, radius=5.0, std=0.0, seed=1)
    radii = np.linalg.norm(x, axis=1)
    np.testing.assert_allclose(radii, 5.0, rtol=1e-6)
    assert len(np.unique(x.round(4), axis=0)) == 3
    with pytest.raises(ValueError, match="num_modes"):
        datasets.gaussian_ring(10, num_modes=0)
    with pytest.raises(ValueError, match="std"):
        datasets.gaussian_ring(10, std=-1.0)


def test_gaussian_grid():
    centers = datasets.gaussian_grid_centers()
    assert centers.shape == (25, 2)
    assert set(np.unique(centers)) == {-4.0, -2.0, 0.0, 2.0, 4.0}
    assert len(np.unique(centers, axis=0)) == 25
    x, labels = datasets.gaussian_grid(10000, seed=0, return_labels=True)
    residual = x - centers[labels]
    np.testing.assert_allclose(residual.std(axis=0), 0.05, rtol=0.05)
    assert np.bincount(labels, minlength=25).min() > 300


def test_moons_lie_on_half_circles():
    x, labels = datasets.moons(2000, noise=0.0, seed=0, return_labels=True)
    upper, lower = x[labels == 0], x[labels == 1]
    np.testing.assert_allclose(np.linalg.norm(upper, axis=1), 1.0, atol=1e-5)
    assert upper[:, 1].min() >= -1e-6
    np.testing.assert_allclose(
        np.linalg.norm(lower - np.array([1.0, 0.5]), axis=1), 1.0, atol=1e-5
    )
    assert lower[:, 1].max() <= 0.5 + 1e-6
    noisy = datasets.moons(2000, noise=0.1, seed=0)
    np.testing.assert_allclose((noisy - x).std(axis=0), 0.1, rtol=0.1)


def test_checkerboard_is_uniform_on_alternate_squares():
    x = datasets.checkerboard(40000, seed=0)
    assert x.min() >= -4.0 and x.max() <= 4.0
    cells = np.floor(x / 2.0).astype(int) + 2  # cell indices 0..3 on each axis
    counts = np.zeros((4, 4))
    np.add.at(counts, (cells[:, 0], cells[:, 1]), 1)
    occupied = counts > 0
    assert occupied.sum() == 8
    # Occupied cells alternate like a chess board.
    parity = np.add.outer(np.arange(4), np.arange(4)) % 2
    assert len(np.unique(parity[occupied])) == 1
    np.testing.assert_allclose(counts[occupied] / len(x), 1 / 8, atol=0.01)
    # A plug-in entropy estimate on a fine grid approaches log(32).
    hist, _, _ = np.histogram2d(x[:, 0], x[:, 1], bins=16, range=[[-4, 4], [-4, 4]])
    p = hist[hist > 0] / len(x)
    entropy = -np.sum(p * np.log(p / 0.25))
    assert abs(entropy - math.log(32)) < 0.01


def test_ffjord_8gaussians():
    x, labels = datasets.ffjord_8gaussians(16000, seed=0, return_labels=True)
    centers = datasets.gaussian_ring_centers(8, 4.0) / 1.414
    residual = x - centers[labels]
    np.testing.assert_allclose(residual.std(axis=0), 0.5 / 1.414, rtol=0.05)
    np.testing.assert_allclose(residual.mean(axis=0), 0.0, atol=0.02)
    expected = np.array([1.0, 0.0]) * 4 / 1.414
    np.testing.assert_allclose(x[labels == 0].mean(axis=0), expected, atol=0.05)


def test_two_spirals_arms_are_mirror_images():
    x, labels = datasets.two_spirals(6000, noise=0.0, seed=0, return_labels=True)
    assert set(np.unique(labels)) == {0, 1}
    assert np.abs(x).max() < 4.0
    # Mirroring one arm through the origin gives the other: matching means.
    np.testing.assert_allclose(
        x[labels == 0].mean(axis=0), -x[labels == 1].mean(axis=0), atol=0.1
    )
    radii = np.linalg.norm(x, axis=1)
    assert radii.max() > 2.5 and radii.min() < 0.3


def test_mode_coverage_counts_modes_and_quality():
    centers = datasets.gaussian_ring_centers()
    x = datasets.gaussian_ring(4000, seed=0)
    covered, quality = datasets.mode_coverage(x, centers, threshold=3 * 0.02)
    assert covered == 8
    # P(|N(0, s^2 I_2)| <= 3 s) = 1 - exp(-4.5) ~= 0.989.
    assert abs(quality - (1 - math.exp(-4.5))) < 0.01
    assert isinstance(covered, int) and isinstance(quality, float)


def test_mode_coverage_detects_collapse_and_min_count():
    centers = datasets.gaussian_ring_centers()
    collapsed = np.repeat(centers[:3], [100, 100, 5], axis=0)
    far = np.array([[0.0, 0.0], [10.0, 10.0]])
    samples = np.concatenate([collapsed, far])
    covered, quality = datasets.mode_coverage(samples, centers, threshold=0.1)
    assert covered == 3
    assert quality == pytest.approx(205 / 207)
    covered, _ = datasets.mode_coverage(samples, centers, 0.1, min_count=10)
    assert covered == 2


def test_mode_coverage_validation():
    centers = datasets.gaussian_grid_centers()
    with pytest.raises(ValueError, match="samples"):
        datasets.mode_coverage(np.zeros((0, 2)), centers, 0.1)
    with pytest.raises(ValueError, match="centers"):
        datasets.mode_coverage(np.zeros((5, 3)), centers, 0.1)
    with pytest.raises(ValueError, match="threshold"):
        datasets.mode_coverage(np.zeros((5, 2)), centers, 0.0)
    with pytest.raises(ValueError, match="min_count"):
        datasets.mode_coverage(np.zeros((5, 2)), centers, 0.1, min_count=0)
