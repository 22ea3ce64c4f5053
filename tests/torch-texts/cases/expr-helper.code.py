import torch
import torch.nn as nn

def make_mlp(n_in, hidden, n_out):
    return nn.Sequential(
        nn.Linear(n_in, hidden),
        nn.ReLU(),
        nn.Linear(hidden, n_out),
    )

model = make_mlp(12, 48, 3)
