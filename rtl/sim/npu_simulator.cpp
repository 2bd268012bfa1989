#include "rtl/sim/npu_simulator.h"

#include <cstring>

#include "Vnpu128.h"
#include "Vnpu256.h"
#include "Vnpu32.h"
#include "Vnpu64.h"
#include "verilated.h"

namespace npufi {

std::string run_status_name(RunStatus status) {
  switch (status) {
    case RunStatus::done: return "done";
    case RunStatus::error: return "error";
    case RunStatus::timeout: return "timeout";
  }
  return "unknown";
}

namespace {

struct ModelBase {
  virtual ~ModelBase() = default;
  virtual RunResult run(std::vector<uint8_t>& mem, uint32_t cmd_addr, uint64_t max_cycles) = 0;
};

// The test bench: a clock loop and the external memory (one-cycle read latency, posted writes).
template <class V>
struct Model final : ModelBase {
  VerilatedContext context;
  V top{&context};

  void tick(std::vector<uint8_t>& mem) {
    top.clk = 1;
    top.eval();
    top.mem_rvalid = 0;
    if (top.mem_req) {
      const uint32_t a = top.mem_addr;
      if (top.mem_we) {
        if (a < mem.size()) mem[a] = top.mem_wdata;
      } else {
        uint32_t w = 0;
        for (uint32_t i = 0; i < 4; ++i)
          if (size_t(a) + i < mem.size()) w |= uint32_t(mem[a + i]) << (8 * i);
        top.mem_rdata = w;
        top.mem_rvalid = 1;
      }
    }
    top.clk = 0;
    top.eval();
  }

  RunResult run(std::vector<uint8_t>& mem, uint32_t cmd_addr, uint64_t max_cycles) override {
    top.rst = 1;
    top.start = 0;
    top.cmd_addr = cmd_addr;
    top.mem_rvalid = 0;
    top.mem_rdata = 0;
    top.clk = 0;
    top.eval();
    for (int i = 0; i < 2; ++i) tick(mem);
    top.rst = 0;
    top.start = 1;
    tick(mem);
    top.start = 0;
    RunResult r;
    uint64_t cycles = 1;
    while (!top.done && cycles < max_cycles) {
      r.mac_busy_cycles += top.mac_busy;
      tick(mem);
      ++cycles;
    }
    r.cycles = cycles;
    if (!top.done) {
      r.status = RunStatus::timeout;
      r.message = "NPU did not finish within " + std::to_string(max_cycles) + " cycles (watchdog)";
    } else if (top.error) {
      r.status = RunStatus::error;
      r.error_code = top.err_code;
      r.error_pc = top.err_pc;
      char pc[16];
      std::snprintf(pc, sizeof pc, "0x%08x", unsigned(top.err_pc));
      r.message = "NPU error " + std::to_string(r.error_code) + " (" + npu_error_name(r.error_code) +
                  ") in the command at " + pc;
    } else {
      r.status = RunStatus::done;
    }
    return r;
  }
};

}  // namespace

struct NpuSimulator::Impl {
  std::unique_ptr<ModelBase> model;
  std::vector<uint8_t> memory;
};

NpuSimulator::NpuSimulator(NpuConfig config) : config_(config), impl_(std::make_unique<Impl>()) {
  switch (config) {
    case NpuConfig::npu32: impl_->model = std::make_unique<Model<Vnpu32>>(); break;
    case NpuConfig::npu64: impl_->model = std::make_unique<Model<Vnpu64>>(); break;
    case NpuConfig::npu128: impl_->model = std::make_unique<Model<Vnpu128>>(); break;
    case NpuConfig::npu256: impl_->model = std::make_unique<Model<Vnpu256>>(); break;
  }
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
  std::memcpy(mem.data(), image.bytes.data(), image.bytes.size());
  std::memcpy(mem.data() + image.input_addr, input.data(), input.size());
  RunResult r = impl_->model->run(mem, image.command_addr, max_cycles);
  if (r.status == RunStatus::done && size_t(image.output_addr) + size_t(image.output.size()) <= mem.size()) {
    r.output.resize(size_t(image.output.size()));
    std::memcpy(r.output.data(), mem.data() + image.output_addr, r.output.size());
  }
  return r;
}

}  // namespace npufi
