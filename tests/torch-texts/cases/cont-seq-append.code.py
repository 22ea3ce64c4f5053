import torch
import torch.nn as nn

model = nn.Sequential()
model.append(nn.Linear(5, 25))
model.append(nn.ReLU())
model.append(nn.Linear(25, 5))
