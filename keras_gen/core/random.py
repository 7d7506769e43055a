"""Seeds for stateless random ops.

Every random draw in keras_gen goes through a stateless op
(`tf.random.stateless_*`) with an `int32[2]` seed, so that the same seed gives
the same numbers in eager mode, in a compiled function, after a `.keras`
round-trip and in an exported SavedModel.
"""

import numbers

import numpy as np
import tensorflow as tf

INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1
FRESH_SEED_TAG = 0x5EED


def check_integer_seed(seed):
    """Returns `seed` as an `int`; raises unless it is in `[0, 2**31 - 1]`."""
    if (
        isinstance(seed, bool)
        or not isinstance(seed, numbers.Integral | np.integer)
        or not 0 <= int(seed) <= INT32_MAX
    ):
        raise ValueError(
            f"`seed` must be an integer in [0, {INT32_MAX}]. Received: seed={seed!r}"
        )
    return int(seed)


def to_seed_tensor(seed):
    """Converts a user seed to an `int32[2]` tensor.

    Args:
        seed: An integer `s` in `[0, 2**31 - 1]` (taken as the pair
            `[s, 0]`), or a pair of int32 values (list, array or tensor of
            shape `(2,)`).

    Returns:
        An `int32` tensor of shape `(2,)`.

    Raises:
        ValueError: if `seed` is neither an integer nor a pair of integers,
            or out of the int32 range.
    """
    if isinstance(seed, bool):
        raise ValueError(
            f"`seed` must be an integer or a pair of integers. Received: seed={seed!r}"
        )
    if isinstance(seed, numbers.Integral | np.integer):
        return tf.constant([check_integer_seed(seed), 0], dtype=tf.int32)
    if isinstance(seed, tf.Tensor):
        if not tf.executing_eagerly():
            if seed.dtype.is_integer and seed.shape == (2,):
                return tf.cast(seed, tf.int32)
        else:
            seed = seed.numpy()  # checked below, like an array
    try:
        pair = np.asarray(seed)
    except Exception:  # noqa: BLE001 - anything not array-like is reported below
        pair = None
    if pair is None or pair.shape != (2,) or not np.issubdtype(pair.dtype, np.integer):
        raise ValueError(
            f"`seed` must be an integer or a pair of integers. Received: seed={seed!r}"
        )
    if pair.min() < INT32_MIN or pair.max() > INT32_MAX:
        raise ValueError(
            f"`seed` must be a pair of int32 values, in [{INT32_MIN}, {INT32_MAX}]. "
            f"Received: seed={seed!r}"
        )
    return tf.constant(pair.astype(np.int32))


def fresh_seed(seed_generator):
    """A seed for `seed=None`: the generator's next state, folded with a tag.

    The generator's states are pairs `[s, k]`, the same pairs that users
    pass as seeds; folding in a fixed tag keeps "fresh" noise from
    repeating the noise of an explicit `seed=[s, k]`.
    """
    state = tf.cast(seed_generator.next(), tf.int32)
    return tf.random.experimental.stateless_fold_in(state, FRESH_SEED_TAG)


def split_seed(seed, num=2):
    """Derives `num` independent seeds from one `int32[2]` seed tensor."""
    return tf.unstack(tf.random.experimental.stateless_split(seed, num=num))


def replica_seed(seed):
    """Folds the replica id into `seed`, so each replica draws its own noise.

    Outside `tf.distribute` (or on replica 0) the seed is still folded with 0,
    so a single device draws what replica 0 of a mirrored run draws.
    """
    context = tf.distribute.get_replica_context()
    replica_id = 0 if context is None else context.replica_id_in_sync_group
    replica_id = tf.cast(replica_id, tf.int32)
    return tf.random.experimental.stateless_fold_in(tf.cast(seed, tf.int32), replica_id)
