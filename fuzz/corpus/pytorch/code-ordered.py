from collections import OrderedDict
import torch.nn as nn

model = nn.Sequential(OrderedDict([
    ("fc1", nn.Linear(8, 4)),
    ("relu", nn.ReLU()),
    ('out', nn.Linear(4, 2, bias=False)),
    ("sm", nn.Softmax(dim=-1)),
]))
