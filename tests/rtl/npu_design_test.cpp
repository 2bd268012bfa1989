// The reference NPU through the path every user design takes (rtl/npu/npuN.toml and its testbench): in
// every configuration the same sites as the NPU compiled into npufi, and on npu64 a campaign whose every
// injection ends as on the built-in path.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "db/store.h"
#include "rtl/design/design_plugin.h"
#include "rtl/sim/design_fault_simulator.h"
#include "tests/support/npufi_process.h"

namespace npufi {
namespace {

namespace fs = std::filesystem;

TEST(NpuDesignPath, SitesAndOutcomesEqualTheBuiltInNpu) {
  const fs::path dir = test::make_scratch_dir("npu_design_test");
  fs::copy(NPU_RTL_DIR, dir / "npu", fs::copy_options::recursive);
  const auto npufi = [&](const std::string& args) { return test::run_npufi(dir, args); };
  for (const NpuConfig config : {NpuConfig::npu32, NpuConfig::npu64, NpuConfig::npu128, NpuConfig::npu256}) {
    const std::string design = (dir / "npu" / (npu_config_name(config) + ".toml")).string();
    const test::CliResult built = npufi("design build " + design);
    ASSERT_EQ(built.code, 0) << built.err;
    const DesignFile file = load_design_file(design);
    const DesignFaultSimulator simulator(load_built_design(file), file);
    const std::vector<StateElement>& mine = simulator.sites().elements();
    const std::vector<StateElement>& builtin = npu_fault_sites(config).elements();
    ASSERT_EQ(mine.size(), builtin.size()) << design;
    for (size_t i = 0; i < mine.size(); ++i) {
      EXPECT_EQ(mine[i].path, builtin[i].path);
      EXPECT_EQ(mine[i].block, builtin[i].block) << mine[i].path;
      EXPECT_EQ(mine[i].kind, builtin[i].kind) << mine[i].path;
      EXPECT_EQ(mine[i].width, builtin[i].width) << mine[i].path;
      EXPECT_EQ(mine[i].words, builtin[i].words) << mine[i].path;
    }
  }

  // The same stratified SEUs on both paths: the same faults, the same outcomes.
  const test::CliResult workloads = npufi("npu workload --config npu64 --model " + (dir / "lenet5.pt").string() +
                                          " --images 0:2 --calibration 50 --out " + (dir / "wl").string());
  ASSERT_EQ(workloads.code, 0) << workloads.err;
  const std::string common = "seed = 9\ninjections = 300\nsampling = \"stratified\"\n";
  std::ofstream(dir / "design.toml") << "target = \"rtl\"\ndesign = \"npu/npu64.toml\"\n"
                                        "workloads = [\"wl/image0.npuw\", \"wl/image1.npuw\"]\n" << common;
  std::ofstream(dir / "builtin.toml") << "target = \"rtl\"\nmodel = \"lenet5.pt\"\nnpu = \"npu64\"\nimages = \"0:2\"\n"
                                         "calibration = 50\n" << common;
  for (const char* name : {"design", "builtin"}) {
    const test::CliResult run = npufi("campaign run " + (dir / (std::string(name) + ".toml")).string() + " --db " +
                                      (dir / (std::string(name) + ".db")).string() + " --threads 2");
    ASSERT_EQ(run.code, 0) << name << ": " << run.err;
  }
  const auto rows = [&](const char* name) {
    db::Store store = db::Store::open((dir / (std::string(name) + ".db")).string(), db::Store::Mode::read_only);
    std::ostringstream out;
    for (const db::InjectionRow& r : store.injections(1))
      out << r.injection << " " << r.image << " " << r.site << " " << r.cycle << " " << r.outcome << "\n";
    return out.str();
  };
  const std::string on_design = rows("design");
  EXPECT_EQ(std::count(on_design.begin(), on_design.end(), '\n'), 300);
  EXPECT_EQ(on_design, rows("builtin"));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace npufi
