#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Generate NN Sketch's model-file test data with real PyTorch.

Run with the Python that has torch 1.13 and onnx (Debian's /usr/bin/python3
with python3-torch and python3-onnx); `make test` does not run it, it reads
what this script wrote and what is checked in:

* mlp.safetensors      -- a small MLP trained on a toy problem, its
                          state_dict as F32; mlp-f16 / mlp-bf16 the same
                          tensors as PyTorch converts them (.half(),
                          .bfloat16()). Debian has no python3-safetensors, so
                          this script writes the format itself (write_safetensors).
* mlp.onnx             -- torch.onnx.export of the MLP (Gemm, transB=1).
* matmul.onnx          -- a model computing x @ W.T + b (MatMul + Add).
* gelu.onnx            -- Linear, GELU (exported as its Erf decomposition), Linear.
* norm.safetensors / norm.onnx -- Linear, BatchNorm1d (trained running
                          statistics), PReLU, Linear.
* deep.safetensors     -- six Linear layers with the header's keys sorted as
                          text ("10.weight" before "2.weight").
* named.safetensors    -- a class with fc1, fc2, out.
* image.onnx           -- Flatten of N × 3 × 4 × 5, Linear, ReLU, Linear: the
                          graph input's shape is the network input's.
* values.tsv           -- every tensor value PyTorch holds:
                          file <TAB> tensor <TAB> index <TAB> float32 bits (hex)
* io.tsv               -- the MLP's outputs for a fixed input (float32 bits).
* hostile/             -- broken and lying files and hostile.tsv:
                          file <TAB> a text the refusal must contain.
"""

import io
import json
import os
import struct
import sys

import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
HOSTILE = os.path.join(HERE, "hostile")
DTYPES = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16", torch.int64: "I64"}


def tensor_bytes(t):
    t = t.detach().contiguous().cpu()
    if t.dtype == torch.bfloat16:
        # No numpy bfloat16: the bits are the top half of the float32's.
        return b"".join(struct.pack("<H", struct.unpack("<I", struct.pack("<f", v))[0] >> 16)
                        for v in t.float().flatten().tolist())
    if t.dtype == torch.float16:
        return t.numpy().astype("<f2").tobytes()
    if t.dtype == torch.int64:
        return t.numpy().astype("<i8").tobytes()
    return t.numpy().astype("<f4").tobytes()


def safetensors_bytes(tensors, sort_keys=False, metadata=None):
    """The format: u64 LE header length, JSON header, the raw data."""
    header = {}
    if metadata is not None:
        header["__metadata__"] = metadata
    data = b""
    names = sorted(tensors) if sort_keys else list(tensors)
    for name in names:
        t = tensors[name]
        raw = tensor_bytes(t)
        header[name] = {"dtype": DTYPES[t.dtype], "shape": list(t.shape),
                        "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + data


def write(path, blob):
    with open(path, "wb") as f:
        f.write(blob)


def bits(v):
    return "%08x" % struct.unpack("<I", struct.pack("<f", v))[0]


def export_onnx(model, n_in, path):
    model.eval()
    torch.onnx.export(model, torch.zeros(1, n_in), path, input_names=["input"],
                      output_names=["output"], dynamic_axes={"input": {0: "batch"}})


class MatMulModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.W1 = nn.Parameter(torch.randn(6, 4) * 0.5)
        self.b1 = nn.Parameter(torch.randn(6) * 0.1)
        self.W2 = nn.Parameter(torch.randn(3, 6) * 0.5)
        self.b2 = nn.Parameter(torch.randn(3) * 0.1)

    def forward(self, x):
        return torch.sigmoid(torch.relu(x @ self.W1.T + self.b1) @ self.W2.T + self.b2)


class Named(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(3, 5)
        self.fc2 = nn.Linear(5, 4)
        self.out = nn.Linear(4, 2)

    def forward(self, x):
        return self.out(torch.relu(self.fc2(torch.relu(self.fc1(x)))))


def main():
    torch.manual_seed(0)
    os.makedirs(HOSTILE, exist_ok=True)
    values = []

    # The toy problem: 3 classes of points in R^4.
    x = torch.randn(512, 4)
    y = ((x[:, 0] + x[:, 1] > 0).long() + (x[:, 2] * x[:, 3] > 0.3).long())
    mlp = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 6), nn.Tanh(), nn.Linear(6, 3))
    opt = torch.optim.Adam(mlp.parameters(), lr=0.02)
    for _ in range(300):
        opt.zero_grad()
        loss = nn.functional.cross_entropy(mlp(x), y)
        loss.backward()
        opt.step()
    mlp.eval()
    sd = mlp.state_dict()
    write(os.path.join(HERE, "mlp.safetensors"), safetensors_bytes(sd, metadata={"format": "pt"}))
    for dtype, suffix in ((torch.float16, "f16"), (torch.bfloat16, "bf16")):
        half = {k: v.to(dtype) for k, v in sd.items()}
        write(os.path.join(HERE, "mlp-%s.safetensors" % suffix), safetensors_bytes(half))
        for k, v in half.items():
            for i, f in enumerate(v.float().flatten().tolist()):
                values.append(("mlp-%s.safetensors" % suffix, k, i, bits(f)))
    for k, v in sd.items():
        for i, f in enumerate(v.flatten().tolist()):
            values.append(("mlp.safetensors", k, i, bits(f)))
            values.append(("mlp.onnx", k, i, bits(f)))
    export_onnx(mlp, 4, os.path.join(HERE, "mlp.onnx"))
    print("mlp accuracy %.3f" % (mlp(x).argmax(1) == y).float().mean().item())

    # The outputs for a fixed input (the exported code must give them again).
    fixed = torch.linspace(-2, 2, 20).reshape(5, 4)
    with torch.no_grad():
        out = mlp(fixed)
    with open(os.path.join(HERE, "io.tsv"), "w") as f:
        f.write("# row <TAB> input float32 bits, comma-separated <TAB> mlp output bits\n")
        for r in range(5):
            f.write("%d\t%s\t%s\n" % (r, ",".join(bits(v) for v in fixed[r].tolist()),
                                      ",".join(bits(v) for v in out[r].tolist())))

    mm = MatMulModel()
    export_onnx(mm, 4, os.path.join(HERE, "matmul.onnx"))
    # Named as the equivalent nn.Sequential (Linear, ReLU, Linear, Sigmoid) names them.
    for k, v in (("0.weight", mm.W1), ("0.bias", mm.b1), ("2.weight", mm.W2), ("2.bias", mm.b2)):
        for i, f in enumerate(v.detach().flatten().tolist()):
            values.append(("matmul.onnx", k, i, bits(f)))

    gelu = nn.Sequential(nn.Linear(4, 5), nn.GELU(), nn.Linear(5, 2), nn.Softmax(dim=-1))
    export_onnx(gelu, 4, os.path.join(HERE, "gelu.onnx"))
    for k, v in gelu.state_dict().items():
        for i, f in enumerate(v.flatten().tolist()):
            values.append(("gelu.onnx", k, i, bits(f)))

    norm = nn.Sequential(nn.Linear(5, 7), nn.BatchNorm1d(7), nn.PReLU(), nn.Linear(7, 2))
    opt = torch.optim.SGD(norm.parameters(), lr=0.1)
    for _ in range(5):
        opt.zero_grad()
        norm(torch.randn(32, 5)).pow(2).mean().backward()
        opt.step()
    norm.eval()
    write(os.path.join(HERE, "norm.safetensors"), safetensors_bytes(norm.state_dict()))
    for k, v in norm.state_dict().items():
        if v.dtype == torch.int64:
            values.append(("norm.safetensors", k, 0, "i64:%d" % v.item()))
            continue
        for i, f in enumerate(v.flatten().tolist()):
            values.append(("norm.safetensors", k, i, bits(f)))
    export_onnx(norm, 5, os.path.join(HERE, "norm.onnx"))

    deep = nn.Sequential(*[m for i in range(6) for m in (nn.Linear(3 + i, 4 + i), nn.ReLU())][:-1])
    write(os.path.join(HERE, "deep.safetensors"), safetensors_bytes(deep.state_dict(), sort_keys=True))
    for k, v in deep.state_dict().items():
        for i, f in enumerate(v.flatten().tolist()):
            values.append(("deep.safetensors", k, i, bits(f)))

    named = Named()
    write(os.path.join(HERE, "named.safetensors"), safetensors_bytes(named.state_dict(), sort_keys=True))

    # An image model: a Flatten of N × 3 × 4 × 5 first, so the graph's input
    # has the shape the network's input takes.
    # Its own seed, the stream of the files after it left as it was.
    rng = torch.get_rng_state()
    torch.manual_seed(1)
    image = nn.Sequential(nn.Flatten(), nn.Linear(60, 4), nn.ReLU(), nn.Linear(4, 2))
    image.eval()
    torch.onnx.export(image, torch.zeros(1, 3, 4, 5), os.path.join(HERE, "image.onnx"),
                      input_names=["input"], output_names=["output"],
                      dynamic_axes={"input": {0: "batch"}})
    for k, v in image.state_dict().items():
        for i, f in enumerate(v.flatten().tolist()):
            values.append(("image.onnx", k, i, bits(f)))
    torch.set_rng_state(rng)

    with open(os.path.join(HERE, "values.tsv"), "w") as f:
        f.write("# file <TAB> tensor <TAB> index <TAB> float32 bits as PyTorch holds them\n")
        for row in values:
            f.write("%s\t%s\t%d\t%s\n" % row)

    # ---- hostile files ----
    good = safetensors_bytes(sd)
    hostile = []

    def lie(name, header_edit, expect, data=None):
        header = {}
        offset = 0
        for k, v in sd.items():
            raw = tensor_bytes(v)
            header[k] = {"dtype": "F32", "shape": list(v.shape),
                         "data_offsets": [offset, offset + len(raw)]}
            offset += len(raw)
        body = data if data is not None else b"".join(tensor_bytes(v) for v in sd.values())
        header_edit(header)
        text = json.dumps(header).encode()
        write(os.path.join(HOSTILE, name), struct.pack("<Q", len(text)) + text + body)
        hostile.append((name, expect))

    write(os.path.join(HOSTILE, "truncated.safetensors"), good[: len(good) // 2])
    hostile.append(("truncated.safetensors", "0.weight: bytes 0 to 128 lie outside"))
    write(os.path.join(HOSTILE, "header-cut.safetensors"), good[:40])
    hostile.append(("header-cut.safetensors", "header claims"))
    write(os.path.join(HOSTILE, "huge-header.safetensors"),
          struct.pack("<Q", 0x7FFFFFFFFFFFFFF0) + good[8:])
    hostile.append(("huge-header.safetensors", "header claims"))
    write(os.path.join(HOSTILE, "short.safetensors"), b"\x05\x00\x00")
    hostile.append(("short.safetensors", "not a model file"))
    lie("past-end.safetensors",
        lambda h: h["4.bias"].update(data_offsets=[h["4.bias"]["data_offsets"][0], 10 ** 6]),
        "4.bias: bytes")
    lie("overlap.safetensors",
        lambda h: h["2.bias"].update(data_offsets=h["2.weight"]["data_offsets"][:1] +
                                     [h["2.weight"]["data_offsets"][0] + 24]),
        "overlap")
    def gap(h):
        b, e = h["4.bias"]["data_offsets"]
        h["4.bias"]["data_offsets"] = [b + 4, e + 4]
    lie("gap.safetensors", gap, "4.bias: starts at byte",
        data=b"".join(tensor_bytes(v) for k, v in sd.items() if k != "4.bias") + b"\0" * 4 +
        tensor_bytes(sd["4.bias"]))
    lie("byte-count.safetensors", lambda h: h["2.weight"].update(shape=[6, 7]),
        "2.weight: 192 bytes, but [6, 7] F32 needs 168")
    lie("dtype.safetensors", lambda h: h["0.bias"].update(dtype="F99"), "0.bias: unknown dtype")
    lie("f64.safetensors", lambda h: h["0.bias"].update(dtype="F64", shape=[4]),
        "0.bias: dtype F64 is not read")
    def zero(h):
        h["zero.weight"] = {"dtype": "F32", "shape": [0, 4], "data_offsets": [0, 0]}
    lie("zero.safetensors", zero, "zero.weight: an empty tensor [0, 4]")
    lie("negative.safetensors", lambda h: h["0.weight"].update(shape=[-8, 4]), "0.weight: shape[0]")
    for bad, label in ((float("nan"), "nan"), (float("inf"), "inf")):
        body = bytearray(b"".join(tensor_bytes(v) for v in sd.values()))
        off = 4 * (8 * 4 + 8) + 4 * 5     # 2.weight[5]
        body[off:off + 4] = struct.pack("<f", bad)
        lie("%s.safetensors" % label, lambda h: None,
            "2.weight: element 5 is " + ("NaN" if label == "nan" else "infinite"), data=bytes(body))
    # Shapes that do not chain: 2.weight takes 7 inputs after 8 outputs.
    chain = dict(sd)
    chain["2.weight"] = torch.zeros(6, 7)
    write(os.path.join(HOSTILE, "no-chain.safetensors"), safetensors_bytes(chain))
    hostile.append(("no-chain.safetensors", "2.weight: [6, 7] takes 7 inputs"))
    conv = {"0.weight": torch.zeros(16, 3, 3, 3), "0.bias": torch.zeros(16)}
    write(os.path.join(HOSTILE, "conv.safetensors"), safetensors_bytes(conv))
    hostile.append(("conv.safetensors", "0.weight: shape [16, 3, 3, 3]"))
    write(os.path.join(HOSTILE, "not-json.safetensors"), struct.pack("<Q", 8) + b"{nope!!}")
    hostile.append(("not-json.safetensors", "safetensors header"))

    torch.save(mlp.state_dict(), os.path.join(HOSTILE, "model.pt"))
    hostile.append(("model.pt", "never opens"))
    torch.save(mlp.state_dict(), os.path.join(HOSTILE, "legacy.pth"),
               _use_new_zipfile_serialization=False)
    hostile.append(("legacy.pth", "never opens"))

    convnet = nn.Sequential(nn.Conv2d(1, 2, 3), nn.Flatten(), nn.Linear(8, 2))
    convnet.eval()
    torch.onnx.export(convnet, torch.zeros(1, 1, 4, 4), os.path.join(HOSTILE, "conv.onnx"))
    hostile.append(("conv.onnx", "(Conv)"))
    onnx_bytes = open(os.path.join(HERE, "mlp.onnx"), "rb").read()
    write(os.path.join(HOSTILE, "truncated.onnx"), onnx_bytes[: len(onnx_bytes) // 2])
    hostile.append(("truncated.onnx", "ONNX"))

    with open(os.path.join(HOSTILE, "hostile.tsv"), "w") as f:
        f.write("# file <TAB> a text the refusal names\n")
        for row in hostile:
            f.write("%s\t%s\n" % row)


if __name__ == "__main__":
    sys.exit(main())
