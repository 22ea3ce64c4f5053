import torch
import torch.nn as nn

class TextClassifier(nn.Module):
    def __init__(self, vocab_size=1000, embed_dim=32, num_class=4):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_dim)
        self.fc = nn.Linear(embed_dim, num_class)

    def forward(self, text):
        return self.fc(self.embedding(text).mean(dim=1))

model = TextClassifier()
