#pragma once
// What protecting a block costs is a function of its storage and logic: its flop and SRAM bits and their
// area in gate equivalents (GE, one 2-input NAND). The CLI fills it from the NPU inventory and the area
// model (rtl/sim/area_model.h); analysis/ itself knows no simulator. A protection unit is either a block
// or one register group of a block (docs/protection.md, "Granularity"); both are described by a BlockArea.
#include <cstdint>
#include <string>

#include "analysis/block_outcomes.h"

namespace npufi {

struct BlockArea {
  std::string block;    // the unit: a block ("controller") or a register group ("controller.state")
  uint64_t flop_bits = 0;
  uint64_t sram_bits = 0;
  double flop_ge = 0;   // area of its flip-flops
  double sram_ge = 0;   // area of its SRAM
  double logic_ge = 0;  // area of its modelled logic (the MACs)
  std::string parent;   // a register group's block; empty for a block
  double area() const { return flop_ge + sram_ge + logic_ge; }

  // The register group `name` of this block, which holds `bits` of this block's `storage`: that storage's
  // area in proportion to its bits, and a share of the block's logic in proportion to its share of all the
  // block's stored bits.
  BlockArea part(std::string name, StorageKind storage, uint64_t bits) const;
};

}  // namespace npufi
