#include "rtl/sim/npu_fault_simulator.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <unordered_map>

#include "rtl/reference/int8_reference.h"
#include "rtl/sim/npu_device.h"
#include "rtl/sim/state_access.h"

namespace npufi {

struct NpuGolden::Data {
  // What a faulty run is compared with at one cycle.
  struct State {
    std::vector<uint8_t> bits;  // the state bits (StateAccess::snapshot)
    uint8_t rvalid = 0;         // the memory port's inputs, set by the test bench
    uint32_t rdata = 0;
    size_t writes = 0;          // golden writes done by this cycle
  };
  struct Checkpoint {
    std::vector<uint8_t> model;  // the whole Verilated model (--savable)
    State state;
  };
  struct Write {
    uint64_t cycle;
    uint32_t addr;
    uint8_t old_value, new_value;
  };
  std::vector<int8_t> input;
  uint64_t cycles = 0;
  uint32_t interval = 0;
  std::vector<Checkpoint> checkpoints;  // at cycles 0, interval, 2 interval, ... before the end
  std::vector<Write> writes;
  std::unordered_map<uint32_t, std::vector<uint32_t>> writes_to;  // address -> indices into writes
  std::unordered_map<uint32_t, std::vector<uint64_t>> reads_of;   // address -> cycles it was read
  StateAccess::WordTrace memory_words;                            // reads and writes of memory words
  StateAccess::SettleTrace settle;                                // when each register last changed
  std::vector<uint64_t> layer_end;                                // cycle of each layer's last output write
  std::vector<State> layer_end_states;                            // the state at those cycles
  std::vector<std::vector<int8_t>> layer_outputs;

  // The cycle of the first write to addr after `cycle`, or UINT64_MAX.
  uint64_t next_write(uint32_t addr, uint64_t cycle) const {
    const auto found = writes_to.find(addr);
    if (found == writes_to.end()) return UINT64_MAX;
    const auto& list = found->second;
    const auto it = std::upper_bound(list.begin(), list.end(), cycle,
                                     [&](uint64_t c, uint32_t index) { return c < writes[index].cycle; });
    return it == list.end() ? UINT64_MAX : writes[*it].cycle;
  }
  uint64_t next_read(uint32_t addr, uint64_t cycle) const {
    const auto found = reads_of.find(addr);
    if (found == reads_of.end()) return UINT64_MAX;
    const auto it = std::upper_bound(found->second.begin(), found->second.end(), cycle);
    return it == found->second.end() ? UINT64_MAX : *it;
  }
  // The byte at addr after `cycle` cycles; `initial` is its value before the run.
  uint8_t value_at(uint32_t addr, uint64_t cycle, uint8_t initial) const {
    const auto found = writes_to.find(addr);
    if (found == writes_to.end()) return initial;
    const auto& list = found->second;
    const auto it = std::upper_bound(list.begin(), list.end(), cycle,
                                     [&](uint64_t c, uint32_t index) { return c < writes[index].cycle; });
    return it == list.begin() ? writes[list.front()].old_value : writes[*std::prev(it)].new_value;
  }
};

NpuGolden::NpuGolden(std::unique_ptr<Data> data) : data_(std::move(data)) {}
NpuGolden::~NpuGolden() = default;
uint64_t NpuGolden::cycles() const { return data_->cycles; }
const std::vector<int8_t>& NpuGolden::output() const { return data_->layer_outputs.back(); }
int NpuGolden::layers() const { return int(data_->layer_end.size()); }
uint64_t NpuGolden::layer_end(int layer) const { return data_->layer_end.at(size_t(layer)); }
uint64_t NpuGolden::layer_begin(int layer) const { return layer == 0 ? 0 : layer_end(layer - 1); }
size_t NpuGolden::checkpoint_bytes() const {
  size_t bytes = 0;
  for (const Data::Checkpoint& cp : data_->checkpoints) bytes += cp.model.size() + cp.state.bits.size();
  for (const Data::State& s : data_->layer_end_states) bytes += s.bits.size();
  return bytes;
}

namespace {

using Golden = NpuGolden::Data;

struct Region {
  uint32_t begin = 0;
  uint32_t end = 0;
  bool contains(uint32_t addr) const { return addr >= begin && addr < end; }
};

}  // namespace

struct NpuFaultSimulator::Engine {
  Engine(NpuConfig config, const QuantizedNetwork& network, const MemoryImage& image)
      : network_(network), image_(image), geometry_(npu_geometry(config)), device_(config),
        state_(device_.state_access()) {
    if (image.layer_output_addr.size() != network.layers.size())
      throw std::invalid_argument("the memory image does not belong to the network");
    for (size_t l = 0; l < network.layers.size(); ++l) {
      const uint32_t begin = image.layer_output_addr[l];
      regions_.push_back({begin, begin + uint32_t(network.layers[l].output.size())});
    }
    device_.load(image);
    mem_ = device_.memory();
    device_.save(power_on_);
    use_observability(true);
  }

  const FaultSites& sites() const { return state_.sites(); }

  void use_observability(bool on) {
    if (on)
      state_.observe_only(NpuDevice::outcome_outputs());
    else
      state_.forget_observability();
    settling_ = on;
  }

  std::shared_ptr<const NpuGolden> record(const std::vector<int8_t>& input, uint32_t interval) {
    if (interval == 0) throw std::invalid_argument("the checkpoint interval must be at least 1 cycle");
    auto g = std::make_unique<Golden>();
    g->input = input;
    g->interval = interval;
    load_initial_memory(input);
    mem_golden_ = nullptr;
    touched_.clear();
    power_on();
    device_.reset();
    const uint64_t limit = 10'000'000;
    uint64_t cycle = 0;
    g->memory_words = state_.start_trace();
    g->settle = state_.start_settle_trace();
    state_.note_writes(0, g->memory_words);
    save_checkpoint(*g);
    while (!device_.done() && cycle < limit) {
      const BusAccess access = device_.tick([&] { state_.note_reads(uint32_t(cycle + 1), g->memory_words); });
      ++cycle;
      state_.note_writes(uint32_t(cycle), g->memory_words);
      state_.note_settle(uint32_t(cycle), g->settle);
      if (access.kind == BusAccess::write && access.addr < mem_.size()) {
        g->writes_to[access.addr].push_back(uint32_t(g->writes.size()));
        g->writes.push_back({cycle, access.addr, access.old_value, mem_[access.addr]});
      } else if (access.kind == BusAccess::read) {
        for (uint32_t i = 0; i < 4; ++i) g->reads_of[access.addr + i].push_back(cycle);
      }
      if (cycle % interval == 0 && !device_.done()) save_checkpoint(*g);
    }
    if (!device_.done() || device_.error())
      throw std::runtime_error("the golden run did not complete (" +
                               std::string(device_.done() ? "NPU error" : "watchdog") + ")");
    g->cycles = cycle;
    record_layers(*g);
    mem_golden_ = g.get();
    mem_writes_ = g->writes.size();
    for (const Golden::Write& w : g->writes) touched_.push_back(w.addr);
    record_layer_end_states(*g);
    return std::make_shared<const NpuGolden>(std::move(g));
  }

  RtlFaultRun inject(const NpuGolden& golden, const RtlFault& requested, InjectionMode mode,
                     const std::string& vcd_path, uint64_t trace_after) {
    const Golden& g = golden.data();
    const std::vector<uint64_t> bits = fault_bits(state_.sites(), requested, g.cycles);
    RtlFault fault = requested;
    if (mode == InjectionMode::optimized && vcd_path.empty()) {
      const std::optional<uint64_t> cycle =
          effective_cycle(state_, g.memory_words, settling_ ? &g.settle : nullptr, g.interval, requested);
      if (!cycle) return masked_run(g, requested);
      fault.cycle = *cycle;
    }
    // A permanent fault may converge only once the golden run holds its forced value to the end.
    const uint64_t converges_from = !is_permanent(fault.model) ? 0
                                    : settling_ ? forced_value_settles(state_, g.memory_words, g.settle, fault).value_or(UINT64_MAX)
                                                : UINT64_MAX;

    // Start from reset, or from the last golden state at or before the fault.
    uint64_t cycle = 0;
    if (mode == InjectionMode::naive) {
      move_memory(g, 0);
      power_on();
      device_.reset();
    } else {
      const size_t k = std::min<size_t>(fault.cycle / g.interval, g.checkpoints.size() - 1);
      device_.restore(g.checkpoints[k].model);
      move_memory(g, g.checkpoints[k].state.writes);
      cycle = uint64_t(k) * g.interval;
    }
    const uint64_t start_cycle = cycle;
    const size_t start_writes = mem_writes_;
    undo_.clear();
    last_state_.clear();

    const bool tracing = !vcd_path.empty();
    uint64_t trace_time = 2 * cycle;
    if (tracing) {
      if (!device_.model().trace_open(vcd_path)) throw std::runtime_error("cannot write " + vcd_path);
      device_.model().trace_dump(trace_time);
    }
    const uint64_t trace_until = fault.cycle + trace_after;

    FaultApplication applied(state_, fault, bits);
    const auto after_eval = [&] {
      if (applied.hold()) device_.settle();
      if (tracing && cycle < trace_until) device_.model().trace_dump(++trace_time);
    };

    RtlFaultRun run;
    run.start_cycle = start_cycle;
    size_t next_layer = 0;
    while (next_layer < g.layer_end.size() && g.layer_end[next_layer] <= cycle) ++next_layer;
    const uint64_t watchdog = 2 * g.cycles;
    bool decided = false;
    while (true) {
      if (!applied.applied() && cycle == fault.cycle && applied.apply()) device_.settle();
      if (device_.done() || cycle >= watchdog) break;
      const BusAccess access = device_.tick(after_eval);
      ++cycle;
      ++run.simulated_cycles;
      if (access.kind == BusAccess::write && access.addr < mem_.size()) undo_.push_back({access.addr, access.old_value});
      // The golden state to compare with now: at a layer's end, or at a checkpoint.
      const Golden::State* golden_now = nullptr;
      for (; next_layer < g.layer_end.size() && g.layer_end[next_layer] == cycle; ++next_layer) {
        note_layer(g, next_layer, mem_region(next_layer), run);
        golden_now = &g.layer_end_states[next_layer];
      }
      const bool at_checkpoint = cycle % g.interval == 0;
      if (!golden_now && at_checkpoint && cycle / g.interval < g.checkpoints.size())
        golden_now = &g.checkpoints[cycle / g.interval].state;
      if (mode == InjectionMode::optimized && applied.applied()) {
        if (cycle >= converges_from && golden_now && try_shortcut(g, *golden_now, cycle, start_writes, next_layer, run)) {
          decided = true;
          break;
        }
        if (at_checkpoint && stalled()) {
          run.end = RunEnd::stalled;
          break;
        }
      }
    }
    if (!decided) {
      if (!device_.done()) {
        run.status = RunStatus::timeout;
        if (run.end != RunEnd::stalled) run.end = RunEnd::watchdog;
      } else {
        run.status = device_.error() ? RunStatus::error : RunStatus::done;
      }
      // Layers the run did not reach keep what memory holds now.
      for (; next_layer < g.layer_end.size(); ++next_layer) note_layer(g, next_layer, mem_region(next_layer), run);
      if (run.status == RunStatus::done) run.output = mem_region(regions_.size() - 1);
    }
    if (tracing) device_.model().trace_close();
    for (auto it = undo_.rbegin(); it != undo_.rend(); ++it) mem_[it->addr] = it->old_value;
    return run;
  }

 private:
  struct Undo {
    uint32_t addr;
    uint8_t old_value;
  };

  static RtlFaultRun masked_run(const Golden& g, const RtlFault& fault) {
    RtlFaultRun run;
    run.output = g.layer_outputs.back();
    run.start_cycle = fault.cycle;
    run.end = RunEnd::converged;
    return run;
  }

  uint8_t initial_byte(const std::vector<int8_t>& input, uint32_t addr) const {
    if (addr >= image_.input_addr && addr - image_.input_addr < input.size())
      return uint8_t(input[addr - image_.input_addr]);
    return addr < image_.bytes.size() ? image_.bytes[addr] : 0;
  }

  void load_initial_memory(const std::vector<int8_t>& input) {
    if (image_.bytes.size() > geometry_.mem_bytes || size_t(image_.input_addr) + input.size() > geometry_.mem_bytes ||
        int64_t(input.size()) != image_.input.size())
      throw std::invalid_argument("the input or the memory image does not fit the NPU memory");
    std::fill(std::copy(image_.bytes.begin(), image_.bytes.end(), mem_.begin()), mem_.end(), 0);
    std::copy(input.begin(), input.end(), mem_.begin() + image_.input_addr);
  }

  // Brings mem_ to the golden memory after `writes` golden writes. Switching to another golden run only
  // restores the bytes golden writes touched and puts the new input in place.
  void move_memory(const Golden& g, size_t writes) {
    if (mem_golden_ != &g) {
      for (uint32_t a : touched_) mem_[a] = a < image_.bytes.size() ? image_.bytes[a] : 0;
      touched_.clear();
      std::memcpy(mem_.data() + image_.input_addr, g.input.data(), g.input.size());
      mem_golden_ = &g;
      mem_writes_ = 0;
    }
    for (; touched_.size() < writes; touched_.push_back(g.writes[touched_.size()].addr)) {}
    for (; mem_writes_ < writes; ++mem_writes_) mem_[g.writes[mem_writes_].addr] = g.writes[mem_writes_].new_value;
    for (; mem_writes_ > writes; --mem_writes_)
      mem_[g.writes[mem_writes_ - 1].addr] = g.writes[mem_writes_ - 1].old_value;
  }

  // Every run starts from the same power-on state: memories hold what a fresh model holds, not what an
  // earlier run left in them (reset does not clear SRAM), so results never depend on a worker's history.
  void power_on() { device_.restore(power_on_); }

  Golden::State current_state(size_t writes) const {
    Golden::State s;
    state_.snapshot(s.bits);
    s.rvalid = device_.rvalid();
    s.rdata = device_.rdata();
    s.writes = writes;
    return s;
  }

  void save_checkpoint(Golden& g) {
    Golden::Checkpoint cp;
    device_.save(cp.model);
    cp.state = current_state(g.writes.size());
    g.checkpoints.push_back(std::move(cp));
  }

  // The golden state at each layer's end, simulated again from the checkpoint before it.
  void record_layer_end_states(Golden& g) {
    for (const uint64_t end : g.layer_end) {
      const size_t k = std::min<size_t>(end / g.interval, g.checkpoints.size() - 1);
      device_.restore(g.checkpoints[k].model);
      move_memory(g, g.checkpoints[k].state.writes);
      for (uint64_t cycle = uint64_t(k) * g.interval; cycle < end; ++cycle) device_.tick();
      mem_writes_ = size_t(std::upper_bound(g.writes.begin(), g.writes.end(), end,
                                            [](uint64_t c, const Golden::Write& w) { return c < w.cycle; }) -
                           g.writes.begin());
      g.layer_end_states.push_back(current_state(mem_writes_));
    }
  }

  std::vector<int8_t> mem_region(size_t layer) const {
    const Region r = regions_[layer];
    return std::vector<int8_t>(mem_.begin() + r.begin, mem_.begin() + r.end);
  }

  // The golden writes come layer after layer, each into its own output region. A layer ends with its last
  // write; its output is what memory holds then. Every byte of it must be written during the layer (the
  // reference shortcut relies on that).
  void record_layers(Golden& g) const {
    size_t layer = 0;
    std::vector<uint8_t> written(regions_[0].end - regions_[0].begin);
    const auto finish_layer = [&](uint64_t end) {
      if (std::find(written.begin(), written.end(), 0) != written.end())
        throw std::logic_error("layer " + std::to_string(layer) + " does not write its whole output");
      const Region r = regions_[layer];
      std::vector<int8_t> out(r.end - r.begin);
      for (uint32_t a = r.begin; a < r.end; ++a) out[a - r.begin] = int8_t(g.value_at(a, end, 0));
      g.layer_end.push_back(end);
      g.layer_outputs.push_back(std::move(out));
    };
    uint64_t last = 0;
    for (const Golden::Write& w : g.writes) {
      if (!regions_[layer].contains(w.addr)) {
        if (layer + 1 == regions_.size() || !regions_[layer + 1].contains(w.addr))
          throw std::logic_error("layer " + std::to_string(layer) + " writes outside its output");
        finish_layer(last);
        ++layer;
        written.assign(regions_[layer].end - regions_[layer].begin, 0);
      }
      written[w.addr - regions_[layer].begin] = 1;
      last = w.cycle;
    }
    finish_layer(last);
    if (g.layer_end.size() != regions_.size()) throw std::logic_error("the golden run skipped layers");
  }

  // True when the state and the memory port equal those of the previous call and memory was not written
  // in between: the run repeats itself and can never finish.
  bool stalled() {
    state_.snapshot(state_now_);
    const bool same = !last_state_.empty() && state_now_ == last_state_ && undo_.size() == last_writes_ &&
                      device_.rvalid() == last_rvalid_ && device_.rdata() == last_rdata_;
    std::swap(last_state_, state_now_);
    last_writes_ = undo_.size();
    last_rvalid_ = device_.rvalid();
    last_rdata_ = device_.rdata();
    return same;
  }

  static void note_layer(const Golden& g, size_t layer, const std::vector<int8_t>& output, RtlFaultRun& run) {
    if (run.first_diff_layer < 0 && output != g.layer_outputs[layer]) run.first_diff_layer = int(layer);
  }

  // At a cycle with a recorded golden state (a checkpoint or a layer's end): when the state equals it,
  // decides the outcome without more RTL if no memory difference can reach the NPU again (converged), or if
  // only one layer's output differs and it is read after that layer ended (reference). Returns false to go
  // on simulating.
  bool try_shortcut(const Golden& g, const Golden::State& golden, uint64_t cycle, size_t start_writes,
                    size_t next_layer, RtlFaultRun& run) {
    if (device_.rvalid() != golden.rvalid || device_.rdata() != golden.rdata ||
        !state_.equals_except_dead(golden.bits, g.memory_words, uint32_t(cycle)))
      return false;

    // Addresses where the faulty memory differs from the golden memory of this cycle.
    std::vector<uint32_t> candidates;
    for (const Undo& u : undo_) candidates.push_back(u.addr);
    for (size_t i = start_writes; i < golden.writes; ++i) candidates.push_back(g.writes[i].addr);
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    std::vector<uint32_t> differing;
    for (uint32_t a : candidates)
      if (mem_[a] != g.value_at(a, cycle, initial_byte(g.input, a))) differing.push_back(a);

    // A difference the golden run reads before overwriting it can still change the NPU's behaviour. It is
    // harmless to the RTL here only if it sits in layer outputs and is first read after the last layer that
    // holds one (or the running layer, if later) ended: the RTL runs up to that layer as in the golden run,
    // and the reference computes the layers after it from what memory then holds.
    std::optional<size_t> reference_from;  // the last layer the RTL would run as in the golden run
    uint64_t first_read = UINT64_MAX;
    for (uint32_t a : differing) {
      const uint64_t read = g.next_read(a, cycle);
      if (read == UINT64_MAX || g.next_write(a, cycle) < read) continue;
      size_t layer = 0;
      while (layer < regions_.size() && !regions_[layer].contains(a)) ++layer;
      if (layer == regions_.size()) return false;  // a command, weight or the input
      reference_from = std::max({reference_from.value_or(0), layer, next_layer});
      first_read = std::min(first_read, read);
    }
    if (reference_from && (*reference_from >= regions_.size() || first_read <= g.layer_end[*reference_from]))
      return false;

    // The NPU now behaves as in the golden run; memory keeps the differences until overwritten. The
    // finished layers' outputs are what memory holds; the later ones read them as the network says.
    std::vector<std::vector<int8_t>> outputs;
    for (size_t l = 0; l < next_layer; ++l) outputs.push_back(mem_region(l));
    for (size_t l = next_layer; l < regions_.size(); ++l) {
      std::vector<int8_t> out = reference_from && l > *reference_from
                                    ? run_network_layer(network_, l, g.input, outputs)
                                    : g.layer_outputs[l];
      for (uint32_t a : differing)
        if (regions_[l].contains(a) && g.next_write(a, cycle) > g.layer_end[l]) out[a - regions_[l].begin] = int8_t(mem_[a]);
      note_layer(g, l, out, run);
      outputs.push_back(std::move(out));
    }
    run.status = RunStatus::done;
    run.output = outputs.back();
    run.end = reference_from ? RunEnd::reference : RunEnd::converged;
    return true;
  }

  const QuantizedNetwork& network_;
  const MemoryImage& image_;
  const NpuGeometry geometry_;
  NpuDevice device_;
  StateAccess state_;
  std::vector<Region> regions_;  // each layer's output in memory
  std::span<uint8_t> mem_;  // the testbench's external memory
  const Golden* mem_golden_ = nullptr;  // the golden run whose memory mem_ holds
  std::vector<uint32_t> touched_;       // addresses of the golden writes 0, 1, ... ever applied to mem_
  size_t mem_writes_ = 0;               // ... after this many of its writes
  std::vector<uint8_t> power_on_;       // the model's state at construction
  bool settling_ = true;                // stuck-at faults converge once their value settles
  std::vector<Undo> undo_;              // writes of the current faulty run
  std::vector<uint8_t> last_state_, state_now_;  // stall detection
  size_t last_writes_ = 0;
  uint8_t last_rvalid_ = 0;
  uint32_t last_rdata_ = 0;
};

NpuFaultSimulator::NpuFaultSimulator(NpuConfig config, const QuantizedNetwork& network, const MemoryImage& image)
    : engine_(std::make_unique<Engine>(config, network, image)) {}

NpuFaultSimulator::~NpuFaultSimulator() = default;

const FaultSites& NpuFaultSimulator::sites() const { return engine_->sites(); }

void NpuFaultSimulator::use_observability(bool on) { engine_->use_observability(on); }

std::shared_ptr<const NpuGolden> NpuFaultSimulator::record_golden(const std::vector<int8_t>& input,
                                                                  uint32_t checkpoint_interval) {
  return engine_->record(input, checkpoint_interval);
}

RtlFaultRun NpuFaultSimulator::inject(const NpuGolden& golden, const RtlFault& fault, InjectionMode mode) {
  return engine_->inject(golden, fault, mode, "", 0);
}

RtlFaultRun NpuFaultSimulator::replay(const NpuGolden& golden, const RtlFault& fault, const std::string& vcd_path,
                                      uint64_t cycles_after) {
  return engine_->inject(golden, fault, InjectionMode::optimized, vcd_path, cycles_after);
}

}  // namespace npufi
