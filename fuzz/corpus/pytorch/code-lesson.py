import torch
import torch.nn as nn

# the lesson's network
model = nn.Sequential(
    nn.Linear(10, 18),   # hidden 1
    nn.ReLU(),
    nn.Linear(18, 20, bias=False),
    torch.nn.Tanh(),
    nn.Linear(in_features=20, out_features=5),
)
print(sum(p.numel() for p in model.parameters()))
