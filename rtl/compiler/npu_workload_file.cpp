#include "rtl/compiler/npu_workload_file.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <stdexcept>

namespace npufi {

void write_npu_workload(const std::string& path, const MemoryImage& image, const std::vector<int8_t>& input,
                        uint32_t memory_bytes) {
  if (int64_t(input.size()) != image.input.size() || image.input_addr + input.size() > memory_bytes)
    throw std::runtime_error(path + ": the input does not fit the compiled network");
  std::vector<uint8_t> memory = image.bytes;
  memory.resize(std::max<size_t>(memory.size(), image.input_addr + input.size()), 0);
  std::memcpy(memory.data() + image.input_addr, input.data(), input.size());
  // The header the testbench reads: magic, version, memory bytes, command, output address and size.
  const uint32_t header[5] = {1, memory_bytes, image.command_addr, image.output_addr, uint32_t(image.output.size())};
  std::ofstream out(path, std::ios::binary);
  out.write("NPUW", 4);
  out.write(reinterpret_cast<const char*>(header), sizeof header);
  out.write(reinterpret_cast<const char*>(memory.data()), std::streamsize(memory.size()));
  if (!out) throw std::runtime_error(path + ": cannot write the workload");
}

}  // namespace npufi
