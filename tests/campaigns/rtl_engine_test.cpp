// RTL campaigns through the engine: listed faults including one that hangs the NPU (the campaign goes
// on), and results that do not depend on the thread count.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "campaigns/engine.h"
#include "db/store.h"
#include "models/model.h"

namespace npufi {
namespace {

namespace fs = std::filesystem;

class RtlEngineTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = fs::temp_directory_path() / ("npufi_rtl_engine_test_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    Model::create("lenet5", 5).save((dir_ / "lenet5.pt").string());
  }
  static void TearDownTestSuite() { fs::remove_all(dir_); }

  static CampaignSpec spec(const std::string& body) {
    return parse_campaign_spec("target = \"rtl\"\nmodel = \"lenet5.pt\"\nnpu = \"npu32\"\ncalibration = 50\n"
                               "images = \"0:2\"\n" + body,
                               (dir_ / "r.toml").string());
  }
  static std::vector<db::InjectionRow> run(const CampaignSpec& s, const std::string& name, int threads) {
    EngineOptions options;
    options.threads = threads;
    std::ostringstream log;
    const CampaignRun r = run_campaign(s, (dir_ / name).string(), options, log);
    EXPECT_TRUE(r.complete());
    db::Store store = db::Store::open((dir_ / name).string(), db::Store::Mode::read_only);
    return store.injections(r.campaign_id);
  }
  static fs::path dir_;
};

fs::path RtlEngineTest::dir_;

TEST_F(RtlEngineTest, AHangIsClassifiedAndTheCampaignGoesOn) {
  const auto rows = run(spec(R"(
[[fault]]
site = "controller.state[3]"
model = "stuck_at_0"
cycle = 0
image = 0
[[fault]]
site = "status.error[0]"
cycle = 700
image = 1
[[fault]]
site = "controller.cfg[0][0]"
cycle = 20000
image = 1
)"),
                        "listed.db", 2);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].outcome, "due_hang");
  EXPECT_EQ(rows[0].site, "controller.state[3]");
  EXPECT_EQ(rows[0].model, "stuck_at_0");
  EXPECT_EQ(rows[1].outcome, "due_detected");
  EXPECT_EQ(rows[1].image, 1);
  EXPECT_EQ(rows[2].cycle, 20000);
  EXPECT_EQ(rows[2].block, "controller");
  EXPECT_EQ(rows[2].storage, "flop");

  // When each layer ran, per image: from cycle 0, one layer after the other, the same layers for both.
  db::Store store = db::Store::open((dir_ / "listed.db").string(), db::Store::Mode::read_only);
  const std::vector<db::LayerCyclesRow> layers = store.layer_cycles(1);
  ASSERT_GE(layers.size(), 6u);
  ASSERT_EQ(layers.size() % 2, 0u);
  const size_t per_image = layers.size() / 2;
  for (size_t i = 0; i < layers.size(); ++i) {
    const db::LayerCyclesRow& l = layers[i];
    EXPECT_EQ(l.image, int(i / per_image)) << i;
    EXPECT_EQ(l.layer, int(i % per_image)) << i;
    EXPECT_EQ(l.begin, i % per_image == 0 ? 0 : layers[i - 1].end) << i;
    EXPECT_LT(l.begin, l.end) << i;
  }
}

TEST_F(RtlEngineTest, ThreadCountDoesNotChangeResults) {
  const CampaignSpec s = spec("seed = 8\ninjections = 600\nfault_model = \"mbu\"\nmbu_bits = 2\nsampling = \"stratified\"\n");
  const auto one = run(s, "one.db", 1);
  const auto two = run(s, "two.db", 2);
  ASSERT_EQ(one.size(), 600u);
  ASSERT_EQ(two.size(), 600u);
  std::set<std::string> blocks;
  for (size_t i = 0; i < one.size(); ++i) {
    EXPECT_EQ(one[i].site, two[i].site) << i;
    EXPECT_EQ(one[i].cycle, two[i].cycle) << i;
    EXPECT_EQ(one[i].outcome, two[i].outcome) << i;
    EXPECT_EQ(one[i].first_diff_layer, two[i].first_diff_layer) << i;
    EXPECT_EQ(one[i].simulated_cycles, two[i].simulated_cycles) << i;
    EXPECT_EQ(one[i].width, 2) << i;
    blocks.insert(one[i].block);
  }
  EXPECT_EQ(blocks.size(), 8u);  // stratified: every block is sampled
}

}  // namespace
}  // namespace npufi

namespace npufi {
namespace {

TEST_F(RtlEngineTest, SequentialCampaignStopsAtTheMarginAndResumesTheSameRounds) {
  const CampaignSpec s = spec(
      "seed = 2\ninjections = 5000\ntarget_margin = 0.04\nround_size = 300\nblocks = [\"controller\", \"status\"]\n");
  EngineOptions options;
  options.threads = 2;
  std::ostringstream log;
  const CampaignRun whole = run_campaign(s, (dir_ / "seq-whole.db").string(), options, log);
  EXPECT_TRUE(whole.complete());
  EXPECT_THAT(whole.stop_reason, ::testing::HasSubstr("at most 0.04"));
  EXPECT_LT(whole.total, 5000);

  options.max_trials = 200;  // stops inside the first round
  const CampaignRun part = run_campaign(s, (dir_ / "seq-resumed.db").string(), options, log);
  EXPECT_FALSE(part.complete());
  options.max_trials = -1;
  options.threads = 1;
  const CampaignRun rest = run_campaign(s, (dir_ / "seq-resumed.db").string(), options, log);
  EXPECT_TRUE(rest.complete());
  EXPECT_EQ(rest.total, whole.total);
  const auto key = [](const std::string& path) {
    db::Store store = db::Store::open(path, db::Store::Mode::read_only);
    std::ostringstream out;
    for (const db::InjectionRow& r : store.injections(1)) out << r.injection << r.site << r.cycle << r.outcome << "\n";
    return out.str();
  };
  EXPECT_EQ(key((dir_ / "seq-resumed.db").string()), key((dir_ / "seq-whole.db").string()));
}

}  // namespace
}  // namespace npufi

namespace npufi {
namespace {

// A plan file protecting `units` with an option that detects (or corrects) every fault it covers.
std::string plan_json(const std::string& granularity, const std::vector<std::string>& units, const std::string& action) {
  std::string entries;
  for (const std::string& unit : units)
    entries += std::string(entries.empty() ? "" : ", ") + R"({"unit": ")" + unit + R"(", "option": "x", "kind": "duplication",
      "transient_rate_factor": 2, "permanent_rate_factor": 2, "action": ")" + action + R"(", "coverage": 1, "dc_latent": 0})";
  return R"({"format": "npufi-protection-plan", "version": 2, "granularity": ")" + granularity + R"(", "units": [)" +
         entries + "]}";
}

// The simulation-level model of a protection plan: a fault that hangs the NPU in an unprotected controller
// is detected, corrected or resisted when the plan protects the controller that way.
TEST_F(RtlEngineTest, ProtectionPlanModelsDetectionCorrectionAndHardening) {
  struct Case {
    const char* kind;
    const char* action;
    double factor;
    const char* expected;
  };
  for (const Case& c : {Case{"duplication", "detect", 2.0, "due_detected"}, Case{"triplication", "correct", 3.0, "masked"},
                        Case{"hardened", "none", 1e-9, "masked"}, Case{"none", "none", 1.0, "due_hang"}}) {
    const std::string plan = (dir_ / (std::string(c.kind) + ".json")).string();
    std::ofstream(plan) << R"({"format": "npufi-protection-plan", "version": 2, "granularity": "block",
      "units": [{"unit": "controller", "option": "x", "kind": ")" << c.kind << R"(", "transient_rate_factor": )" << c.factor
                        << R"(, "permanent_rate_factor": )" << c.factor << R"(, "action": ")" << c.action
                        << R"(", "coverage": )" << (std::string(c.action) == "none" ? 0 : 1) << R"(, "dc_latent": 0}]})";
    const auto rows = run(spec("protection = \"" + plan + "\"\n" + R"(
[[fault]]
site = "controller.state[3]"
model = "stuck_at_0"
cycle = 0
image = 0
)"),
                          std::string(c.kind) + ".db", 1);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].outcome, c.expected) << c.kind;
  }
  // A plan for a block the NPU does not have is refused before the database.
  const std::string bad = (dir_ / "bad-plan.json").string();
  std::ofstream(bad) << plan_json("block", {"fpu"}, "detect");
  EXPECT_THROW(run(spec("protection = \"" + bad + "\"\ninjections = 3\n"), "bad-plan.db", 1), SpecError);
  EXPECT_FALSE(fs::exists(dir_ / "bad-plan.db"));
}

// A register-level plan: duplication (detect, coverage 1) of two of the controller's registers. Against the
// same campaign unprotected, exactly the faults in those registers that were not masked become
// due_detected; every other outcome stays as it was.
TEST_F(RtlEngineTest, RegisterLevelPlanChangesOnlyFaultsInItsRegisters) {
  const std::string campaign = "seed = 4\ninjections = 240\nblocks = [\"controller\"]\nfault_model = \"stuck_at_1\"\n";
  const std::string plan = (dir_ / "registers.json").string();
  const std::set<std::string> protected_registers = {"controller.cfg", "controller.state"};
  std::ofstream(plan) << plan_json("register", {"controller.cfg", "controller.state"}, "detect");
  const auto unprotected = run(spec(campaign), "registers-unprotected.db", 2);
  const auto protected_rows = run(spec(campaign + "protection = \"" + plan + "\"\n"), "registers-protected.db", 2);
  ASSERT_EQ(unprotected.size(), 240u);
  ASSERT_EQ(protected_rows.size(), 240u);
  int changed = 0, inside_masked = 0, outside_unmasked = 0;
  for (size_t i = 0; i < unprotected.size(); ++i) {
    const db::InjectionRow& before = unprotected[i];
    const db::InjectionRow& after = protected_rows[i];
    ASSERT_EQ(before.site, after.site) << i;
    const std::string reg = before.site.substr(0, before.site.find('['));
    if (!protected_registers.count(reg)) {
      EXPECT_EQ(after.outcome, before.outcome) << before.site;
      outside_unmasked += before.outcome != "masked";
    } else if (before.outcome == "masked") {
      EXPECT_EQ(after.outcome, "masked") << before.site;
      ++inside_masked;
    } else {
      EXPECT_EQ(after.outcome, "due_detected") << before.site;
      changed += before.outcome != "due_detected";
    }
  }
  // The campaign exercises every case.
  EXPECT_GT(changed, 5);
  EXPECT_GT(outside_unmasked, 5);
  EXPECT_GT(inside_masked, 0);

  // A plan naming a register the design does not have is refused before the database.
  const std::string bad = (dir_ / "bad-register-plan.json").string();
  std::ofstream(bad) << plan_json("register", {"controller.nosuch"}, "detect");
  try {
    run(spec("protection = \"" + bad + "\"\ninjections = 3\n"), "bad-register-plan.db", 1);
    ADD_FAILURE() << "no error";
  } catch (const SpecError& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("'protection' plan names register 'controller.nosuch', which is no "
                                               "register of the design"));
  }
  EXPECT_FALSE(fs::exists(dir_ / "bad-register-plan.db"));
}

}  // namespace
}  // namespace npufi
