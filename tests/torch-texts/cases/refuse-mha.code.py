import torch
import torch.nn as nn

class Attn(nn.Module):
    def __init__(self):
        super().__init__()
        self.attn = nn.MultiheadAttention(embed_dim=32, num_heads=4)
        self.ff = nn.Linear(32, 32)

    def forward(self, x):
        y, _ = self.attn(x, x, x)
        return self.ff(y)

model = Attn()
