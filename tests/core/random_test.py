import numpy as np
import pytest
import tensorflow as tf

from keras_gen.core import random as random_lib


def test_integer_and_pair_seeds():
    np.testing.assert_array_equal(random_lib.to_seed_tensor(5), [5, 0])
    np.testing.assert_array_equal(random_lib.to_seed_tensor([3, 4]), [3, 4])
    np.testing.assert_array_equal(random_lib.to_seed_tensor(np.int64(2)), [2, 0])
    seed = random_lib.to_seed_tensor(tf.constant([1, 2], tf.int64))
    assert seed.dtype == tf.int32


@pytest.mark.parametrize("seed", [1.5, True, [1, 2, 3], [1.0, 2.0], "7"])
def test_bad_seeds(seed):
    with pytest.raises(ValueError, match=r"`seed` must be an integer or a pair"):
        random_lib.to_seed_tensor(seed)


def test_split_seed_gives_distinct_seeds():
    a, b = random_lib.split_seed(tf.constant([1, 2], tf.int32))
    assert not np.array_equal(a, b)


def test_replica_seed_outside_distribution_is_replica_zero():
    seed = tf.constant([4, 9], tf.int32)
    expected = tf.random.experimental.stateless_fold_in(seed, 0)
    np.testing.assert_array_equal(random_lib.replica_seed(seed), expected)


@pytest.mark.parametrize(
    "seed",
    [
        -1,
        2**31,
        [2**32 + 7, 0],
        np.array([0, -(2**31) - 1]),
        tf.constant([2**40, 0], tf.int64),
    ],
)
def test_seeds_out_of_the_int32_range_are_rejected(seed):
    # They used to wrap silently: [2**32 + 7, 0] gave the samples of [7, 0].
    with pytest.raises(ValueError, match=r"`seed` must be .*Received: seed="):
        random_lib.to_seed_tensor(seed)


def test_fresh_seeds_differ_from_the_seed_pairs_users_pass():
    import keras

    generator = keras.random.SeedGenerator(5)
    fresh = [np.asarray(random_lib.fresh_seed(generator)).tolist() for _ in range(3)]
    assert len({tuple(f) for f in fresh}) == 3
    for k in range(3):
        assert [5, k] not in fresh
