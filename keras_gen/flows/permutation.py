"""`Permute`: a fixed permutation of the features, between coupling layers."""

import keras
import numpy as np
import tensorflow_probability as tfp

from keras_gen.flows.flow_layer import FlowLayer

tfb = tfp.bijectors


@keras.saving.register_keras_serializable(package="keras_gen")
class Permute(FlowLayer):
    """Permutes the last axis, so the next layer transforms other features.

    Volume-preserving (log-det 0); the bijector is `tfp.bijectors.Permute`.

    Args:
        permutation: `"reverse"` (default), or a list of the indices
            `0 .. d - 1` in some order: latent feature `i` is data feature
            `permutation[i]`.
        **kwargs: Passed to `keras.layers.Layer`.

    Raises:
        ValueError: if `permutation` is not `"reverse"` or a permutation of
            the last axis.
    """

    def __init__(self, permutation="reverse", **kwargs):
        super().__init__(**kwargs)
        if isinstance(permutation, str):
            if permutation != "reverse":
                raise ValueError(
                    "`permutation` must be 'reverse' or a list of indices. "
                    f"Received: permutation={permutation!r}"
                )
        else:
            permutation = [int(i) for i in permutation]
        self.permutation = permutation

    def build(self, x_shape, context_shape=None):
        super().build(x_shape, context_shape)
        depth = self.data_shape[-1]
        if self.permutation == "reverse":
            self._permutation = np.arange(depth)[::-1].copy()
        else:
            self._permutation = np.asarray(self.permutation, dtype="int64")
            if sorted(self._permutation.tolist()) != list(range(depth)):
                raise ValueError(
                    f"`permutation` must hold each index of 0 .. {depth - 1} once. "
                    f"Received: permutation={self.permutation}"
                )

    def bijector(self, context=None):
        del context
        # `forward` (latent -> data) applies the inverse permutation.
        return tfb.Invert(tfb.Permute(permutation=self._permutation, axis=-1))

    def get_config(self):
        return {**super().get_config(), "permutation": self.permutation}


__all__ = ["Permute"]
