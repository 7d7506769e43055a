"""Bad input is rejected with a clear `ValueError`, before any weight changes."""

import keras
import numpy as np
import pytest
import tensorflow as tf
from gan.gan_test import data, make_discriminator, make_gan, make_generator

import keras_gen


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"loss": "vanilla"}, r"loss.*Received: loss='vanilla'"),
        ({"loss": ("a", "b")}, r"loss"),
        ({"discriminator_steps": 0}, r"discriminator_steps=0"),
        ({"discriminator_steps": 1.5}, r"discriminator_steps=1.5"),
        ({"gradient_penalty": -1.0}, r"gradient_penalty=-1.0"),
        ({"r1_penalty": -0.1}, r"r1_penalty=-0.1"),
        ({"ema_decay": 1.0}, r"ema_decay"),
        ({"seed": -3}, r"seed=-3"),
    ],
)
def test_bad_constructor_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        keras_gen.GAN(make_generator(), make_discriminator(), **kwargs)


def test_mismatched_networks():
    with pytest.raises(ValueError, match=r"discriminator.*Expected input shape \(2,\)"):
        keras_gen.GAN(make_generator(), make_discriminator(data_shape=(3,)))
    with pytest.raises(ValueError, match=r"generator inputs=2, discriminator inputs=1"):
        keras_gen.GAN(make_generator(num_classes=3), make_discriminator())
    with pytest.raises(ValueError, match=r"`generator` must be a built `keras.Model`"):
        keras_gen.GAN(lambda z: z, make_discriminator())


def _assert_unchanged(gan, before):
    for a, b in zip(before, gan.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


def test_data_of_the_wrong_shape_changes_nothing():
    gan = make_gan()
    before = gan.get_weights()
    with pytest.raises(
        ValueError, match=r"`x`.*Expected \(2,\).*Received: x.shape\[1:\]=\(3,\)"
    ):
        gan.fit(np.zeros((64, 3), "float32"), batch_size=32, verbose=0)
    _assert_unchanged(gan, before)
    assert int(gan.generator_optimizer.iterations) == 0


def test_conditions_missing_or_unexpected():
    conditional = make_gan(num_classes=3)
    before = conditional.get_weights()
    with pytest.raises(ValueError, match=r"`conditions` are required"):
        conditional.fit(data(), batch_size=32, verbose=0)
    _assert_unchanged(conditional, before)
    with pytest.raises(
        ValueError, match=r"`conditions` is required.*Received: conditions=None"
    ):
        conditional.sample(4)
    with pytest.raises(ValueError, match=r"`conditions` must be integer class ids"):
        conditional.sample(2, conditions=[0.5, 1.5])
    with pytest.raises(ValueError, match=r"one condition per sample \(4\)"):
        conditional.sample(4, conditions=[0, 1])

    plain = make_gan()
    before = plain.get_weights()
    with pytest.raises(ValueError, match=r"`conditions` must be None"):
        plain.fit(data(), np.zeros(128, "int32"), batch_size=32, verbose=0)
    _assert_unchanged(plain, before)
    with pytest.raises(ValueError, match=r"`conditions` must be None"):
        plain.sample(4, conditions=[1, 2, 3, 4])


@pytest.mark.parametrize("num_samples", [0, -2, 2.5, "3", True])
def test_bad_num_samples(num_samples):
    with pytest.raises(ValueError, match=r"`num_samples` must be a positive integer"):
        make_gan().sample(num_samples)


def test_fresh_samples_do_not_repeat_seeded_ones():
    gan = make_gan()  # seed=1: the generator's states are [1, 0], [1, 1], ...
    fresh = np.asarray(gan.sample(4))
    for seed in ([1, 0], [1, 1], 1):
        assert not np.allclose(fresh, gan.sample(4, seed=seed))


def test_model_seed_must_fit_in_int32():
    with pytest.raises(ValueError, match=r"Received: seed=2199023255552"):
        keras_gen.GAN(make_generator(), make_discriminator(), seed=2**41)


@pytest.mark.parametrize("seed", [1.5, [1, 2, 3], "x", -3, [2**31, 0]])
def test_bad_seed(seed):
    with pytest.raises(ValueError, match=r"`seed`"):
        make_gan().sample(2, seed=seed)


def test_bad_compile_and_generate():
    gan = keras_gen.GAN(make_generator(), make_discriminator())
    with pytest.raises(ValueError, match=r"not `optimizer`"):
        gan.compile(optimizer="adam")
    with pytest.raises(ValueError, match=r"(?i)call `compile\(\)`"):
        gan.fit(data(), verbose=0)
    # Keras's own check comes first in fit(); the GAN's guards its train step.
    with pytest.raises(ValueError, match=r"Call `compile\(\)` on GAN"):
        gan.train_step((tf.constant(data()),))
    # A bad optimizer leaves an earlier compile in place.
    gan.compile(generator_optimizer="sgd", discriminator_optimizer="sgd")
    with pytest.raises(ValueError, match="nope"):
        gan.compile(generator_optimizer="adam", discriminator_optimizer="nope")
    assert isinstance(gan.generator_optimizer, keras.optimizers.SGD)
    with pytest.raises(ValueError, match=r"`z` must have shape"):
        gan.generate(np.zeros((2, 7), "float32"))
