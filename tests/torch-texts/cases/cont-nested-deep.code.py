import torch
import torch.nn as nn

model = nn.Sequential(
    nn.Sequential(
        nn.Sequential(nn.Linear(6, 12), nn.ReLU()),
        nn.Linear(12, 12),
    ),
    nn.ReLU(),
    nn.Sequential(nn.Linear(12, 4)),
)
