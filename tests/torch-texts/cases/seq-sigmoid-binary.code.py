import torch
import torch.nn as nn

# binary classifier for the breast cancer data set
model = nn.Sequential(
    nn.Linear(30, 16),
    nn.ReLU(),
    nn.Linear(16, 1),
    nn.Sigmoid()
)
