"""`GAN`: adversarial training of a generator against a discriminator."""

import keras
import tensorflow as tf

from keras_gen.core.generative_model import GenerativeModel
from keras_gen.core.validation import check_non_negative, check_positive_int
from keras_gen.gan import losses as losses_lib
from keras_gen.gan.adversarial_step import AdversarialStepMixin
from keras_gen.gan.ema import WeightAverager


@keras.saving.register_keras_serializable(package="keras_gen")
class GAN(AdversarialStepMixin, GenerativeModel):
    """A generative adversarial network trained with `fit()`.

    The generator maps noise `z ~ N(0, I)` (and, for a conditional GAN,
    conditions) to data; the discriminator maps data (and conditions) to
    logits. `train_step` updates the discriminator `discriminator_steps`
    times on a batch of real data and fresh fakes, then updates the
    generator through the discriminator's output alone: the generator never
    sees real data.

    Args:
        generator: A `keras.Model` taking `z` of shape `(latent_dim,)` (or
            `[z, conditions]`) and returning data. `latent_dim` is read from
            its first input.
        discriminator: A `keras.Model` taking data (or `[x, conditions]`)
            and returning logits of shape `(1,)`.
        loss: One of `"non_saturating"` (default), `"minimax"`,
            `"wasserstein"`, `"hinge"` and `"least_squares"`; see
            `keras_gen.gan.losses`.
        gradient_penalty: Weight of the WGAN-GP gradient penalty (0 = off).
        r1_penalty: Weight `gamma` of the R1 penalty on real data (0 = off).
        discriminator_steps: Discriminator updates per generator update
            (all on the same real batch, with fresh fakes each time).
        ema_decay: If set (e.g. `0.999`), keep an exponential moving average
            of the generator's weights; `sample()`, `generate()` and the
            export then use the averaged generator.
        seed: Optional integer seed of the model's noise.
        **kwargs: Passed to `keras.Model` (e.g. `name`).

    Example:

    ```python
    import keras_gen

    x = keras_gen.datasets.gaussian_ring(2048, seed=0)
    gan = keras_gen.GAN(
        keras_gen.networks.build_mlp_generator(latent_dim=8, data_shape=(2,)),
        keras_gen.networks.build_mlp_discriminator(data_shape=(2,)),
        loss="hinge",
    )
    gan.compile()
    gan.fit(x, batch_size=256, epochs=1, verbose=0)
    samples = gan.sample(16, seed=0)  # shape (16, 2)
    ```

    Raises:
        ValueError: for an unknown `loss`, a negative penalty weight,
            `discriminator_steps < 1`, `ema_decay` outside `[0, 1)`, or a
            generator and discriminator that do not fit together.
    """

    def __init__(
        self,
        generator,
        discriminator,
        loss="non_saturating",
        gradient_penalty=0.0,
        r1_penalty=0.0,
        discriminator_steps=1,
        ema_decay=None,
        seed=None,
        **kwargs,
    ):
        if not isinstance(loss, str):
            raise ValueError(
                f"`loss` must be the name of a loss, one of {sorted(losses_lib.LOSSES)}. "
                f"Received: loss={loss!r}"
            )
        loss_pair = losses_lib.get(loss)
        gradient_penalty = check_non_negative("gradient_penalty", gradient_penalty)
        r1_penalty = check_non_negative("r1_penalty", r1_penalty)
        discriminator_steps = check_positive_int(
            "discriminator_steps", discriminator_steps
        )
        if ema_decay is not None:
            ema_decay = check_non_negative("ema_decay", ema_decay)
            if ema_decay >= 1.0:
                raise ValueError(
                    f"`ema_decay` must be in [0, 1). Received: ema_decay={ema_decay}"
                )
        _check_networks(generator, discriminator)
        super().__init__(seed=seed, **kwargs)
        self.generator = generator
        self.discriminator = discriminator
        self.loss_name = loss
        self.discriminator_loss_fn, self.generator_loss_fn = loss_pair
        self.gradient_penalty_weight = gradient_penalty
        self.r1_penalty_weight = r1_penalty
        self.discriminator_steps = discriminator_steps
        self.ema_decay = ema_decay
        self.ema_generator = None
        if ema_decay is not None:
            self.ema_generator = keras.models.clone_model(generator)
            self.ema_generator.set_weights(generator.get_weights())
            self.ema_generator.trainable = False
        self.averager = WeightAverager(ema_decay)
        self.generator_optimizer = None
        self.discriminator_optimizer = None
        self._trackers()
        self.built = True

    # ------------------------------------------------------------------
    # Shapes and conditions.
    # ------------------------------------------------------------------
    @property
    def latent_shape(self):
        """Per-example shape of the generator's noise input."""
        return tuple(self.generator.inputs[0].shape[1:])

    @property
    def latent_dim(self):
        """Size of the noise vector (the generator's first input)."""
        shape = self.latent_shape
        return shape[0] if len(shape) == 1 else shape

    @property
    def data_shape(self):
        return tuple(self.generator.outputs[0].shape[1:])

    @property
    def condition_spec(self):
        if len(self.generator.inputs) < 2:
            return None
        condition_input = self.generator.inputs[1]
        return tf.TensorSpec(condition_input.shape, condition_input.dtype)

    @property
    def sampling_generator(self):
        """The generator that `sample()` uses: the EMA copy when enabled."""
        return self.ema_generator if self.ema_generator is not None else self.generator

    # ------------------------------------------------------------------
    # Generation.
    # ------------------------------------------------------------------
    def call(self, inputs, training=False):
        return self.sampling_generator(inputs, training=training)

    def generate(self, z, conditions=None):
        """Maps latent vectors `z` (and conditions) to data.

        Args:
            z: Latent vectors of shape `(batch, *latent_shape)`.
            conditions: Conditions for a conditional GAN, else `None`.

        Returns:
            A tensor of shape `(batch, *data_shape)`.
        """
        z = tf.convert_to_tensor(z, dtype=self.generator.inputs[0].dtype)
        if tuple(z.shape[1:]) != self.latent_shape:
            raise ValueError(
                f"`z` must have shape (batch, *{self.latent_shape}). "
                f"Received: z.shape={tuple(z.shape)}"
            )
        conditions = self.prepare_conditions(conditions, z.shape[0])
        return self._run_generator(
            self.sampling_generator, z, conditions, training=False
        )

    def generate_step(self, num_samples, seed, conditions=None):
        shape = tf.concat([[num_samples], self.latent_shape], axis=0)
        z = tf.random.stateless_normal(
            shape, seed=seed, dtype=self.generator.inputs[0].dtype
        )
        return self._run_generator(
            self.sampling_generator, z, conditions, training=False
        )

    @staticmethod
    def _run_generator(generator, z, conditions, training):
        inputs = z if conditions is None else [z, conditions]
        return generator(inputs, training=training)

    def _discriminate(self, x, conditions, training=True):
        inputs = x if conditions is None else [x, conditions]
        return tf.cast(self.discriminator(inputs, training=training), tf.float32)

    def export_endpoints(self):
        signature = [tf.TensorSpec((None, *self.latent_shape), tf.float32, name="z")]
        if not self.is_conditional:

            def generate(z):
                return self.sampling_generator(z, training=False)

            return {"generate": (generate, signature)}
        spec = self.condition_spec
        signature.append(tf.TensorSpec(spec.shape, spec.dtype, name="conditions"))

        def generate_conditional(z, conditions):
            return self.sampling_generator([z, conditions], training=False)

        return {"generate": (generate_conditional, signature)}

    # ------------------------------------------------------------------
    # Compilation and serialization.
    # ------------------------------------------------------------------
    def compile(self, generator_optimizer=None, discriminator_optimizer=None, **kwargs):
        """Configures the two optimizers.

        Both default to `keras.optimizers.Adam(learning_rate=2e-4,
        beta_1=0.5)` (Radford et al., 2015). They are built right away, so
        their state is saved in `.keras` files and they live in the current
        `tf.distribute` strategy scope.

        Args:
            generator_optimizer: Optimizer (instance, name or config) of
                the generator.
            discriminator_optimizer: Optimizer of the discriminator.
            **kwargs: Passed to `keras.Model.compile` (e.g. `jit_compile`,
                `steps_per_execution`); `optimizer` and `loss` are not
                accepted.
        """
        for name in ("optimizer", "loss"):
            if kwargs.get(name) is not None:
                raise ValueError(
                    f"GAN.compile() takes `generator_optimizer` and "
                    f"`discriminator_optimizer`, not `{name}`; the loss is set in "
                    f"the constructor. Received: {name}={kwargs[name]!r}"
                )
        kwargs.pop("optimizer", None)
        kwargs.pop("loss", None)
        # Both optimizers are resolved before anything is set, so a bad one
        # leaves the model as it was.
        generator_optimizer = _make_optimizer(generator_optimizer)
        discriminator_optimizer = _make_optimizer(discriminator_optimizer)
        super().compile(optimizer=None, **kwargs)
        self.generator_optimizer = generator_optimizer
        self.discriminator_optimizer = discriminator_optimizer
        self.generator_optimizer.build(self.generator.trainable_variables)
        self.discriminator_optimizer.build(self.discriminator.trainable_variables)

    def get_compile_config(self):
        config = super().get_compile_config() or {}
        config.pop("optimizer", None)
        config.pop("loss", None)
        return {
            **config,
            "generator_optimizer": keras.saving.serialize_keras_object(
                self.generator_optimizer
            ),
            "discriminator_optimizer": keras.saving.serialize_keras_object(
                self.discriminator_optimizer
            ),
        }

    def compile_from_config(self, config):
        config = dict(config)
        for key in ("generator_optimizer", "discriminator_optimizer"):
            config[key] = keras.saving.deserialize_keras_object(config[key])
        for key in ("loss", "optimizer", "metrics", "weighted_metrics", "loss_weights"):
            config.pop(key, None)
        self.compile(**config)

    def get_config(self):
        return {
            **super().get_config(),
            "generator": keras.saving.serialize_keras_object(self.generator),
            "discriminator": keras.saving.serialize_keras_object(self.discriminator),
            "loss": self.loss_name,
            "gradient_penalty": self.gradient_penalty_weight,
            "r1_penalty": self.r1_penalty_weight,
            "discriminator_steps": self.discriminator_steps,
            "ema_decay": self.ema_decay,
        }

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        for key in ("generator", "discriminator"):
            config[key] = keras.saving.deserialize_keras_object(config[key])
        return cls(**config)


def _make_optimizer(identifier):
    if identifier is None:
        return keras.optimizers.Adam(learning_rate=2e-4, beta_1=0.5)
    return keras.optimizers.get(identifier)


def _check_networks(generator, discriminator):
    for name, net in (("generator", generator), ("discriminator", discriminator)):
        if not isinstance(net, keras.Model) or not getattr(net, "inputs", None):
            raise ValueError(
                f"`{name}` must be a built `keras.Model` with defined inputs "
                f"(a functional or Sequential model with an `Input`). Received: {name}={net!r}"
            )
    if len(generator.inputs) != len(discriminator.inputs) or len(generator.inputs) > 2:
        raise ValueError(
            "`generator` and `discriminator` must both take one input (z / x) or both "
            "take two ([z, conditions] / [x, conditions]). Received: "
            f"generator inputs={len(generator.inputs)}, "
            f"discriminator inputs={len(discriminator.inputs)}"
        )
    data_shape = tuple(generator.outputs[0].shape[1:])
    expected = tuple(discriminator.inputs[0].shape[1:])
    if data_shape != expected:
        raise ValueError(
            "`discriminator` must take the generator's output. Expected input shape "
            f"{data_shape}. Received: discriminator input shape={expected}"
        )


__all__ = ["GAN"]
