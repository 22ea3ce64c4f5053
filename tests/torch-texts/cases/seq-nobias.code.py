import torch
import torch.nn as nn

model = nn.Sequential(
    nn.Linear(20, 40, bias=False),
    nn.ReLU(),
    nn.Linear(40, 40, bias=False),
    nn.ReLU(),
    nn.Linear(40, 2, bias=False),
)
