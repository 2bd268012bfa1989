// npufi db merge at the store level: shards of one campaign put together, and what it refuses.
#include "db/merge.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "db/store.h"
#include "tests/db/test_support.h"

namespace npufi::db {
namespace {

using testing::ElementsAre;
using testing::HasSubstr;

constexpr int64_t kTotal = 10;

class MergeTest : public testing::Test {
 protected:
  // A database holding shard k/n of a campaign of kTotal trials (or `stored` of them), each with a fault.
  std::string shard(const std::string& name, int k, int n, const std::string& key = "key-a", int stored = -1) {
    const std::string path = dir_.file(name);
    Store store = Store::open(path, Store::Mode::read_write);
    CampaignRow c;
    c.name = "sweep";
    c.key = key;
    c.spec = "ber = [1e-4]\n";
    c.tool_version = "0.1.0";
    c.git_revision = "abc";
    c.model_path = "lenet5.pt";
    c.model_hash = "m";
    c.dataset_hash = "d";
    c.total_trials = kTotal;
    c.status = "done";
    c.shard_index = k;
    c.shard_count = n;
    const int64_t id = store.create_campaign(c, {{"fp32", 200, 190}});
    std::vector<TrialRow> trials;
    for (int64_t i = k - 1; i < kTotal && (stored < 0 || int(trials.size()) < stored); i += n) {
      TrialRow t;
      t.trial = i;
      t.format = "fp32";
      t.ber = 1e-4;
      t.repetition = int(i);
      t.fault_count = 1;
      t.images = 200;
      t.correct = 180 + int(i);
      t.faults = {{"conv1.weight", 100 + i, int(i % 32), "bit_flip"}};
      trials.push_back(t);
    }
    store.insert_trials(id, trials);
    return path;
  }

  test::TempDir dir_;
};

TEST_F(MergeTest, ShardsMakeTheWholeCampaign) {
  const std::string a = shard("s1.db", 1, 3), b = shard("s2.db", 2, 3), c = shard("s3.db", 3, 3);
  const std::string out = dir_.file("all.db");
  const MergeSummary summary = merge_shards(out, {c, a, b});
  EXPECT_TRUE(summary.complete());
  EXPECT_EQ(summary.stored, kTotal);
  EXPECT_TRUE(summary.missing.empty());
  Store merged = Store::open(out, Store::Mode::read_only);
  ASSERT_EQ(merged.campaigns().size(), 1u);
  const CampaignRow campaign = merged.campaigns().front();
  EXPECT_EQ(campaign.status, "done");
  EXPECT_EQ(campaign.shard_count, 1);
  EXPECT_EQ(campaign.key, "key-a");
  const std::vector<TrialRow> trials = merged.trials(campaign.id);
  ASSERT_EQ(trials.size(), size_t(kTotal));
  for (int64_t i = 0; i < kTotal; ++i) {
    EXPECT_EQ(trials[size_t(i)].trial, i);
    EXPECT_EQ(trials[size_t(i)].correct, 180 + i);
    EXPECT_EQ(merged.faults(campaign.id, i).at(0).index, 100 + i);
  }
  EXPECT_EQ(merged.golden(campaign.id).at(0).correct, 190);
  EXPECT_FALSE(std::filesystem::exists(out + ".merging"));
}

TEST_F(MergeTest, MissingAndIncompleteShardsAreReported) {
  const std::string a = shard("s1.db", 1, 4), c = shard("s3.db", 3, 4, "key-a", 1);
  const std::string out = dir_.file("part.db");
  const MergeSummary summary = merge_shards(out, {a, c});
  EXPECT_FALSE(summary.complete());
  EXPECT_EQ(summary.stored, 3 + 1);
  EXPECT_THAT(summary.missing, ElementsAre(2, 4));
  ASSERT_EQ(summary.incomplete.size(), 1u);
  EXPECT_THAT(summary.incomplete[0], HasSubstr("s3.db holds 1 of 2 of shard 3/4"));
  EXPECT_EQ(Store::open(out, Store::Mode::read_only).campaigns().front().status, "interrupted");
}

TEST_F(MergeTest, RefusesWhatCannotBeMergedAndWritesNothing) {
  const std::string a = shard("s1.db", 1, 2), b = shard("s2.db", 2, 2);
  const std::string other = shard("other.db", 2, 2, "key-b"), thirds = shard("t2.db", 2, 3);
  const std::string again = shard("s1-again.db", 1, 2);
  const std::string out = dir_.file("out.db");
  const auto refusal = [&](const std::vector<std::string>& inputs) {
    try {
      merge_shards(out, inputs);
    } catch (const DbError& e) {
      EXPECT_FALSE(std::filesystem::exists(out));
      EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos);
      return std::string(e.what());
    }
    ADD_FAILURE() << "merged";
    return std::string();
  };
  EXPECT_THAT(refusal({a, other}), HasSubstr(other + " holds campaign 'sweep' and " + a +
                                             " campaign 'sweep', whose identities differ"));
  EXPECT_THAT(refusal({a, thirds}), HasSubstr(thirds + " holds shard 2/3 and " + a + " shard 1/2"));
  EXPECT_THAT(refusal({a, b, again}), HasSubstr(again + " and " + a + " both hold shard 1/2"));
  EXPECT_THAT(refusal({a, dir_.file("nosuch.db")}), HasSubstr("nosuch.db does not exist"));
  test::write_bytes(out, "x");
  try {
    merge_shards(out, {a, b});
    ADD_FAILURE() << "merged into an existing file";
  } catch (const DbError& e) {
    EXPECT_THAT(e.what(), HasSubstr(out + " exists; db merge writes a new database"));
  }
  EXPECT_EQ(test::read_bytes(out), "x");
}

}  // namespace
}  // namespace npufi::db
