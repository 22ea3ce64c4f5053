#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Generate the trainer's PyTorch truth with real PyTorch (python3-torch).

Run by hand with Debian's /usr/bin/python3 (the python3 on PATH may have no
torch); it rewrites ``torch-truth.h`` next to this script, which
test-trainer.c includes.  For each case a small nn.Sequential is built with
torch's default initialisation from a fixed seed, and the header records:

* its parameters, flattened per layer as weight (out x in, row-major),
  bias, PReLU slopes -- the trainer's own order;
* a batch of inputs and class labels;
* the forward output and the loss (nn.CrossEntropyLoss, or nn.MSELoss
  against one-hot targets), and the gradients of that loss;
* the parameters after one and after two steps on that batch of
  torch.optim.SGD (lr 0.1, weight decay 0.01; and the same with
  momentum 0.9),
  torch.optim.Adam (lr 0.01, weight decay 0.01) and torch.optim.AdamW
  (lr 0.01, weight decay 0.1) -- the second step exercises the momentum
  buffer and Adam's bias correction at step 2.
"""

import os

import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))

ACT = {
    "none": None,
    "relu": nn.ReLU,
    "leaky_relu": nn.LeakyReLU,
    "elu": nn.ELU,
    "gelu": nn.GELU,
    "silu": nn.SiLU,
    "sigmoid": nn.Sigmoid,
    "tanh": nn.Tanh,
    "softplus": nn.Softplus,
    "softmax": lambda: nn.Softmax(dim=1),
    "log_softmax": lambda: nn.LogSoftmax(dim=1),
}

# name, widths, per layer (activation, bias, prelu per unit), loss
CASES = [
    ("relu_tanh_ce", [3, 5, 4, 3], [("relu", 1, 0), ("tanh", 1, 0), ("none", 1, 0)], "ce"),
    ("gelu_sigmoid_mse", [3, 5, 4, 3], [("gelu", 0, 0), ("sigmoid", 1, 0), ("none", 1, 0)], "mse"),
    ("silu_elu_logsoftmax_ce", [3, 5, 4, 3],
     [("silu", 1, 0), ("elu", 1, 0), ("log_softmax", 1, 0)], "ce"),
    ("leaky_softplus_softmax_mse", [3, 6, 4, 3],
     [("leaky_relu", 1, 0), ("softplus", 0, 0), ("softmax", 1, 0)], "mse"),
    ("prelu_ce", [3, 5, 4, 3], [("prelu", 1, 1), ("prelu", 1, 0), ("none", 0, 0)], "ce"),
]
BATCH = 6


def build(widths, layers):
    modules, groups = [], []
    for i, (act, bias, per_unit) in enumerate(layers):
        lin = nn.Linear(widths[i], widths[i + 1], bias=bool(bias))
        modules.append(lin)
        group = [lin.weight] + ([lin.bias] if bias else [])
        if act == "prelu":
            p = nn.PReLU(widths[i + 1] if per_unit else 1)
            modules.append(p)
            group.append(p.weight)
        elif ACT[act] is not None:
            modules.append(ACT[act]())
        groups.extend(group)
    return nn.Sequential(*modules), groups


def flat(params):
    return torch.cat([p.detach().reshape(-1) for p in params])


def loss_of(kind, out, y):
    if kind == "ce":
        return nn.CrossEntropyLoss()(out, y)
    onehot = nn.functional.one_hot(y, out.shape[1]).float()
    return nn.MSELoss()(out, onehot)


def carray(name, values, ctype="float"):
    vals = values.tolist() if hasattr(values, "tolist") else list(values)
    if ctype == "float":
        items = []
        for v in vals:
            text = "%.9g" % v
            if not any(ch in text for ch in ".e"):
                text += ".0"
            items.append(text + "f")
    else:
        items = ["%d" % v for v in vals]
    lines = [", ".join(items[i:i + 6]) for i in range(0, len(items), 6)]
    return "static const %s %s[] = {\n  %s\n};\n" % (ctype, name, ",\n  ".join(lines))


def steps(case, optim, x, y):
    name, widths, layers, loss_kind = case
    torch.manual_seed(1000 + CASES.index(case))
    model, params = build(widths, layers)
    opt = optim(params)
    after = []
    for _ in range(2):
        opt.zero_grad()
        loss_of(loss_kind, model(x), y).backward()
        opt.step()
        after.append(flat(params))
    return after


def main():
    out = []
    out.append("/* SPDX-License-Identifier: GPL-3.0-or-later */\n")
    out.append("/* Made by tests/training/generate.py with PyTorch %s: do not edit. */\n\n"
               % torch.__version__)
    table = []
    for idx, case in enumerate(CASES):
        name, widths, layers, loss_kind = case
        torch.manual_seed(1000 + idx)
        model, params = build(widths, layers)
        gen = torch.Generator().manual_seed(7 + idx)
        x = torch.randn(BATCH, widths[0], generator=gen)
        y = torch.randint(0, widths[-1], (BATCH,), generator=gen)
        initial = flat(params)
        output = model(x)
        loss = loss_of(loss_kind, output, y)
        loss.backward()
        grads = torch.cat([p.grad.reshape(-1) for p in params])

        sgd = steps(case, lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9,
                                                    weight_decay=0.01), x, y)
        plain = steps(case, lambda p: torch.optim.SGD(p, lr=0.1, weight_decay=0.01), x, y)
        adam = steps(case, lambda p: torch.optim.Adam(p, lr=0.01, weight_decay=0.01), x, y)
        adamw = steps(case, lambda p: torch.optim.AdamW(p, lr=0.01, weight_decay=0.1), x, y)

        out.append(carray(name + "_params", initial))
        out.append(carray(name + "_x", x.reshape(-1)))
        out.append(carray(name + "_y", y, "unsigned char"))
        out.append(carray(name + "_out", output.detach().reshape(-1)))
        out.append(carray(name + "_grads", grads))
        for label, after in (("plain", plain), ("sgd", sgd), ("adam", adam), ("adamw", adamw)):
            for k in range(2):
                out.append(carray("%s_%s%d" % (name, label, k + 1), after[k]))
        out.append("\n")
        acts = ", ".join('"%s"' % a for a, _, _ in layers)
        bias = ", ".join(str(b) for _, b, _ in layers)
        per_unit = ", ".join(str(p) for _, _, p in layers)
        table.append(
            '  { "%s", %d, { %s }, { %s }, { %s }, { %s }, %s, %d, %.17g,\n'
            "    %s_params, %s_x, %s_y, %s_out, %s_grads,\n"
            "    { %s_plain1, %s_plain2 }, { %s_sgd1, %s_sgd2 }, { %s_adam1, %s_adam2 }, { %s_adamw1, %s_adamw2 },\n"
            "    G_N_ELEMENTS (%s_params) },\n"
            % ((name, len(widths), ", ".join(map(str, widths)), acts, bias, per_unit,
                "NNS_LOSS_CROSS_ENTROPY" if loss_kind == "ce" else "NNS_LOSS_MSE",
                BATCH, loss.item()) + (name,) * 14))
    out.append("static const TorchCase torch_cases[] = {\n")
    out.extend(table)
    out.append("};\n")
    with open(os.path.join(HERE, "torch-truth.h"), "w") as f:
        f.write("".join(out))


if __name__ == "__main__":
    main()
