// The reference NPU with safety mechanisms as RTL (docs/safety-rtl.md), built from a plan by
// `npufi design protect`: with no fault it computes exactly what the unprotected NPU computes, and its
// comparators flag a flip in either copy.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "rtl/design/design_build.h"
#include "rtl/design/design_file.h"
#include "rtl/design/design_plugin.h"
#include "tests/support/npufi_process.h"

namespace npufi {
namespace {

namespace fs = std::filesystem;

struct NpuRun {
  std::vector<uint8_t> outputs, memory;
  uint64_t cycles = 0;
  bool error = false;
};

std::shared_ptr<const DesignPlugin> plugin(const std::string& design_file) {
  const BuiltDesign built = find_built_design(load_design_file(design_file));
  return DesignPlugin::load(built.plugin, built.digest);
}

// Runs a workload to the end; `fault(cycle, model)` may change the state after each cycle's evaluation.
template <class Fault>
NpuRun simulate(const std::shared_ptr<const DesignPlugin>& design, const std::string& workload, Fault&& fault) {
  DesignModel model(design);
  model.load(workload);
  model.reset();
  NpuRun r;
  auto nothing = [] {};
  while (!model.done() && r.cycles < 5'000'000) {
    model.step(nothing);
    fault(r.cycles, model);
    ++r.cycles;
  }
  r.error = model.error();
  r.outputs = model.outputs();
  const DesignModel::Memory memory = model.memories().at(0);
  r.memory.assign(memory.data, memory.data + memory.bytes);
  return r;
}
NpuRun simulate(const std::shared_ptr<const DesignPlugin>& design, const std::string& workload) {
  return simulate(design, workload, [](uint64_t, DesignModel&) {});
}

// Flips bit 0 of `scope`.`name` at cycle `at`.
auto flip_at(uint64_t at, std::string scope, std::string name) {
  return [=](uint64_t cycle, DesignModel& model) {
    if (cycle != at) return;
    DesignVar var;
    ASSERT_TRUE(model.find_var(scope.c_str(), name.c_str(), var)) << scope << "." << name;
    var.data[0] ^= 1;
  };
}

TEST(ProtectedNpu, IsBitIdenticalWithoutFaultsAndItsComparatorsFlagAFlipInEitherCopy) {
  const fs::path dir = test::make_scratch_dir("protected_npu_test");
  const auto npufi = [&](const std::string& args) { return test::run_npufi(dir, args); };
  // A block-level plan of every kind the RTL has, and units that stay models.
  std::ofstream(dir / "plan.json") << R"({"format": "npufi-protection-plan", "version": 2, "granularity": "block",
    "npu": "npu64", "units": [
    {"unit": "ifm_buffer", "option": "secded-sram", "kind": "ecc", "transient_rate_factor": 1, "permanent_rate_factor": 1, "action": "correct", "coverage": 0.99, "dc_latent": 0.9},
    {"unit": "weight_buffer", "option": "parity-sram", "kind": "parity", "transient_rate_factor": 1, "permanent_rate_factor": 1, "action": "detect", "coverage": 0.6, "dc_latent": 0.9},
    {"unit": "acc_buffer", "option": "parity-registers", "kind": "parity", "transient_rate_factor": 1, "permanent_rate_factor": 1, "action": "detect", "coverage": 0.6, "dc_latent": 0.9},
    {"unit": "mac_array", "option": "duplication", "kind": "duplication", "transient_rate_factor": 2, "permanent_rate_factor": 2, "action": "detect", "coverage": 0.99, "dc_latent": 0.9},
    {"unit": "controller", "option": "hardened-flops", "kind": "hardened", "transient_rate_factor": 0.1, "permanent_rate_factor": 1, "action": "none", "coverage": 0, "dc_latent": 0}]})";
  const test::CliResult protect = npufi("design protect " + (dir / "plan.json").string() + " --out " + (dir / "protected.toml").string());
  ASSERT_EQ(protect.code, 0) << protect.err;
  EXPECT_NE(protect.out.find("mac_array: a second copy and a comparator (MAC_COPIES = 2)"), std::string::npos) << protect.out;
  EXPECT_NE(protect.out.find("note: controller: hardened-flops stays a rate factor"), std::string::npos) << protect.out;
  const test::CliResult lockstep = npufi("design protect --lockstep --config npu64 --out " + (dir / "lockstep.toml").string());
  ASSERT_EQ(lockstep.code, 0) << lockstep.err;
  // The mechanisms' state forms blocks of its own.
  const test::CliResult sites = npufi("sites --design " + (dir / "protected.toml").string());
  ASSERT_EQ(sites.code, 0) << sites.err;
  for (const char* block : {"ifm_buffer_safety", "weight_buffer_safety", "acc_buffer_safety", "mac_array_safety",
                            "status_safety", "mac_array", "controller"})
    EXPECT_NE(sites.out.find(block), std::string::npos) << block << "\n" << sites.out;
  const test::CliResult workloads = npufi("npu workload --config npu64 --model " + (dir / "lenet5.pt").string() +
                                          " --images 0:4 --calibration 50 --out " + (dir / "wl").string());
  ASSERT_EQ(workloads.code, 0) << workloads.err;

  const auto plain = plugin(NPU_RTL_DIR "/npu64.toml");
  const auto protected_npu = plugin((dir / "protected.toml").string());
  const auto dcls = plugin((dir / "lockstep.toml").string());
  for (int image = 0; image < 4; ++image) {
    const std::string workload = (dir / "wl" / ("image" + std::to_string(image) + ".npuw")).string();
    const NpuRun golden = simulate(plain, workload);
    ASSERT_FALSE(golden.error);
    for (const auto* variant : {&protected_npu, &dcls}) {
      const NpuRun r = simulate(*variant, workload);
      EXPECT_FALSE(r.error) << image;
      EXPECT_EQ(r.cycles, golden.cycles) << image;
      EXPECT_EQ(r.outputs, golden.outputs) << image;
      EXPECT_TRUE(r.memory == golden.memory) << image;
    }
  }
  // A product register flipped in either MAC copy stops the run with an error, the same flip in the
  // unprotected NPU does not; a flip of an output register of either lockstep NPU stops it too.
  const std::string workload = (dir / "wl" / "image0.npuw").string();
  const uint64_t at = simulate(plain, workload).cycles / 2;
  EXPECT_FALSE(simulate(plain, workload, flip_at(at, "npu.u_mac_array", "products")).error);
  EXPECT_TRUE(simulate(protected_npu, workload, flip_at(at, "npu.u_mac_array", "products")).error);
  EXPECT_TRUE(simulate(protected_npu, workload, flip_at(at, "npu.g_mac_copy[1].g_on.u_mac_array", "products")).error);
  EXPECT_TRUE(simulate(dcls, workload, flip_at(at, "npu_lockstep.u_npu.u_status", "busy")).error);
  EXPECT_TRUE(simulate(dcls, workload, flip_at(at, "npu_lockstep.u_shadow.u_status", "busy")).error);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace npufi
