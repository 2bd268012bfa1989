#include "campaigns/engine.h"

#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "campaigns/fault_planner.h"
#include "db/store.h"
#include "injector/ber_fault_map.h"
#include "injector/trial_injection.h"
#include "models/evaluator.h"
#include "models/model.h"
#include "tests/campaigns/lenet5_campaign_test.h"

namespace npufi {
namespace {

namespace fs = std::filesystem;

class EngineTest : public test::Lenet5CampaignTest {
 protected:
  static CampaignSpec spec(const std::string& extra = "") {
    const std::string text = "model = \"lenet5.pt\"\nseed = 5\nimages = \"0:300\"\nbatch_size = 100\n"
                             "formats = [\"fp32\", \"int8\"]\nber = [0, 1e-4, 1e-3]\nrepetitions = 3\n" + extra;
    return parse_campaign_spec(text, (dir_ / "c.toml").string());
  }

  // Every stored field but the duration.
  static std::string table(const std::string& db_path, int64_t id) {
    db::Store store = db::Store::open(db_path, db::Store::Mode::read_only);
    std::ostringstream out;
    for (const db::TrialRow& t : store.trials(id)) {
      out << t.trial << " " << t.format << " " << t.ber << " " << t.repetition << " " << t.fault_count << " "
          << t.images << " " << t.correct << " " << t.mismatches << ":";
      for (const db::FaultRow& f : store.faults(id, t.trial)) out << " " << f.tensor << "/" << f.index << "/" << f.bit << "/" << f.kind;
      out << "\n";
    }
    return out.str();
  }

};

TEST_F(EngineTest, ThreadCountDoesNotChangeResults) {
  const CampaignRun one = run(spec(), db("threads1.db"), 1);
  const CampaignRun two = run(spec(), db("threads2.db"), 2);
  EXPECT_TRUE(one.complete());
  EXPECT_EQ(one.total, 18);
  EXPECT_EQ(two.ran, 18);
  const std::string t1 = table(db("threads1.db"), one.campaign_id);
  EXPECT_EQ(t1, table(db("threads2.db"), two.campaign_id));
  EXPECT_NE(t1.find("int8"), std::string::npos);
  // Faults change results: some trial at BER 1e-3 differs from the fault-free model.
  db::Store store = db::Store::open(db("threads1.db"), db::Store::Mode::read_only);
  int with_mismatches = 0;
  for (const db::TrialRow& t : store.trials(one.campaign_id)) {
    if (t.ber == 0) {
      EXPECT_EQ(t.fault_count, 0);
    }
    with_mismatches += t.mismatches > 0;
  }
  EXPECT_GT(with_mismatches, 0);
}

TEST_F(EngineTest, InterruptedCampaignResumesToTheSameTable) {
  const CampaignRun whole = run(spec(), db("whole.db"), 2);
  const CampaignRun first = run(spec(), db("resumed.db"), 2, 5);
  EXPECT_FALSE(first.complete());
  EXPECT_EQ(first.ran, 5);
  {
    db::Store store = db::Store::open(db("resumed.db"), db::Store::Mode::read_only);
    EXPECT_EQ(store.campaign(first.campaign_id)->status, "interrupted");
  }
  const CampaignRun second = run(spec(), db("resumed.db"), 1);
  EXPECT_EQ(second.campaign_id, first.campaign_id);
  EXPECT_EQ(second.done_before, 5);
  EXPECT_EQ(second.ran, 13);
  EXPECT_TRUE(second.complete());
  EXPECT_EQ(table(db("resumed.db"), second.campaign_id), table(db("whole.db"), whole.campaign_id));
  // A finished campaign is not run again.
  const CampaignRun third = run(spec(), db("resumed.db"), 2);
  EXPECT_EQ(third.ran, 0);
  EXPECT_EQ(third.campaign_id, first.campaign_id);
  // A changed spec is a new campaign.
  EXPECT_NE(run(spec("adjacent_bits = 2\n"), db("resumed.db"), 2).campaign_id, first.campaign_id);
}

TEST_F(EngineTest, PrefixReuseGivesTheSameResults) {
  const CampaignSpec s = spec("targets = [\"fc*\"]\n");
  const CampaignRun cached = run(s, db("cached.db"), 2, -1, 64u << 20);
  const CampaignRun uncached = run(s, db("uncached.db"), 2, -1, 0);
  EXPECT_EQ(table(db("cached.db"), cached.campaign_id), table(db("uncached.db"), uncached.campaign_id));
}

// A data file (docs/data.md) names the images; its preprocessing is part of the campaign's identity.
TEST_F(EngineTest, DataFileAndItsPreprocessingAreTheCampaignsIdentity) {
  const std::string fmnist = "/usr/share/datasets/fashion-mnist/";
  const auto data = [&](const std::string& name, const std::string& preprocessing) {
    std::ofstream(dir_ / name) << "test_images = \"" << fmnist << "t10k-images-idx3-ubyte.gz\"\ntest_labels = \""
                               << fmnist << "t10k-labels-idx1-ubyte.gz\"\n" << preprocessing;
  };
  data("plain.toml", "");
  data("normalized.toml", "[preprocessing]\nmean = [0.286]\nstd = [0.353]\n");
  const std::string path = db("data.db");
  const CampaignRun builtin = run(spec(), path, 2);
  const CampaignRun plain = run(spec("data = \"plain.toml\"\n"), path, 2);
  const CampaignRun normalized = run(spec("data = \"normalized.toml\"\n"), path, 2);
  // The same files without preprocessing are Fashion-MNIST: the campaign is already complete.
  EXPECT_EQ(plain.campaign_id, builtin.campaign_id);
  EXPECT_EQ(plain.done_before, plain.total);
  EXPECT_NE(normalized.campaign_id, builtin.campaign_id);
  db::Store store = db::Store::open(path, db::Store::Mode::read_only);
  EXPECT_NE(store.campaign(normalized.campaign_id)->dataset_hash, store.campaign(builtin.campaign_id)->dataset_hash);
}

TEST_F(EngineTest, BadGlobLeavesNoDatabase) {
  EXPECT_THROW(run(spec("targets = [\"nosuchlayer*\"]\n"), db("never.db"), 1), SpecError);
  EXPECT_FALSE(fs::exists(db("never.db")));
}

TEST_F(EngineTest, EveryParameterIsBitIdenticalAfterATrial) {
  Model model = Model::load((dir_ / "lenet5.pt").string());
  for (NumberFormat format : {NumberFormat::fp32, NumberFormat::fp16, NumberFormat::bf16, NumberFormat::int8}) {
    Model copy = model.clone();
    WeightMemory memory(copy.parameters(), format);
    std::vector<std::vector<float>> before;
    for (const Parameter& p : copy.parameters()) before.emplace_back(p.data, p.data + p.numel);
    std::vector<uint32_t> all(before.size());
    std::vector<int64_t> sizes;
    for (uint32_t t = 0; t < all.size(); ++t) {
      all[t] = t;
      sizes.push_back(int64_t(before[t].size()));
    }
    const BitPopulation population(all, sizes, *field_bits(format, "all"));
    CounterRng rng(1, 2);
    {
      const TrialInjection injection(memory, draw_faults(population, {1e-3, FaultKind::bit_flip, 1, bit_width(format)}, rng));
      EXPECT_GT(injection.changed_words(), 10);
    }
    const std::vector<Parameter> after = copy.parameters();
    for (size_t t = 0; t < after.size(); ++t) {
      ASSERT_EQ(std::memcmp(after[t].data, before[t].data(), before[t].size() * sizeof(float)), 0)
          << to_string(format) << " " << after[t].name;
    }
  }
}

}  // namespace
}  // namespace npufi
