#include "rtl/sim/design_fault_simulator.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "rtl/design/block_rules.h"
#include "rtl/sim/paged_bytes.h"
#include "rtl/sim/state_access.h"

namespace npufi {

struct DesignGolden::Data {
  // The design's whole state at one cycle: the Verilated model, and what the next cycle depends on, to
  // compare with (the state bits, the top's inputs, the testbench's memories).
  struct Checkpoint {
    std::vector<uint8_t> model;
    std::vector<uint8_t> bits, inputs;
    std::vector<PagedBytes> memories;  // one per testbench memory
  };
  std::string workload;
  uint64_t cycles = 0;
  uint32_t interval = 0;
  Checkpoint loaded;                    // after the testbench loaded the workload, before reset
  std::vector<Checkpoint> checkpoints;  // at cycles 0, interval, 2 interval, ... before the end
  StateAccess::WordTrace memory_words;  // reads and writes of the design's memory words
  StateAccess::SettleTrace settle;      // when each register last changed
  std::vector<uint8_t> output;
  std::optional<int> top1;
};

DesignGolden::DesignGolden(std::unique_ptr<Data> data) : data_(std::move(data)) {}
DesignGolden::~DesignGolden() = default;
const std::string& DesignGolden::workload() const { return data_->workload; }
uint64_t DesignGolden::cycles() const { return data_->cycles; }
const std::vector<uint8_t>& DesignGolden::output() const { return data_->output; }
std::optional<int> DesignGolden::top1() const { return data_->top1; }
size_t DesignGolden::checkpoint_bytes() const {
  size_t bytes = 0;
  for (const Data::Checkpoint& cp : data_->checkpoints) {
    bytes += cp.model.size() + cp.bits.size() + cp.inputs.size();
    for (const PagedBytes& m : cp.memories) bytes += m.own_bytes();
  }
  return bytes;
}

using Golden = DesignGolden::Data;

struct DesignFaultSimulator::Engine {
  Engine(std::shared_ptr<const DesignPlugin> plugin, const DesignFile& design)
      : model(std::move(plugin)),
        state([this](const char* scope, const char* name, DesignVar& out) { return model.find_var(scope, name, out); },
              model.plugin().api().state_vars, model.plugin().api().state_var_count, model.plugin().api().ports,
              model.plugin().api().port_count,
              [rules = design.blocks, top = design.top](const std::string& path) {
                return block_of_instance(rules, top, path);
              }) {
    const DesignApi& api = model.plugin().api();
    for (size_t i = 0; i < api.input_count; ++i) {
      DesignVar var;
      if (!model.find_var("TOP", api.inputs[i], var))
        throw std::logic_error(std::string("input ") + api.inputs[i] + " is not in the Verilated model");
      inputs.push_back({var.data, size_t(var.word_bytes) * var.words});
    }
    model.save(power_on);
  }

  // The design's state now, for comparisons: the registers (state bits and inputs), the memories.
  void snapshot(Golden::Checkpoint& cp, bool with_model, const Golden::Checkpoint* previous = nullptr) {
    if (with_model) model.save(cp.model);
    snapshot_registers(cp);
    snapshot_memories(cp, previous);
  }
  void snapshot_registers(Golden::Checkpoint& cp) const {
    state.snapshot(cp.bits);
    cp.inputs.clear();
    for (const auto& [data, bytes] : inputs) cp.inputs.insert(cp.inputs.end(), data, data + bytes);
  }
  // Pages equal to those of `previous` (the checkpoint before) are shared with it.
  void snapshot_memories(Golden::Checkpoint& cp, const Golden::Checkpoint* previous = nullptr) const {
    const std::vector<DesignModel::Memory> memories = model.memories();
    cp.memories.clear();
    for (size_t i = 0; i < memories.size(); ++i)
      cp.memories.emplace_back(memories[i].data, memories[i].bytes,
                               previous && i < previous->memories.size() ? &previous->memories[i] : nullptr);
  }
  // The testbench's memories equal `saved`, compared in place.
  bool memories_equal(const std::vector<PagedBytes>& saved) const {
    const std::vector<DesignModel::Memory> memories = model.memories();
    if (memories.size() != saved.size()) return false;
    for (size_t i = 0; i < memories.size(); ++i)
      if (!saved[i].equals(memories[i].data, memories[i].bytes)) return false;
    return true;
  }

  void restore(const Golden::Checkpoint& cp) {
    model.restore(cp.model);
    const std::vector<DesignModel::Memory> memories = model.memories();
    if (memories.size() != cp.memories.size()) throw std::logic_error("the testbench's memories changed");
    for (size_t i = 0; i < memories.size(); ++i) {
      if (memories[i].bytes != cp.memories[i].size()) throw std::logic_error("the testbench's memories changed size");
      cp.memories[i].copy_to(memories[i].data);
    }
  }

  // Makes the testbench hold `workload` (what load() keeps besides the memories).
  void use_workload(const std::string& workload) {
    if (loaded_workload == workload) return;
    model.restore(power_on);
    model.load(workload);
    loaded_workload = workload;
  }

  std::shared_ptr<const DesignGolden> record(const std::string& workload, uint32_t interval, uint64_t max_cycles) {
    if (interval == 0) throw std::invalid_argument("the checkpoint interval must be at least 1 cycle");
    auto g = std::make_unique<Golden>();
    g->workload = workload;
    g->interval = interval;
    loaded_workload.clear();
    try {
      use_workload(workload);
    } catch (const std::runtime_error& e) {
      throw std::runtime_error(workload + ": the testbench refuses the workload: " + e.what());
    }
    snapshot(g->loaded, true);
    model.reset();
    g->memory_words = state.start_trace();
    g->settle = state.start_settle_trace();
    state.note_writes(0, g->memory_words);
    state.note_reads(0, g->memory_words);
    uint64_t cycle = 0;
    Golden::Checkpoint cp;
    snapshot(cp, true, &g->loaded);
    g->checkpoints.push_back(std::move(cp));
    while (!model.done() && cycle < max_cycles) {
      model.step();
      ++cycle;
      state.note_writes(uint32_t(cycle), g->memory_words);
      state.note_reads(uint32_t(cycle), g->memory_words);
      state.note_settle(uint32_t(cycle), g->settle);
      if (cycle % interval == 0 && !model.done()) {
        Golden::Checkpoint next;
        snapshot(next, true, &g->checkpoints.back());
        g->checkpoints.push_back(std::move(next));
      }
    }
    if (!model.done())
      throw std::runtime_error(workload + ": the fault-free run did not finish within " + std::to_string(max_cycles) +
                               " cycles");
    if (model.error()) throw std::runtime_error(workload + ": the fault-free run ended with the design's error signal");
    g->cycles = cycle;
    g->output = model.outputs();
    g->top1 = model.classify(g->output);
    return std::make_shared<const DesignGolden>(std::move(g));
  }

  DesignFaultRun inject(const Golden& g, const RtlFault& requested, InjectionMode mode, const std::string& vcd_path,
                        uint64_t trace_after) {
    const std::vector<uint64_t> bits = fault_bits(state.sites(), requested, g.cycles);
    RtlFault fault = requested;
    if (mode == InjectionMode::optimized && vcd_path.empty()) {
      const std::optional<uint64_t> cycle = effective_cycle(state, g.memory_words, &g.settle, g.interval, requested);
      if (!cycle) {
        DesignFaultRun masked;
        masked.output = g.output;
        masked.start_cycle = requested.cycle;
        masked.end = RunEnd::converged;
        return masked;
      }
      fault.cycle = *cycle;
    }
    use_workload(g.workload);
    uint64_t cycle = 0;
    if (mode == InjectionMode::naive) {
      restore(g.loaded);
      model.reset();
    } else {
      const size_t k = std::min<size_t>(fault.cycle / g.interval, g.checkpoints.size() - 1);
      restore(g.checkpoints[k]);
      cycle = uint64_t(k) * g.interval;
    }
    DesignFaultRun run;
    run.start_cycle = cycle;

    bool tracing = false;
    uint64_t trace_time = 2 * cycle;
    if (!vcd_path.empty()) {
      if (!model.trace_open(vcd_path)) throw std::runtime_error("cannot write " + vcd_path);
      tracing = true;
      model.trace_dump(trace_time);
    }
    const uint64_t trace_until = fault.cycle + trace_after;

    // A permanent fault may converge only once the golden run holds its forced value to the end.
    const uint64_t converges_from =
        !is_permanent(fault.model) ? 0 : forced_value_settles(state, g.memory_words, g.settle, fault).value_or(UINT64_MAX);
    FaultApplication applied(state, fault, bits);
    auto after_eval = [&] {
      if (applied.hold()) model.settle();
      if (tracing && cycle < trace_until) model.trace_dump(++trace_time);
    };

    const uint64_t watchdog = 2 * g.cycles;
    Golden::Checkpoint now, previous;
    bool previous_has_memories = false;  // previous.memories were saved with it
    bool decided = false;
    while (true) {
      if (!applied.applied() && cycle == fault.cycle && applied.apply()) model.settle();
      if (model.done() || cycle >= watchdog) break;
      model.step(after_eval);
      ++cycle;
      ++run.simulated_cycles;
      if (mode != InjectionMode::optimized || !applied.applied() || cycle % g.interval != 0) continue;
      snapshot_registers(now);
      const size_t k = size_t(cycle / g.interval);
      if (cycle >= converges_from && k < g.checkpoints.size() && converged(g, g.checkpoints[k], now, cycle)) {
        run.status = RunStatus::done;
        run.output = g.output;
        run.end = RunEnd::converged;
        decided = true;
        break;
      }
      // Stalled: the whole state repeats. The memories are copied only while the registers repeat, so a
      // stall is found one checkpoint after the first repetition.
      const bool registers_repeat = !previous.bits.empty() && now.bits == previous.bits && now.inputs == previous.inputs;
      if (registers_repeat && previous_has_memories && memories_equal(previous.memories)) {
        run.end = RunEnd::stalled;
        break;
      }
      if (registers_repeat) snapshot_memories(now);
      previous_has_memories = registers_repeat;
      std::swap(now, previous);
    }
    if (!decided) {
      if (!model.done()) {
        run.status = RunStatus::timeout;
        if (run.end != RunEnd::stalled) run.end = RunEnd::watchdog;
      } else {
        run.status = model.error() ? RunStatus::error : RunStatus::done;
        if (run.status == RunStatus::done) run.output = model.outputs();
      }
    }
    if (tracing) model.trace_close();
    return run;
  }

  // The faulty state equals the golden one of the same cycle, except for memory words the golden run
  // does not read again before overwriting them.
  bool converged(const Golden& g, const Golden::Checkpoint& golden, const Golden::Checkpoint& now, uint64_t cycle) const {
    return now.inputs == golden.inputs && state.equals_except_dead(golden.bits, g.memory_words, uint32_t(cycle)) &&
           memories_equal(golden.memories);
  }

  DesignModel model;
  StateAccess state;
  std::vector<std::pair<const uint8_t*, size_t>> inputs;  // the top's input ports in the model
  std::vector<uint8_t> power_on;                          // the model's state at construction
  std::string loaded_workload;                            // the workload the testbench holds
};

DesignFaultSimulator::DesignFaultSimulator(std::shared_ptr<const DesignPlugin> plugin, const DesignFile& design)
    : engine_(std::make_unique<Engine>(std::move(plugin), design)) {}
DesignFaultSimulator::~DesignFaultSimulator() = default;

const FaultSites& DesignFaultSimulator::sites() const { return engine_->state.sites(); }

std::shared_ptr<const DesignGolden> DesignFaultSimulator::record_golden(const std::string& workload,
                                                                        uint32_t checkpoint_interval,
                                                                        uint64_t max_cycles) {
  return engine_->record(workload, checkpoint_interval, max_cycles);
}

DesignFaultRun DesignFaultSimulator::inject(const DesignGolden& golden, const RtlFault& fault, InjectionMode mode) {
  return engine_->inject(golden.data(), fault, mode, "", 0);
}

DesignFaultRun DesignFaultSimulator::replay(const DesignGolden& golden, const RtlFault& fault,
                                            const std::string& vcd_path, uint64_t cycles_after) {
  return engine_->inject(golden.data(), fault, InjectionMode::optimized, vcd_path, cycles_after);
}

std::optional<int> DesignFaultSimulator::classify(const std::vector<uint8_t>& outputs) const {
  return engine_->model.classify(outputs);
}

}  // namespace npufi
