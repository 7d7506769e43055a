"""The examples run end to end (with tiny settings) and write their files."""

import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_example(name, *args):
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    result = subprocess.run(
        [sys.executable, os.path.join(ROOT, "examples", name), *args],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


@pytest.mark.parametrize(
    "name, args, files",
    [
        (
            "gan_ring.py",
            ["--steps", "40"],
            ["samples.png", "losses.png", "model.keras"],
        ),
        (
            "dcgan_digits.py",
            ["--epochs", "1"],
            ["samples.png", "losses.png", "model.keras"],
        ),
        (
            "vae_digits.py",
            ["--epochs", "1"],
            [
                "vae_reconstructions.png",
                "vae_latent_space.png",
                "vae_interpolation.png",
                "vae.keras",
            ],
        ),
        (
            "flow_2d.py",
            ["--epochs", "1", "--num-train", "1024", "--toys", "moons"],
            ["flow_moons.png"],
        ),
        (
            "glow_digits.py",
            ["--epochs", "1"],
            ["samples.png", "samples_t07.png", "bits_per_dim.png", "model.keras"],
        ),
    ],
)
def test_example_writes_its_outputs(tmp_path, name, args, files):
    stdout = run_example(name, "--output", str(tmp_path), *args)
    for file in files:
        path = tmp_path / file
        assert path.exists() and path.stat().st_size > 0, file
        assert str(path) in stdout, f"{file} not announced"
