import torch
import torch.nn as nn
from collections import OrderedDict

encoder = nn.Sequential(
    nn.Linear(100, 40),
    nn.ReLU(),
    nn.Linear(40, 8),
)
decoder = nn.Sequential(
    nn.Linear(8, 40),
    nn.ReLU(),
    nn.Linear(40, 100),
)
model = nn.Sequential(OrderedDict([('encoder', encoder), ('decoder', decoder)]))
