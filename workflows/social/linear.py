"""A small multinomial logistic regression in numpy, stored as JSON (vocabulary + base64 float32 weights)."""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from workflows.social.sparse import SparseRows

Matrix = NDArray[np.float32]
MODEL_PATH = Path(__file__).with_name("data") / "model.json"


@dataclass
class LinearHead:
    """Softmax regression over a shared vocabulary: weights (features x classes) and bias."""

    classes: list[str]
    weights: Matrix
    bias: Matrix

    def logits(self, rows: Sequence[int], values: Matrix) -> Matrix:
        """Logits of one sample whose non-zero features are `rows` with `values`."""
        if not rows:
            return self.bias.copy()
        return np.asarray(values @ self.weights[list(rows)] + self.bias, dtype=np.float32)


def encode(weighted: dict[str, float], vocabulary: dict[str, int]) -> tuple[list[int], Matrix]:
    """Known feature columns and their L2-normalised values."""
    columns = [vocabulary[n] for n in weighted if n in vocabulary]
    values = np.array([weighted[n] for n in weighted if n in vocabulary], dtype=np.float32)
    norm = float(np.sqrt((values**2).sum())) if columns else 1.0
    return columns, values / norm


def softmax(logits: Matrix) -> Matrix:
    shifted = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return np.asarray(shifted / shifted.sum(axis=-1, keepdims=True), dtype=np.float32)


def fit_head(x: SparseRows, labels: Sequence[str], classes: list[str], l2: float = 1e-3,
             epochs: int = 300) -> LinearHead:
    """Full-batch Adam on cross-entropy with L2; `x` rows are L2-normalised feature vectors."""
    index = {c: i for i, c in enumerate(classes)}
    y = np.zeros((len(labels), len(classes)), dtype=np.float32)
    y[np.arange(len(labels)), [index[c] for c in labels]] = 1.0
    w = np.zeros((x.shape[1], len(classes)), dtype=np.float32)
    b = np.zeros(len(classes), dtype=np.float32)
    m_w, v_w, m_b, v_b = np.zeros_like(w), np.zeros_like(w), np.zeros_like(b), np.zeros_like(b)
    rate, beta1, beta2 = 0.05, 0.9, 0.999
    for step in range(1, epochs + 1):
        error = np.asarray((softmax(x @ w + b) - y) / len(labels), dtype=np.float32)
        grad_w, grad_b = np.asarray(x.transposed_times(error) + l2 * w, dtype=np.float32), error.sum(axis=0)
        m_w, v_w = beta1 * m_w + (1 - beta1) * grad_w, beta2 * v_w + (1 - beta2) * grad_w**2
        m_b, v_b = beta1 * m_b + (1 - beta1) * grad_b, beta2 * v_b + (1 - beta2) * grad_b**2
        correction = float(np.sqrt(1 - beta2**step) / (1 - beta1**step))
        w -= rate * correction * m_w / (np.sqrt(v_w) + 1e-8)
        b -= rate * correction * m_b / (np.sqrt(v_b) + 1e-8)
    return LinearHead(classes, w.astype(np.float32), b.astype(np.float32))


def _encode(array: Matrix) -> dict[str, object]:
    data = np.ascontiguousarray(array, dtype="<f4")
    return {"shape": list(data.shape), "data": base64.b64encode(data.tobytes()).decode("ascii")}


def _decode(blob: dict[str, object]) -> Matrix:
    shape = tuple(int(n) for n in blob["shape"])  # type: ignore[attr-defined]
    raw = base64.b64decode(str(blob["data"]))
    return np.frombuffer(raw, dtype="<f4").reshape(shape).astype(np.float32)


@dataclass
class LinearModel:
    """Vocabulary plus named heads (complaint, category, emergency)."""

    vocabulary: dict[str, int]
    heads: dict[str, LinearHead]

    def save(self, path: Path) -> None:
        payload = {
            "format": "otklik-linear-1",
            "vocabulary": sorted(self.vocabulary, key=self.vocabulary.__getitem__),
            "heads": {
                name: {"classes": h.classes, "weights": _encode(h.weights), "bias": _encode(h.bias)}
                for name, h in self.heads.items()
            },
        }
        path.write_text(json.dumps(payload, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> LinearModel:
        payload = json.loads(path.read_text(encoding="utf-8"))
        vocabulary = {name: i for i, name in enumerate(payload["vocabulary"])}
        heads = {
            name: LinearHead(list(h["classes"]), _decode(h["weights"]), _decode(h["bias"]))
            for name, h in payload["heads"].items()
        }
        return cls(vocabulary, heads)
