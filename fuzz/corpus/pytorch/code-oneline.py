nn.Sequential(nn.Linear(1_000, 0x10), nn.SiLU(), nn.Linear(16, 1), nn.Sigmoid(), nn.ELU(), nn.Softplus())
