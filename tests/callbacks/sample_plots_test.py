"""The picture-writing callbacks and plot functions write real PNGs."""

import numpy as np
import pytest
from gan.gan_test import data, make_gan

import keras_gen

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def read_png(path):
    """Returns the picture as an `(H, W, channels)` array, after checking it is a PNG."""
    import matplotlib.image

    with open(path, "rb") as f:
        assert f.read(8) == PNG_MAGIC, f"{path} is not a PNG"
    return matplotlib.image.imread(path)


def test_sample_plotter_writes_every_few_epochs_and_after_the_last(tmp_path):
    gan = make_gan()
    plotter = keras_gen.callbacks.SamplePlotter(tmp_path, num_samples=50, every=2)
    gan.fit(data(64), batch_size=32, epochs=3, verbose=0, callbacks=[plotter])
    names = [p.rsplit("/", 1)[-1] for p in plotter.paths]
    assert names == ["samples_epoch_0002.png", "samples_epoch_0003.png"]
    assert sorted(p.name for p in tmp_path.iterdir()) == names
    for path in plotter.paths:
        picture = read_png(path)
        assert picture.ndim == 3 and min(picture.shape[:2]) > 100


def test_sample_plotter_draws_the_same_seeded_samples(tmp_path):
    gan = make_gan()
    pictures = []
    for folder in ("first", "second"):
        plotter = keras_gen.callbacks.SamplePlotter(
            tmp_path / folder, num_samples=50, seed=3
        )
        plotter.set_model(gan)
        pictures.append(read_png(plotter.write("samples")))
    np.testing.assert_array_equal(pictures[0], pictures[1])


def test_loss_curve_plotter_keeps_the_history(tmp_path):
    gan = make_gan()
    path = tmp_path / "curves" / "losses.png"
    curves = keras_gen.callbacks.LossCurvePlotter(path)
    history = gan.fit(data(64), batch_size=32, epochs=3, verbose=0, callbacks=[curves])
    assert set(curves.history) == {"discriminator_loss", "generator_loss"}
    for name, values in curves.history.items():
        np.testing.assert_allclose(values, history.history[name], rtol=1e-6)
    assert read_png(path).shape[1] > 300


@pytest.mark.parametrize("shape", [(5, 8, 8), (5, 8, 8, 1), (5, 6, 6, 3)])
def test_image_grid_accepts_gray_and_colour(tmp_path, shape):
    images = np.random.default_rng(0).uniform(-1, 1, shape)
    path = keras_gen.callbacks.plot_image_grid(
        tmp_path / "grid.png", images, num_columns=3, value_range=(-1, 1)
    )
    picture = read_png(path)
    # 5 images in 3 columns: two rows, so the picture is wider than tall.
    assert picture.shape[1] > picture.shape[0]


@pytest.mark.parametrize(
    "call, match",
    [
        (
            lambda p: keras_gen.callbacks.plot_samples_2d(p, np.zeros((4, 3))),
            r"samples.shape=\(4, 3\)",
        ),
        (
            lambda p: keras_gen.callbacks.plot_image_grid(p, np.zeros((4, 8))),
            r"images.shape=\(4, 8\)",
        ),
        (
            lambda p: keras_gen.callbacks.plot_image_grid(
                p, np.zeros((4, 8, 8)), value_range=(1, 1)
            ),
            r"Received: value_range=\(1, 1\)",
        ),
        (lambda p: keras_gen.callbacks.plot_loss_curves(p, {}), "history"),
        (
            lambda p: keras_gen.callbacks.SamplePlotter(p, every=0),
            r"Received: every=0",
        ),
        (
            lambda p: keras_gen.callbacks.SamplePlotter(p, num_samples=-1),
            r"Received: num_samples=-1",
        ),
    ],
)
def test_bad_arguments_are_rejected_and_nothing_is_written(tmp_path, call, match):
    with pytest.raises(ValueError, match=match):
        call(tmp_path / "out.png")
    assert list(tmp_path.iterdir()) == []
