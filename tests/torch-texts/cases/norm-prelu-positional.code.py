import torch
import torch.nn as nn

model = nn.Sequential(
    nn.Linear(10, 30), nn.PReLU(30),
    nn.Linear(30, 30), nn.PReLU(init=0.1),
    nn.Linear(30, 1),
)
