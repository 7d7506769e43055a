"""`SplineCoupling`: rational-quadratic spline coupling (Neural Spline Flows)."""

import math

import keras
import tensorflow as tf
import tensorflow_probability as tfp

from keras_gen.core.validation import check_positive
from keras_gen.flows.conditioners import CouplingMLP
from keras_gen.flows.coupling import CouplingLayer

tfb = tfp.bijectors


def spline_parameters(params, num_bins, bound, min_bin_size, min_slope):
    """Maps unconstrained `params[..., 3 * num_bins - 1]` to spline knots.

    Bin widths and heights are a softmax scaled to the interval
    `[-bound, bound]` with a floor of `min_bin_size`; interior slopes are a
    softplus shifted so that zero parameters give slope 1. All-zero
    parameters thus give equal bins and unit slopes: the identity.

    Returns:
        `(bin_widths, bin_heights, knot_slopes)` for
        `tfp.bijectors.RationalQuadraticSpline`.
    """
    widths, heights, slopes = tf.split(
        params, [num_bins, num_bins, num_bins - 1], axis=-1
    )
    span = 2.0 * bound - num_bins * min_bin_size
    widths = tf.math.softmax(widths, axis=-1) * span + min_bin_size
    heights = tf.math.softmax(heights, axis=-1) * span + min_bin_size
    offset = math.log(math.expm1(1.0 - min_slope))
    slopes = tf.math.softplus(slopes + offset) + min_slope
    return widths, heights, slopes


@keras.saving.register_keras_serializable(package="keras_gen")
class SplineCoupling(CouplingLayer):
    """Coupling layer with monotonic rational-quadratic splines.

    As `AffineCoupling`, but each transformed feature goes through its own
    monotonic rational-quadratic spline with `num_bins` bins on
    `[-bound, bound]`, whose knots a `CouplingMLP` computes from the other
    features (and the context). Outside `[-bound, bound]` the map is the
    identity, so the spline never extrapolates. The bijector is
    `tfp.bijectors.RealNVP` with a `tfp.bijectors.RationalQuadraticSpline`.

    Args:
        num_bins: Number of spline bins.
        bound: Half-width of the interval the spline acts on.
        hidden_units: Hidden sizes of the conditioner.
        activation: Activation of the conditioner.
        num_masked: Number of conditioning features; default half, rounded
            down.
        min_bin_size: Smallest bin width and height.
        min_slope: Smallest derivative at a knot.
        **kwargs: Passed to `keras.layers.Layer`.

    Reference:
        Durkan et al., "Neural Spline Flows", 2019,
        https://arxiv.org/abs/1906.04032
    """

    def __init__(
        self,
        num_bins=8,
        bound=5.0,
        hidden_units=(64, 64),
        activation="relu",
        num_masked=None,
        min_bin_size=1e-3,
        min_slope=1e-3,
        **kwargs,
    ):
        super().__init__(num_masked=num_masked, **kwargs)
        if int(num_bins) < 2:
            raise ValueError(
                f"`num_bins` must be at least 2. Received: num_bins={num_bins}"
            )
        bound = check_positive("bound", bound)
        if not 0 < min_bin_size * num_bins < 2 * bound:
            raise ValueError(
                "`min_bin_size * num_bins` must be in (0, 2 * bound). "
                f"Received: min_bin_size={min_bin_size}, num_bins={num_bins}, bound={bound}"
            )
        if not 0 < min_slope < 1:
            raise ValueError(
                f"`min_slope` must be in (0, 1). Received: min_slope={min_slope}"
            )
        self.num_bins = int(num_bins)
        self.bound = float(bound)
        self.hidden_units = tuple(hidden_units)
        self.activation = activation
        self.min_bin_size = float(min_bin_size)
        self.min_slope = float(min_slope)

    def build(self, x_shape, context_shape=None):
        super().build(x_shape, context_shape)
        if self.event_ndims != 1:
            raise ValueError(
                "`SplineCoupling` takes vectors `(d,)`. "
                f"Received: data of per-example shape {self.data_shape}"
            )
        outputs = self._transformed * (3 * self.num_bins - 1)
        self.conditioner = CouplingMLP(outputs, self.hidden_units, self.activation)
        self.conditioner.build((*x_shape[:-1], self._masked), context_shape)

    def transform(self, x0, context=None):
        """The `RationalQuadraticSpline` applied to `x1` given `x0`."""
        params = tf.cast(self.conditioner(x0, context), tf.float32)
        shape = tf.concat([tf.shape(params)[:-1], [self._transformed, -1]], axis=0)
        widths, heights, slopes = spline_parameters(
            tf.reshape(params, shape),
            self.num_bins,
            self.bound,
            self.min_bin_size,
            self.min_slope,
        )
        return tfb.RationalQuadraticSpline(
            widths, heights, slopes, range_min=-self.bound
        )

    def get_config(self):
        return {
            **super().get_config(),
            "num_bins": self.num_bins,
            "bound": self.bound,
            "hidden_units": list(self.hidden_units),
            "activation": self.activation,
            "min_bin_size": self.min_bin_size,
            "min_slope": self.min_slope,
        }


__all__ = ["SplineCoupling", "spline_parameters"]
