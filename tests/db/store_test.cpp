// Round trips through the store: campaigns, golden results, trials and their faults.
#include "db/store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/db/test_support.h"

namespace npufi::db {
namespace {

using testing::ElementsAre;
using testing::HasSubstr;
using testing::MatchesRegex;

CampaignRow sample_campaign(const std::string& key) {
  CampaignRow c;
  c.name = "resnet20 fp16 sweep";
  c.key = key;
  c.spec = "[campaign]\nname = \"resnet20\"\nseed = 7\n";
  c.seed = 0xFEDCBA9876543210ull;  // above INT64_MAX: must survive SQLite's signed integers
  c.tool_version = "0.1.0";
  c.git_revision = "4bc7496";
  c.model_path = "models/resnet20.pt";
  c.model_hash = "sha256:aa11";
  c.dataset_hash = "sha256:bb22";
  c.total_trials = 123456;
  c.status = "running";
  c.created_at = "2024-05-01T12:34:56Z";
  c.updated_at = "2024-05-02T01:02:03Z";
  return c;
}

TrialRow sample_trial(int64_t index, int faults) {
  TrialRow t;
  t.trial = index;
  t.format = index % 2 ? "int8" : "bf16";
  t.ber = 1.25e-7 * double(index + 1);
  t.repetition = int(index % 5);
  t.fault_count = 3 * index + faults;
  t.images = 1000;
  t.correct = 900 - int(index);
  t.mismatches = 17 + int(index);
  t.seconds = 0.5 + double(index) / 8;
  const char* kinds[] = {"bit_flip", "stuck_at_0", "stuck_at_1"};
  for (int i = 0; i < faults; ++i) {
    // Descending indices: the stored order must be the insertion order, not a sorted one.
    const int64_t index = int64_t(1) << (40 - i);
    t.faults.push_back({"layer" + std::to_string(i) + ".weight", index, 31 - i, kinds[i % 3]});
  }
  return t;
}

std::vector<TrialRow> sample_trials(std::vector<int64_t> indices) {
  std::vector<TrialRow> trials;
  for (int64_t i : indices) trials.push_back(sample_trial(i, 2));
  return trials;
}

void expect_same_campaign(const CampaignRow& a, const CampaignRow& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.key, b.key);
  EXPECT_EQ(a.spec, b.spec);
  EXPECT_EQ(a.seed, b.seed);
  EXPECT_EQ(a.tool_version, b.tool_version);
  EXPECT_EQ(a.git_revision, b.git_revision);
  EXPECT_EQ(a.model_path, b.model_path);
  EXPECT_EQ(a.model_hash, b.model_hash);
  EXPECT_EQ(a.dataset_hash, b.dataset_hash);
  EXPECT_EQ(a.total_trials, b.total_trials);
  EXPECT_EQ(a.status, b.status);
  EXPECT_EQ(a.created_at, b.created_at);
  EXPECT_EQ(a.updated_at, b.updated_at);
}

class StoreTest : public testing::Test {
 protected:
  test::TempDir dir;
  std::string path = dir.file("npufi.db");
  Store store = Store::open(path, Store::Mode::read_write);
};

TEST_F(StoreTest, CampaignAndGoldenRoundTrip) {
  CampaignRow written = sample_campaign("key-1");
  written.id = store.create_campaign(written, {{"fp32", 10000, 9170}, {"int8", 10000, 9123}});
  EXPECT_GT(written.id, 0);

  // Read back from a fresh read-only connection, so nothing comes from a cache.
  Store reader = Store::open(path, Store::Mode::read_only);
  expect_same_campaign(*reader.campaign(written.id), written);
  expect_same_campaign(*reader.find_campaign_by_key("key-1"), written);
  ASSERT_EQ(reader.campaigns().size(), 1u);
  expect_same_campaign(reader.campaigns()[0], written);

  const std::vector<GoldenRow> golden = reader.golden(written.id);
  ASSERT_EQ(golden.size(), 2u);
  EXPECT_EQ(golden[0].format, "fp32");
  EXPECT_EQ(golden[0].images, 10000);
  EXPECT_EQ(golden[0].correct, 9170);
  EXPECT_EQ(golden[1].format, "int8");
  EXPECT_EQ(golden[1].images, 10000);
  EXPECT_EQ(golden[1].correct, 9123);
}

TEST_F(StoreTest, LayerCyclesRoundTripAndASchema4DatabaseGainsTheTable) {
  const std::vector<LayerCyclesRow> layers = {{3, 0, 0, 120}, {3, 1, 120, 700}, {4, 0, 0, 118}};
  const int64_t id = store.create_campaign(sample_campaign("key-1"), {{"npu32", 2, 2}},
                                           {{"controller", "flop", 100, 700}}, layers);
  const std::vector<LayerCyclesRow> read = Store::open(path, Store::Mode::read_only).layer_cycles(id);
  ASSERT_EQ(read.size(), 3u);
  EXPECT_EQ(read[1].image, 3);
  EXPECT_EQ(read[1].layer, 1);
  EXPECT_EQ(read[1].begin, 120);
  EXPECT_EQ(read[1].end, 700);
  EXPECT_EQ(read[2].image, 4);
  EXPECT_EQ(read[2].end, 118);

  // The same database as schema 4 wrote it: opened read-write, it is migrated and has no layer cycles.
  test::RawDb(path).exec(std::string(test::kUndoSchema6) + "DROP TABLE layer_cycles; PRAGMA user_version = 4");
  EXPECT_THROW(Store::open(path, Store::Mode::read_only), DbError);  // read-only cannot migrate
  Store migrated = Store::open(path, Store::Mode::read_write);
  EXPECT_TRUE(migrated.layer_cycles(id).empty());
  EXPECT_EQ(test::RawDb(path).value("PRAGMA user_version"), std::to_string(kSchemaVersion));
}

// RTL injections, every column; a database as schema 7 wrote it gains the baseline outcome, empty.
TEST_F(StoreTest, InjectionsRoundTripAndASchema7DatabaseGainsTheBaselineOutcome) {
  const int64_t id = store.create_campaign(sample_campaign("rtl"), {{"npu64", 2, 2}}, {{"ifm_buffer", "sram", 512, 900}});
  InjectionRow a{0, 1, "ifm_buffer", "ifm_buffer.mem[3][7]", "sram", 31, 1, "seu", 420, "masked", -1, 77, "converged",
                 "sdc_critical"};
  InjectionRow b{1, 0, "ifm_buffer_safety", "ifm_buffer_safety.g_ecc.check[0][2]", "sram", 600, 2, "mbu", 5,
                 "due_detected", 2, 900, "completed", ""};
  store.insert_injections(id, {a, b});
  const std::vector<InjectionRow> read = Store::open(path, Store::Mode::read_only).injections(id);
  ASSERT_EQ(read.size(), 2u);
  EXPECT_EQ(read[0].site, "ifm_buffer.mem[3][7]");
  EXPECT_EQ(read[0].cycle, 420);
  EXPECT_EQ(read[0].outcome, "masked");
  EXPECT_EQ(read[0].baseline_outcome, "sdc_critical");
  EXPECT_EQ(read[1].block, "ifm_buffer_safety");
  EXPECT_EQ(read[1].width, 2);
  EXPECT_EQ(read[1].first_diff_layer, 2);
  EXPECT_EQ(read[1].ended_by, "completed");
  EXPECT_EQ(read[1].baseline_outcome, "");

  test::RawDb(path).exec(std::string(test::kUndoSchema8) + "PRAGMA user_version = 7");
  EXPECT_THROW(Store::open(path, Store::Mode::read_only), DbError);
  Store migrated = Store::open(path, Store::Mode::read_write);
  EXPECT_EQ(test::RawDb(path).value("PRAGMA user_version"), std::to_string(kSchemaVersion));
  const std::vector<InjectionRow> old = migrated.injections(id);
  ASSERT_EQ(old.size(), 2u);
  EXPECT_EQ(old[0].outcome, "masked");
  EXPECT_EQ(old[0].baseline_outcome, "");
}

// Activation campaigns: their layers, each trial's outcome classes and each bit flip's image.
TEST_F(StoreTest, ActivationTrialsRoundTripAndASchema5DatabaseGainsTheColumns) {
  CampaignRow campaign = sample_campaign("act");
  campaign.activation_layers = {"conv1", "fc2"};
  const int64_t id = store.create_campaign(campaign, {{"fp16", 1000, 900}});
  TrialRow trial = sample_trial(0, 0);
  trial.masked = 950;
  trial.sdc_benign = 33;
  trial.faults = {{"conv1", 1175, 14, "bit_flip", 4321}, {"fc2", 83, 0, "stuck_at_1", std::nullopt}};
  store.insert_trials(id, {trial, sample_trial(1, 1)});

  Store reader = Store::open(path, Store::Mode::read_only);
  EXPECT_THAT(reader.campaign(id)->activation_layers, ElementsAre("conv1", "fc2"));
  const std::vector<TrialRow> read = reader.trials(id);
  ASSERT_EQ(read.size(), 2u);
  EXPECT_EQ(read[0].masked, 950);
  EXPECT_EQ(read[0].sdc_benign, 33);
  EXPECT_FALSE(read[1].masked.has_value());  // a weight trial
  EXPECT_FALSE(read[1].sdc_benign.has_value());
  const std::vector<FaultRow> faults = reader.faults(id, 0);
  ASSERT_EQ(faults.size(), 2u);
  EXPECT_EQ(faults[0].tensor, "conv1");
  EXPECT_EQ(faults[0].index, 1175);
  EXPECT_EQ(faults[0].image, 4321);
  EXPECT_FALSE(faults[1].image.has_value());  // every image
  EXPECT_FALSE(reader.faults(id, 1)[0].image.has_value());

  // A database as schema 5 wrote it: migrated on a read-write open; its campaigns are weight campaigns.
  test::RawDb(path).exec(std::string(test::kUndoSchema6) + "PRAGMA user_version = 5");
  EXPECT_THROW(Store::open(path, Store::Mode::read_only), DbError);
  Store migrated = Store::open(path, Store::Mode::read_write);
  EXPECT_EQ(test::RawDb(path).value("PRAGMA user_version"), std::to_string(kSchemaVersion));
  EXPECT_TRUE(migrated.campaign(id)->activation_layers.empty());
  EXPECT_FALSE(migrated.trials(id)[0].masked.has_value());
  EXPECT_FALSE(migrated.faults(id, 0)[0].image.has_value());
  EXPECT_EQ(migrated.faults(id, 0)[0].tensor, "conv1");
}

TEST_F(StoreTest, MissingCampaignsAreEmptyResults) {
  EXPECT_FALSE(store.campaign(42).has_value());
  EXPECT_FALSE(store.find_campaign_by_key("nope").has_value());
  EXPECT_TRUE(store.campaigns().empty());
  EXPECT_TRUE(store.golden(42).empty());
  EXPECT_TRUE(store.trials(42).empty());
}

TEST_F(StoreTest, CampaignsListedInCreationOrder) {
  const int64_t a = store.create_campaign(sample_campaign("a"), {});
  const int64_t b = store.create_campaign(sample_campaign("b"), {});
  const std::vector<CampaignRow> all = store.campaigns();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].id, a);
  EXPECT_EQ(all[0].key, "a");
  EXPECT_EQ(all[1].id, b);
  EXPECT_EQ(all[1].key, "b");
}

TEST_F(StoreTest, DuplicateCampaignKeyRejected) {
  store.create_campaign(sample_campaign("same"), {{"fp32", 1, 1}});
  try {
    store.create_campaign(sample_campaign("same"), {{"fp32", 1, 1}});
    FAIL() << "expected DbError";
  } catch (const DbError& e) {
    EXPECT_THAT(e.what(), HasSubstr(path));
    EXPECT_THAT(e.what(), HasSubstr("UNIQUE constraint failed: campaigns.key"));
  }
  EXPECT_EQ(store.campaigns().size(), 1u);
}

TEST_F(StoreTest, StoreStampsTimesWhenEmpty) {
  CampaignRow c = sample_campaign("k");
  c.created_at.clear();
  c.updated_at.clear();
  const CampaignRow stored = *store.campaign(store.create_campaign(c, {}));
  EXPECT_THAT(stored.created_at, MatchesRegex("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z"));
  EXPECT_EQ(stored.updated_at, stored.created_at);
}

TEST_F(StoreTest, SetStatusUpdatesStatusAndTime) {
  const CampaignRow c = sample_campaign("k");
  const int64_t id = store.create_campaign(c, {});
  store.set_status(id, "done");
  const CampaignRow stored = *store.campaign(id);
  EXPECT_EQ(stored.status, "done");
  EXPECT_EQ(stored.created_at, c.created_at);
  EXPECT_NE(stored.updated_at, c.updated_at);
  EXPECT_THAT(stored.updated_at, MatchesRegex("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z"));
}

TEST_F(StoreTest, SetStatusOfUnknownCampaignThrows) { EXPECT_THROW(store.set_status(42, "done"), DbError); }

TEST_F(StoreTest, TrialsAndFaultsRoundTrip) {
  const int64_t id = store.create_campaign(sample_campaign("k"), {});
  const std::vector<TrialRow> written = {sample_trial(3, 4), sample_trial(0, 0), sample_trial(1, 1)};
  store.insert_trials(id, written);

  Store reader = Store::open(path, Store::Mode::read_only);
  const std::vector<TrialRow> read = reader.trials(id);
  ASSERT_EQ(read.size(), 3u);
  const TrialRow* expected[] = {&written[1], &written[2], &written[0]};  // index order
  for (size_t i = 0; i < read.size(); ++i) {
    SCOPED_TRACE(i);
    const TrialRow& a = read[i];
    const TrialRow& b = *expected[i];
    EXPECT_EQ(a.trial, b.trial);
    EXPECT_EQ(a.format, b.format);
    EXPECT_EQ(a.ber, b.ber);
    EXPECT_EQ(a.repetition, b.repetition);
    EXPECT_EQ(a.fault_count, b.fault_count);
    EXPECT_EQ(a.images, b.images);
    EXPECT_EQ(a.correct, b.correct);
    EXPECT_EQ(a.mismatches, b.mismatches);
    EXPECT_EQ(a.seconds, b.seconds);
    EXPECT_EQ(a.accuracy(), b.accuracy());
    EXPECT_TRUE(a.faults.empty());

    const std::vector<FaultRow> faults = reader.faults(id, b.trial);
    ASSERT_EQ(faults.size(), b.faults.size());
    for (size_t f = 0; f < faults.size(); ++f) {
      EXPECT_EQ(faults[f].tensor, b.faults[f].tensor);
      EXPECT_EQ(faults[f].index, b.faults[f].index);
      EXPECT_EQ(faults[f].bit, b.faults[f].bit);
      EXPECT_EQ(faults[f].kind, b.faults[f].kind);
    }
  }
  EXPECT_TRUE(reader.faults(id, 99).empty());
}

TEST_F(StoreTest, CompletedTrialsAscendingPerCampaign) {
  const int64_t a = store.create_campaign(sample_campaign("a"), {});
  const int64_t b = store.create_campaign(sample_campaign("b"), {});
  store.insert_trials(a, sample_trials({5, 1, 3}));
  store.insert_trials(a, sample_trials({0}));
  store.insert_trials(b, sample_trials({1, 2}));
  store.insert_trials(a, {});
  EXPECT_THAT(store.completed_trials(a), ElementsAre(0, 1, 3, 5));
  EXPECT_THAT(store.completed_trials(b), ElementsAre(1, 2));
}

TEST_F(StoreTest, DuplicateTrialRejectsWholeBatch) {
  const int64_t id = store.create_campaign(sample_campaign("k"), {});
  store.insert_trials(id, sample_trials({0, 1}));
  try {
    store.insert_trials(id, sample_trials({2, 3, 1}));
    FAIL() << "expected DbError";
  } catch (const DbError& e) {
    EXPECT_THAT(e.what(), HasSubstr(path));
    EXPECT_THAT(e.what(), HasSubstr("UNIQUE constraint failed"));
  }
  EXPECT_THROW(store.insert_trials(id, sample_trials({7, 7})), DbError);  // duplicate within one batch

  EXPECT_THAT(store.completed_trials(id), ElementsAre(0, 1));
  EXPECT_TRUE(store.faults(id, 2).empty());
  EXPECT_TRUE(store.faults(id, 7).empty());
  // The store is still usable after the rejected batches.
  store.insert_trials(id, sample_trials({2}));
  EXPECT_THAT(store.completed_trials(id), ElementsAre(0, 1, 2));
}

TEST_F(StoreTest, TrialsOfUnknownCampaignRejected) {
  try {
    store.insert_trials(42, sample_trials({0}));
    FAIL() << "expected DbError";
  } catch (const DbError& e) {
    EXPECT_THAT(e.what(), HasSubstr("FOREIGN KEY constraint failed"));
  }
}

TEST_F(StoreTest, MovedStoreKeepsWorking) {
  Store moved = std::move(store);
  const int64_t id = moved.create_campaign(sample_campaign("k"), {});
  EXPECT_EQ(moved.path(), path);
  EXPECT_EQ(moved.campaign(id)->key, "k");
}

}  // namespace
}  // namespace npufi::db
