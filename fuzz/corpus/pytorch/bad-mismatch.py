model = nn.Sequential(
    nn.Linear(10, 18),
    nn.ReLU(),
    nn.Linear(18, 20),
    nn.Linear(19, 5),
)
