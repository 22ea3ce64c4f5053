import torch
import torch.nn as nn

model = nn.Sequential(
    nn.Linear(20, 64),
    nn.BatchNorm1d(64, track_running_stats=False),
    nn.ReLU(),
    nn.Linear(64, 2),
)
