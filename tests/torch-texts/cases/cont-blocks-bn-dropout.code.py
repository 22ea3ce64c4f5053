import torch
import torch.nn as nn

class Block(nn.Module):
    def __init__(self, n_in, n_out, p=0.1):
        super().__init__()
        self.fc = nn.Linear(n_in, n_out)
        self.bn = nn.BatchNorm1d(n_out)
        self.act = nn.ReLU()
        self.drop = nn.Dropout(p)

    def forward(self, x):
        return self.drop(self.act(self.bn(self.fc(x))))


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(Block(40, 100), Block(100, 50, p=0.3))
        self.head = nn.Linear(50, 5)

    def forward(self, x):
        return self.head(self.body(x))


model = Net()
