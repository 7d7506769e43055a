"""Named flows: `RealNVP`, `MAF`, `NeuralSplineFlow` and `Glow`, each a `Flow`."""

import json

import keras

from keras_gen.core.validation import check_positive_int
from keras_gen.flows.autoregressive import MaskedAutoregressive
from keras_gen.flows.checks import check_shape_arg
from keras_gen.flows.coupling import AffineCoupling
from keras_gen.flows.flow import Flow
from keras_gen.flows.glow import (
    ActNorm,
    InvertibleConv1x1,
    MultiScale,
    Squeeze,
    Unsqueeze,
)
from keras_gen.flows.permutation import Permute
from keras_gen.flows.spline import SplineCoupling


class _Preset(Flow):
    """A `Flow` whose layers are made from a few hyperparameters.

    Its config holds those hyperparameters instead of the list of layers.
    """

    def __init__(self, event_shape, layers, preset_config, **kwargs):
        super().__init__(event_shape, layers, **kwargs)
        # A JSON string: plain data, out of reach of Keras attribute tracking.
        self._preset_json = json.dumps(preset_config)

    def get_config(self):
        config = super().get_config()
        config.pop("layers")
        return {**config, **json.loads(self._preset_json)}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _vector_shape(preset, event_shape, minimum):
    shape = check_shape_arg("event_shape", event_shape)
    if len(shape) != 1 or shape[0] < minimum:
        raise ValueError(
            f"`{preset}` models vectors: `event_shape` must be (d,) with d >= {minimum}. "
            f"Received: event_shape={shape}"
        )
    return shape


def _interleave(make_layer, num_layers):
    layers = []
    for i in range(check_positive_int("num_layers", num_layers)):
        if i:
            layers.append(Permute("reverse"))
        layers.append(make_layer())
    return layers


@keras.saving.register_keras_serializable(package="keras_gen")
class RealNVP(_Preset):
    """RealNVP: affine coupling layers with permutations between them.

    Args:
        event_shape: `(d,)` with `d >= 2`.
        num_layers: Number of `AffineCoupling` layers (a reversing
            `Permute` between each two).
        hidden_units: Hidden sizes of each coupling's MLP.
        activation: Activation of the MLPs.
        scale_bound: Bound on each coupling's `|log_scale|`.
        **kwargs: `Flow` arguments (`num_classes`, `condition_shape`,
            `embedding_dim`, `seed`, `name`, ...).

    Example:

    ```python
    flow = keras_gen.flows.RealNVP((2,), num_layers=4, hidden_units=(32, 32))
    flow.compile()
    flow.fit(keras_gen.datasets.moons(1024, seed=0), batch_size=128, verbose=0)
    ```

    Reference:
        Dinh et al., "Density estimation using Real NVP", 2016,
        https://arxiv.org/abs/1605.08803
    """

    def __init__(
        self,
        event_shape,
        num_layers=8,
        hidden_units=(64, 64),
        activation="relu",
        scale_bound=3.0,
        **kwargs,
    ):
        event_shape = _vector_shape("RealNVP", event_shape, 2)
        preset = dict(
            num_layers=num_layers,
            hidden_units=list(hidden_units),
            activation=activation,
            scale_bound=scale_bound,
        )
        layers = _interleave(
            lambda: AffineCoupling(hidden_units, activation, scale_bound=scale_bound),
            num_layers,
        )
        kwargs.setdefault("name", "real_nvp")
        super().__init__(event_shape, layers, preset, **kwargs)


@keras.saving.register_keras_serializable(package="keras_gen")
class MAF(_Preset):
    """Masked autoregressive flow: MADE-conditioned affine layers.

    Density evaluation (`log_prob`, training) is one network pass per
    layer, so MAF scores fast; sampling and `forward` invert each layer one
    dimension at a time (`d` passes), so MAF samples slowly.

    Args:
        event_shape: `(d,)`.
        num_layers: Number of `MaskedAutoregressive` layers (a reversing
            `Permute` between each two).
        hidden_units: Hidden sizes of each MADE.
        activation: Activation of the MADEs.
        scale_bound: Bound on each layer's `|log_scale|`.
        **kwargs: `Flow` arguments.

    Reference:
        Papamakarios et al., "Masked Autoregressive Flow for Density
        Estimation", 2017, https://arxiv.org/abs/1705.07057
    """

    def __init__(
        self,
        event_shape,
        num_layers=5,
        hidden_units=(64, 64),
        activation="relu",
        scale_bound=3.0,
        **kwargs,
    ):
        event_shape = _vector_shape("MAF", event_shape, 1)
        preset = dict(
            num_layers=num_layers,
            hidden_units=list(hidden_units),
            activation=activation,
            scale_bound=scale_bound,
        )
        layers = _interleave(
            lambda: MaskedAutoregressive(hidden_units, activation, scale_bound),
            num_layers,
        )
        kwargs.setdefault("name", "maf")
        super().__init__(event_shape, layers, preset, **kwargs)


@keras.saving.register_keras_serializable(package="keras_gen")
class NeuralSplineFlow(_Preset):
    """Neural spline flow: rational-quadratic spline couplings.

    Each coupling maps the transformed half of the features through
    monotonic splines with `num_bins` bins on `[-bound, bound]` (the
    identity outside), the most flexible of the presets per layer.

    Args:
        event_shape: `(d,)` with `d >= 2`.
        num_layers: Number of `SplineCoupling` layers (a reversing
            `Permute` between each two).
        hidden_units: Hidden sizes of each coupling's MLP.
        num_bins: Bins of each spline.
        bound: Half-width of the interval the splines act on.
        activation: Activation of the MLPs.
        **kwargs: `Flow` arguments.

    Reference:
        Durkan et al., "Neural Spline Flows", 2019,
        https://arxiv.org/abs/1906.04032
    """

    def __init__(
        self,
        event_shape,
        num_layers=4,
        hidden_units=(64, 64),
        num_bins=8,
        bound=5.0,
        activation="relu",
        **kwargs,
    ):
        event_shape = _vector_shape("NeuralSplineFlow", event_shape, 2)
        preset = dict(
            num_layers=num_layers,
            hidden_units=list(hidden_units),
            num_bins=num_bins,
            bound=bound,
            activation=activation,
        )
        layers = _interleave(
            lambda: SplineCoupling(num_bins, bound, hidden_units, activation),
            num_layers,
        )
        kwargs.setdefault("name", "neural_spline_flow")
        super().__init__(event_shape, layers, preset, **kwargs)


def glow_level(level, num_levels, num_layers, hidden_units, activation, scale_bound):
    """The layers of one Glow level, with the next levels nested inside."""
    layers = [Squeeze()]
    for _ in range(num_layers):
        layers += [
            ActNorm(),
            InvertibleConv1x1(),
            AffineCoupling(hidden_units, activation, scale_bound=scale_bound),
        ]
    if level + 1 < num_levels:
        inner = glow_level(
            level + 1, num_levels, num_layers, hidden_units, activation, scale_bound
        )
        layers.append(MultiScale(inner))
    layers.append(Unsqueeze())
    return layers


@keras.saving.register_keras_serializable(package="keras_gen")
class Glow(_Preset):
    """Glow: a multi-scale flow for images in `[0, 1]`.

    Each of `num_levels` levels squeezes (2x2 pixels to channels), applies
    `num_layers` steps of ActNorm, invertible 1x1 convolution and affine
    coupling (with a `CouplingConvNet`), then factors out half of the
    channels: the next level works on the other half at half the
    resolution. Data quantized to `pixel_levels` values (256 for 8-bit
    images) are dequantized with uniform noise during training, and
    `fit`/`evaluate` report `bits_per_dim`.

    Args:
        event_shape: `(H, W, C)`, with `H` and `W` divisible by
            `2 ** num_levels`.
        num_levels: Number of scales.
        num_layers: Flow steps per level.
        hidden_units: Channels of each coupling's conv net.
        activation: Activation of the conv nets.
        scale_bound: Bound on each coupling's `|log_scale|`.
        pixel_levels: Quantization levels of the data in `[0, 1]`.
        **kwargs: `Flow` arguments.

    Example:

    ```python
    (x, _), _, _ = keras_gen.datasets.load_digits(split=(1000, 0, 0))
    glow = keras_gen.flows.Glow((8, 8, 1), num_levels=2, num_layers=2, pixel_levels=17)
    glow.compile()
    glow.fit(x, batch_size=64, epochs=1, verbose=0)  # logs loss and bits_per_dim
    ```

    Reference:
        Kingma & Dhariwal, "Glow: Generative Flow with Invertible 1x1
        Convolutions", 2018, https://arxiv.org/abs/1807.03039
    """

    def __init__(
        self,
        event_shape,
        num_levels=2,
        num_layers=4,
        hidden_units=(64, 64),
        activation="relu",
        scale_bound=3.0,
        pixel_levels=256,
        **kwargs,
    ):
        shape = check_shape_arg("event_shape", event_shape)
        num_levels = check_positive_int("num_levels", num_levels)
        factor = 2**num_levels
        if len(shape) != 3 or shape[0] % factor or shape[1] % factor:
            raise ValueError(
                f"`Glow` models images: `event_shape` must be (H, W, C) with H and W "
                f"divisible by 2 ** num_levels = {factor}. Received: event_shape={shape}"
            )
        preset = dict(
            num_levels=num_levels,
            num_layers=num_layers,
            hidden_units=list(hidden_units),
            activation=activation,
            scale_bound=scale_bound,
        )
        check_positive_int("num_layers", num_layers)
        layers = glow_level(
            0, num_levels, num_layers, hidden_units, activation, scale_bound
        )
        kwargs.setdefault("name", "glow")
        super().__init__(shape, layers, preset, pixel_levels=pixel_levels, **kwargs)


__all__ = ["MAF", "RealNVP", "Glow", "NeuralSplineFlow"]
