import torch
import torch.nn as nn

def make_mlp(n_in, hidden=64, n_out=1, act=nn.ReLU):
    return nn.Sequential(
        nn.Linear(n_in, hidden),
        act(),
        nn.Linear(hidden, hidden),
        act(),
        nn.Linear(hidden, n_out),
    )

model = make_mlp(7, n_out=2, act=nn.Tanh)
