"""Callbacks that write sample pictures and loss curves during `fit()`."""

import os

import keras
import numpy as np

from keras_gen.callbacks import plots


class SamplePlotter(keras.callbacks.Callback):
    """Writes a picture of the model's samples every few epochs.

    2D data is drawn as a scatter plot (over `reference` points if given);
    image data as a grid. Samples use a fixed seed, so successive pictures
    show how the same noise evolves.

    Args:
        directory: Folder for the PNG files (`samples_epoch_XXXX.png`).
        num_samples: Number of samples per picture.
        every: Write a picture every `every` epochs (and after the last).
        seed: Seed of the samples.
        conditions: Conditions for a conditional model.
        reference: Optional real 2D points to draw underneath.
        value_range: Pixel range of image samples, e.g. `(-1, 1)`.

    Example:

    ```python
    model.fit(x, epochs=10, callbacks=[keras_gen.callbacks.SamplePlotter("runs/demo")])
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
        self.num_samples = num_samples
        self.every = every
        self.seed = seed
        self.conditions = conditions
        self.reference = reference
        self.value_range = value_range
        self.paths = []

    def write(self, name):
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

    def on_epoch_end(self, epoch, logs=None):
        if (epoch + 1) % self.every == 0:
            self.write(f"samples_epoch_{epoch + 1:04d}")


class LossCurvePlotter(keras.callbacks.Callback):
    """Writes the logged losses as a PNG at the end of every epoch.

    Args:
        filepath: Where to write the picture, e.g. `runs/demo/losses.png`.
    """

    def __init__(self, filepath):
        super().__init__()
        self.filepath = os.fspath(filepath)
        self.history = {}

    def on_epoch_end(self, epoch, logs=None):
        for name, value in (logs or {}).items():
            self.history.setdefault(name, []).append(float(value))
        plots.plot_loss_curves(self.filepath, self.history)
