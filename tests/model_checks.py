"""The generic checks that every keras_gen model goes through.

`run_generative_model_checks(make_model, x, tmp_path, ...)`:

1. one `fit` epoch gives finite losses;
2. seeded samples are deterministic, fresh ones differ, shapes are right;
3. the config round-trips through JSON;
4. a `.keras` save and a load in a fresh process (safe mode on) give
   identical samples for the same seed and the same optimizer iterations;
5. the SavedModel export loads and runs in a process that cannot import
   keras_gen, keras, tf_keras or tensorflow_probability, and its `sample`
   endpoint returns the model's samples for the same seed.
"""

import json
import os
import subprocess
import sys
import textwrap

import keras
import numpy as np

BLOCK_IMPORTS = textwrap.dedent(
    """
    import sys

    # `None` in sys.modules makes `import name` fail and `find_spec(name)`
    # return None, exactly as when the package is not installed.
    for name in ("keras_gen", "keras", "tf_keras", "tensorflow_probability"):
        sys.modules[name] = None
    """
)


def run_python(code, timeout=300):
    """Runs `code` in a fresh interpreter; returns stdout, raises on failure.

    A child killed by a signal is run once more (TensorFlow's multi-device
    CPU runtime segfaulted once in about 40 runs of a MirroredStrategy test
    on a loaded 2-core machine); a second crash, or any failure of the code
    itself, fails.
    Python's faulthandler puts the crashing stack in the message.
    """
    env = {
        **os.environ,
        "TF_CPP_MIN_LOG_LEVEL": "3",
        "PYTHONHASHSEED": "0",
        "PYTHONFAULTHANDLER": "1",
    }
    for _ in range(2):
        result = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
        )
        if result.returncode >= 0:
            break
        print(
            f"Subprocess killed by signal {-result.returncode}:\n{result.stderr[-4000:]}"
        )
    if result.returncode != 0:
        raise AssertionError(
            f"Subprocess failed ({result.returncode}):\n{result.stdout}\n{result.stderr[-4000:]}"
        )
    return result.stdout


def optimizer_iterations(model, optimizer_attrs):
    return {
        name: int(getattr(model, name).iterations.numpy()) for name in optimizer_attrs
    }


def check_fit(model, x, conditions=None, batch_size=32):
    data = x if conditions is None else (x, conditions)
    if conditions is None:
        history = model.fit(x, batch_size=batch_size, epochs=1, verbose=0)
    else:
        history = model.fit(*data, batch_size=batch_size, epochs=1, verbose=0)
    assert history.history, "fit() returned no logs"
    for name, values in history.history.items():
        assert np.all(np.isfinite(values)), f"{name} is not finite: {values}"
    return history


def check_sampling(model, num_samples, conditions=None):
    a = np.asarray(model.sample(num_samples, seed=7, conditions=conditions))
    b = np.asarray(model.sample(num_samples, seed=7, conditions=conditions))
    c = np.asarray(model.sample(num_samples, seed=8, conditions=conditions))
    d = np.asarray(model.sample(num_samples, conditions=conditions))
    e = np.asarray(model.sample(num_samples, conditions=conditions))
    assert a.shape == (num_samples, *model.data_shape)
    assert np.all(np.isfinite(a))
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, c), "different seeds gave the same samples"
    assert not np.allclose(d, e), "seed=None gave the same samples twice"
    return a


def check_config_round_trip(model):
    config = json.loads(json.dumps(keras.saving.serialize_keras_object(model)))
    clone = keras.saving.deserialize_keras_object(config)
    assert type(clone) is type(model)
    assert clone.get_config().keys() == model.get_config().keys()
    assert clone.data_shape == model.data_shape
    return clone


def check_keras_round_trip(model, tmp_path, num_samples, conditions, optimizer_attrs):
    path = os.path.join(tmp_path, "model.keras")
    model.save(path)
    expected = np.asarray(model.sample(num_samples, seed=11, conditions=conditions))
    cond_path = os.path.join(tmp_path, "conditions.npy")
    if conditions is not None:
        np.save(cond_path, np.asarray(conditions))
    out_path = os.path.join(tmp_path, "reloaded_samples.npy")
    code = textwrap.dedent(
        f"""
        import json, numpy as np, keras, keras_gen
        model = keras.saving.load_model({path!r})
        conditions = np.load({cond_path!r}) if {conditions is not None} else None
        np.save({out_path!r}, np.asarray(model.sample({num_samples}, seed=11,
                                                     conditions=conditions)))
        print(json.dumps({{n: int(getattr(model, n).iterations.numpy())
                          for n in {list(optimizer_attrs)!r}}}))
        """
    )
    iterations = json.loads(run_python(code).strip().splitlines()[-1])
    np.testing.assert_array_equal(np.load(out_path), expected)
    assert iterations == optimizer_iterations(model, optimizer_attrs)
    assert all(v > 0 for v in iterations.values()), iterations


def check_export(model, tmp_path, num_samples, conditions, extra_endpoints):
    path = os.path.join(tmp_path, "exported")
    model.export(path, verbose=False)
    calls = {
        "sample": {"num_samples": np.int32(num_samples), "seed": np.int32([11, 0])}
    }
    expected = {
        "sample": np.asarray(model.sample(num_samples, seed=11, conditions=conditions))
    }
    if conditions is not None:
        calls["sample"]["conditions"] = np.asarray(model.prepare_conditions(conditions))
    for name, (kwargs, value) in (extra_endpoints or {}).items():
        calls[name] = kwargs
        expected[name] = value
    inputs_path = os.path.join(tmp_path, "endpoint_inputs.npz")
    flat = {f"{e}__{k}": v for e, kw in calls.items() for k, v in kw.items()}
    np.savez(inputs_path, **flat)
    code = BLOCK_IMPORTS + textwrap.dedent(
        f"""
        import numpy as np, tensorflow as tf
        loaded = tf.saved_model.load({path!r})
        flat = dict(np.load({inputs_path!r}))
        results = {{}}
        for endpoint in {sorted(calls)!r}:
            kwargs = {{k.split("__", 1)[1]: tf.constant(v) for k, v in flat.items()
                      if k.startswith(endpoint + "__")}}
            out = getattr(loaded, endpoint)(**kwargs)
            outs = out if isinstance(out, (list, tuple)) else [out]
            for i, o in enumerate(outs):
                results[f"{{endpoint}}__{{i}}"] = np.asarray(o)
        np.savez({os.path.join(tmp_path, "endpoint_outputs.npz")!r}, **results)
        import sys
        assert not any(m.split(".")[0] in ("keras", "keras_gen", "tensorflow_probability")
                       and sys.modules[m] is not None for m in sys.modules), "blocked import"
        """
    )
    run_python(code)
    outputs = dict(np.load(os.path.join(tmp_path, "endpoint_outputs.npz")))
    for name, value in expected.items():
        values = value if isinstance(value, list | tuple) else [value]
        for i, v in enumerate(values):
            np.testing.assert_allclose(
                outputs[f"{name}__{i}"],
                np.asarray(v),
                rtol=1e-5,
                atol=1e-5,
                err_msg=name,
            )


def run_generative_model_checks(
    make_model,
    x,
    tmp_path,
    conditions=None,
    sample_conditions=None,
    num_samples=6,
    optimizer_attrs=("optimizer",),
    extra_endpoints=None,
    batch_size=32,
):
    """Runs every generic check on a freshly made, compiled model.

    Args:
        make_model: Callable returning a new compiled model.
        x: Training data (a small array).
        tmp_path: Directory for files.
        conditions: Training conditions for conditional models.
        sample_conditions: Conditions for `sample()` (`num_samples` of them).
        num_samples: Number of samples drawn in the checks.
        optimizer_attrs: Attributes holding optimizers whose iterations must
            survive the `.keras` round-trip.
        extra_endpoints: `{name: callable(model) -> (kwargs, expected)}` for
            the family's own export endpoints.
        batch_size: Batch size of the `fit` check.

    Returns:
        The trained model.
    """
    model = make_model()
    check_fit(model, x, conditions, batch_size=batch_size)
    check_sampling(model, num_samples, sample_conditions)
    check_config_round_trip(model)
    check_keras_round_trip(
        model, tmp_path, num_samples, sample_conditions, optimizer_attrs
    )
    endpoints = {name: fn(model) for name, fn in (extra_endpoints or {}).items()}
    check_export(model, tmp_path, num_samples, sample_conditions, endpoints)
    return model
