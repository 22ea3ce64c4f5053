import torch
import torch.nn as nn

model = nn.Sequential(
    nn.Linear(2**5, 2**7),
    nn.ReLU(),
    nn.Linear(2**7, int(0.5 * 128)),
    nn.ReLU(),
    nn.Linear(int(0.5 * 128), 2),
)
