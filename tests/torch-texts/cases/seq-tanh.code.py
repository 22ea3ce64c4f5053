import torch
import torch.nn as nn

model = nn.Sequential(
    nn.Linear(64, 32),
    nn.Tanh(),
    nn.Linear(32, 10),
)
