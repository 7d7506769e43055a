"""
Title: A conditional DCGAN on scikit-learn's 8x8 digits
Author: keras_gen team
Description: Train a class-conditional DCGAN on the digits that ship with
scikit-learn, and save a grid of generated digits, one row per class.

## Introduction

DCGAN (Radford et al., 2015, https://arxiv.org/abs/1511.06434) pairs a
generator made of transposed convolutions with a convolutional
discriminator. Here both take the digit's class as a second input, so we
can ask for a given digit. The data is scikit-learn's bundled 8x8 digits
(1,797 images, no download), scaled to [-1, 1] to match the generator's
`tanh` output.

It runs in a few minutes on 2 CPU cores:

```
python examples/dcgan_digits.py --output runs/dcgan_digits
```
"""

import argparse
import os
import time

import keras
import numpy as np

import keras_gen

## Setup


def parse_args():
    parser = argparse.ArgumentParser(description="Conditional DCGAN on 8x8 digits")
    parser.add_argument("--output", default="runs/dcgan_digits", help="output folder")
    parser.add_argument("--epochs", type=int, default=60)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--seed", type=int, default=0)
    return parser.parse_args()


## Building the model


def build_gan(seed=0):
    keras.utils.set_random_seed(seed)
    latent_dim = 32
    generator = keras_gen.networks.build_dcgan_generator(
        latent_dim, image_shape=(8, 8, 1), num_classes=10
    )
    discriminator = keras_gen.networks.build_dcgan_discriminator(
        image_shape=(8, 8, 1), num_classes=10
    )
    gan = keras_gen.GAN(
        generator,
        discriminator,
        loss="non_saturating",
        r1_penalty=0.1,
        ema_decay=0.99,
        seed=seed,
    )
    gan.compile(
        generator_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
        discriminator_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
    )
    return gan


## Training


def main():
    args = parse_args()
    os.makedirs(args.output, exist_ok=True)
    x, labels = keras_gen.datasets.load_digits(scale="tanh")
    gan = build_gan(args.seed)
    grid_classes = np.repeat(np.arange(10), 8)
    plotter = keras_gen.callbacks.SamplePlotter(
        os.path.join(args.output, "progress"),
        num_samples=80,
        every=max(1, args.epochs // 4),
        conditions=grid_classes,
        value_range=(-1.0, 1.0),
    )
    curves = keras_gen.callbacks.LossCurvePlotter(
        os.path.join(args.output, "losses.png")
    )
    start = time.time()
    gan.fit(
        x,
        labels,
        batch_size=args.batch_size,
        epochs=args.epochs,
        callbacks=[plotter, curves],
        verbose=2,
    )
    seconds = time.time() - start

    ## Results: one row per class

    samples = np.asarray(gan.sample(80, seed=0, conditions=grid_classes))
    grid = keras_gen.callbacks.plot_image_grid(
        os.path.join(args.output, "samples.png"),
        samples,
        num_columns=8,
        value_range=(-1.0, 1.0),
    )
    model_path = os.path.join(args.output, "model.keras")
    gan.save(model_path)
    print(f"\nTrained for {seconds:.0f} s.")
    print(f"Samples (row k = digit k): {grid}")
    print(f"Loss curves:               {curves.filepath}")
    print(f"Model:                     {model_path}")


if __name__ == "__main__":
    main()
