// Sequential sampling rounds: blocks leave when their interval is narrow enough; the budget caps it all.
#include "campaigns/sequential_schedule.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace npufi {
namespace {

using ::testing::HasSubstr;

TEST(SequentialSchedule, RoundsGoToTheBlocksStillAboveTheMargin) {
  SequentialSettings settings;
  settings.margin = 0.05;
  settings.round_size = 300;
  settings.budget = 10000;
  SequentialSchedule schedule(settings, 3);
  std::vector<BlockTally> tallies(3);

  // Round 1: nothing known, 100 injections per block, numbered 0..299, k from 0 in each block.
  const auto first = schedule.next_round(tallies);
  ASSERT_EQ(first.size(), 300u);
  EXPECT_EQ(first[0].block, 0u);
  EXPECT_EQ(first[100].block, 1u);
  EXPECT_EQ(first[100].k, 0u);
  EXPECT_EQ(first[299].index, 299);

  // Block 0 saw no event in 100: Clopper-Pearson 95% [0, 3.62%], half-width 1.81% <= 5%: done.
  // Block 1 saw 50 in 100: [39.8%, 60.2%], half-width 10.2%: open. Block 2 saw 5 in 100: [1.64%, 11.28%],
  // half-width 4.82%: done.
  tallies = {{100, 0}, {100, 50}, {100, 5}};
  EXPECT_NEAR(schedule.half_width(tallies[0]), 0.0181, 0.0002);
  EXPECT_NEAR(schedule.half_width(tallies[2]), 0.0482, 0.0002);
  const auto second = schedule.next_round(tallies);
  ASSERT_EQ(second.size(), 300u);
  for (const auto& s : second) EXPECT_EQ(s.block, 1u);
  EXPECT_EQ(second.front().index, 300);
  EXPECT_EQ(second.front().k, 100u);  // block 1's 101st injection

  // 250 of 500: about 1.96 x sqrt(0.25 / 500) = 4.4% (exact interval a little wider, still < 5%): every
  // block is within the margin.
  tallies[1] = {500, 250};
  EXPECT_LT(schedule.half_width(tallies[1]), 0.05);
  EXPECT_GT(schedule.half_width(tallies[1]), 0.0438);
  EXPECT_TRUE(schedule.next_round(tallies).empty());
  EXPECT_THAT(schedule.stop_reason(), HasSubstr("at most 0.05 at 95% confidence (2 rounds, 600 injections)"));
}

TEST(SequentialSchedule, TheBudgetEndsIt) {
  SequentialSettings settings;
  settings.margin = 0.001;
  settings.round_size = 100;
  settings.budget = 250;
  SequentialSchedule schedule(settings, 2);
  std::vector<BlockTally> tallies(2);
  EXPECT_EQ(schedule.next_round(tallies).size(), 100u);
  tallies = {{50, 1}, {50, 1}};
  EXPECT_EQ(schedule.next_round(tallies).size(), 100u);
  tallies = {{100, 2}, {100, 2}};
  EXPECT_EQ(schedule.next_round(tallies).size(), 50u);  // only what is left of the budget
  tallies = {{150, 3}, {100, 2}};
  EXPECT_TRUE(schedule.next_round(tallies).empty());
  EXPECT_THAT(schedule.stop_reason(), HasSubstr("budget of 250 injections is spent (3 rounds) with 2 block(s)"));
}

}  // namespace
}  // namespace npufi
