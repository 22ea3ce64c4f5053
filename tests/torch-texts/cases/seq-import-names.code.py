import torch
from torch.nn import Linear, ReLU, Sequential

model = Sequential(
    Linear(13, 50),
    ReLU(),
    Linear(50, 50),
    ReLU(),
    Linear(50, 1),
)
