import torch
import torch.nn as nn

model = nn.ModuleList([
    nn.Linear(10, 10),
    nn.ReLU(),
    nn.Linear(10, 5),
])
