import torch
import torch.nn as nn

model = nn.Sequential(
    # input layer
    nn.Linear(100, 50),  # 100 -> 50
    nn.ReLU(),

    # hidden layer
    nn.Linear(50, 25),   # 50 -> 25
    nn.ReLU(),
    # output
    nn.Linear(25, 2)     # logits
)
