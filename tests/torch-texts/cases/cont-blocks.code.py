import torch
import torch.nn as nn

class Block(nn.Module):
    def __init__(self, n_in, n_out):
        super().__init__()
        self.linear = nn.Linear(n_in, n_out)
        self.relu = nn.ReLU()

    def forward(self, x):
        return self.relu(self.linear(x))

model = nn.Sequential(
    Block(64, 128),
    Block(128, 128),
    Block(128, 32),
    nn.Linear(32, 10),
)
