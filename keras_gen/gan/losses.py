"""GAN losses: pure functions over discriminator logits, in pairs.

Each objective is a pair with the same argument names:
`<name>_discriminator_loss(real_logits, fake_logits)` and
`<name>_generator_loss(fake_logits)`. Logits are the raw (pre-sigmoid)
discriminator outputs, of any shape (`(B,)` or `(B, 1)` alike); every loss is
a plain mean over all elements, returned as a scalar `float32` tensor.

Under `tf.distribute`, each replica gets the mean over its own part of the
batch. These functions do no replica scaling: the caller divides by
`num_replicas_in_sync` before taking gradients and logs the unscaled value.

Example:

>>> import numpy as np
>>> from keras_gen.gan import losses
>>> d_loss, g_loss = losses.get("hinge")
>>> float(d_loss(np.array([2.0, 0.5]), np.array([-2.0, 0.0])))
0.75
>>> float(g_loss(np.array([1.0, 3.0])))
-2.0
"""

from collections.abc import Callable

import tensorflow as tf

__all__ = [
    "LOSSES",
    "get",
    "hinge_discriminator_loss",
    "hinge_generator_loss",
    "least_squares_discriminator_loss",
    "least_squares_generator_loss",
    "minimax_discriminator_loss",
    "minimax_generator_loss",
    "non_saturating_discriminator_loss",
    "non_saturating_generator_loss",
    "wasserstein_discriminator_loss",
    "wasserstein_generator_loss",
]


def _logits(x) -> tf.Tensor:
    """Converts logits to a float32 tensor (losses are computed in float32)."""
    x = tf.convert_to_tensor(x)
    if x.dtype != tf.float32:
        x = tf.cast(x, tf.float32)
    return x


def non_saturating_discriminator_loss(real_logits, fake_logits) -> tf.Tensor:
    """Discriminator loss of the standard GAN (binary cross-entropy on logits).

    `mean(softplus(-real_logits)) + mean(softplus(fake_logits))`, that is
    `-log(sigmoid(real)) - log(1 - sigmoid(fake))`, in its stable softplus
    form. The same discriminator loss as `minimax_discriminator_loss`.

    Args:
        real_logits: Discriminator logits on real data.
        fake_logits: Discriminator logits on generated data.

    Returns:
        A scalar float32 tensor.

    Reference:
        Goodfellow et al., 2014, Generative Adversarial Networks,
        https://arxiv.org/abs/1406.2661
    """
    real_logits, fake_logits = _logits(real_logits), _logits(fake_logits)
    return tf.reduce_mean(tf.nn.softplus(-real_logits)) + tf.reduce_mean(
        tf.nn.softplus(fake_logits)
    )


def non_saturating_generator_loss(fake_logits) -> tf.Tensor:
    """Non-saturating generator loss: maximize `log D(G(z))`.

    `mean(softplus(-fake_logits))`, that is `-log(sigmoid(fake))`. Its
    gradient stays large when the discriminator confidently rejects fakes,
    unlike the minimax loss.

    Args:
        fake_logits: Discriminator logits on generated data.

    Returns:
        A scalar float32 tensor.

    Reference:
        Goodfellow et al., 2014, Generative Adversarial Networks,
        https://arxiv.org/abs/1406.2661
    """
    return tf.reduce_mean(tf.nn.softplus(-_logits(fake_logits)))


def minimax_discriminator_loss(real_logits, fake_logits) -> tf.Tensor:
    """Discriminator loss of the original minimax GAN.

    `mean(softplus(-real_logits)) + mean(softplus(fake_logits))`, that is
    `-log(sigmoid(real)) - log(1 - sigmoid(fake))`.

    Args:
        real_logits: Discriminator logits on real data.
        fake_logits: Discriminator logits on generated data.

    Returns:
        A scalar float32 tensor.

    Reference:
        Goodfellow et al., 2014, Generative Adversarial Networks,
        https://arxiv.org/abs/1406.2661
    """
    return non_saturating_discriminator_loss(real_logits, fake_logits)


def minimax_generator_loss(fake_logits) -> tf.Tensor:
    """Generator loss of the original minimax GAN: minimize `log(1 - D(G(z)))`.

    `mean(-softplus(fake_logits))`, since `log(1 - sigmoid(x)) = -softplus(x)`.
    It saturates (vanishing gradient) when the discriminator rejects fakes.

    Args:
        fake_logits: Discriminator logits on generated data.

    Returns:
        A scalar float32 tensor.

    Reference:
        Goodfellow et al., 2014, Generative Adversarial Networks,
        https://arxiv.org/abs/1406.2661
    """
    return -tf.reduce_mean(tf.nn.softplus(_logits(fake_logits)))


def wasserstein_discriminator_loss(real_logits, fake_logits) -> tf.Tensor:
    """Critic loss of the Wasserstein GAN.

    `mean(fake_logits) - mean(real_logits)`. The critic must be kept
    Lipschitz by the caller (weight clipping, gradient penalty, spectral
    normalization).

    Args:
        real_logits: Critic outputs on real data.
        fake_logits: Critic outputs on generated data.

    Returns:
        A scalar float32 tensor.

    Reference:
        Arjovsky, Chintala & Bottou, 2017, Wasserstein GAN,
        https://arxiv.org/abs/1701.07875
    """
    return tf.reduce_mean(_logits(fake_logits)) - tf.reduce_mean(_logits(real_logits))


def wasserstein_generator_loss(fake_logits) -> tf.Tensor:
    """Generator loss of the Wasserstein GAN.

    `-mean(fake_logits)`.

    Args:
        fake_logits: Critic outputs on generated data.

    Returns:
        A scalar float32 tensor.

    Reference:
        Arjovsky, Chintala & Bottou, 2017, Wasserstein GAN,
        https://arxiv.org/abs/1701.07875
    """
    return -tf.reduce_mean(_logits(fake_logits))


def hinge_discriminator_loss(real_logits, fake_logits) -> tf.Tensor:
    """Hinge discriminator loss.

    `mean(relu(1 - real_logits)) + mean(relu(1 + fake_logits))`.

    Args:
        real_logits: Discriminator outputs on real data.
        fake_logits: Discriminator outputs on generated data.

    Returns:
        A scalar float32 tensor.

    Reference:
        Lim & Ye, 2017, Geometric GAN, https://arxiv.org/abs/1705.02894;
        Miyato et al., 2018, Spectral Normalization for Generative
        Adversarial Networks, https://arxiv.org/abs/1802.05957
    """
    real_logits, fake_logits = _logits(real_logits), _logits(fake_logits)
    return tf.reduce_mean(tf.nn.relu(1.0 - real_logits)) + tf.reduce_mean(
        tf.nn.relu(1.0 + fake_logits)
    )


def hinge_generator_loss(fake_logits) -> tf.Tensor:
    """Hinge generator loss.

    `-mean(fake_logits)`.

    Args:
        fake_logits: Discriminator outputs on generated data.

    Returns:
        A scalar float32 tensor.

    Reference:
        Lim & Ye, 2017, Geometric GAN, https://arxiv.org/abs/1705.02894;
        Miyato et al., 2018, Spectral Normalization for Generative
        Adversarial Networks, https://arxiv.org/abs/1802.05957
    """
    return -tf.reduce_mean(_logits(fake_logits))


def least_squares_discriminator_loss(real_logits, fake_logits) -> tf.Tensor:
    """Least-squares (LSGAN) discriminator loss, with `a=0, b=1`.

    `0.5 * mean((real_logits - 1)^2) + 0.5 * mean(fake_logits^2)`, on the raw
    discriminator outputs (no sigmoid).

    Args:
        real_logits: Discriminator outputs on real data.
        fake_logits: Discriminator outputs on generated data.

    Returns:
        A scalar float32 tensor.

    Reference:
        Mao et al., 2017, Least Squares Generative Adversarial Networks,
        https://arxiv.org/abs/1611.04076
    """
    real_logits, fake_logits = _logits(real_logits), _logits(fake_logits)
    return 0.5 * tf.reduce_mean(tf.square(real_logits - 1.0)) + 0.5 * tf.reduce_mean(
        tf.square(fake_logits)
    )


def least_squares_generator_loss(fake_logits) -> tf.Tensor:
    """Least-squares (LSGAN) generator loss, with `c=1`.

    `0.5 * mean((fake_logits - 1)^2)`, on the raw discriminator outputs.

    Args:
        fake_logits: Discriminator outputs on generated data.

    Returns:
        A scalar float32 tensor.

    Reference:
        Mao et al., 2017, Least Squares Generative Adversarial Networks,
        https://arxiv.org/abs/1611.04076
    """
    return 0.5 * tf.reduce_mean(tf.square(_logits(fake_logits) - 1.0))


LOSSES: dict[str, tuple[Callable, Callable]] = {
    "hinge": (hinge_discriminator_loss, hinge_generator_loss),
    "least_squares": (least_squares_discriminator_loss, least_squares_generator_loss),
    "minimax": (minimax_discriminator_loss, minimax_generator_loss),
    "non_saturating": (
        non_saturating_discriminator_loss,
        non_saturating_generator_loss,
    ),
    "wasserstein": (wasserstein_discriminator_loss, wasserstein_generator_loss),
}


def get(identifier) -> tuple[Callable, Callable]:
    """Returns a `(discriminator_loss, generator_loss)` pair.

    Args:
        identifier: A name in `LOSSES` (`"non_saturating"`, `"minimax"`,
            `"wasserstein"`, `"hinge"`, `"least_squares"`), or a tuple/list
            of two callables `(discriminator_loss, generator_loss)` with the
            signatures `(real_logits, fake_logits)` and `(fake_logits)`.

    Returns:
        A tuple `(discriminator_loss, generator_loss)`.

    Raises:
        ValueError: If the name is unknown or the pair is not two callables.

    Example:

    >>> from keras_gen.gan import losses
    >>> losses.get("wasserstein")[1].__name__
    'wasserstein_generator_loss'
    """
    if isinstance(identifier, str):
        if identifier not in LOSSES:
            raise ValueError(
                f"Unknown `loss`: {identifier!r}. Expected one of "
                f"{sorted(LOSSES)}. Received: loss={identifier!r}"
            )
        return LOSSES[identifier]
    if isinstance(identifier, (tuple, list)):
        if len(identifier) == 2 and all(callable(fn) for fn in identifier):
            return tuple(identifier)
    raise ValueError(
        "`loss` must be a name in "
        f"{sorted(LOSSES)} or a pair of callables "
        "(discriminator_loss, generator_loss). "
        f"Received: loss={identifier!r}"
    )
