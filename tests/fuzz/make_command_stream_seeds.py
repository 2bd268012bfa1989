#!/usr/bin/env python3
"""Writes the seed corpus of the command-stream fuzz harness (corpus/command_stream): small memory images
in the format of docs/npu-command-stream.md, preceded by one byte that picks the NPU configuration."""
import os
import struct

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "command_stream")
ROWS = {0: 4, 1: 8, 2: 16, 3: 32}  # npu32 ... npu256


def command(opcode, act=0, thr=0, in_c=1, in_h=1, in_w=1, out_c=1, out_h=1, out_w=1, k=1, s=1, p=0,
            ifm=0, w=0, par=0, ofm=0):
    return struct.pack("<16I", opcode, act, thr, in_c, in_h, in_w, out_c, out_h, out_w, k, s, p, ifm, w, par, ofm)


END = command(0xFF)


def image(config, parts):
    mem = bytearray(0x800)
    for addr, data in parts:
        mem[addr:addr + len(data)] = data
    return bytes([config]) + bytes(mem)


def params(out_c, shift=-6):
    return b"".join(struct.pack("<iii", o - 1, 0x40000000, shift) for o in range(out_c))


def weights(config, out_c, k_total):
    rows = ROWS[config]
    groups = (out_c + rows - 1) // rows
    return bytes(((g * k_total + r) * 7 + p) % 251 - 125 & 0xFF
                 for g in range(groups) for r in range(k_total) for p in range(rows))


def write(name, data):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


os.makedirs(OUT, exist_ok=True)
ifm = bytes((i * 37) % 256 for i in range(64))
write("end-only", image(0, [(0, END)]))
write("conv3x3-relu", image(1, [(0, command(0x01, 1, 0, 1, 4, 4, 2, 2, 2, 3, 1, 0, 0x100, 0x200, 0x300, 0x400)),
                                (64, END), (0x100, ifm[:16]), (0x200, weights(1, 2, 9)), (0x300, params(2))]))
write("conv-stride2-pad-clip", image(2, [(0, command(0x01, 2, 40, 2, 4, 4, 3, 2, 2, 3, 2, 1, 0x100, 0x200, 0x300, 0x401)),
                                         (64, END), (0x100, ifm[:32]), (0x200, weights(2, 3, 18)), (0x300, params(3))]))
write("fc-clip-to-zero", image(3, [(0, command(0x02, 3, 20, 16, 1, 1, 4, 1, 1, 1, 1, 0, 0x100, 0x200, 0x300, 0x400)),
                                   (64, END), (0x100, ifm[:16]), (0x200, weights(3, 4, 16)), (0x300, params(4, 2))]))
write("maxpool-then-fc", image(0, [(0, command(0x03, 0, 0, 2, 4, 4, 2, 2, 2, 2, 2, 0, 0x100, 0, 0, 0x180)),
                                   (64, command(0x02, 1, 0, 8, 1, 1, 2, 1, 1, 1, 1, 0, 0x180, 0x200, 0x300, 0x400)),
                                   (128, END), (0x100, ifm[:32]), (0x200, weights(0, 2, 8)), (0x300, params(2))]))
write("misaligned-ifm", image(1, [(0, command(0x01, 0, 0, 1, 2, 2, 1, 2, 2, 1, 1, 0, 0x102, 0x200, 0x300, 0x400)),
                                  (64, END)]))
write("address-outside-memory", image(2, [(0, command(0x01, 0, 0, 1, 2, 2, 1, 2, 2, 1, 1, 0, 0xFFFFFFF0, 0x200, 0x300, 0x400)),
                                          (64, END)]))
write("illegal-opcode", image(3, [(0, command(0x07))]))
