#pragma once
// A deterministic slice of a campaign's indices, for clusters without MPI (Slurm job arrays, docs/cluster.md):
// `campaign run --shard K/N` runs the trials or injections i with i % N == K - 1 into a database of its own,
// and `npufi db merge` puts the N databases together. Striding (rather than cutting the range into N
// pieces) gives every shard the same mix of bit error rates, formats and blocks, so shards take about
// equally long.
#include <cstdint>
#include <string>
#include <vector>

namespace npufi {

struct Shard {
  int index = 1;  // K, 1-based
  int count = 1;  // N; 1 of 1 is the whole campaign

  bool whole() const { return count == 1; }
  bool holds(int64_t i) const { return i % count == index - 1; }
  // Indices of [0, total) in the shard.
  int64_t size(int64_t total) const { return total / count + (total % count > index - 1 ? 1 : 0); }
  // How many of `indices` are in the shard.
  int64_t count_in(const std::vector<int64_t>& indices) const {
    int64_t n = 0;
    for (const int64_t i : indices) n += holds(i);
    return n;
  }
  std::string text() const { return std::to_string(index) + "/" + std::to_string(count); }
  bool operator==(const Shard&) const = default;
};

// Parses "K/N" (1 <= K <= N); throws SpecError naming the flag and the value otherwise.
Shard parse_shard(const std::string& text);

}  // namespace npufi
