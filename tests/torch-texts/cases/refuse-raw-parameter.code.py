import torch
import torch.nn as nn

class Scaled(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(10, 10)
        self.scale = nn.Parameter(torch.ones(10))

    def forward(self, x):
        return self.fc(x) * self.scale

model = Scaled()
