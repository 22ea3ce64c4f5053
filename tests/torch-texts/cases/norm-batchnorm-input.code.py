import torch
import torch.nn as nn

model = nn.Sequential(
    nn.BatchNorm1d(13),
    nn.Linear(13, 32),
    nn.ReLU(),
    nn.Linear(32, 1),
)
