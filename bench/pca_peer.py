#!/usr/bin/env python3
"""The peer of bench/pca_bench: the same PCA monitoring computation with NumPy (Debian's
python3-numpy, BLAS underneath) — standardise, project, T² and SPE — on 100,000 rows of 50
signals, trained on 5,000; static and with 2 lags. Prints rows/s, median of 3.

usage: /usr/bin/python3 bench/pca_peer.py
"""
import time

import numpy as np


def signals(rows, seed):
    rng = np.random.default_rng(seed)
    f = rng.normal(size=(rows, 5))
    s = np.arange(50)
    return f[:, s % 5] * (1 + 0.05 * s) + 0.2 * rng.normal(size=(rows, 50))


def augment(a, lags):
    return np.hstack([a[lags - l:len(a) - l] for l in range(lags + 1)])


def main():
    for lags in (0, 2):
        x = augment(signals(5000, 1), lags)
        mu, sd = x.mean(axis=0), x.std(axis=0, ddof=1)
        z = (x - mu) / sd
        w, v = np.linalg.eigh(z.T @ z / (len(z) - 1))
        w, v = w[::-1], v[:, ::-1]
        k = int(np.searchsorted(np.cumsum(w) / w.sum(), 0.9) + 1)
        p, lam = v[:, :k], w[:k]
        live = signals(100000, 2)
        times = []
        for _ in range(3):
            start = time.perf_counter()
            zl = (augment(live, lags) - mu) / sd
            t = zl @ p
            t2 = (t * t / lam).sum(axis=1)
            e = zl - t @ p.T
            spe = (e * e).sum(axis=1)
            times.append(time.perf_counter() - start)
        times.sort()
        print(f"numpy lags={lags} components={k}: {len(t2) / times[1]:,.0f} rows/s")


if __name__ == "__main__":
    main()
