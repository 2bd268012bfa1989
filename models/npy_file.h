#pragma once
// NumPy .npy files (format versions 1 to 3, as numpy.save writes them), read without Python. No LibTorch
// here.
#include <string>

#include "models/numeric_array.h"

namespace npufi {

// Throws DatasetError (models/dataset.h) naming the file and what is wrong: not an .npy file, a dtype
// other than little-endian integers and floats, Fortran order, a truncated or oversized payload.
NumericArray read_npy(const std::string& path);

}  // namespace npufi
