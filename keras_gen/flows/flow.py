"""`Flow`: a normalizing flow, a standard normal pushed through invertible layers."""

import math

import keras
import numpy as np
import tensorflow as tf
import tensorflow_probability as tfp

from keras_gen.core.generative_model import GenerativeModel
from keras_gen.flows.checks import check_flow_arguments, check_input
from keras_gen.flows.training import MaximumLikelihoodMixin


class _FunctionCache:
    """Holds compiled functions out of sight of Keras and SavedModel tracking."""

    def __init__(self):
        self.functions = {}


@keras.saving.register_keras_serializable(package="keras_gen")
class Flow(MaximumLikelihoodMixin, GenerativeModel):
    """A normalizing flow: a standard normal base pushed through invertible layers.

    `layers` are `keras_gen.flows.FlowLayer`s listed from the data to the
    latent side: `inverse(x)` applies them in order, `forward(z)` in reverse.
    The density is exact, by the change of variables
    `log p(x) = log N(inverse(x); 0, I) + log|det d inverse(x) / dx|`, with
    the log-determinants accumulated in float32. `fit(x)` maximizes the
    likelihood (no loss argument); it logs `loss`, the mean negative
    log-likelihood in nats per example, and with `pixel_levels` also
    `bits_per_dim`.

    Args:
        event_shape: Per-example shape of the data, e.g. `(2,)`.
        layers: List of `FlowLayer`s, data side first.
        base: The base distribution; only `"normal"` (standard normal).
        num_classes: For a class-conditional flow, the number of classes:
            integer labels are embedded into `embedding_dim` features that
            every layer receives as context.
        condition_shape: For a flow conditioned on vectors, their shape
            `(d,)`. At most one of `num_classes` and `condition_shape`.
        embedding_dim: Size of the class embedding.
        pixel_levels: For data quantized to `pixel_levels` evenly spaced
            values in `[0, 1]` (256 for 8-bit images, 17 for scikit-learn
            digits / 16): training adds uniform noise of one level's width
            (dequantization) and logs `bits_per_dim`, the discrete
            negative log-likelihood bound in bits per dimension.
        seed: Optional integer seed of the model's noise.
        **kwargs: Passed to `keras.Model` (e.g. `name`).

    Example:

    >>> flow = keras_gen.flows.Flow(
    ...     (2,),
    ...     [
    ...         keras_gen.flows.AffineCoupling(hidden_units=(16,)),
    ...         keras_gen.flows.Permute(),
    ...         keras_gen.flows.AffineCoupling(hidden_units=(16,)),
    ...     ],
    ... )
    >>> flow.compile(optimizer="adam")
    >>> x = keras_gen.datasets.moons(512, seed=0)
    >>> history = flow.fit(x, batch_size=128, epochs=1, verbose=0)
    >>> flow.log_prob(x[:3]).shape
    TensorShape([3])
    >>> flow.sample(4, seed=0).shape
    TensorShape([4, 2])
    >>> z = flow.inverse(x[:3])  # data -> latent; `forward(z)` maps back
    >>> bool(np.allclose(flow.forward(z), x[:3], atol=1e-4))
    True

    Raises:
        ValueError: for a malformed `event_shape`, no or non-flow layers,
            layers that do not fit the event shape, an unknown `base`, both
            `num_classes` and `condition_shape`, or a bad `pixel_levels`.
    """

    def __init__(
        self,
        event_shape,
        layers,
        base="normal",
        num_classes=None,
        condition_shape=None,
        embedding_dim=8,
        pixel_levels=None,
        seed=None,
        **kwargs,
    ):
        (
            event_shape,
            layers,
            num_classes,
            condition_shape,
            embedding_dim,
            pixel_levels,
        ) = check_flow_arguments(
            event_shape,
            layers,
            base,
            num_classes,
            condition_shape,
            embedding_dim,
            pixel_levels,
        )
        super().__init__(seed=seed, **kwargs)
        self.event_shape = event_shape
        self.base = base
        self.num_classes = num_classes
        self.condition_shape = condition_shape
        self.embedding_dim = embedding_dim
        self.pixel_levels = pixel_levels
        self.flow_layers = layers
        self.condition_embedding = None
        context_shape = None
        if num_classes is not None:
            self.condition_embedding = keras.layers.Embedding(
                num_classes, embedding_dim, name="condition_embedding"
            )
            self.condition_embedding.build((None,))
            context_shape = (None, embedding_dim)
        elif condition_shape is not None:
            context_shape = (None, *condition_shape)
        shape = (None, *event_shape)
        for layer in layers:
            if not layer.built:
                layer.build(shape, context_shape)
            shape = tuple(layer.compute_output_shape(shape))
        if int(np.prod(shape[1:])) != int(np.prod(event_shape)):
            raise ValueError(
                "The layers must keep the number of features. Expected "
                f"{int(np.prod(event_shape))}. Received: latent shape {shape[1:]}"
            )
        self.latent_shape = tuple(int(d) for d in shape[1:])
        self._compiled = _FunctionCache()
        self.built = True

    # ------------------------------------------------------------------
    # Shapes and conditions.
    # ------------------------------------------------------------------
    @property
    def data_shape(self):
        return self.event_shape

    @property
    def condition_spec(self):
        if self.num_classes is not None:
            return tf.TensorSpec((None,), tf.int32)
        if self.condition_shape is not None:
            return tf.TensorSpec((None, *self.condition_shape), tf.float32)
        return None

    def _context(self, conditions):
        """Embeds class ids; passes condition vectors through; float32."""
        if conditions is None:
            return None
        if self.condition_embedding is not None:
            return tf.cast(self.condition_embedding(conditions), tf.float32)
        return tf.cast(conditions, tf.float32)

    def prepare_conditions(self, conditions, num_samples=None):
        """Validates `conditions` as the base does, and class ids' range.

        `sample()` calls it before drawing a seed, so an out-of-range class
        id raises a `ValueError` and leaves the seed generator untouched.
        """
        conditions = super().prepare_conditions(conditions, num_samples)
        if conditions is not None and self.num_classes is not None:
            if tf.executing_eagerly():
                ids = conditions.numpy()
                if ids.size and (ids.min() < 0 or ids.max() >= self.num_classes):
                    raise ValueError(
                        f"`conditions` must be class ids in [0, {self.num_classes}). "
                        f"Received: conditions in [{ids.min()}, {ids.max()}]"
                    )
        return conditions

    # ------------------------------------------------------------------
    # The maps and the density.
    # ------------------------------------------------------------------
    def bijector(self, conditions=None):
        """The whole flow as one TFP bijector (`forward`: latent to data).

        Args:
            conditions: Conditions (a tensor) for a conditional flow.

        Returns:
            A `tfp.bijectors.Chain` of the layers' bijectors.
        """
        context = self._context(conditions)
        return tfp.bijectors.Chain(
            [layer.bijector(context) for layer in self.flow_layers]
        )

    def inverse_and_log_det(self, x, conditions=None):
        """Maps data to latents; returns `(z, log|det dz/dx|)`, per example."""
        context = self._context(conditions)
        log_det = tf.zeros(tf.shape(x)[:1], tf.float32)
        for layer in self.flow_layers:
            x, layer_log_det = layer.inverse_and_log_det(x, context)
            log_det += layer_log_det
        return x, log_det

    def forward_and_log_det(self, z, conditions=None):
        """Maps latents to data; returns `(x, log|det dx/dz|)`, per example."""
        context = self._context(conditions)
        log_det = tf.zeros(tf.shape(z)[:1], tf.float32)
        for layer in reversed(self.flow_layers):
            z, layer_log_det = layer.forward_and_log_det(z, context)
            log_det += layer_log_det
        return z, log_det

    def base_log_prob(self, z):
        """Log-density of the standard normal base, summed over the event."""
        z = tf.reshape(tf.cast(z, tf.float32), [tf.shape(z)[0], -1])
        size = float(np.prod(self.latent_shape))
        return -0.5 * tf.reduce_sum(tf.square(z), axis=-1) - 0.5 * size * math.log(
            2 * math.pi
        )

    def log_prob_step(self, x, conditions=None):
        """`log p(x)` for tensors already checked; used by every entry point."""
        z, log_det = self.inverse_and_log_det(tf.cast(x, tf.float32), conditions)
        return self.base_log_prob(z) + log_det

    def forward_step(self, z, conditions=None):
        return self.forward_and_log_det(tf.cast(z, tf.float32), conditions)[0]

    def inverse_step(self, x, conditions=None):
        return self.inverse_and_log_det(tf.cast(x, tf.float32), conditions)[0]

    def generate_step(self, num_samples, seed, conditions=None):
        shape = tf.concat([[num_samples], self.latent_shape], axis=0)
        z = tf.random.stateless_normal(shape, seed=seed, dtype=tf.float32)
        return self.forward_step(z, conditions)

    def _run(self, name, value, conditions):
        functions = self._compiled.functions
        if name not in functions:
            step = getattr(self, f"{name}_step")
            functions[name] = tf.function(step, reduce_retracing=True, autograph=False)
        if conditions is None:
            return functions[name](value)
        return functions[name](value, conditions)

    def log_prob(self, x, conditions=None):
        """Exact log-density of `x`, in nats.

        Args:
            x: Data of shape `(batch, *event_shape)`.
            conditions: For conditional flows, class ids `(batch,)` or
                vectors `(batch, d)` (or a single one for the whole batch).

        Returns:
            A float32 tensor of shape `(batch,)`.

        Raises:
            ValueError: if `x` has the wrong shape, or `conditions` are
                missing, unexpected or malformed.
        """
        x = check_input("x", x, self.event_shape)
        return self._run("log_prob", x, self.prepare_conditions(conditions, x.shape[0]))

    def forward(self, z, conditions=None):
        """Maps latents `z` of shape `(batch, *latent_shape)` to data."""
        z = check_input("z", z, self.latent_shape)
        return self._run("forward", z, self.prepare_conditions(conditions, z.shape[0]))

    def inverse(self, x, conditions=None):
        """Maps data `x` of shape `(batch, *event_shape)` to latents."""
        x = check_input("x", x, self.event_shape)
        return self._run("inverse", x, self.prepare_conditions(conditions, x.shape[0]))

    def call(self, x, conditions=None, training=False):
        """Returns `log_prob(x, conditions)`."""
        return self.log_prob_step(x, conditions)

    def export_endpoints(self):
        x_spec = tf.TensorSpec((None, *self.event_shape), tf.float32, name="x")
        z_spec = tf.TensorSpec((None, *self.latent_shape), tf.float32, name="z")
        if not self.is_conditional:

            def log_prob(x):
                return self.log_prob_step(x)

            def forward(z):
                return self.forward_step(z)

            def inverse(x):
                return self.inverse_step(x)

            return {
                "log_prob": (log_prob, [x_spec]),
                "forward": (forward, [z_spec]),
                "inverse": (inverse, [x_spec]),
            }
        spec = self.condition_spec
        c_spec = tf.TensorSpec(spec.shape, spec.dtype, name="conditions")

        def log_prob_conditional(x, conditions):
            return self.log_prob_step(x, conditions)

        def forward_conditional(z, conditions):
            return self.forward_step(z, conditions)

        def inverse_conditional(x, conditions):
            return self.inverse_step(x, conditions)

        return {
            "log_prob": (log_prob_conditional, [x_spec, c_spec]),
            "forward": (forward_conditional, [z_spec, c_spec]),
            "inverse": (inverse_conditional, [x_spec, c_spec]),
        }

    # ------------------------------------------------------------------
    # Serialization.
    # ------------------------------------------------------------------
    def get_config(self):
        return {
            **super().get_config(),
            "event_shape": list(self.event_shape),
            "layers": [
                keras.saving.serialize_keras_object(x) for x in self.flow_layers
            ],
            "base": self.base,
            "num_classes": self.num_classes,
            "condition_shape": None
            if self.condition_shape is None
            else list(self.condition_shape),
            "embedding_dim": self.embedding_dim,
            "pixel_levels": self.pixel_levels,
        }

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if "layers" in config:
            config["layers"] = [
                keras.saving.deserialize_keras_object(x) for x in config["layers"]
            ]
        return cls(**config)


__all__ = ["Flow"]
