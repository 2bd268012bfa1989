#pragma once
// The fault vocabulary every target and every stage shares, each word defined, named and parsed here
// once: RTL fault models and one RTL fault, storage kinds, fault durations, and the network-level outcome
// classes (docs/rtl-faults.md). A leaf library: the simulators, the statistics and the campaigns use it.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace npufi {

enum class RtlFaultModel { seu, mbu, stuck_at_0, stuck_at_1 };
std::string rtl_fault_model_name(RtlFaultModel model);  // "seu", "mbu", "stuck_at_0", "stuck_at_1"
std::optional<RtlFaultModel> parse_rtl_fault_model(std::string_view name);
inline bool is_permanent(RtlFaultModel model) {
  return model == RtlFaultModel::stuck_at_0 || model == RtlFaultModel::stuck_at_1;
}

struct RtlFault {
  RtlFaultModel model = RtlFaultModel::seu;
  uint64_t bit = 0;    // the site (FaultSites numbering); an MBU flips bit .. bit + width - 1 of one word
  uint32_t width = 1;  // bits hit: k for an MBU, else 1
  uint64_t cycle = 0;  // the fault acts after this many cycles of the run (0 = before the first)
};

// Where a state bit lives: a flip-flop, or a memory macro (an unpacked array with no reset value).
enum class StorageKind { flop, sram };
const char* to_string(StorageKind storage);  // "flop", "sram"
std::optional<StorageKind> parse_storage_kind(std::string_view name);

// SEU and MBU are transient, stuck-at faults permanent.
enum class FaultDuration { transient, permanent };
const char* to_string(FaultDuration duration);  // "transient", "permanent"
inline FaultDuration duration_of(RtlFaultModel model) {
  return is_permanent(model) ? FaultDuration::permanent : FaultDuration::transient;
}

// masked: outputs bit-identical and no error signal; sdc_benign: outputs differ, top-1 unchanged;
// sdc_critical: top-1 changed; due_detected: the design's error signal; due_hang: no completion within
// twice the fault-free cycle count.
enum class OutcomeClass { masked, sdc_benign, sdc_critical, due_detected, due_hang };
inline constexpr std::array<OutcomeClass, 5> kOutcomeClasses = {
    OutcomeClass::masked, OutcomeClass::sdc_benign, OutcomeClass::sdc_critical, OutcomeClass::due_detected,
    OutcomeClass::due_hang};
const char* to_string(OutcomeClass outcome);  // "masked", "sdc_critical", ...
std::optional<OutcomeClass> parse_outcome(std::string_view name);

}  // namespace npufi
