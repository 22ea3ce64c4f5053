import torch
import torch.nn as nn

model = nn.ModuleDict({
    "hidden": nn.Linear(5, 10),
    "act": nn.ReLU(),
    "output": nn.Linear(10, 2),
})
