#pragma once
// Fault maps drawn at a bit error rate (BER).
#include <cstdint>
#include <vector>

#include "injector/bit_population.h"
#include "injector/counter_rng.h"
#include "injector/fault.h"

namespace npufi {

// The number of faulty bits among n at rate p, as the inverse binomial CDF at u in [0, 1): an exact
// Binomial(n, p) draw when u is uniform.
uint64_t binomial_count(uint64_t n, double p, double u);

// k distinct positions in [0, n), uniform, ascending (Floyd's algorithm).
std::vector<uint64_t> distinct_positions(uint64_t n, uint64_t k, CounterRng& rng);

struct BerFaultMap {
  double ber = 0;
  FaultKind kind = FaultKind::bit_flip;
  int adjacent = 1;       // bits upset per event: the drawn bit and the next adjacent-1 higher bits
  int word_bits = 32;     // width of the stored word; an event never crosses it
};

// One trial's faults: the event count is Binomial(population size, ber); events hit distinct drawn
// bits. Each event expands to `adjacent` faulty bits of the same word (fewer at the word's top).
std::vector<WeightFault> draw_faults(const BitPopulation& population, const BerFaultMap& map,
                                     CounterRng& rng);

}  // namespace npufi
