// Fault injection into the Verilated NPU running a quantized (untrained) LeNet-5: known effects of known
// faults, the watchdog, and the optimized simulation agreeing with the naive one, fault for fault.
#include <gtest/gtest.h>

#include "injector/outcome.h"
#include "injector/rtl_fault_plan.h"
#include "models/data_source.h"
#include "models/model.h"
#include "models/quantize.h"
#include "rtl/reference/int8_reference.h"
#include "rtl/reference/reference_eval.h"
#include "rtl/reference/strided_threads.h"
#include "rtl/sim/npu_fault_simulator.h"

namespace npufi {
namespace {

constexpr NpuConfig kConfig = NpuConfig::npu64;

struct Workload {
  QuantizedNetwork network;
  MemoryImage image;
  std::vector<std::vector<int8_t>> inputs;
};

const Workload& workload() {
  static const Workload w = [] {
    Model model = Model::create("lenet5", 7);
    Workload out;
    out.network = quantize(model, load_fashion_mnist(Split::train).slice(0, 200));
    out.image = compile_network(out.network, kConfig);
    const ImageSet test = load_fashion_mnist(Split::test).slice(0, 2);
    for (int i = 0; i < test.count; ++i) out.inputs.push_back(quantized_image(out.network, test, i));
    return out;
  }();
  return w;
}

class FaultSimulator : public ::testing::Test {
 protected:
  NpuFaultSimulator sim{kConfig, workload().network, workload().image};
  std::shared_ptr<const NpuGolden> golden = sim.record_golden(workload().inputs[0], 128);

  uint64_t site(const std::string& name) {
    const auto bit = sim.sites().find(name);
    EXPECT_TRUE(bit) << name;
    return bit.value_or(0);
  }
  OutcomeClass outcome(const RtlFaultRun& run) { return classify(run, golden->output()); }
};

TEST_F(FaultSimulator, GoldenRunMatchesTheReference) {
  EXPECT_EQ(golden->output(), run_network(workload().network, workload().inputs[0]).back());
  EXPECT_EQ(golden->layers(), int(workload().network.layers.size()));
  EXPECT_GT(golden->cycles(), 10000u);
  for (int l = 1; l < golden->layers(); ++l) EXPECT_GT(golden->layer_end(l), golden->layer_end(l - 1));
  EXPECT_EQ(golden->layer_end(golden->layers() - 1) < golden->cycles(), true);
}

TEST_F(FaultSimulator, SeuInTheErrorFlagIsADetectedError) {
  for (InjectionMode mode : {InjectionMode::naive, InjectionMode::optimized}) {
    const RtlFaultRun run = sim.inject(*golden, {RtlFaultModel::seu, site("status.error[0]"), 1, 1000}, mode);
    EXPECT_EQ(run.status, RunStatus::error);
    EXPECT_EQ(outcome(run), OutcomeClass::due_detected);
  }
}

TEST_F(FaultSimulator, StuckAtOneOnDoneEndsTheRunAtOnce) {
  const RtlFaultRun run =
      sim.inject(*golden, {RtlFaultModel::stuck_at_1, site("status.done[0]"), 1, 2000}, InjectionMode::optimized);
  EXPECT_EQ(run.status, RunStatus::done);
  EXPECT_EQ(run.start_cycle + run.simulated_cycles, 2000u);  // done is seen right after the fault
  EXPECT_NE(run.output, golden->output());                   // the last layer never ran
  EXPECT_EQ(run.first_diff_layer, 0);
}

TEST_F(FaultSimulator, DeadlockedControllerIsAHangFoundByTheWatchdog) {
  // Bit 3 of the FSM state stuck at 0: the states from S_MAC (8) on are unreachable and the controller
  // falls back to idle, waiting for a start that never comes.
  const RtlFault fault{RtlFaultModel::stuck_at_0, site("controller.state[3]"), 1, 0};
  const RtlFaultRun naive = sim.inject(*golden, fault, InjectionMode::naive);
  EXPECT_EQ(naive.status, RunStatus::timeout);
  EXPECT_EQ(naive.end, RunEnd::watchdog);
  EXPECT_EQ(naive.simulated_cycles, 2 * golden->cycles());
  const RtlFaultRun optimized = sim.inject(*golden, fault, InjectionMode::optimized);
  EXPECT_EQ(outcome(optimized), OutcomeClass::due_hang);
  EXPECT_EQ(optimized.first_diff_layer, naive.first_diff_layer);
  // The simulator goes on: the next fault runs normally.
  EXPECT_EQ(outcome(sim.inject(*golden, {RtlFaultModel::seu, site("status.error[0]"), 1, 10}, InjectionMode::optimized)),
            OutcomeClass::due_detected);
}

TEST_F(FaultSimulator, MemoryUpsetOverwrittenBeforeAnyReadIsMaskedWithoutSimulating) {
  // At cycle 0 the buffers hold power-on values, which the DMA overwrites before anything reads them.
  const RtlFault fault{RtlFaultModel::seu, site("weight_buffer.mem[100][3]"), 1, 0};
  const RtlFaultRun optimized = sim.inject(*golden, fault, InjectionMode::optimized);
  EXPECT_EQ(optimized.simulated_cycles, 0u);
  EXPECT_EQ(optimized.end, RunEnd::converged);
  EXPECT_EQ(outcome(optimized), OutcomeClass::masked);
  const RtlFaultRun naive = sim.inject(*golden, fault, InjectionMode::naive);
  EXPECT_EQ(outcome(naive), OutcomeClass::masked);
  EXPECT_EQ(naive.first_diff_layer, -1);
}

TEST_F(FaultSimulator, FaultsInDeadStateAreMaskedWithoutSimulating) {
  // The error's code and address and the busy flag reach only outputs no outcome reads: dead state. The
  // error flag itself is live.
  for (const char* name : {"status.err_pc[5]", "status.err_code[0]", "status.busy[0]", "controller.raise_code[1]"}) {
    for (RtlFaultModel model : {RtlFaultModel::seu, RtlFaultModel::stuck_at_1}) {
      const RtlFault fault{model, site(name), 1, 1500};
      const RtlFaultRun optimized = sim.inject(*golden, fault, InjectionMode::optimized);
      EXPECT_EQ(optimized.simulated_cycles, 0u) << name;
      EXPECT_EQ(optimized.end, RunEnd::converged) << name;
      const RtlFaultRun naive = sim.inject(*golden, fault, InjectionMode::naive);
      EXPECT_EQ(outcome(naive), OutcomeClass::masked) << name;
      EXPECT_EQ(naive.first_diff_layer, -1) << name;
    }
  }
  const RtlFaultRun error = sim.inject(*golden, {RtlFaultModel::seu, site("status.error[0]"), 1, 1500}, InjectionMode::optimized);
  EXPECT_GT(error.simulated_cycles, 0u);
  // Without the rule the same fault runs to the end.
  sim.use_observability(false);
  EXPECT_GT(sim.inject(*golden, {RtlFaultModel::seu, site("status.err_pc[5]"), 1, 1500}, InjectionMode::optimized)
                .simulated_cycles, 1000u);
}

TEST_F(FaultSimulator, RejectsFaultsOutsideTheDesignOrTheRun) {
  EXPECT_THROW(sim.inject(*golden, {RtlFaultModel::seu, sim.sites().total_bits(), 1, 0}, InjectionMode::optimized),
               std::invalid_argument);
  EXPECT_THROW(sim.inject(*golden, {RtlFaultModel::seu, 0, 1, golden->cycles()}, InjectionMode::optimized),
               std::invalid_argument);
  // 3 adjacent bits from bit 3 of the 5-bit state register do not fit the word.
  EXPECT_THROW(sim.inject(*golden, {RtlFaultModel::mbu, site("controller.state[3]"), 3, 0}, InjectionMode::optimized),
               std::invalid_argument);
}

// The scripted PyTorch ResNet on its normalized data: residual adds read layers long finished, so a
// faulty layer output reaches more than the next layer.
const Workload& residual_workload() {
  static const Workload w = [] {
    const DataSource source = load_data_source(std::string(NPUFI_TEST_DATA_DIR) + "/fashion_normalized.toml");
    Model model = Model::load(std::string(NPUFI_TEST_DATA_DIR) + "/pytorch_resnet.pt");
    Workload out;
    out.network = quantize(model, load_images(source, Split::train).slice(0, 200));
    out.image = compile_network(out.network, kConfig);
    const ImageSet test = load_images(source, Split::test).slice(0, 2);
    for (int i = 0; i < test.count; ++i) out.inputs.push_back(quantized_image(out.network, test, i));
    return out;
  }();
  return w;
}

// Naive (from reset, to the end) and optimized runs agree on outcome and first differing layer for
// sampled SEUs over all sites, MBUs and stuck-at faults, uniform and stratified, on two images and two
// threads.
void expect_optimized_matches_naive(const Workload& w, int seus, uint64_t fewer_cycles) {
  NpuFaultSimulator recorder(kConfig, w.network, w.image);
  std::vector<std::shared_ptr<const NpuGolden>> goldens;
  for (const auto& input : w.inputs) goldens.push_back(recorder.record_golden(input, 128));
  struct Series {
    RtlFaultModel model;
    uint32_t width;
    int count;
    SiteSampling sampling = SiteSampling::uniform;
  };
  std::vector<PlannedInjection> plan;
  // Stratified series reach every block, the status and controller flops too (dead state, settling).
  for (const Series s : {Series{RtlFaultModel::seu, 1, seus}, Series{RtlFaultModel::mbu, 3, 40},
                         Series{RtlFaultModel::stuck_at_0, 1, 10}, Series{RtlFaultModel::stuck_at_1, 1, 10},
                         Series{RtlFaultModel::seu, 1, 40, SiteSampling::stratified},
                         Series{RtlFaultModel::stuck_at_0, 1, 16, SiteSampling::stratified},
                         Series{RtlFaultModel::stuck_at_1, 1, 16, SiteSampling::stratified}}) {
    RtlPlanSettings settings;
    settings.seed = 11;
    settings.model = s.model;
    settings.width = s.width;
    settings.sampling = s.sampling;
    settings.images = 2;
    const RtlFaultPlanner planner(recorder.sites(), settings);
    for (int i = 0; i < s.count; ++i)
      plan.push_back(planner.plan(uint64_t(i), {0, goldens[size_t(i % 2)]->cycles()}));
  }
  std::vector<RtlFaultRun> naive(plan.size()), optimized(plan.size());
  run_strided(int(plan.size()), 2, [&](int worker, int workers) {
    NpuFaultSimulator sim(kConfig, w.network, w.image);
    for (size_t i = size_t(worker); i < plan.size(); i += size_t(workers)) {
      naive[i] = sim.inject(*goldens[size_t(plan[i].image)], plan[i].fault, InjectionMode::naive);
      optimized[i] = sim.inject(*goldens[size_t(plan[i].image)], plan[i].fault, InjectionMode::optimized);
    }
  });
  int not_masked = 0, shortcuts = 0, references = 0, permanent_shortcuts = 0;
  uint64_t naive_cycles = 0, optimized_cycles = 0;
  for (size_t i = 0; i < plan.size(); ++i) {
    const auto& out = goldens[size_t(plan[i].image)]->output();
    ASSERT_EQ(classify(naive[i], out), classify(optimized[i], out)) << "fault " << i;
    ASSERT_EQ(naive[i].first_diff_layer, optimized[i].first_diff_layer) << "fault " << i;
    ASSERT_EQ(naive[i].output, optimized[i].output) << "fault " << i;
    not_masked += classify(naive[i], out) != OutcomeClass::masked;
    const bool shortcut = optimized[i].end == RunEnd::converged || optimized[i].end == RunEnd::reference;
    shortcuts += shortcut;
    references += optimized[i].end == RunEnd::reference;
    permanent_shortcuts += shortcut && is_permanent(plan[i].fault.model);
    naive_cycles += naive[i].simulated_cycles;
    optimized_cycles += optimized[i].simulated_cycles;
  }
  EXPECT_GT(not_masked, 5);                      // the sample has real effects to agree on
  EXPECT_GT(shortcuts, int(plan.size()) / 2);    // and most runs were decided early,
  EXPECT_GT(references, 0);                      // some by the reference from a faulty layer output,
  EXPECT_GT(permanent_shortcuts, 5);             // stuck-at faults too, once their value settles
  EXPECT_LT(optimized_cycles * fewer_cycles, naive_cycles);
}

TEST(FaultSimulatorAgreement, OptimizedMatchesNaiveOnSampledFaults) {
  expect_optimized_matches_naive(workload(), 240, 10);
}

TEST(FaultSimulatorAgreement, OptimizedMatchesNaiveOnAResidualNetwork) {
  expect_optimized_matches_naive(residual_workload(), 200, 5);  // 6.5x fewer cycles when written
}

}  // namespace
}  // namespace npufi
