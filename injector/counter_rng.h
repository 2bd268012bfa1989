#pragma once
// Counter-based randomness: the stream for (seed, index) is a pure function of those two numbers, so a
// trial's faults do not depend on thread count, scheduling or interruptions.
#include <cstdint>

namespace npufi {

class CounterRng {
 public:
  CounterRng(uint64_t seed, uint64_t index);

  uint64_t next();
  // Uniform in [0, 1), 53 bits.
  double uniform();
  // Uniform in [0, n), without modulo bias. n > 0.
  uint64_t below(uint64_t n);

 private:
  uint64_t state_;
};

}  // namespace npufi
