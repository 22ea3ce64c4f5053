import torch
import torch.nn as nn

class TwoTower(nn.Module):
    def __init__(self):
        super().__init__()
        self.user = nn.Linear(10, 8)
        self.item = nn.Linear(12, 8)
        self.head = nn.Linear(16, 1)

    def forward(self, u, i):
        return self.head(torch.cat([self.user(u), self.item(i)], dim=1))

model = TwoTower()
