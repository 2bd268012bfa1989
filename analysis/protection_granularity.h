#pragma once
// What a protection plan chooses an option for: each block of the NPU, or each register group (one state
// element of the design: a register such as controller.state, or a memory). docs/protection.md,
// "Granularity".
#include <optional>
#include <string_view>

namespace npufi {

enum class Granularity { block, register_group };

// "block", "register"
inline const char* to_string(Granularity granularity) {
  return granularity == Granularity::block ? "block" : "register";
}

inline std::optional<Granularity> parse_granularity(std::string_view text) {
  if (text == "block") return Granularity::block;
  if (text == "register") return Granularity::register_group;
  return std::nullopt;
}

}  // namespace npufi
