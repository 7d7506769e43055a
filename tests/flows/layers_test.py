"""The flow layers and conditioners on their own."""

import json

import keras
import numpy as np
import pytest
import tensorflow as tf

import keras_gen.flows as flows
from keras_gen.flows.conditioners import made_masks

VECTOR_PRESETS = [flows.RealNVP, flows.MAF, flows.NeuralSplineFlow]


@pytest.mark.parametrize("preset", VECTOR_PRESETS, ids=lambda p: p.__name__)
def test_vector_presets_start_at_the_identity(preset):
    flow = preset((3,), num_layers=3, hidden_units=(8,))
    x = tf.constant(np.random.default_rng(0).normal(size=(6, 3)) * 3, tf.float32)
    z, log_det = flow.inverse_and_log_det(x)
    np.testing.assert_allclose(z, x, atol=1e-5)
    np.testing.assert_allclose(log_det, 0.0, atol=1e-5)


def test_glow_starts_at_the_base_density():
    # ActNorm and couplings start at the identity, the 1x1 convolutions as
    # rotations: the density is exactly the base density.
    flow = flows.Glow((4, 4, 2), num_levels=2, num_layers=1, hidden_units=(4,))
    x = tf.constant(np.random.default_rng(0).normal(size=(3, 4, 4, 2)), tf.float32)
    z, log_det = flow.inverse_and_log_det(x)
    np.testing.assert_allclose(log_det, 0.0, atol=1e-4)
    np.testing.assert_allclose(flow(x), flow.base_log_prob(x), rtol=1e-5)
    np.testing.assert_allclose(
        np.sum(np.square(z), (1, 2, 3)), np.sum(np.square(x), (1, 2, 3)), rtol=1e-4
    )


def test_made_is_autoregressive():
    made = flows.MADE(num_params=2, hidden_units=(16, 16))
    made.build((None, 4), (None, 2))
    for kernel in made.kernels:
        kernel.assign(np.random.default_rng(0).normal(size=kernel.shape))
    x = tf.constant(np.random.default_rng(1).normal(size=(1, 4)), tf.float32)
    with tf.GradientTape() as tape:
        tape.watch(x)
        out = made(x, tf.ones((1, 2)))
    assert out.shape == (1, 4, 2)
    jacobian = np.asarray(tape.jacobian(out, x))[
        0, :, :, 0, :
    ]  # (out_dim, param, in_dim)
    for i in range(4):
        assert np.all(jacobian[i, :, i:] == 0), f"output {i} sees inputs >= {i}"
        if i:
            assert np.any(jacobian[i, :, :i] != 0), f"output {i} sees no earlier input"
    masks = made_masks(3, (5,), 2)
    assert [m.shape for m in masks] == [(3, 5), (5, 6)]


def test_every_made_output_depends_on_the_context():
    made = flows.MADE(num_params=2, hidden_units=(16,))
    made.build((None, 3), (None, 2))
    rng = np.random.default_rng(0)
    for weight in made.weights:
        weight.assign(rng.normal(size=weight.shape))
    x = tf.constant(rng.normal(size=(1, 3)), tf.float32)
    context = tf.constant([[0.5, -1.0]])
    with tf.GradientTape() as tape:
        tape.watch(context)
        out = made(x, context)
    jacobian = np.asarray(tape.jacobian(out, context))[0, :, :, 0, :]
    for i in range(3):
        assert np.all(np.any(jacobian[i] != 0, axis=-1)), f"output {i} ignores context"


def test_conditional_maf_in_one_dimension_uses_the_classes():
    flow = flows.MAF((1,), num_layers=1, hidden_units=(8,), num_classes=3)
    rng = np.random.default_rng(0)
    for weight in flow.trainable_weights:
        weight.assign(rng.normal(size=weight.shape))
    x = np.linspace(-2, 2, 5, dtype="float32")[:, None]
    by_class = [np.asarray(flow.log_prob(x, np.full(5, c))) for c in range(3)]
    assert not np.allclose(by_class[0], by_class[1])
    assert not np.allclose(by_class[1], by_class[2])


def test_squeeze_is_space_to_depth():
    squeeze = flows.Squeeze()
    squeeze.build((None, 4, 4, 2))
    x = tf.reshape(tf.range(32, dtype=tf.float32), (1, 4, 4, 2))
    z, log_det = squeeze(x)
    np.testing.assert_array_equal(z, tf.nn.space_to_depth(x, 2))
    np.testing.assert_array_equal(log_det, [0.0])
    unsqueeze = flows.Unsqueeze()
    unsqueeze.build((None, 2, 2, 8))
    np.testing.assert_array_equal(unsqueeze(z)[0], x)


def test_invertible_conv_log_det():
    conv = flows.InvertibleConv1x1()
    conv.build((None, 2, 2, 3))
    conv.log_diagonal.assign([0.1, -0.2, 0.3])
    x = tf.random.stateless_normal((2, 2, 2, 3), seed=[0, 1])
    z, log_det = conv(x)
    np.testing.assert_allclose(log_det, [-0.2 * 4] * 2, rtol=1e-5)  # 4 pixels
    weight = np.asarray(conv.bijector().forward(tf.eye(3)[None, None]))[0, 0].T
    np.testing.assert_allclose(
        np.einsum("ij,bhwj->bhwi", weight, np.asarray(z)), x, atol=1e-5
    )


def test_spline_is_identity_outside_its_bound():
    flow = flows.NeuralSplineFlow((2,), num_layers=2, hidden_units=(8,), bound=2.0)
    for v in flow.trainable_variables:
        v.assign(v + np.random.default_rng(0).normal(size=v.shape).astype("float32"))
    x = tf.constant([[3.0, -5.0], [0.5, 0.2]])
    z, _ = flow.inverse_and_log_det(x)
    np.testing.assert_allclose(z[0], x[0, ::-1], atol=1e-6)  # the Permute reverses
    assert not np.allclose(z[1], x[1])


def test_flow_config_holds_only_hyperparameters():
    flow = flows.Flow(
        (4, 4, 1),
        [
            flows.Squeeze(),
            flows.ActNorm(),
            flows.InvertibleConv1x1(),
            flows.AffineCoupling((8,)),
            flows.MultiScale(
                [flows.Squeeze(), flows.AffineCoupling((4,)), flows.Unsqueeze()]
            ),
            flows.Unsqueeze(),
        ],
        num_classes=2,
    )
    config = json.loads(json.dumps(keras.saving.serialize_keras_object(flow)))
    clone = keras.saving.deserialize_keras_object(config)
    assert clone.latent_shape == (4, 4, 1)
    assert [type(layer) for layer in clone.flow_layers] == [
        type(layer) for layer in flow.flow_layers
    ]
    assert len(clone.trainable_variables) == len(flow.trainable_variables)
    preset = flows.Glow((4, 4, 1), num_levels=1, num_layers=1, hidden_units=(4,))
    assert "layers" not in preset.get_config()
    assert preset.get_config()["num_layers"] == 1


def test_log_prob_is_float32_under_mixed_precision():
    keras.config.set_dtype_policy("mixed_float16")
    try:
        flow = flows.RealNVP((2,), num_layers=2, hidden_units=(8,))
    finally:
        keras.config.set_dtype_policy("float32")
    x = tf.constant([[0.5, -1.0]], tf.float16)
    z, log_det = flow.inverse_and_log_det(tf.cast(x, tf.float32))
    assert log_det.dtype == tf.float32 and z.dtype == tf.float32
    assert flow.log_prob(x).dtype == tf.float32
