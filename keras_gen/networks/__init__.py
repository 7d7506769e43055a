"""Network builders: MLPs, DCGAN generator and discriminator, conv VAE nets."""

from keras_gen.networks.conv import build_conv_decoder, build_conv_encoder
from keras_gen.networks.dcgan import build_dcgan_discriminator, build_dcgan_generator
from keras_gen.networks.mlp import (
    build_mlp,
    build_mlp_decoder,
    build_mlp_discriminator,
    build_mlp_encoder,
    build_mlp_generator,
)

__all__ = [
    "build_conv_decoder",
    "build_conv_encoder",
    "build_dcgan_discriminator",
    "build_dcgan_generator",
    "build_mlp",
    "build_mlp_decoder",
    "build_mlp_discriminator",
    "build_mlp_encoder",
    "build_mlp_generator",
]
