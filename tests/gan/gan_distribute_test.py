"""The GAN under `tf.distribute.MirroredStrategy` on 2 logical CPU devices.

Logical devices must be set before TensorFlow starts, so the comparison
runs in a fresh interpreter.
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
    import keras_gen

    LATENT, BATCH = 32, 64
    x = np.random.default_rng(0).normal(size=(BATCH, 2)).astype("float32")

    def make_gan():
        keras.utils.set_random_seed(0)
        # A zero generator kernel makes G(z) = bias for every z, so the
        # discriminator's update and the generator's bias update do not
        # depend on the noise, which differs per replica.
        z = keras.Input((LATENT,))
        g = keras.Model(z, keras.layers.Dense(2, kernel_initializer="zeros",
                                              bias_initializer="ones")(z))
        d_in = keras.Input((2,))
        h = keras.layers.Dense(8, activation="tanh")(d_in)
        d = keras.Model(d_in, keras.layers.Dense(1)(h))
        gan = keras_gen.GAN(g, d, r1_penalty=1.0, ema_decay=0.5, seed=3)
        gan.compile(generator_optimizer=keras.optimizers.SGD(0.5),
                    discriminator_optimizer=keras.optimizers.SGD(0.5))
        return gan

    def train(strategy):
        with strategy.scope():
            gan = make_gan()
            start = [w.copy() for w in gan.get_weights()]
        history = gan.fit(x, batch_size=BATCH, epochs=1, shuffle=False, verbose=0)
        return gan, start, {k: float(v[0]) for k, v in history.history.items()}

    single, start, single_logs = train(tf.distribute.get_strategy())
    mirrored_strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
    mirrored, start_m, mirrored_logs = train(mirrored_strategy)

    def delta(gan, begin, layer):
        names = [v.path for v in gan.weights]
        return {n: np.asarray(w) - b for n, w, b in zip(names, gan.get_weights(), begin)
                if layer in n}

    @tf.function
    def replica_seeds():
        return mirrored_strategy.run(mirrored.draw_seed)
    seeds = mirrored_strategy.experimental_local_results(replica_seeds())

    g_single = [w - b for w, b in zip(single.generator.get_weights(), start[:2])]
    g_mirror = [w - b for w, b in zip(mirrored.generator.get_weights(), start_m[:2])]
    print(json.dumps({
        "single_logs": single_logs,
        "mirrored_logs": mirrored_logs,
        "replicas": mirrored_strategy.num_replicas_in_sync,
        "d_max_diff": max(float(np.max(np.abs(a - b))) for a, b in zip(
            single.discriminator.get_weights(), mirrored.discriminator.get_weights())),
        "d_update_norm": float(sum(np.sum((a - b) ** 2) for a, b in zip(
            single.discriminator.get_weights(),
            start[2:2 + len(single.discriminator.get_weights())])) ** 0.5),
        "g_bias_single": g_single[1].tolist(),
        "g_bias_mirrored": g_mirror[1].tolist(),
        "g_kernel_norm_ratio": float(np.linalg.norm(g_mirror[0]) / np.linalg.norm(g_single[0])),
        "replica_seeds": [np.asarray(s).tolist() for s in seeds],
        # After one step the average is 0.5 * start + 0.5 * trained weights.
        "ema_max_error": max(
            float(np.max(np.abs(np.asarray(e) - (0.5 * b + 0.5 * np.asarray(w)))))
            for gan_, begin in ((single, start), (mirrored, start_m))
            for e, b, w in zip(gan_.ema_generator.get_weights(), begin[:2],
                               gan_.generator.get_weights())
        ),
        "ema_bias_single": np.asarray(single.ema_generator.get_weights()[1]).tolist(),
        "ema_bias_mirrored": np.asarray(mirrored.ema_generator.get_weights()[1]).tolist(),
    }))
    """
)


def test_mirrored_update_matches_single_device():
    result = json.loads(run_python(SCRIPT).strip().splitlines()[-1])
    assert result["replicas"] == 2
    # The discriminator update is noise-free here: it must match exactly,
    # not be twice as large (the bug of summing per-replica mean losses).
    assert result["d_update_norm"] > 1e-3
    assert result["d_max_diff"] < 1e-5
    for a, b in zip(result["g_bias_single"], result["g_bias_mirrored"], strict=True):
        assert abs(a - b) < 1e-5
        assert abs(a) > 1e-4
    # The kernel update depends on the (per-replica) noise: same size, not 2x.
    assert 0.6 < result["g_kernel_norm_ratio"] < 1.6
    # Logged losses are global means, equal to the single-device ones.
    for key, value in result["single_logs"].items():
        assert abs(result["mirrored_logs"][key] - value) < 1e-5, key
    # The EMA generator is updated under the strategy, like on one device.
    assert result["ema_max_error"] < 1e-6
    for a, b in zip(
        result["ema_bias_single"], result["ema_bias_mirrored"], strict=True
    ):
        assert abs(a - b) < 1e-5
    # Each replica draws its own noise.
    first, second = result["replica_seeds"]
    assert first != second
