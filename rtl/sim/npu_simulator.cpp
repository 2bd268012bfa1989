#include "rtl/sim/npu_simulator.h"

#include <algorithm>
#include <cstdio>

#include "rtl/sim/npu_models.h"
#include "rtl/sim/npu_testbench.h"

namespace npufi {

std::string run_status_name(RunStatus status) {
  switch (status) {
    case RunStatus::done: return "done";
    case RunStatus::error: return "error";
    case RunStatus::timeout: return "timeout";
  }
  return "unknown";
}

RunResult finish_run(RunResult r, bool done, bool error, int err_code, uint32_t err_pc, uint64_t max_cycles) {
  if (!done) {
    r.status = RunStatus::timeout;
    r.message = "NPU did not finish within " + std::to_string(max_cycles) + " cycles (watchdog)";
  } else if (error) {
    r.status = RunStatus::error;
    r.error_code = err_code;
    r.error_pc = err_pc;
    char pc[16];
    std::snprintf(pc, sizeof pc, "0x%08x", unsigned(err_pc));
    r.message = "NPU error " + std::to_string(err_code) + " (" + npu_error_name(err_code) + ") in the command at " + pc;
  } else {
    r.status = RunStatus::done;
  }
  return r;
}

namespace {

struct ModelBase {
  virtual ~ModelBase() = default;
  virtual RunResult run(std::vector<uint8_t>& mem, uint32_t cmd_addr, uint64_t max_cycles) = 0;
};

template <class V>
struct Model final : ModelBase {
  NpuTestbench<V> bench;

  RunResult run(std::vector<uint8_t>& mem, uint32_t cmd_addr, uint64_t max_cycles) override {
    bench.reset(cmd_addr, mem);
    const V& top = bench.top();
    RunResult r;
    uint64_t cycles = 0;
    do {
      bench.tick(mem);
      ++cycles;
      r.mac_busy_cycles += top.mac_busy;
    } while (!top.done && cycles < max_cycles);
    r.cycles = cycles;
    return finish_run(r, top.done, top.error, top.err_code, top.err_pc, max_cycles);
  }
};

}  // namespace

struct NpuSimulator::Impl {
  std::unique_ptr<ModelBase> model;
  std::vector<uint8_t> memory;
};

NpuSimulator::NpuSimulator(NpuConfig config) : config_(config), impl_(std::make_unique<Impl>()) {
  impl_->model = with_npu_model(config, [&]<class V>(const NpuStateTables&) -> std::unique_ptr<ModelBase> {
    return std::make_unique<Model<V>>();
  });
}

NpuSimulator::~NpuSimulator() = default;

const std::vector<uint8_t>& NpuSimulator::memory() const { return impl_->memory; }

RunResult NpuSimulator::run(const MemoryImage& image, const std::vector<int8_t>& input, uint64_t max_cycles) {
  const NpuGeometry geo = npu_geometry(config_);
  RunResult bad;
  bad.status = RunStatus::error;
  if (image.bytes.size() > geo.mem_bytes) {
    bad.message = "memory image of " + std::to_string(image.bytes.size()) + " bytes exceeds the " +
                  std::to_string(geo.mem_bytes) + "-byte NPU memory";
    return bad;
  }
  if (int64_t(input.size()) != image.input.size() ||
      size_t(image.input_addr) + input.size() > size_t(geo.mem_bytes)) {
    bad.message = "input of " + std::to_string(input.size()) + " values does not match the image's input " +
                  std::to_string(image.input.size());
    return bad;
  }
  std::vector<uint8_t>& mem = impl_->memory;
  mem.assign(geo.mem_bytes, 0);
  // Copies, not memcpy: an empty vector's data() may be null, and memcpy from null is undefined.
  std::copy(image.bytes.begin(), image.bytes.end(), mem.begin());
  std::copy(input.begin(), input.end(), mem.begin() + image.input_addr);
  RunResult r = impl_->model->run(mem, image.command_addr, max_cycles);
  if (r.status == RunStatus::done && size_t(image.output_addr) + size_t(image.output.size()) <= mem.size()) {
    const auto output = mem.begin() + image.output_addr;
    r.output.assign(output, output + image.output.size());
  }
  return r;
}

}  // namespace npufi
