import torch
import torch.nn as nn

model = nn.Sequential(nn.Linear(5, 7), nn.Linear(7, 3))
