#pragma once
// What a protection plan chooses an option for: each block of the NPU, or each register group (one state
// element of the design: a register such as controller.state, or a memory). docs/protection.md,
// "PlanGranularity".
#include <optional>
#include <string_view>

namespace npufi {

enum class PlanGranularity { block, register_group };

// "block", "register"
inline const char* to_string(PlanGranularity granularity) {
  return granularity == PlanGranularity::block ? "block" : "register";
}

inline std::optional<PlanGranularity> parse_plan_granularity(std::string_view text) {
  if (text == "block") return PlanGranularity::block;
  if (text == "register") return PlanGranularity::register_group;
  return std::nullopt;
}

}  // namespace npufi
