#include "injector/counter_rng.h"

namespace npufi {

namespace {

// SplitMix64's output function: a bijective 64-bit mixer.
uint64_t mix(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

constexpr uint64_t kGolden = 0x9e3779b97f4a7c15ull;

}  // namespace

CounterRng::CounterRng(uint64_t seed, uint64_t index) : state_(mix(mix(seed + kGolden) ^ index)) {}

uint64_t CounterRng::next() {
  state_ += kGolden;
  return mix(state_);
}

double CounterRng::uniform() { return double(next() >> 11) * 0x1.0p-53; }

uint64_t CounterRng::below(uint64_t n) {
  const uint64_t limit = UINT64_MAX - UINT64_MAX % n;  // reject the incomplete top block
  uint64_t x;
  do {
    x = next();
  } while (x >= limit);
  return x % n;
}

}  // namespace npufi
