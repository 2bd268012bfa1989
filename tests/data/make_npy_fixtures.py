#!/usr/bin/python3
"""Writes the .npy fixtures of tests/models/data_source_test.cpp with NumPy's own writer (Debian's
python3-numpy; only to make fixtures, never at run time). Value of image n, channel c, row y, column x:
(7n + 3c + 5y + x) mod 256 for 8-bit data, that divided by 8 for float data."""
import os
import numpy as np

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "npy")
os.makedirs(out, exist_ok=True)
n, c, h, w = 6, 3, 4, 5
idx = np.indices((n, c, h, w))
values = (7 * idx[0] + 3 * idx[1] + 5 * idx[2] + idx[3]) % 256

def save(name, array, version=None):
    path = os.path.join(out, name)
    if version:
        with open(path, "wb") as f:
            np.lib.format.write_array(f, array, version=version)
    else:
        np.save(path, array)

save("gray_u8.npy", values[:, 0].astype(np.uint8))                                  # N x H x W
save("rgb_u8_nchw.npy", values.astype(np.uint8))                                    # N x C x H x W
save("rgb_f32_nhwc.npy", (values / 8.0).astype(np.float32).transpose(0, 2, 3, 1))   # N x H x W x C
save("rgb_f64_nchw_v2.npy", values / 8.0, version=(2, 0))                           # float64, format 2.0
save("labels_i64.npy", np.array([0, 1, 2, 0, 1, 2], dtype=np.int64))
save("labels_u8_five.npy", np.array([0, 1, 2, 0, 1], dtype=np.uint8))              # one label short
save("labels_i32_big.npy", np.array([0, 1, 2, 0, 1, 12], dtype=np.int32))          # 12: outside 3 classes
save("rgb_i16.npy", values.astype(np.int16))                                        # not uint8 or float
save("rgb_f32_fortran.npy", np.asfortranarray((values / 8.0).astype(np.float32)))
save("rgb_f32_big_endian.npy", (values / 8.0).astype(">f4"))
with open(os.path.join(out, "rgb_u8_nchw.npy"), "rb") as f:
    whole = f.read()
with open(os.path.join(out, "rgb_u8_truncated.npy"), "wb") as f:
    f.write(whole[:-10])
