import torch
import torch.nn as nn

model = nn.Sequential()
model.add_module('fc1', nn.Linear(24, 48))
model.add_module('relu1', nn.ReLU())
model.add_module('fc2', nn.Linear(48, 12))
model.add_module('relu2', nn.ReLU())
model.add_module('fc', nn.Linear(12, 2))
