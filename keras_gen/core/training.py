"""Pieces of `train_step` shared by every model family.

- `unpack_data` splits what `fit()` hands a step into `(x, conditions)`.
- `replica_scale` is the factor that makes a per-replica mean loss give the
  single-device update under `tf.distribute`.
- `BatchChecksMixin.check_batch` validates a batch against the model's
  `data_shape` and `condition_spec` while the step is traced, so a bad
  batch raises before any weight changes.
- `ObjectiveStepMixin` is the whole `compile`/`train_step`/`test_step` of a
  model trained on one objective with one optimizer (`VAE`, `Flow`).
"""

import keras
import tensorflow as tf

from keras_gen.core.validation import check_shape

COMPILE_KEYS_NOT_TAKEN = ("loss", "metrics", "weighted_metrics", "loss_weights")


def unpack_data(data):
    """Splits a batch from `fit()` into `(x, conditions)`.

    `fit(numpy)` hands `(x,)`, a `tf.data` dataset may hand a bare tensor,
    and a conditional model gets `(x, conditions)`.
    """
    if isinstance(data, dict):
        raise ValueError(
            "`x` must be a tensor or an `(x, conditions)` pair, not a dict. "
            f"Received: keys={sorted(data)}"
        )
    if isinstance(data, list | tuple):
        data = tuple(d for d in data if d is not None)
        if len(data) == 1:
            return data[0], None
        if len(data) == 2:
            return data
        raise ValueError(
            "Expected batches of `x` or `(x, conditions)`. "
            f"Received: a tuple of {len(data)} elements"
        )
    return data, None


def replica_scale():
    """`1 / num_replicas_in_sync`: the optimizer sums gradients over replicas."""
    return 1.0 / tf.distribute.get_strategy().num_replicas_in_sync


def match_conditions(conditions, spec):
    """Casts a batch of conditions to `spec` and fixes a `(B,)`/`(B, 1)` mismatch."""
    conditions = tf.cast(conditions, spec.dtype)
    if spec.shape.rank == 2 and spec.shape[-1] == 1 and conditions.shape.rank == 1:
        conditions = conditions[:, None]
    if (
        spec.shape.rank == 1
        and conditions.shape.rank == 2
        and conditions.shape[-1] == 1
    ):
        conditions = conditions[:, 0]
    check_shape("conditions", conditions.shape[1:], spec.shape[1:])
    return conditions


class BatchChecksMixin:
    """`check_batch(x, conditions)` for models with `data_shape`/`condition_spec`."""

    def check_batch(self, x, conditions):
        """Validates one batch; returns `conditions` cast to the model's spec.

        Raises:
            ValueError: if `x` does not have the model's per-example shape,
                or conditions are missing (conditional model) or given
                (unconditional model), or of the wrong shape.
        """
        kind = self.__class__.__name__
        check_shape("x", x.shape[1:], self.data_shape)
        if self.is_conditional and conditions is None:
            raise ValueError(
                f"`conditions` are required: {kind} '{self.name}' is conditional. "
                "Fit it on `(x, conditions)` pairs. Received: batches of x alone"
            )
        if not self.is_conditional and conditions is not None:
            raise ValueError(
                f"`conditions` must be None: {kind} '{self.name}' is not conditional. "
                f"Received: conditions with shape {tuple(conditions.shape)}"
            )
        if conditions is None:
            return None
        return match_conditions(conditions, self.condition_spec)


class ObjectiveStepMixin:
    """`compile`, `train_step` and `test_step` for one objective, one optimizer.

    The model provides `loss_names` (the logged values, `"loss"` first) and
    `compute_objective(x, conditions, training)`, which returns a dict of
    those values for one (validated) batch, `"loss"` being what is
    minimized. Per replica, the loss is a mean over the local batch, scaled
    by `1 / num_replicas_in_sync` before the gradients are taken (the
    optimizer sums them); the unscaled values go to `Mean` metrics, which
    Keras reduces to global means.
    """

    default_learning_rate = 1e-3
    loss_names = ("loss",)

    def _trackers(self):
        if not hasattr(self, "_objective_trackers"):
            self._objective_trackers = {
                name: keras.metrics.Mean(name=name) for name in self.loss_names
            }
        return self._objective_trackers

    @property
    def metrics(self):
        return list(self._trackers().values())

    def compile(self, optimizer=None, **kwargs):
        """Configures the optimizer; the objective is fixed by the model.

        The optimizer is built right away, so its state is saved in `.keras`
        files and lives in the current `tf.distribute` strategy scope.

        Args:
            optimizer: Optimizer instance, name or config; default
                `keras.optimizers.Adam(learning_rate=1e-3)`.
            **kwargs: Passed to `keras.Model.compile` (e.g. `jit_compile`,
                `steps_per_execution`); `loss` and `metrics` are not accepted.
        """
        kind = self.__class__.__name__
        for name in COMPILE_KEYS_NOT_TAKEN:
            if kwargs.get(name) is not None:
                raise ValueError(
                    f"{kind}.compile() takes no `{name}`: the model trains on its own "
                    f"objective, set in its constructor. Received: {name}={kwargs[name]!r}"
                )
            kwargs.pop(name, None)
        if optimizer is None:
            optimizer = keras.optimizers.Adam(learning_rate=self.default_learning_rate)
        super().compile(optimizer=keras.optimizers.get(optimizer), **kwargs)
        self.optimizer.build(self.trainable_variables)

    def get_compile_config(self):
        config = dict(super().get_compile_config() or {})
        for key in COMPILE_KEYS_NOT_TAKEN:
            config.pop(key, None)
        return config

    def compile_from_config(self, config):
        config = dict(config)
        for key in COMPILE_KEYS_NOT_TAKEN:
            config.pop(key, None)
        config["optimizer"] = keras.saving.deserialize_keras_object(
            config.get("optimizer")
        )
        self.compile(**config)

    def _batch(self, data):
        x, conditions = unpack_data(data)
        conditions = self.check_batch(x, conditions)
        return tf.cast(x, tf.float32), conditions

    def train_step(self, data):
        if getattr(self, "optimizer", None) is None:
            raise ValueError(
                f"Call `compile()` on {self.__class__.__name__} '{self.name}' before `fit()`."
            )
        x, conditions = self._batch(data)
        variables = self.trainable_variables
        # Every op below waits for `x`, and so for the batch's runtime checks
        # (e.g. Bernoulli data in [0, 1]): a bad batch draws no seed and
        # counts no optimizer step, not only changes no weight.
        with tf.control_dependencies([x]):
            with tf.GradientTape() as tape:
                logs = self.compute_objective(x, conditions, training=True)
                scaled = logs["loss"] * replica_scale()
            gradients = tape.gradient(scaled, variables)
            self.optimizer.apply_gradients(zip(gradients, variables, strict=True))
        return self._log(logs)

    def test_step(self, data):
        x, conditions = self._batch(data)
        with tf.control_dependencies([x]):
            logs = self.compute_objective(x, conditions, training=False)
        return self._log(logs)

    def _log(self, logs):
        trackers = self._trackers()
        for name, tracker in trackers.items():
            tracker.update_state(logs[name])
        return {name: tracker.result() for name, tracker in trackers.items()}
