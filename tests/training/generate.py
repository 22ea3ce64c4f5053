#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Generate the trainer's PyTorch truth with real PyTorch (python3-torch).

Run by hand with Debian's /usr/bin/python3 (the python3 on PATH may have no
torch); it rewrites ``torch-truth.h`` next to this script, which
test-trainer.c includes.  For each case a small nn.Sequential is built with
torch's default initialisation from a fixed seed, and the header records:

* its parameters, flattened per layer as weight (out x in, row-major),
  bias (none for a layer that uses an earlier layer's nn.Linear again),
  norm weight, norm bias, PReLU slopes -- the trainer's own order; norm
  weights and biases and BatchNorm1d's running statistics are drawn away
  from their defaults so that a slip between them shows;
* BatchNorm1d's running mean and variance (per layer, mean then var) before,
  after the training forward of the gradient pass, and after each
  optimizer's two steps; and the evaluation-mode output after the gradient
  pass (running statistics, no dropout);
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

# name, widths, per layer (activation, bias, prelu per unit[, norm, affine,
# norm bias, shares]), loss.  The modules of a layer go Linear -> norm ->
# activation, as nns_pytorch_export writes them; shares is NnsLayer.shares
# (1-based: the layer whose nn.Linear is used again; 0 none).
CASES = [
    ("relu_tanh_ce", [3, 5, 4, 3], [("relu", 1, 0), ("tanh", 1, 0), ("none", 1, 0)], "ce"),
    ("gelu_sigmoid_mse", [3, 5, 4, 3], [("gelu", 0, 0), ("sigmoid", 1, 0), ("none", 1, 0)], "mse"),
    ("silu_elu_logsoftmax_ce", [3, 5, 4, 3],
     [("silu", 1, 0), ("elu", 1, 0), ("log_softmax", 1, 0)], "ce"),
    ("leaky_softplus_softmax_mse", [3, 6, 4, 3],
     [("leaky_relu", 1, 0), ("softplus", 0, 0), ("softmax", 1, 0)], "mse"),
    ("prelu_ce", [3, 5, 4, 3], [("prelu", 1, 1), ("prelu", 1, 0), ("none", 0, 0)], "ce"),
    # a Linear right before a BatchNorm1d has a bias whose gradient is 0 up
    # to rounding, which Adam would blow up to ±lr: those go without bias
    ("batchnorm_layernorm_ce", [3, 5, 4, 3],
     [("relu", 0, 0, "batch", 1, 1, 0), ("tanh", 1, 0, "layer", 1, 1, 0), ("none", 1, 0)], "ce"),
    ("norms_plain_mse", [3, 6, 4, 3],
     [("sigmoid", 0, 0, "batch", 0, 0, 0), ("gelu", 1, 0, "layer", 0, 0, 0),
      ("none", 1, 0, "layer", 1, 0, 0)], "mse"),
    ("shared_ce", [3, 4, 4, 4, 3],
     [("relu", 1, 0), ("tanh", 1, 0, "layer", 1, 1, 0), ("relu", 1, 0, "batch", 1, 1, 2),
      ("none", 1, 0)], "ce"),
]


def spec(layer):
    return tuple(layer) + ("none", 0, 0, 0)[len(layer) - 3:]
BATCH = 6


def build(widths, layers, seed):
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed + 500)
    modules, groups, norms, linears = [], [], [], []
    for i, layer in enumerate(layers):
        act, bias, per_unit, norm, affine, norm_bias, shares = spec(layer)
        if shares:
            lin = linears[shares - 1]
            group = []
        else:
            lin = nn.Linear(widths[i], widths[i + 1], bias=bool(bias))
            group = [lin.weight] + ([lin.bias] if bias else [])
        linears.append(lin)
        modules.append(lin)
        if norm != "none":
            n = widths[i + 1]
            if norm == "batch":
                m = nn.BatchNorm1d(n, affine=bool(affine))
                with torch.no_grad():
                    m.running_mean.copy_(torch.randn(n, generator=gen) * 0.3)
                    m.running_var.copy_(torch.rand(n, generator=gen) + 0.5)
                norms.append(m)
            else:
                m = nn.LayerNorm(n, elementwise_affine=bool(affine))
                if affine and not norm_bias:
                    m.bias = None   # LayerNorm(bias=False), which torch 1.13 lacks
            with torch.no_grad():
                if m.weight is not None:
                    m.weight.copy_(torch.rand(n, generator=gen) + 0.5)
                    group.append(m.weight)
                if m.bias is not None:
                    m.bias.copy_((torch.rand(n, generator=gen) - 0.5) * 0.6)
                    group.append(m.bias)
            modules.append(m)
        if act == "prelu":
            p = nn.PReLU(widths[i + 1] if per_unit else 1)
            modules.append(p)
            group.append(p.weight)
        elif ACT[act] is not None:
            modules.append(ACT[act]())
        groups.extend(group)
    return nn.Sequential(*modules), groups, norms


def buffers(norms):
    if not norms:
        return torch.zeros(1)
    return torch.cat([torch.cat([m.running_mean, m.running_var]) for m in norms])


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
    model, params, norms = build(widths, layers, 1000 + CASES.index(case))
    opt = optim(params)
    after = []
    for _ in range(2):
        opt.zero_grad()
        loss_of(loss_kind, model(x), y).backward()
        opt.step()
        after.append(flat(params))
    return after, buffers(norms).detach()


def main():
    out = []
    out.append("/* SPDX-License-Identifier: GPL-3.0-or-later */\n")
    out.append("/* Made by tests/training/generate.py with PyTorch %s: do not edit. */\n\n"
               % torch.__version__)
    table = []
    for idx, case in enumerate(CASES):
        name, widths, layers, loss_kind = case
        model, params, norms = build(widths, layers, 1000 + idx)
        gen = torch.Generator().manual_seed(7 + idx)
        x = torch.randn(BATCH, widths[0], generator=gen)
        y = torch.randint(0, widths[-1], (BATCH,), generator=gen)
        initial = flat(params)
        buffers0 = buffers(norms).detach().clone()
        output = model(x)
        loss = loss_of(loss_kind, output, y)
        loss.backward()
        grads = torch.cat([p.grad.reshape(-1) for p in params])
        buffers1 = buffers(norms).detach().clone()
        model.eval()
        with torch.no_grad():
            eval_out = model(x)

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
        out.append(carray(name + "_eval_out", eval_out.reshape(-1)))
        out.append(carray(name + "_buffers0", buffers0))
        out.append(carray(name + "_buffers1", buffers1))
        for label, (after, bufs) in (("plain", plain), ("sgd", sgd), ("adam", adam),
                                     ("adamw", adamw)):
            for k in range(2):
                out.append(carray("%s_%s%d" % (name, label, k + 1), after[k]))
            out.append(carray("%s_%s_buffers" % (name, label), bufs))
        out.append("\n")
        specs = [spec(layer) for layer in layers]

        def column(k, fmt="%s"):
            return ", ".join(fmt % sp[k] for sp in specs)
        table.append(
            '  { "%s", %d, { %s }, { %s }, { %s }, { %s },\n'
            "    { %s }, { %s }, { %s }, { %s }, %s, %d, %.17g,\n"
            "    %s_params, %s_x, %s_y, %s_out, %s_grads, %s_eval_out,\n"
            "    { %s_plain1, %s_plain2 }, { %s_sgd1, %s_sgd2 }, { %s_adam1, %s_adam2 }, { %s_adamw1, %s_adamw2 },\n"
            "    %s_buffers0, %s_buffers1,\n"
            "    { %s_plain_buffers, %s_sgd_buffers, %s_adam_buffers, %s_adamw_buffers },\n"
            "    G_N_ELEMENTS (%s_params), %d },\n"
            % ((name, len(widths), ", ".join(map(str, widths)), column(0, '"%s"'), column(1),
                column(2), column(3, '"%s"'), column(4), column(5), column(6),
                "NNS_LOSS_CROSS_ENTROPY" if loss_kind == "ce" else "NNS_LOSS_MSE",
                BATCH, loss.item()) + (name,) * 21 + (len(buffers0) if norms else 0,)))
    out.append("static const TorchCase torch_cases[] = {\n")
    out.extend(table)
    out.append("};\n")
    with open(os.path.join(HERE, "torch-truth.h"), "w") as f:
        f.write("".join(out))


if __name__ == "__main__":
    main()
