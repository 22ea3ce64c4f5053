import torch
import torch.nn as nn

model = nn.Sequential(
    nn.LayerNorm([16], eps=1e-6),
    nn.Linear(16, 48),
    nn.LayerNorm(48, eps=1e-6),
    nn.ReLU(),
    nn.Linear(48, 16),
)
