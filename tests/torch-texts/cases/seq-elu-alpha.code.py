import torch
import torch.nn as nn

model = nn.Sequential(
    nn.Linear(64, 32),
    nn.ELU(alpha=0.5),
    nn.Linear(32, 10),
)
