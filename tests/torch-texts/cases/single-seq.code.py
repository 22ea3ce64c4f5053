import torch
import torch.nn as nn

model = nn.Sequential(nn.Linear(3, 1))
