#pragma once
// An array read from a data file (.npy, IDX): its element type, its shape and its data, little-endian, in
// C order. No LibTorch here.
#include <cstdint>
#include <string>
#include <vector>

namespace npufi {

struct NumericArray {
  char kind = 0;                // 'u' unsigned, 'i' signed integer, 'f' float
  int item_bytes = 0;           // 1, 2, 4 or 8
  std::vector<int64_t> shape;
  std::vector<uint8_t> data;    // count() * item_bytes bytes

  int64_t count() const;        // product of the shape
  // Throws DatasetError("path: shape ... is too large") unless the data fit in memory (at most 2^36 bytes).
  void check_size(const std::string& path) const;
  std::string dtype() const;    // "uint8", "float32", "int64", ...
  std::string shape_text() const;  // "60000x28x28"
  // Element i as an integer (integer kinds) or as a float.
  int64_t integer(int64_t i) const;
  double real(int64_t i) const;
};

}  // namespace npufi
