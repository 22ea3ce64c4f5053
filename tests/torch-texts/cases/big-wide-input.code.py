import torch
import torch.nn as nn

model = nn.Sequential(
    nn.Linear(100000, 64),
    nn.ReLU(),
    nn.Linear(64, 10),
)
