import torch
import torch.nn as nn

model = nn.Sequential(
    nn.Flatten(),
    nn.Linear(100, 200),
    nn.BatchNorm1d(200),
    nn.PReLU(200),
    nn.Dropout(0.3),
    nn.Linear(200, 100),
    nn.LayerNorm(100),
    nn.ReLU(),
    nn.Identity(),
    nn.Linear(100, 10),
    nn.LogSoftmax(dim=1),
)
