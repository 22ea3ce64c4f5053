#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Runs the PyTorch code NN Sketch exports for every text it accepts, in real
PyTorch, and checks sum(p.numel()) against PyTorch's count of the original
and a forward pass. Needs Debian's python3-torch; make test does not run it.

    /usr/bin/python3 tests/torch-texts/check-export.py build/src/nnsketch
"""
import os
import subprocess
import sys
import tempfile

import torch

here = os.path.dirname(os.path.abspath(__file__))
nnsketch = sys.argv[1]
rows = [line.rstrip("\n").split("\t") for line in open(os.path.join(here, "cases.tsv"))][1:]
ran = same = differ = refused = 0
with tempfile.TemporaryDirectory() as tmp:
    out = os.path.join(tmp, "model.py")
    for name, expect, total, what in rows:
        if expect.startswith("print-"):
            continue
        r = subprocess.run([nnsketch, os.path.join(here, "cases", name), "--export-filename=" + out],
                           capture_output=True, text=True)
        if r.returncode != 0:
            refused += 1
            continue
        scope = {}
        exec(open(out).read(), scope)
        model = scope["model"]
        count = sum(p.numel() for p in model.parameters())
        n_in = model[0].in_features if hasattr(model[0], "in_features") else None
        model.eval()
        model(torch.zeros(2, n_in))
        ran += 1
        if count == int(total):
            same += 1
        else:
            differ += 1
            print("DIFFERS", name, count, total)
print("%d exported models run in PyTorch: %d with PyTorch's count of the original, %d differ; "
      "%d texts refused" % (ran, same, differ, refused))
sys.exit(1 if differ else 0)
