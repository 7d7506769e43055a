"""Test NLL of the flow presets on FFJORD's 2D toys, against each toy's entropy.

For each toy, every model is trained on 20,000 points and scored on 50,000
held-out points. The lowest NLL any model can reach is the toy's
differential entropy `H = -E[log p(x)]`, computed in this script by Monte
Carlo under the true density (exactly `log 32` for the checkerboard). The
gap `NLL - H` (in nats) is what the table reports; our goal is a gap under
0.1 for `NeuralSplineFlow` and under 0.2 for `RealNVP`.

A second table reports Glow's test bits/dim on scikit-learn's 8x8 digits
(pixels / 16 in [0, 1], 17 levels), see `examples/glow_digits.py`.

Usage:

```
python benchmarks/flow_2d_nll.py --output benchmarks/results/flow_2d_nll.md
```
"""

import argparse
import math
import os
import platform
import sys
import time

import keras
import numpy as np
from scipy.special import logsumexp

import keras_gen.datasets as datasets
from keras_gen import flows

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
sys.path.insert(0, os.path.join(ROOT, "examples"))

TOYS = {
    "8gaussians": datasets.ffjord_8gaussians,
    "moons": datasets.moons,
    "checkerboard": datasets.checkerboard,
}

MODELS = {
    "RealNVP": lambda: flows.RealNVP((2,), num_layers=8, hidden_units=(128, 128)),
    "NeuralSplineFlow": lambda: flows.NeuralSplineFlow(
        (2,), num_layers=4, hidden_units=(128, 128), num_bins=16
    ),
    "MAF": lambda: flows.MAF((2,), num_layers=8, hidden_units=(128, 128)),
}


## The true entropies.


def eight_gaussians_log_prob(x):
    centers = datasets.gaussian_ring_centers(8, 4.0).astype("float64") / 1.414
    var = (0.5 / 1.414) ** 2
    sq = np.sum((x[:, None, :] - centers[None]) ** 2, axis=-1)
    log_n = -sq / (2 * var) - math.log(2 * math.pi * var)
    return logsumexp(log_n, axis=1) - math.log(8)


def moons_log_prob(x, noise=0.05, num_t=1000, chunk=4000):
    """Log-density of `datasets.moons`: each moon is a uniform arc blurred by noise."""
    t = (np.arange(num_t) + 0.5) * math.pi / num_t
    arcs = np.concatenate(
        [
            np.stack([np.cos(t), np.sin(t)], 1),
            np.stack([1 - np.cos(t), 0.5 - np.sin(t)], 1),
        ]
    )
    out = []
    for start in range(0, len(x), chunk):
        part = x[start : start + chunk]
        sq = np.sum((part[:, None, :] - arcs[None]) ** 2, axis=-1)
        log_n = -sq / (2 * noise**2) - math.log(2 * math.pi * noise**2)
        out.append(logsumexp(log_n, axis=1) - math.log(2 * num_t))
    return np.concatenate(out)


def entropy(toy, num_samples=50_000, seed=123):
    """Monte Carlo `-E[log p(x)]` under the true density, with its standard error."""
    if toy == "checkerboard":
        return math.log(32.0), 0.0
    x = TOYS[toy](num_samples, seed=seed).astype("float64")
    log_p = eight_gaussians_log_prob(x) if toy == "8gaussians" else moons_log_prob(x)
    return float(-log_p.mean()), float(log_p.std() / math.sqrt(num_samples))


## Training and scoring.


def train_and_score(make, x_train, x_test, epochs, batch_size, learning_rate, seed=0):
    keras.utils.set_random_seed(seed)
    flow = make()
    steps = epochs * math.ceil(len(x_train) / batch_size)
    schedule = keras.optimizers.schedules.CosineDecay(learning_rate, steps, alpha=0.01)
    flow.compile(optimizer=keras.optimizers.Adam(schedule), steps_per_execution=20)
    start = time.time()
    history = flow.fit(x_train, batch_size=batch_size, epochs=epochs, verbose=0)
    seconds = time.time() - start
    log_p = np.asarray(flow.log_prob(x_test))
    losses = history.history["loss"]
    return {
        "nll": float(-log_p.mean()),
        "se": float(log_p.std() / math.sqrt(len(log_p))),
        "seconds": seconds,
        "finite": bool(np.all(np.isfinite(losses)) and np.all(np.isfinite(log_p))),
        "flow": flow,
    }


def glow_digits(epochs):
    import glow_digits as example

    start = time.time()
    result = example.train(epochs=epochs, seed=0)
    return result, time.time() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--output", default="benchmarks/results/flow_2d_nll.md")
    parser.add_argument("--toys", nargs="+", default=list(TOYS))
    parser.add_argument("--models", nargs="+", default=list(MODELS))
    parser.add_argument("--epochs", type=int, default=40)
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument("--learning-rate", type=float, default=2e-3)
    parser.add_argument("--glow-epochs", type=int, default=100, help="0 skips Glow")
    args = parser.parse_args()

    rows = []
    for toy in args.toys:
        floor, floor_se = entropy(toy)
        x_train = TOYS[toy](20_000, seed=0)
        x_test = TOYS[toy](50_000, seed=1)
        for name in args.models:
            r = train_and_score(
                MODELS[name],
                x_train,
                x_test,
                args.epochs,
                args.batch_size,
                args.learning_rate,
            )
            gap = r["nll"] - floor
            rows.append((toy, floor, floor_se, name, r, gap))
            print(
                f"{toy:12s} {name:16s} NLL {r['nll']:.3f} +- {r['se']:.3f}  floor "
                f"{floor:.3f}  gap {gap:+.3f}  {r['seconds']:.0f} s  finite={r['finite']}",
                flush=True,
            )
    glow = None
    if args.glow_epochs != 0:
        glow = glow_digits(args.glow_epochs)
        print(
            f"Glow digits: {glow[0]['test_bits_per_dim']:.3f} bits/dim, {glow[1]:.0f} s"
        )
    write_table(args, rows, glow)


def write_table(args, rows, glow):
    command = "python benchmarks/flow_2d_nll.py " + " ".join(sys.argv[1:])
    lines = [
        "# Flow presets: test NLL on FFJORD's 2D toys",
        "",
        f"Command: `{command}`  ",
        f"Machine: {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} CPU cores, shared with other jobs (wall times are "
        f"indicative); keras {keras.__version__}.",
        "",
        f"20,000 training points, 50,000 test points; Adam({args.learning_rate}) "
        f"with cosine decay, batch {args.batch_size}, {args.epochs} epochs. "
        "Floor = the toy's entropy (Monte Carlo, 50,000 points, under the true "
        "density; `log 32` for the checkerboard). Gap = test NLL - floor, in nats.",
        "",
        "| toy | floor (nats) | model | test NLL (nats) | gap | goal | train time |",
        "|---|---|---|---|---|---|---|",
    ]
    goals = {"NeuralSplineFlow": 0.1, "RealNVP": 0.2}
    for toy, floor, floor_se, name, r, gap in rows:
        goal = goals.get(name)
        mark = (
            ""
            if goal is None
            else (f"< {goal} " + ("met" if gap < goal else "**missed**"))
        )
        floor_text = f"{floor:.3f}" + (f" ± {floor_se:.3f}" if floor_se else " (exact)")
        lines.append(
            f"| {toy} | {floor_text} | {name} | {r['nll']:.3f} ± {r['se']:.3f} | "
            f"{gap:+.3f} | {mark} | {r['seconds']:.0f} s |"
        )
    lines.append("")
    lines.append(
        "Models: " + "; ".join(f"`{k}`: {_describe(k)}" for k in args.models) + "."
    )
    if glow is not None:
        result, seconds = glow
        lines += [
            "",
            "## Glow on scikit-learn digits",
            "",
            "| data | model | test bits/dim | train time |",
            "|---|---|---|---|",
            f"| digits 8x8x1, 17 levels (pixels / 16), {result['num_train']} train / "
            f"{result['num_test']} test | {result['description']} | "
            f"{result['test_bits_per_dim']:.3f} | {seconds:.0f} s |",
            "",
            "Bits/dim is the dequantized bound `(NLL / 64 + log 16) / log 2`: the",
            "discrete data take 17 values `k / 16`; training and scoring add uniform",
            "noise of one level's width (1/16) centred on each value. A model that",
            "knows nothing (uniform over the 17 levels) scores `log2 17 = 4.09`.",
        ]
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    with open(args.output, "w") as f:
        f.write("\n".join(lines) + "\n")
    print(f"Wrote {args.output}")


def _describe(name):
    flow = MODELS[name]()
    config = flow.get_config()
    keys = [
        k for k in ("num_layers", "hidden_units", "num_bins", "bound") if k in config
    ]
    return ", ".join(f"{k}={config[k]}" for k in keys)


if __name__ == "__main__":
    main()
