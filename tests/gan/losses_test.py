import numpy as np
import pytest
import tensorflow as tf

from keras_gen.gan import losses

REAL = np.array([[2.0], [-1.0], [0.5], [0.0]], dtype="float32")
FAKE = np.array([[-3.0], [0.25], [1.5], [0.0]], dtype="float32")
# Large-magnitude logits: naive log(sigmoid(x)) overflows/underflows here.
BIG_REAL = np.array([100.0, -100.0], dtype="float32")
BIG_FAKE = np.array([-100.0, 100.0], dtype="float32")

NAMES = ["hinge", "least_squares", "minimax", "non_saturating", "wasserstein"]


def softplus(x):
    # Stable reference in float64: log(1 + e^x) = max(x, 0) + log1p(e^-|x|).
    x = np.asarray(x, dtype="float64")
    return np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(x)))


def test_numpy_softplus_reference():
    x = np.array([-2.0, 0.0, 3.0])
    np.testing.assert_allclose(softplus(x), np.log1p(np.exp(x)))


def expected_d(name, r, f):
    r, f = np.asarray(r, "float64"), np.asarray(f, "float64")
    if name in ("non_saturating", "minimax"):
        return softplus(-r).mean() + softplus(f).mean()
    if name == "wasserstein":
        return f.mean() - r.mean()
    if name == "hinge":
        return np.maximum(0.0, 1.0 - r).mean() + np.maximum(0.0, 1.0 + f).mean()
    if name == "least_squares":
        return 0.5 * ((r - 1.0) ** 2).mean() + 0.5 * (f**2).mean()
    raise AssertionError(name)


def expected_g(name, f):
    f = np.asarray(f, "float64")
    if name == "non_saturating":
        return softplus(-f).mean()
    if name == "minimax":
        return -softplus(f).mean()
    if name in ("wasserstein", "hinge"):
        return -f.mean()
    if name == "least_squares":
        return 0.5 * ((f - 1.0) ** 2).mean()
    raise AssertionError(name)


@pytest.mark.parametrize("name", NAMES)
def test_losses_match_numpy(name):
    d_fn, g_fn = losses.get(name)
    d = d_fn(tf.constant(REAL), tf.constant(FAKE))
    g = g_fn(tf.constant(FAKE))
    assert d.shape == () and d.dtype == tf.float32
    assert g.shape == () and g.dtype == tf.float32
    np.testing.assert_allclose(d.numpy(), expected_d(name, REAL, FAKE), rtol=1e-6)
    np.testing.assert_allclose(g.numpy(), expected_g(name, FAKE), rtol=1e-6)


@pytest.mark.parametrize("name", NAMES)
def test_rank_one_and_rank_two_logits_agree(name):
    d_fn, g_fn = losses.get(name)
    np.testing.assert_allclose(
        d_fn(REAL, FAKE).numpy(), d_fn(REAL[:, 0], FAKE[:, 0]).numpy()
    )
    np.testing.assert_allclose(g_fn(FAKE).numpy(), g_fn(FAKE[:, 0]).numpy())


def test_hand_computed_values():
    r = np.array([1.0, -1.0], "float32")
    f = np.array([0.0, 2.0], "float32")
    ln2 = np.log(2.0)
    sp1, sp2 = np.log1p(np.exp(1.0)), np.log1p(np.exp(2.0))
    # softplus(-r) = [log(1+e^-1), log(1+e)]; softplus(f) = [ln 2, log(1+e^2)].
    ns_d = (np.log1p(np.exp(-1.0)) + sp1) / 2 + (ln2 + sp2) / 2
    np.testing.assert_allclose(
        losses.non_saturating_discriminator_loss(r, f), ns_d, rtol=1e-6
    )
    np.testing.assert_allclose(
        losses.non_saturating_generator_loss(f),
        (ln2 + np.log1p(np.exp(-2.0))) / 2,
        rtol=1e-6,
    )
    np.testing.assert_allclose(losses.minimax_generator_loss(f), -(ln2 + sp2) / 2)
    # Wasserstein: mean(f) - mean(r) = 1 - 0.
    np.testing.assert_allclose(losses.wasserstein_discriminator_loss(r, f), 1.0)
    np.testing.assert_allclose(losses.wasserstein_generator_loss(f), -1.0)
    # Hinge: relu(1 - r) = [0, 2] -> 1; relu(1 + f) = [1, 3] -> 2.
    np.testing.assert_allclose(losses.hinge_discriminator_loss(r, f), 3.0)
    np.testing.assert_allclose(losses.hinge_generator_loss(f), -1.0)
    # LSGAN: 0.5 * mean([0, 4]) + 0.5 * mean([0, 4]) = 2; G: 0.5 * mean([1, 1]).
    np.testing.assert_allclose(losses.least_squares_discriminator_loss(r, f), 2.0)
    np.testing.assert_allclose(losses.least_squares_generator_loss(f), 0.5)


@pytest.mark.parametrize("name", ["non_saturating", "minimax"])
def test_large_logits_are_stable(name):
    d_fn, g_fn = losses.get(name)
    d = d_fn(BIG_REAL, BIG_FAKE).numpy()
    g = g_fn(BIG_FAKE).numpy()
    assert np.isfinite(d) and np.isfinite(g)
    # softplus(x) ~ x for x >> 0 and ~ 0 for x << 0: D = (0 + 100)/2 + (0 + 100)/2.
    np.testing.assert_allclose(d, 100.0, rtol=1e-6)
    np.testing.assert_allclose(d, expected_d(name, BIG_REAL, BIG_FAKE), rtol=1e-6)
    np.testing.assert_allclose(g, expected_g(name, BIG_FAKE), rtol=1e-6)
    np.testing.assert_allclose(abs(g), 50.0, rtol=1e-6)
    # A confidently correct discriminator has a tiny (not NaN, not -inf) loss.
    tiny = d_fn(np.array([100.0]), np.array([-100.0])).numpy()
    assert np.isfinite(tiny) and 0.0 <= tiny < 1e-30


@pytest.mark.parametrize("name", NAMES)
def test_large_logits_finite_gradients(name):
    d_fn, g_fn = losses.get(name)
    r, f = tf.constant(BIG_REAL), tf.constant(BIG_FAKE)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([r, f])
        d, g = d_fn(r, f), g_fn(f)
    for grad in tape.gradient(d, [r, f]) + [tape.gradient(g, f)]:
        assert np.all(np.isfinite(grad.numpy()))
    np.testing.assert_allclose(d.numpy(), expected_d(name, BIG_REAL, BIG_FAKE))
    np.testing.assert_allclose(g.numpy(), expected_g(name, BIG_FAKE))


def test_non_saturating_generator_gradient_does_not_vanish():
    f = tf.constant([-100.0])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(f)
        ns = losses.non_saturating_generator_loss(f)
        mm = losses.minimax_generator_loss(f)
    np.testing.assert_allclose(tape.gradient(ns, f).numpy(), [-1.0])
    assert abs(tape.gradient(mm, f).numpy()[0]) < 1e-30


def test_float16_logits_give_float32_loss():
    out = losses.non_saturating_generator_loss(tf.constant([1.0, 2.0], tf.float16))
    assert out.dtype == tf.float32


@pytest.mark.parametrize("name", NAMES)
def test_get_returns_named_pair(name):
    d_fn, g_fn = losses.get(name)
    assert (d_fn, g_fn) == losses.LOSSES[name]
    assert d_fn.__name__ == f"{name}_discriminator_loss"
    assert g_fn.__name__ == f"{name}_generator_loss"
    assert d_fn is getattr(losses, f"{name}_discriminator_loss")
    assert g_fn is getattr(losses, f"{name}_generator_loss")


def test_registry_names():
    assert sorted(losses.LOSSES) == NAMES
    for name in losses.__all__:
        assert hasattr(losses, name)


def test_get_unknown_name():
    with pytest.raises(ValueError) as info:
        losses.get("foo")
    message = str(info.value)
    assert "loss" in message and "'foo'" in message
    assert "Received: loss='foo'" in message
    assert str(NAMES) in message


def test_get_custom_pair():
    def d_fn(real_logits, fake_logits):
        return tf.reduce_mean(fake_logits - real_logits)

    def g_fn(fake_logits):
        return -tf.reduce_mean(fake_logits)

    assert losses.get((d_fn, g_fn)) == (d_fn, g_fn)
    pair = losses.get([d_fn, g_fn])
    assert isinstance(pair, tuple) and pair == (d_fn, g_fn)


@pytest.mark.parametrize(
    "bad",
    [
        (losses.hinge_discriminator_loss, "hinge"),
        ("hinge", losses.hinge_generator_loss),
        (losses.hinge_discriminator_loss,),
        (len, len, len),
        None,
        3,
    ],
)
def test_get_rejects_non_callables(bad):
    with pytest.raises(ValueError, match="loss") as info:
        losses.get(bad)
    assert "Received: loss=" in str(info.value)
