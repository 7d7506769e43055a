"""Pictures of samples and training curves, written as PNG files.

matplotlib is an optional dependency (`pip install keras-gen[plots]`); it is
imported only when a picture is drawn, with the Agg backend (no display).
"""

import os

import numpy as np


def _pyplot():
    try:
        import matplotlib
    except ImportError as error:
        raise ImportError(
            "Drawing pictures needs matplotlib: `pip install matplotlib` "
            "(or `pip install keras-gen[plots]`)."
        ) from error
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _save(fig, filepath):
    directory = os.path.dirname(os.path.abspath(filepath))
    os.makedirs(directory, exist_ok=True)
    fig.savefig(filepath, dpi=110, bbox_inches="tight")
    _pyplot().close(fig)
    return filepath


def plot_samples_2d(filepath, samples, reference=None, title=None, limits=None):
    """Scatter-plots 2D samples, optionally over reference (real) points.

    Args:
        filepath: Where to write the PNG.
        samples: Array of shape `(n, 2)`.
        reference: Optional array of shape `(m, 2)` drawn underneath in grey.
        title: Optional title.
        limits: Optional `(low, high)` for both axes.

    Returns:
        `filepath`.

    Raises:
        ValueError: if `samples` does not have shape `(n, 2)`.
    """
    samples = np.asarray(samples)
    if samples.ndim != 2 or samples.shape[1] != 2:
        raise ValueError(
            f"`samples` must have shape (n, 2). Received: samples.shape={samples.shape}"
        )
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(4.5, 4.5))
    if reference is not None:
        reference = np.asarray(reference)
        ax.scatter(reference[:, 0], reference[:, 1], s=2, c="0.75", label="data")
    ax.scatter(
        samples[:, 0], samples[:, 1], s=2, c="tab:blue", alpha=0.6, label="samples"
    )
    if limits is not None:
        ax.set_xlim(*limits)
        ax.set_ylim(*limits)
    ax.set_aspect("equal")
    ax.legend(loc="upper right", markerscale=4, fontsize=8)
    if title:
        ax.set_title(title)
    return _save(fig, filepath)


def plot_image_grid(
    filepath, images, num_columns=8, title=None, value_range=(0.0, 1.0)
):
    """Tiles images of shape `(n, H, W, C)` (C = 1 or 3) into one picture.

    Args:
        filepath: Where to write the PNG.
        images: Array of shape `(n, H, W, C)` or `(n, H, W)`.
        num_columns: Images per row.
        title: Optional title.
        value_range: `(low, high)` of the pixel values, e.g. `(-1, 1)` for
            `tanh` outputs.

    Returns:
        `filepath`.

    Raises:
        ValueError: if `images` is not a batch of images, or `value_range`
            is empty.
    """
    images = np.asarray(images, dtype="float32")
    if images.ndim == 4 and images.shape[-1] == 1:
        images = images[..., 0]
    if images.ndim not in (3, 4):
        raise ValueError(
            f"`images` must have shape (n, H, W) or (n, H, W, C). Received: images.shape={images.shape}"
        )
    low, high = value_range
    if not high > low:
        raise ValueError(
            "`value_range` must be `(low, high)` with high > low. "
            f"Received: value_range={value_range!r}"
        )
    images = np.clip((images - low) / (high - low), 0.0, 1.0)
    n = images.shape[0]
    cols = min(num_columns, n)
    rows = -(-n // cols)
    plt = _pyplot()
    fig, axes = plt.subplots(
        rows, cols, figsize=(cols * 0.9, rows * 0.9), squeeze=False
    )
    for i, ax in enumerate(axes.flat):
        ax.axis("off")
        if i < n:
            ax.imshow(
                images[i], cmap="gray" if images.ndim == 3 else None, vmin=0, vmax=1
            )
    if title:
        fig.suptitle(title)
    return _save(fig, filepath)


def plot_loss_curves(filepath, history, title="Training curves"):
    """Plots every logged quantity against the epoch (or logging step).

    Args:
        filepath: Where to write the PNG.
        history: A dict `{name: [values]}`, e.g. `model.fit(...).history`.
        title: Title of the figure.

    Returns:
        `filepath`.

    Raises:
        ValueError: if `history` is empty.
    """
    if not history:
        raise ValueError("`history` is empty: nothing to plot. Received: history={}")
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6, 3.5))
    for name, values in history.items():
        ax.plot(np.arange(1, len(values) + 1), values, label=name)
    ax.set_xlabel("epoch")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return _save(fig, filepath)
