#include "campaigns/shard.h"

#include <charconv>

#include "campaigns/spec.h"

namespace npufi {

Shard parse_shard(const std::string& text) {
  Shard shard;
  const size_t slash = text.find('/');
  const auto number = [&](size_t begin, size_t end, int& out) {
    const auto [ptr, ec] = std::from_chars(text.data() + begin, text.data() + end, out);
    return ec == std::errc() && ptr == text.data() + end && end > begin;
  };
  if (slash == std::string::npos || !number(0, slash, shard.index) || !number(slash + 1, text.size(), shard.count) ||
      shard.index < 1 || shard.index > shard.count)
    throw SpecError("--shard '" + text + "' must be K/N with 1 <= K <= N, e.g. 3/8");
  return shard;
}

}  // namespace npufi
