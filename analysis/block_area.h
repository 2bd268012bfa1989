#pragma once
// What protecting a block costs is a function of its storage and logic: its flop and SRAM bits and their
// area in gate equivalents (GE, one 2-input NAND). The CLI fills it from the NPU inventory and the area
// model (rtl/sim/area_model.h); analysis/ itself knows no simulator.
#include <cstdint>
#include <string>

namespace npufi {

struct BlockArea {
  std::string block;
  uint64_t flop_bits = 0;
  uint64_t sram_bits = 0;
  double flop_ge = 0;   // area of its flip-flops
  double sram_ge = 0;   // area of its SRAM
  double logic_ge = 0;  // area of its modelled logic (the MACs)
  double area() const { return flop_ge + sram_ge + logic_ge; }
};

}  // namespace npufi
