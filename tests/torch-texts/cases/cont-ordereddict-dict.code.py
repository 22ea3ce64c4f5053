import torch
import torch.nn as nn
from collections import OrderedDict

model = nn.Sequential(OrderedDict({
    "lin1": nn.Linear(3, 9),
    "act1": nn.SiLU(),
    "lin2": nn.Linear(9, 9),
    "act2": nn.SiLU(),
    "lin3": nn.Linear(9, 1),
}))
