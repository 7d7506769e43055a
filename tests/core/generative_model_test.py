"""The base class's own behaviour: atomic saving and export, conditions."""

import os

import keras
import numpy as np
import pytest
from gan.gan_test import make_gan


def test_failed_save_keeps_the_existing_file(tmp_path, monkeypatch):
    gan = make_gan()
    path = tmp_path / "model.keras"
    gan.save(path)
    original = path.read_bytes()

    def broken_save(*args, **kwargs):
        with open(args[1], "wb") as f:
            f.write(b"half")
        raise OSError("disk full")

    monkeypatch.setattr(keras.Model, "save", broken_save)
    with pytest.raises(OSError, match="disk full"):
        gan.save(path)
    assert path.read_bytes() == original
    assert sorted(os.listdir(tmp_path)) == ["model.keras"]


def test_save_refuses_to_overwrite_when_asked(tmp_path):
    gan = make_gan()
    path = tmp_path / "model.keras"
    gan.save(path)
    with pytest.raises(FileExistsError, match="overwrite=False"):
        gan.save(path, overwrite=False)


def test_failed_export_keeps_the_previous_export(tmp_path, monkeypatch):
    gan = make_gan()
    path = tmp_path / "exported"
    gan.export(path, verbose=False)
    before = sorted(os.listdir(path))

    def broken_write_out(self, filepath, **kwargs):
        os.makedirs(os.path.join(filepath, "variables"), exist_ok=True)
        raise OSError("interrupted")

    archive_class = type(keras.export.ExportArchive())  # the backend's subclass
    monkeypatch.setattr(archive_class, "write_out", broken_write_out)
    with pytest.raises(OSError, match="interrupted"):
        gan.export(path, verbose=False)
    assert sorted(os.listdir(path)) == before
    assert sorted(os.listdir(tmp_path)) == ["exported"]


def test_export_rejects_other_formats(tmp_path):
    with pytest.raises(ValueError, match=r"Received: format='onnx'"):
        make_gan().export(tmp_path / "x", format="onnx")


def test_conditions_are_broadcast_and_reshaped():
    gan = make_gan(num_classes=3)
    assert tuple(gan.prepare_conditions(2, 4).shape) == (4, 1)
    assert tuple(gan.prepare_conditions([0, 1, 2], 3).shape) == (3, 1)
    assert tuple(gan.prepare_conditions(np.array([[0], [1]]), 2).shape) == (2, 1)
    with pytest.raises(ValueError, match=r"wrong shape"):
        gan.prepare_conditions(np.zeros((2, 2), "int32"), 2)
