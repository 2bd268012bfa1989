// The reference NPU's testbench for the design path (docs/your-design.md): its external memory (one-cycle
// reads of 4 bytes, byte writes), a workload the memory image of a compiled network with one input
// (`npufi npu workload` writes them), the outputs the last layer's int8 logits, top-1 their argmax.
#include <algorithm>
#include <cstring>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include "Vnpu.h"
#include "npufi/testbench.h"

namespace {

// The workload file: this header, then the memory image from address 0 (little-endian words).
struct WorkloadHeader {
  char magic[4];  // "NPUW"
  uint32_t version, memory_bytes, command_addr, output_addr, output_bytes;
};

}  // namespace

class NpuBench : public npufi::Testbench {
 public:
  explicit NpuBench(Vnpu& top) : top_(top) {}

  void load(const std::string& workload) override {
    std::ifstream in(workload, std::ios::binary);
    if (!in) throw std::runtime_error(workload + ": cannot read the workload");
    const std::vector<char> file{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    WorkloadHeader h{};
    if (file.size() >= sizeof h) std::memcpy(&h, file.data(), sizeof h);
    if (file.size() < sizeof h || std::memcmp(h.magic, "NPUW", 4) != 0 || h.version != 1 ||
        file.size() - sizeof h > h.memory_bytes || h.output_addr + uint64_t(h.output_bytes) > h.memory_bytes)
      throw std::runtime_error(workload + ": not an NPU workload (npufi npu workload writes them)");
    mem_.assign(h.memory_bytes, 0);
    std::copy(file.begin() + sizeof h, file.end(), mem_.begin());
    command_addr_ = h.command_addr;
    output_addr_ = h.output_addr;
    output_bytes_ = h.output_bytes;
  }
  void start() override {
    top_.cmd_addr = command_addr_;
    top_.start = 1;
  }
  void posedge() override {
    top_.start = 0;
    top_.mem_rvalid = 0;
    if (!top_.mem_req) return;
    const uint32_t a = top_.mem_addr;
    if (top_.mem_we) {
      if (a < mem_.size()) mem_[a] = top_.mem_wdata;
      return;
    }
    uint32_t word = 0;
    for (uint32_t i = 0; i < 4; ++i)
      if (size_t(a) + i < mem_.size()) word |= uint32_t(mem_[a + i]) << (8 * i);
    top_.mem_rdata = word;
    top_.mem_rvalid = 1;
  }
  bool done() const override { return top_.done; }
  bool error() const override { return top_.error; }
  std::vector<uint8_t> outputs() const override {
    return std::vector<uint8_t>(mem_.begin() + output_addr_, mem_.begin() + output_addr_ + output_bytes_);
  }
  std::optional<int> classify(const std::vector<uint8_t>& outputs) const override {
    if (outputs.empty()) return std::nullopt;
    return int(std::max_element(outputs.begin(), outputs.end(),
                                [](uint8_t a, uint8_t b) { return int8_t(a) < int8_t(b); }) - outputs.begin());
  }
  std::vector<npufi::TestbenchMemory> memories() override { return {{"mem", mem_.data(), mem_.size()}}; }

 private:
  Vnpu& top_;
  std::vector<uint8_t> mem_;
  uint32_t command_addr_ = 0, output_addr_ = 0, output_bytes_ = 0;
};

NPUFI_TESTBENCH(NpuBench, Vnpu)
