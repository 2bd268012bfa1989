#include "analysis/digest.h"

#include <cstdio>
#include <fstream>

namespace npufi {

uint64_t fnv1a(std::string_view bytes, uint64_t hash) {
  constexpr uint64_t kFnvPrime = 0x100000001b3ull;
  for (unsigned char c : bytes) hash = (hash ^ c) * kFnvPrime;
  return hash;
}

std::string hex_digest(uint64_t value) {
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", (unsigned long long)value);
  return text;
}

std::string file_digest(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  uint64_t hash = kFnvOffset;
  char buffer[1 << 16];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) hash = fnv1a({buffer, size_t(in.gcount())}, hash);
  return hex_digest(hash);
}

}  // namespace npufi
