"""Normalizing flows: `Flow`, its layers, their conditioners and named presets."""

from keras_gen.flows.autoregressive import MaskedAutoregressive
from keras_gen.flows.conditioners import MADE, CouplingConvNet, CouplingMLP
from keras_gen.flows.coupling import AffineCoupling
from keras_gen.flows.flow import Flow
from keras_gen.flows.flow_layer import FlowLayer
from keras_gen.flows.glow import (
    ActNorm,
    InvertibleConv1x1,
    MultiScale,
    Squeeze,
    Unsqueeze,
)
from keras_gen.flows.permutation import Permute
from keras_gen.flows.presets import MAF, Glow, NeuralSplineFlow, RealNVP
from keras_gen.flows.spline import SplineCoupling

__all__ = [
    "MADE",
    "MAF",
    "ActNorm",
    "AffineCoupling",
    "CouplingConvNet",
    "CouplingMLP",
    "Flow",
    "FlowLayer",
    "Glow",
    "InvertibleConv1x1",
    "MaskedAutoregressive",
    "MultiScale",
    "NeuralSplineFlow",
    "Permute",
    "RealNVP",
    "SplineCoupling",
    "Squeeze",
    "Unsqueeze",
]
