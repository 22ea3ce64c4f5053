import torch
import torch.nn as nn

model = nn.Sequential(
    nn.Linear(64, 32),
    nn.SELU(),
    nn.Linear(32, 10),
)
