#pragma once
// A compiled network with one input as a workload file for the reference NPU's testbench on the design
// path (rtl/npu/npu_testbench.cpp, which reads it): a header, then the memory image from address 0.
#include <cstdint>
#include <string>
#include <vector>

#include "rtl/compiler/npu_compiler.h"

namespace npufi {

// Throws std::runtime_error naming the file when it cannot be written, or the input does not fit.
void write_npu_workload(const std::string& path, const MemoryImage& image, const std::vector<int8_t>& input,
                        uint32_t memory_bytes);

}  // namespace npufi
