#pragma once
// The protection catalog: the ways a block of the NPU can be protected, each with its effect on the
// block's failure rates and its area cost. A data file (analysis/protection/catalog.toml is the shipped
// one, docs/protection.md the format), so a user changes the numbers without recompiling.
#include <stdexcept>
#include <string>
#include <vector>

#include "analysis/block_area.h"
#include "analysis/block_outcomes.h"

namespace npufi {

struct ProtectionCatalogError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// What the option is; the fault simulation models each kind (docs/protection.md). `lockstep` protects the
// whole NPU at once and is the baseline the per-block plans are compared with.
enum class ProtectionKind { none, parity, ecc, hardened, duplication, triplication, lockstep };

// What happens to the faults the option covers: nothing (no coverage), a detection (the fault becomes a
// detected error, due_detected), or a correction (the fault is masked).
enum class ProtectionAction { none, detect, correct };

// The area an option adds to a block, in GE: factors on the block's flop, SRAM and logic area, plus GE
// per flop and per SRAM bit (encoders, checkers, comparators, voters).
struct ProtectionArea {
  double flop_area = 0;
  double sram_area = 0;
  double logic_area = 0;
  double ge_per_flop_bit = 0;
  double ge_per_sram_bit = 0;
  double of(const BlockArea& block) const {
    return flop_area * block.flop_ge + sram_area * block.sram_ge + logic_area * block.logic_ge +
           ge_per_flop_bit * double(block.flop_bits) + ge_per_sram_bit * double(block.sram_bits);
  }
};

struct ProtectionOption {
  std::string name;
  ProtectionKind kind = ProtectionKind::none;
  bool flop = false;  // applies to blocks that hold flip-flops ...
  bool sram = false;  // ... and to blocks that hold SRAM
  std::vector<std::string> blocks;  // only these blocks (and their register groups); empty = any block
  // Factors on the block's raw failure rates: below 1 for hardened cells, 2 or 3 for the extra copies of
  // duplication and triplication (whose faults the comparison or vote then covers).
  double transient_rate_factor = 1;
  double permanent_rate_factor = 1;
  ProtectionAction action = ProtectionAction::none;
  double coverage = 0;   // share of the violating faults detected or corrected (single-point DC)
  double dc_latent = 0;  // share of those whose latency is covered as well (latent-fault DC)
  ProtectionArea area;
  int line = 0;  // where it is defined in the file

  // Whether the option can protect this unit: it applies to every storage kind the unit holds, and
  // `blocks`, when given, names the unit or, for a register group, its block.
  bool applies_to(const BlockArea& block) const;
};

struct ProtectionCatalog {
  std::string file;
  std::string name;
  std::vector<ProtectionOption> options;  // in file order; exactly one of kind lockstep
  const ProtectionOption& lockstep() const;
};

const char* to_string(ProtectionKind kind);      // "none", "parity", "ecc", ...
const char* to_string(ProtectionAction action);  // "none", "detect", "correct"

// Reads name (optional) and [[option]] tables: name, kind, applies_to, blocks, transient_rate_factor,
// permanent_rate_factor, action, coverage, dc_latent and an [option.area] table (docs/protection.md).
// Throws ProtectionCatalogError "FILE:LINE: 'key' ..." naming the file, line and key at fault.
ProtectionCatalog load_protection_catalog(const std::string& path);
ProtectionCatalog parse_protection_catalog(const std::string& text, const std::string& path);

// analysis/protection/catalog.toml in the source tree.
std::string default_protection_catalog_path();

}  // namespace npufi
