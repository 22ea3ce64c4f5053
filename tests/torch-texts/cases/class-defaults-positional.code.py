import torch
import torch.nn as nn

class Net(nn.Module):
    def __init__(self, n_in=784, n_hidden=128, n_out=10):
        super().__init__()
        self.fc1 = nn.Linear(n_in, n_hidden)
        self.act = nn.ReLU()
        self.fc2 = nn.Linear(n_hidden, n_out)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))

model = Net(20, 30, 5)
