#include "injector/fault.h"

namespace npufi {

std::optional<FaultKind> parse_fault_kind(std::string_view name) {
  if (name == "bit_flip") return FaultKind::bit_flip;
  if (name == "stuck_at_0") return FaultKind::stuck_at_0;
  if (name == "stuck_at_1") return FaultKind::stuck_at_1;
  return std::nullopt;
}

std::string to_string(FaultKind kind) {
  switch (kind) {
    case FaultKind::bit_flip: return "bit_flip";
    case FaultKind::stuck_at_0: return "stuck_at_0";
    case FaultKind::stuck_at_1: return "stuck_at_1";
  }
  return "?";
}

uint32_t apply_fault(uint32_t code, int bit, FaultKind kind) {
  const uint32_t mask = 1u << bit;
  switch (kind) {
    case FaultKind::bit_flip: return code ^ mask;
    case FaultKind::stuck_at_0: return code & ~mask;
    case FaultKind::stuck_at_1: return code | mask;
  }
  return code;
}

}  // namespace npufi
