x = [nn.ReLU]
x.append(x)
model = nn.Sequential(nn.Linear(2, 2))
