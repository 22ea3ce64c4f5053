import torch
import torch.nn as nn

model = nn.Sequential(
    nn.Linear(12, 24, bias=False),
    nn.Tanh(),
    nn.Linear(24, 24, bias=True),
    nn.Tanh(),
    nn.Linear(24, 6, False),
)
