import torch
import torch.nn as nn

model = nn.Sequential(nn.Linear(50, 20), nn.ReLU(), nn.Linear(20, 5))
for p in model[0].parameters():
    p.requires_grad = False
