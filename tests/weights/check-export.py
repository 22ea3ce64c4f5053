#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Runs the PyTorch code NN Sketch exports for the model files here, with the
weights it writes beside the code, in real PyTorch, and compares the outputs
for a fixed input with PyTorch's own model (io.tsv for the MLP; the ONNX
files' own models are rebuilt from their state_dict here). Needs Debian's
python3-torch; make test does not run it. The result is check-export.txt.

    /usr/bin/python3 tests/weights/check-export.py build/src/nnsketch
"""
import os
import struct
import subprocess
import sys
import tempfile

import torch

here = os.path.dirname(os.path.abspath(__file__))
nnsketch = sys.argv[1]


def floats(text):
    return [struct.unpack("<f", bytes.fromhex(h)[::-1])[0] for h in text.split(",")]


rows = [l.rstrip("\n").split("\t") for l in open(os.path.join(here, "io.tsv")) if not l.startswith("#")]
x = torch.tensor([floats(r[1]) for r in rows])
expected = torch.tensor([floats(r[2]) for r in rows])
lines = []
worst = 0.0
with tempfile.TemporaryDirectory() as tmp:
    for source in ("mlp.onnx", "mlp.safetensors", "mlp-f16.safetensors"):
        out = os.path.join(tmp, "model.py")
        r = subprocess.run([nnsketch, os.path.join(here, source), "--export-filename=" + out],
                           capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        assert os.path.exists(os.path.join(tmp, "model.safetensors")), r.stderr
        cwd = os.getcwd()
        os.chdir(tmp)
        scope = {}
        exec(open(out).read(), scope)
        os.chdir(cwd)
        model = scope["model"]
        if source != "mlp.onnx":
            # safetensors holds no activations: put the MLP's back (ReLU, Tanh)
            # to compare the weights alone.
            layers = [m for m in model if isinstance(m, torch.nn.Linear)]
            model = torch.nn.Sequential(layers[0], torch.nn.ReLU(), layers[1], torch.nn.Tanh(), layers[2])
        with torch.no_grad():
            got = model(x)
        diff = (got - expected).abs().max().item()
        if source == "mlp-f16.safetensors":
            lines.append("%s: max |difference| %.3g (the weights rounded to float16, so not within 1e-6)"
                         % (source, diff))
            continue
        worst = max(worst, diff)
        lines.append("%s: max |difference| %.3g over %d outputs: %s"
                     % (source, diff, got.numel(), "ok" if diff <= 1e-6 else "DIFFERS"))
lines.append("torch %s; all within 1e-6: %s" % (torch.__version__, "yes" if worst <= 1e-6 else "NO"))
text = "\n".join(lines) + "\n"
open(os.path.join(here, "check-export.txt"), "w").write(text)
sys.stdout.write(text)
