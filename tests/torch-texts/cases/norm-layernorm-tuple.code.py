import torch
import torch.nn as nn

model = nn.Sequential(
    nn.Linear(32, 64),
    nn.LayerNorm((64,)),
    nn.GELU(),
    nn.Linear(64, 32),
)
