import torch.nn as nn
class Net(nn.Module):
    def __init__(self, n_in=10, hidden=20):
        super().__init__()
        self.features = nn.Sequential(nn.Linear(n_in, hidden), nn.ReLU(), nn.Linear(hidden, 20), nn.ReLU())
        self.head = nn.Linear(20, 5)
    def forward(self, x):
        return self.head(self.features(x))
model = Net()
print(model)
