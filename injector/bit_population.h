#pragma once
// The bits a campaign may hit: every selected bit position of every element of the target tensors,
// numbered 0..size()-1 so that a fault map can draw positions uniformly.
#include <cstdint>
#include <vector>

namespace npufi {

struct BitAddress {
  uint32_t tensor = 0;  // index into the model's parameter list
  int64_t index = 0;
  int bit = 0;
};

class BitPopulation {
 public:
  // tensors: parameter-list indices with their element counts; bits: the selected bit positions.
  BitPopulation(std::vector<uint32_t> tensors, const std::vector<int64_t>& sizes, std::vector<int> bits);

  uint64_t size() const { return total_bits_; }
  BitAddress at(uint64_t position) const;

 private:
  std::vector<uint32_t> tensors_;
  std::vector<uint64_t> first_element_;  // running element count before each tensor
  std::vector<int> bits_;
  uint64_t total_bits_ = 0;
};

}  // namespace npufi
