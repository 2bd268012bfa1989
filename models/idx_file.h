#pragma once
// IDX files (the format of MNIST and Fashion-MNIST) of any shape and element type, gzipped or not. No
// LibTorch here.
#include <string>

#include "models/numeric_array.h"

namespace npufi {

// Throws DatasetError (models/dataset.h) naming the file: not IDX, an unknown element type, a truncated
// payload or trailing bytes.
NumericArray read_idx(const std::string& path);

}  // namespace npufi
