import torch
import torch.nn as nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc2 = nn.Linear(64, 10)
        self.fc1 = nn.Linear(784, 64)

    def forward(self, x):
        return self.fc2(torch.relu(self.fc1(x)))

model = Net()
