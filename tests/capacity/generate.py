#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes what PyTorch itself says about a few networks into *.json beside
this script; tests/test-capacity.c checks the capacity model against them, so
the test suite needs no torch.  Run with Debian's python3-torch (1.13):

    /usr/bin/python3 tests/capacity/generate.py

For each network and dtype, every figure is read from real tensors:
  parameters        sum(p.numel())
  parameter_bytes   sum(p.numel() * p.element_size()) (int8: the same tensors
                    cast with p.to(torch.int8), since Module.to refuses int8)
  gradient_bytes    sum of p.grad sizes after one backward pass
  optimizer_bytes   every state tensor of torch.optim.SGD / SGD(momentum=0.9) /
                    Adam / AdamW after one step (exp_avg, exp_avg_sq, step,
                    momentum_buffer); fp16 is left out: CPU PyTorch cannot run
                    a half-precision forward or optimizer step
  output_elements   numel of every leaf module's output in a forward pass at
                    the batch size (forward hooks), module by module
  matmul_flops      torch.profiler's with_flops count of that forward pass
                    (2 · multiply-adds of the matrix products; no bias adds)
"""
import json
import os

import torch
import torch.nn as nn
from torch.profiler import ProfilerActivity, profile

HERE = os.path.dirname(os.path.abspath(__file__))
BATCHES = [1, 32]
DTYPES = {"fp32": torch.float32, "fp16": torch.float16, "bf16": torch.bfloat16,
          "int8": torch.int8}
ACTIVATIONS = {"none": None, "relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid,
               "gelu": nn.GELU, "softmax": lambda: nn.Softmax(dim=1)}

# name: (widths, bias per layer, activation per layer)
NETWORKS = {
    "lesson-8-4-2": ([8, 4, 2], [True, True], ["relu", "none"]),
    "mnist-784-256-128-10": ([784, 256, 128, 10], [True, True, True], ["relu", "relu", "none"]),
    "mixed-10-18-20-5": ([10, 18, 20, 5], [True, False, True], ["tanh", "none", "softmax"]),
    "single-3-1": ([3, 1], [False], ["sigmoid"]),
}


def build(widths, bias, activations):
    modules = []
    for i, units in enumerate(widths[1:]):
        modules.append(nn.Linear(widths[i], units, bias=bias[i]))
        if ACTIVATIONS[activations[i]] is not None:
            modules.append(ACTIVATIONS[activations[i]]())
    return nn.Sequential(*modules)


def state_bytes(optimizer):
    return sum(v.numel() * v.element_size()
               for s in optimizer.state.values() for v in s.values() if torch.is_tensor(v))


def optimizer_bytes(widths, bias, activations, dtype, kind):
    torch.manual_seed(0)
    model = build(widths, bias, activations).to(dtype)
    params = list(model.parameters())
    optimizer = {
        "sgd": lambda: torch.optim.SGD(params, lr=0.1),
        "momentum": lambda: torch.optim.SGD(params, lr=0.1, momentum=0.9),
        "adam": lambda: torch.optim.Adam(params),
        "adamw": lambda: torch.optim.AdamW(params),
    }[kind]()
    model(torch.randn(2, widths[0], dtype=dtype)).float().sum().backward()
    gradients = sum(p.grad.numel() * p.grad.element_size() for p in params)
    optimizer.step()
    return gradients, state_bytes(optimizer)


def forward(widths, bias, activations, batch):
    torch.manual_seed(0)
    model = build(widths, bias, activations)
    outputs = []
    hooks = [m.register_forward_hook(lambda m, i, o: outputs.append(o.numel()))
             for m in model.modules() if len(list(m.children())) == 0]
    x = torch.randn(batch, widths[0])
    with torch.no_grad(), profile(activities=[ProfilerActivity.CPU], with_flops=True) as prof:
        model(x)
    for h in hooks:
        h.remove()
    flops = sum(e.flops for e in prof.key_averages())
    return x.numel(), outputs, flops


def main():
    for name, (widths, bias, activations) in NETWORKS.items():
        model = build(widths, bias, activations)
        params = list(model.parameters())
        truth = {
            "layers": ",".join(map(str, widths)),
            "bias": bias,
            "activations": activations,
            "torch": torch.__version__,
            "parameters": sum(p.numel() for p in params),
            "parameter_tensors": len(params),
            "buffers": sum(b.numel() for b in model.buffers()),
            "parameter_bytes": {
                d: sum(p.numel() * p.detach().to(t).element_size() for p in params)
                for d, t in DTYPES.items()},
            "gradient_bytes": {},
            "optimizer_bytes": {},
            "forward": [],
        }
        for d in ("fp32", "bf16"):
            truth["optimizer_bytes"][d] = {}
            for kind in ("sgd", "momentum", "adam", "adamw"):
                grads, state = optimizer_bytes(widths, bias, activations, DTYPES[d], kind)
                truth["gradient_bytes"][d] = grads
                truth["optimizer_bytes"][d][kind] = state
        for batch in BATCHES:
            inputs, outputs, flops = forward(widths, bias, activations, batch)
            truth["forward"].append({"batch": batch, "input_elements": inputs,
                                     "output_elements": outputs, "matmul_flops": flops})
        with open(os.path.join(HERE, name + ".json"), "w") as f:
            json.dump(truth, f, indent=2)
            f.write("\n")


if __name__ == "__main__":
    main()
