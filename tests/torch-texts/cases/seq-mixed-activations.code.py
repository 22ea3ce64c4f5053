import torch
import torch.nn as nn

model = nn.Sequential(
    nn.Linear(16, 32), nn.ReLU(),
    nn.Linear(32, 32), nn.Tanh(),
    nn.Linear(32, 32), nn.GELU(),
    nn.Linear(32, 32), nn.SiLU(),
    nn.Linear(32, 32), nn.LeakyReLU(0.1),
    nn.Linear(32, 32), nn.ELU(),
    nn.Linear(32, 32), nn.Softplus(),
    nn.Linear(32, 4), nn.Softmax(dim=1),
)
