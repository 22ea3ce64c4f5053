import torch
import torch.nn as nn

model = nn.Sequential()
dims = [8, 16, 16, 4]
for i in range(len(dims) - 1):
    model.add_module(f"linear{i}", nn.Linear(dims[i], dims[i + 1]))
    if i < len(dims) - 2:
        model.add_module(f"act{i}", nn.ReLU())
