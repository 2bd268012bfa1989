#pragma once
// ASIL targets of ISO 26262-5 for the hardware architectural metrics, and the verdict of a set of
// metrics against them.
#include <optional>
#include <string>

#include "analysis/fmeda.h"

namespace npufi {

enum class Asil { A, B, C, D };

std::optional<Asil> parse_asil(const std::string& name);  // "A" .. "D", also "ASIL-D", lower case too
std::string to_string(Asil asil);                         // "ASIL-D"

// Fractions and FIT; absent = no target at that ASIL.
struct AsilTargets {
  std::optional<double> spfm;      // SPFM >= this
  std::optional<double> lfm;       // LFM >= this
  std::optional<double> pmhf_fit;  // PMHF < this
};

// D: 99 %, 90 %, 10 FIT; C: 97 %, 80 %, 100 FIT; B: 90 %, 60 %, 100 FIT; A: 1000 FIT only.
AsilTargets asil_targets(Asil asil);

struct Verdict {
  Asil asil = Asil::D;
  bool met = false;
  // One line, e.g. "npu64 misses ASIL-D: SPFM 97.1% (95% lower bound 96.8%) < 99%".
  std::string message;
};

// Judges the bounds (SPFM and LFM lower bounds, PMHF upper bound), not the point estimates. `item` names
// what was analysed, e.g. the NPU configuration.
Verdict asil_verdict(const std::string& item, const SafetyMetrics& metrics, Asil asil, double confidence);

}  // namespace npufi
