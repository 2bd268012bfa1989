// The reference NPU with safety mechanisms as RTL (docs/safety-rtl.md), built from a plan by
// `npufi design protect`: with no fault it computes exactly what the unprotected NPU computes, and its
// comparators flag a flip in either copy.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include <nlohmann/json.hpp>

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

// Flips the bits `mask` of byte `byte` of `scope`.`name` at cycle `at`.
auto flip_at(uint64_t at, std::string scope, std::string name, int byte = 0, uint8_t mask = 1) {
  return [=](uint64_t cycle, DesignModel& model) {
    if (cycle != at) return;
    DesignVar var;
    ASSERT_TRUE(model.find_var(scope.c_str(), name.c_str(), var)) << scope << "." << name;
    var.data[byte] ^= mask;
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
  // Every block in two or three copies.
  std::string copies = R"({"format": "npufi-protection-plan", "version": 2, "granularity": "block", "npu": "npu64", "units": [)";
  for (const char* block : {"controller", "dma", "ifm_buffer", "weight_buffer", "output_unit", "status", "mac_array", "acc_buffer"}) {
    const bool three = std::string(block) == "mac_array" || std::string(block) == "acc_buffer";
    copies += std::string(copies.back() == '[' ? "" : ",") + R"({"unit": ")" + block + R"(", "option": "copies", "kind": ")" +
              (three ? "triplication" : "duplication") + R"(", "transient_rate_factor": 2, "permanent_rate_factor": 2,
              "action": ")" + (three ? "correct" : "detect") + R"(", "coverage": 0.99, "dc_latent": 0.9})";
  }
  std::ofstream(dir / "copies.json") << copies << "]}";
  const test::CliResult copied = npufi("design protect " + (dir / "copies.json").string() + " --out " + (dir / "copies.toml").string());
  ASSERT_EQ(copied.code, 0) << copied.err;
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
  const auto copied_npu = plugin((dir / "copies.toml").string());
  for (int image = 0; image < 4; ++image) {
    const std::string workload = (dir / "wl" / ("image" + std::to_string(image) + ".npuw")).string();
    const NpuRun golden = simulate(plain, workload);
    ASSERT_FALSE(golden.error);
    for (const auto* variant : {&protected_npu, &dcls, &copied_npu}) {
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
  // Duplicated blocks: a flip of an output register of either copy stops the run. Triplicated blocks: a
  // flip in one copy is outvoted, and the run ends as the fault-free one.
  EXPECT_TRUE(simulate(copied_npu, workload, flip_at(at, "npu.u_controller", "activation")).error);
  EXPECT_TRUE(simulate(copied_npu, workload, flip_at(at, "npu.g_controller_copy.g_on.u_controller", "activation")).error);
  EXPECT_TRUE(simulate(copied_npu, workload, flip_at(at, "npu.g_dma_copy.g_on.u_dma", "mem_req")).error);
  EXPECT_TRUE(simulate(copied_npu, workload, flip_at(at, "npu.g_output_unit_copy.g_on.u_output_unit", "out_valid")).error);
  EXPECT_TRUE(simulate(copied_npu, workload, flip_at(at, "npu.g_status_copy.g_on.u_status", "busy")).error);
  // A flipped done ends the unprotected NPU's run early, unflagged; with a copy of the status block or in
  // lockstep, the comparator flags it in the same cycle.
  const NpuRun early = simulate(plain, workload, flip_at(at, "npu.u_status", "done"));
  EXPECT_LE(early.cycles, at + 2);
  EXPECT_FALSE(early.error);
  EXPECT_TRUE(simulate(copied_npu, workload, flip_at(at, "npu.u_status", "done")).error);
  EXPECT_TRUE(simulate(dcls, workload, flip_at(at, "npu_lockstep.u_npu.u_status", "done")).error);
  // A cycle at which the flip changes the unprotected NPU's result, so that the vote has something to mask.
  const NpuRun golden = simulate(plain, workload);
  uint64_t hit = at;
  const auto high_bit = [](uint64_t cycle, const char* copy) { return flip_at(cycle, copy, "products", 1, 0x40); };
  while (hit < at + 2000 && simulate(plain, workload, high_bit(hit, "npu.u_mac_array")).outputs == golden.outputs) ++hit;
  ASSERT_LT(hit, at + 2000);
  for (const char* copy : {"npu.u_mac_array", "npu.g_mac_copy[2].g_on.u_mac_array"}) {
    const NpuRun voted = simulate(copied_npu, workload, high_bit(hit, copy));
    EXPECT_FALSE(voted.error) << copy;
    EXPECT_EQ(voted.outputs, golden.outputs) << copy;
  }

  // SEUs into the protected NPU with the unprotected one as the baseline: the measured DC per block.
  std::ofstream(dir / "dc.toml") << "target = \"rtl\"\ndesign = \"protected.toml\"\nbaseline = \"" NPU_RTL_DIR
                                    "/npu64.toml\"\nworkloads = [\"wl/image0.npuw\", \"wl/image1.npuw\"]\nseed = 5\n"
                                    "injections = 2000\nsampling = \"stratified\"\nblocks = [\"ifm_buffer\", "
                                    "\"weight_buffer\", \"acc_buffer\", \"mac_array\", \"controller\"]\n";
  const std::string db = (dir / "dc.db").string();
  const test::CliResult campaign = npufi("campaign run " + (dir / "dc.toml").string() + " --db " + db + " --threads 2");
  ASSERT_EQ(campaign.code, 0) << campaign.err;
  const test::CliResult analyzed = npufi("analyze --db " + db + " --campaign 1 --benign-relevant --json");
  ASSERT_TRUE(analyzed.code == 0 || analyzed.code == 3) << analyzed.err;
  std::map<std::string, nlohmann::json> coverage;
  const nlohmann::json analysis = nlohmann::json::parse(analyzed.out);
  for (const nlohmann::json& b : analysis.at("measured_coverage")) coverage[b["block"]] = b;
  ASSERT_EQ(coverage.size(), 5u) << analyzed.out;
  // SECDED corrects every SEU, parity and the comparator detect every one; none is missed. (The int8
  // network comes from a LibTorch calibration, so the counts may differ on another CPU; the blocks with
  // many violating faults are required to have some.)
  for (const char* block : {"ifm_buffer", "weight_buffer", "acc_buffer", "mac_array"}) {
    const nlohmann::json& b = coverage[block];
    EXPECT_EQ(b["missed"].get<int>(), 0) << block;
    if (b["violating_on_baseline"].get<int>() > 0) {
      EXPECT_DOUBLE_EQ(b["dc"].get<double>(), 1.0) << block;
    }
  }
  for (const char* block : {"ifm_buffer", "acc_buffer"}) EXPECT_GT(coverage[block]["violating_on_baseline"].get<int>(), 0);
  EXPECT_EQ(coverage["ifm_buffer"]["detected"].get<int>(), 0);
  EXPECT_EQ(coverage["weight_buffer"]["corrected"].get<int>(), 0);
  // The controller has no mechanism: every fault ends on the protected NPU as on the baseline.
  const nlohmann::json& controller = coverage["controller"];
  EXPECT_GT(controller["violating_on_baseline"].get<int>(), 0);
  EXPECT_EQ(controller["detected"].get<int>() + controller["corrected"].get<int>(), 0);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace npufi
