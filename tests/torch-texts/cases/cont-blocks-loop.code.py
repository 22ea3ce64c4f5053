import torch
import torch.nn as nn

class Block(nn.Module):
    def __init__(self, n_in, n_out):
        super().__init__()
        self.linear = nn.Linear(n_in, n_out)
        self.relu = nn.ReLU()

    def forward(self, x):
        return self.relu(self.linear(x))

blocks = [Block(16, 64)]
for _ in range(3):
    blocks.append(Block(64, 64))
blocks.append(nn.Linear(64, 1))
model = nn.Sequential(*blocks)
