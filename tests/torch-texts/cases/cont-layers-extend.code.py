import torch
import torch.nn as nn

widths = [50, 40, 30, 20]
layers = []
prev = 60
for w in widths:
    layers += [nn.Linear(prev, w), nn.ReLU()]
    prev = w
layers.extend([nn.Linear(prev, 1), nn.Sigmoid()])
model = nn.Sequential(*layers)
