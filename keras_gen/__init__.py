"""keras_gen: generative models (GANs, VAEs, normalizing flows) for Keras 3."""

import keras as _keras

if _keras.backend.backend() != "tensorflow":
    raise ImportError(
        "keras_gen needs the TensorFlow backend of Keras (it builds on "
        "tf.distribute and TensorFlow Probability). Set KERAS_BACKEND=tensorflow. "
        f"Received: backend={_keras.backend.backend()!r}"
    )

from keras_gen import callbacks, core, datasets, flows, gan, networks, vae  # noqa: E402
from keras_gen.core.generative_model import GenerativeModel  # noqa: E402
from keras_gen.flows.flow import Flow  # noqa: E402
from keras_gen.gan.gan import GAN  # noqa: E402
from keras_gen.vae.vae import VAE  # noqa: E402

__version__ = "0.1.0"

__all__ = [
    "GAN",
    "Flow",
    "VAE",
    "GenerativeModel",
    "callbacks",
    "core",
    "datasets",
    "flows",
    "gan",
    "networks",
    "vae",
]
