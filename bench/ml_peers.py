#!/usr/bin/python3
"""Peers of `factoryhub train` for make bench-ml (docs/benchmarks.md), not product code.

Runs scikit-learn, XGBoost's Python package and PyTorch (Debian's python3-sklearn,
python3-xgboost, python3-torch) on the same data, the same folds and the same threshold
tuning as factoryhub's spec, and prints one JSON line per model with the same metrics.

  bench/ml_peers.py ai4i PATH/ai4i2020.csv SEED FOLDS INNER_FOLDS
  bench/ml_peers.py ai4i-mode PATH/ai4i2020.csv SEED FOLDS
  bench/ml_peers.py cmapss PATH/cmapss-fd001 SEED FOLDS
  bench/ml_peers.py cmapss-xgboost PATH/cmapss-fd001 SEED FOLDS   (xgboost alone: its time)
  bench/ml_peers.py cmapss-regimes PATH/multi-regime-fleet SEED FOLDS xgboost|torch_cnn
                                                   (the fleet of examples/cmapss/make-regimes)

The folds are factoryhub's own (src/ml/split.cpp): SplitMix64, each class shuffled by
Fisher-Yates, rows dealt round-robin; re-implemented here so both sides score the same rows.
"""
import csv
import json
import math
import os
import sys
import time

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.metrics import average_precision_score, f1_score, precision_score, recall_score, roc_auc_score

MASK = (1 << 64) - 1

# factoryhub's XGBoost defaults (src/ml/xgboost_model.cpp): the histogram method and every
# core (std::thread::hardware_concurrency, the online CPUs, as os.cpu_count()), so that
# both sides fit the same trees with the same threads.
XGB_DEFAULTS = {"tree_method": "hist", "n_jobs": os.cpu_count() or 1}


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def below(self, n):
        return self.next() % n


def stratified_folds(y, folds, seed):
    rng = SplitMix64(seed)
    fold_of = [0] * len(y)
    nxt = 0
    for label in sorted(set(y)):
        rows = [i for i, v in enumerate(y) if v == label]
        for i in range(len(rows), 1, -1):
            j = rng.below(i)
            rows[i - 1], rows[j] = rows[j], rows[i - 1]
        for r in rows:
            fold_of[r] = nxt
            nxt = (nxt + 1) % folds
    return [([i for i in range(len(y)) if fold_of[i] != f], [i for i in range(len(y)) if fold_of[i] == f])
            for f in range(folds)]


def group_folds(groups, folds, seed):
    """src/ml/split.cpp's Grouped: units by name, shuffled, each to the smallest fold."""
    rng = SplitMix64(seed)
    units = sorted(set(groups))
    for i in range(len(units), 1, -1):
        j = rng.below(i)
        units[i - 1], units[j] = units[j], units[i - 1]
    rows_of = {u: [] for u in units}
    for i, g in enumerate(groups):
        rows_of[g].append(i)
    size = [0] * folds
    fold_of = [0] * len(groups)
    for u in units:
        f = size.index(min(size))
        for r in rows_of[u]:
            fold_of[r] = f
        size[f] += len(rows_of[u])
    return [([i for i in range(len(groups)) if fold_of[i] != f],
             [i for i in range(len(groups)) if fold_of[i] == f]) for f in range(folds)]


def best_f1_threshold(score, y):
    order = np.argsort(-score, kind="stable")
    s, t = score[order], y[order]
    pos = t.sum()
    best_f1, best_t = 0.0, 0.5
    tp = fp = 0
    i = 0
    while i < len(s):
        v = s[i]
        while i < len(s) and s[i] == v:
            tp += t[i]
            fp += 1 - t[i]
            i += 1
        f1 = 2 * tp / (tp + fp + pos)
        if f1 > best_f1:
            best_f1 = f1
            best_t = (v + s[i]) / 2 if i < len(s) and s[i] < v else v
    return best_t


def failure_mode(r):
    """examples/ai4i2020/failure-mode.yaml's classes: the first flag set, else none (4)."""
    for k, flag in enumerate(("HDF", "PWF", "OSF", "TWF")):
        if r[flag] != "0":
            return k
    return 4


def load_ai4i(path, label=lambda r: int(r["Machine failure"])):
    """The columns of examples/ai4i2020/spec.yaml, computed as the mapping stores them."""
    rows = list(csv.DictReader(open(path, encoding="utf-8-sig")))
    variant = {"L": 0, "M": 1, "H": 2}
    x, y = [], []
    for r in rows:
        air = round(float(r["Air temperature [K]"]) - 273.15, 2)
        proc = round(float(r["Process temperature [K]"]) - 273.15, 2)
        rpm = float(r["Rotational speed [rpm]"])
        torque = float(r["Torque [Nm]"])
        wear = float(r["Tool wear [min]"])
        x.append([air, proc, rpm, torque, wear, variant[r["Type"]], proc - air,
                  torque * rpm * 2 * math.pi / 60, wear * torque])
        y.append(label(r))
    return np.array(x, dtype=np.float32), np.array(y)


# examples/cmapss/spec.yaml: the cycle, the 14 sensors that move in FD001 (columns of the
# raw files: unit, cycle, 3 settings, s1..s21), their means and slopes over the last 30
# and 400 cycles, their exponentially weighted means of span 10.
CMAPSS_SENSORS = [2, 3, 4, 7, 8, 9, 11, 12, 13, 14, 15, 17, 20, 21]


def cmapss_features(rows):
    """rows: [unit, cycle, ...] of one engine, in cycle order -> feature rows."""
    sensors = np.array([[r[4 + s] for s in CMAPSS_SENSORS] for r in rows])
    def window(i, length):
        w = sensors[max(0, i - length + 1):i + 1]
        x = np.arange(len(w), dtype=float)
        n = len(w)
        denom = n * (x * x).sum() - x.sum() ** 2
        slope = (n * (x[:, None] * w).sum(0) - x.sum() * w.sum(0)) / denom if denom > 0 else np.zeros(w.shape[1])
        return [v for pair in zip(w.mean(0), slope) for v in pair]
    alpha = 2 / (10 + 1)
    ewm = np.empty_like(sensors)
    for i in range(len(rows)):
        ewm[i] = sensors[i] if i == 0 else alpha * sensors[i] + (1 - alpha) * ewm[i - 1]
    return [[i + 1] + list(sensors[i]) + window(i, 30) + window(i, 400) + list(ewm[i])
            for i in range(len(rows))]


def cmapss_engines(path):
    """A C-MAPSS file's rows by engine, in cycle order."""
    by_unit = {}
    for line in open(path):
        if line.strip():
            r = [float(v) for v in line.split()]
            by_unit.setdefault(int(r[0]), []).append(r)
    return by_unit


def load_cmapss(folder):
    x, y, groups = [], [], []
    for unit, rows in sorted(cmapss_engines(f"{folder}/train_FD001.txt").items(), key=lambda kv: str(kv[0])):
        for i, f in enumerate(cmapss_features(rows)):
            x.append(f)
            y.append(min(len(rows) - 1 - i, 125))
            groups.append(str(unit))
    truth = [float(v) for v in open(f"{folder}/RUL_FD001.txt").read().split()]
    tx, ty = [], []
    for unit, rows in sorted(cmapss_engines(f"{folder}/test_FD001.txt").items()):
        tx.append(cmapss_features(rows)[-1])
        ty.append(truth[unit - 1])
    return (np.array(x, dtype=np.float32), np.array(y, dtype=float), groups,
            np.array(tx, dtype=np.float32), np.array(ty))


def cmapss_sequences(folder, steps=30):
    """examples/cmapss/cnn.yaml's rows: per engine and cycle, the 14 sensors' last `steps`
    values, channel after channel, oldest first; the engine's first cycle before its start."""
    windows = lambda rows: cmapss_windows(rows, steps)
    x, y, groups = [], [], []
    for unit, rows in sorted(cmapss_engines(f"{folder}/train_FD001.txt").items(), key=lambda kv: str(kv[0])):
        for i, w in enumerate(windows(rows)):
            x.append(w)
            y.append(min(len(rows) - 1 - i, 125))
            groups.append(str(unit))
    truth = [float(v) for v in open(f"{folder}/RUL_FD001.txt").read().split()]
    tx, ty = [], []
    for unit, rows in sorted(cmapss_engines(f"{folder}/test_FD001.txt").items()):
        tx.append(windows(rows)[-1])
        ty.append(truth[unit - 1])
    return (np.array(x, dtype=np.float32), np.array(y, dtype=float), groups,
            np.array(tx, dtype=np.float32), np.array(ty))


class TorchCnn:
    """examples/cmapss/cnn.yaml's network: four 1-D convolutions (10 filters, width 10, same
    padding, ReLU) over 14 channels x 30 steps, flattened, dropout 0.5, dense 100, ReLU,
    dropout 0.5, one output; MSE on the standardised target, Adam 0.001 halved after 5
    epochs without a better validation loss, batches of 512, early stopping (patience 20)
    on 10% of the training engines."""

    def __init__(self, seed, groups):
        self.seed, self.groups = seed, groups

    def fit(self, x, y):
        import torch
        torch.manual_seed(self.seed)
        torch.set_num_threads(2)
        self.mean, self.std = x.mean(0), x.std(0)
        self.std[self.std < 1e-12] = 1
        self.y_mean, self.y_std = y.mean(), y.std()
        xs = torch.tensor((x - self.mean) / self.std, dtype=torch.float32)
        ys = torch.tensor((y - self.y_mean) / self.y_std, dtype=torch.float32)
        g = np.random.default_rng(self.seed)
        units = sorted(set(self.groups))
        held = set(g.permutation(units)[:math.ceil(0.1 * len(units))])
        val = np.array([i for i, u in enumerate(self.groups) if u in held])
        tr = np.array([i for i, u in enumerate(self.groups) if u not in held])
        layers, channels = [], 14
        for _ in range(4):
            layers += [torch.nn.Conv1d(channels, 10, 10, padding="same"), torch.nn.ReLU()]
            channels = 10
        layers += [torch.nn.Flatten(), torch.nn.Dropout(0.5), torch.nn.Linear(10 * 30, 100),
                   torch.nn.ReLU(), torch.nn.Dropout(0.5), torch.nn.Linear(100, 1)]
        self.net = torch.nn.Sequential(*layers)
        opt = torch.optim.Adam(self.net.parameters(), lr=0.001)
        loss_fn = torch.nn.MSELoss()
        best, best_state, patience, plateau = float("inf"), None, 0, 0
        view = lambda t: t.view(-1, 14, 30)
        for epoch in range(250):
            self.net.train()
            order = g.permutation(tr)
            for b in range(0, len(order), 512):
                idx = order[b:b + 512]
                opt.zero_grad()
                loss = loss_fn(self.net(view(xs[idx]))[:, 0], ys[idx])
                loss.backward()
                opt.step()
            self.net.eval()
            with torch.no_grad():
                v = loss_fn(self.net(view(xs[val]))[:, 0], ys[val]).item()
            if v < best - 1e-5:
                best, patience, plateau = v, 0, 0
                best_state = {k: t.clone() for k, t in self.net.state_dict().items()}
            else:
                patience += 1
                if patience >= 20:
                    break
                # factoryhub's schedule (lr_patience: a quarter of the patience): halve the
                # rate after 5 epochs on a plateau.
                plateau += 1
                if plateau >= 5:
                    plateau = 0
                    for group in opt.param_groups:
                        group["lr"] *= 0.5
        self.net.load_state_dict(best_state)
        return self

    def predict(self, x):
        import torch
        with torch.no_grad():
            z = self.net(torch.tensor((x - self.mean) / self.std, dtype=torch.float32).view(-1, 14, 30))
        return z[:, 0].numpy() * self.y_std + self.y_mean


def cmapss_windows(rows, steps=30):
    """examples/cmapss/cnn.yaml's rows of one engine: per cycle, the 14 sensors' last `steps`
    values, channel after channel, oldest first; the engine's first cycle before its start."""
    sensors = np.array([[r[4 + s] for s in CMAPSS_SENSORS] for r in rows])
    padded = np.concatenate([np.repeat(sensors[:1], steps - 1, axis=0), sensors])
    return [padded[i:i + steps].T.reshape(-1) for i in range(len(rows))]


def evaluate_cmapss_regimes(kind, data_dir, seed, folds):
    """examples/cmapss/regimes.yaml (kind xgboost) or cnn-regimes.yaml (torch_cnn) in Python:
    per fold, k-means (scikit-learn, k = 6) over the three settings scaled by the training
    rows' standard deviation, the 14 sensors z-scored per cluster on the training rows, then
    the spec's features (or 30-cycle windows) of the normalised sensors and the model; the
    same engine folds."""
    from sklearn.cluster import KMeans
    train = sorted(cmapss_engines(f"{data_dir}/train_FD001.txt").items(), key=lambda kv: str(kv[0]))
    test = sorted(cmapss_engines(f"{data_dir}/test_FD001.txt").items())
    truth = [float(v) for v in open(f"{data_dir}/RUL_FD001.txt").read().split()]
    raw = np.array([r for _, rows in train for r in rows])
    raw_test = np.array([r for _, rows in test for r in rows])
    y = np.array([min(len(rows) - 1 - i, 125) for _, rows in train for i in range(len(rows))], dtype=float)
    groups = [str(unit) for unit, rows in train for _ in rows]
    columns = [4 + s for s in CMAPSS_SENSORS]
    rows_of = cmapss_windows if kind == "torch_cnn" else cmapss_features

    def prepare(fit_rows, tables):
        settings = raw[fit_rows][:, 2:5]
        mean, sd = settings.mean(0), settings.std(0)
        sd[sd == 0] = 1
        km = KMeans(n_clusters=6, n_init=10, random_state=seed).fit((settings - mean) / sd)
        label = km.labels_
        stats = {}
        for c in range(6):
            v = raw[fit_rows][label == c][:, columns]
            s = v.std(0)
            s[s == 0] = 1
            stats[c] = (v.mean(0), s)
        out = []
        for table, engines in tables:
            t = table.copy()
            regimes = km.predict((t[:, 2:5] - mean) / sd)
            for c in range(6):
                m = regimes == c
                t[np.ix_(m, columns)] = (t[np.ix_(m, columns)] - stats[c][0]) / stats[c][1]
            x, at = [], 0
            for _, rows in engines:
                x.extend(rows_of([list(r) for r in t[at:at + len(rows)]]))
                at += len(rows)
            out.append(np.array(x, dtype=np.float32))
        return out

    def model(rows):
        if kind == "torch_cnn":
            return TorchCnn(seed, [groups[i] for i in rows])
        return make_regressor(kind, seed)

    start = time.monotonic()
    rmse, mae = [], []
    for fit_rows, validate in group_folds(groups, folds, seed):
        (x,) = prepare(np.array(fit_rows), [(raw, train)])
        p = model(fit_rows).fit(x[fit_rows], y[fit_rows]).predict(x[validate])
        rmse.append(float(np.sqrt(((p - y[validate]) ** 2).mean())))
        mae.append(float(np.abs(p - y[validate]).mean()))
    seconds = time.monotonic() - start
    x, tx = prepare(np.arange(len(y)), [(raw, train), (raw_test, test)])
    last = np.cumsum([len(rows) for _, rows in test]) - 1
    ty = np.array([truth[unit - 1] for unit, _ in test])
    p = model(range(len(y))).fit(x, y).predict(tx[last])
    return {"kind": f"{kind} (regimes)", "rmse": float(np.mean(rmse)), "mae": float(np.mean(mae)),
            "test_rmse": float(np.sqrt(((p - ty) ** 2).mean())), "test_mae": float(np.abs(p - ty).mean()),
            "test_phm08": phm08(p, ty), "train_seconds": seconds}


def phm08(pred, actual):
    d = pred - actual
    return float(np.where(d < 0, np.exp(-d / 13) - 1, np.exp(d / 10) - 1).sum())


def make_regressor(kind, seed):
    if kind == "random_forest":
        from sklearn.ensemble import RandomForestRegressor
        return RandomForestRegressor(n_estimators=100, max_features=0.33, min_samples_leaf=5, n_jobs=2,
                                     random_state=seed)
    if kind == "hist_gradient_boosting":
        from sklearn.ensemble import HistGradientBoostingRegressor
        return HistGradientBoostingRegressor(random_state=seed)
    if kind == "xgboost":
        import xgboost
        return xgboost.XGBRegressor(n_estimators=300, max_depth=5, learning_rate=0.05, subsample=0.8,
                                    colsample_bytree=0.8, min_child_weight=5, random_state=seed,
                                    verbosity=0, **XGB_DEFAULTS)
    raise ValueError(kind)


def evaluate_cmapss(kind, data, seed, folds):
    x, y, groups, tx, ty = data
    start = time.monotonic()
    rmse, mae = [], []
    def make_one(rows):
        if kind == "torch_cnn":
            return TorchCnn(seed, [groups[i] for i in rows])
        return make_regressor(kind, seed)
    for train, validate in group_folds(groups, folds, seed):
        p = make_one(train).fit(x[train], y[train]).predict(x[validate])
        rmse.append(float(np.sqrt(((p - y[validate]) ** 2).mean())))
        mae.append(float(np.abs(p - y[validate]).mean()))
    seconds = time.monotonic() - start
    p = make_one(range(len(y))).fit(x, y).predict(tx)
    return {"kind": kind, "rmse": float(np.mean(rmse)), "mae": float(np.mean(mae)),
            "test_rmse": float(np.sqrt(((p - ty) ** 2).mean())), "test_mae": float(np.abs(p - ty).mean()),
            "test_phm08": phm08(p, ty), "train_seconds": seconds}


class TorchMlp:
    """The source document's network: Dense 128 -> 64 -> 1, ReLU, sigmoid, Adam 0.001,
    binary cross-entropy, standardised inputs, early stopping on a 10% validation split."""

    def __init__(self, seed):
        self.seed = seed

    def fit(self, x, y):
        import torch
        torch.manual_seed(self.seed)
        torch.set_num_threads(2)
        self.mean, self.std = x.mean(0), x.std(0) + 1e-12
        xs = torch.tensor((x - self.mean) / self.std, dtype=torch.float32)
        ys = torch.tensor(y, dtype=torch.float32).unsqueeze(1)
        g = np.random.default_rng(self.seed)
        perm = g.permutation(len(y))
        cut = len(y) // 10
        val, tr = perm[:cut], perm[cut:]
        self.net = torch.nn.Sequential(torch.nn.Linear(x.shape[1], 128), torch.nn.ReLU(),
                                       torch.nn.Linear(128, 64), torch.nn.ReLU(),
                                       torch.nn.Linear(64, 1))
        opt = torch.optim.Adam(self.net.parameters(), lr=0.001)
        loss_fn = torch.nn.BCEWithLogitsLoss()
        best, best_state, patience = float("inf"), None, 0
        for epoch in range(200):
            self.net.train()
            order = g.permutation(tr)
            for b in range(0, len(order), 64):
                idx = order[b:b + 64]
                opt.zero_grad()
                loss = loss_fn(self.net(xs[idx]), ys[idx])
                loss.backward()
                opt.step()
            self.net.eval()
            with torch.no_grad():
                v = loss_fn(self.net(xs[val]), ys[val]).item()
            if v < best - 1e-5:
                best, patience = v, 0
                best_state = {k: t.clone() for k, t in self.net.state_dict().items()}
            else:
                patience += 1
                if patience >= 10:
                    break
        self.net.load_state_dict(best_state)
        return self

    def predict_proba(self, x):
        import torch
        with torch.no_grad():
            z = self.net(torch.tensor((x - self.mean) / self.std, dtype=torch.float32))
        p = torch.sigmoid(z).numpy()[:, 0]
        return np.stack([1 - p, p], axis=1)


def make(kind, seed):
    if kind == "random_forest":
        return RandomForestClassifier(n_estimators=300, n_jobs=2, random_state=seed)
    if kind == "hist_gradient_boosting":
        return HistGradientBoostingClassifier(random_state=seed)
    if kind == "xgboost":
        import xgboost
        # The parameters of examples/ai4i2020/spec.yaml (the exact method, as it names).
        return xgboost.XGBClassifier(n_estimators=100, max_depth=6, learning_rate=0.05, subsample=0.9,
                                     colsample_bytree=0.9, min_child_weight=1, random_state=seed,
                                     verbosity=0, **{**XGB_DEFAULTS, "tree_method": "exact"})
    if kind == "torch_mlp":
        return TorchMlp(seed)
    raise ValueError(kind)


def evaluate(kind, x, y, seed, folds, inner_folds):
    start = time.monotonic()
    scores = {k: [] for k in ("roc_auc", "pr_auc", "f1", "precision", "recall", "threshold")}
    for train, validate in stratified_folds(list(y), folds, seed):
        xt, yt = x[train], y[train]
        inner = np.zeros(len(train))
        for itr, iva in stratified_folds(list(yt), inner_folds, seed + 1):
            inner[iva] = make(kind, seed).fit(xt[itr], yt[itr]).predict_proba(xt[iva])[:, 1]
        threshold = best_f1_threshold(inner, yt)
        p = make(kind, seed).fit(xt, yt).predict_proba(x[validate])[:, 1]
        yv = y[validate]
        predicted = (p >= threshold).astype(int)
        scores["roc_auc"].append(roc_auc_score(yv, p))
        scores["pr_auc"].append(average_precision_score(yv, p))
        scores["f1"].append(f1_score(yv, predicted, zero_division=0))
        scores["precision"].append(precision_score(yv, predicted, zero_division=0))
        scores["recall"].append(recall_score(yv, predicted, zero_division=0))
        scores["threshold"].append(threshold)
    out = {k: float(np.mean(v)) for k, v in scores.items()}
    out["kind"] = kind
    out["train_seconds"] = time.monotonic() - start
    return out


def make_multiclass(kind, seed):
    if kind == "random_forest":
        return RandomForestClassifier(n_estimators=300, n_jobs=2, random_state=seed)
    if kind == "hist_gradient_boosting":
        return HistGradientBoostingClassifier(random_state=seed)
    if kind == "logistic":
        # factoryhub's baseline: multinomial, L2 1 on standardised inputs (C = 1 / l2).
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler
        return make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=1000))
    if kind == "xgboost":
        import xgboost
        # The parameters of examples/ai4i2020/failure-mode.yaml (exact); softprob as factoryhub's.
        return xgboost.XGBClassifier(n_estimators=100, max_depth=6, learning_rate=0.05, subsample=0.9,
                                     colsample_bytree=0.9, min_child_weight=1, random_state=seed,
                                     objective="multi:softprob", verbosity=0,
                                     **{**XGB_DEFAULTS, "tree_method": "exact"})
    raise ValueError(kind)


def evaluate_multiclass(kind, x, y, seed, folds):
    from sklearn.metrics import accuracy_score, log_loss
    start = time.monotonic()
    scores = {k: [] for k in ("accuracy", "macro_f1", "roc_auc", "log_loss")}
    classes = sorted(set(y))
    for train, validate in stratified_folds(list(y), folds, seed):
        p = make_multiclass(kind, seed).fit(x[train], y[train]).predict_proba(x[validate])
        yv = y[validate]
        predicted = p.argmax(axis=1)
        scores["accuracy"].append(accuracy_score(yv, predicted))
        scores["macro_f1"].append(f1_score(yv, predicted, average="macro", zero_division=0))
        scores["roc_auc"].append(roc_auc_score(yv, p, multi_class="ovr", average="macro", labels=classes))
        scores["log_loss"].append(log_loss(yv, p, labels=classes))
    out = {k: float(np.mean(v)) for k, v in scores.items()}
    out["kind"] = kind
    out["train_seconds"] = time.monotonic() - start
    return out


def main():
    if len(sys.argv) == 5 and sys.argv[1] == "cmapss-xgboost":
        data = load_cmapss(sys.argv[2])
        print(json.dumps(evaluate_cmapss("xgboost", data, int(sys.argv[3]), int(sys.argv[4]))), flush=True)
        return
    if len(sys.argv) == 6 and sys.argv[1] == "cmapss-regimes":
        print(json.dumps(evaluate_cmapss_regimes(sys.argv[5], sys.argv[2], int(sys.argv[3]),
                                                 int(sys.argv[4]))), flush=True)
        return
    if len(sys.argv) == 5 and sys.argv[1] == "cmapss":
        data = load_cmapss(sys.argv[2])
        for kind in ("random_forest", "hist_gradient_boosting", "xgboost"):
            print(json.dumps(evaluate_cmapss(kind, data, int(sys.argv[3]), int(sys.argv[4]))), flush=True)
        sequences = cmapss_sequences(sys.argv[2])
        print(json.dumps(evaluate_cmapss("torch_cnn", sequences, int(sys.argv[3]), int(sys.argv[4]))),
              flush=True)
        return
    if len(sys.argv) == 5 and sys.argv[1] == "ai4i-mode":
        x, y = load_ai4i(sys.argv[2], failure_mode)
        for kind in ("random_forest", "hist_gradient_boosting", "xgboost", "logistic"):
            print(json.dumps(evaluate_multiclass(kind, x, y, int(sys.argv[3]), int(sys.argv[4]))),
                  flush=True)
        return
    if len(sys.argv) != 6 or sys.argv[1] != "ai4i":
        sys.exit(__doc__)
    x, y = load_ai4i(sys.argv[2])
    seed, folds, inner = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    for kind in ("random_forest", "hist_gradient_boosting", "xgboost", "torch_mlp"):
        print(json.dumps(evaluate(kind, x, y, seed, folds, inner)), flush=True)


if __name__ == "__main__":
    main()
