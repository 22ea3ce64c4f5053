class Net(nn.Module):
    def __init__(self, n_in=784, hidden=(256, 128), n_out=10):
        super().__init__()
        sizes = [n_in, *hidden]
        self.layers = nn.ModuleList()
        for a, b in zip(sizes[:-1], sizes[1:]):
            self.layers.append(nn.Linear(a, b))
            if b > 100:
                self.layers.append(nn.Dropout(p=0.1))
        self.add_module("head", nn.Linear(sizes[-1], n_out // 2 * 2))

model = Net(hidden=[64])
