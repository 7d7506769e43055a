from keras_gen.callbacks.plots import plot_image_grid, plot_loss_curves, plot_samples_2d
from keras_gen.callbacks.sample_plots import LossCurvePlotter, SamplePlotter

__all__ = [
    "LossCurvePlotter",
    "SamplePlotter",
    "plot_image_grid",
    "plot_loss_curves",
    "plot_samples_2d",
]
