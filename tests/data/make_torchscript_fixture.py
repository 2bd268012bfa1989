#!/usr/bin/python3
"""Writes tiny_torchscript.pt: a small seeded CNN for 1x28x28 images and 10 classes, saved by
torch.jit.save, to test npufi's TorchScript import. Needs PyTorch (Debian: python3-torch), which is
not an npufi dependency; the .pt file is committed.

    /usr/bin/python3 tests/data/make_torchscript_fixture.py
"""
import pathlib

import torch
from torch import nn


class TinyCnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 4, kernel_size=3)  # 28 -> 26
        self.pool = nn.MaxPool2d(2)                 # 26 -> 13
        self.fc = nn.Linear(4 * 13 * 13, 10)

    def forward(self, x):
        x = self.pool(torch.relu(self.conv(x)))
        return self.fc(torch.flatten(x, 1))


def main():
    torch.manual_seed(7)
    module = torch.jit.script(TinyCnn().eval())
    out = pathlib.Path(__file__).with_name("tiny_torchscript.pt")
    torch.jit.save(module, str(out))
    print(f"{out}: {out.stat().st_size} bytes")


if __name__ == "__main__":
    main()
