import torch
import torch.nn as nn

class Net(nn.Module):
    IN = 40
    HIDDEN = 80

    def __init__(self, classes=4):
        super().__init__()
        self.hidden = nn.Linear(self.IN, self.HIDDEN)
        self.out = nn.Linear(Net.HIDDEN, classes)

    def forward(self, x):
        return self.out(torch.relu(self.hidden(x)))

model = Net()
