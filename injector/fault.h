#pragma once
// Faults in weight memory: one entry per faulty bit of one stored word.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace npufi {

enum class FaultKind {
  bit_flip,    // transient upset: the bit is inverted for the trial
  stuck_at_0,  // permanent: the bit reads 0 for the whole evaluation
  stuck_at_1,  // permanent: the bit reads 1 for the whole evaluation
};

std::optional<FaultKind> parse_fault_kind(std::string_view name);
std::string to_string(FaultKind kind);

// The code with the fault applied.
uint32_t apply_fault(uint32_t code, int bit, FaultKind kind);

struct WeightFault {
  uint32_t tensor = 0;  // index into the model's parameter list
  int64_t index = 0;    // flat element index
  int bit = 0;          // 0 = least significant bit of the stored word
  FaultKind kind = FaultKind::bit_flip;
  friend bool operator==(const WeightFault&, const WeightFault&) = default;
};

}  // namespace npufi
