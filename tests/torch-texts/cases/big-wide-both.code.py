import torch
import torch.nn as nn

vocab = 100_000
model = nn.Sequential(
    nn.Linear(vocab, 256),
    nn.ReLU(),
    nn.Linear(256, vocab),
)
