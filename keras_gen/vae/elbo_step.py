"""The VAE's objective (ELBO or IWAE bound), `train_step` and `test_step`."""

import numpy as np
import tensorflow as tf

from keras_gen.core.training import ObjectiveStepMixin
from keras_gen.vae import elbo as elbo_lib
from keras_gen.vae import likelihoods


class ELBOStepMixin(ObjectiveStepMixin):
    """Adds the ELBO / IWAE objective, `train_step` and `test_step` to `VAE`.

    `_posterior_samples` draws `k` reparameterized posterior samples per
    example and scores them; `_objective` turns them into the losses that
    both steps share, and `log_prob` uses the same samples as importance
    samples. Per replica: draw fresh noise (the replica id is
    folded into the seed), compute the loss as a mean over the local batch,
    scale it by `1 / num_replicas_in_sync` before taking gradients (the
    optimizer sums gradients across replicas), and log the unscaled losses
    in `Mean` metrics, whose values Keras reduces to global means. Array
    data is checked eagerly in `fit()`/`evaluate()`, before any update;
    `tf.data` batches are checked in the graph, before the update.
    """

    loss_names = ("loss", "reconstruction_loss", "kl_loss")

    def _posterior_samples(self, x, conditions, k, seed, training=False):
        """Draws `k` posterior samples per example; returns the pieces of the bounds.

        Returns:
            `(log_likelihood (k, batch), z (k, batch, latent), mean, log_var)`.
        """
        mean, log_var = self._encode(x, conditions, training)
        shape = tf.concat([[k], tf.shape(mean)], axis=0)
        noise = tf.random.stateless_normal(shape, seed=seed, dtype=tf.float32)
        z = mean[None] + tf.exp(0.5 * log_var)[None] * noise
        flat_z = tf.reshape(z, tf.concat([[-1], self.latent_shape], axis=0))
        repeated = None if conditions is None else _repeat(conditions, k)
        params = self._decode_params(flat_z, repeated, training)
        log_likelihood = self._log_likelihood(
            _repeat(tf.cast(x, tf.float32), k), params
        )
        return tf.reshape(log_likelihood, [k, -1]), z, mean, log_var

    def _log_weights(self, x, conditions, k, seed):
        log_likelihood, z, mean, log_var = self._posterior_samples(
            x, conditions, k, seed
        )
        return elbo_lib.importance_log_weights(log_likelihood, z, mean, log_var)

    def kl_weight(self):
        """The KL weight of the current step: `beta * min(1, step / kl_warmup_steps)`."""
        if self.kl_warmup_steps == 0 or self.optimizer is None:
            return tf.constant(self.beta, tf.float32)
        step = tf.cast(self.optimizer.iterations, tf.float32)
        return self.beta * tf.minimum(1.0, step / float(self.kl_warmup_steps))

    def _objective(self, x, conditions, seed, training):
        """Returns `(loss, reconstruction_loss, kl_loss)`, means over the batch.

        Training uses the warm-up weight of the current step; evaluation uses
        `beta`, so that validation losses compare across epochs.
        """
        k = self.importance_samples
        kl_weight = self.kl_weight() if training else tf.constant(self.beta)
        log_likelihood, z, mean, log_var = self._posterior_samples(
            x, conditions, k, seed, training
        )
        reconstruction_loss = -tf.reduce_mean(log_likelihood)
        kl_loss = tf.reduce_mean(likelihoods.kl_diagonal_normal(mean, log_var))
        if k == 1:
            loss = reconstruction_loss + kl_weight * kl_loss
        else:
            log_w = elbo_lib.importance_log_weights(
                log_likelihood, z, mean, log_var, kl_weight
            )
            loss = -tf.reduce_mean(elbo_lib.iwae_bound(log_w))
        return loss, reconstruction_loss, kl_loss

    def compute_objective(self, x, conditions, training):
        """The logged losses of one batch (see `ObjectiveStepMixin`)."""
        losses = self._objective(x, conditions, self.draw_seed(), training)
        return dict(zip(self.loss_names, losses, strict=True))

    def _batch(self, data):
        x, conditions = super()._batch(data)
        if self.likelihood == "bernoulli":
            # `x` depends on the checks, so no update can happen before them.
            message = "`x` must be in [0, 1] for likelihood='bernoulli'."
            checks = [
                tf.debugging.assert_greater_equal(x, 0.0, message=message),
                tf.debugging.assert_less_equal(x, 1.0, message=message),
            ]
            with tf.control_dependencies(checks):
                x = tf.identity(x)
        return x, conditions

    def check_data(self, x, conditions=None):
        super().check_data(x, conditions)
        if isinstance(x, np.ndarray | tf.Tensor):
            self._check_values(x)

    def _check_values(self, x):
        """Eager range check of Bernoulli data (`tf.data` is checked in the graph)."""
        if self.likelihood != "bernoulli":
            return
        x = np.asarray(x)
        if x.size and (np.isnan(x).any() or x.min() < 0 or x.max() > 1):
            raise ValueError(
                "`x` must be in [0, 1] for likelihood='bernoulli' (binarize or "
                "rescale the data, or use likelihood='gaussian'). Received: x with "
                f"min={x.min()}, max={x.max()}"
            )


def _repeat(tensor, k):
    """Stacks `k` copies of a batch: `(batch, ...)` -> `(k * batch, ...)`."""
    shape = tf.shape(tensor)
    tiled = tf.broadcast_to(tensor[None], tf.concat([[k], shape], axis=0))
    return tf.reshape(tiled, tf.concat([[-1], shape[1:]], axis=0))
