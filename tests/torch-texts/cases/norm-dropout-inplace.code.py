import torch
import torch.nn as nn

model = nn.Sequential(nn.Linear(8, 8), nn.Dropout(0.1, inplace=True), nn.Linear(8, 8))
