import torch
import torch.nn as nn

model = nn.Sequential(
    nn.Linear(10, 18).requires_grad_(False),
    nn.ReLU(),
    nn.Linear(18, 2),
)
