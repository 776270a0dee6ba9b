"""keras.metrics with hand-computed expectations; AUC against brute-force curves."""
import numpy as np
import pytest

from kerasish import losses, metrics


def test_mean_and_sum_weighted_and_reset():
    mean = metrics.Mean()
    mean.update_state([1.0, 2.0, 3.0])
    mean.update_state([[10.0, 20.0]], sample_weight=[0.5])  # one sample: its mean 15 with weight 0.5
    assert mean.result() == pytest.approx((6.0 + 7.5) / 3.5)
    assert isinstance(mean.result(), float)
    mean.reset_state()
    assert mean.result() == 0.0
    total = metrics.Sum()
    total.update_state([1.0, 2.0], sample_weight=[3.0, 0.0])
    total.update_state(4.0)
    assert total.result() == pytest.approx(7.0)
    assert metrics.Mean()([1.0, 3.0]) == pytest.approx(2.0)


def test_accuracy_and_binary_accuracy():
    acc = metrics.Accuracy()
    acc.update_state([[1], [2], [3], [4]], [[0], [2], [3], [4]])
    assert acc.result() == pytest.approx(0.75)
    binary = metrics.BinaryAccuracy()
    binary.update_state([[1], [1], [0], [0]], [[0.98], [0.4], [0.6], [0.5]])  # 0.5 is not > 0.5
    assert binary.result() == pytest.approx(0.5)
    strict = metrics.BinaryAccuracy(threshold=0.7)
    strict.update_state([1, 1, 0, 0], [[0.98], [0.4], [0.6], [0.5]], sample_weight=[1, 0, 1, 1])
    assert strict.result() == pytest.approx(1.0)
    assert metrics.BinaryAccuracy().get_config() == {"name": "binary_accuracy", "dtype": "float32", "threshold": 0.5}


def test_categorical_accuracy():
    m = metrics.CategoricalAccuracy()
    m.update_state([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]])
    assert m.result() == pytest.approx(0.5)
    m.update_state([[1, 0, 0]], [[0.5, 0.2, 0.3]], sample_weight=[2.0])
    assert m.result() == pytest.approx(3.0 / 4.0)


@pytest.mark.parametrize("labels", [np.array([2, 1, 0, 0]), np.array([[2], [1], [0], [0]]),
                                    np.array([2.0, 1.0, 0.0, 0.0])])
def test_sparse_categorical_accuracy_label_shapes(labels):
    y_pred = np.array([[0.1, 0.6, 0.3], [0.05, 0.95, 0.0], [0.7, 0.2, 0.1], [0.2, 0.2, 0.6]])
    values = metrics.sparse_categorical_accuracy(labels, y_pred)
    assert values.shape == (4,)  # never (4, 4) by broadcasting (4, 1) against (4,)
    np.testing.assert_array_equal(values, [0, 1, 1, 0])
    m = metrics.SparseCategoricalAccuracy()
    m.update_state(labels, y_pred, sample_weight=np.array([1.0, 1.0, 2.0, 0.0]))
    assert m.result() == pytest.approx(3.0 / 4.0)


def test_top_k_accuracies():
    y_pred = np.array([[0.1, 0.9, 0.8], [0.05, 0.95, 0.0]])
    top1 = metrics.TopKCategoricalAccuracy(k=1)
    top1.update_state([[0, 0, 1], [0, 1, 0]], y_pred)
    assert top1.result() == pytest.approx(0.5)
    sparse = metrics.SparseTopKCategoricalAccuracy(k=2)
    sparse.update_state([[2], [2]], y_pred)
    assert sparse.result() == pytest.approx(0.5)
    # ties at the boundary count as inside the top k (tf.math.in_top_k)
    np.testing.assert_array_equal(metrics.sparse_top_k_categorical_accuracy([2], [[0.5, 0.5, 0.5]], k=1), [1.0])
    np.testing.assert_array_equal(
        metrics.sparse_top_k_categorical_accuracy([1, 3], [[2, 1, 0], [0, 1, 2]], k=2, from_sorted_ids=True), [1, 0])
    assert metrics.TopKCategoricalAccuracy().get_config()["k"] == 5


def test_precision_recall():
    precision = metrics.Precision()
    precision.update_state([0, 1, 1, 1], [1, 0, 1, 1])
    assert precision.result() == pytest.approx(2.0 / 3.0)
    recall = metrics.Recall()
    recall.update_state([0, 1, 1, 1], [1, 0, 1, 1], sample_weight=[0, 0, 1, 0])
    assert recall.result() == pytest.approx(1.0)
    several = metrics.Precision(thresholds=[0.3, 0.7])
    several.update_state([1, 0, 1, 0], [0.8, 0.5, 0.4, 0.1])
    np.testing.assert_allclose(several.result(), [2.0 / 3.0, 1.0])
    top = metrics.Precision(top_k=2)
    top.update_state([[0, 0, 1, 1]], [[1, 1, 1, 1]])  # the first two (ties keep order) are predicted
    assert top.result() == pytest.approx(0.0)
    per_class = metrics.Recall(class_id=1)
    per_class.update_state([[0, 1], [0, 1], [1, 0]], [[0.9, 0.8], [0.1, 0.2], [0.3, 0.9]])
    assert per_class.result() == pytest.approx(0.5)
    assert metrics.Precision().result() == 0.0


def brute_force_counts(y_true, y_pred, thresholds):
    pred_pos = y_pred[None, :] > thresholds[:, None]
    pos = y_true[None, :] == 1
    return (np.sum(pred_pos & pos, 1), np.sum(pred_pos & ~pos, 1), np.sum(~pred_pos & ~pos, 1),
            np.sum(~pred_pos & pos, 1))


def keras_thresholds(n):
    return np.array([-1e-7] + [(i + 1) / (n - 1) for i in range(n - 2)] + [1 + 1e-7])


def trapezoid_roc(y_true, y_pred, thresholds):
    tp, fp, tn, fn = brute_force_counts(y_true, y_pred, thresholds)
    tpr, fpr = tp / (tp + fn), fp / (fp + tn)
    return float(np.sum((fpr[:-1] - fpr[1:]) * (tpr[:-1] + tpr[1:]) / 2))


def exact_roc_auc(y_true, y_pred):
    """P(score of a positive > score of a negative), ties counted half (Mann-Whitney)."""
    pos, neg = y_pred[y_true == 1], y_pred[y_true == 0]
    return float(np.mean((pos[:, None] > neg[None, :]) + 0.5 * (pos[:, None] == neg[None, :])))


@pytest.fixture
def scores():
    rng = np.random.default_rng(7)
    y_true = rng.integers(0, 2, size=500)
    y_pred = np.clip(rng.normal(0.4 + 0.25 * y_true, 0.2), 0, 1)
    return y_true, y_pred


def test_auc_roc_matches_trapezoid(scores):
    y_true, y_pred = scores
    auc = metrics.AUC()
    for part in np.array_split(np.arange(500), 3):
        auc.update_state(y_true[part], y_pred[part])
    assert auc.result() == pytest.approx(trapezoid_roc(y_true, y_pred, keras_thresholds(200)), abs=1e-12)
    fine = metrics.AUC(num_thresholds=5001)
    fine.update_state(y_true, y_pred)
    assert fine.result() == pytest.approx(exact_roc_auc(y_true, y_pred), abs=2e-3)
    assert auc.result() == pytest.approx(exact_roc_auc(y_true, y_pred), abs=1e-2)


def test_auc_pr_and_summation_methods(scores):
    y_true, y_pred = scores
    thresholds = keras_thresholds(50)
    tp, fp, _, fn = brute_force_counts(y_true, y_pred, thresholds)
    recall = tp / (tp + fn)
    precision = np.divide(tp, tp + fp, out=np.zeros(len(tp)), where=(tp + fp) > 0)
    minoring = metrics.AUC(num_thresholds=50, curve="PR", summation_method="minoring")
    minoring.update_state(y_true, y_pred)
    expected = np.sum((recall[:-1] - recall[1:]) * np.minimum(precision[:-1], precision[1:]))
    assert minoring.result() == pytest.approx(expected, abs=1e-12)
    interpolated = metrics.AUC(curve="PR")
    interpolated.update_state(y_true, y_pred)
    assert minoring.result() - 0.02 < interpolated.result() < 1.0
    perfect = metrics.AUC(curve="PR")
    perfect.update_state([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9])
    assert perfect.result() == pytest.approx(1.0)


def test_auc_small_example_weights_logits_and_multi_label():
    auc = metrics.AUC(num_thresholds=3)  # thresholds -eps, 0.5, 1+eps
    auc.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9])
    # at 0.5: tpr 1/2, fpr 0 -> trapezoid area 0.75
    assert auc.result() == pytest.approx(0.75)
    weighted = metrics.AUC(num_thresholds=3)
    weighted.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9], sample_weight=[1, 0, 0, 1])
    assert weighted.result() == pytest.approx(1.0)
    logits = np.array([-2.0, 0.3, 0.1, 3.0])
    from_logits = metrics.AUC(from_logits=True)
    from_logits.update_state([0, 0, 1, 1], logits)
    plain = metrics.AUC()
    plain.update_state([0, 0, 1, 1], 1 / (1 + np.exp(-logits)))
    assert from_logits.result() == pytest.approx(plain.result())
    y_true = np.array([[0, 1], [1, 1], [1, 0], [0, 0]])
    y_pred = np.array([[0.2, 0.9], [0.8, 0.3], [0.6, 0.4], [0.1, 0.6]])
    multi = metrics.AUC(multi_label=True)
    multi.update_state(y_true, y_pred)
    per_label = [exact_roc_auc(y_true[:, j], y_pred[:, j]) for j in range(2)]
    assert multi.result() == pytest.approx(np.mean(per_label), abs=1e-9)
    multi.reset_state()
    assert multi.result() == 0.0


def test_regression_and_crossentropy_metrics():
    mse = metrics.MeanSquaredError()
    mse.update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]])
    assert mse.result() == pytest.approx(0.25)
    mae = metrics.MeanAbsoluteError()
    mae.update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]], sample_weight=[1, 0])
    assert mae.result() == pytest.approx(0.5)
    rng = np.random.default_rng(1)
    logits = rng.normal(size=(4, 3)).astype(np.float32)
    ids = np.array([0, 2, 1, 1])
    one_hot = np.eye(3, dtype=np.float32)[ids]
    probs = np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)
    for metric, loss, y_true, y_pred in (
            (metrics.CategoricalCrossentropy(from_logits=True), losses.CategoricalCrossentropy(from_logits=True),
             one_hot, logits),
            (metrics.SparseCategoricalCrossentropy(), losses.SparseCategoricalCrossentropy(), ids, probs),
            (metrics.BinaryCrossentropy(), losses.BinaryCrossentropy(), one_hot, probs),
            (metrics.BinaryCrossentropy(from_logits=True), losses.BinaryCrossentropy(from_logits=True), one_hot,
             logits)):
        metric.update_state(y_true, y_pred)
        assert metric.result() == pytest.approx(float(loss(y_true, y_pred)), rel=1e-5)


def test_resolve_accuracy_rule():
    resolved = metrics.resolve("accuracy", "binary_crossentropy", (None, 3))
    assert isinstance(resolved, metrics.BinaryAccuracy) and resolved.name == "accuracy"
    assert isinstance(metrics.resolve("acc", "mse", (None, 1)), metrics.BinaryAccuracy)
    assert metrics.resolve("acc", "mse", (None, 1)).name == "acc"
    assert isinstance(metrics.resolve("accuracy", losses.SparseCategoricalCrossentropy(), (None, 10)),
                      metrics.SparseCategoricalAccuracy)
    assert isinstance(metrics.resolve("accuracy", "sparse_categorical_crossentropy", (None, 10)),
                      metrics.SparseCategoricalAccuracy)
    assert isinstance(metrics.resolve("accuracy", "categorical_crossentropy", (None, 10)),
                      metrics.CategoricalAccuracy)
    assert isinstance(metrics.resolve("Accuracy", losses.BinaryCrossentropy(), (None, 4)), metrics.BinaryAccuracy)
    ce = metrics.resolve("crossentropy", losses.CategoricalCrossentropy(from_logits=True), (None, 3))
    assert isinstance(ce, metrics.CategoricalCrossentropy) and ce.get_config()["from_logits"] is True
    assert ce.name == "crossentropy"


def test_resolve_other_identifiers():
    mse = metrics.resolve("mse")
    assert isinstance(mse, metrics.MeanMetricWrapper) and mse.name == "mse"
    auc = metrics.resolve("AUC")
    assert isinstance(auc, metrics.AUC) and auc.name == "AUC"
    mine = metrics.Precision(name="p")
    assert metrics.resolve(mine) is mine and mine.name == "p"

    def hits(y_true, y_pred):
        return np.equal(y_true, y_pred).astype(float)

    wrapped = metrics.resolve(hits)
    assert wrapped.name == "hits"
    wrapped.update_state([1, 2], [1, 3])
    assert wrapped.result() == pytest.approx(0.5)


def test_get_serialize_and_errors():
    assert metrics.get("accuracy") is metrics.accuracy
    assert isinstance(metrics.get("AUC"), metrics.AUC)
    recall = metrics.Recall(thresholds=[0.2, 0.4], name="r")
    restored = metrics.get(metrics.serialize(recall))
    assert isinstance(restored, metrics.Recall) and restored.get_config() == recall.get_config()
    auc = metrics.deserialize(metrics.serialize(metrics.AUC(curve="PR", thresholds=[0.3, 0.6])))
    np.testing.assert_allclose(auc.thresholds, [-1e-7, 0.3, 0.6, 1 + 1e-7])
    with pytest.raises(ValueError, match="sparse_categorical_accuracy"):
        metrics.get("sparse_categorical_acuracy")
    with pytest.raises(ValueError, match="ROC"):
        metrics.AUC(curve="XY")
