import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gen.gan import penalties

W = np.array([[0.5], [-2.0], [1.0]], dtype="float32")
B = np.array([0.3], dtype="float32")


def linear_discriminator(w=W, b=B):
    """D(x) = x . w + b as a keras model; its input gradient is w everywhere."""
    model = keras.Sequential([keras.Input((w.shape[0],)), keras.layers.Dense(1)])
    model.layers[0].set_weights([w, b])
    return model


def quadratic_discriminator(c=1.5):
    """D(x) = c * sum(x^2) per example; its input gradient is 2 c x."""

    def call(x, training=False):
        return c * tf.reduce_sum(tf.square(x), axis=list(range(1, x.shape.rank)))

    return call


def data(seed, shape=(4, 3)):
    return np.random.default_rng(seed).normal(size=shape).astype("float32")


def test_linear_gradient_penalty_is_exact():
    d = linear_discriminator()
    real, fake = data(0), data(1)
    alpha = penalties.sample_interpolation_alpha(4, 2, seed=[3, 4])
    gp = penalties.gradient_penalty(d, real, fake, alpha)
    expected = (np.linalg.norm(W) - 1.0) ** 2
    assert gp.shape == () and gp.dtype == tf.float32
    np.testing.assert_allclose(gp.numpy(), expected, rtol=1e-6)
    # A different target norm.
    gp2 = penalties.gradient_penalty(d, real, fake, alpha, target=2.0)
    np.testing.assert_allclose(gp2.numpy(), (np.linalg.norm(W) - 2.0) ** 2, rtol=1e-6)


def test_gradient_is_flattened_per_example():
    # Image-shaped input (B, 2, 2, 1) through Flatten + Dense: norm of the
    # whole per-example gradient, not per pixel.
    w = np.arange(1, 5, dtype="float32").reshape(4, 1) / 10.0
    model = keras.Sequential(
        [keras.Input((2, 2, 1)), keras.layers.Flatten(), keras.layers.Dense(1)]
    )
    model.layers[-1].set_weights([w, np.zeros(1, "float32")])
    real, fake = data(0, (3, 2, 2, 1)), data(1, (3, 2, 2, 1))
    alpha = penalties.sample_interpolation_alpha(3, 4, seed=[0, 0])
    gp = penalties.gradient_penalty(model, real, fake, alpha)
    np.testing.assert_allclose(gp.numpy(), (np.linalg.norm(w) - 1.0) ** 2, rtol=1e-6)


def test_linear_gradient_penalty_weight_gradient():
    # d/dw (||w|| - 1)^2 = 2 (||w|| - 1) w / ||w||, through double backprop.
    d = linear_discriminator()
    alpha = np.full((4, 1), 0.5, "float32")
    with tf.GradientTape() as tape:
        gp = penalties.gradient_penalty(d, data(0), data(1), alpha)
    kernel, bias = d.layers[0].kernel, d.layers[0].bias
    grad_kernel, grad_bias = tape.gradient(gp, [kernel, bias])
    norm = np.linalg.norm(W)
    np.testing.assert_allclose(
        grad_kernel.numpy(), 2 * (norm - 1.0) * W / norm, rtol=1e-5
    )
    assert grad_bias is None or np.allclose(grad_bias.numpy(), 0.0)


def dead_relu_discriminator():
    """A ReLU net whose pre-activations are all negative: zero input gradient."""
    model = keras.Sequential(
        [
            keras.Input((3,)),
            keras.layers.Dense(
                4,
                activation="relu",
                kernel_initializer="zeros",
                bias_initializer=keras.initializers.Constant(-1.0),
            ),
            keras.layers.Dense(1, kernel_initializer="ones"),
        ]
    )
    return model


def test_zero_gradient_penalty_is_finite():
    d = dead_relu_discriminator()
    alpha = np.full((4, 1), 0.3, "float32")
    with tf.GradientTape() as tape:
        gp = penalties.gradient_penalty(d, data(0), data(1), alpha)
    # norm = sqrt(0 + 1e-12) = 1e-6, so the penalty is (1e-6 - 1)^2.
    np.testing.assert_allclose(gp.numpy(), 1.0, rtol=1e-5)
    grads = tape.gradient(gp, d.trainable_variables)
    assert any(g is not None for g in grads)
    for g in grads:
        if g is not None:
            assert np.all(np.isfinite(g.numpy()))


def test_constant_discriminator_penalty_is_finite():
    bias = tf.Variable(0.7)

    def d(x, training=False):
        return tf.reduce_sum(x * 0.0, axis=1) + bias

    with tf.GradientTape() as tape:
        gp = penalties.gradient_penalty(d, data(0), data(1), np.zeros((4, 1)))
    np.testing.assert_allclose(gp.numpy(), 1.0, rtol=1e-5)
    grad = tape.gradient(gp, bias)
    assert grad is None or np.isfinite(grad.numpy())


def test_alpha_selects_real_or_fake():
    c = 1.5
    d = quadratic_discriminator(c)
    real, fake = data(0, (4, 2, 3)), data(1, (4, 2, 3))

    def expected(x):
        norms = 2 * c * np.linalg.norm(x.reshape(len(x), -1), axis=1)
        return np.mean((norms - 1.0) ** 2)

    ones = np.ones((4, 1, 1), "float32")
    gp_real = penalties.gradient_penalty(d, real, fake, 0.0 * ones)
    gp_fake = penalties.gradient_penalty(d, real, fake, ones)
    np.testing.assert_allclose(gp_real.numpy(), expected(real), rtol=1e-5)
    np.testing.assert_allclose(gp_fake.numpy(), expected(fake), rtol=1e-5)
    assert not np.isclose(expected(real), expected(fake))
    # Per-example alpha.
    alpha = np.array([0.0, 0.25, 0.75, 1.0], "float32").reshape(4, 1, 1)
    gp_mix = penalties.gradient_penalty(d, real, fake, alpha)
    np.testing.assert_allclose(
        gp_mix.numpy(), expected(real + alpha * (fake - real)), rtol=1e-5
    )


def conditional_discriminator(w):
    x = keras.Input((3,))
    c = keras.Input((2,))
    h = keras.layers.Concatenate()([x, c])
    dense = keras.layers.Dense(1)
    model = keras.Model([x, c], dense(h))
    dense.set_weights([w, np.zeros(1, "float32")])
    return model


def test_conditional_gradient_penalty():
    w = np.array([[0.5], [-2.0], [1.0], [4.0], [-3.0]], "float32")
    d = conditional_discriminator(w)
    conditions = data(2, (4, 2))
    alpha = penalties.sample_interpolation_alpha(4, 2, seed=[5, 6])
    gp = penalties.gradient_penalty(d, data(0), data(1), alpha, conditions=conditions)
    # Only the gradient w.r.t. x counts, not w.r.t. the conditions.
    np.testing.assert_allclose(
        gp.numpy(), (np.linalg.norm(w[:3]) - 1.0) ** 2, rtol=1e-6
    )
    r1 = penalties.r1_penalty(d, data(0), conditions=conditions)
    np.testing.assert_allclose(r1.numpy(), 0.5 * np.sum(w[:3] ** 2), rtol=1e-6)


def test_gradient_penalty_in_tf_function():
    d = linear_discriminator()

    @tf.function
    def step(real, fake, seed):
        alpha = penalties.sample_interpolation_alpha(
            tf.shape(real)[0], real.shape.rank, seed
        )
        return penalties.gradient_penalty(d, real, fake, alpha)

    spec = tf.TensorSpec((None, 3), tf.float32)
    fn = step.get_concrete_function(spec, spec, tf.TensorSpec((2,), tf.int32))
    gp = fn(tf.constant(data(0)), tf.constant(data(1)), tf.constant([1, 2]))
    np.testing.assert_allclose(gp.numpy(), (np.linalg.norm(W) - 1.0) ** 2, rtol=1e-6)


def test_r1_linear():
    d = linear_discriminator()
    r1 = penalties.r1_penalty(d, data(0))
    assert r1.shape == () and r1.dtype == tf.float32
    np.testing.assert_allclose(r1.numpy(), 0.5 * np.sum(W**2), rtol=1e-6)


def test_r1_quadratic():
    real = data(3, (5, 2, 2))
    r1 = penalties.r1_penalty(quadratic_discriminator(1.0), real)
    grads = 2.0 * real.reshape(5, -1)
    expected = 0.5 * np.mean(np.sum(grads**2, axis=1))
    np.testing.assert_allclose(r1.numpy(), expected, rtol=1e-5)


def test_r1_weight_gradient_is_finite():
    d = dead_relu_discriminator()
    with tf.GradientTape() as tape:
        r1 = penalties.r1_penalty(d, data(0))
    assert r1.numpy() == 0.0
    for g in tape.gradient(r1, d.trainable_variables):
        if g is not None:
            assert np.all(np.isfinite(g.numpy()))


def test_sample_interpolation_alpha():
    a = penalties.sample_interpolation_alpha(8, 4, seed=tf.constant([1, 2]))
    assert a.shape == (8, 1, 1, 1) and a.dtype == tf.float32
    assert np.all((a.numpy() >= 0.0) & (a.numpy() < 1.0))
    b = penalties.sample_interpolation_alpha(8, 4, seed=tf.constant([1, 2]))
    c = penalties.sample_interpolation_alpha(8, 4, seed=tf.constant([1, 3]))
    np.testing.assert_array_equal(a.numpy(), b.numpy())
    assert not np.array_equal(a.numpy(), c.numpy())
    assert penalties.sample_interpolation_alpha(3, 1, seed=[0, 1]).shape == (3,)


def test_sample_interpolation_alpha_rejects_bad_ndim():
    with pytest.raises(ValueError, match="ndim"):
        penalties.sample_interpolation_alpha(3, 0, seed=[0, 1])
