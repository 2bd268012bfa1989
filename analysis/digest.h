#pragma once
// Content digests (64-bit FNV-1a, as 16 hex digits): what identifies a campaign's inputs and a design
// build's.
#include <cstdint>
#include <string>
#include <string_view>

namespace npufi {

inline constexpr uint64_t kFnvOffset = 0xcbf29ce484222325ull;

// Continues `hash` over `bytes`.
uint64_t fnv1a(std::string_view bytes, uint64_t hash = kFnvOffset);
std::string hex_digest(uint64_t value);
// The digest of a file's bytes (of no bytes when it cannot be read).
std::string file_digest(const std::string& path);

}  // namespace npufi
