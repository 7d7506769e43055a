"""
Title: A variational autoencoder on scikit-learn's 8x8 digits
Author: keras_gen team
Description: Train `keras_gen.VAE` with a 2D latent space on the bundled
digits, then save a reconstruction grid, the latent space coloured by class,
a decoded interpolation between two digits and samples from the prior.

## Introduction

A variational autoencoder (Kingma & Welling, 2013,
https://arxiv.org/abs/1312.6114) learns an encoder `q(z|x)`, a Gaussian over
latent codes, and a decoder `p(x|z)`, by maximising the evidence lower bound
(ELBO): how well the decoder reconstructs `x` from a sampled code, minus the
KL divergence of `q(z|x)` from the prior `N(0, I)`. With a 2D latent space
we can look at the codes directly: similar digits land close together, and
walking in a straight line between two codes decodes to a smooth morph.

The 1,797 8x8 digits ship inside scikit-learn, so nothing is downloaded.
Pixels are scaled to `[0, 1]` and modelled with a Bernoulli likelihood (the
binary cross-entropy), as is usual for grey-level digits. It runs in about
a minute on 2 CPU cores:

```
python examples/vae_digits.py --output runs/vae_digits
```
"""

import argparse
import os
import time

import keras
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import keras_gen  # noqa: E402
from keras_gen.vae import VAE  # noqa: E402

## Setup


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("--output", default="runs/vae_digits", help="output folder")
    parser.add_argument("--epochs", type=int, default=300)
    parser.add_argument("--latent-dim", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    return parser.parse_args()


## Building the model
#
# The MLP builders return an encoder with two outputs, `[mean, log_var]`, and
# a decoder with linear outputs: the Bernoulli logits of the 64 pixels. A
# short KL warm-up lets the decoder learn to use the code before the KL term
# pulls the posteriors towards the prior.


def build_vae(latent_dim=2, seed=0):
    keras.utils.set_random_seed(seed)
    encoder = keras_gen.networks.build_mlp_encoder(
        (8, 8, 1), latent_dim, hidden_units=(256, 128)
    )
    decoder = keras_gen.networks.build_mlp_decoder(
        latent_dim, (8, 8, 1), hidden_units=(128, 256)
    )
    vae = VAE(encoder, decoder, likelihood="bernoulli", kl_warmup_steps=1000, seed=seed)
    vae.compile(optimizer=keras.optimizers.Adam(1e-3))
    return vae


## Pictures


def save_reconstructions(vae, x, path, columns=12):
    recon = np.asarray(vae.reconstruct(x[:columns]))
    fig, axes = plt.subplots(2, columns, figsize=(columns * 0.8, 2.0))
    for i in range(columns):
        for row, images in enumerate((x, recon)):
            axes[row, i].imshow(images[i, :, :, 0], cmap="gray_r", vmin=0, vmax=1)
            axes[row, i].axis("off")
    axes[0, 0].set_title("data", loc="left", fontsize=9)
    axes[1, 0].set_title("reconstruction", loc="left", fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def save_latent_space(vae, x, y, path):
    mean, _ = vae.encode(x)
    mean = np.asarray(mean)
    if mean.shape[1] > 2:  # project on the two principal axes
        centred = mean - mean.mean(0)
        mean = centred @ np.linalg.svd(centred, full_matrices=False)[2][:2].T
    fig, ax = plt.subplots(figsize=(6, 5))
    points = ax.scatter(
        mean[:, 0], mean[:, 1], c=y, cmap="tab10", s=8, vmin=-0.5, vmax=9.5
    )
    fig.colorbar(points, ax=ax, ticks=range(10), label="digit")
    ax.set_xlabel("z[0]")
    ax.set_ylabel("z[1]")
    ax.set_title("Posterior means of held-out digits")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def save_interpolation(vae, x, y, path, pairs=((0, 1), (3, 8), (4, 7)), steps=10):
    fig, axes = plt.subplots(
        len(pairs), steps + 2, figsize=((steps + 2) * 0.8, len(pairs))
    )
    for row, (a, b) in enumerate(pairs):
        first, second = x[np.argmax(y == a)], x[np.argmax(y == b)]
        mean, _ = vae.encode(np.stack([first, second]))
        mean = np.asarray(mean)
        t = np.linspace(0, 1, steps)[:, None]
        images = np.asarray(vae.decode((1 - t) * mean[0] + t * mean[1]))
        row_images = [first, *images, second]
        for col, image in enumerate(row_images):
            axes[row, col].imshow(image[:, :, 0], cmap="gray_r", vmin=0, vmax=1)
            axes[row, col].axis("off")
    axes[0, 0].set_title("start", fontsize=8)
    axes[0, -1].set_title("end", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def save_samples(vae, path, rows=4, columns=12):
    samples = np.asarray(vae.sample(rows * columns, seed=0))
    fig, axes = plt.subplots(rows, columns, figsize=(columns * 0.8, rows * 0.8))
    for ax, image in zip(axes.ravel(), samples, strict=True):
        ax.imshow(image[:, :, 0], cmap="gray_r", vmin=0, vmax=1)
        ax.axis("off")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


## Training


def main():
    args = parse_args()
    os.makedirs(args.output, exist_ok=True)
    train, val, test = keras_gen.datasets.load_digits(split=(1000, 350, 447), seed=0)
    vae = build_vae(args.latent_dim, args.seed)
    start = time.time()
    history = vae.fit(
        train[0],
        batch_size=64,
        epochs=args.epochs,
        validation_data=(val[0],),
        verbose=0,
    ).history
    print(
        f"Trained {args.epochs} epochs in {time.time() - start:.0f} s: "
        f"loss {history['loss'][-1]:.2f}, val_loss {history['val_loss'][-1]:.2f} "
        f"(reconstruction {history['val_reconstruction_loss'][-1]:.2f} + "
        f"KL {history['val_kl_loss'][-1]:.2f} nats)"
    )
    # On grey levels the Bernoulli "likelihood" is a cross-entropy, not a
    # normalised density: see benchmarks/vae_digits_nll.py for a true NLL on
    # binarized digits.
    nll = -float(np.mean(vae.log_prob(test[0], num_samples=200, seed=0)))
    print(f"Test -log_prob with 200 importance samples: {nll:.2f} nats")

    ## Looking at the model
    x_test, y_test = test
    pictures = {
        "reconstructions": lambda path: save_reconstructions(vae, x_test, path),
        "latent_space": lambda path: save_latent_space(vae, x_test, y_test, path),
        "interpolation": lambda path: save_interpolation(vae, x_test, y_test, path),
        "samples": lambda path: save_samples(vae, path),
    }
    for name, save in pictures.items():
        path = os.path.join(args.output, f"vae_{name}.png")
        save(path)
        print(f"Wrote {path}")
    vae.save(os.path.join(args.output, "vae.keras"))
    print(f"Wrote {os.path.join(args.output, 'vae.keras')}")


if __name__ == "__main__":
    main()
