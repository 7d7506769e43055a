"""The GAN's `train_step` and `test_step`, correct under `tf.distribute`."""

import keras
import tensorflow as tf

from keras_gen.core import random as random_lib
from keras_gen.core.training import replica_scale, unpack_data
from keras_gen.gan import penalties


class AdversarialStepMixin:
    """Adds the adversarial `train_step` to `GAN`.

    Per replica: draw fresh noise (the replica id is folded into the seed),
    compute each loss as a mean over the local batch, scale it by
    `1 / num_replicas_in_sync` before taking gradients (the optimizers sum
    gradients across replicas), and log the unscaled losses in `Mean`
    metrics, whose values Keras reduces to global means.
    """

    def _trackers(self):
        if not hasattr(self, "_loss_trackers"):
            names = ["discriminator_loss", "generator_loss"]
            if self.gradient_penalty_weight > 0:
                names.append("gradient_penalty")
            if self.r1_penalty_weight > 0:
                names.append("r1_penalty")
            self._loss_trackers = {n: keras.metrics.Mean(name=n) for n in names}
        return self._loss_trackers

    @property
    def metrics(self):
        return list(self._trackers().values())

    def _noise(self, batch_size, seed):
        shape = tf.concat([[batch_size], self.latent_shape], axis=0)
        return tf.random.stateless_normal(
            shape, seed=seed, dtype=self.generator.inputs[0].dtype
        )

    def _discriminator_losses(self, real, conditions, seed, training=True):
        """Discriminator objective on one batch; returns (total, logs).

        `training=False` (evaluation) runs both networks in inference mode,
        so batch-normalization statistics are left alone.
        """
        noise_seed, alpha_seed = random_lib.split_seed(seed)
        batch_size = tf.shape(real)[0]
        fake = self._run_generator(
            self.generator,
            self._noise(batch_size, noise_seed),
            conditions,
            training=training,
        )
        fake = tf.stop_gradient(tf.cast(fake, real.dtype))
        real_logits = self._discriminate(real, conditions, training)
        fake_logits = self._discriminate(fake, conditions, training)
        d_loss = self.discriminator_loss_fn(real_logits, fake_logits)
        logs = {"discriminator_loss": d_loss}
        total = d_loss
        if self.gradient_penalty_weight > 0:
            alpha = penalties.sample_interpolation_alpha(
                batch_size, real.shape.rank, alpha_seed, dtype=real.dtype
            )
            gp = penalties.gradient_penalty(
                self.discriminator, real, fake, alpha, conditions, training=training
            )
            logs["gradient_penalty"] = gp
            total += self.gradient_penalty_weight * tf.cast(gp, tf.float32)
        if self.r1_penalty_weight > 0:
            r1 = penalties.r1_penalty(
                self.discriminator, real, conditions, training=training
            )
            logs["r1_penalty"] = r1
            total += self.r1_penalty_weight * tf.cast(r1, tf.float32)
        return total, logs

    def _generator_loss(self, batch_size, conditions, seed, training=True):
        fake = self._run_generator(
            self.generator, self._noise(batch_size, seed), conditions, training
        )
        return self.generator_loss_fn(self._discriminate(fake, conditions, training))

    def train_step(self, data):
        if self.generator_optimizer is None:
            raise ValueError(f"Call `compile()` on GAN '{self.name}' before `fit()`.")
        real, conditions = unpack_data(data)
        conditions = self.check_batch(real, conditions)
        real = tf.cast(real, self.discriminator.inputs[0].dtype)
        scale = replica_scale()
        d_vars = self.discriminator.trainable_variables
        logs = {}
        for _ in range(self.discriminator_steps):
            with tf.GradientTape() as tape:
                total, logs = self._discriminator_losses(
                    real, conditions, self.draw_seed()
                )
                scaled = total * scale
            if d_vars:
                grads = tape.gradient(scaled, d_vars)
                self.discriminator_optimizer.apply_gradients(
                    zip(grads, d_vars, strict=True)
                )

        g_vars = self.generator.trainable_variables
        with tf.GradientTape() as tape:
            g_loss = self._generator_loss(
                tf.shape(real)[0], conditions, self.draw_seed()
            )
            scaled = g_loss * scale
        if g_vars:
            grads = tape.gradient(scaled, g_vars)
            self.generator_optimizer.apply_gradients(zip(grads, g_vars, strict=True))
        self.averager.update(self.ema_generator, self.generator)
        logs["generator_loss"] = g_loss
        return self._log(logs)

    def test_step(self, data):
        real, conditions = unpack_data(data)
        conditions = self.check_batch(real, conditions)
        real = tf.cast(real, self.discriminator.inputs[0].dtype)
        _, logs = self._discriminator_losses(
            real, conditions, self.draw_seed(), training=False
        )
        logs["generator_loss"] = self._generator_loss(
            tf.shape(real)[0], conditions, self.draw_seed(), training=False
        )
        return self._log(logs)

    def _log(self, logs):
        trackers = self._trackers()
        for name, value in logs.items():
            trackers[name].update_state(value)
        return {name: tracker.result() for name, tracker in trackers.items()}
