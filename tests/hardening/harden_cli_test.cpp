// npufi harden and npufi compare end to end: a hardened model recorded in the database, campaigns on
// it, the comparison table, and one-line errors that leave the database as it was.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "db/store.h"
#include "models/hardening/clip.h"
#include "models/model.h"
#include "tests/support/npufi_process.h"

namespace npufi {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

using Result = test::CliResult;
using test::read_file;

class HardenCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = test::make_scratch_dir("harden_cli_test");
    std::ofstream(dir_ / "small.toml") << "name = \"small\"\nmodel = \"lenet5.pt\"\nimages = \"0:200\"\n"
                                       << "formats = [\"fp32\"]\nber = [1e-5, 1e-4]\nrepetitions = 3\n";
  }
  static void TearDownTestSuite() { fs::remove_all(dir_); }

  static std::string path(const std::string& name) { return (dir_ / name).string(); }

  static Result npufi(const std::string& args) { return test::run_npufi(dir_, args); }

  // Small data: the optimizers' inputs, not their quality, are under test here.
  static std::string harden(const std::string& method, const std::string& out, const std::string& extra = "") {
    return "harden --model " + path("lenet5.pt") + " --method " + method + " --out " + path(out) +
           " --train-images 500 --validation-images 200 --profile-images 200 --threads 2 " + extra;
  }

  static fs::path dir_;
};

fs::path HardenCli::dir_;

TEST_F(HardenCli, HardenRecordsTheModelAndCompareShowsIt) {
  const std::string db = path("runs.db");
  const Result ranger = npufi(harden("ranger", "ranger.pt", "--db " + db));
  ASSERT_EQ(ranger.code, 0) << ranger.err;
  EXPECT_THAT(ranger.out, HasSubstr("ranger: 4 thresholds (16 bytes as fp32)"));
  const Result proact = npufi(harden("proact", "proact.pt", "--db " + db + " --steps-per-layer 5"));
  ASSERT_EQ(proact.code, 0) << proact.err;
  EXPECT_THAT(proact.out, HasSubstr("proact: 87 thresholds (348 bytes as fp32)"));

  db::Store store = db::Store::open(db, db::Store::Mode::read_only);
  const std::vector<db::HardeningRow> rows = store.hardenings();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].method, "ranger");
  EXPECT_EQ(rows[0].arch, "lenet5");
  EXPECT_THAT(rows[0].settings, HasSubstr("\"profile_images\":200"));
  EXPECT_THAT(rows[1].settings, HasSubstr("\"steps_per_layer\":5"));
  // The stored thresholds are the model's.
  const std::optional<db::HardeningRow> stored = store.hardening(rows[1].id);
  ASSERT_TRUE(stored);
  const std::vector<ClipLayer> layers = clip_layers(Model::load(path("proact.pt")));
  ASSERT_EQ(stored->layers.size(), layers.size());
  for (size_t i = 0; i < layers.size(); ++i) {
    EXPECT_EQ(stored->layers[i].layer, layers[i].name);
    EXPECT_EQ(stored->layers[i].mode, "smooth");
    EXPECT_EQ(stored->layers[i].shape, layers[i].shape);
    EXPECT_EQ(stored->layers[i].thresholds, layers[i].thresholds);
  }

  // Weight campaigns run on hardened models unchanged; thresholds are fault targets.
  for (const char* model : {"lenet5.pt", "ranger.pt", "proact.pt"}) {
    const Result run = npufi("campaign run " + path("small.toml") + " --db " + db + " --model " + path(model) + " --threads 2");
    ASSERT_EQ(run.code, 0) << run.err;
  }
  const Result params = npufi("params --model " + path("proact.pt"));
  EXPECT_THAT(params.out, HasSubstr("fc2.relu.threshold"));

  const Result compare = npufi("compare --db " + db + " --campaigns 1,2,3");
  ASSERT_EQ(compare.code, 0) << compare.err;
  std::istringstream lines(compare.out);
  std::string header, none, ranger_row, proact_row;
  std::getline(lines, header);
  std::getline(lines, none);
  std::getline(lines, ranger_row);
  std::getline(lines, proact_row);
  EXPECT_THAT(header, HasSubstr("1e-05"));
  EXPECT_THAT(header, HasSubstr("AUC"));
  EXPECT_TRUE(none.starts_with("lenet5    none       fp32")) << none;
  EXPECT_TRUE(ranger_row.starts_with("lenet5    ranger     fp32")) << ranger_row;
  EXPECT_THAT(ranger_row, HasSubstr(" 4         16 "));
  EXPECT_THAT(proact_row, HasSubstr(" 87        348 "));
}

// A campaign file with [harden] hardens as `npufi harden` with the same settings does, records the
// hardening the same way, runs on the hardened model, and reuses the hardening when run again.
TEST_F(HardenCli, CampaignFileHardenTableMatchesTheCommand) {
  const std::string db = path("table.db");
  const Result command = npufi(harden("ranger", "command-ranger.pt", "--db " + db));
  ASSERT_EQ(command.code, 0) << command.err;
  std::ofstream(path("hardened.toml")) << "name = \"hardened\"\nmodel = \"lenet5.pt\"\nimages = \"0:200\"\n"
                                       << "ber = [1e-4]\n[harden]\nmethod = \"ranger\"\nout = \"table-ranger.pt\"\n"
                                       << "train_images = 500\nvalidation_images = 200\nprofile_images = 200\n";
  const Result first = npufi("campaign run " + path("hardened.toml") + " --db " + db + " --threads 2");
  ASSERT_EQ(first.code, 0) << first.err;
  EXPECT_THAT(first.err, HasSubstr("ranger: 4 thresholds (16 bytes as fp32)"));

  db::Store store = db::Store::open(db, db::Store::Mode::read_only);
  const std::vector<db::HardeningRow> rows = store.hardenings();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].method, "ranger");
  EXPECT_EQ(rows[1].settings, rows[0].settings);
  EXPECT_EQ(rows[1].source_hash, rows[0].source_hash);
  EXPECT_EQ(rows[1].model_path, path("table-ranger.pt"));
  const std::vector<ClipLayer> by_command = clip_layers(Model::load(path("command-ranger.pt")));
  const std::vector<ClipLayer> by_table = clip_layers(Model::load(path("table-ranger.pt")));
  ASSERT_EQ(by_table.size(), 4u);
  for (size_t i = 0; i < by_table.size(); ++i) {
    EXPECT_EQ(by_table[i].mode, ClipMode::saturate);
    EXPECT_EQ(by_table[i].thresholds, by_command[i].thresholds) << by_table[i].name;
    EXPECT_EQ(store.hardening(rows[1].id)->layers[i].thresholds, by_command[i].thresholds);
  }
  // The campaign ran on the hardened model.
  const std::vector<db::CampaignRow> campaigns = store.campaigns();
  ASSERT_EQ(campaigns.size(), 1u);
  EXPECT_EQ(campaigns[0].model_path, path("table-ranger.pt"));
  EXPECT_EQ(campaigns[0].model_hash, rows[1].model_hash);

  const Result again = npufi("campaign run " + path("hardened.toml") + " --db " + db + " --threads 2");
  ASSERT_EQ(again.code, 0) << again.err;
  EXPECT_THAT(again.err, HasSubstr("reusing hardening 2 (ranger): " + path("table-ranger.pt")));
  EXPECT_THAT(again.err, HasSubstr("is already complete"));
  EXPECT_EQ(store.hardenings().size(), 2u);
}

TEST_F(HardenCli, BadInputGivesOneLineAndLeavesTheDatabaseUnchanged) {
  const std::string db = path("bad.db");
  ASSERT_EQ(npufi(harden("ranger", "first.pt", "--db " + db)).code, 0);
  const std::string before = read_file(db);

  Result r = npufi(harden("clipact", "x.pt", "--db " + db));
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "npufi: error: --method is \"clipact\"; use ranger, ftclipact, fitact or proact\n");

  // A hardened model has no ReLU left to replace.
  r = npufi("harden --model " + path("first.pt") + " --method fitact --out " + path("x.pt") + " --db " + db);
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "npufi: error: the lenet5 model has no ReLU left to replace: every activation layer is clipped already\n");

  r = npufi(harden("ftclipact", "x.pt", "--db " + db + " --granularity neuron"));
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "npufi: error: --granularity is \"neuron\"; ftclipact searches one threshold per layer (layer only)\n");

  r = npufi("harden --model " + path("lenet5.pt") + " --method ranger --out " + path("x.pt") + " --train-images 100");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "npufi: error: --profile-images is 2000; must be at most the training images (100)\n");

  r = npufi("harden --model " + path("lenet5.pt") + " --method ranger --out " + path("lenet5.pt"));
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("npufi: error: --out is the model to harden"));

  // The same checks in a campaign file's [harden] table, with the file and line.
  std::ofstream(path("bad.toml")) << "model = \"lenet5.pt\"\nber = [1e-5]\n[harden]\nmethod = \"ranger\"\n"
                                  << "out = \"x.pt\"\nweaken = 1.5\n";
  r = npufi("campaign run " + path("bad.toml") + " --db " + db);
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "npufi: error: " + path("bad.toml") + ":6: 'harden.weaken' is 1.5; must be in (0, 1)\n");

  r = npufi("compare --db " + db + " --campaigns 9");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "npufi: error: campaign 9 is not in " + db + "\n");

  EXPECT_FALSE(fs::exists(path("x.pt")));
  EXPECT_EQ(read_file(db), before);
}

}  // namespace
}  // namespace npufi
