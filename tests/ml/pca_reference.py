#!/usr/bin/env python3
"""An independent computation of a PCA monitoring model with NumPy and SciPy, for
tests/ml/pca_detector_test.cpp: train.csv and test.csv (one column per signal) and the
options in, a JSON of eigenvalues, limits and the test rows' T² and SPE out.

usage: pca_reference.py TRAIN.csv TEST.csv COMPONENTS ALPHA LAGS
"""
import json
import sys

import numpy as np
from scipy import stats


def augment(a, lags):
    # Each row with its `lags` predecessors: [x(t), x(t-1), ..., x(t-lags)].
    return np.hstack([a[lags - l:len(a) - l] for l in range(lags + 1)])


def main():
    train, test, k, alpha, lags = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
    x = augment(np.loadtxt(train, delimiter=",", ndmin=2), lags)
    y = augment(np.loadtxt(test, delimiter=",", ndmin=2), lags)
    n = x.shape[0]
    mu = x.mean(axis=0)
    sd = x.std(axis=0, ddof=1)
    z = (x - mu) / sd
    corr = z.T @ z / (n - 1)
    w, v = np.linalg.eigh(corr)
    order = np.argsort(w)[::-1]
    w, v = w[order], v[:, order]
    p, lam = v[:, :k], w[:k]
    zy = (y - mu) / sd
    t = zy @ p
    t2 = (t ** 2 / lam).sum(axis=1)
    spe = ((zy - t @ p.T) ** 2).sum(axis=1)
    t2_limit = k * (n * n - 1) / (n * (n - k)) * stats.f.ppf(1 - alpha, k, n - k)
    theta = [float((w[k:] ** i).sum()) for i in (1, 2, 3)]
    h0 = 1 - 2 * theta[0] * theta[2] / (3 * theta[1] ** 2)
    c = stats.norm.ppf(1 - alpha)
    spe_limit = theta[0] * (c * np.sqrt(2 * theta[1] * h0 ** 2) / theta[0] + 1
                            + theta[1] * h0 * (h0 - 1) / theta[0] ** 2) ** (1 / h0)
    json.dump({"rows": n, "eigenvalues": w.tolist(), "mean": mu.tolist(), "scale": sd.tolist(),
               "t2_limit": float(t2_limit), "spe_limit": float(spe_limit),
               "t2": t2.tolist(), "spe": spe.tolist()}, sys.stdout)


if __name__ == "__main__":
    main()
