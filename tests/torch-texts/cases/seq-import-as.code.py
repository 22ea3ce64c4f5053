import torch
import torch.nn as tnn

model = tnn.Sequential(tnn.Linear(6, 12), tnn.Sigmoid(), tnn.Linear(12, 2))
