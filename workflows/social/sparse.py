"""Sparse training rows for the linear model (numpy only): a post has ~150 of ~15,000 features, so products
over the non-zeros are about a hundred times cheaper than over a dense matrix."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Matrix = NDArray[np.float32]


@dataclass(frozen=True)
class SparseRows:
    """Rows of (column, value) pairs: `rows[i]` is the row of the i-th non-zero."""

    rows: NDArray[np.int64]
    columns: NDArray[np.int64]
    values: Matrix
    shape: tuple[int, int]

    @classmethod
    def build(cls, samples: list[tuple[list[int], Matrix]], width: int) -> SparseRows:
        empty_int, empty_float = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        rows = np.concatenate([empty_int, *(np.full(len(c), i, dtype=np.int64) for i, (c, _) in enumerate(samples))])
        columns = np.concatenate([empty_int, *(np.asarray(c, dtype=np.int64) for c, _ in samples)])
        values = np.concatenate([empty_float, *(np.asarray(v, dtype=np.float32) for _, v in samples)])
        return cls(rows.astype(np.int64), columns.astype(np.int64), values.astype(np.float32), (len(samples), width))

    def select(self, mask: NDArray[np.bool_]) -> SparseRows:
        """The rows where `mask` is true, renumbered from 0."""
        renumber = np.cumsum(mask) - 1
        keep = mask[self.rows]
        return SparseRows(renumber[self.rows[keep]], self.columns[keep], self.values[keep],
                          (int(mask.sum()), self.shape[1]))

    def __matmul__(self, weights: Matrix) -> Matrix:
        """Rows x weights (n x classes)."""
        contributions = self.values[:, None] * weights[self.columns]
        out = np.zeros((self.shape[0], weights.shape[1]), dtype=np.float32)
        for k in range(weights.shape[1]):
            out[:, k] = np.bincount(self.rows, weights=contributions[:, k], minlength=self.shape[0])
        return out

    def transposed_times(self, errors: Matrix) -> Matrix:
        """Rows transposed x errors (features x classes): the gradient of the weights."""
        contributions = self.values[:, None] * errors[self.rows]
        out = np.zeros((self.shape[1], errors.shape[1]), dtype=np.float32)
        for k in range(errors.shape[1]):
            out[:, k] = np.bincount(self.columns, weights=contributions[:, k], minlength=self.shape[1])
        return out
