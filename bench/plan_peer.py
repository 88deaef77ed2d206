#!/usr/bin/env python3
"""The peer of the roadmap benchmark (bench/run-plan): the same mixed-integer program, read
from the free MPS file fh_plan_bench wrote, solved by HiGHS (scipy.optimize.milp, Debian's
python3-scipy) with the same time limit and relative gap. Prints one JSON line per run.

Usage: plan_peer.py FILE.mps RUNS TIME_LIMIT_S
"""
import json
import sys
import time

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_matrix


def read_free_mps(path):
    """(c, A, row lower, row upper, col lower, col upper, integrality) of a free MPS file."""
    rows, row_type, objective = {}, [], None
    cols, data_r, data_c, data_v, c = {}, [], [], [], []
    integer, integral = False, []
    rhs = {}
    lo, up = {}, {}
    section = None
    with open(path) as f:
        for line in f:
            if line.startswith("*") or not line.strip():
                continue
            if not line[0].isspace():
                section = line.split()[0]
                continue
            t = line.split()
            if section == "ROWS":
                if t[0] == "N":
                    objective = t[1]
                else:
                    rows[t[1]] = len(row_type)
                    row_type.append(t[0])
            elif section == "COLUMNS":
                if len(t) >= 3 and t[1] == "'MARKER'":
                    integer = t[2] == "'INTORG'"
                    continue
                name = t[0]
                if name not in cols:
                    cols[name] = len(c)
                    c.append(0.0)
                    integral.append(1 if integer else 0)
                j = cols[name]
                for k in range(1, len(t), 2):
                    if t[k] == objective:
                        c[j] = float(t[k + 1])
                    else:
                        data_r.append(rows[t[k]])
                        data_c.append(j)
                        data_v.append(float(t[k + 1]))
            elif section == "RHS":
                for k in range(1, len(t), 2):
                    if t[k] in rows:
                        rhs[rows[t[k]]] = float(t[k + 1])
            elif section == "BOUNDS":
                j = cols[t[2]]
                v = float(t[3]) if len(t) > 3 else None
                if t[0] == "UP":
                    up[j] = v
                elif t[0] == "LO":
                    lo[j] = v
                elif t[0] == "FX":
                    lo[j] = up[j] = v
                elif t[0] == "BV":
                    lo[j], up[j] = 0.0, 1.0
            elif section == "RANGES":
                raise SystemExit("plan_peer.py: RANGES are not expected in the roadmap's program")
    m, n = len(row_type), len(c)
    A = csr_matrix((data_v, (data_r, data_c)), shape=(m, n))
    rl = np.full(m, -np.inf)
    ru = np.full(m, np.inf)
    for i, kind in enumerate(row_type):
        b = rhs.get(i, 0.0)
        if kind == "L":
            ru[i] = b
        elif kind == "G":
            rl[i] = b
        else:
            rl[i] = ru[i] = b
    cl = np.array([lo.get(j, 0.0) for j in range(n)])
    cu = np.array([up.get(j, np.inf) for j in range(n)])
    return np.array(c), A, rl, ru, cl, cu, np.array(integral)


def main():
    path, runs, limit = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    c, A, rl, ru, cl, cu, integral = read_free_mps(path)
    for _ in range(runs):
        start = time.perf_counter()
        res = milp(c, constraints=LinearConstraint(A, rl, ru), integrality=integral, bounds=Bounds(cl, cu),
                   options={"time_limit": limit, "mip_rel_gap": 1e-4, "disp": False})
        seconds = time.perf_counter() - start
        chosen = int(round(float(np.sum(res.x)))) if res.x is not None else 0
        print(json.dumps({"status": {0: "optimal", 1: "time limit"}.get(res.status, res.message),
                          "seconds": round(seconds, 4),
                          "gap": getattr(res, "mip_gap", None),
                          "objective": res.fun,
                          "chosen": chosen}), flush=True)


if __name__ == "__main__":
    main()
