"""`VAE`: a variational autoencoder trained on the ELBO or the IWAE bound."""

import keras
import numpy as np
import tensorflow as tf

from keras_gen.core.generative_model import GenerativeModel
from keras_gen.core.validation import (
    check_choice,
    check_non_negative,
    check_non_negative_int,
    check_positive,
    check_positive_int,
    check_shape,
)
from keras_gen.vae import elbo as elbo_lib
from keras_gen.vae import likelihoods
from keras_gen.vae.elbo_step import ELBOStepMixin

LIKELIHOODS = ("bernoulli", "gaussian")
LOG_VAR_RANGE = (-10.0, 10.0)
"""The encoder's `log_var` is clipped to this range (std from 0.0067 to 148)."""
LOG_SCALE_RANGE = (-7.0, 7.0)
"""A learned Gaussian scale is clipped to `exp` of this range."""


@keras.saving.register_keras_serializable(package="keras_gen")
class VAE(ELBOStepMixin, GenerativeModel):
    """A variational autoencoder (Kingma & Welling, 2013) trained with `fit()`.

    The encoder maps `x` (or `[x, conditions]`) to the mean and log-variance
    of a diagonal Gaussian posterior `q(z|x)`; `log_var` is clipped to
    `LOG_VAR_RANGE = (-10, 10)` so a bad batch cannot overflow. The decoder
    maps `z` (or `[z, conditions]`) to the parameters of `p(x|z)`: logits
    for `"bernoulli"`, the mean for `"gaussian"`. The prior is `N(0, I)`.

    `fit()` minimises the negative ELBO, `reconstruction_loss + w * kl_loss`
    with `w = beta * min(1, step / kl_warmup_steps)` (`step` is the
    optimizer's `iterations`, so warm-up resumes after a reload). With
    `importance_samples = k > 1` the loss is the negative IWAE bound over
    `k` posterior samples (Burda et al., 2015), whose prior-to-posterior log
    ratio is weighted by `w` the same way. `reconstruction_loss` is the mean
    of `-log p(x|z)` and `kl_loss` the closed-form KL, both per example.
    `evaluate()` (and `val_` logs) report the same three values with the
    full weight `beta`, so that validation losses compare across epochs
    (early stopping during a warm-up would otherwise favour early epochs).

    Args:
        encoder: A `keras.Model` taking `x` (or `[x, conditions]`) and
            returning `[mean, log_var]`, two tensors of shape `(latent_dim,)`.
        decoder: A `keras.Model` taking `z` (or `[z, conditions]`) and
            returning tensors of the data's shape (logits or means).
        likelihood: `"bernoulli"` (data in `[0, 1]`) or `"gaussian"`.
        beta: Non-negative weight of the KL term (Higgins et al., 2017).
        kl_warmup_steps: Training steps over which the KL weight grows
            linearly from 0 to `beta` (0: no warm-up).
        importance_samples: Posterior samples per example in training;
            `k > 1` trains on the IWAE bound.
        gaussian_scale: Standard deviation of the Gaussian likelihood, a
            positive number, or `"learned"` for a single learned scale
            (a weight of the VAE, starting at 1, clipped to
            `exp(LOG_SCALE_RANGE)`). Unused for Bernoulli.
        seed: Optional integer seed of the model's noise.
        **kwargs: Passed to `keras.Model` (e.g. `name`).

    Example:

    ```python
    import keras_gen

    (x, _), _, _ = keras_gen.datasets.load_digits(
        binarize=True, flatten=True, split=(1000, 350, 447))
    vae = keras_gen.VAE(
        keras_gen.networks.build_mlp_encoder(64, latent_dim=8),
        keras_gen.networks.build_mlp_decoder(8, 64),
        likelihood="bernoulli",
    )
    vae.compile(optimizer="adam")
    vae.fit(x, batch_size=100, epochs=1, verbose=0)
    nll = -vae.log_prob(x[:10], num_samples=100)  # nats, per example
    ```

    Raises:
        ValueError: for an unknown `likelihood`, a negative `beta`, a bad
            `kl_warmup_steps`, `importance_samples` or `gaussian_scale`, an
            encoder that does not return two tensors of equal shape, or a
            decoder that does not fit the encoder.

    Reference:
        - Kingma & Welling, https://arxiv.org/abs/1312.6114
        - Burda et al. (IWAE), https://arxiv.org/abs/1509.00519
        - Higgins et al., beta-VAE, ICLR 2017
    """

    def __init__(
        self,
        encoder,
        decoder,
        likelihood="bernoulli",
        beta=1.0,
        kl_warmup_steps=0,
        importance_samples=1,
        gaussian_scale=1.0,
        seed=None,
        **kwargs,
    ):
        check_choice("likelihood", likelihood, LIKELIHOODS)
        beta = check_non_negative("beta", beta)
        kl_warmup_steps = check_non_negative_int("kl_warmup_steps", kl_warmup_steps)
        importance_samples = check_positive_int(
            "importance_samples", importance_samples
        )
        gaussian_scale = _check_gaussian_scale(gaussian_scale)
        _check_networks(encoder, decoder)
        super().__init__(seed=seed, **kwargs)
        self.encoder = encoder
        self.decoder = decoder
        self.likelihood = likelihood
        self.beta = beta
        self.kl_warmup_steps = kl_warmup_steps
        self.importance_samples = importance_samples
        self.gaussian_scale = gaussian_scale
        self.log_gaussian_scale = None
        if likelihood == "gaussian" and gaussian_scale == "learned":
            self.log_gaussian_scale = self.add_weight(
                shape=(), initializer="zeros", name="log_gaussian_scale"
            )
        self._trackers()
        self._compiled_log_prob = None
        self.built = True

    # ------------------------------------------------------------------
    # Shapes and conditions.
    # ------------------------------------------------------------------
    @property
    def data_shape(self):
        return tuple(self.encoder.inputs[0].shape[1:])

    @property
    def latent_shape(self):
        """Per-example shape of the latent code, `(latent_dim,)`."""
        return tuple(self.encoder.outputs[0].shape[1:])

    @property
    def latent_dim(self):
        """Size of the latent code."""
        return self.latent_shape[0]

    @property
    def condition_spec(self):
        if len(self.encoder.inputs) < 2:
            return None
        condition_input = self.encoder.inputs[1]
        return tf.TensorSpec(condition_input.shape, condition_input.dtype)

    # ------------------------------------------------------------------
    # The probabilistic pieces (graph-friendly, on tensors).
    # ------------------------------------------------------------------
    def _encode(self, x, conditions=None, training=False):
        inputs = x if conditions is None else [x, conditions]
        mean, log_var = self.encoder(inputs, training=training)
        log_var = tf.clip_by_value(tf.cast(log_var, tf.float32), *LOG_VAR_RANGE)
        return tf.cast(mean, tf.float32), log_var

    def _decode_params(self, z, conditions=None, training=False):
        inputs = z if conditions is None else [z, conditions]
        return tf.cast(self.decoder(inputs, training=training), tf.float32)

    def _log_scale(self):
        if self.log_gaussian_scale is not None:
            return tf.clip_by_value(self.log_gaussian_scale, *LOG_SCALE_RANGE)
        return tf.constant(np.log(self.gaussian_scale), tf.float32)

    def _log_likelihood(self, x, params):
        if self.likelihood == "bernoulli":
            return likelihoods.bernoulli_log_likelihood(x, params)
        return likelihoods.gaussian_log_likelihood(x, params, self._log_scale())

    def _mean(self, params):
        return tf.sigmoid(params) if self.likelihood == "bernoulli" else params

    # ------------------------------------------------------------------
    # The public API.
    # ------------------------------------------------------------------
    def call(self, inputs, training=False):
        x, conditions = (
            (inputs[0], inputs[1])
            if isinstance(inputs, list | tuple)
            else (inputs, None)
        )
        mean, _ = self._encode(x, conditions, training)
        return self._mean(self._decode_params(mean, conditions, training))

    @staticmethod
    def _as_batch(value, name, per_example_shape):
        value = tf.convert_to_tensor(value)
        if value.shape.rank is None or value.shape.rank < 1:
            raise ValueError(
                f"`{name}` must be a batch. Received: {name}.shape={tuple(value.shape)}"
            )
        check_shape(name, value.shape[1:], per_example_shape)
        return tf.cast(value, tf.float32)

    def encode(self, x, conditions=None):
        """Returns `(mean, log_var)` of the posterior `q(z|x)`.

        Args:
            x: Data of shape `(batch, *data_shape)`.
            conditions: Conditions of a conditional VAE, else `None`.

        Returns:
            Two tensors of shape `(batch, latent_dim)`; `log_var` is clipped
            to `LOG_VAR_RANGE`.
        """
        x = self._as_batch(x, "x", self.data_shape)
        return self._encode(x, self.prepare_conditions(conditions, x.shape[0]))

    def decode(self, z, conditions=None):
        """Returns the mean of `p(x|z)`: probabilities for Bernoulli.

        Args:
            z: Latent codes of shape `(batch, latent_dim)`.
            conditions: Conditions of a conditional VAE, else `None`.

        Returns:
            A tensor of shape `(batch, *data_shape)`.
        """
        z = self._as_batch(z, "z", self.latent_shape)
        conditions = self.prepare_conditions(conditions, z.shape[0])
        return self._mean(self._decode_params(z, conditions))

    def reconstruct(self, x, conditions=None):
        """Decodes the posterior mean of `x`: `decode(encode(x)[0])`."""
        mean, _ = self.encode(x, conditions)
        return self.decode(mean, conditions)

    def generate_step(self, num_samples, seed, conditions=None):
        shape = tf.concat([[num_samples], self.latent_shape], axis=0)
        z = tf.random.stateless_normal(shape, seed=seed, dtype=tf.float32)
        return self._mean(self._decode_params(z, conditions))

    def log_prob(self, x, num_samples=100, seed=None, conditions=None):
        """Importance-sampled estimate of `log p(x)` per example, in nats.

        `log (1/k) sum_i p(x, z_i) / q(z_i|x)` with `z_i ~ q(z|x)`: the IWAE
        bound with `k = num_samples`, whose expectation grows with `k` towards
        `log p(x)` (Burda et al., 2015). Examples and samples are processed
        in chunks, so memory does not grow with `num_samples`.

        Args:
            x: Data of shape `(n, *data_shape)`.
            num_samples: Number of importance samples per example.
            seed: `None` for fresh noise, or an integer (or pair) for a
                reproducible estimate (as in the exported `log_prob`).
            conditions: Conditions of a conditional VAE, else `None`.

        Returns:
            A float32 tensor of shape `(n,)`.

        Raises:
            ValueError: for a malformed `x`, `num_samples` or `conditions`,
                or Bernoulli data outside `[0, 1]`.
        """
        num_samples = check_positive_int("num_samples", num_samples)
        x = self._as_batch(x, "x", self.data_shape)
        if x.shape[0] == 0:
            raise ValueError(
                "`x` must hold at least one example. Received: x.shape[0]=0"
            )
        self._check_values(x)
        conditions = self.prepare_conditions(conditions, x.shape[0])
        seed = self.resolve_seed(seed)
        if self._compiled_log_prob is None:
            self._compiled_log_prob = tf.function(
                self._log_prob_graph, reduce_retracing=True
            )
        return self._compiled_log_prob(
            x, tf.constant(num_samples, tf.int32), seed, conditions
        )

    def _log_prob_graph(self, x, num_samples, seed, conditions=None):
        return elbo_lib.importance_sampled_log_prob(
            self._log_weights, tf.cast(x, tf.float32), conditions, num_samples, seed
        )

    def export_endpoints(self):
        x_spec = tf.TensorSpec((None, *self.data_shape), tf.float32, name="x")
        z_spec = tf.TensorSpec((None, *self.latent_shape), tf.float32, name="z")
        num_spec = tf.TensorSpec((), tf.int32, name="num_samples")
        seed_spec = tf.TensorSpec((2,), tf.int32, name="seed")
        if not self.is_conditional:
            return {
                "encode": (lambda x: self._encode(x), [x_spec]),
                "decode": (lambda z: self._mean(self._decode_params(z)), [z_spec]),
                "log_prob": (self._log_prob_graph, [x_spec, num_spec, seed_spec]),
            }
        c_spec = tf.TensorSpec(
            self.condition_spec.shape, self.condition_spec.dtype, name="conditions"
        )

        def decode(z, conditions):
            return self._mean(self._decode_params(z, conditions))

        def log_prob(x, num_samples, seed, conditions):
            return self._log_prob_graph(x, num_samples, seed, conditions)

        return {
            "encode": (
                lambda x, conditions: self._encode(x, conditions),
                [x_spec, c_spec],
            ),
            "decode": (decode, [z_spec, c_spec]),
            "log_prob": (log_prob, [x_spec, num_spec, seed_spec, c_spec]),
        }

    # ------------------------------------------------------------------
    # Compilation and serialization.
    # ------------------------------------------------------------------
    def get_config(self):
        return {
            **super().get_config(),
            "encoder": keras.saving.serialize_keras_object(self.encoder),
            "decoder": keras.saving.serialize_keras_object(self.decoder),
            "likelihood": self.likelihood,
            "beta": self.beta,
            "kl_warmup_steps": self.kl_warmup_steps,
            "importance_samples": self.importance_samples,
            "gaussian_scale": self.gaussian_scale,
        }

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        for key in ("encoder", "decoder"):
            config[key] = keras.saving.deserialize_keras_object(config[key])
        return cls(**config)


def _check_gaussian_scale(value):
    if isinstance(value, str) and value == "learned":
        return value
    try:
        return check_positive("gaussian_scale", value)
    except ValueError:
        raise ValueError(
            "`gaussian_scale` must be a positive number or 'learned'. "
            f"Received: gaussian_scale={value!r}"
        ) from None


def _check_networks(encoder, decoder):
    for name, net in (("encoder", encoder), ("decoder", decoder)):
        if not isinstance(net, keras.Model) or not getattr(net, "inputs", None):
            raise ValueError(
                f"`{name}` must be a built `keras.Model` with defined inputs (a "
                f"functional or Sequential model with an `Input`). Received: {name}={net!r}"
            )
    outputs = encoder.outputs
    if len(outputs) != 2 or tuple(outputs[0].shape) != tuple(outputs[1].shape):
        shapes = [tuple(o.shape) for o in outputs]
        raise ValueError(
            "`encoder` must return two tensors of equal shape, `[mean, log_var]`. "
            f"Received: encoder output shapes={shapes}"
        )
    if len(outputs[0].shape) != 2:
        raise ValueError(
            "`encoder` must return latent vectors of shape (batch, latent_dim). "
            f"Received: encoder output shapes={[tuple(o.shape) for o in outputs]}"
        )
    if len(encoder.inputs) != len(decoder.inputs) or len(encoder.inputs) > 2:
        raise ValueError(
            "`encoder` and `decoder` must both take one input (x / z) or both take "
            f"two ([x, conditions] / [z, conditions]). Received: encoder inputs="
            f"{len(encoder.inputs)}, decoder inputs={len(decoder.inputs)}"
        )
    latent_shape = tuple(outputs[0].shape[1:])
    if tuple(decoder.inputs[0].shape[1:]) != latent_shape:
        raise ValueError(
            f"`decoder` must take latent codes of the encoder's shape {latent_shape}. "
            f"Received: decoder input shape={tuple(decoder.inputs[0].shape[1:])}"
        )
    data_shape = tuple(encoder.inputs[0].shape[1:])
    if len(decoder.outputs) != 1 or tuple(decoder.outputs[0].shape[1:]) != data_shape:
        raise ValueError(
            f"`decoder` must return one tensor of the data's shape {data_shape} (the "
            "encoder's input shape). Received: decoder output shapes="
            f"{[tuple(o.shape[1:]) for o in decoder.outputs]}"
        )
    if len(encoder.inputs) == 2:
        enc_c, dec_c = encoder.inputs[1], decoder.inputs[1]
        if (
            tuple(enc_c.shape[1:]) != tuple(dec_c.shape[1:])
            or enc_c.dtype != dec_c.dtype
        ):
            raise ValueError(
                "`encoder` and `decoder` must take conditions of the same shape and "
                f"dtype. Received: encoder conditions {enc_c.shape} {enc_c.dtype}, "
                f"decoder conditions {dec_c.shape} {dec_c.dtype}"
            )


__all__ = ["LIKELIHOODS", "LOG_VAR_RANGE", "VAE"]
