#include "rtl/sim/npu_simulator.h"

#include <algorithm>
#include <cstdio>

#include "rtl/sim/npu_device.h"

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

struct NpuSimulator::Impl {
  explicit Impl(NpuConfig config) : device(config) {}
  NpuDevice device;
  // The layout of the image the testbench was given: a run of another image only rewrites the memory.
  uint32_t command_addr = 0, output_addr = 0;
  int64_t output_values = -1;
};

NpuSimulator::NpuSimulator(NpuConfig config) : config_(config), impl_(std::make_unique<Impl>(config)) {}

NpuSimulator::~NpuSimulator() = default;

std::span<const uint8_t> NpuSimulator::memory() const { return impl_->device.memory(); }

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
  NpuDevice& device = impl_->device;
  if (impl_->command_addr != image.command_addr || impl_->output_addr != image.output_addr ||
      impl_->output_values != image.output.size()) {
    device.load(image);
    impl_->command_addr = image.command_addr;
    impl_->output_addr = image.output_addr;
    impl_->output_values = image.output.size();
  }
  const std::span<uint8_t> mem = device.memory();
  std::fill(std::copy(image.bytes.begin(), image.bytes.end(), mem.begin()), mem.end(), 0);
  std::copy(input.begin(), input.end(), mem.begin() + image.input_addr);
  device.reset();
  RunResult r;
  uint64_t cycles = 0;
  do {
    device.tick();
    ++cycles;
    r.mac_busy_cycles += device.mac_busy();
  } while (!device.done() && cycles < max_cycles);
  r.cycles = cycles;
  r = finish_run(r, device.done(), device.error(), device.err_code(), device.err_pc(), max_cycles);
  if (r.status == RunStatus::done && size_t(image.output_addr) + size_t(image.output.size()) <= mem.size()) {
    const auto output = mem.begin() + image.output_addr;
    r.output.assign(output, output + image.output.size());
  }
  return r;
}

}  // namespace npufi
