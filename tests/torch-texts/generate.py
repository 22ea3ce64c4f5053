#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Generate NN Sketch's PyTorch-text test set with real PyTorch.

Every case is a model that PyTorch itself builds here.  For each model
this script writes two texts into ``cases/``:

* ``NAME.code.py``    -- the Python code, exactly the text that was
  ``exec``'d (imports, classes, helpers, a final ``model = ...``);
* ``NAME.print.txt``  -- ``print(model)`` output (``str(model)`` plus the
  newline ``print`` adds), as PyTorch printed it.

Some print texts are also written again with surroundings (a header
line, a ``>>>`` prompt, ``Using cpu device``, a notebook ``Out[..]``),
in other encodings (UTF-16-LE with BOM, UTF-8 with BOM, CRLF) or damaged
(cut off mid-line).  Two cases use the torch 2.x compressed ModuleList
print style (``(1-3): 3 x Linear(...)``), which torch 1.13 does not
produce: their text is made by a re-implementation of torch 2's
``ModuleList.__repr__`` applied to a model built by torch 1.13, and the
total is that model's.

The manifest ``cases.tsv`` has a header row and then one row per file:

    name <TAB> expect <TAB> total <TAB> what

``expect`` is

* ``exact``        -- a correct importer accepts the text and its
  parameter count equals ``total``;
* ``refuse``       -- the model is not a chain of dense layers the app
  can draw (convolutions, recurrent layers, widths that do not chain in
  registration order, lazy layers, damaged text ...); ``total`` is still
  PyTorch's count, for information;
* ``print-shared`` -- a print text of a model that shares a module; the
  text shows the module twice, PyTorch counts it once (``total``);
* ``print-hidden`` -- a print text of a module that holds an nn.Parameter
  of its own, which print(model) does not show; the importer must name
  the user's class in a note.

``total`` is always ``sum(p.numel() for p in model.parameters())`` of
the model PyTorch built (for LazyLinear, after a forward pass has
materialised its parameters: before that PyTorch cannot count them).

For every ``exact`` case the script proves the chain is real: a forward
pass of ``torch.zeros(2, n_in)`` through the model's own ``forward`` (when
it has one) and through its leaf modules in print order must succeed.

Run it with the Python that has torch 1.13 (on the project machines that
is Debian's ``/usr/bin/python3`` with python3-torch):

    /usr/bin/python3 tests/torch-texts/generate.py

The output is deterministic: ``cases/`` is emptied and rewritten, rows
are sorted by name, nothing depends on time or random numbers.
"""

import contextlib
import io
import os
import shutil
import sys
import textwrap
import warnings

try:
    import torch
    import torch.nn as nn
except ImportError:
    # `python3` may be a pyenv/venv interpreter without torch; Debian's
    # python3-torch lives under /usr/bin/python3.  Re-run with that one.
    if os.path.realpath(sys.executable) != os.path.realpath("/usr/bin/python3") \
            and os.path.exists("/usr/bin/python3"):
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    raise

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "cases")

warnings.filterwarnings("ignore")

# name -> (expect, total, what, bytes)
FILES = {}
# code file name -> width of the forward pass that materialises LazyLinear
LAZY = {}


def dd(text):
    """Dedent a triple-quoted code text and strip the leading newline."""
    return textwrap.dedent(text).lstrip("\n")


def count(model):
    return sum(p.numel() for p in model.parameters())


def leaves(module):
    """Leaf modules in print order (shared modules appear every time)."""
    out = []
    for child in module._modules.values():
        if child is None:
            continue
        if child._modules:
            out.extend(leaves(child))
        else:
            out.append(child)
    if not module._modules:
        out.append(module)
    return out


def first_width(model):
    for leaf in leaves(model):
        for attr in ("in_features", "num_features"):
            if hasattr(leaf, attr) and getattr(leaf, attr):
                return getattr(leaf, attr)
        if isinstance(leaf, nn.LayerNorm):
            return leaf.normalized_shape[0]
    return None


def has_own_forward(model):
    return type(model).forward is not nn.Module.forward and not isinstance(
        model, (nn.ModuleList, nn.ModuleDict))


def run_forward(model, n_in):
    """Return (own_forward_ok, chain_ok) for a zeros(2, n_in) input."""
    x = torch.zeros(2, n_in)
    own = None
    with torch.no_grad():
        if has_own_forward(model):
            try:
                model(x)
                own = True
            except Exception:
                own = False
        try:
            y = x
            for leaf in leaves(model):
                y = leaf(y)
            chain = True
        except Exception:
            chain = False
    return own, chain


def put(name, expect, total, what, data):
    assert name not in FILES, name
    assert "\t" not in what and "\n" not in what, what
    assert expect in ("exact", "refuse", "print-shared", "print-hidden"), expect
    assert isinstance(data, bytes)
    FILES[name] = (expect, total, what, data)


def build(code):
    """exec the code text; return the model it assigns to ``model``."""
    ns = {"__name__": "__nncase__"}
    with contextlib.redirect_stdout(io.StringIO()):
        exec(compile(code, "<case>", "exec"), ns)
    return ns["model"]


# Variants of a print text: suffix -> (what-suffix, function text -> bytes)
def v_header(t):
    return ("Model architecture:\n" + t).encode()


def v_prompt(t):
    return (">>> print(model)\n" + t + ">>> \n").encode()


def v_device(t):
    return ("Using cpu device\n" + t).encode()


def v_trailing(t):
    return (t + "\n\n\n").encode()


def v_notebook(t):
    return ("In [7]: model\nOut[7]: \n" + t + "\n").encode()


def v_comments(t):
    return ("# output of print(model) in my notebook\n"
            "import torch\nimport torch.nn as nn\n\n" + t).encode()


def v_utf16(t):
    # What PowerShell's `python model.py > model.txt` writes: UTF-16-LE,
    # BOM, CRLF line ends.
    return b"\xff\xfe" + t.replace("\n", "\r\n").encode("utf-16-le")


def v_utf8bom(t):
    return b"\xef\xbb\xbf" + t.encode()


def v_crlf(t):
    return t.replace("\n", "\r\n").encode()


def v_truncated(t):
    lines = t.split("\n")
    keep = lines[: max(2, len(lines) // 2)]
    last = keep[-1]
    keep[-1] = last[: max(1, len(last) * 2 // 3)]
    return "\n".join(keep).encode()  # no final newline: cut off mid-line


VARIANTS = {
    "header": ("with 'Model architecture:' header line", v_header, None),
    "prompt": ("after a '>>> print(model)' prompt", v_prompt, None),
    "device": ("after the quickstart's 'Using cpu device' line", v_device, None),
    "trailing": ("with trailing blank lines", v_trailing, None),
    "notebook": ("IPython 'In [7]: model' / 'Out[7]:' around it", v_notebook, None),
    "comments": ("with a comment and import lines above", v_comments, None),
    "utf16": ("UTF-16-LE with BOM and CRLF (PowerShell >)", v_utf16, None),
    "utf8bom": ("UTF-8 with BOM", v_utf8bom, None),
    "crlf": ("CRLF line endings", v_crlf, None),
    "truncated": ("truncated", v_truncated, "refuse"),
}

CODE_VARIANTS = {
    "crlf": ("CRLF line endings", v_crlf, None),
    "utf8bom": ("UTF-8 with BOM", v_utf8bom, None),
    "utf16": ("UTF-16-LE with BOM and CRLF (PowerShell)", v_utf16, None),
    "truncated": ("truncated", v_truncated, "refuse"),
}


def case(name, expect, what, code, print_expect=None, n_in=None,
         variants=(), code_variants=(), check=None, lazy_in=None):
    """Build one model from ``code`` and record its code and print texts.

    expect       -- expectation for both texts (see module docstring)
    print_expect -- a different expectation for the print text
    n_in         -- input width for the forward check (default: first layer)
    variants     -- keys of VARIANTS to also write for the print text
    check        -- "chain-fails": assert the leaf chain does NOT work
    lazy_in      -- LazyLinear: width of the materialising forward pass
    """
    code = dd(code)
    model = build(code)
    printed = str(model) + "\n"
    if lazy_in is not None:
        with torch.no_grad():
            model(torch.zeros(2, lazy_in))
    total = count(model)
    if n_in is None:
        n_in = first_width(model)
    if expect == "exact":
        assert n_in, name
        own, chain = run_forward(model, n_in)
        assert own in (None, True), (name, "own forward failed")
        assert chain, (name, "leaf chain failed")
    if check == "chain-fails":
        own, chain = run_forward(model, n_in)
        assert not chain, (name, "leaf chain unexpectedly works")
    pexp = print_expect or expect
    put(name + ".code.py", expect, total, what, code.encode())
    if lazy_in is not None:
        LAZY[name + ".code.py"] = lazy_in
    pwhat = what
    if pexp == "print-shared":
        pwhat = "shared module: print text cannot show sharing (" + what + ")"
    put(name + ".print.txt", pexp, total, pwhat, printed.encode())
    for v in variants:
        vwhat, fn, vexp = VARIANTS[v]
        put("%s.%s.print.txt" % (name, v), vexp or pexp, total,
            "%s; %s" % (what, vwhat), fn(printed))
    for v in code_variants:
        vwhat, fn, vexp = CODE_VARIANTS[v]
        put("%s.%s.code.py" % (name, v), vexp or expect, total,
            "%s; %s" % (what, vwhat), fn(code))
    return model


def torch2_modulelist_repr(self):
    """torch 2.x ModuleList.__repr__: compresses runs of equal children."""
    reprs = [repr(m) for m in self]
    if not reprs:
        return self._get_name() + "()"
    spans = [[0, 0]]
    blocks = [reprs[0]]
    for i, r in enumerate(reprs[1:], 1):
        if r == blocks[-1]:
            spans[-1][1] += 1
            continue
        spans.append([i, i])
        blocks.append(r)
    lines = []
    for (a, b), r in zip(spans, blocks):
        s = "(%d): %s" % (a, r)
        if a != b:
            s = "(%d-%d): %d x %s" % (a, b, b - a + 1, r)
        s = nn.modules.module._addindent(s, 2)
        lines.append(s)
    return self._get_name() + "(\n  " + "\n  ".join(lines) + "\n)"


def torch2_case(name, what, code):
    code = dd(code)
    model = build(code)
    n_in = first_width(model)
    own, chain = run_forward(model, n_in)
    assert own in (None, True) and chain, name
    saved = nn.ModuleList.__repr__
    nn.ModuleList.__repr__ = torch2_modulelist_repr
    try:
        printed = str(model) + "\n"
    finally:
        nn.ModuleList.__repr__ = saved
    assert " x " in printed, name
    put(name + ".print.txt", "exact", count(model),
        what + "; torch 2 print style", printed.encode())


NN = "import torch\nimport torch.nn as nn\n\n"

# ---------------------------------------------------------------------------
# Sequential of Linear + activations


def seq(act_line, what, name, widths=(64, 32, 10), expect="exact"):
    a, b, c = widths
    case(name, expect, what, NN + dd("""
        model = nn.Sequential(
            nn.Linear(%d, %d),
            %s,
            nn.Linear(%d, %d),
        )
        """ % (a, b, act_line, b, c)))


def sequential_cases():
    for act, tag in [("nn.ReLU()", "relu"), ("nn.Sigmoid()", "sigmoid"),
                     ("nn.Tanh()", "tanh"), ("nn.GELU()", "gelu"),
                     ("nn.SiLU()", "silu"), ("nn.LeakyReLU(0.1)", "leakyrelu"),
                     ("nn.LeakyReLU(negative_slope=0.2)", "leakyrelu-kw"),
                     ("nn.LeakyReLU()", "leakyrelu-default"),
                     ("nn.ELU()", "elu"), ("nn.ELU(alpha=0.5)", "elu-alpha"),
                     ("nn.Softplus()", "softplus"),
                     ("nn.ReLU(inplace=True)", "relu-inplace"),
                     ("nn.GELU(approximate='tanh')", "gelu-tanh"),
                     ("nn.ReLU6()", "relu6"), ("nn.SELU()", "selu"),
                     ("nn.Hardswish()", "hardswish"), ("nn.Mish()", "mish")]:
        seq(act, "Sequential Linear-%s-Linear" % act, "seq-" + tag)

    case("seq-softmax", "exact", "classifier ending in Softmax(dim=1)", NN + dd("""
        model = nn.Sequential(
            nn.Linear(4, 16),
            nn.ReLU(),
            nn.Linear(16, 3),
            nn.Softmax(dim=1),
        )
        """), variants=("header",))
    case("seq-logsoftmax", "exact", "classifier ending in LogSoftmax(dim=1)", NN + dd("""
        model = nn.Sequential(nn.Linear(784, 100), nn.ReLU(), nn.Linear(100, 10), nn.LogSoftmax(dim=1))
        """))
    case("seq-sigmoid-binary", "exact", "binary classifier Linear(30,16)-ReLU-Linear(16,1)-Sigmoid", NN + dd("""
        # binary classifier for the breast cancer data set
        model = nn.Sequential(
            nn.Linear(30, 16),
            nn.ReLU(),
            nn.Linear(16, 1),
            nn.Sigmoid()
        )
        """))
    case("seq-nobias", "exact", "all Linear bias=False", NN + dd("""
        model = nn.Sequential(
            nn.Linear(20, 40, bias=False),
            nn.ReLU(),
            nn.Linear(40, 40, bias=False),
            nn.ReLU(),
            nn.Linear(40, 2, bias=False),
        )
        """))
    case("seq-mixed-bias", "exact", "bias=False, bias=True, positional False", NN + dd("""
        model = nn.Sequential(
            nn.Linear(12, 24, bias=False),
            nn.Tanh(),
            nn.Linear(24, 24, bias=True),
            nn.Tanh(),
            nn.Linear(24, 6, False),
        )
        """))
    case("seq-keyword-args", "exact", "in_features=/out_features= keywords", NN + dd("""
        model = nn.Sequential(
            nn.Linear(in_features=10, out_features=20),
            nn.ReLU(),
            nn.Linear(in_features=20, out_features=5, bias=False),
        )
        """))
    case("seq-keyword-mixed", "exact", "positional in, keyword out_features", NN + dd("""
        model = nn.Sequential(nn.Linear(10, out_features=20), nn.ReLU(), nn.Linear(20, out_features=1))
        """))
    case("seq-torch-nn", "exact", "torch.nn.Sequential/torch.nn.Linear spelled out", dd("""
        import torch

        model = torch.nn.Sequential(
            torch.nn.Linear(3, 64),
            torch.nn.ReLU(),
            torch.nn.Linear(64, 64),
            torch.nn.ReLU(),
            torch.nn.Linear(64, 1),
        )
        """))
    case("seq-from-torch-import-nn", "exact", "from torch import nn", dd("""
        import torch
        from torch import nn

        model = nn.Sequential(
            nn.Linear(8, 32),
            nn.GELU(),
            nn.Linear(32, 8),
        )
        """))
    case("seq-import-names", "exact", "from torch.nn import Linear, ReLU, Sequential", dd("""
        import torch
        from torch.nn import Linear, ReLU, Sequential

        model = Sequential(
            Linear(13, 50),
            ReLU(),
            Linear(50, 50),
            ReLU(),
            Linear(50, 1),
        )
        """))
    case("seq-import-as", "exact", "import torch.nn as tnn alias", dd("""
        import torch
        import torch.nn as tnn

        model = tnn.Sequential(tnn.Linear(6, 12), tnn.Sigmoid(), tnn.Linear(12, 2))
        """))
    case("seq-mixed-activations", "exact", "many activations in one chain", NN + dd("""
        model = nn.Sequential(
            nn.Linear(16, 32), nn.ReLU(),
            nn.Linear(32, 32), nn.Tanh(),
            nn.Linear(32, 32), nn.GELU(),
            nn.Linear(32, 32), nn.SiLU(),
            nn.Linear(32, 32), nn.LeakyReLU(0.1),
            nn.Linear(32, 32), nn.ELU(),
            nn.Linear(32, 32), nn.Softplus(),
            nn.Linear(32, 4), nn.Softmax(dim=1),
        )
        """))
    case("seq-no-activation", "exact", "two Linear layers, no activation", NN + dd("""
        model = nn.Sequential(nn.Linear(5, 7), nn.Linear(7, 3))
        """))
    case("seq-one-line", "exact", "whole Sequential on one line", NN +
         "model = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 8), nn.ReLU(), nn.Linear(8, 1))\n")
    case("seq-comments", "exact", "comments and blank lines inside the call", NN + dd("""
        model = nn.Sequential(
            # input layer
            nn.Linear(100, 50),  # 100 -> 50
            nn.ReLU(),

            # hidden layer
            nn.Linear(50, 25),   # 50 -> 25
            nn.ReLU(),
            # output
            nn.Linear(25, 2)     # logits
        )
        """))
    case("seq-training-script", "exact", "model followed by loss, optimizer, training loop", NN + dd("""
        import torch.optim as optim

        model = nn.Sequential(
            nn.Linear(10, 64),
            nn.ReLU(),
            nn.Linear(64, 1),
        )
        loss_fn = nn.MSELoss()
        optimizer = optim.Adam(model.parameters(), lr=1e-3)

        X = torch.zeros(32, 10)
        y = torch.zeros(32, 1)
        for epoch in range(2):
            optimizer.zero_grad()
            loss = loss_fn(model(X), y)
            loss.backward()
            optimizer.step()
        """))


# ---------------------------------------------------------------------------
# single layers


def single_cases():
    case("single-linear", "exact", "lone Linear(8, 4)", NN + "model = nn.Linear(8, 4)\n",
         variants=("prompt",))
    case("single-linear-nobias", "exact", "lone Linear(8, 4, bias=False)", NN +
         "model = nn.Linear(8, 4, bias=False)\n")
    case("single-linear-big", "exact", "lone Linear(100000, 1)", NN +
         "model = nn.Linear(100000, 1)\n")
    case("single-seq", "exact", "Sequential holding one Linear", NN +
         "model = nn.Sequential(nn.Linear(3, 1))\n")


# ---------------------------------------------------------------------------
# class-based models


QUICKSTART = dd("""
    import torch
    from torch import nn

    # Get cpu or gpu device for training.
    device = "cuda" if torch.cuda.is_available() else "cpu"
    print(f"Using {device} device")

    # Define model
    class NeuralNetwork(nn.Module):
        def __init__(self):
            super().__init__()
            self.flatten = nn.Flatten()
            self.linear_relu_stack = nn.Sequential(
                nn.Linear(28*28, 512),
                nn.ReLU(),
                nn.Linear(512, 512),
                nn.ReLU(),
                nn.Linear(512, 10)
            )

        def forward(self, x):
            x = self.flatten(x)
            logits = self.linear_relu_stack(x)
            return logits

    model = NeuralNetwork().to(device)
    print(model)
    """)


def class_cases():
    case("class-quickstart", "exact", "PyTorch quickstart NeuralNetwork (Flatten + linear_relu_stack)",
         QUICKSTART, variants=tuple(VARIANTS), code_variants=tuple(CODE_VARIANTS))
    case("class-fc-attrs", "exact", "self.fc1/fc2/fc3 attributes, F.relu in forward", NN + dd("""
        import torch.nn.functional as F


        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc1 = nn.Linear(784, 120)
                self.fc2 = nn.Linear(120, 84)
                self.fc3 = nn.Linear(84, 10)

            def forward(self, x):
                x = F.relu(self.fc1(x))
                x = F.relu(self.fc2(x))
                return self.fc3(x)


        model = Net()
        """), variants=("header", "trailing"))
    case("class-super-old", "exact", "super(Net, self).__init__() style", NN + dd("""
        class Net(nn.Module):
            def __init__(self):
                super(Net, self).__init__()
                self.fc1 = nn.Linear(4, 10)
                self.relu = nn.ReLU()
                self.fc2 = nn.Linear(10, 3)

            def forward(self, x):
                out = self.fc1(x)
                out = self.relu(out)
                out = self.fc2(out)
                return out

        model = Net()
        """))
    case("class-yunjey", "exact", "input_size/hidden_size/num_classes variables, NeuralNet(input_size, hidden_size, num_classes)", NN + dd("""
        # Hyper-parameters
        input_size = 784
        hidden_size = 500
        num_classes = 10
        num_epochs = 5
        batch_size = 100
        learning_rate = 0.001

        # Fully connected neural network with one hidden layer
        class NeuralNet(nn.Module):
            def __init__(self, input_size, hidden_size, num_classes):
                super(NeuralNet, self).__init__()
                self.fc1 = nn.Linear(input_size, hidden_size)
                self.relu = nn.ReLU()
                self.fc2 = nn.Linear(hidden_size, num_classes)

            def forward(self, x):
                out = self.fc1(x)
                out = self.relu(out)
                out = self.fc2(out)
                return out

        model = NeuralNet(input_size, hidden_size, num_classes)
        """))
    case("class-features-head", "exact", "self.features = Sequential + self.head = Linear", NN + dd("""
        class Classifier(nn.Module):
            def __init__(self):
                super().__init__()
                self.features = nn.Sequential(
                    nn.Linear(64, 128),
                    nn.ReLU(),
                    nn.Linear(128, 128),
                    nn.ReLU(),
                )
                self.head = nn.Linear(128, 10)

            def forward(self, x):
                return self.head(self.features(x))

        model = Classifier()
        """))
    case("class-autoencoder", "exact", "autoencoder self.encoder / self.decoder", NN + dd("""
        class AutoEncoder(nn.Module):
            def __init__(self):
                super().__init__()
                self.encoder = nn.Sequential(
                    nn.Linear(28 * 28, 128),
                    nn.ReLU(),
                    nn.Linear(128, 64),
                    nn.ReLU(),
                    nn.Linear(64, 12),
                    nn.ReLU(),
                    nn.Linear(12, 3),
                )
                self.decoder = nn.Sequential(
                    nn.Linear(3, 12),
                    nn.ReLU(),
                    nn.Linear(12, 64),
                    nn.ReLU(),
                    nn.Linear(64, 128),
                    nn.ReLU(),
                    nn.Linear(128, 28 * 28),
                    nn.Sigmoid(),
                )

            def forward(self, x):
                encoded = self.encoder(x)
                decoded = self.decoder(encoded)
                return decoded

        model = AutoEncoder()
        """), variants=("device",))
    case("class-dropout-attr", "exact", "fc1, fc2, fc3 then dropout registered last", NN + dd("""
        import torch.nn.functional as F

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc1 = nn.Linear(256, 128)
                self.fc2 = nn.Linear(128, 64)
                self.fc3 = nn.Linear(64, 10)
                self.dropout = nn.Dropout(0.25)

            def forward(self, x):
                x = self.dropout(F.relu(self.fc1(x)))
                x = self.dropout(F.relu(self.fc2(x)))
                return F.log_softmax(self.fc3(x), dim=1)

        model = Net()
        """))
    case("class-odd-forward", "exact", "forward() does unusual things (must not matter)", NN + dd("""
        class Weird(nn.Module):
            def __init__(self):
                super().__init__()
                self.a = nn.Linear(9, 9)
                self.b = nn.Linear(9, 4)

            def forward(self, x):
                for _ in range(3):
                    x = torch.tanh(self.a(x))
                return self.b(x) * 2 + 1

        model = Weird()
        """))
    case("class-type-hints", "exact", "type hints, docstring, -> None", NN + dd("""
        class MLP(nn.Module):
            \"\"\"A small multi-layer perceptron.\"\"\"

            def __init__(self, n_in: int = 32, n_hidden: int = 64, n_out: int = 8) -> None:
                super().__init__()
                self.net = nn.Sequential(
                    nn.Linear(n_in, n_hidden),
                    nn.ReLU(),
                    nn.Linear(n_hidden, n_out),
                )

            def forward(self, x: torch.Tensor) -> torch.Tensor:
                return self.net(x)

        model = MLP()
        """))
    defaults = dd("""
        class Net(nn.Module):
            def __init__(self, n_in=784, n_hidden=128, n_out=10):
                super().__init__()
                self.fc1 = nn.Linear(n_in, n_hidden)
                self.act = nn.ReLU()
                self.fc2 = nn.Linear(n_hidden, n_out)

            def forward(self, x):
                return self.fc2(self.act(self.fc1(x)))

        """)
    case("class-defaults", "exact", "constructor defaults, Net()", NN + defaults + "model = Net()\n")
    case("class-defaults-positional", "exact", "constructor defaults, Net(20, 30, 5)", NN + defaults + "model = Net(20, 30, 5)\n")
    case("class-defaults-keyword", "exact", "constructor defaults, Net(n_hidden=64)", NN + defaults + "model = Net(n_hidden=64)\n")
    case("class-defaults-mixed", "exact", "constructor defaults, Net(100, n_out=3)", NN + defaults + "model = Net(100, n_out=3)\n")
    case("class-class-constant", "exact", "class attribute constants used as widths", NN + dd("""
        class Net(nn.Module):
            IN = 40
            HIDDEN = 80

            def __init__(self, classes=4):
                super().__init__()
                self.hidden = nn.Linear(self.IN, self.HIDDEN)
                self.out = nn.Linear(Net.HIDDEN, classes)

            def forward(self, x):
                return self.out(torch.relu(self.hidden(x)))

        model = Net()
        """))
    case("class-self-attr-width", "exact", "widths stored in self.* then reused", NN + dd("""
        class Net(nn.Module):
            def __init__(self, input_dim=20, hidden_dim=50, output_dim=2):
                super().__init__()
                self.input_dim = input_dim
                self.hidden_dim = hidden_dim
                self.layer1 = nn.Linear(self.input_dim, self.hidden_dim)
                self.layer2 = nn.Linear(self.hidden_dim, self.hidden_dim)
                self.layer3 = nn.Linear(self.hidden_dim, output_dim)

            def forward(self, x):
                x = torch.relu(self.layer1(x))
                x = torch.relu(self.layer2(x))
                return torch.softmax(self.layer3(x), dim=1)

        model = Net()
        """))
    case("class-residual", "exact", "residual skip in forward, widths still chain", NN + dd("""
        class ResidualMLP(nn.Module):
            def __init__(self):
                super().__init__()
                self.inp = nn.Linear(10, 32)
                self.fc1 = nn.Linear(32, 32)
                self.fc2 = nn.Linear(32, 32)
                self.out = nn.Linear(32, 1)

            def forward(self, x):
                x = torch.relu(self.inp(x))
                x = x + self.fc2(torch.relu(self.fc1(x)))
                return self.out(x)

        model = ResidualMLP()
        """))
    case("class-nested-modules", "exact", "a Net holding two user sub-modules", NN + dd("""
        class Encoder(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(20, 10)
                self.act = nn.ReLU()

            def forward(self, x):
                return self.act(self.fc(x))


        class Decoder(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(10, 20)

            def forward(self, x):
                return self.fc(x)


        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.encoder = Encoder()
                self.decoder = Decoder()

            def forward(self, x):
                return self.decoder(self.encoder(x))


        model = Net()
        """))


# ---------------------------------------------------------------------------
# widths as expressions


def expr_cases():
    case("expr-28x28", "exact", "width 28*28", NN + dd("""
        model = nn.Sequential(nn.Linear(28*28, 64), nn.ReLU(), nn.Linear(64, 10))
        """))
    case("expr-28-x-28", "exact", "width 28 * 28 with spaces", NN + dd("""
        model = nn.Sequential(
            nn.Flatten(),
            nn.Linear(28 * 28, 300),
            nn.ReLU(),
            nn.Linear(300, 100),
            nn.ReLU(),
            nn.Linear(100, 10),
        )
        """))
    case("expr-variables", "exact", "input_size = 784 etc. assigned above", NN + dd("""
        input_size = 784
        hidden_sizes = [128, 64]
        output_size = 10

        model = nn.Sequential(nn.Linear(input_size, hidden_sizes[0]),
                              nn.ReLU(),
                              nn.Linear(hidden_sizes[0], hidden_sizes[1]),
                              nn.ReLU(),
                              nn.Linear(hidden_sizes[1], output_size),
                              nn.LogSoftmax(dim=1))
        """))
    case("expr-floordiv", "exact", "hidden // 2 and hidden // 4", NN + dd("""
        hidden = 256
        model = nn.Sequential(
            nn.Linear(32, hidden),
            nn.ReLU(),
            nn.Linear(hidden, hidden // 2),
            nn.ReLU(),
            nn.Linear(hidden // 2, hidden // 4),
            nn.ReLU(),
            nn.Linear(hidden // 4, 1),
        )
        """))
    case("expr-2h-plus-1", "exact", "2 * h + 1 and parentheses", NN + dd("""
        h = 16
        model = nn.Sequential(
            nn.Linear(h, 2 * h + 1),
            nn.Tanh(),
            nn.Linear(2 * h + 1, (h + 1) * 2),
            nn.Tanh(),
            nn.Linear((h + 1) * 2, h - 6),
        )
        """))
    case("expr-power", "exact", "2**7 and int(0.5 * 128)", NN + dd("""
        model = nn.Sequential(
            nn.Linear(2**5, 2**7),
            nn.ReLU(),
            nn.Linear(2**7, int(0.5 * 128)),
            nn.ReLU(),
            nn.Linear(int(0.5 * 128), 2),
        )
        """))
    case("expr-helper", "exact", "def make_mlp(n_in, hidden, n_out): return nn.Sequential(...)", NN + dd("""
        def make_mlp(n_in, hidden, n_out):
            return nn.Sequential(
                nn.Linear(n_in, hidden),
                nn.ReLU(),
                nn.Linear(hidden, n_out),
            )

        model = make_mlp(12, 48, 3)
        """))
    case("expr-helper-keywords", "exact", "helper with defaults called with keywords", NN + dd("""
        def make_mlp(n_in, hidden=64, n_out=1, act=nn.ReLU):
            return nn.Sequential(
                nn.Linear(n_in, hidden),
                act(),
                nn.Linear(hidden, hidden),
                act(),
                nn.Linear(hidden, n_out),
            )

        model = make_mlp(7, n_out=2, act=nn.Tanh)
        """))
    case("expr-config-dict", "exact", "widths from a config dict", NN + dd("""
        config = {"input_dim": 13, "hidden_dim": 64, "output_dim": 3}

        model = nn.Sequential(
            nn.Linear(config["input_dim"], config["hidden_dim"]),
            nn.ReLU(),
            nn.Linear(config["hidden_dim"], config["output_dim"]),
        )
        """))
    case("expr-list-zip", "exact", "sizes list, zip(sizes[:-1], sizes[1:]) loop", NN + dd("""
        sizes = [784, 512, 256, 10]
        layers = []
        for n_in, n_out in zip(sizes[:-1], sizes[1:]):
            layers.append(nn.Linear(n_in, n_out))
            layers.append(nn.ReLU())
        layers.pop()  # no activation after the last layer
        model = nn.Sequential(*layers)
        """))


# ---------------------------------------------------------------------------
# containers


def container_cases():
    case("cont-nested-seq", "exact", "Sequential of Sequentials", NN + dd("""
        model = nn.Sequential(
            nn.Sequential(nn.Linear(10, 20), nn.ReLU()),
            nn.Sequential(nn.Linear(20, 20), nn.ReLU()),
            nn.Linear(20, 1),
        )
        """))
    case("cont-nested-deep", "exact", "three levels of nested Sequential", NN + dd("""
        model = nn.Sequential(
            nn.Sequential(
                nn.Sequential(nn.Linear(6, 12), nn.ReLU()),
                nn.Linear(12, 12),
            ),
            nn.ReLU(),
            nn.Sequential(nn.Linear(12, 4)),
        )
        """))
    case("cont-modulelist", "exact", "model = nn.ModuleList([...])", NN + dd("""
        model = nn.ModuleList([
            nn.Linear(10, 10),
            nn.ReLU(),
            nn.Linear(10, 5),
        ])
        """))
    case("cont-class-modulelist", "exact", "self.layers = nn.ModuleList([...]) iterated in forward", NN + dd("""
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.layers = nn.ModuleList([
                    nn.Linear(16, 32),
                    nn.Linear(32, 32),
                    nn.Linear(32, 8),
                ])

            def forward(self, x):
                for layer in self.layers[:-1]:
                    x = torch.relu(layer(x))
                return self.layers[-1](x)

        model = Net()
        """))
    case("cont-modulelist-append", "exact", "self.layers = nn.ModuleList() + .append in a loop", NN + dd("""
        class MLP(nn.Module):
            def __init__(self, sizes=(20, 64, 64, 64, 4)):
                super().__init__()
                self.layers = nn.ModuleList()
                for i in range(len(sizes) - 1):
                    self.layers.append(nn.Linear(sizes[i], sizes[i + 1]))

            def forward(self, x):
                for layer in self.layers:
                    x = layer(x)
                return x

        model = MLP()
        """))
    case("cont-modulelist-comprehension", "exact", "ModuleList comprehension of equal layers", NN + dd("""
        class Deep(nn.Module):
            def __init__(self, width=32, depth=4):
                super().__init__()
                self.inp = nn.Linear(8, width)
                self.hidden = nn.ModuleList([nn.Linear(width, width) for _ in range(depth)])
                self.out = nn.Linear(width, 1)

            def forward(self, x):
                x = self.inp(x)
                for h in self.hidden:
                    x = torch.relu(h(x))
                return self.out(x)

        model = Deep()
        """))
    case("cont-moduledict", "exact", "model = nn.ModuleDict({...})", NN + dd("""
        model = nn.ModuleDict({
            "hidden": nn.Linear(5, 10),
            "act": nn.ReLU(),
            "output": nn.Linear(10, 2),
        })
        """))
    case("cont-class-moduledict", "exact", "self.layers = nn.ModuleDict(...) in a class", NN + dd("""
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.layers = nn.ModuleDict({
                    "fc1": nn.Linear(30, 60),
                    "relu": nn.ReLU(),
                    "fc2": nn.Linear(60, 2),
                })

            def forward(self, x):
                for name in ["fc1", "relu", "fc2"]:
                    x = self.layers[name](x)
                return x

        model = Net()
        """))
    case("cont-ordereddict", "exact", "Sequential(OrderedDict([('fc1', ...), ...]))", dd("""
        import torch
        import torch.nn as nn
        from collections import OrderedDict

        model = nn.Sequential(OrderedDict([
            ('fc1', nn.Linear(784, 128)),
            ('relu1', nn.ReLU()),
            ('fc2', nn.Linear(128, 64)),
            ('relu2', nn.ReLU()),
            ('output', nn.Linear(64, 10)),
            ('softmax', nn.Softmax(dim=1)),
        ]))
        """), variants=("comments",))
    case("cont-ordereddict-dict", "exact", "OrderedDict({...}) from a dict literal", dd("""
        import torch
        import torch.nn as nn
        from collections import OrderedDict

        model = nn.Sequential(OrderedDict({
            "lin1": nn.Linear(3, 9),
            "act1": nn.SiLU(),
            "lin2": nn.Linear(9, 9),
            "act2": nn.SiLU(),
            "lin3": nn.Linear(9, 1),
        }))
        """))
    case("cont-ordereddict-enc-dec", "exact", "encoder = ...; decoder = ...; Sequential(OrderedDict([('encoder', encoder), ('decoder', decoder)]))", dd("""
        import torch
        import torch.nn as nn
        from collections import OrderedDict

        encoder = nn.Sequential(
            nn.Linear(100, 40),
            nn.ReLU(),
            nn.Linear(40, 8),
        )
        decoder = nn.Sequential(
            nn.Linear(8, 40),
            nn.ReLU(),
            nn.Linear(40, 100),
        )
        model = nn.Sequential(OrderedDict([('encoder', encoder), ('decoder', decoder)]))
        """))
    block = dd("""
        class Block(nn.Module):
            def __init__(self, n_in, n_out):
                super().__init__()
                self.linear = nn.Linear(n_in, n_out)
                self.relu = nn.ReLU()

            def forward(self, x):
                return self.relu(self.linear(x))

        """)
    case("cont-blocks", "exact", "Sequential of user Block(nn.Module) modules", NN + block + dd("""
        model = nn.Sequential(
            Block(64, 128),
            Block(128, 128),
            Block(128, 32),
            nn.Linear(32, 10),
        )
        """))
    case("cont-blocks-loop", "exact", "Blocks appended in a loop, nn.Sequential(*blocks)", NN + block + dd("""
        blocks = [Block(16, 64)]
        for _ in range(3):
            blocks.append(Block(64, 64))
        blocks.append(nn.Linear(64, 1))
        model = nn.Sequential(*blocks)
        """))
    case("cont-blocks-bn-dropout", "exact", "Block with Linear+BatchNorm1d+ReLU+Dropout", NN + dd("""
        class Block(nn.Module):
            def __init__(self, n_in, n_out, p=0.1):
                super().__init__()
                self.fc = nn.Linear(n_in, n_out)
                self.bn = nn.BatchNorm1d(n_out)
                self.act = nn.ReLU()
                self.drop = nn.Dropout(p)

            def forward(self, x):
                return self.drop(self.act(self.bn(self.fc(x))))


        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.body = nn.Sequential(Block(40, 100), Block(100, 50, p=0.3))
                self.head = nn.Linear(50, 5)

            def forward(self, x):
                return self.head(self.body(x))


        model = Net()
        """))
    case("cont-layers-append", "exact", "layers = [] + for loop append + nn.Sequential(*layers)", NN + dd("""
        n_in, hidden, n_out, n_layers = 10, 32, 2, 3

        layers = []
        layers.append(nn.Linear(n_in, hidden))
        layers.append(nn.ReLU())
        for _ in range(n_layers - 1):
            layers.append(nn.Linear(hidden, hidden))
            layers.append(nn.ReLU())
        layers.append(nn.Linear(hidden, n_out))
        model = nn.Sequential(*layers)
        """))
    case("cont-layers-extend", "exact", "layers += [...] and layers.extend([...])", NN + dd("""
        widths = [50, 40, 30, 20]
        layers = []
        prev = 60
        for w in widths:
            layers += [nn.Linear(prev, w), nn.ReLU()]
            prev = w
        layers.extend([nn.Linear(prev, 1), nn.Sigmoid()])
        model = nn.Sequential(*layers)
        """))
    case("cont-add-module", "exact", "model = nn.Sequential(); model.add_module(...)", NN + dd("""
        model = nn.Sequential()
        model.add_module('fc1', nn.Linear(24, 48))
        model.add_module('relu1', nn.ReLU())
        model.add_module('fc2', nn.Linear(48, 12))
        model.add_module('relu2', nn.ReLU())
        model.add_module('fc', nn.Linear(12, 2))
        """))
    case("cont-add-module-loop", "exact", "add_module with f-string names in a loop", NN + dd("""
        model = nn.Sequential()
        dims = [8, 16, 16, 4]
        for i in range(len(dims) - 1):
            model.add_module(f"linear{i}", nn.Linear(dims[i], dims[i + 1]))
            if i < len(dims) - 2:
                model.add_module(f"act{i}", nn.ReLU())
        """))
    case("cont-add-module-class", "exact", "self.add_module('fc', ...) in __init__", NN + dd("""
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.add_module('fc', nn.Linear(11, 22))
                self.add_module('act', nn.Tanh())
                self.add_module('out', nn.Linear(22, 1))

            def forward(self, x):
                return self.out(self.act(self.fc(x)))

        model = Net()
        """))
    case("cont-seq-append", "exact", "nn.Sequential().append(...) (torch >= 1.11)", NN + dd("""
        model = nn.Sequential()
        model.append(nn.Linear(5, 25))
        model.append(nn.ReLU())
        model.append(nn.Linear(25, 5))
        """))


# ---------------------------------------------------------------------------
# norms and extras


def norm_cases():
    case("norm-batchnorm", "exact", "BatchNorm1d(n) affine default", NN + dd("""
        model = nn.Sequential(
            nn.Linear(20, 64),
            nn.BatchNorm1d(64),
            nn.ReLU(),
            nn.Linear(64, 2),
        )
        """))
    case("norm-batchnorm-noaffine", "exact", "BatchNorm1d(n, affine=False)", NN + dd("""
        model = nn.Sequential(
            nn.Linear(20, 64),
            nn.BatchNorm1d(64, affine=False),
            nn.ReLU(),
            nn.Linear(64, 2),
        )
        """))
    case("norm-batchnorm-notrack", "exact", "BatchNorm1d(n, track_running_stats=False)", NN + dd("""
        model = nn.Sequential(
            nn.Linear(20, 64),
            nn.BatchNorm1d(64, track_running_stats=False),
            nn.ReLU(),
            nn.Linear(64, 2),
        )
        """))
    case("norm-batchnorm-eps", "exact", "BatchNorm1d(n, eps=1e-3, momentum=0.01)", NN + dd("""
        model = nn.Sequential(
            nn.Linear(20, 64),
            nn.BatchNorm1d(64, eps=1e-3, momentum=0.01),
            nn.ReLU(),
            nn.Linear(64, 2),
        )
        """))
    case("norm-batchnorm-input", "refuse", "BatchNorm1d first (input normalisation): the app keeps a norm with the dense layer before it", NN + dd("""
        model = nn.Sequential(
            nn.BatchNorm1d(13),
            nn.Linear(13, 32),
            nn.ReLU(),
            nn.Linear(32, 1),
        )
        """))
    case("norm-layernorm", "exact", "LayerNorm(n)", NN + dd("""
        model = nn.Sequential(
            nn.Linear(32, 64),
            nn.LayerNorm(64),
            nn.GELU(),
            nn.Linear(64, 32),
        )
        """))
    case("norm-layernorm-tuple", "exact", "LayerNorm((n,))", NN + dd("""
        model = nn.Sequential(
            nn.Linear(32, 64),
            nn.LayerNorm((64,)),
            nn.GELU(),
            nn.Linear(64, 32),
        )
        """))
    case("norm-layernorm-noaffine", "exact", "LayerNorm(n, elementwise_affine=False)", NN + dd("""
        model = nn.Sequential(
            nn.Linear(32, 64),
            nn.LayerNorm(64, elementwise_affine=False),
            nn.GELU(),
            nn.Linear(64, 32),
        )
        """))
    case("norm-layernorm-eps", "refuse", "LayerNorm(n, eps=1e-6) and a list [n], first: the app keeps a norm with the dense layer before it", NN + dd("""
        model = nn.Sequential(
            nn.LayerNorm([16], eps=1e-6),
            nn.Linear(16, 48),
            nn.LayerNorm(48, eps=1e-6),
            nn.ReLU(),
            nn.Linear(48, 16),
        )
        """))
    case("norm-prelu", "exact", "PReLU() single parameter", NN + dd("""
        model = nn.Sequential(nn.Linear(10, 30), nn.PReLU(), nn.Linear(30, 1))
        """))
    case("norm-prelu-channels", "exact", "PReLU(num_parameters=n)", NN + dd("""
        model = nn.Sequential(nn.Linear(10, 30), nn.PReLU(num_parameters=30), nn.Linear(30, 1))
        """))
    case("norm-prelu-positional", "exact", "PReLU(n) positional and PReLU(init=0.1)", NN + dd("""
        model = nn.Sequential(
            nn.Linear(10, 30), nn.PReLU(30),
            nn.Linear(30, 30), nn.PReLU(init=0.1),
            nn.Linear(30, 1),
        )
        """))
    case("norm-dropout", "exact", "Dropout(p=0.2) and Dropout(0.5)", NN + dd("""
        model = nn.Sequential(
            nn.Linear(784, 256),
            nn.ReLU(),
            nn.Dropout(p=0.2),
            nn.Linear(256, 128),
            nn.ReLU(),
            nn.Dropout(0.5),
            nn.Linear(128, 10),
        )
        """))
    case("norm-dropout-inplace", "exact", "Dropout(0.1, inplace=True)", NN + dd("""
        model = nn.Sequential(nn.Linear(8, 8), nn.Dropout(0.1, inplace=True), nn.Linear(8, 8))
        """))
    case("norm-identity", "exact", "Identity placeholder in the chain", NN + dd("""
        use_norm = False
        model = nn.Sequential(
            nn.Linear(12, 24),
            nn.LayerNorm(24) if use_norm else nn.Identity(),
            nn.ReLU(),
            nn.Linear(24, 6),
        )
        """))
    case("norm-flatten", "exact", "Flatten first, then Linear", NN + dd("""
        model = nn.Sequential(
            nn.Flatten(),
            nn.Linear(28 * 28, 10),
        )
        """))
    case("norm-everything", "exact", "Linear, BatchNorm1d, LayerNorm, PReLU, Dropout together", NN + dd("""
        model = nn.Sequential(
            nn.Flatten(),
            nn.Linear(100, 200),
            nn.BatchNorm1d(200),
            nn.PReLU(200),
            nn.Dropout(0.3),
            nn.Linear(200, 100),
            nn.LayerNorm(100),
            nn.ReLU(),
            nn.Identity(),
            nn.Linear(100, 10),
            nn.LogSoftmax(dim=1),
        )
        """))


# ---------------------------------------------------------------------------
# sharing and frozen layers


def sharing_cases():
    case("shared-linear", "exact", "one Linear used twice in a Sequential, counted once", NN + dd("""
        shared = nn.Linear(16, 16)
        model = nn.Sequential(nn.Linear(8, 16), shared, nn.ReLU(), shared)
        """), print_expect="print-shared")
    case("shared-class-alias", "exact", "self.fc_again = self.fc (alias), counted once", NN + dd("""
        class Tied(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc_in = nn.Linear(4, 32)
                self.fc = nn.Linear(32, 32)
                self.fc_again = self.fc
                self.fc_out = nn.Linear(32, 4)

            def forward(self, x):
                return self.fc_out(self.fc_again(torch.relu(self.fc(self.fc_in(x)))))

        model = Tied()
        """), print_expect="print-shared")
    case("shared-activation", "exact", "one ReLU instance reused (no parameters, print total unaffected)", NN + dd("""
        act = nn.ReLU()
        model = nn.Sequential(nn.Linear(6, 6), act, nn.Linear(6, 6), act, nn.Linear(6, 1))
        """))
    case("frozen-requires-grad", "exact", "nn.Linear(10, 18).requires_grad_(False) still counted", NN + dd("""
        model = nn.Sequential(
            nn.Linear(10, 18).requires_grad_(False),
            nn.ReLU(),
            nn.Linear(18, 2),
        )
        """))
    case("frozen-loop", "exact", "p.requires_grad = False loop after building", NN + dd("""
        model = nn.Sequential(nn.Linear(50, 20), nn.ReLU(), nn.Linear(20, 5))
        for p in model[0].parameters():
            p.requires_grad = False
        """))


# ---------------------------------------------------------------------------
# refusals


def refuse_cases():
    case("refuse-cnn-lenet", "refuse", "Conv2d+MaxPool2d+Linear CNN (LeNet)", NN + dd("""
        import torch.nn.functional as F

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.conv1 = nn.Conv2d(3, 6, 5)
                self.pool = nn.MaxPool2d(2, 2)
                self.conv2 = nn.Conv2d(6, 16, 5)
                self.fc1 = nn.Linear(16 * 5 * 5, 120)
                self.fc2 = nn.Linear(120, 84)
                self.fc3 = nn.Linear(84, 10)

            def forward(self, x):
                x = self.pool(F.relu(self.conv1(x)))
                x = self.pool(F.relu(self.conv2(x)))
                x = torch.flatten(x, 1)
                x = F.relu(self.fc1(x))
                x = F.relu(self.fc2(x))
                return self.fc3(x)

        model = Net()
        """))
    case("refuse-cnn-seq", "refuse", "Sequential Conv2d-ReLU-Flatten-Linear", NN + dd("""
        model = nn.Sequential(
            nn.Conv2d(1, 32, kernel_size=3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Flatten(),
            nn.Linear(32 * 14 * 14, 10),
        )
        """))
    case("refuse-conv1d", "refuse", "Conv1d in front of an MLP", NN + dd("""
        model = nn.Sequential(nn.Conv1d(4, 8, 3), nn.ReLU(), nn.Flatten(), nn.Linear(8 * 30, 1))
        """))
    case("refuse-batchnorm2d", "refuse", "BatchNorm2d in a conv stack", NN + dd("""
        model = nn.Sequential(nn.Conv2d(3, 16, 3), nn.BatchNorm2d(16), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 10))
        """))
    case("refuse-embedding", "refuse", "Embedding + Linear", NN + dd("""
        class TextClassifier(nn.Module):
            def __init__(self, vocab_size=1000, embed_dim=32, num_class=4):
                super().__init__()
                self.embedding = nn.Embedding(vocab_size, embed_dim)
                self.fc = nn.Linear(embed_dim, num_class)

            def forward(self, text):
                return self.fc(self.embedding(text).mean(dim=1))

        model = TextClassifier()
        """))
    case("refuse-embeddingbag", "refuse", "EmbeddingBag + Linear (text tutorial)", NN + dd("""
        class TextClassificationModel(nn.Module):
            def __init__(self, vocab_size, embed_dim, num_class):
                super(TextClassificationModel, self).__init__()
                self.embedding = nn.EmbeddingBag(vocab_size, embed_dim, sparse=False)
                self.fc = nn.Linear(embed_dim, num_class)

            def forward(self, text, offsets):
                return self.fc(self.embedding(text, offsets))

        model = TextClassificationModel(5000, 64, 4)
        """))
    case("refuse-lstm", "refuse", "LSTM + Linear", NN + dd("""
        class LSTMModel(nn.Module):
            def __init__(self, input_size=10, hidden_size=20, num_layers=2, output_size=1):
                super().__init__()
                self.lstm = nn.LSTM(input_size, hidden_size, num_layers, batch_first=True)
                self.fc = nn.Linear(hidden_size, output_size)

            def forward(self, x):
                out, _ = self.lstm(x)
                return self.fc(out[:, -1, :])

        model = LSTMModel()
        """))
    case("refuse-gru", "refuse", "GRU + Linear", NN + dd("""
        class GRUNet(nn.Module):
            def __init__(self):
                super().__init__()
                self.gru = nn.GRU(8, 16, batch_first=True, bidirectional=True)
                self.fc = nn.Linear(32, 2)

            def forward(self, x):
                out, _ = self.gru(x)
                return self.fc(out[:, -1])

        model = GRUNet()
        """))
    case("refuse-rnn", "refuse", "plain RNN + Linear", NN + dd("""
        class RNN(nn.Module):
            def __init__(self):
                super().__init__()
                self.rnn = nn.RNN(5, 12, nonlinearity='tanh')
                self.out = nn.Linear(12, 5)

            def forward(self, x):
                y, _ = self.rnn(x)
                return self.out(y)

        model = RNN()
        """))
    case("refuse-mha", "refuse", "MultiheadAttention (print hides in_proj parameters)", NN + dd("""
        class Attn(nn.Module):
            def __init__(self):
                super().__init__()
                self.attn = nn.MultiheadAttention(embed_dim=32, num_heads=4)
                self.ff = nn.Linear(32, 32)

            def forward(self, x):
                y, _ = self.attn(x, x, x)
                return self.ff(y)

        model = Attn()
        """))
    case("refuse-transformer-layer", "refuse", "TransformerEncoderLayer", NN + dd("""
        model = nn.Sequential(
            nn.TransformerEncoderLayer(d_model=16, nhead=2, dim_feedforward=32),
            nn.Linear(16, 2),
        )
        """))
    case("refuse-bilinear", "refuse", "Bilinear layer", NN + dd("""
        class Pair(nn.Module):
            def __init__(self):
                super().__init__()
                self.bil = nn.Bilinear(10, 20, 5)
                self.fc = nn.Linear(5, 1)

            def forward(self, a, b):
                return self.fc(self.bil(a, b))

        model = Pair()
        """))
    case("refuse-lazylinear", "refuse", "LazyLinear (in_features unknown until forward; total after a forward on width 20)", NN + dd("""
        model = nn.Sequential(
            nn.LazyLinear(64),
            nn.ReLU(),
            nn.Linear(64, 10),
        )
        """), lazy_in=20)
    case("refuse-glu", "refuse", "GLU changes the width", NN + dd("""
        model = nn.Sequential(nn.Linear(10, 20), nn.GLU(), nn.Linear(10, 5))
        """))
    case("refuse-order-fc2-first", "refuse", "fc2 registered before fc1: registration order does not chain", NN + dd("""
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc2 = nn.Linear(64, 10)
                self.fc1 = nn.Linear(784, 64)

            def forward(self, x):
                return self.fc2(torch.relu(self.fc1(x)))

        model = Net()
        """), n_in=784, check="chain-fails")
    case("refuse-width-mismatch", "refuse", "Sequential whose widths do not chain (20 then 30)", NN + dd("""
        model = nn.Sequential(nn.Linear(10, 20), nn.ReLU(), nn.Linear(30, 5))
        """), n_in=10, check="chain-fails")
    case("refuse-raw-parameter", "refuse", "raw nn.Parameter in a module: not a layer, print text does not show it", NN + dd("""
        class Scaled(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(10, 10)
                self.scale = nn.Parameter(torch.ones(10))

            def forward(self, x):
                return self.fc(x) * self.scale

        model = Scaled()
        """), print_expect="print-hidden")
    case("refuse-two-inputs", "refuse", "two parallel branches concatenated (not a chain)", NN + dd("""
        class TwoTower(nn.Module):
            def __init__(self):
                super().__init__()
                self.user = nn.Linear(10, 8)
                self.item = nn.Linear(12, 8)
                self.head = nn.Linear(16, 1)

            def forward(self, u, i):
                return self.head(torch.cat([self.user(u), self.item(i)], dim=1))

        model = TwoTower()
        """), n_in=10, check="chain-fails")


# ---------------------------------------------------------------------------
# big models


def big_cases():
    case("big-mnist", "exact", "MNIST MLP 784-256-128-10", NN + dd("""
        model = nn.Sequential(
            nn.Linear(784, 256),
            nn.ReLU(),
            nn.Linear(256, 128),
            nn.ReLU(),
            nn.Linear(128, 10),
        )
        """), variants=("utf16", "crlf", "truncated"))
    case("big-10-layer", "exact", "10-layer MLP built in a loop", NN + dd("""
        layers = [nn.Linear(100, 512), nn.ReLU()]
        for _ in range(8):
            layers += [nn.Linear(512, 512), nn.ReLU()]
        layers.append(nn.Linear(512, 10))
        model = nn.Sequential(*layers)
        """))
    case("big-10-layer-literal", "exact", "10 Linear layers written out", NN + dd("""
        model = nn.Sequential(
            nn.Linear(1000, 900), nn.ReLU(),
            nn.Linear(900, 800), nn.ReLU(),
            nn.Linear(800, 700), nn.ReLU(),
            nn.Linear(700, 600), nn.ReLU(),
            nn.Linear(600, 500), nn.ReLU(),
            nn.Linear(500, 400), nn.ReLU(),
            nn.Linear(400, 300), nn.ReLU(),
            nn.Linear(300, 200), nn.ReLU(),
            nn.Linear(200, 100), nn.ReLU(),
            nn.Linear(100, 10),
        )
        """))
    case("big-wide-input", "exact", "width 100000 input", NN + dd("""
        model = nn.Sequential(
            nn.Linear(100000, 64),
            nn.ReLU(),
            nn.Linear(64, 10),
        )
        """))
    case("big-wide-both", "exact", "100000 -> 256 -> 100000 bottleneck", NN + dd("""
        vocab = 100_000
        model = nn.Sequential(
            nn.Linear(vocab, 256),
            nn.ReLU(),
            nn.Linear(256, vocab),
        )
        """))


# ---------------------------------------------------------------------------
# torch 2.x print style (hand-made from the torch 2 ModuleList repr)


def torch2_cases():
    torch2_case("torch2-modulelist-linear", "ModuleList with (1-3): 3 x Linear(32, 32)", NN + dd("""
        class MLP(nn.Module):
            def __init__(self):
                super().__init__()
                self.layers = nn.ModuleList(
                    [nn.Linear(16, 32)] + [nn.Linear(32, 32) for _ in range(3)] + [nn.Linear(32, 4)]
                )

            def forward(self, x):
                for layer in self.layers:
                    x = layer(x)
                return x

        model = MLP()
        """))
    torch2_case("torch2-modulelist-blocks", "ModuleList with (0-3): 4 x Block(...) multi-line", NN + dd("""
        class Block(nn.Module):
            def __init__(self, d):
                super().__init__()
                self.fc = nn.Linear(d, d)
                self.norm = nn.LayerNorm(d)
                self.act = nn.GELU()

            def forward(self, x):
                return self.act(self.norm(self.fc(x)))


        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.blocks = nn.ModuleList([Block(32) for _ in range(4)])
                self.head = nn.Linear(32, 10)

            def forward(self, x):
                for b in self.blocks:
                    x = b(x)
                return self.head(x)


        model = Net()
        """))
    torch2_case("torch2-modulelist-seqs", "ModuleList with (0-2): 3 x Sequential(Linear, ReLU) multi-line", NN + dd("""
        class Tower(nn.Module):
            def __init__(self):
                super().__init__()
                self.stem = nn.Linear(8, 32)
                self.stages = nn.ModuleList(
                    [nn.Sequential(nn.Linear(32, 32), nn.ReLU()) for _ in range(3)]
                )
                self.head = nn.Linear(32, 1)

            def forward(self, x):
                x = self.stem(x)
                for stage in self.stages:
                    x = stage(x)
                return self.head(x)

        model = Tower()
        """))


def decode(data):
    """Decode a case file as an importer would: BOM decides, else UTF-8."""
    if data.startswith(b"\xff\xfe"):
        return data[2:].decode("utf-16-le")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    return data.decode("utf-8")


def recheck():
    """Read every written code file back, exec it again, compare totals.

    This proves the files on disk (in every encoding and line ending) are
    what PyTorch counted; truncated code must not even compile.
    """
    for name in sorted(FILES):
        if not name.endswith(".code.py"):
            continue
        expect, total, what, _ = FILES[name]
        with open(os.path.join(OUT, name), "rb") as f:
            text = decode(f.read())
        if ".truncated." in name:
            try:
                compile(text, name, "exec")
            except SyntaxError:
                continue
            raise AssertionError(name + ": truncated code still compiles")
        model = build(text)
        if name in LAZY:
            with torch.no_grad():
                model(torch.zeros(2, LAZY[name]))
        assert count(model) == total, name


def main():
    sequential_cases()
    single_cases()
    class_cases()
    expr_cases()
    container_cases()
    norm_cases()
    sharing_cases()
    refuse_cases()
    big_cases()
    torch2_cases()

    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
    rows = ["name\texpect\ttotal\twhat"]
    for name in sorted(FILES):
        expect, total, what, data = FILES[name]
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)
        rows.append("%s\t%s\t%d\t%s" % (name, expect, total, what))
    with open(os.path.join(HERE, "cases.tsv"), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(rows) + "\n")

    recheck()

    tally = {}
    for expect, *_ in FILES.values():
        tally[expect] = tally.get(expect, 0) + 1
    print("torch %s: %d cases (%s)" % (
        torch.__version__, len(FILES),
        ", ".join("%s %d" % kv for kv in sorted(tally.items()))))


if __name__ == "__main__":
    sys.exit(main())
