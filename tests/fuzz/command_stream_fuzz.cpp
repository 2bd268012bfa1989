// Fuzz harness: the NPU command stream. The first byte picks the configuration (npu32 ... npu256), the
// rest is external memory from address 0, where the NPU starts fetching commands. Whatever the bytes, the
// Verilated NPU must end in done, an error or the watchdog, and the host must neither crash nor hang.
#include <iterator>

#include "rtl/sim/npu_simulator.h"
#include "tests/fuzz/fuzz_harness.h"

namespace {

// Ample for the seeds' small layers (225 cycles at most); a stream that asks for more ends at the
// watchdog, which keeps each execution short.
constexpr uint64_t kWatchdogCycles = 4000;

// One simulator per configuration for the whole process, never destroyed: a Verilated model destroyed
// by an exit handler, after Verilator's own statics, waits forever on a mutex of theirs.
npufi::NpuSimulator& simulator(npufi::NpuConfig config) {
  static npufi::NpuSimulator* simulators[std::size(npufi::kAllNpuConfigs)] = {};
  npufi::NpuSimulator*& sim = simulators[size_t(config)];
  if (!sim) sim = new npufi::NpuSimulator(config);
  return *sim;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const npufi::NpuConfig config = npufi::kAllNpuConfigs[data[0] % std::size(npufi::kAllNpuConfigs)];
  npufi::MemoryImage image;
  image.bytes.assign(data + 1, data + size);
  const npufi::RunResult r = simulator(config).run(image, {}, kWatchdogCycles);
  if (r.cycles > kWatchdogCycles) npufi::fuzz::finding("ran " + std::to_string(r.cycles) + " cycles past the watchdog");
  if ((r.status == npufi::RunStatus::done) != r.message.empty())
    npufi::fuzz::finding("status " + npufi::run_status_name(r.status) + " with message '" + r.message + "'");
  if (r.error_code < 0 || r.error_code > 4)  // 0: no NPU error (or the host refused the image)
    npufi::fuzz::finding("unknown NPU error code " + std::to_string(r.error_code));
  return 0;
}
