import torch
import torch.nn as nn

model = nn.Sequential(nn.Linear(10, 30), nn.PReLU(num_parameters=30), nn.Linear(30, 1))
