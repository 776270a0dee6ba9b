"""Non-recurrent layers: semantics against NumPy, masks, errors naming the layer, configs, and training."""
import numpy as np
import pytest

import kerasish as keras
import kerasish.backend as B
from kerasish import layers, ops
from kerasish.layers.layer import collect_updates

RNG = np.random.default_rng(0)


def randn(*shape):
    return RNG.standard_normal(shape).astype(np.float32)


def in_graph(layer, *inputs, training=None, **kwargs):
    """layer(...) traced on placeholders with an unknown batch size, compiled and run on `inputs`."""
    graph = B.Graph()
    with graph.as_default(), collect_updates() as updates:
        holders = [B.placeholder(x.dtype, (None,) + x.shape[1:]) for x in inputs]
        y = layer(holders if len(holders) > 1 else holders[0], training=training, **kwargs)
        run = B.compile([y], holders, targets=updates)
    return run(*inputs)[0], updates


# ---- errors and arguments -----------------------------------------------------------------
def test_conv2d_rank_error_names_layer_and_shape():
    with pytest.raises(ValueError, match=r"Input 0 of layer 'conv_x' is incompatible .* expected ndim=4, found ndim=3\. "
                                         r"Full shape received: \(2, 8, 8\)"):
        layers.Conv2D(4, 3, name="conv_x")(np.zeros((2, 8, 8), np.float32))


def test_channel_mismatch_after_build_is_reported():
    conv = layers.Conv1D(2, 3, name="c1")
    conv(np.zeros((1, 5, 3), np.float32))
    with pytest.raises(ValueError, match=r"layer 'c1'.*axis -1 .* value 3.*\(1, 5, 4\)"):
        conv(np.zeros((1, 5, 4), np.float32))


@pytest.mark.parametrize("make", [lambda: layers.Conv2D(2, 3, data_format="channels_first"),
                                  lambda: layers.MaxPooling2D(data_format="channels_first"),
                                  lambda: layers.GlobalAveragePooling2D(data_format="channels_first")])
def test_channels_first_is_rejected_clearly(make):
    with pytest.raises(ValueError, match="channels_first"):
        make()


def test_bad_arguments():
    with pytest.raises(ValueError, match="padding"):
        layers.Conv2D(2, 3, padding="causal")
    with pytest.raises(ValueError, match="kernel_size"):
        layers.Conv2D(2, (3, 3, 3))
    with pytest.raises(ValueError, match="at most one -1"):
        layers.Reshape((-1, -1))
    with pytest.raises(ValueError, match="cannot reshape"):
        layers.Reshape((5,))(np.zeros((2, 4), np.float32))


def test_conv_defaults_and_config():
    conv = layers.Conv2D(3, 2)
    config = conv.get_config()
    assert config["strides"] == (1, 1) and config["padding"] == "valid" and config["dilation_rate"] == (1, 1)
    assert config["data_format"] == "channels_last" and config["kernel_size"] == (2, 2)
    pool = layers.MaxPooling1D(pool_size=3)
    assert pool.get_config()["strides"] == (3,) and pool.get_config()["pool_size"] == (3,)
    assert layers.LeakyReLU().negative_slope == 0.3


# ---- convolutions ------------------------------------------------------------------------
def _depthwise_reference(x, kernel):
    kh, kw, c, m = kernel.shape
    n, h, w, _ = x.shape
    out = np.zeros((n, h - kh + 1, w - kw + 1, c, m), np.float64)
    for i in range(kh):
        for j in range(kw):
            out += x[:, i:i + out.shape[1], j:j + out.shape[2], :, None] * kernel[i, j]
    return out.reshape(n, out.shape[1], out.shape[2], c * m)


def test_depthwise_and_separable_conv():
    x = randn(2, 5, 6, 3)
    depthwise = layers.DepthwiseConv2D(3, depth_multiplier=2, use_bias=False)
    y = depthwise(x)
    assert [w.name for w in depthwise.weights] == ["kernel"]
    np.testing.assert_allclose(y, _depthwise_reference(x, depthwise.kernel.numpy()), rtol=1e-5, atol=1e-5)
    separable = layers.SeparableConv2D(4, 3, depth_multiplier=2)
    y = separable(x)
    assert [w.name for w in separable.weights] == ["depthwise_kernel", "pointwise_kernel", "bias"]
    mid = _depthwise_reference(x, separable.depthwise_kernel.numpy())
    want = mid @ separable.pointwise_kernel.numpy()[0, 0] + separable.bias.numpy()
    np.testing.assert_allclose(y, want, rtol=1e-5, atol=1e-5)


def test_conv1d_causal_keeps_length_in_graph():
    conv = layers.Conv1D(2, 3, padding="causal", dilation_rate=2)
    x = randn(3, 7, 2)
    y, _ = in_graph(conv, x)
    np.testing.assert_allclose(y, conv(x), rtol=1e-6, atol=1e-6)
    assert y.shape == (3, 7, 2)
    x_late = x.copy()
    x_late[:, 4:] = 0
    np.testing.assert_allclose(conv(x_late)[:, :4], conv(x)[:, :4], rtol=1e-6, atol=1e-6)


# ---- pooling -------------------------------------------------------------------------
def test_pooling_1d_and_global_2d():
    x = randn(2, 7, 3)
    np.testing.assert_allclose(layers.MaxPooling1D()(x), x[:, :6].reshape(2, 3, 2, 3).max(2))
    np.testing.assert_allclose(layers.AveragePooling1D(3, strides=2)(x),
                               np.stack([x[:, i:i + 3].mean(1) for i in (0, 2, 4)], 1), rtol=1e-6)
    images = randn(2, 4, 5, 3)
    np.testing.assert_allclose(layers.GlobalMaxPooling2D()(images), images.max((1, 2)))
    np.testing.assert_allclose(layers.GlobalAveragePooling2D(keepdims=True)(images), images.mean((1, 2), keepdims=True),
                               rtol=1e-6)
    np.testing.assert_allclose(layers.GlobalAveragePooling1D()(x), x.mean(1), rtol=1e-6)


def test_global_average_pooling1d_honours_mask():
    x = randn(2, 4, 3)
    mask = np.array([[True, True, False, False], [True, True, True, True]])
    pool = layers.GlobalAveragePooling1D()
    want = np.stack([x[0, :2].mean(0), x[1].mean(0)])
    np.testing.assert_allclose(pool(x, mask=mask), want, rtol=1e-6)
    y, _ = in_graph(pool, x, mask=B.constant(mask))
    np.testing.assert_allclose(y, want, rtol=1e-6)


# ---- core ----------------------------------------------------------------------------
def test_embedding_mask_cast_and_ignored_input_length():
    emb = layers.Embedding(5, 2, mask_zero=True, input_length=3)
    ids = np.array([[1, 0, 4]], np.float32)
    y = emb(ids)
    np.testing.assert_array_equal(y[0], emb.embeddings.numpy()[[1, 0, 4]])
    np.testing.assert_array_equal(emb.compute_mask(ids), [[True, False, True]])
    assert layers.Embedding(5, 2).compute_mask(ids) is None
    assert emb.get_config()["embeddings_initializer"]["class_name"] == "RandomUniform"
    assert np.abs(emb.embeddings.numpy()).max() <= 0.05


def test_masking_zeroes_and_masks_steps():
    x = randn(2, 3, 2)
    x[0, 1] = 0.0
    masking = layers.Masking()
    np.testing.assert_array_equal(masking.compute_mask(x), [[True, False, True], [True, True, True]])
    y = masking(x)
    np.testing.assert_array_equal(y[0, 1], 0.0)
    np.testing.assert_array_equal(y[1], x[1])


def test_identity_and_lambda_with_config_round_trip():
    x = randn(2, 3)
    np.testing.assert_array_equal(layers.Identity()(x), x)
    lam = layers.Lambda(lambda t: ops.multiply(t, 2.0), output_shape=(3,))
    np.testing.assert_allclose(lam(x), 2 * x)
    clone = layers.Lambda.from_config(lam.get_config())
    np.testing.assert_allclose(clone(x), 2 * x)
    assert clone.compute_output_shape((None, 3)) == (None, 3)
    named = layers.Lambda(ops.silu)
    assert named.get_config()["function"]["config"] == "silu"
    np.testing.assert_allclose(layers.Lambda.from_config(named.get_config())(x), x / (1 + np.exp(-x)), rtol=1e-5)
    with pytest.raises(ValueError, match="cannot serialise"):
        layers.Lambda(ops.square).get_config()


# ---- activations ----------------------------------------------------------------------
def test_activation_layers():
    x = np.array([[-2.0, -0.5, 0.0, 0.5, 3.0]], np.float32)
    np.testing.assert_allclose(layers.ReLU()(x), np.maximum(x, 0))
    np.testing.assert_allclose(layers.ReLU(max_value=1.0, negative_slope=0.1, threshold=0.2)(x),
                               np.where(x >= 0.2, np.minimum(x, 1.0), 0.1 * (x - 0.2)), rtol=1e-6)
    np.testing.assert_allclose(layers.LeakyReLU()(x), np.where(x > 0, x, 0.3 * x), rtol=1e-6)
    np.testing.assert_allclose(layers.ELU(alpha=0.5)(x), np.where(x > 0, x, 0.5 * np.expm1(x)), rtol=1e-6)
    prelu = layers.PReLU(alpha_initializer=keras.initializers.Constant(0.25))
    np.testing.assert_allclose(prelu(x), np.where(x > 0, x, 0.25 * x), rtol=1e-6)
    assert prelu.alpha.shape == (5,)


def test_softmax_with_mask():
    x = randn(2, 4)
    mask = np.array([[True, True, False, True], [True, False, False, False]])
    y = layers.Softmax()(x, mask=mask)
    np.testing.assert_allclose(y.sum(-1), 1.0, rtol=1e-6)
    assert np.all(y[~mask] < 1e-6)
    e = np.exp(x[0, [0, 1, 3]] - x[0, [0, 1, 3]].max())
    np.testing.assert_allclose(y[0, [0, 1, 3]], e / e.sum(), rtol=1e-5)
    np.testing.assert_allclose(layers.Softmax(axis=0)(x), np.exp(x) / np.exp(x).sum(0), rtol=1e-5)


# ---- normalisation ---------------------------------------------------------------------
def test_frozen_batch_normalization_runs_in_inference_mode():
    bn = layers.BatchNormalization()
    x = randn(8, 3) * 3 + 1
    bn.build(x.shape)
    bn.trainable = False
    y, updates = in_graph(bn, x, training=True)
    assert updates == []
    np.testing.assert_allclose(y, x / np.sqrt(1 + 1e-3), rtol=1e-5)
    np.testing.assert_array_equal(bn.moving_mean.numpy(), 0.0)
    assert bn.trainable_weights == [] and len(bn.non_trainable_weights) == 4


def test_batch_normalization_on_other_axis():
    bn = layers.BatchNormalization(axis=1, center=False)
    x = randn(4, 3, 5)
    y = bn(x, training=True)
    assert [w.name for w in bn.weights] == ["gamma", "moving_mean", "moving_variance"]
    mean, var = x.mean((0, 2), keepdims=True), x.var((0, 2), keepdims=True)
    np.testing.assert_allclose(y, (x - mean) / np.sqrt(var + 1e-3), rtol=1e-4, atol=1e-5)


def test_layer_normalization():
    x = randn(2, 3, 4)
    ln = layers.LayerNormalization()
    mean, var = x.mean(-1, keepdims=True), x.var(-1, keepdims=True)
    np.testing.assert_allclose(ln(x), (x - mean) / np.sqrt(var + 1e-3), rtol=1e-4, atol=1e-5)
    assert [w.name for w in ln.weights] == ["gamma", "beta"]
    ln2 = layers.LayerNormalization(axis=[1, 2], scale=False)
    mean, var = x.mean((1, 2), keepdims=True), x.var((1, 2), keepdims=True)
    np.testing.assert_allclose(ln2(x), (x - mean) / np.sqrt(var + 1e-3), rtol=1e-4, atol=1e-5)
    assert ln2.beta.shape == (3, 4)


# ---- reshaping -------------------------------------------------------------------------
def test_reshaping_layers_eager_and_graph():
    x = randn(2, 3, 4)
    cases = [
        (layers.Reshape((-1, 2)), x.reshape(2, 6, 2)),
        (layers.Permute((2, 1)), x.transpose(0, 2, 1)),
        (layers.ZeroPadding1D((1, 2)), np.pad(x, ((0, 0), (1, 2), (0, 0)))),
        (layers.Cropping1D((1, 0)), x[:, 1:]),
        (layers.UpSampling1D(2), np.repeat(x, 2, axis=1)),
    ]
    for layer, want in cases:
        np.testing.assert_array_equal(layer(x), want)
        np.testing.assert_array_equal(in_graph(layer, x)[0], want)
        assert layer.compute_output_shape((None,) + x.shape[1:]) == (None,) + want.shape[1:]
    v = randn(2, 3)
    np.testing.assert_array_equal(layers.RepeatVector(4)(v), np.repeat(v[:, None], 4, axis=1))
    images = randn(2, 3, 4, 2)
    np.testing.assert_array_equal(layers.ZeroPadding2D(((1, 0), (2, 1)))(images),
                                  np.pad(images, ((0, 0), (1, 0), (2, 1), (0, 0))))
    np.testing.assert_array_equal(layers.ZeroPadding2D(1).get_config()["padding"], ((1, 1), (1, 1)))
    np.testing.assert_array_equal(layers.Cropping2D(((1, 0), (1, 2)))(images), images[:, 1:, 1:2])
    np.testing.assert_array_equal(layers.UpSampling2D((2, 3))(images), images.repeat(2, 1).repeat(3, 2))


# ---- merging ---------------------------------------------------------------------------
def test_merge_layers():
    a, b, c = randn(2, 3), randn(2, 3), randn(2, 1)
    np.testing.assert_allclose(layers.Subtract()([a, b]), a - b)
    np.testing.assert_allclose(layers.Average()([a, b, c]), (a + b + c) / 3, rtol=1e-6)
    np.testing.assert_allclose(layers.Maximum()([a, b]), np.maximum(a, b))
    np.testing.assert_allclose(layers.Minimum()([a, b]), np.minimum(a, b))
    np.testing.assert_allclose(layers.Add()([a, c]), a + c)
    y, _ = in_graph(layers.Multiply(), a, b)
    np.testing.assert_allclose(y, a * b)
    with pytest.raises(ValueError, match=r"'subtract_x'.* 2 inputs"):
        layers.Subtract(name="subtract_x")([a, b, a])
    with pytest.raises(ValueError, match=r"incompatible shapes \[\(2, 3\), \(2, 4\)\]"):
        layers.Add()([a, randn(2, 4)])
    with pytest.raises(ValueError, match="list of inputs"):
        layers.Add()(a)


def test_dot_layer():
    a, b = randn(2, 3), randn(2, 3)
    np.testing.assert_allclose(layers.Dot(axes=1)([a, b]), (a * b).sum(1, keepdims=True), rtol=1e-5)
    cosine = layers.Dot(axes=-1, normalize=True)([a, b])
    want = (a * b).sum(1) / np.linalg.norm(a, axis=1) / np.linalg.norm(b, axis=1)
    np.testing.assert_allclose(cosine[:, 0], want, rtol=1e-5)
    x, y = randn(2, 4, 3), randn(2, 5, 3)
    np.testing.assert_allclose(layers.Dot(axes=(2, 2))([x, y]), np.einsum("bic,bjc->bij", x, y), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(layers.Dot(axes=(1, 1))([x, randn(2, 4, 2)]).shape, (2, 3, 2))
    assert layers.Dot(axes=(2, 2)).compute_output_shape([(None, 4, 3), (None, 5, 3)]) == (None, 4, 5)


def test_merge_masks():
    x = randn(2, 3, 4)
    m1 = np.array([[True, True, False], [True, False, True]])
    m2 = np.array([[True, False, True], [True, True, True]])
    np.testing.assert_array_equal(layers.Add().compute_mask([x, x], [m1, m2]), m1 & m2)
    np.testing.assert_array_equal(layers.Add().compute_mask([x, x], [m1, None]), m1)
    assert layers.Add().compute_mask([x, x], None) is None
    concat = layers.Concatenate(axis=1)
    np.testing.assert_array_equal(concat.compute_mask([x, x], [m1, None]), np.concatenate([m1, np.ones_like(m1)], 1))
    np.testing.assert_array_equal(layers.Concatenate().compute_mask([x, x], [m1, m2]), m1 & m2)


def test_functional_mask_flows_from_embedding_to_pooling():
    ids = keras.Input(shape=(4,), dtype="int32")
    emb = layers.Embedding(6, 2, mask_zero=True)
    outputs = layers.GlobalAveragePooling1D()(emb(ids))
    model = keras.Model(ids, outputs)
    data = np.array([[1, 2, 0, 0], [3, 4, 5, 1]], np.int32)
    table = emb.embeddings.numpy()
    want = np.stack([table[[1, 2]].mean(0), table[[3, 4, 5, 1]].mean(0)])
    np.testing.assert_allclose(model.predict(data, verbose=0), want, rtol=1e-5)


# ---- preprocessing and regularisation --------------------------------------------------------
def test_rescaling_and_normalization():
    x = np.array([[0, 128, 255]], np.uint8)
    np.testing.assert_allclose(layers.Rescaling(1 / 255.0, offset=-0.5)(x), x / 255.0 - 0.5, rtol=1e-6, atol=1e-7)
    data = randn(100, 3) * 2 + 5
    norm = layers.Normalization()
    norm.adapt(data)
    np.testing.assert_allclose(norm(data), (data - data.mean(0)) / data.std(0), rtol=1e-4, atol=1e-4)
    fixed = layers.Normalization(mean=[1.0, 2.0], variance=[4.0, 1.0])
    np.testing.assert_allclose(fixed(np.array([[3.0, 3.0]], np.float32)), [[1.0, 1.0]])
    inverse = layers.Normalization(mean=[1.0, 2.0], variance=[4.0, 1.0], invert=True)
    np.testing.assert_allclose(inverse(np.array([[1.0, 1.0]], np.float32)), [[3.0, 3.0]])


def test_spatial_dropout_drops_whole_channels():
    x = np.ones((4, 6, 8), np.float32)
    drop = layers.SpatialDropout1D(0.5)
    y = drop(x, training=True)
    assert np.all(y.std(axis=1) == 0)
    assert set(np.unique(y)) <= {0.0, 2.0}
    np.testing.assert_array_equal(drop(x, training=False), x)
    assert "noise_shape" not in drop.get_config()
    y2, _ = in_graph(layers.SpatialDropout2D(0.5), np.ones((2, 3, 3, 4), np.float32), training=True)
    assert np.all(y2.std(axis=(1, 2)) == 0)


# ---- training --------------------------------------------------------------------------
def test_sequential_convnet_trains_with_fit():
    x = randn(64, 8, 8, 1)
    y = (x.mean(axis=(1, 2, 3)) > 0).astype(np.int32)
    model = keras.Sequential([
        keras.Input(shape=(8, 8, 1)),
        layers.Conv2D(4, 3, padding="same", activation="relu"),
        layers.BatchNormalization(),
        layers.MaxPooling2D(),
        layers.Conv2D(4, 3, activation="relu"),
        layers.Flatten(),
        layers.Dense(2, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    before = model.evaluate(x, y, verbose=0)
    moving_mean = model.layers[1].moving_mean.numpy().copy()
    history = model.fit(x, y, batch_size=16, epochs=5, verbose=0)
    losses = history.history["loss"]
    assert losses[-1] < losses[0]
    after = model.evaluate(x, y, verbose=0)
    assert (after[0] if isinstance(after, list) else after) < (before[0] if isinstance(before, list) else before)
    assert not np.allclose(model.layers[1].moving_mean.numpy(), moving_mean)
