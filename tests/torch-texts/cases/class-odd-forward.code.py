import torch
import torch.nn as nn

class Weird(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Linear(9, 9)
        self.b = nn.Linear(9, 4)

    def forward(self, x):
        for _ in range(3):
            x = torch.tanh(self.a(x))
        return self.b(x) * 2 + 1

model = Weird()
