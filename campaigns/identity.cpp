#include "campaigns/identity.h"

#include <cstdio>
#include <fstream>
#include <string_view>

namespace npufi {

namespace {

constexpr uint64_t kFnvOffset = 0xcbf29ce484222325ull;
constexpr uint64_t kFnvPrime = 0x100000001b3ull;

uint64_t fnv1a(std::string_view bytes, uint64_t hash = kFnvOffset) {
  for (unsigned char c : bytes) hash = (hash ^ c) * kFnvPrime;
  return hash;
}

}  // namespace

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

std::string campaign_key(const std::string& canonical_spec, const std::string& model_digest,
                         const std::string& dataset_digest) {
  return hex_digest(fnv1a(canonical_spec + "|" + model_digest + "|" + dataset_digest));
}

}  // namespace npufi
