import torch
import torch.nn as nn

h = 16
model = nn.Sequential(
    nn.Linear(h, 2 * h + 1),
    nn.Tanh(),
    nn.Linear(2 * h + 1, (h + 1) * 2),
    nn.Tanh(),
    nn.Linear((h + 1) * 2, h - 6),
)
