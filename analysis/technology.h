#pragma once
// A technology file: the raw failure rates of one stored bit, the input of FIT = raw rate x bits x AVF.
// Presets with their sources are in analysis/technology/*.toml; docs/statistics.md describes the format.
#include <optional>
#include <stdexcept>
#include <string>

#include "analysis/block_outcomes.h"

namespace npufi {

struct TechnologyError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// FIT (failures per 10^9 device hours) per Mbit, 1 Mbit = 10^6 bits.
struct RawRates {
  double flop = 0;
  double sram = 0;
};

struct Technology {
  std::string file;  // where it was read from
  std::string name;
  RawRates transient;                // single-event upsets
  std::optional<RawRates> permanent;  // stuck-at faults; absent when the file gives none

  // FIT of one bit; throws TechnologyError if the file gives no permanent rates and they are asked for.
  double fit_per_bit(StorageKind storage, FaultDuration duration) const;
};

// Reads name (optional), [transient] flop, sram and optionally [permanent] flop, sram: non-negative
// numbers in FIT per Mbit. Throws TechnologyError "FILE:LINE: 'key' ..." naming the file, line and key.
Technology load_technology(const std::string& path);
Technology parse_technology(const std::string& text, const std::string& path);

// analysis/technology/sea-level-typical.toml in the source tree.
std::string default_technology_path();

}  // namespace npufi
