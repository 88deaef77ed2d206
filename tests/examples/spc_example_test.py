#!/usr/bin/env python3
"""examples/spc/run prints Montgomery's piston-ring figures (data/spc/SOURCE.md): the X̄ and
R chart limits, Cp, Cpk, Pp, Ppk for 74 ± 0.05 mm, and phase-II subgroups 37-39 outside."""
import json
import os
import subprocess
import sys
import tempfile

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
with tempfile.TemporaryDirectory() as tmp:
    env = dict(os.environ, FH=os.environ["FH_BIN"], HUB=os.path.join(tmp, "hub"))
    out = subprocess.run([os.path.join(root, "examples", "spc", "run")], env=env,
                         capture_output=True, text=True, check=False)
    if out.returncode != 0:
        sys.exit(f"examples/spc/run failed ({out.returncode}): {out.stderr}")
    got = json.loads(out.stdout)

failures = []


def near(name, value, expected, tolerance):
    if abs(value - expected) > tolerance:
        failures.append(f"{name}: {value} is not {expected} ± {tolerance}")


near("xbar.cl", got["xbar"]["cl"], 74.00118, 5e-6)
near("xbar.lcl", got["xbar"]["lcl"], 73.98805, 5e-6)
near("xbar.ucl", got["xbar"]["ucl"], 74.01430, 5e-6)
near("r.ucl", got["r"]["ucl"], 0.048125, 2e-6)
for key, expected in (("cp", 1.703), ("cpk", 1.663), ("pp", 1.655), ("ppk", 1.616)):
    near(key, got["capability"][key], expected, 5e-4)
if got["phase2_out_of_control"] != [37, 38, 39]:
    failures.append(f"phase II out of control: {got['phase2_out_of_control']}, not [37, 38, 39]")
if failures:
    sys.exit("\n".join(failures))
print("examples/spc/run: as published")
