"""The `Flow`'s objective: the negative log-likelihood, with dequantization.

`compile`, `train_step` and `test_step` come from
`keras_gen.core.training.ObjectiveStepMixin`; this module adds only what is
particular to flows: uniform dequantization of quantized data and the
`bits_per_dim` log.
"""

import math

import numpy as np
import tensorflow as tf

from keras_gen.core.training import ObjectiveStepMixin


def bits_per_dim(nll, num_dims, pixel_levels):
    """Bits per dimension of data quantized to `pixel_levels` values in `[0, 1]`.

    The continuous NLL (nats per example) of data scaled to `[0, 1]` becomes
    a bound on the discrete NLL by adding `log(pixel_levels - 1)` per
    dimension (the log-volume of one quantization bin), then is converted
    to bits: `(nll / num_dims + log(K - 1)) / log 2`.

    Args:
        nll: Negative log-likelihood in nats per example (scalar or tensor).
        num_dims: Number of dimensions of one example.
        pixel_levels: Number of quantization levels `K`.

    Returns:
        The bits per dimension, of the same shape as `nll`.

    Example:

    >>> round(float(bits_per_dim(0.0, 64, 17)), 4)  # log2(16)
    4.0
    """
    return (nll / float(num_dims) + math.log(pixel_levels - 1)) / math.log(2.0)


class MaximumLikelihoodMixin(ObjectiveStepMixin):
    """Maximum likelihood for `Flow`, correct under `tf.distribute`.

    The loss is the mean negative log-likelihood of the local batch (after
    dequantization noise drawn from a per-replica seed, for quantized
    data); `ObjectiveStepMixin` scales it per replica and logs global means.
    """

    @property
    def loss_names(self):
        return ("loss", "bits_per_dim") if self.pixel_levels else ("loss",)

    def dequantize(self, x, seed=None):
        """Adds uniform noise of one quantization level's width, centred on `x`.

        Args:
            x: Data quantized to `pixel_levels` values in `[0, 1]`.
            seed: `int32[2]` seed; default the model's next per-replica seed.
        """
        seed = self.draw_seed() if seed is None else seed
        width = 1.0 / (self.pixel_levels - 1)
        noise = tf.random.stateless_uniform(tf.shape(x), seed=seed, dtype=tf.float32)
        return x + (noise - 0.5) * width

    def compute_objective(self, x, conditions, training):
        """Mean negative log-likelihood of a checked batch, in nats per example.

        Quantized data (`pixel_levels`) is dequantized first, in training and
        evaluation alike, so `bits_per_dim` is the same bound in both.
        """
        if self.pixel_levels:
            x = self.dequantize(x)
        loss = -tf.reduce_mean(self.log_prob_step(x, conditions))
        logs = {"loss": loss}
        if self.pixel_levels:
            num_dims = int(np.prod(self.event_shape))
            logs["bits_per_dim"] = bits_per_dim(loss, num_dims, self.pixel_levels)
        return logs
