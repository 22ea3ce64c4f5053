import torch
import torch.nn as nn

layers = [nn.Linear(100, 512), nn.ReLU()]
for _ in range(8):
    layers += [nn.Linear(512, 512), nn.ReLU()]
layers.append(nn.Linear(512, 10))
model = nn.Sequential(*layers)
