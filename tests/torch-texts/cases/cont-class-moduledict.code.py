import torch
import torch.nn as nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.ModuleDict({
            "fc1": nn.Linear(30, 60),
            "relu": nn.ReLU(),
            "fc2": nn.Linear(60, 2),
        })

    def forward(self, x):
        for name in ["fc1", "relu", "fc2"]:
            x = self.layers[name](x)
        return x

model = Net()
