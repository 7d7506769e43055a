"""`GenerativeModel`: the base class shared by `GAN`, `VAE` and `Flow`."""

import os
import tempfile

import keras
import numpy as np
import tensorflow as tf

from keras_gen.core import export as export_lib
from keras_gen.core import random as random_lib
from keras_gen.core.training import BatchChecksMixin
from keras_gen.core.validation import (
    check_positive_int,
    check_shape,
)

SEED_STATE_KEY = "seed_generator_state"


@keras.saving.register_keras_serializable(package="keras_gen")
class GenerativeModel(BatchChecksMixin, keras.Model):
    """Base class of every keras_gen model.

    It owns the contract shared by all model families:

    - `sample(num_samples, seed=None, conditions=None)` draws new data. Each
      family implements only `generate_step(num_samples, seed, conditions)`
      with stateless random ops; the base validates the arguments, resolves
      the seed and wraps `generate_step` in a compiled `tf.function` once.
    - A `keras.random.SeedGenerator` (`seed_generator`) provides fresh noise
      for `seed=None` and for training. Its state is saved in `.keras` files,
      so a reloaded model resumes training bit-exactly.
    - `export(filepath)` writes a TF SavedModel whose endpoints run without
      keras_gen, Keras or TensorFlow Probability installed.

    Subclasses implement `data_shape`, `condition_spec` (for conditional
    models), `generate_step` and optionally `export_endpoints`.

    Args:
        seed: Optional integer seed of the model's `SeedGenerator`. With
            `None`, a random seed is drawn.
        **kwargs: Passed to `keras.Model` (e.g. `name`).
    """

    def __init__(self, seed=None, **kwargs):
        super().__init__(**kwargs)
        if seed is not None:
            seed = random_lib.check_integer_seed(seed)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed, name="seed_generator")
        self._compiled_generate = None

    # ------------------------------------------------------------------
    # What each family provides.
    # ------------------------------------------------------------------
    @property
    def data_shape(self):
        """The per-example shape of the data, e.g. `(2,)` or `(28, 28, 1)`."""
        raise NotImplementedError

    @property
    def condition_spec(self):
        """`tf.TensorSpec` of a batch of conditions, or `None` if unconditional."""
        return None

    @property
    def is_conditional(self):
        """Whether the model takes `conditions`."""
        return self.condition_spec is not None

    def generate_step(self, num_samples, seed, conditions=None):
        """Draws `num_samples` samples with stateless ops from an `int32[2]` seed."""
        raise NotImplementedError

    def export_endpoints(self):
        """Extra SavedModel endpoints: `{name: (fn, input_signature)}`."""
        return {}

    # ------------------------------------------------------------------
    # The shared generative API.
    # ------------------------------------------------------------------
    def sample(self, num_samples, seed=None, conditions=None):
        """Draws new data from the model.

        Args:
            num_samples: Positive integer, the number of samples.
            seed: `None` for fresh noise from the model's `SeedGenerator`
                (which training draws from too: fresh samples between two
                `fit()` calls change the noise of the second), an integer
                `s` in `[0, 2**31 - 1]` for reproducible samples (the same
                as the pair `[s, 0]` passed to the exported `sample`
                endpoint), or a pair of int32 values.
            conditions: For conditional models, class ids or conditioning
                vectors: one per sample, or a single one for all samples.
                Must be `None` for unconditional models.

        Returns:
            A tensor of shape `(num_samples, *data_shape)`.

        Raises:
            ValueError: if `num_samples` is not a positive integer, if the
                seed is malformed, or if `conditions` is missing, unexpected
                or of the wrong shape.
        """
        num_samples = check_positive_int("num_samples", num_samples)
        conditions = self.prepare_conditions(conditions, num_samples)
        seed = self.resolve_seed(seed)
        if self._compiled_generate is None:
            self._compiled_generate = tf.function(
                self.generate_step, reduce_retracing=True
            )
        num_samples = tf.constant(num_samples, dtype=tf.int32)
        if conditions is None:
            return self._compiled_generate(num_samples, seed)
        return self._compiled_generate(num_samples, seed, conditions)

    def prepare_conditions(self, conditions, num_samples=None):
        """Validates `conditions` and returns them as a tensor (or `None`).

        A single condition (a scalar class id, or one vector) is repeated
        `num_samples` times.
        """
        spec = self.condition_spec
        if spec is None:
            if conditions is not None:
                raise ValueError(
                    f"`conditions` must be None: {self.__class__.__name__} "
                    f"'{self.name}' is not conditional. Received: "
                    f"conditions with shape {np.shape(conditions)}"
                )
            return None
        if conditions is None:
            raise ValueError(
                f"`conditions` is required: {self.__class__.__name__} '{self.name}' "
                f"is conditional and expects conditions of shape {spec.shape}. "
                "Received: conditions=None"
            )
        conditions = tf.convert_to_tensor(conditions)
        if spec.dtype.is_integer and not conditions.dtype.is_integer:
            raise ValueError(
                "`conditions` must be integer class ids. "
                f"Received: conditions with dtype {conditions.dtype.name}"
            )
        conditions = tf.cast(conditions, spec.dtype)
        per_example = tuple(spec.shape[1:])
        if per_example == (1,) and conditions.shape.rank == 0:
            conditions = conditions[None]
        if num_samples is not None and tuple(conditions.shape) == per_example:
            conditions = tf.broadcast_to(conditions[None], (num_samples, *per_example))
        if per_example == (1,) and conditions.shape.rank == 1:
            conditions = conditions[:, None]
        if (
            per_example == ()
            and conditions.shape.rank == 2
            and conditions.shape[-1] == 1
        ):
            conditions = conditions[:, 0]
        if not spec.shape.is_compatible_with(conditions.shape):
            raise ValueError(
                f"`conditions` has the wrong shape. Expected {spec.shape} "
                f"(batch first). Received: conditions.shape={tuple(conditions.shape)}"
            )
        if num_samples is not None and conditions.shape[0] != num_samples:
            raise ValueError(
                f"`conditions` must hold one condition per sample ({num_samples}) "
                f"or a single one. Received: conditions.shape={tuple(conditions.shape)}"
            )
        return conditions

    def check_data(self, x, conditions=None):
        """Eager checks of array data, run by `fit()` and `evaluate()`.

        `tf.data` batches are checked when the train step is traced.

        Raises:
            ValueError: if `x` does not have the model's per-example shape, or
                conditions are missing or unexpected.
        """
        if not isinstance(x, np.ndarray | tf.Tensor):
            return
        check_shape("x", x.shape[1:], self.data_shape)
        kind = self.__class__.__name__
        if self.is_conditional and conditions is None:
            raise ValueError(
                f"`conditions` are required: {kind} '{self.name}' is conditional. "
                "Call `fit(x, conditions)`. Received: conditions=None"
            )
        if not self.is_conditional and conditions is not None:
            raise ValueError(
                f"`conditions` must be None: {kind} '{self.name}' is not conditional. "
                f"Received: conditions with shape {np.shape(conditions)}"
            )

    def fit(self, x=None, y=None, *args, **kwargs):
        """Trains the model; see `keras.Model.fit`. Conditions go in `y`."""
        self.check_data(x, y)
        validation = kwargs.get("validation_data")
        if isinstance(validation, list | tuple) and validation:
            self.check_data(
                validation[0], validation[1] if len(validation) > 1 else None
            )
        return super().fit(x, y, *args, **kwargs)

    def evaluate(self, x=None, y=None, *args, **kwargs):
        """Evaluates the model's losses; see `keras.Model.evaluate`."""
        self.check_data(x, y)
        return super().evaluate(x, y, *args, **kwargs)

    def resolve_seed(self, seed):
        """A user's `seed` as an `int32[2]` tensor; `None` draws a fresh one.

        Raises:
            ValueError: if `seed` is malformed (see `core.random.to_seed_tensor`).
        """
        if seed is None:
            return random_lib.fresh_seed(self.seed_generator)
        return random_lib.to_seed_tensor(seed)

    def draw_seed(self):
        """Next `int32[2]` seed from the model's `SeedGenerator`, per replica."""
        return random_lib.replica_seed(self.seed_generator.next())

    # ------------------------------------------------------------------
    # Saving and export.
    # ------------------------------------------------------------------
    def get_config(self):
        return {**super().get_config(), "seed": self.seed}

    def save_own_variables(self, store):
        super().save_own_variables(store)
        store[SEED_STATE_KEY] = keras.ops.convert_to_numpy(self.seed_generator.state)

    def load_own_variables(self, store):
        if SEED_STATE_KEY in store:
            self.seed_generator.state.assign(np.asarray(store[SEED_STATE_KEY]))
        own = {key: store[key] for key in store.keys() if key != SEED_STATE_KEY}
        super().load_own_variables(own)

    def save(self, filepath, overwrite=True, **kwargs):
        """Saves the model to a `.keras` file, atomically.

        The file is written next to its destination and moved into place
        only once complete, so a failure never leaves a half-written file
        or destroys an existing one.
        """
        filepath = os.fspath(filepath)
        if not filepath.endswith(".keras"):
            return super().save(filepath, overwrite=overwrite, **kwargs)
        if os.path.exists(filepath) and not overwrite:
            raise FileExistsError(
                f"`filepath` already exists and `overwrite=False`. Received: filepath={filepath}"
            )
        directory = os.path.dirname(os.path.abspath(filepath))
        fd, tmp_path = tempfile.mkstemp(suffix=".keras", dir=directory)
        os.close(fd)
        try:
            super().save(tmp_path, overwrite=True, **kwargs)
            os.replace(tmp_path, filepath)
        finally:
            if os.path.exists(tmp_path):
                os.remove(tmp_path)

    def export(self, filepath, format="tf_saved_model", verbose=True, **kwargs):
        """Exports the model as a TF SavedModel with named endpoints.

        Every model serves `sample(num_samples, seed)` (plus `conditions` for
        conditional models), where `num_samples` is an `int32` scalar and
        `seed` an `int32[2]`; each family adds its own endpoints. The
        SavedModel loads with `tf.saved_model.load` alone, without keras_gen,
        Keras or TensorFlow Probability. The directory is written next to
        its destination and moved into place when complete.

        Args:
            filepath: Directory to write the SavedModel to.
            format: Only `"tf_saved_model"` is supported.
            verbose: Whether to print a summary of the endpoints.

        Raises:
            ValueError: if `format` is not `"tf_saved_model"`, or the model
                is not built.
        """
        if format != "tf_saved_model":
            raise ValueError(
                f"`format` must be 'tf_saved_model'. Received: format={format!r}"
            )
        if not self.built:
            raise ValueError(
                f"Model '{self.name}' must be built before export: call `fit()`, "
                "`build()` or `sample()` first."
            )
        endpoints = {"sample": self._sample_endpoint(), **self.export_endpoints()}
        export_lib.write_saved_model(self, filepath, endpoints, verbose=verbose)

    def _sample_endpoint(self):
        signature = [
            tf.TensorSpec((), tf.int32, name="num_samples"),
            tf.TensorSpec((2,), tf.int32, name="seed"),
        ]
        if not self.is_conditional:

            def sample(num_samples, seed):
                return self.generate_step(num_samples, seed)

            return sample, signature

        spec = self.condition_spec
        signature.append(tf.TensorSpec(spec.shape, spec.dtype, name="conditions"))

        def sample_conditional(num_samples, seed, conditions):
            shape = tf.concat([[num_samples], tf.shape(conditions)[1:]], axis=0)
            return self.generate_step(
                num_samples, seed, tf.broadcast_to(conditions, shape)
            )

        return sample_conditional, signature
