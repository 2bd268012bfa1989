// End-to-end tests of the npufi binary: exit codes, one-line errors, an untouched database on bad
// input, and resume after kill -9.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "db/store.h"
#include "models/model.h"
#include "tests/db/test_support.h"
#include "tests/support/npufi_process.h"

namespace npufi {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

using Result = test::CliResult;
using test::read_file;

class CliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { dir_ = test::make_scratch_dir("cli_test"); }
  static void TearDownTestSuite() { fs::remove_all(dir_); }

  static fs::path path(const std::string& name) { return dir_ / name; }

  static Result npufi(const std::string& args, const std::string& env = "") { return test::run_npufi(dir_, args, env); }

  static fs::path campaign(const std::string& name, const std::string& body, const std::string& images = "0:200") {
    const fs::path file = path(name);
    std::ofstream(file) << "model = \"lenet5.pt\"\nimages = \"" << images << "\"\nbatch_size = 100\n" << body;
    return file;
  }

  // An RTL campaign on the untrained lenet5 of this suite, on npu32.
  static fs::path rtl_campaign(const std::string& name, const std::string& body, const std::string& images = "0:2") {
    const fs::path file = path(name);
    std::ofstream(file) << "target = \"rtl\"\nmodel = \"lenet5.pt\"\nnpu = \"npu32\"\ncalibration = 50\nimages = \""
                        << images << "\"\n" << body;
    return file;
  }

  // Expects the exit code and an error of one line, the last thing on stderr (progress notes may precede it).
  static std::string one_line_error(const Result& r, int code) {
    EXPECT_EQ(r.code, code) << r.err;
    const auto start = r.err.rfind('\n', r.err.size() >= 2 ? r.err.size() - 2 : 0);
    const std::string last = r.err.substr(start == std::string::npos ? 0 : start + 1);
    EXPECT_EQ(last.rfind("npufi: error: ", 0), 0u) << r.err;
    EXPECT_EQ(std::count(last.begin(), last.end(), '\n'), 1) << r.err;
    return last;
  }

  static fs::path dir_;
};

fs::path CliTest::dir_;

TEST_F(CliTest, HelpAndUsage) {
  EXPECT_EQ(npufi("--help").code, 0);
  EXPECT_THAT(npufi("campaign run --help").out, HasSubstr("--threads"));
  one_line_error(npufi("campaign run"), 2);
  one_line_error(npufi("train --model nosuchnet --out x.pt"), 2);
}

TEST_F(CliTest, RunsAndExportsACampaign) {
  const fs::path file = campaign("ok.toml", "formats = [\"fp32\", \"int8\"]\nber = [1e-4, 1e-3]\nrepetitions = 2\n");
  const Result run = npufi("campaign run " + file.string() + " --db " + path("ok.db").string() + " --threads 2");
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("int8"));
  const Result csv = npufi("export --db " + path("ok.db").string() + " --campaign 1 --format csv");
  ASSERT_EQ(csv.code, 0) << csv.err;
  EXPECT_EQ(std::count(csv.out.begin(), csv.out.end(), '\n'), 5);  // header + 2 formats x 2 BERs
  EXPECT_THAT(csv.out, HasSubstr("format,ber,trials,"));
  const Result json = npufi("export --db " + path("ok.db").string() + " --campaign 1 --format json");
  EXPECT_THAT(json.out, HasSubstr("\"top1_mismatch_fraction\""));
  const Result list = npufi("campaign list --db " + path("ok.db").string());
  EXPECT_THAT(list.out, HasSubstr("done"));
  EXPECT_THAT(npufi("campaign status 1 --db " + path("ok.db").string()).out, HasSubstr("golden      int8"));
  one_line_error(npufi("export --db " + path("ok.db").string() + " --campaign 9"), 1);
}

TEST_F(CliTest, MissingDatasetPackageIsNamed) {
  const std::string env = "NPUFI_DATASET_DIR=" + path("no-data").string();
  EXPECT_THAT(one_line_error(npufi("eval --model " + path("lenet5.pt").string(), env), 1),
              HasSubstr("dataset-fashion-mnist"));
  const fs::path file = campaign("data.toml", "ber = [1e-4]\n");
  one_line_error(npufi("campaign run " + file.string() + " --db " + path("data.db").string(), env), 1);
  EXPECT_FALSE(fs::exists(path("data.db")));
}

TEST_F(CliTest, BadModelFilesAreRefused) {
  std::ofstream(path("garbage.pt"), std::ios::binary) << std::string("\x50\x4b\x03\x04garbage\x00\x01", 14);
  std::ofstream(path("text.pt")) << "this is not a model\n";
  EXPECT_THAT(one_line_error(npufi("eval --model " + path("missing.pt").string()), 1), HasSubstr("does not exist"));
  EXPECT_THAT(one_line_error(npufi("eval --model " + path("garbage.pt").string()), 1), HasSubstr("garbage.pt"));
  EXPECT_THAT(one_line_error(npufi("eval --model " + path("text.pt").string()), 1), HasSubstr("text.pt"));
  const fs::path file = campaign("badmodel.toml", "ber = [1e-4]\n");
  one_line_error(npufi("campaign run " + file.string() + " --db " + path("bm.db").string() + " --model " +
                       path("text.pt").string()), 1);
  EXPECT_FALSE(fs::exists(path("bm.db")));
}

// Runs a bad campaign against a database that already holds one, and checks that nothing changed.
class UnchangedDatabase {
 public:
  explicit UnchangedDatabase(const fs::path& db) : db_(db), before_(read_file(db)) {}
  ~UnchangedDatabase() {
    EXPECT_EQ(read_file(db_), before_) << db_;
    EXPECT_FALSE(fs::exists(db_.string() + "-wal") && fs::file_size(db_.string() + "-wal") > 0);
  }

 private:
  fs::path db_;
  std::string before_;
};

TEST_F(CliTest, BadCampaignFilesLeaveTheDatabaseUnchanged) {
  const fs::path db = path("kept.db");
  ASSERT_EQ(npufi("campaign run " + campaign("good.toml", "ber = [1e-4]\n").string() + " --db " + db.string()).code, 0);
  const UnchangedDatabase unchanged(db);
  const auto run = [&](const std::string& name, const std::string& body) {
    return npufi("campaign run " + campaign(name, body).string() + " --db " + db.string());
  };
  EXPECT_THAT(one_line_error(run("glob.toml", "ber = [1e-4]\ntargets = [\"conv9*\"]\n"), 2),
              HasSubstr("'targets' glob \"conv9*\" matches no parameter"));
  EXPECT_THAT(one_line_error(run("ber.toml", "ber = [1e-4, 2.0]\n"), 2), HasSubstr("ber.toml:4: 'ber' value 2 is outside [0, 1]"));
  EXPECT_THAT(one_line_error(run("syntax.toml", "ber = [1e-4\nseed = 1\n"), 2), HasSubstr("syntax.toml:"));
  EXPECT_THAT(one_line_error(run("key.toml", "ber = [1e-4]\nsed = 1\n"), 2), HasSubstr("key.toml:5: 'sed' is not a known key"));
}

TEST_F(CliTest, RunsAndExportsAnActivationCampaign) {
  const fs::path file = campaign("act.toml", "target = \"activations\"\nformats = [\"fp32\", \"bf16\"]\n"
                                             "ber = [1e-5, 1e-4]\n");
  const std::string db = " --db " + path("act.db").string();
  const Result run = npufi("campaign run " + file.string() + db + " --threads 2");
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("sdc_critical (95% CI)"));
  const Result table = npufi("export" + db + " --campaign 1");
  ASSERT_EQ(table.code, 0) << table.err;
  EXPECT_EQ(table.out, run.out.substr(run.out.find('\n') + 1));  // campaign run prints the same table
  const Result csv = npufi("export" + db + " --campaign 1 --format csv");
  EXPECT_EQ(std::count(csv.out.begin(), csv.out.end(), '\n'), 5);  // header + 2 formats x 2 BERs
  EXPECT_THAT(csv.out, HasSubstr("masked,masked_low,masked_high,sdc_benign,"));
  const Result json = npufi("export" + db + " --campaign 1 --format json");
  EXPECT_THAT(json.out, HasSubstr("\"sdc_critical\": {"));
  EXPECT_THAT(json.out, HasSubstr("\"images\": 200"));  // one trial of 200 images per row
  EXPECT_THAT(npufi("campaign status 1" + db).out, HasSubstr("activations conv1, conv2, fc1, fc2, fc3\n"));
  EXPECT_THAT(npufi("query" + db + " -c campaigns").out, HasSubstr(" act   activations "));
  EXPECT_THAT(npufi("query" + db + " -c 'faults 1 0' --mode csv").out, HasSubstr("tensor,flat_index,bit,kind,image\n"));

  // Bad activation campaigns leave the database as it was.
  const UnchangedDatabase unchanged(path("act.db"));
  const auto bad = [&](const std::string& name, const std::string& body) {
    return npufi("campaign run " + campaign(name, "target = \"activations\"\n" + body).string() + db);
  };
  EXPECT_THAT(one_line_error(bad("layer.toml", "ber = [1e-4]\ntargets = \"pool9\"\n"), 2),
              HasSubstr("layer.toml:6: 'targets' glob \"pool9\" matches no layer of the model (conv1, conv2, fc1, fc2, fc3)"));
  EXPECT_THAT(one_line_error(bad("image.toml", "[[fault]]\nlayer = \"fc1\"\nindex = 0\nbit = 3\nimage = 200\n"), 2),
              HasSubstr("image.toml:5: fault image 200 is not one of the campaign's images (0:200)"));
}

TEST_F(CliTest, NonSqliteDatabaseIsRefusedAndUntouched) {
  const fs::path db = path("notsqlite.db");
  std::ofstream(db) << "name,value\nnot,sqlite\n";
  const std::string before = read_file(db);
  const fs::path file = campaign("ns.toml", "ber = [1e-4]\n");
  EXPECT_THAT(one_line_error(npufi("campaign run " + file.string() + " --db " + db.string()), 1),
              HasSubstr("is not an SQLite database"));
  EXPECT_THAT(one_line_error(npufi("campaign list --db " + db.string()), 1), HasSubstr("is not an SQLite database"));
  EXPECT_EQ(read_file(db), before);
}

// A database of the previous schema: the read-only commands name the command that migrates it.
TEST_F(CliTest, DbMigrateBringsAnOlderDatabaseToThisSchema) {
  const fs::path db = path("schema5.db");
  db::Store::open(db.string(), db::Store::Mode::read_write);
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(db.string().c_str(), &raw), SQLITE_OK);
  const std::string to_schema5 = std::string(db::test::kUndoSchema6) + "PRAGMA user_version = 5";
  ASSERT_EQ(sqlite3_exec(raw, to_schema5.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(raw);
  const std::string before = read_file(db);
  EXPECT_THAT(one_line_error(npufi("query --db " + db.string() + " -c campaigns"), 1),
              HasSubstr("has schema 5, this build needs " + std::to_string(db::kSchemaVersion) +
                        "; run `npufi db migrate --db " + db.string() + "`"));
  EXPECT_EQ(read_file(db), before);
  const Result migrated = npufi("db migrate --db " + db.string());
  ASSERT_EQ(migrated.code, 0) << migrated.err;
  EXPECT_EQ(migrated.out, db.string() + ": schema " + std::to_string(db::kSchemaVersion) + "\n");
  EXPECT_EQ(npufi("query --db " + db.string() + " -c campaigns").code, 0);
  EXPECT_THAT(one_line_error(npufi("db migrate --db " + path("nosuch.db").string()), 1), HasSubstr("does not exist"));
  EXPECT_FALSE(fs::exists(path("nosuch.db")));
}

TEST_F(CliTest, LockedDatabaseIsReportedAndUntouched) {
  const fs::path db = path("locked.db");
  ASSERT_EQ(npufi("campaign run " + campaign("first.toml", "ber = [1e-4]\n").string() + " --db " + db.string()).code, 0);
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  {
    const UnchangedDatabase unchanged(db);
    EXPECT_THAT(one_line_error(npufi("campaign run " + campaign("second.toml", "ber = [1e-3]\n").string() + " --db " + db.string()), 1),
                HasSubstr("locked by another writer"));
  }
  sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(other);
  db::Store store = db::Store::open(db.string(), db::Store::Mode::read_only);
  EXPECT_EQ(store.campaigns().size(), 1u);
}

TEST_F(CliTest, QuantizeAndRunOnTheNpu) {
  const std::string lenet5 = path("lenet5.pt").string();
  const Result quantized = npufi("quantize --model " + lenet5 + " --images 0:200 --calibration 200 --threads 2");
  ASSERT_EQ(quantized.code, 0) << quantized.err;
  EXPECT_THAT(quantized.out, HasSubstr("int8"));

  const Result run = npufi("npu run --config npu32 --model " + lenet5 + " --images 0:20 --calibration 200 --threads 2");
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("20/20 images bit-identical"));
  EXPECT_THAT(run.out, HasSubstr("cycles per inference: 60095"));

  Model::create("resnet20", 1).save(path("resnet20.pt").string());
  // Residual adds, the average pool, and banded convolutions (16 x 28 x 28 exceeds npu32's 8 KiB buffer).
  const Result resnet = npufi("npu run --config npu32 --model " + path("resnet20.pt").string() +
                              " --images 0:1 --calibration 20 --threads 2");
  ASSERT_EQ(resnet.code, 0) << resnet.err;
  EXPECT_THAT(resnet.out, HasSubstr("1/1 images bit-identical"));
  one_line_error(npufi("npu run --config npu48 --model " + lenet5), 2);
  one_line_error(npufi("npu run --config npu32 --model " + lenet5 + " --images 5:2"), 2);
}

TEST_F(CliTest, NpuInventoryCountsStoragePerBlock) {
  const Result table = npufi("npu inventory --config npu64");
  ASSERT_EQ(table.code, 0) << table.err;
  EXPECT_THAT(table.out, HasSubstr("weight_buffer"));
  EXPECT_THAT(table.out, HasSubstr("65536"));  // 8 KiB weight buffer
  EXPECT_THAT(npufi("npu inventory --config npu256 --json").out, HasSubstr("\"blocks\""));
  one_line_error(npufi("npu inventory --config npu100"), 2);
}

TEST_F(CliTest, PlanGivesSampleSizesPerBlockAndInTotal) {
  // npu64 at 95 %, +/-1 %: the population (5.9e9 bits x cycles) is as good as infinite, so the whole-NPU
  // sample is Leveugle's 9,604; a weight-buffer stratum (65,536 x 43,689) too.
  const Result text = npufi("plan --config npu64 --margin 0.01 --confidence 0.95");
  ASSERT_EQ(text.code, 0) << text.err;
  EXPECT_THAT(text.out, HasSubstr("population = bits x 43,689 cycles (one lenet5 inference"));
  EXPECT_THAT(text.out, HasSubstr("weight_buffer  sram        65,536     2,863,202,304         9,604"));
  EXPECT_THAT(text.out, HasSubstr("whole NPU: the NPU-wide AVF to +/-1%, allocated in proportion to the population: "
                                  "9,604 injections"));
  // 99 %: 16,588 (Leveugle et al.); 10 cycles make the status block's 43 x 10 = 430 sites a finite population:
  // 430 * 1.658724 / (0.0001 * 429 + 1.658724) = 713.25 / 1.701624 = 419.2 -> 420.
  const Result json = npufi("plan --config npu64 --confidence 0.99 --cycles 10 --json");
  ASSERT_EQ(json.code, 0) << json.err;
  EXPECT_THAT(json.out, HasSubstr("\"cycles_default\": false"));
  EXPECT_THAT(json.out, HasSubstr("\"block\": \"status\",\n      \"npu_wide\""));
  EXPECT_THAT(json.out, HasSubstr("\"per_stratum\": 420,\n      \"population\": 430"));
  one_line_error(npufi("plan --margin 0"), 2);
  one_line_error(npufi("plan --confidence 1.2"), 2);
  one_line_error(npufi("plan --cycles 0"), 2);
  one_line_error(npufi("plan --config npu100"), 2);
}

TEST_F(CliTest, KillNineOrCtrlCThenResumeGivesTheUninterruptedTable) {
  const std::string body = "formats = [\"fp32\", \"int8\"]\nber = [1e-5, 1e-4, 1e-3]\nrepetitions = 40\n";
  const fs::path file = campaign("kill.toml", body, "0:500");
  ASSERT_EQ(npufi("campaign run " + file.string() + " --db " + path("straight.db").string() + " --threads 2").code, 0);
  const std::string expected = npufi("export --db " + path("straight.db").string() + " --campaign 1 --format csv").out;
  EXPECT_EQ(std::count(expected.begin(), expected.end(), '\n'), 7);

  // kill -9: no chance to clean up.
  const fs::path db = path("killed.db");
  pid_t child = test::start_campaign_and_wait(file, db, 10);
  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, 0);
  const int64_t after_kill = test::stored_trials(db);
  if (!WIFSIGNALED(status) || after_kill == 240) GTEST_SKIP() << "the campaign finished before it could be killed";
  EXPECT_GE(after_kill, 10);

  // Ctrl-C during the resumed run: it stores what it ran, says how to resume, and exits with 130.
  child = test::start_campaign_and_wait(file, db, after_kill + 10);
  kill(child, SIGINT);
  waitpid(child, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  if (WEXITSTATUS(status) == 0) GTEST_SKIP() << "the resumed campaign finished before Ctrl-C reached it";
  EXPECT_EQ(WEXITSTATUS(status), 130);
  EXPECT_LT(test::stored_trials(db), 240);
  EXPECT_THAT(npufi("campaign status 1 --db " + db.string()).out, HasSubstr("interrupted"));

  const Result resumed = npufi("campaign run " + file.string() + " --db " + db.string() + " --threads 1");
  ASSERT_EQ(resumed.code, 0) << resumed.err;
  EXPECT_EQ(npufi("export --db " + db.string() + " --campaign 1 --format csv").out, expected);
}


TEST_F(CliTest, RtlCampaignKilledThenResumedStoresTheUninterruptedInjections) {
  const fs::path file = rtl_campaign("rtl-kill.toml", "seed = 3\ninjections = 12000\n");
  ASSERT_EQ(npufi("campaign run " + file.string() + " --db " + path("rtl-straight.db").string() + " --threads 2").code, 0);
  const fs::path db = path("rtl-killed.db");
  const pid_t child = test::start_campaign_and_wait(file, db, 500);
  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, 0);
  const int64_t after_kill = test::stored_trials(db);
  if (!WIFSIGNALED(status) || after_kill == 12000) GTEST_SKIP() << "the campaign finished before it could be killed";
  EXPECT_GE(after_kill, 500);
  const Result resumed = npufi("campaign run " + file.string() + " --db " + db.string() + " --threads 1");
  ASSERT_EQ(resumed.code, 0) << resumed.err;
  EXPECT_THAT(resumed.out, HasSubstr("12000 injections"));

  // Every stored injection, field for field.
  const auto rows = [](const fs::path& path) {
    db::Store store = db::Store::open(path.string(), db::Store::Mode::read_only);
    std::ostringstream out;
    for (const db::InjectionRow& r : store.injections(1))
      out << r.injection << " " << r.image << " " << r.site << " " << r.model << " " << r.cycle << " " << r.outcome
          << " " << r.first_diff_layer << " " << r.simulated_cycles << " " << r.ended_by << "\n";
    return out.str();
  };
  const std::string straight = rows(path("rtl-straight.db"));
  EXPECT_EQ(std::count(straight.begin(), straight.end(), '\n'), 12000);
  EXPECT_EQ(rows(db), straight);
  EXPECT_NE(straight.find("sdc_"), std::string::npos);  // some faults do change the output

  // export: the per-block outcome fractions.
  const Result csv = npufi("export --db " + db.string() + " --campaign 1 --format csv");
  ASSERT_EQ(csv.code, 0) << csv.err;
  EXPECT_THAT(csv.out, HasSubstr("weight_buffer,sram,transient,"));
  EXPECT_THAT(csv.out, HasSubstr("controller,flop,transient,"));
  EXPECT_EQ(csv.out, npufi("export --db " + path("rtl-straight.db").string() + " --campaign 1 --format csv").out);

  // analyze: the ISO 26262 metrics and a verdict, gated by the exit code.
  const Result analyzed = npufi("analyze --db " + db.string() + " --campaign 1 --asil D");
  EXPECT_TRUE(analyzed.code == 0 || analyzed.code == 3) << analyzed.err;
  EXPECT_THAT(analyzed.out, HasSubstr(analyzed.code == 0 ? "npu32 meets ASIL-D" : "npu32 misses ASIL-D"));
  EXPECT_THAT(analyzed.out, HasSubstr("| weight_buffer |"));
  const Result as_json = npufi("analyze --db " + db.string() + " --campaign 1 --asil B --json");
  EXPECT_THAT(as_json.out, HasSubstr("\"verdict\""));
  EXPECT_THAT(one_line_error(npufi("analyze --db " + db.string() + " --campaign 1 --asil E"), 2),
              HasSubstr("--asil 'E'"));

  // replay: the same outcome again, and a waveform.
  const Result replay = npufi("replay --db " + db.string() + " --injection 7 --vcd " + path("r7.vcd").string());
  ASSERT_EQ(replay.code, 0) << replay.err;
  EXPECT_THAT(replay.out, HasSubstr("replayed:"));
  EXPECT_EQ(read_file(path("r7.vcd")).rfind("$version", 0), 0u);
}

TEST_F(CliTest, SitesAgreeWithTheInventory) {
  const Result sites = npufi("sites --config npu64");
  ASSERT_EQ(sites.code, 0) << sites.err;
  EXPECT_THAT(sites.out, HasSubstr("total                  5165     131072     136237"));
  EXPECT_THAT(npufi("npu inventory --config npu64").out, HasSubstr("total                5165     131072"));
  const Result list = npufi("sites --config npu64 --block controller --list");
  EXPECT_THAT(list.out, HasSubstr("controller.state "));
  EXPECT_THAT(one_line_error(npufi("sites --config npu64 --block nosuch"), 2), HasSubstr("matches no block"));
}

TEST_F(CliTest, ProtectFindsTheLeastAreaPlanOrSaysThereIsNone) {
  const fs::path file = rtl_campaign("rtl-protect.toml", "seed = 5\ninjections = 2100\nsampling = \"stratified\"\n");
  const fs::path db = path("rtl-protect.db");
  ASSERT_EQ(npufi("campaign run " + file.string() + " --db " + db.string() + " --threads 2").code, 0);

  const fs::path plan = path("plan.json");
  const Result r = npufi("protect --db " + db.string() + " --campaign 1 --asil D --out " + plan.string());
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("npu32 unprotected"));
  EXPECT_THAT(r.out, HasSubstr("least-area plan for ASIL-D (exact, GLPK)"));
  EXPECT_THAT(r.out, HasSubstr("npu32 with the optimal plan meets ASIL-D"));
  for (const char* row : {"\ncontroller ", "\nweight_buffer ", "\ngreedy ", "\nhardened flops ", "\ndcls ", "Pareto front"})
    EXPECT_THAT(r.out, HasSubstr(row));
  const std::string json = read_file(plan);
  EXPECT_THAT(json, HasSubstr("\"format\": \"npufi-protection-plan\""));
  EXPECT_THAT(json, HasSubstr("\"block\": \"mac_array\""));
  const Result j = npufi("protect --db " + db.string() + " --campaign 1 --json");
  ASSERT_EQ(j.code, 0) << j.err;
  EXPECT_THAT(j.out, HasSubstr("\"pareto_front\""));

  // A catalog without per-block protection cannot reach ASIL-D: said so, best plan printed, exit 3.
  std::ofstream(path("bare.toml")) << "[[option]]\nname = \"none\"\nkind = \"none\"\napplies_to = [\"flop\", \"sram\"]\n"
                                      "[[option]]\nname = \"dcls\"\nkind = \"lockstep\"\napplies_to = [\"flop\", \"sram\"]\n"
                                      "action = \"detect\"\ncoverage = 0.99\n[option.area]\nflop_area = 1\nsram_area = 1\n";
  const Result none = npufi("protect --db " + db.string() + " --campaign 1 --catalog " + path("bare.toml").string());
  EXPECT_EQ(none.code, 3) << none.err;
  EXPECT_THAT(none.out, HasSubstr("NO PLAN of this catalog meets ASIL-D. The best plan reached"));
  EXPECT_THAT(none.out, HasSubstr("misses ASIL-D"));

  // Bad input: one line each.
  std::ofstream(path("negative.toml")) << "[[option]]\nname = \"x\"\nkind = \"hardened\"\napplies_to = [\"flop\"]\n"
                                          "[option.area]\nflop_area = -1\n";
  EXPECT_THAT(one_line_error(npufi("protect --db " + db.string() + " --campaign 1 --catalog " +
                                   path("negative.toml").string()), 1),
              HasSubstr("negative.toml:6: 'option.area.flop_area' must be a number >= 0"));
  EXPECT_THAT(one_line_error(npufi("protect --db " + db.string() + " --campaign 7"), 2),
              HasSubstr("campaign 7 is not an RTL campaign"));
  EXPECT_THAT(one_line_error(npufi("protect --db " + db.string() + " --campaign 1 --asil E"), 2),
              HasSubstr("--asil E is not an ASIL"));
  const fs::path partial = rtl_campaign("rtl-partial.toml", "injections = 200\nblocks = [\"controller\"]\n");
  const fs::path partial_db = path("rtl-partial.db");
  ASSERT_EQ(npufi("campaign run " + partial.string() + " --db " + partial_db.string()).code, 0);
  EXPECT_THAT(one_line_error(npufi("protect --db " + partial_db.string() + " --campaign 1"), 1),
              HasSubstr("the campaign has no injections in block acc_buffer: a plan must cover every block"));
}

// Permanent faults and register groups: an SEU campaign pooled with stuck-at-0 and stuck-at-1 campaigns of
// the same NPU and model, planned per register group; campaigns that cannot be pooled and a bad granularity
// are refused with one line, the database unchanged.
TEST_F(CliTest, ProtectPoolsStuckAtCampaignsAndPlansPerRegister) {
  const fs::path db = path("rtl-registers.db");
  for (const char* model : {"seu", "stuck_at_0", "stuck_at_1"}) {
    const std::string injections = std::string(model) == "seu" ? "1600" : "240";
    const fs::path file = rtl_campaign(std::string("rtl-") + model + ".toml",
                                       "seed = 6\ninjections = " + injections + "\nsampling = \"stratified\"\n" +
                                           "fault_model = \"" + model + "\"\n");
    ASSERT_EQ(npufi("campaign run " + file.string() + " --db " + db.string() + " --threads 2").code, 0) << model;
  }
  // The ISO 26262 analysis of all three: soft errors and stuck-at faults, the latter at the [permanent] rates.
  const Result analyzed = npufi("analyze --db " + db.string() + " --campaign 1,2,3");
  EXPECT_TRUE(analyzed.code == 0 || analyzed.code == 3) << analyzed.err;
  EXPECT_THAT(analyzed.out, HasSubstr("campaigns 1 (rtl-seu), 2 (rtl-stuck_at_0), 3 (rtl-stuck_at_1) on npu32"));
  EXPECT_THAT(analyzed.out, HasSubstr("controller     flop  permanent     1076     60"));  // 30 + 30 stuck-at
  EXPECT_THAT(analyzed.out, HasSubstr("soft errors and stuck-at faults"));

  const fs::path plan = path("register-plan.json");
  const Result r = npufi("protect --db " + db.string() + " --campaigns 1,2,3 --granularity register --out " +
                         plan.string());
  ASSERT_TRUE(r.code == 0 || r.code == 3) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("npu32, campaigns 1 (rtl-seu), 2 (rtl-stuck_at_0), 3 (rtl-stuck_at_1): 71 register groups"));
  for (const char* row : {"\nregister ", "\ncontroller.state ", "\noutput_unit.out_data ", "\nweight_buffer.mem ",
                          "\ngreedy ", "\nhardened flops ", "\ndcls ", "protected registers"})
    EXPECT_THAT(r.out, HasSubstr(row));
  const std::string json = read_file(plan);
  EXPECT_THAT(json, HasSubstr("\"granularity\": \"register\""));
  EXPECT_THAT(json, HasSubstr("\"unit\": \"controller.state\",\n      \"unit_area_ge\": 32.5\n"));

  // An npu64 campaign cannot be pooled with npu32 ones; nor can a campaign be given twice; nor is "foo" a
  // granularity.
  const fs::path npu64 = path("rtl-npu64.toml");
  std::ofstream(npu64) << "target = \"rtl\"\nmodel = \"lenet5.pt\"\nnpu = \"npu64\"\ncalibration = 50\n"
                          "images = \"0:1\"\ninjections = 8\n";
  ASSERT_EQ(npufi("campaign run " + npu64.string() + " --db " + db.string()).code, 0);
  const UnchangedDatabase unchanged(db);
  EXPECT_THAT(one_line_error(npufi("protect --db " + db.string() + " --campaign 1,4"), 2),
              HasSubstr("campaign 4 ran on npu64, campaign 1 on npu32: campaigns analysed together must share the "
                        "NPU configuration, model and protection plan"));
  EXPECT_THAT(one_line_error(npufi("analyze --db " + db.string() + " --campaign 1,4"), 2),
              HasSubstr("campaign 4 ran on npu64, campaign 1 on npu32"));
  EXPECT_THAT(one_line_error(npufi("analyze --db " + db.string() + " --campaign 2,2"), 2),
              HasSubstr("campaign 2 is given twice"));
  EXPECT_THAT(one_line_error(npufi("protect --db " + db.string() + " --campaign 1 --granularity foo"), 2),
              HasSubstr("--granularity: foo not in {block,register}"));
}

TEST_F(CliTest, BadRtlCampaignsAreRefusedBeforeTheDatabase) {
  const std::string listed = "[[fault]]\nsite = \"controller.state[0]\"\ncycle = 10\nimage = 0\n";
  struct Case {
    std::string body;
    std::string message;
  };
  const Case cases[] = {
      {"injections = 10\nblocks = [\"nosuch\"]\n", "'blocks' block 'nosuch' matches no block"},
      {"[[fault]]\nsite = \"controller.nosuch[0]\"\ncycle = 10\nimage = 0\n", "is not a state bit of npu32"},
      {"[[fault]]\nsite = \"controller.state[0]\"\ncycle = 99999999\nimage = 0\n", "is beyond the workload's"},
      {"[[fault]]\nsite = \"controller.state[0]\"\ncycle = 10\nimage = 5\n", "is outside the campaign's images 0:2"},
      {"[[fault]]\nsite = \"controller.next[0]\"\nmodel = \"stuck_at_1\"\ncycle = 10\nimage = 0\n",
       "is not a state bit"},
      {"injections = 10\nlayer = 99\n", "'layer' 99 is beyond the 7 layers of the network"},
      {"injections = 10\nber = [1e-3]\n", "'ber' is not a key of an RTL campaign"},
      {"injections = 5\n" + listed, "give either 'injections'"},
  };
  for (const Case& c : cases) {
    const fs::path file = rtl_campaign("bad-rtl.toml", c.body);
    const fs::path db = path("bad-rtl.db");
    EXPECT_THAT(one_line_error(npufi("campaign run " + file.string() + " --db " + db.string()), 2),
                HasSubstr(c.message))
        << c.body;
    EXPECT_FALSE(fs::exists(db)) << c.body;
  }
  // A model whose layers do not fit the NPU's buffers.
  Model::create("vgg11", 1).save(path("vgg11.pt").string());
  std::ofstream(path("vgg.toml")) << "target = \"rtl\"\nmodel = \"vgg11.pt\"\nnpu = \"npu32\"\ncalibration = 4\n"
                                     "injections = 10\n";
  EXPECT_THAT(one_line_error(npufi("campaign run " + path("vgg.toml").string() + " --db " + path("vgg.db").string()), 2),
              HasSubstr("does not fit npu32"));
  EXPECT_FALSE(fs::exists(path("vgg.db")));
}

}  // namespace
}  // namespace npufi
