"""The VAE under `tf.distribute.MirroredStrategy` on 2 logical CPU devices.

Logical devices must be set before TensorFlow starts, so the comparison runs
in a fresh interpreter. The mirrored SGD update is compared with updates
computed on one device from the same weights, for the two half-batches and
the noise each replica should draw (`fold_in(seed, replica_id)`): it must be
their average (not their sum, and not what shared noise would give).
"""

import json
import textwrap

from model_checks import run_python

SCRIPT = textwrap.dedent(
    """
    import json
    import numpy as np
    import tensorflow as tf

    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(
        cpu, [tf.config.LogicalDeviceConfiguration()] * 2
    )
    import keras
    from keras_gen.vae import VAE

    BATCH, LR = 16, 0.5
    x = (np.random.default_rng(0).random((BATCH, 6)) > 0.5).astype("float32")

    def make_vae(strategy):
        with strategy.scope():
            keras.utils.set_random_seed(0)
            x_in = keras.Input((6,))
            h = keras.layers.Dense(8, activation="tanh")(x_in)
            encoder = keras.Model(x_in, [keras.layers.Dense(2)(h), keras.layers.Dense(2)(h)])
            z_in = keras.Input((2,))
            h = keras.layers.Dense(8, activation="tanh")(z_in)
            decoder = keras.Model(z_in, keras.layers.Dense(6)(h))
            vae = VAE(encoder, decoder, seed=3)
            vae.compile(optimizer=keras.optimizers.SGD(LR))
        return vae

    single = make_vae(tf.distribute.get_strategy())
    strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
    mirrored = make_vae(strategy)
    start = [np.asarray(w) for w in mirrored.get_weights()]
    assert all(np.array_equal(a, b) for a, b in zip(start, single.get_weights()))
    state = tf.cast(mirrored.seed_generator.state, tf.int32)
    logs = mirrored.fit(x, batch_size=BATCH, epochs=1, shuffle=False, verbose=0).history
    mirrored_delta = [np.asarray(w) - s for w, s in zip(mirrored.get_weights(), start)]

    def expected(replica_ids, scale):
        # One device: gradients of each half-batch with a given replica's noise.
        total, losses = None, []
        for half, replica in zip(np.split(x, 2), replica_ids):
            seed = tf.random.experimental.stateless_fold_in(state, replica)
            with tf.GradientTape() as tape:
                loss, _, _ = single._objective(tf.constant(half), None, seed, training=True)
            grads = tape.gradient(loss, single.trainable_variables)
            grads = [np.asarray(g) for g in grads]
            total = grads if total is None else [a + b for a, b in zip(total, grads)]
            losses.append(float(loss))
        names = [v.path for v in single.trainable_variables]
        by_name = dict(zip(names, total))
        order = [by_name.get(v.path) for v in single.weights]
        delta = [np.zeros_like(s) if g is None else -LR * scale * g
                 for g, s in zip(order, start)]
        return delta, float(np.mean(losses))

    def max_diff(a, b):
        return max(float(np.max(np.abs(u - v))) for u, v in zip(a, b))

    per_replica, loss = expected([0, 1], 0.5)
    summed, _ = expected([0, 1], 1.0)
    shared_noise, _ = expected([0, 0], 0.5)

    @tf.function
    def replica_seeds():
        return strategy.run(mirrored.draw_seed)

    seeds = strategy.experimental_local_results(replica_seeds())
    print(json.dumps({
        "replicas": strategy.num_replicas_in_sync,
        "update_norm": float(np.sqrt(sum(np.sum(d ** 2) for d in mirrored_delta))),
        "diff_per_replica": max_diff(mirrored_delta, per_replica),
        "diff_summed": max_diff(mirrored_delta, summed),
        "diff_shared_noise": max_diff(mirrored_delta, shared_noise),
        "mirrored_loss": float(logs["loss"][0]),
        "expected_loss": loss,
        "replica_seeds": [np.asarray(s).tolist() for s in seeds],
    }))
    """
)


def test_mirrored_update_matches_single_device():
    result = json.loads(run_python(SCRIPT).strip().splitlines()[-1])
    assert result["replicas"] == 2
    assert result["update_norm"] > 1e-2
    # The mirrored update is the average of the per-replica gradients ...
    assert result["diff_per_replica"] < 1e-5, result
    # ... not their sum (the bug of not dividing by num_replicas_in_sync) ...
    assert result["diff_summed"] > 1e-3, result
    # ... and each replica drew its own noise.
    assert result["diff_shared_noise"] > 1e-4, result
    first, second = result["replica_seeds"]
    assert first != second
    # The logged loss is the unscaled global mean.
    assert abs(result["mirrored_loss"] - result["expected_loss"]) < 1e-4, result
