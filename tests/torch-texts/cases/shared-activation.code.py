import torch
import torch.nn as nn

act = nn.ReLU()
model = nn.Sequential(nn.Linear(6, 6), act, nn.Linear(6, 6), act, nn.Linear(6, 1))
