import torch
import torch.nn as nn

model = nn.Sequential(nn.Linear(28*28, 64), nn.ReLU(), nn.Linear(64, 10))
