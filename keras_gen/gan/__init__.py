from keras_gen.gan import losses, penalties
from keras_gen.gan.gan import GAN

__all__ = ["GAN", "losses", "penalties"]
