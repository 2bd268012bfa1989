#include "injector/bit_population.h"

#include <algorithm>
#include <stdexcept>

namespace npufi {

BitPopulation::BitPopulation(std::vector<uint32_t> tensors, const std::vector<int64_t>& sizes,
                             std::vector<int> bits)
    : tensors_(std::move(tensors)), bits_(std::move(bits)) {
  if (tensors_.size() != sizes.size()) throw std::invalid_argument("BitPopulation: one size per tensor");
  uint64_t elements = 0;
  for (int64_t size : sizes) {
    first_element_.push_back(elements);
    elements += uint64_t(size);
  }
  total_bits_ = elements * bits_.size();
}

BitAddress BitPopulation::at(uint64_t position) const {
  const uint64_t element = position / bits_.size();
  const auto it = std::upper_bound(first_element_.begin(), first_element_.end(), element) - 1;
  const auto tensor = size_t(it - first_element_.begin());
  return {tensors_[tensor], int64_t(element - *it), bits_[position % bits_.size()]};
}

}  // namespace npufi
