import torch
import torch.nn as nn

n_in, hidden, n_out, n_layers = 10, 32, 2, 3

layers = []
layers.append(nn.Linear(n_in, hidden))
layers.append(nn.ReLU())
for _ in range(n_layers - 1):
    layers.append(nn.Linear(hidden, hidden))
    layers.append(nn.ReLU())
layers.append(nn.Linear(hidden, n_out))
model = nn.Sequential(*layers)
