// A design npufi did not grow up with (tests/rtl/gemm: a weight-stationary systolic GEMM with its own
// controller, SRAM and error flag), through the path every user design takes: `npufi design build`, its
// sites, golden runs, faults of every outcome class, and the optimized simulation agreeing with the naive
// one, fault for fault.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <csignal>

#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>

#include "db/store.h"
#include "gemm/gemm_workload.h"
#include "injector/outcome.h"
#include "rtl/design/design_build.h"
#include "rtl/sim/design_fault_simulator.h"
#include "tests/support/npufi_process.h"

namespace npufi {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

class DesignTarget : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(test::make_scratch_dir("design_test"));
    fs::copy(GEMM_DESIGN_DIR, *dir_ / "gemm", fs::copy_options::recursive);
    const test::CliResult built = npufi("design build " + design_path());
    ASSERT_EQ(built.code, 0) << built.err;
    for (size_t i = 0; i < workloads().size(); ++i) workloads()[i].write(workload_path(i));
    const DesignFile file = load_design_file(design_path());
    simulator_ = new DesignFaultSimulator(load_built_design(file), file);
  }
  static void TearDownTestSuite() {
    delete simulator_;
    fs::remove_all(*dir_);
    delete dir_;
  }

  static test::CliResult npufi(const std::string& args) { return test::run_npufi(*dir_, args); }
  static std::string design_path() { return (*dir_ / "gemm" / "gemm.toml").string(); }
  static std::string workload_path(size_t i) { return (*dir_ / "w").string() + std::to_string(i) + ".bin"; }
  static std::vector<test::GemmWorkload>& workloads() {
    static std::vector<test::GemmWorkload> w{{64, 6, 1}, {40, 7, 2}, {24, 5, 3}};
    return w;
  }
  static std::shared_ptr<const DesignGolden> golden(size_t i) {
    static std::vector<std::shared_ptr<const DesignGolden>> goldens(workloads().size());
    if (!goldens[i]) goldens[i] = simulator_->record_golden(workload_path(i), 16);
    return goldens[i];
  }
  static uint64_t site(const std::string& name) {
    const auto bit = simulator_->sites().find(name);
    EXPECT_TRUE(bit) << name;
    return bit.value_or(0);
  }
  static OutcomeClass outcome(const DesignGolden& g, const RtlFault& fault, InjectionMode mode) {
    return classify(simulator_->inject(g, fault, mode), g, *simulator_);
  }

  // The last line of stderr, which must be npufi's one-line error.
  static std::string one_line_error(const test::CliResult& r) {
    EXPECT_NE(r.code, 0) << r.out;
    const auto start = r.err.rfind('\n', r.err.size() >= 2 ? r.err.size() - 2 : 0);
    const std::string last = r.err.substr(start == std::string::npos ? 0 : start + 1);
    EXPECT_EQ(last.rfind("npufi: error: ", 0), 0u) << r.err;
    return last;
  }

  static fs::path* dir_;
  static DesignFaultSimulator* simulator_;
};

fs::path* DesignTarget::dir_ = nullptr;
DesignFaultSimulator* DesignTarget::simulator_ = nullptr;

TEST_F(DesignTarget, SitesAreTheDesignsFlopsAndMemories) {
  // Counted from gemm*.sv by hand: the controller's 14 registers (113 bits), the A buffer's 64 x 32 SRAM and
  // its read register, the array's skew (3 x 24), deskew (3 x 60) and valid (7) registers, 16 PEs of 36 bits
  // (a [[block]] rule makes them mac_array), and done and error.
  const test::CliResult sites = npufi("sites --design " + design_path());
  ASSERT_EQ(sites.code, 0) << sites.err;
  const test::CliResult inventory = npufi("npu inventory --design " + design_path());
  ASSERT_EQ(inventory.code, 0) << inventory.err;
  EXPECT_THAT(inventory.out, HasSubstr("mac_array             576          0      0       11600"));  // 576 x 6.5 + 7856
  for (const char* row : {"abuf                     32       2048       2080", "array                   259          0        259",
                          "ctrl                    113          0        113", "mac_array               576          0        576",
                          "status                    2          0          2", "total                   982       2048       3030"})
    EXPECT_THAT(sites.out, HasSubstr(row));
  const test::CliResult plan = npufi("plan --design " + design_path() + " --cycles 221 --margin 0.05");
  ASSERT_EQ(plan.code, 0) << plan.err;
  EXPECT_THAT(plan.out, HasSubstr("gemm: transient bit flips"));
  EXPECT_THAT(plan.out, HasSubstr("mac_array"));
  EXPECT_THAT(one_line_error(npufi("plan --design " + design_path())), HasSubstr("--cycles is required with --design"));
  EXPECT_TRUE(simulator_->sites().find("array.g_row[3].g_col[2].u_pe.w[7]"));
  EXPECT_FALSE(simulator_->sites().find("array.g_row[4].g_col[2].u_pe.w[7]"));
}

TEST_F(DesignTarget, BuildIsCachedByTheDigestOfEveryInput) {
  const test::CliResult again = npufi("design build " + design_path());
  ASSERT_EQ(again.code, 0) << again.err;
  EXPECT_THAT(again.out, HasSubstr("gemm: up to date in"));
  // Built elsewhere (--out), it is linked from the default folder, where every command looks.
  const fs::path elsewhere = *dir_ / "elsewhere";
  const test::CliResult out = npufi("design build " + design_path() + " --out " + elsewhere.string());
  ASSERT_EQ(out.code, 0) << out.err;
  EXPECT_TRUE(fs::exists(elsewhere / "gemm.so"));
  EXPECT_TRUE(fs::is_symlink(*dir_ / "gemm" / ".npufi" / "gemm"));
  EXPECT_EQ(npufi("sites --design " + design_path()).code, 0);
  // A changed source makes the build stale until it is built again; the same bytes make it current again.
  const fs::path source = *dir_ / "gemm" / "gemm_status.sv";
  const std::string original = test::read_file(source);
  std::ofstream(source, std::ios::app) << "// changed\n";
  EXPECT_THAT(one_line_error(npufi("sites --design " + design_path())), HasSubstr("is stale (its inputs changed)"));
  std::ofstream(source, std::ios::trunc) << original;
  EXPECT_EQ(npufi("sites --design " + design_path()).code, 0);
}

TEST_F(DesignTarget, GoldenRunsComputeTheProduct) {
  for (size_t i = 0; i < workloads().size(); ++i) {
    const DesignGolden& g = *golden(i);
    EXPECT_EQ(g.output(), workloads()[i].expected()) << "workload " << i;
    ASSERT_TRUE(g.top1());
    EXPECT_GT(g.cycles(), workloads()[i].rows * 3);
  }
}

TEST_F(DesignTarget, EveryOutcomeClassOccurs) {
  const DesignGolden& g = *golden(0);
  for (InjectionMode mode : {InjectionMode::naive, InjectionMode::optimized}) {
    EXPECT_EQ(outcome(g, {RtlFaultModel::seu, site("status.error[0]"), 1, 30}, mode), OutcomeClass::due_detected);
    // Bit 2 of the 3-bit FSM state stuck at 0: LOAD_A (4) and beyond are unreachable.
    EXPECT_EQ(outcome(g, {RtlFaultModel::stuck_at_0, site("ctrl.state[2]"), 1, 0}, mode), OutcomeClass::due_hang);
    // An upset in the unused high bits of the deskew register of column 2 is overwritten unseen.
    EXPECT_EQ(outcome(g, {RtlFaultModel::seu, site("array.deskew[2][50]"), 1, 100}, mode), OutcomeClass::masked);
    // Row 5 of A in the buffer, after loading (2 cycles per word: 5 descriptor words, 4 of B, 64 of A) and
    // before the array reads it: row 5 of C changes, not the last row, which decides top-1.
    EXPECT_EQ(outcome(g, {RtlFaultModel::seu, site("abuf.rows[5][6]"), 1, 150}, mode), OutcomeClass::sdc_benign);
    // The sign of a weight in the column that wins top-1, after loading: for one of the 4 rows of the
    // array, the last row of C picks another column.
    int critical = 0;
    for (int k = 0; k < 4; ++k) {
      const std::string w = "array.g_row[" + std::to_string(k) + "].g_col[" + std::to_string(*g.top1()) + "].u_pe.w[7]";
      critical += outcome(g, {RtlFaultModel::seu, site(w), 1, 100}, mode) == OutcomeClass::sdc_critical;
    }
    EXPECT_GT(critical, 0);
  }
}

TEST_F(DesignTarget, OptimizedAgreesWithNaiveOn300Faults) {
  int mbus = 0;
  std::mt19937_64 rng(7);
  const FaultSites& sites = simulator_->sites();
  uint64_t naive_cycles = 0, optimized_cycles = 0;
  std::map<OutcomeClass, int> seen;
  for (int i = 0; i < 300; ++i) {
    const DesignGolden& g = *golden(size_t(i) % workloads().size());
    // SEUs, stuck-at-0 and -1, and 2-bit MBUs where the word has room.
    RtlFault fault{RtlFaultModel::seu, rng() % sites.total_bits(), 1, rng() % g.cycles()};
    const SiteRef at = sites.locate(fault.bit);
    if (i % 3 == 0) fault.model = i % 2 ? RtlFaultModel::stuck_at_1 : RtlFaultModel::stuck_at_0;
    else if (i % 5 == 1 && at.bit + 2 <= sites.elements()[at.element].width) fault = {RtlFaultModel::mbu, fault.bit, 2, fault.cycle};
    const DesignFaultRun naive = simulator_->inject(g, fault, InjectionMode::naive);
    const DesignFaultRun optimized = simulator_->inject(g, fault, InjectionMode::optimized);
    ASSERT_EQ(classify(naive, g, *simulator_), classify(optimized, g, *simulator_)) << "fault " << i << " " << sites.name(fault.bit);
    ASSERT_EQ(naive.output, optimized.output) << "fault " << i << " " << sites.name(fault.bit);
    ASSERT_EQ(naive.status, optimized.status) << "fault " << i;
    ++seen[classify(naive, g, *simulator_)];
    mbus += fault.model == RtlFaultModel::mbu;
    naive_cycles += naive.simulated_cycles;
    optimized_cycles += optimized.simulated_cycles;
  }
  EXPECT_GT(mbus, 20);
  EXPECT_LT(optimized_cycles * 2, naive_cycles);
  EXPECT_GT(seen[OutcomeClass::masked], 0);
  EXPECT_GT(seen[OutcomeClass::sdc_critical] + seen[OutcomeClass::sdc_benign], 0);
}

}  // namespace
}  // namespace npufi

namespace npufi {
namespace {

// Each bad design file gets one line naming the file and what is wrong, and leaves no build behind.
TEST_F(DesignTarget, BadDesignFilesAreRefusedWithOneLine) {
  const fs::path gemm = *dir_ / "gemm";
  std::ofstream(gemm / "broken.sv") << "module broken(input logic clk);\n  logic x\nendmodule\n";
  std::ofstream(gemm / "broken_tb.cpp") << "#include \"npufi/testbench.h\"\nint f() { return undeclared; }\n";
  const std::string sources = "sources = [\"gemm_pe.sv\", \"gemm_array.sv\", \"gemm_abuf.sv\", \"gemm_ctrl.sv\", "
                              "\"gemm_status.sv\", \"gemm.sv\"]\n";
  const std::string clocking = "[clock]\nname = \"clk\"\n[reset]\nname = \"rst_n\"\nactive = \"low\"\n";
  struct Case {
    std::string name, body, message;
  };
  const Case cases[] = {
      {"nosource", "top = \"gemm\"\nsources = [\"gemm.sv\", \"nosuch.sv\"]\ntestbench = \"gemm_testbench.cpp\"\n" + clocking,
       "nosource.toml:3: 'sources' nosuch.sv: no such file"},
      {"notop", "top = \"nosuch\"\n" + sources + "testbench = \"gemm_testbench.cpp\"\n" + clocking,
       "notop.toml: Verilator: %Error: Specified --top-module 'nosuch' was not found in design."},
      {"syntax", "top = \"broken\"\nsources = [\"broken.sv\"]\ntestbench = \"gemm_testbench.cpp\"\n" + clocking,
       "syntax.toml: Verilator: %Error: " + (gemm / "broken.sv").string() + ":3:1: syntax error"},
      {"noclock", "top = \"gemm\"\n" + sources + "testbench = \"gemm_testbench.cpp\"\n[clock]\nname = \"done\"\n"
                  "[reset]\nname = \"rst_n\"\n",
       "noclock.toml:6: the clock 'done' is not an input of the top module gemm (its inputs: clk, mem_rdata, "
       "mem_rvalid, rst_n, start)"},
      {"noblock", "top = \"gemm\"\n" + sources + "testbench = \"gemm_testbench.cpp\"\n" + clocking +
                      "[[block]]\ninstances = \"u_nosuch*\"\nname = \"x\"\n",
       "noblock.toml:10: block 'x': instances 'u_nosuch*' match no instance below gemm"},
      {"badkey", "top = \"gemm\"\n" + sources + "testbench = \"gemm_testbench.cpp\"\nclocks = 1\n" + clocking,
       "badkey.toml:5: 'clocks' is not a key of a design file"},
      {"badreset", "top = \"gemm\"\n" + sources + "testbench = \"gemm_testbench.cpp\"\n[clock]\nname = \"clk\"\n"
                   "[reset]\nname = \"rst_n\"\nactive = \"sideways\"\n",
       "badreset.toml:9: 'reset.active' sideways is neither \"high\" nor \"low\""},
      {"badtb", "top = \"gemm\"\n" + sources + "testbench = \"broken_tb.cpp\"\n" + clocking,
       "badtb.toml: the plugin does not compile: " + (gemm / "broken_tb.cpp").string() + ":2:18: error: "
       "'undeclared' was not declared in this scope"},
  };
  for (const Case& c : cases) {
    std::ofstream(gemm / (c.name + ".toml")) << "name = \"" << c.name << "\"\n" << c.body;
    const std::string error = one_line_error(npufi("design build " + (gemm / (c.name + ".toml")).string()));
    EXPECT_THAT(error, HasSubstr(c.message)) << c.name;
    EXPECT_FALSE(fs::exists(gemm / ".npufi" / c.name)) << c.name;
  }
}

// A build whose plugin was replaced is refused when it is loaded.
TEST_F(DesignTarget, ForeignPluginIsRefused) {
  const fs::path copy = *dir_ / "foreign";
  fs::copy(*dir_ / "gemm", copy, fs::copy_options::recursive);
  const fs::path plugin = copy / ".npufi" / "gemm" / "gemm.so";
  std::ofstream(plugin, std::ios::trunc) << "not a shared object";
  EXPECT_THAT(one_line_error(npufi("sites --design " + (copy / "gemm.toml").string())),
              HasSubstr("gemm.so: cannot load the design plugin"));
  fs::copy_file(fs::path(NOT_A_PLUGIN), plugin, fs::copy_options::overwrite_existing);
  EXPECT_THAT(one_line_error(npufi("sites --design " + (copy / "gemm.toml").string())),
              HasSubstr("gemm.so: the plugin is not an npufi design plugin"));
}

}  // namespace
}  // namespace npufi

namespace npufi {
namespace {

// Campaign files on the design: the engine, storage, statistics and resume of the reference NPU's.
TEST_F(DesignTarget, CampaignsStoreEveryOutcomeClassAndResumeIdentically) {
  const auto campaign = [&](const std::string& name, const std::string& body) {
    const fs::path file = *dir_ / name;
    std::ofstream(file) << "target = \"rtl\"\ndesign = \"gemm/gemm.toml\"\nworkloads = [\"w0.bin\", \"w1.bin\", "
                           "\"w2.bin\"]\ncheckpoint_interval = 16\nsampling = \"stratified\"\n"
                        << body;
    return file;
  };
  const auto rows = [](const fs::path& db, int64_t campaign) {
    db::Store store = db::Store::open(db.string(), db::Store::Mode::read_only);
    std::ostringstream out;
    for (const db::InjectionRow& r : store.injections(campaign))
      out << r.injection << " " << r.image << " " << r.site << " " << r.model << " " << r.cycle << " " << r.outcome
          << " " << r.simulated_cycles << " " << r.ended_by << "\n";
    return out.str();
  };
  const fs::path seu = campaign("design-seu.toml", "seed = 3\ninjections = 100000\n");
  const fs::path straight = *dir_ / "design-straight.db";
  const test::CliResult run = npufi("campaign run " + seu.string() + " --db " + straight.string() + " --threads 2");
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_THAT(run.err, HasSubstr("golden gemm: 3 workload(s)"));
  for (const char* model : {"stuck_at_0", "stuck_at_1"}) {
    const fs::path file = campaign(std::string("design-") + model + ".toml",
                                   "seed = 4\ninjections = 3000\nfault_model = \"" + std::string(model) + "\"\n");
    ASSERT_EQ(npufi("campaign run " + file.string() + " --db " + straight.string()).code, 0) << model;
  }
  const std::string all = rows(straight, 1) + rows(straight, 2) + rows(straight, 3);
  for (const char* outcome : {" masked ", " sdc_benign ", " sdc_critical ", " due_detected ", " due_hang "})
    EXPECT_THAT(all, HasSubstr(outcome));

  // The ISO 26262 analysis of the three pooled, and the least-area protection plan with the design's area
  // model (gemm-area.toml), per block and per register group.
  const test::CliResult analyzed = npufi("analyze --db " + straight.string() + " --campaign 1,2,3");
  EXPECT_TRUE(analyzed.code == 0 || analyzed.code == 3) << analyzed.err;
  EXPECT_THAT(analyzed.out, HasSubstr("on gemm"));
  EXPECT_THAT(analyzed.out, HasSubstr("| mac_array |"));
  const test::CliResult protect = npufi("protect --db " + straight.string() + " --campaign 1,2,3 --asil B");
  EXPECT_TRUE(protect.code == 0 || protect.code == 3) << protect.err;
  EXPECT_THAT(protect.out, HasSubstr("gemm unprotected"));
  EXPECT_THAT(protect.out, HasSubstr("\nmac_array "));
  // 982 flop bits x 6.5 GE + 2048 SRAM bits x 0.6 GE + 9156 GE of logic.
  EXPECT_THAT(protect.out, HasSubstr("5 blocks, 16768 GE"));
  // The ASIL-D plan, verified by injection: the same faults, their outcomes passed through the plan.
  const fs::path plan = *dir_ / "gemm-plan.json";
  const test::CliResult planned = npufi("protect --db " + straight.string() + " --campaign 1,2,3 --asil D --out " +
                                        plan.string());
  ASSERT_TRUE(planned.code == 0 || planned.code == 3) << planned.err;
  const fs::path verify = campaign("design-verify.toml", "seed = 3\ninjections = 100000\nprotection = \"gemm-plan.json\"\n");
  ASSERT_EQ(npufi("campaign run " + verify.string() + " --db " + straight.string()).code, 0);
  const auto critical = [&](int64_t campaign) {
    db::Store store = db::Store::open(straight.string(), db::Store::Mode::read_only);
    int64_t n = 0;
    for (const db::InjectionRow& r : store.injections(campaign)) n += r.outcome == "sdc_critical";
    return n;
  };
  EXPECT_LT(critical(4), critical(1));
  EXPECT_THAT(one_line_error(npufi("analyze --db " + straight.string() + " --campaign 1,4")),
              HasSubstr("campaign 4 ran under plan "));
  const test::CliResult registers =
      npufi("protect --db " + straight.string() + " --campaign 1,2,3 --granularity register --json");
  EXPECT_TRUE(registers.code == 0 || registers.code == 3) << registers.err;
  EXPECT_THAT(registers.out, HasSubstr("\"unit\": \"ctrl.state\""));

  // replay: one stored injection again, the same outcome, and a waveform.
  const test::CliResult replay = npufi("replay --db " + straight.string() + " --campaign 1 --injection 7 --vcd " +
                                       (*dir_ / "r7.vcd").string());
  ASSERT_EQ(replay.code, 0) << replay.err;
  EXPECT_THAT(replay.out, HasSubstr("replayed:"));
  EXPECT_THAT(replay.out, HasSubstr(", workload "));
  EXPECT_EQ(test::read_file(*dir_ / "r7.vcd").rfind("$version", 0), 0u);

  // Listed faults name the design's sites and its workloads.
  const fs::path listed = campaign("design-listed.toml", "[[fault]]\nsite = \"ctrl.state[2]\"\nmodel = \"stuck_at_0\"\n"
                                                         "cycle = 0\nimage = 2\n");
  ASSERT_EQ(npufi("campaign run " + listed.string() + " --db " + straight.string()).code, 0);
  EXPECT_THAT(rows(straight, 5), HasSubstr("0 2 ctrl.state[2] stuck_at_0 0 due_hang"));
  const fs::path bad = campaign("design-bad.toml", "[[fault]]\nsite = \"ctrl.nosuch[0]\"\ncycle = 0\nimage = 0\n");
  EXPECT_THAT(one_line_error(npufi("campaign run " + bad.string() + " --db " + straight.string())),
              HasSubstr("'fault.site' \"ctrl.nosuch[0]\" is not a state bit of gemm (npufi sites --design "));
  const fs::path npu_key = campaign("design-npu.toml", "injections = 10\nnpu = \"npu32\"\n");
  EXPECT_THAT(one_line_error(npufi("campaign run " + npu_key.string() + " --db " + straight.string())),
              HasSubstr("design-npu.toml:7: 'npu' does not apply to a campaign on a design"));

  // Killed, then resumed on one thread: the same injections, field for field.
  const fs::path killed = *dir_ / "design-killed.db";
  const pid_t child = test::start_campaign_and_wait(seu, killed, 2000);
  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, 0);
  if (!WIFSIGNALED(status) || test::stored_trials(killed) == 100000)
    GTEST_SKIP() << "the campaign finished before it could be killed; nothing was resumed";
  ASSERT_EQ(npufi("campaign run " + seu.string() + " --db " + killed.string() + " --threads 1").code, 0);
  EXPECT_EQ(rows(killed, 1), rows(straight, 1));
}

}  // namespace
}  // namespace npufi
