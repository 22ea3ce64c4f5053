import torch
import torch.nn as nn

model = nn.Sequential(
    nn.Linear(1000, 900), nn.ReLU(),
    nn.Linear(900, 800), nn.ReLU(),
    nn.Linear(800, 700), nn.ReLU(),
    nn.Linear(700, 600), nn.ReLU(),
    nn.Linear(600, 500), nn.ReLU(),
    nn.Linear(500, 400), nn.ReLU(),
    nn.Linear(400, 300), nn.ReLU(),
    nn.Linear(300, 200), nn.ReLU(),
    nn.Linear(200, 100), nn.ReLU(),
    nn.Linear(100, 10),
)
