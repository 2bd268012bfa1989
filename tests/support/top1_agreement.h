#pragma once
// The fraction of images on which two classifiers give the same top-1 class: how closely an int8 network
// follows its fp32 model. Less noisy than the difference of their accuracies, and as large on every
// machine up to a few images (the fp32 model's training rounds differently on other CPUs).
#include <cstddef>
#include <cstdint>
#include <vector>

namespace npufi::test {

inline double top1_agreement(const std::vector<uint8_t>& a, const std::vector<uint8_t>& b) {
  size_t same = 0;
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) same += a[i] == b[i];
  return a.empty() || a.size() != b.size() ? 0.0 : double(same) / double(a.size());
}

}  // namespace npufi::test
