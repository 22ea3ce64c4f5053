import torch
import torch.nn as nn

model = nn.Sequential(nn.Linear(10, 20), nn.GLU(), nn.Linear(10, 5))
