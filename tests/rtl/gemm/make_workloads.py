#!/usr/bin/env python3
"""Workloads of the systolic GEMM (gemm.sv): memory images with a descriptor, A and B (standard library only).

Usage: make_workloads.py OUT_DIR [COUNT]   writes OUT_DIR/w0.bin ... (64, 40, 24, 64, ... rows of A)
"""
import os
import random
import struct
import sys


def workload(path, rows, shift, seed):
    rng = random.Random(seed)
    a = [rng.randint(-128, 127) for _ in range(rows * 4)]
    b = [rng.randint(-128, 127) for _ in range(16)]
    pack = lambda v: struct.unpack("<I", struct.pack("<4b", *v))[0]
    # word 0: {M, A, B, C, shift}; A from word 16, B right after it, C at word 1024
    words = [rows, 16, 16 + rows, 1024, shift] + [0] * 11
    words += [pack(a[4 * i:4 * i + 4]) for i in range(rows)] + [pack(b[4 * k:4 * k + 4]) for k in range(4)]
    with open(path, "wb") as out:
        out.write(struct.pack("<%dI" % len(words), *words))


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    out_dir, count = sys.argv[1], int(sys.argv[2]) if len(sys.argv) == 3 else 3
    os.makedirs(out_dir, exist_ok=True)
    shapes = [(64, 6), (40, 7), (24, 5)]
    for i in range(count):
        rows, shift = shapes[i % len(shapes)]
        workload(os.path.join(out_dir, "w%d.bin" % i), rows, shift, i + 1)


if __name__ == "__main__":
    main()
