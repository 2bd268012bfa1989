#include "injector/ber_fault_map.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

namespace npufi {
namespace {

TEST(BerFaultMap, MeanFaultCountMatchesNTimesBer) {
  // Over R draws the mean count has standard error sqrt(n p (1-p) / R); check a 99% interval.
  const uint64_t n = 2'000'000;
  for (double ber : {1e-6, 1e-5, 1e-4}) {
    const int draws = 4000;
    double sum = 0;
    for (int i = 0; i < draws; ++i) {
      CounterRng rng(42, uint64_t(i));
      sum += double(binomial_count(n, ber, rng.uniform()));
    }
    const double mean = sum / draws;
    const double expected = double(n) * ber;
    const double margin = 2.576 * std::sqrt(expected * (1 - ber) / draws);
    EXPECT_NEAR(mean, expected, margin) << "ber " << ber;
  }
}

TEST(BerFaultMap, BinomialEdgeCases) {
  EXPECT_EQ(binomial_count(1000, 0.0, 0.7), 0u);
  EXPECT_EQ(binomial_count(1000, 1.0, 0.7), 1000u);
  EXPECT_EQ(binomial_count(0, 0.5, 0.7), 0u);
  EXPECT_EQ(binomial_count(1000, 1e-4, 0.0), 0u);
  // P(X = 0) = (1 - 1e-3)^1000 = 0.3677: u below it gives 0, above it at least 1.
  EXPECT_EQ(binomial_count(1000, 1e-3, 0.36), 0u);
  EXPECT_EQ(binomial_count(1000, 1e-3, 0.37), 1u);
}

TEST(BerFaultMap, PositionsAreDistinctSortedAndInRange) {
  CounterRng rng(3, 9);
  const auto positions = distinct_positions(1000, 900, rng);
  ASSERT_EQ(positions.size(), 900u);
  EXPECT_EQ(std::set<uint64_t>(positions.begin(), positions.end()).size(), 900u);
  EXPECT_TRUE(std::is_sorted(positions.begin(), positions.end()));
  EXPECT_LT(positions.back(), 1000u);
}

TEST(BerFaultMap, PositionsAreUniform) {
  // Each of 10 positions is chosen with probability k/n = 0.3.
  std::vector<int> hits(10);
  const int draws = 20000;
  for (int i = 0; i < draws; ++i) {
    CounterRng rng(5, uint64_t(i));
    for (uint64_t p : distinct_positions(10, 3, rng)) ++hits[p];
  }
  const double sd = std::sqrt(draws * 0.3 * 0.7);
  for (int h : hits) EXPECT_NEAR(h, draws * 0.3, 4 * sd);
}

TEST(BerFaultMap, SameSeedAndTrialGiveTheSameFaults) {
  const BitPopulation population({0, 2}, {1000, 500}, {23, 24, 25, 26, 27, 28, 29, 30});
  const BerFaultMap map{1e-3, FaultKind::bit_flip, 1, 32};
  CounterRng a(11, 4), b(11, 4), c(11, 5);
  const auto fa = draw_faults(population, map, a);
  EXPECT_EQ(fa, draw_faults(population, map, b));
  EXPECT_NE(fa, draw_faults(population, map, c));
  for (const WeightFault& f : fa) {
    EXPECT_TRUE(f.tensor == 0 || f.tensor == 2);
    EXPECT_GE(f.bit, 23);
    EXPECT_LE(f.bit, 30);
  }
}

TEST(BerFaultMap, AdjacentBitsStayInTheWord) {
  const BitPopulation population({0}, {100}, {6, 7});
  CounterRng rng(1, 1);
  const auto faults = draw_faults(population, {1.0, FaultKind::bit_flip, 3, 8}, rng);
  // Every bit 6 and 7 of 100 words is hit; events starting at 6 reach 7 but not past the word's top.
  EXPECT_EQ(faults.size(), 200u);
  for (const WeightFault& f : faults) EXPECT_LT(f.bit, 8);
}

TEST(BitPopulation, MapsPositionsToTensorElementAndBit) {
  const BitPopulation population({1, 4, 5}, {3, 0, 2}, {0, 31});
  EXPECT_EQ(population.size(), 10u);
  const BitAddress a = population.at(5);  // element 2 of tensor 1, second bit
  EXPECT_EQ(a.tensor, 1u);
  EXPECT_EQ(a.index, 2);
  EXPECT_EQ(a.bit, 31);
  const BitAddress b = population.at(6);  // the empty tensor 4 is skipped
  EXPECT_EQ(b.tensor, 5u);
  EXPECT_EQ(b.index, 0);
  EXPECT_EQ(b.bit, 0);
}

}  // namespace
}  // namespace npufi
