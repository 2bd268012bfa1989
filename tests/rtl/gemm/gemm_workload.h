#pragma once
// Workloads of the systolic GEMM (gemm.sv): a memory image with the descriptor, A and B, and the C the
// design must compute, by plain integer arithmetic here.
#include <cstdint>
#include <fstream>
#include <random>
#include <string>
#include <vector>

namespace npufi::test {

struct GemmWorkload {
  uint32_t rows = 0, shift = 0;
  std::vector<int8_t> a, b;  // rows x 4, 4 x 4
  static constexpr uint32_t kA = 16, kC = 1024;

  GemmWorkload(uint32_t rows, uint32_t shift, uint32_t seed) : rows(rows), shift(shift) {
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> value(-128, 127);
    for (uint32_t i = 0; i < rows * 4; ++i) a.push_back(int8_t(value(rng)));
    for (int i = 0; i < 16; ++i) b.push_back(int8_t(value(rng)));
  }
  // The memory image: {M, A, B, C, shift} at word 0, A from word 16, B after it.
  void write(const std::string& path) const {
    std::vector<uint32_t> words{rows, kA, kA + rows, kC, shift};
    words.resize(kA);
    for (uint32_t r = 0; r < rows; ++r) words.push_back(pack(&a[4 * r]));
    for (int k = 0; k < 4; ++k) words.push_back(pack(&b[4 * k]));
    std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(words.data()), std::streamsize(words.size() * 4));
  }
  // C = saturate((A x B) >> shift), row after row, as bytes.
  std::vector<uint8_t> expected() const {
    std::vector<uint8_t> c;
    for (uint32_t r = 0; r < rows; ++r)
      for (int n = 0; n < 4; ++n) {
        int32_t acc = 0;
        for (int k = 0; k < 4; ++k) acc += int32_t(a[4 * r + k]) * int32_t(b[4 * k + n]);
        const int32_t v = acc >> shift;  // arithmetic, as the RTL's >>>
        c.push_back(uint8_t(int8_t(v > 127 ? 127 : v < -128 ? -128 : v)));
      }
    return c;
  }

 private:
  static uint32_t pack(const int8_t* bytes) {
    uint32_t w = 0;
    for (int i = 0; i < 4; ++i) w |= uint32_t(uint8_t(bytes[i])) << (8 * i);
    return w;
  }
};

}  // namespace npufi::test
