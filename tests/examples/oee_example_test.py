#!/usr/bin/env python3
"""examples/oee/run prints the classic worked example's figures: an 8-hour shift, 60 minutes
of breaks, 47 minutes of stops, ideal cycle 1 s, 19,271 made, 18,848 good."""
import json
import os
import subprocess
import sys
import tempfile

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
with tempfile.TemporaryDirectory() as tmp:
    env = dict(os.environ, FH=os.environ["FH_BIN"], HUB=os.path.join(tmp, "hub"))
    out = subprocess.run([os.path.join(root, "examples", "oee", "run")], env=env,
                         capture_output=True, text=True, check=False)
    if out.returncode != 0:
        sys.exit(f"examples/oee/run failed ({out.returncode}): {out.stderr}")
    got = json.loads(out.stdout)

# availability 373/420, performance 19271/22380, quality 18848/19271, OEE their product.
expected = {"availability": 0.888095, "performance": 0.861081, "quality": 0.978050,
            "oee": 0.747937}
failures = [f"{k}: {got.get(k)} is not {v}" for k, v in expected.items()
            if got.get(k) is None or abs(got[k] - v) > 5e-7]
if failures:
    sys.exit("\n".join(failures))
print("examples/oee/run: as worked by hand")
