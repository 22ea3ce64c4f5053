import torch
import torch.nn as nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.add_module('fc', nn.Linear(11, 22))
        self.add_module('act', nn.Tanh())
        self.add_module('out', nn.Linear(22, 1))

    def forward(self, x):
        return self.out(self.act(self.fc(x)))

model = Net()
