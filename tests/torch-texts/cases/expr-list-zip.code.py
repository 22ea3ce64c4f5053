import torch
import torch.nn as nn

sizes = [784, 512, 256, 10]
layers = []
for n_in, n_out in zip(sizes[:-1], sizes[1:]):
    layers.append(nn.Linear(n_in, n_out))
    layers.append(nn.ReLU())
layers.pop()  # no activation after the last layer
model = nn.Sequential(*layers)
