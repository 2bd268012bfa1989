#include "models/numeric_array.h"

#include <cstring>

#include "models/dataset.h"

namespace npufi {

int64_t NumericArray::count() const {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

void NumericArray::check_size(const std::string& path) const {
  constexpr uint64_t kMaxBytes = uint64_t(1) << 36;
  uint64_t bytes = uint64_t(item_bytes);
  for (int64_t d : shape)
    if (d < 0 || (d > 0 && bytes > kMaxBytes / uint64_t(d)) || (bytes *= uint64_t(d)) > kMaxBytes)
      throw DatasetError(path + ": shape " + shape_text() + " of " + dtype() + " is too large");
}

std::string NumericArray::dtype() const {
  const std::string base = kind == 'u' ? "uint" : kind == 'i' ? "int" : "float";
  return base + std::to_string(8 * item_bytes);
}

std::string NumericArray::shape_text() const {
  std::string text;
  for (int64_t d : shape) {
    if (!text.empty()) text += 'x';
    text += std::to_string(d);
  }
  return text.empty() ? "scalar" : text;
}

int64_t NumericArray::integer(int64_t i) const {
  const uint8_t* p = data.data() + i * item_bytes;
  uint64_t raw = 0;
  for (int b = 0; b < item_bytes; ++b) raw |= uint64_t(p[b]) << (8 * b);
  if (kind == 'i' && item_bytes < 8 && (raw >> (8 * item_bytes - 1)) & 1) raw |= ~uint64_t(0) << (8 * item_bytes);
  return int64_t(raw);
}

double NumericArray::real(int64_t i) const {
  if (kind != 'f') return double(integer(i));
  const uint8_t* p = data.data() + i * item_bytes;
  if (item_bytes == 4) {
    float f;
    std::memcpy(&f, p, 4);
    return f;
  }
  double d;
  std::memcpy(&d, p, 8);
  return d;
}

}  // namespace npufi
