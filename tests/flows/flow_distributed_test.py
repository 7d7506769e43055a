"""Training under `MirroredStrategy` on 2 CPU devices matches one device."""

import json
import textwrap

from model_checks import run_python

# Logical CPU devices must be configured before TensorFlow initializes, so
# the comparison runs in a fresh interpreter.
CODE = textwrap.dedent(
    """
    import json
    import tensorflow as tf

    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(
        cpu, [tf.config.LogicalDeviceConfiguration()] * 2
    )
    import keras
    import numpy as np
    import keras_gen.flows as flows

    rng = np.random.default_rng(0)
    x = rng.standard_normal((128, 2)).astype("float32")
    images = (rng.integers(0, 17, (128, 4, 4, 1)) / 16).astype("float32")
    labels = (np.arange(128) % 3).astype("int32")
    tiny = {"num_layers": 2, "hidden_units": (8, 8)}
    cases = {
        "real_nvp": (lambda: flows.RealNVP((2,), **tiny), (x,)),
        "maf_classes": (lambda: flows.MAF((2,), num_classes=3, **tiny), (x, labels)),
        # No dequantization: its noise is drawn per replica, so equal only in law.
        "glow": (
            lambda: flows.Glow((4, 4, 1), num_levels=1, num_layers=1,
                               hidden_units=(4,), pixel_levels=None),
            (images,),
        ),
    }

    def train(strategy, make, data):
        with strategy.scope():
            keras.utils.set_random_seed(0)
            flow = make()
            flow.compile(optimizer=keras.optimizers.SGD(0.05))
        initial = flow.get_weights()
        history = flow.fit(*data, batch_size=32, epochs=2, shuffle=False, verbose=0)
        weights = flow.get_weights()
        moved = max(float(np.max(np.abs(a - b))) for a, b in zip(initial, weights))
        return weights, history.history["loss"], moved

    single = tf.distribute.OneDeviceStrategy("/cpu:0")
    mirrored = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
    assert mirrored.num_replicas_in_sync == 2
    result = {}
    for name, (make, data) in cases.items():
        w1, loss1, moved = train(single, make, data)
        w2, loss2, _ = train(mirrored, make, data)
        result[name] = {
            "weights": max(float(np.max(np.abs(a - b))) for a, b in zip(w1, w2)),
            "loss": float(np.max(np.abs(np.subtract(loss1, loss2)))),
            "moved": moved,
        }
    print(json.dumps(result))
    """
)


def test_mirrored_training_matches_single_device():
    result = json.loads(run_python(CODE, timeout=600).strip().splitlines()[-1])
    assert set(result) == {"real_nvp", "maf_classes", "glow"}
    for name, diffs in result.items():
        assert diffs["weights"] < 1e-4, (name, diffs)
        assert diffs["loss"] < 1e-4, (name, diffs)
        assert diffs["moved"] > 1e-3, (name, diffs)  # training did something
