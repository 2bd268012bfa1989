#pragma once
// Turns an NPU inventory (rtl/sim/npu_inventory.h) into area: gate equivalents per flop bit, SRAM bit and
// MAC, read from a data file (rtl/area-model.toml documents its figures and sources).
#include <map>
#include <stdexcept>
#include <string>

#include "rtl/sim/npu_inventory.h"

namespace npufi {

struct AreaModelError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Gate equivalents (GE: one 2-input NAND).
struct AreaModel {
  double flop_bit = 0;
  double sram_bit = 0;
  double mac = 0;                       // per MAC of the reference NPU
  std::map<std::string, double> logic;  // logic outside the storage, per block (designs brought by the user)
  // The modelled logic of a block: its MACs and its listed logic.
  double logic_area(const BlockStorage& block) const {
    const auto listed = logic.find(block.block);
    return mac * double(block.macs) + (listed == logic.end() ? 0.0 : listed->second);
  }
  double area(const BlockStorage& block) const {
    return flop_bit * double(block.flop_bits) + sram_bit * double(block.sram_bits) + logic_area(block);
  }
};

// Reads [gate_equivalents] flop_bit, sram_bit (positive numbers), mac (optional, >= 0) and the optional
// table [logic] of block names to GE (>= 0). Throws AreaModelError naming the file and the key.
AreaModel load_area_model(const std::string& path);
// rtl/area-model.toml in the source tree.
std::string default_area_model_path();

}  // namespace npufi
