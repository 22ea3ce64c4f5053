import torch
import torch.nn as nn

class Pair(nn.Module):
    def __init__(self):
        super().__init__()
        self.bil = nn.Bilinear(10, 20, 5)
        self.fc = nn.Linear(5, 1)

    def forward(self, a, b):
        return self.fc(self.bil(a, b))

model = Pair()
