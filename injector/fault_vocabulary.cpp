#include "injector/fault_vocabulary.h"

namespace npufi {

std::string rtl_fault_model_name(RtlFaultModel model) {
  switch (model) {
    case RtlFaultModel::seu: return "seu";
    case RtlFaultModel::mbu: return "mbu";
    case RtlFaultModel::stuck_at_0: return "stuck_at_0";
    case RtlFaultModel::stuck_at_1: return "stuck_at_1";
  }
  return "unknown";
}

std::optional<RtlFaultModel> parse_rtl_fault_model(std::string_view name) {
  for (RtlFaultModel m : {RtlFaultModel::seu, RtlFaultModel::mbu, RtlFaultModel::stuck_at_0, RtlFaultModel::stuck_at_1})
    if (name == rtl_fault_model_name(m)) return m;
  return std::nullopt;
}

const char* to_string(StorageKind storage) { return storage == StorageKind::flop ? "flop" : "sram"; }

std::optional<StorageKind> parse_storage_kind(std::string_view name) {
  for (StorageKind s : {StorageKind::flop, StorageKind::sram})
    if (name == to_string(s)) return s;
  return std::nullopt;
}

const char* to_string(FaultDuration duration) {
  return duration == FaultDuration::transient ? "transient" : "permanent";
}

const char* to_string(OutcomeClass outcome) {
  switch (outcome) {
    case OutcomeClass::masked: return "masked";
    case OutcomeClass::sdc_benign: return "sdc_benign";
    case OutcomeClass::sdc_critical: return "sdc_critical";
    case OutcomeClass::due_detected: return "due_detected";
    case OutcomeClass::due_hang: return "due_hang";
  }
  return "?";
}

std::optional<OutcomeClass> parse_outcome(std::string_view name) {
  for (OutcomeClass outcome : kOutcomeClasses)
    if (name == to_string(outcome)) return outcome;
  return std::nullopt;
}

}  // namespace npufi
