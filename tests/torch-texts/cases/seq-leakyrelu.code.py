import torch
import torch.nn as nn

model = nn.Sequential(
    nn.Linear(64, 32),
    nn.LeakyReLU(0.1),
    nn.Linear(32, 10),
)
