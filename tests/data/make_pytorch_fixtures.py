#!/usr/bin/python3
"""Writes networks trained in PyTorch the way a user trains them, to test that npufi evaluates them as
PyTorch does: Fashion-MNIST normalized with (x / 255 - 0.2860) / 0.3530, then

  pytorch_resnet.pt   a small ResNet (batch norm, residual adds with a 1x1 projection, adaptive average
                      pooling), exported with torch.jit.script;
  pytorch_lenet.pt    a LeNet-5 (5x5 convolutions, max pooling, linear layers), exported with torch.jit.trace;
  pytorch_accuracy.txt  each network's top-1 accuracy on the 10,000 test images as PyTorch computes it
                      (one "name correct" line per network), the figure npufi's test compares against;
  fashion_normalized.toml  the data file that tells npufi the normalization.

Needs PyTorch and NumPy (Debian: python3-torch, python3-numpy), which are not npufi dependencies; the
outputs are committed. One epoch each on 2 cores takes a few minutes.

    /usr/bin/python3 tests/data/make_pytorch_fixtures.py
"""
import gzip
import pathlib

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F

DATA = pathlib.Path("/usr/share/datasets/fashion-mnist")
HERE = pathlib.Path(__file__).parent
MEAN, STD = 0.2860, 0.3530


def read_idx(name, offset):
    with gzip.open(DATA / name, "rb") as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=offset)


def load(split):
    images = read_idx(f"{split}-images-idx3-ubyte.gz", 16).reshape(-1, 1, 28, 28)
    labels = read_idx(f"{split}-labels-idx1-ubyte.gz", 8).astype(np.int64)
    x = (torch.from_numpy(images.copy()).float() / 255 - MEAN) / STD
    return x, torch.from_numpy(labels.copy())


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.shortcut = nn.Sequential()
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + self.shortcut(x))


class SmallResNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 8, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(8)
        self.layer1 = Block(8, 8, 1)
        self.layer2 = Block(8, 16, 2)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(16, 10)

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        x = self.layer2(self.layer1(x))
        return self.fc(torch.flatten(self.pool(x), 1))


class LeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5, padding=2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = torch.flatten(x, 1)
        return self.fc3(F.relu(self.fc2(F.relu(self.fc1(x)))))


def train(model, x, y):
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    model.train()
    order = torch.randperm(len(x))
    for begin in range(0, len(x), 64):
        batch = order[begin:begin + 64]
        optimizer.zero_grad()
        F.cross_entropy(model(x[batch]), y[batch]).backward()
        optimizer.step()
    model.eval()


def correct(module, x, y):
    with torch.no_grad():
        return int(sum((module(x[b:b + 500]).argmax(1) == y[b:b + 500]).sum() for b in range(0, len(x), 500)))


def main():
    torch.manual_seed(3)
    torch.set_num_threads(2)
    train_x, train_y = load("train")
    test_x, test_y = load("t10k")
    lines = []
    for name, model, export in [("pytorch_resnet", SmallResNet(), lambda m: torch.jit.script(m)),
                                ("pytorch_lenet", LeNet(), lambda m: torch.jit.trace(m, test_x[:1]))]:
        train(model, train_x, train_y)
        module = export(model)
        torch.jit.save(module, str(HERE / f"{name}.pt"))
        n = correct(torch.jit.load(str(HERE / f"{name}.pt")), test_x, test_y)
        lines.append(f"{name} {n}\n")
        print(f"{name}.pt: top-1 {n / len(test_x):.4f} on {len(test_x)} test images")
    (HERE / "pytorch_accuracy.txt").write_text("".join(lines))
    (HERE / "fashion_normalized.toml").write_text(
        "# Fashion-MNIST as tests/data/make_pytorch_fixtures.py normalizes it for its PyTorch networks.\n"
        f'train_images = "{DATA}/train-images-idx3-ubyte.gz"\n'
        f'train_labels = "{DATA}/train-labels-idx1-ubyte.gz"\n'
        f'test_images = "{DATA}/t10k-images-idx3-ubyte.gz"\n'
        f'test_labels = "{DATA}/t10k-labels-idx1-ubyte.gz"\n'
        "\n[preprocessing]\n"
        f"mean = [{MEAN}]\nstd = [{STD}]\n")


if __name__ == "__main__":
    main()
