"""
Title: Glow on scikit-learn's 8x8 digits
Author: keras_gen team
Description: Train `keras_gen.flows.Glow` on the digits that ship with
scikit-learn, report test bits/dim, and save a grid of sampled digits.

## Introduction

Glow (Kingma & Dhariwal, 2018, https://arxiv.org/abs/1807.03039) is a
multi-scale normalizing flow for images: each level squeezes 2x2 pixels
into channels, applies steps of ActNorm, an invertible 1x1 convolution and
an affine coupling, then factors out half of the channels. Its likelihood
is exact, so we can report bits per dimension on held-out digits.

The digits are 8x8 images with 17 grey levels (0 to 16), scaled to `k / 16`
in [0, 1]. `Glow(..., pixel_levels=17)` adds uniform noise of one level's
width during training (dequantization) and reports bits/dim for the
discrete data. Guessing uniformly over the 17 levels scores
`log2(17) = 4.09` bits/dim.

It runs in a few minutes on 2 CPU cores and needs no download:

```
python examples/glow_digits.py --output runs/glow_digits
```
"""

import argparse
import math
import os
import time

import keras
import numpy as np

import keras_gen.flows

## Setup

PIXEL_LEVELS = 17


def parse_args():
    parser = argparse.ArgumentParser(description="Glow on 8x8 digits")
    parser.add_argument("--output", default="runs/glow_digits", help="output folder")
    parser.add_argument("--epochs", type=int, default=100)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--seed", type=int, default=0)
    return parser.parse_args()


## Building the model


def build_glow(seed=0):
    """Two levels of four flow steps each, 64-channel coupling conv nets."""
    keras.utils.set_random_seed(seed)
    return keras_gen.flows.Glow(
        (8, 8, 1),
        num_levels=2,
        num_layers=4,
        hidden_units=(64, 64),
        pixel_levels=PIXEL_LEVELS,
        seed=seed,
    )


def bits_per_dim(flow, x, num_draws=10, seed=0):
    """Test bits/dim, averaged over `num_draws` dequantization noises."""
    rng = np.random.default_rng(seed)
    width = 1.0 / (PIXEL_LEVELS - 1)
    nll = []
    for _ in range(num_draws):
        noisy = x + (rng.random(x.shape, dtype="float32") - 0.5) * width
        nll.append(-np.asarray(flow.log_prob(noisy)).mean())
    per_dim = float(np.mean(nll)) / x[0].size
    return (per_dim + math.log(PIXEL_LEVELS - 1)) / math.log(2.0)


## Training


def train(epochs=100, batch_size=64, seed=0, verbose=0):
    """Trains Glow on 1,500 digits; returns the flow and test bits/dim."""
    (x_train, _), _, (x_test, _) = keras_gen.datasets.load_digits(
        split=(1500, 0, 297), seed=seed
    )
    flow = build_glow(seed)
    steps = epochs * math.ceil(len(x_train) / batch_size)
    schedule = keras.optimizers.schedules.CosineDecay(1e-3, steps, alpha=0.05)
    flow.compile(optimizer=keras.optimizers.Adam(schedule), steps_per_execution=10)
    history = flow.fit(x_train, batch_size=batch_size, epochs=epochs, verbose=verbose)
    return {
        "flow": flow,
        "history": history.history,
        "test_bits_per_dim": bits_per_dim(flow, x_test),
        "train_bits_per_dim": history.history["bits_per_dim"][-1],
        "num_train": len(x_train),
        "num_test": len(x_test),
        "description": "Glow, 2 levels x 4 steps, (64, 64) channels, "
        f"{epochs} epochs, batch {batch_size}",
    }


def main():
    args = parse_args()
    os.makedirs(args.output, exist_ok=True)
    start = time.time()
    result = train(args.epochs, args.batch_size, args.seed, verbose=2)
    seconds = time.time() - start
    flow = result["flow"]

    ## Results

    # Samples at temperature 1 (the model's distribution) and 0.7 (the
    # latent scaled by 0.7, as in the Glow paper), clipped to [0, 1].
    z = np.random.default_rng(args.seed).standard_normal((64, 8, 8, 1))
    grids = {}
    for temperature in (1.0, 0.7):
        images = np.clip(
            np.asarray(flow.forward((temperature * z).astype("float32"))), 0, 1
        )
        name = "samples.png" if temperature == 1.0 else "samples_t07.png"
        grids[temperature] = keras_gen.callbacks.plot_image_grid(
            os.path.join(args.output, name),
            images,
            title=f"Glow samples, temperature {temperature}",
        )
    curves = keras_gen.callbacks.plot_loss_curves(
        os.path.join(args.output, "bits_per_dim.png"),
        {"train bits/dim": result["history"]["bits_per_dim"]},
        title="Glow on digits",
    )
    model_path = os.path.join(args.output, "model.keras")
    flow.save(model_path)
    print(
        f"\nTrained for {seconds:.0f} s: test {result['test_bits_per_dim']:.3f} bits/dim "
        f"(train {result['train_bits_per_dim']:.3f})."
    )
    print(f"Samples:       {grids[1.0]}")
    print(f"Samples (0.7): {grids[0.7]}")
    print(f"Curve:         {curves}")
    print(f"Model:         {model_path}")


if __name__ == "__main__":
    main()
