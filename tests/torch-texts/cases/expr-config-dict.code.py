import torch
import torch.nn as nn

config = {"input_dim": 13, "hidden_dim": 64, "output_dim": 3}

model = nn.Sequential(
    nn.Linear(config["input_dim"], config["hidden_dim"]),
    nn.ReLU(),
    nn.Linear(config["hidden_dim"], config["output_dim"]),
)
