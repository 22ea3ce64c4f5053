import torch
import torch.nn as nn

model = nn.Sequential(
    nn.TransformerEncoderLayer(d_model=16, nhead=2, dim_feedforward=32),
    nn.Linear(16, 2),
)
