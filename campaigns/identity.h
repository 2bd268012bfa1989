#pragma once
// Content digests that identify a campaign: the same spec, model file and images give the same key,
// which is how `campaign run` finds a campaign to resume.
#include <cstdint>
#include <string>

namespace npufi {

// 64-bit FNV-1a of a file's bytes, as 16 hex digits.
std::string file_digest(const std::string& path);
std::string hex_digest(uint64_t value);
std::string campaign_key(const std::string& canonical_spec, const std::string& model_digest,
                         const std::string& dataset_digest);

}  // namespace npufi
