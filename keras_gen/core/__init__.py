from keras_gen.core.generative_model import GenerativeModel

__all__ = ["GenerativeModel"]
