import torch
import torch.nn as nn

model = nn.Sequential(
    nn.LazyLinear(64),
    nn.ReLU(),
    nn.Linear(64, 10),
)
