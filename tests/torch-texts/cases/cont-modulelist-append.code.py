import torch
import torch.nn as nn

class MLP(nn.Module):
    def __init__(self, sizes=(20, 64, 64, 64, 4)):
        super().__init__()
        self.layers = nn.ModuleList()
        for i in range(len(sizes) - 1):
            self.layers.append(nn.Linear(sizes[i], sizes[i + 1]))

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return x

model = MLP()
