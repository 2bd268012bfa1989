// Campaigns on several processes (docs/cluster.md): shards merged, and mpirun with 3 ranks, give what one
// process stores; a rank killed stops the run, and the run resumes with nothing lost or stored twice.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "db/store.h"
#include "tests/support/npufi_process.h"

namespace npufi {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using Result = test::CliResult;

class ClusterTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { dir_ = test::make_scratch_dir("cluster_test"); }
  static void TearDownTestSuite() { fs::remove_all(dir_); }

  static fs::path path(const std::string& name) { return dir_ / name; }
  static Result npufi(const std::string& args) { return test::run_npufi(dir_, args); }
  // npufi started by mpirun with `ranks` ranks (the prefix of the command line).
  static Result mpirun(int ranks, const std::string& args) {
    return test::run_npufi(dir_, args, std::string(NPUFI_MPIRUN) + " --allow-run-as-root --oversubscribe -np " +
                                           std::to_string(ranks));
  }
  static void skip_without_mpi() {
    if (std::string(NPUFI_MPIRUN).empty()) GTEST_SKIP() << "npufi was built without MPI (libopenmpi-dev)";
  }

  static fs::path weight_campaign(const std::string& name) {
    std::ofstream(path(name)) << "model = \"lenet5.pt\"\nimages = \"0:200\"\nbatch_size = 100\n"
                              << "formats = [\"fp32\", \"int8\"]\nber = [1e-4, 1e-3]\nrepetitions = 10\n";
    return path(name);
  }
  static fs::path rtl_campaign(const std::string& name, const std::string& body) {
    std::ofstream(path(name)) << "target = \"rtl\"\nmodel = \"lenet5.pt\"\nnpu = \"npu32\"\ncalibration = 50\n"
                              << "images = \"0:2\"\n" << body;
    return path(name);
  }

  static std::string run_and_export(const fs::path& file, const std::string& db, const std::string& flags = "") {
    const Result run = npufi("campaign run " + file.string() + " --db " + path(db).string() + " " + flags);
    EXPECT_EQ(run.code, 0) << run.err;
    return export_csv(db);
  }
  static std::string export_csv(const std::string& db) {
    const Result r = npufi("export --db " + path(db).string() + " --campaign 1 --format csv");
    EXPECT_EQ(r.code, 0) << r.err;
    return r.out;
  }
  // Every stored row of campaign 1 but the wall time of weight trials, in index order.
  static std::string rows(const std::string& db) {
    db::Store store = db::Store::open(path(db).string(), db::Store::Mode::read_only);
    std::ostringstream out;
    for (const db::TrialRow& t : store.trials(1)) {
      out << t.trial << " " << t.format << " " << t.ber << " " << t.fault_count << " " << t.correct << " "
          << t.mismatches;
      for (const db::FaultRow& f : store.faults(1, t.trial)) out << " " << f.tensor << ":" << f.index << ":" << f.bit;
      out << "\n";
    }
    for (const db::InjectionRow& r : store.injections(1))
      out << r.injection << " " << r.image << " " << r.site << " " << r.model << " " << r.cycle << " " << r.outcome
          << " " << r.first_diff_layer << " " << r.simulated_cycles << " " << r.ended_by << "\n";
    return out.str();
  }

  static fs::path dir_;
};

fs::path ClusterTest::dir_;

TEST_F(ClusterTest, ShardsMergedGiveTheExportOfOneRun) {
  const fs::path file = weight_campaign("weights.toml");
  const std::string one = run_and_export(file, "one.db", "--threads 2");
  EXPECT_EQ(std::count(one.begin(), one.end(), '\n'), 5);
  std::string shards;
  for (int k = 1; k <= 3; ++k) {
    const std::string db = "shard-" + std::to_string(k) + ".db";
    const Result r = npufi("campaign run " + file.string() + " --shard " + std::to_string(k) + "/3 --db " +
                           path(db).string() + " --threads 1");
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_THAT(r.out, HasSubstr(k == 1 ? "shard 1/3: 14 trials" : "shard " + std::to_string(k) + "/3: 13 trials"));
    shards += " " + path(db).string();
  }
  const Result merged = npufi("db merge " + path("merged.db").string() + shards);
  ASSERT_EQ(merged.code, 0) << merged.err;
  EXPECT_EQ(merged.out, path("merged.db").string() + ": campaign 1 (weights), 3 of 3 shard(s), 40 of 40 stored, done\n");
  EXPECT_EQ(export_csv("merged.db"), one);
  EXPECT_EQ(rows("merged.db"), rows("one.db"));

  // A missing shard is named; `campaign run` on the merged database completes it.
  const Result partial = npufi("db merge " + path("partial.db").string() + " " + path("shard-1.db").string() + " " +
                               path("shard-3.db").string());
  ASSERT_EQ(partial.code, 0) << partial.err;
  EXPECT_THAT(partial.out, HasSubstr("27 of 40 stored\nmissing: shard 2/3\n"));
  EXPECT_EQ(npufi("campaign run " + file.string() + " --db " + path("partial.db").string()).code, 0);
  EXPECT_EQ(export_csv("partial.db"), one);

  // What cannot be merged or sharded: one-line errors; nothing written.
  std::ofstream(path("other.toml")) << "model = \"lenet5.pt\"\nimages = \"0:200\"\nseed = 9\nber = [1e-4]\nrepetitions = 3\n";
  ASSERT_EQ(npufi("campaign run " + path("other.toml").string() + " --shard 2/3 --db " + path("other.db").string()).code, 0);
  const Result other = npufi("db merge " + path("mixed.db").string() + shards.substr(0, shards.find(" ", 1)) + " " +
                             path("other.db").string());
  EXPECT_EQ(other.code, 1);
  EXPECT_THAT(other.err, HasSubstr("npufi: error: " + path("other.db").string() + " holds campaign 'other'"));
  EXPECT_EQ(std::count(other.err.begin(), other.err.end(), '\n'), 1) << other.err;
  EXPECT_FALSE(fs::exists(path("mixed.db")));
  const Result twice = npufi("db merge " + path("twice.db").string() + shards + " " + path("shard-2.db").string());
  EXPECT_THAT(twice.err, HasSubstr("both hold shard 2/3: their slices overlap"));
  const std::string before = test::read_file(path("shard-1.db"));
  const Result wrong = npufi("campaign run " + file.string() + " --shard 2/3 --db " + path("shard-1.db").string());
  EXPECT_EQ(wrong.code, 2);
  EXPECT_THAT(wrong.err, HasSubstr("holds shard 1/3 of campaign 1 (weights); shard 2/3 goes into a database of its own"));
  EXPECT_EQ(test::read_file(path("shard-1.db")), before);
  EXPECT_THAT(npufi("campaign run " + file.string() + " --shard 4/3 --db " + path("x.db").string()).err,
              HasSubstr("--shard '4/3' must be K/N with 1 <= K <= N"));
  const fs::path sequential = rtl_campaign("sequential.toml", "injections = 400\ntarget_margin = 0.1\n");
  const Result refused = npufi("campaign run " + sequential.string() + " --shard 1/2 --db " + path("seq.db").string());
  EXPECT_EQ(refused.code, 2);
  EXPECT_THAT(refused.err, HasSubstr("--shard does not apply to a sequential campaign ('target_margin')"));
  EXPECT_FALSE(fs::exists(path("seq.db")));
}

TEST_F(ClusterTest, RtlShardsMergedStoreTheInjectionsOfOneRun) {
  const fs::path file = rtl_campaign("rtl-shards.toml", "seed = 4\ninjections = 300\n");
  const std::string one = run_and_export(file, "rtl-one.db", "--threads 2");
  for (const char* k : {"1", "2"})
    ASSERT_EQ(npufi("campaign run " + file.string() + " --shard " + k + "/2 --threads 1 --db " +
                    path(std::string("rtl-shard-") + k + ".db").string()).code, 0);
  ASSERT_EQ(npufi("db merge " + path("rtl-merged.db").string() + " " + path("rtl-shard-2.db").string() + " " +
                  path("rtl-shard-1.db").string()).code, 0);
  EXPECT_EQ(export_csv("rtl-merged.db"), one);
  EXPECT_EQ(rows("rtl-merged.db"), rows("rtl-one.db"));
}

TEST_F(ClusterTest, ThreeMpiRanksStoreWhatOneProcessStores) {
  skip_without_mpi();
  const fs::path weights = weight_campaign("mpi-weights.toml");
  const std::string one = run_and_export(weights, "mpi-weights-one.db", "--threads 1");
  const Result run = mpirun(3, "campaign run " + weights.string() + " --db " + path("mpi-weights.db").string() +
                                   " --threads 1");
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_THAT(run.err, HasSubstr("running 40 on 3 ranks with 1 worker thread(s) each"));
  EXPECT_EQ(export_csv("mpi-weights.db"), one);
  EXPECT_EQ(rows("mpi-weights.db"), rows("mpi-weights-one.db"));

  const fs::path rtl = rtl_campaign("mpi-rtl.toml", "seed = 6\ninjections = 400\n");
  const std::string rtl_one = run_and_export(rtl, "mpi-rtl-one.db", "--threads 2");
  ASSERT_EQ(mpirun(3, "campaign run " + rtl.string() + " --db " + path("mpi-rtl.db").string() + " --threads 1").code, 0);
  EXPECT_EQ(export_csv("mpi-rtl.db"), rtl_one);
  EXPECT_EQ(rows("mpi-rtl.db"), rows("mpi-rtl-one.db"));

  // A sequential campaign: rank 0 plans the rounds one process would.
  const fs::path rounds = rtl_campaign("mpi-rounds.toml", "seed = 5\ninjections = 2000\ntarget_margin = 0.05\n"
                                                          "round_size = 200\n");
  const std::string rounds_one = run_and_export(rounds, "mpi-rounds-one.db", "--threads 2");
  const Result sequential = mpirun(3, "campaign run " + rounds.string() + " --db " + path("mpi-rounds.db").string() +
                                          " --threads 1");
  ASSERT_EQ(sequential.code, 0) << sequential.err;
  EXPECT_THAT(sequential.err, HasSubstr("stopped: every block's sdc_critical interval half-width is at most 0.05"));
  EXPECT_EQ(rows("mpi-rounds.db"), rows("mpi-rounds-one.db"));
  EXPECT_EQ(export_csv("mpi-rounds.db"), rounds_one);
}

// The pid of rank `rank` of an mpirun job writing to `db`, once it runs (0 if it never does).
pid_t rank_pid(int rank, const fs::path& db) {
  for (int tries = 0; tries < 600; ++tries) {
    for (const auto& entry : fs::directory_iterator("/proc")) {
      const std::string environ = test::read_file(entry.path() / "environ");
      const std::string cmdline = test::read_file(entry.path() / "cmdline");
      if (environ.find("OMPI_COMM_WORLD_RANK=" + std::to_string(rank) + '\0') != std::string::npos &&
          cmdline.find(db.string()) != std::string::npos)
        return pid_t(std::stoi(entry.path().filename().string()));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return 0;
}

// Starts `mpirun -np 3 npufi campaign run FILE --db DB` (mpirun's own pid) and returns once `results`
// are stored, or after 60 s.
pid_t start_mpirun(const fs::path& file, const fs::path& db, const fs::path& log, int64_t results) {
  const pid_t launcher = fork();
  if (launcher == 0) {
    const std::string command = std::string("exec ") + NPUFI_MPIRUN + " --allow-run-as-root --oversubscribe -np 3 " +
                                NPUFI_BINARY + " campaign run " + file.string() + " --db " + db.string() +
                                " --threads 1 >" + log.string() + ".out 2>" + log.string();
    execl("/bin/sh", "sh", "-c", command.c_str(), nullptr);
    _exit(127);
  }
  const auto stored_so_far = [&]() -> int64_t {
    try {
      return fs::exists(db) ? test::stored_trials(db) : 0;
    } catch (const db::DbError&) {
      return 0;  // not created yet, or held by the writer for a moment
    }
  };
  for (int i = 0; i < 3000 && stored_so_far() < results; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  return launcher;
}

TEST_F(ClusterTest, AKilledRankStopsTheRunWhichThenResumes) {
  skip_without_mpi();
  const fs::path file = rtl_campaign("mpi-kill.toml", "seed = 8\ninjections = 30000\n");
  const fs::path db = path("mpi-kill.db");
  const pid_t launcher = start_mpirun(file, db, path("kill.err"), 500);
  const pid_t rank1 = rank_pid(1, db);
  ASSERT_GT(rank1, 0);
  kill(rank1, SIGKILL);
  int status = 0;
  waitpid(launcher, &status, 0);
  const int64_t stored = test::stored_trials(db);
  if (stored == 30000) GTEST_SKIP() << "the campaign finished before rank 1 was killed";
  EXPECT_NE(WEXITSTATUS(status), 0);
  EXPECT_THAT(npufi("campaign status 1 --db " + db.string()).out, HasSubstr("interrupted"));

  // Resumed on 2 ranks: every injection once, as one process stores them.
  const Result resumed = mpirun(2, "campaign run " + file.string() + " --db " + db.string() + " --threads 1");
  ASSERT_EQ(resumed.code, 0) << resumed.err;
  EXPECT_THAT(resumed.err, HasSubstr(std::to_string(stored) + " of 30000 injections stored"));
  const std::string one = run_and_export(file, "mpi-kill-one.db", "--threads 2");
  EXPECT_EQ(export_csv("mpi-kill.db"), one);
  EXPECT_EQ(rows("mpi-kill.db"), rows("mpi-kill-one.db"));
}

TEST_F(ClusterTest, CtrlCOnMpirunStopsEveryRankCleanly) {
  skip_without_mpi();
  const fs::path file = rtl_campaign("mpi-int.toml", "seed = 9\ninjections = 100000\n");
  const fs::path db = path("mpi-int.db");
  const pid_t launcher = start_mpirun(file, db, path("int.err"), 500);
  kill(launcher, SIGINT);
  int status = 0;
  waitpid(launcher, &status, 0);
  const int64_t stored = test::stored_trials(db);
  if (stored == 100000) GTEST_SKIP() << "the campaign finished before Ctrl-C reached it";
  const std::string log = test::read_file(path("int.err"));
  EXPECT_THAT(log, HasSubstr("campaign 1 stopped at " + std::to_string(stored) + " of 100000 trials; run the same "
                             "command to resume"));
  EXPECT_THAT(npufi("campaign status 1 --db " + db.string()).out, HasSubstr("interrupted"));
  EXPECT_EQ(std::string(test::read_file(path("int.err.out"))), "");  // no rank printed a table
}

}  // namespace
}  // namespace npufi
