import torch
import torch.nn as nn

class MLP(nn.Module):
    """A small multi-layer perceptron."""

    def __init__(self, n_in: int = 32, n_hidden: int = 64, n_out: int = 8) -> None:
        super().__init__()
        self.net = nn.Sequential(
            nn.Linear(n_in, n_hidden),
            nn.ReLU(),
            nn.Linear(n_hidden, n_out),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x)

model = MLP()
