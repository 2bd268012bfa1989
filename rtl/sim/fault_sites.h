#pragma once
// The fault sites of a design: every bit it stores in flip-flops or memories, numbered 0..total_bits()-1
// in a fixed order. Found from the design itself (state_scan.cpp gives the rule), never hand-listed.
// No Verilator header here.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "injector/fault_vocabulary.h"
#include "rtl/compiler/npu_compiler.h"

namespace npufi {


// One state variable: `words` words of `width` bits (a register has one word, a memory many).
struct StateElement {
  std::string block;  // the instance under the top, without a "u_" prefix, e.g. "controller"
  std::string path;   // block-relative path of the variable, e.g. "controller.state"
  StorageKind kind = StorageKind::flop;
  uint32_t width = 0;
  uint64_t words = 1;
  uint64_t first_bit = 0;  // number of the element's bit 0 of word 0
  uint64_t bits() const { return uint64_t(width) * words; }
};

// A bit located in its element.
struct SiteRef {
  size_t element = 0;
  uint64_t word = 0;
  uint32_t bit = 0;
};

class FaultSites {
 public:
  // Numbers the elements' bits in the given order (first_bit is assigned here).
  explicit FaultSites(std::vector<StateElement> elements);

  const std::vector<StateElement>& elements() const { return elements_; }
  uint64_t total_bits() const { return total_bits_; }
  // Throws std::out_of_range for bit >= total_bits().
  SiteRef locate(uint64_t bit) const;
  uint64_t bit_of(const SiteRef& site) const;
  // "controller.state[2]" for a register bit, "weight_buffer.mem[17][3]" for bit 3 of memory word 17.
  std::string name(uint64_t bit) const;
  // The inverse of name(); nullopt when no such site exists.
  std::optional<uint64_t> find(std::string_view name) const;

 private:
  std::vector<StateElement> elements_;
  uint64_t total_bits_ = 0;
};

// The sites of the reference NPU in one configuration.
const FaultSites& npu_fault_sites(NpuConfig config);

}  // namespace npufi
