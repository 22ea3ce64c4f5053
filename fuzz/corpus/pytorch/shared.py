shared = nn.Linear(16, 16)
model = nn.Sequential(nn.Linear(8, 16), shared, nn.ReLU(), shared)
