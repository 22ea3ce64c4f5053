import torch
import torch.nn as nn

hidden = 256
model = nn.Sequential(
    nn.Linear(32, hidden),
    nn.ReLU(),
    nn.Linear(hidden, hidden // 2),
    nn.ReLU(),
    nn.Linear(hidden // 2, hidden // 4),
    nn.ReLU(),
    nn.Linear(hidden // 4, 1),
)
