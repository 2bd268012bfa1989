// The testbench of the systolic GEMM (gemm.sv): a 4096-word external memory with one-cycle reads, the
// workload a memory image loaded at address 0, the outputs the rows of C, and top-1 the largest element of
// C's last row.
#include <algorithm>
#include <cstring>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include "Vgemm.h"
#include "npufi/testbench.h"

class GemmBench : public npufi::Testbench {
 public:
  explicit GemmBench(Vgemm& top) : top_(top), mem_(kWords, 0) {}

  void load(const std::string& workload) override {
    std::ifstream in(workload, std::ios::binary);
    if (!in) throw std::runtime_error(workload + ": cannot read the workload");
    const std::vector<char> bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (bytes.size() < 20 || bytes.size() > kWords * 4 || bytes.size() % 4 != 0)
      throw std::runtime_error(workload + ": a memory image of 20 to 16384 bytes, whole words, expected");
    std::fill(mem_.begin(), mem_.end(), 0);
    std::memcpy(mem_.data(), bytes.data(), bytes.size());
    rows_ = mem_[0];
    c_addr_ = mem_[3];
  }
  void start() override { top_.start = 1; }
  void posedge() override {
    top_.start = 0;
    top_.mem_rvalid = 0;
    if (!top_.mem_req) return;
    if (top_.mem_we) {
      mem_[top_.mem_addr] = top_.mem_wdata;
    } else {
      top_.mem_rdata = mem_[top_.mem_addr];
      top_.mem_rvalid = 1;
    }
  }
  bool done() const override { return top_.done; }
  bool error() const override { return top_.error; }
  std::vector<uint8_t> outputs() const override {
    std::vector<uint8_t> out;
    for (uint32_t r = 0; r < rows_ && c_addr_ + r < kWords; ++r)
      for (int b = 0; b < 4; ++b) out.push_back(uint8_t(mem_[c_addr_ + r] >> (8 * b)));
    return out;
  }
  std::optional<int> classify(const std::vector<uint8_t>& outputs) const override {
    if (outputs.size() < 4) return std::nullopt;
    const auto last = outputs.end() - 4;
    return int(std::max_element(last, outputs.end(), [](uint8_t a, uint8_t b) { return int8_t(a) < int8_t(b); }) - last);
  }
  std::vector<npufi::TestbenchMemory> memories() override { return {{"mem", reinterpret_cast<uint8_t*>(mem_.data()), kWords * 4}}; }

 private:
  static constexpr uint32_t kWords = 4096;
  Vgemm& top_;
  std::vector<uint32_t> mem_;
  uint32_t rows_ = 0, c_addr_ = 0;  // from the loaded descriptor
};

NPUFI_TESTBENCH(GemmBench, Vgemm)
