import torch
import torch.nn as nn
from collections import OrderedDict

input_size = 28 * 28
hidden = [256, 128]

def make_mlp(n_in, sizes, n_out, p=0.2):
    layers = []
    for a, b in zip([n_in] + sizes[:-1], sizes):
        layers += [nn.Linear(a, b), nn.BatchNorm1d(b), nn.ReLU(), nn.Dropout(p)]
    layers.append(nn.Linear(sizes[-1], n_out))
    return nn.Sequential(*layers)

class AE(nn.Module):
    def __init__(self, d=input_size, z=32):
        super(AE, self).__init__()
        self.encoder = make_mlp(d, hidden, z)
        self.decoder = nn.Sequential(OrderedDict({"fc": nn.Linear(z, 128), "act": nn.PReLU(), "out": nn.Linear(128, d)}))
        self.blocks = nn.ModuleList([nn.Linear(d, d // 784) for _ in range(1)])

model = AE()
