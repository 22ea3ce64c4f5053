import torch
import torch.nn as nn

model = nn.Sequential(
    nn.Linear(64, 32),
    nn.LeakyReLU(negative_slope=0.2),
    nn.Linear(32, 10),
)
