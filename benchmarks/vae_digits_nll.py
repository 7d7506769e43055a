"""Test NLL of `keras_gen.VAE` on binarized digits, beside two classic baselines.

scikit-learn's 8x8 digits, binarized at raw pixel >= 8, split 1000/350/447
(train/validation/test) by `keras_gen.datasets.load_digits(seed=0)`. Every
choice is made on the validation split: the VAE's number of epochs (early
stopping on the validation loss, best weights restored) and the number of
mixture components. The test split is only scored, once per model.

- Independent Bernoulli: one probability per pixel, with add-one smoothing.
- Mixture of Bernoullis: EM with a Beta(2, 2) prior on the pixel
  probabilities, best of 3 initialisations by training likelihood, the
  number of components chosen on validation.
- VAE: MLP encoder and decoder (two hidden layers of 128), 8 latent
  dimensions, Adam(1e-3), batch 100; trained on the ELBO, and on the IWAE
  bound with 5 samples (Burda et al., 2015). Its NLL is `-log_prob` with
  1,000 importance samples, an upper bound on the true NLL in expectation.

Usage:

```
python benchmarks/vae_digits_nll.py --output benchmarks/results/vae_digits_nll.md
```
"""

import argparse
import os
import platform
import time

import keras
import numpy as np
from scipy.special import logsumexp

import keras_gen
from keras_gen.vae import VAE

SPLIT = (1000, 350, 447)
COMPONENTS = (5, 10, 20, 40, 80)
VAE_CONFIGS = {
    "VAE, ELBO (k = 1)": {"importance_samples": 1},
    "VAE, IWAE bound (k = 5)": {"importance_samples": 5},
}


def independent_bernoulli(train):
    p = (train.sum(0) + 1.0) / (len(train) + 2.0)
    return lambda x: x @ np.log(p) + (1 - x) @ np.log1p(-p)


def mixture_of_bernoullis(train, k, seed, iterations=300, prior=1.0):
    """EM for a mixture of `k` Bernoulli products; returns `x -> log p(x)`."""
    rng = np.random.default_rng(seed)
    n = len(train)
    resp = rng.dirichlet(np.ones(k), size=n)

    def log_joint(x, weights, probs):
        return x @ np.log(probs).T + (1 - x) @ np.log1p(-probs).T + np.log(weights)

    previous = -np.inf
    for _ in range(iterations):
        counts = resp.sum(0)
        weights = (counts + 1.0) / (n + k)
        probs = (resp.T @ train + prior) / (counts[:, None] + 2 * prior)
        joint = log_joint(train, weights, probs)
        log_px = logsumexp(joint, axis=1)
        resp = np.exp(joint - log_px[:, None])
        if log_px.mean() - previous < 1e-7:
            break
        previous = log_px.mean()
    return lambda x: logsumexp(log_joint(x, weights, probs), axis=1)


def best_mixture(train, val, restarts=3):
    """Chooses the number of components on validation; returns rows and the model."""
    results = {}
    for k in COMPONENTS:
        fits = [mixture_of_bernoullis(train, k, seed) for seed in range(restarts)]
        best = max(fits, key=lambda f: f(train).mean())
        results[k] = (-best(val).mean(), best)
        print(f"mixture of {k:3d}: validation NLL {results[k][0]:.2f}")
    k = min(results, key=lambda c: results[c][0])
    return k, results[k][1], results[k][0]


def train_vae(train, val, seed, importance_samples):
    keras.utils.set_random_seed(seed)
    vae = VAE(
        keras_gen.networks.build_mlp_encoder(64, 8, hidden_units=(128, 128)),
        keras_gen.networks.build_mlp_decoder(8, 64, hidden_units=(128, 128)),
        likelihood="bernoulli",
        importance_samples=importance_samples,
        seed=seed,
    )
    vae.compile(optimizer=keras.optimizers.Adam(1e-3))
    stop = keras.callbacks.EarlyStopping(
        monitor="val_loss", patience=40, restore_best_weights=True
    )
    history = vae.fit(
        train,
        batch_size=100,
        epochs=1000,
        validation_data=(val,),
        callbacks=[stop],
        verbose=0,
    ).history
    return vae, int(np.argmin(history["val_loss"])) + 1


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--output", default="benchmarks/results/vae_digits_nll.md")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--num-samples", type=int, default=1000)
    args = parser.parse_args()
    start = time.time()
    (train, _), (val, _), (test, _) = keras_gen.datasets.load_digits(
        binarize=True, threshold=8, flatten=True, split=SPLIT, seed=0
    )
    rows = []
    log_p = independent_bernoulli(train)
    rows.append(
        ("Independent Bernoulli per pixel", -log_p(val).mean(), -log_p(test).mean(), "")
    )
    k, log_p, val_nll = best_mixture(train, val)
    rows.append(
        (
            f"Mixture of {k} Bernoullis (EM)",
            val_nll,
            -log_p(test).mean(),
            f"components from {list(COMPONENTS)} on validation",
        )
    )
    for name, config in VAE_CONFIGS.items():
        fit_start = time.time()
        vae, epochs = train_vae(train, val, args.seed, **config)
        nll = [
            -float(np.mean(vae.log_prob(x, num_samples=args.num_samples, seed=i)))
            for i, x in enumerate((val, test))
        ]
        note = f"{epochs} epochs (early stopping), fit {time.time() - fit_start:.0f} s"
        rows.append((name, *nll, note))
    for row in rows:
        print(f"{row[0]}: validation {row[1]:.2f}, test {row[2]:.2f} nats")
    lines = [
        "# Test NLL on binarized digits (nats per image, lower is better)",
        "",
        f"Command: `python benchmarks/vae_digits_nll.py --seed {args.seed} "
        f"--num-samples {args.num_samples}`  ",
        f"Machine: {os.cpu_count()}-core CPU ({platform.processor() or platform.machine()}), "
        f"Python {platform.python_version()}, Keras {keras.__version__}; "
        f"total run time {time.time() - start:.0f} s.",
        "",
        "scikit-learn's 8x8 digits binarized at raw pixel >= 8 (64 binary pixels), "
        "split 1000/350/447 by `keras_gen.datasets.load_digits(split=(1000, 350, 447), "
        "seed=0)`. All choices were made on the validation split; the test split was "
        f"scored once per model. VAE NLLs are `-log_prob(x, num_samples={args.num_samples})`.",
        "",
        "| model | validation NLL | test NLL | notes |",
        "|---|---:|---:|---|",
    ]
    lines += [f"| {name} | {v:.2f} | {t:.2f} | {note} |" for name, v, t, note in rows]
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    with open(args.output, "w") as f:
        f.write("\n".join(lines) + "\n")
    print(f"Wrote {args.output}")


if __name__ == "__main__":
    main()
