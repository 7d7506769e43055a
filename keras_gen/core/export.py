"""Writing SavedModels with named endpoints, atomically."""

import os
import shutil
import tempfile

import keras


def write_saved_model(model, filepath, endpoints, verbose=True):
    """Writes `model` as a TF SavedModel serving the given endpoints.

    The SavedModel is written to a temporary directory beside `filepath` and
    renamed into place once complete: an interrupted export leaves any
    earlier export at `filepath` untouched.

    Args:
        model: The (built) model whose variables the endpoints use.
        filepath: Destination directory.
        endpoints: Dict `{name: (fn, input_signature)}`; each `fn` takes
            keyword arguments named as the `tf.TensorSpec`s of its signature.
        verbose: Whether to print the endpoints written.
    """
    filepath = os.fspath(filepath)
    parent = os.path.dirname(os.path.abspath(filepath))
    os.makedirs(parent, exist_ok=True)
    archive = keras.export.ExportArchive()
    archive.track(model)
    for name, (fn, signature) in endpoints.items():
        archive.add_endpoint(name, fn, input_signature=signature)
    tmp_dir = tempfile.mkdtemp(prefix=".export-", dir=parent)
    try:
        archive.write_out(tmp_dir, verbose=False)
        if os.path.exists(filepath):
            backup = tempfile.mkdtemp(prefix=".old-export-", dir=parent)
            os.rmdir(backup)
            os.replace(filepath, backup)
            os.replace(tmp_dir, filepath)
            shutil.rmtree(backup, ignore_errors=True)
        else:
            os.replace(tmp_dir, filepath)
    finally:
        if os.path.exists(tmp_dir):
            shutil.rmtree(tmp_dir, ignore_errors=True)
    if verbose:
        names = ", ".join(sorted(endpoints))
        print(f"Saved a SavedModel to {filepath} with endpoints: {names}")
