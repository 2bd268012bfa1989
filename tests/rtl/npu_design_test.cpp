// The reference NPU's two views on the same plugin (rtl/npu/npu64.toml, built by npufi's build): as the
// NPU target (`npu = "npu64"`: the network compiled by npufi, the layer-aware simulator with its reference
// shortcut) and as any design (`design = ...`: workloads from `npufi npu workload`, the generic simulator).
// The two simulators decide outcomes by different rules; every injection must end alike.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "db/store.h"
#include "tests/support/npufi_process.h"

namespace npufi {
namespace {

namespace fs = std::filesystem;

TEST(NpuDesignPath, NpuTargetAndDesignTargetAgreeOnEveryInjection) {
  const fs::path dir = test::make_scratch_dir("npu_design_test");
  const auto npufi = [&](const std::string& args) { return test::run_npufi(dir, args); };
  // The same stratified SEUs through both targets: the same faults, the same outcomes.
  const test::CliResult workloads = npufi("npu workload --config npu64 --model " + (dir / "lenet5.pt").string() +
                                          " --images 0:2 --calibration 50 --out " + (dir / "wl").string());
  ASSERT_EQ(workloads.code, 0) << workloads.err;
  const std::string common = "seed = 9\ninjections = 300\nsampling = \"stratified\"\n";
  std::ofstream(dir / "design.toml") << "target = \"rtl\"\ndesign = \"" NPU_RTL_DIR "/npu64.toml\"\n"
                                        "workloads = [\"wl/image0.npuw\", \"wl/image1.npuw\"]\n" << common;
  std::ofstream(dir / "npu.toml") << "target = \"rtl\"\nmodel = \"lenet5.pt\"\nnpu = \"npu64\"\nimages = \"0:2\"\n"
                                         "calibration = 50\n" << common;
  for (const char* name : {"design", "npu"}) {
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
  EXPECT_EQ(on_design, rows("npu"));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace npufi
