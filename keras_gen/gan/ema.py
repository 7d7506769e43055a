"""Exponential moving average of a network's weights."""

import tensorflow as tf


class WeightAverager:
    """Keeps `average <- decay * average + (1 - decay) * weights`.

    Trainable weights are averaged; non-trainable ones (e.g. batch
    normalization statistics) are copied. Used by `GAN(ema_decay=...)`,
    following Karras et al. (2018), "Progressive Growing of GANs",
    https://arxiv.org/abs/1710.10196, and Yazici et al. (2019), "The
    Unusual Effectiveness of Averaging in GAN Training",
    https://arxiv.org/abs/1806.04498.

    Args:
        decay: The decay in `[0, 1)`, or `None` to do nothing.
    """

    def __init__(self, decay):
        self.decay = decay

    def update(self, average_model, model):
        """Moves `average_model`'s weights towards `model`'s.

        Under `tf.distribute` the new values are identical on every replica
        (the optimizer has already synchronised `model`), so each replica
        writes its own copy.
        """
        if self.decay is None or average_model is None:
            return
        decay = tf.constant(self.decay, tf.float32)
        for average, weight in zip(average_model.weights, model.weights, strict=True):
            if weight.trainable:
                value = decay * tf.cast(average, tf.float32) + (1.0 - decay) * tf.cast(
                    weight, tf.float32
                )
                _assign(average, tf.cast(value, average.dtype))
            else:
                _assign(average, weight)


def _assign(variable, value):
    context = tf.distribute.get_replica_context()
    if context is None or tf.distribute.get_strategy().num_replicas_in_sync == 1:
        variable.assign(value)
        return

    def merge_fn(strategy, var, per_replica_value):
        # Every replica computed the same value; keep replica 0's.
        first = strategy.experimental_local_results(per_replica_value)[0]
        strategy.extended.update(var, lambda v, x: v.assign(x), args=(first,))

    # `strategy.extended.update` wants the distributed `tf.Variable` behind
    # the Keras variable, and a tensor (a copied weight is a Keras variable).
    context.merge_call(merge_fn, args=(variable.value, tf.convert_to_tensor(value)))
