import torch
import torch.nn as nn

class GRUNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(8, 16, batch_first=True, bidirectional=True)
        self.fc = nn.Linear(32, 2)

    def forward(self, x):
        out, _ = self.gru(x)
        return self.fc(out[:, -1])

model = GRUNet()
