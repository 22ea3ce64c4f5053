import torch
import torch.nn as nn

use_norm = False
model = nn.Sequential(
    nn.Linear(12, 24),
    nn.LayerNorm(24) if use_norm else nn.Identity(),
    nn.ReLU(),
    nn.Linear(24, 6),
)
