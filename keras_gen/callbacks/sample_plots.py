"""Callbacks that write sample pictures and loss curves during `fit()`."""

import os

import keras
import numpy as np

from keras_gen.callbacks import plots
from keras_gen.core.validation import check_positive_int


class SamplePlotter(keras.callbacks.Callback):
    """Writes a picture of the model's samples every few epochs.

    2D data is drawn as a scatter plot (over `reference` points if given);
    image data as a grid. Samples use a fixed seed, so successive pictures
    show how the same noise evolves.

    Args:
        directory: Folder for the PNG files (`samples_epoch_XXXX.png`).
        num_samples: Number of samples per picture.
        every: Write a picture every `every` epochs, and after the last
            epoch if that one was not a multiple of `every`.
        seed: Seed of the samples.
        conditions: Conditions for a conditional model.
        reference: Optional real 2D points to draw underneath.
        value_range: Pixel range of image samples, e.g. `(-1, 1)`.

    Attributes:
        paths: The pictures written so far, in order.

    Raises:
        ValueError: if `num_samples` or `every` is not a positive integer.

    Example:

    ```python
    plotter = keras_gen.callbacks.SamplePlotter("runs/demo", every=5)
    model.fit(x, epochs=10, callbacks=[plotter])
    plotter.paths  # [".../samples_epoch_0005.png", ".../samples_epoch_0010.png"]
    ```
    """

    def __init__(
        self,
        directory,
        num_samples=64,
        every=1,
        seed=0,
        conditions=None,
        reference=None,
        value_range=(0.0, 1.0),
    ):
        super().__init__()
        self.directory = os.fspath(directory)
        self.num_samples = check_positive_int("num_samples", num_samples)
        self.every = check_positive_int("every", every)
        self.seed = seed
        self.conditions = conditions
        self.reference = reference
        self.value_range = value_range
        self.paths = []
        self._last_epoch = None

    def write(self, name):
        """Draws the samples now and writes `name.png`; returns its path."""
        samples = np.asarray(
            self.model.sample(
                self.num_samples, seed=self.seed, conditions=self.conditions
            )
        )
        path = os.path.join(self.directory, f"{name}.png")
        if samples.ndim == 2 and samples.shape[1] == 2:
            plots.plot_samples_2d(path, samples, reference=self.reference, title=name)
        else:
            plots.plot_image_grid(
                path, samples, title=name, value_range=self.value_range
            )
        self.paths.append(path)
        return path

    def on_train_begin(self, logs=None):
        self._last_epoch = None

    def on_epoch_end(self, epoch, logs=None):
        self._last_epoch = epoch + 1
        if self._last_epoch % self.every == 0:
            self.write(f"samples_epoch_{self._last_epoch:04d}")

    def on_train_end(self, logs=None):
        if self._last_epoch is not None and self._last_epoch % self.every != 0:
            self.write(f"samples_epoch_{self._last_epoch:04d}")


class LossCurvePlotter(keras.callbacks.Callback):
    """Writes the logged losses as a PNG at the end of every epoch.

    The picture is redrawn after each epoch, so it is up to date while a
    long run is still going.

    Args:
        filepath: Where to write the picture, e.g. `runs/demo/losses.png`.

    Attributes:
        history: `{name: [value per epoch]}` of everything logged so far.

    Example:

    ```python
    curves = keras_gen.callbacks.LossCurvePlotter("runs/demo/losses.png")
    model.fit(x, epochs=10, callbacks=[curves])
    ```
    """

    def __init__(self, filepath):
        super().__init__()
        self.filepath = os.fspath(filepath)
        self.history = {}

    def on_epoch_end(self, epoch, logs=None):
        for name, value in (logs or {}).items():
            self.history.setdefault(name, []).append(float(value))
        plots.plot_loss_curves(self.filepath, self.history)
