#pragma once
// Compiles a QuantizedNetwork for the reference NPU (rtl/npu): one memory image holding the command
// stream, the weights in the MAC array's order, the per-channel parameters and every activation buffer.
// The format is documented in docs/npu-command-stream.md. Pure C++: no Verilator, no LibTorch.
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "models/quantized_network.h"

namespace npufi {

enum class NpuConfig { npu32, npu64, npu128, npu256 };

// The hardware parameters of one configuration (must match rtl/npu/npu.sv).
struct NpuGeometry {
  int macs = 0;          // MACs per cycle = rows x cols
  int rows = 0;          // output channels in parallel
  int cols = 0;          // output columns in parallel
  int ifm_bytes = 0;     // input-feature-map buffer
  int wb_depth = 0;      // weight buffer rows = largest reduction length K = C*k*k
  uint32_t mem_bytes = 0;  // external memory the NPU can address
};
NpuGeometry npu_geometry(NpuConfig config);
std::string npu_config_name(NpuConfig config);                     // "npu32" ...
std::optional<NpuConfig> parse_npu_config(std::string_view name);  // "npu32" ... or nullopt
inline constexpr NpuConfig kAllNpuConfigs[] = {NpuConfig::npu32, NpuConfig::npu64, NpuConfig::npu128,
                                               NpuConfig::npu256};

// Command opcodes and error codes (docs/npu-command-stream.md).
enum NpuOpcode : uint32_t {
  kOpConv2d = 0x01, kOpFullyConnected = 0x02, kOpMaxPool = 0x03, kOpAvgPool = 0x04, kOpAdd = 0x05, kOpEnd = 0xFF
};
enum NpuError : int { kErrNone = 0, kErrOpcode = 1, kErrRange = 2, kErrAlign = 3, kErrConfig = 4 };
std::string npu_error_name(int code);

inline constexpr int kCommandWords = 16;
inline constexpr int kCommandBytes = 64;
struct NpuCommand {
  uint32_t words[kCommandWords] = {};
};

struct MemoryImage {
  std::vector<uint8_t> bytes;  // external memory from address 0; the rest of memory is zero
  uint32_t command_addr = 0;   // first command
  uint32_t input_addr = 0;
  TensorShape input;
  uint32_t output_addr = 0;
  TensorShape output;
  std::vector<uint32_t> layer_output_addr;  // every layer's output buffer
  uint64_t useful_macs = 0;                 // multiply-accumulates the network needs (for utilisation)
};

struct CompileError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Throws CompileError naming the layer and the limit when a layer does not fit this configuration.
MemoryImage compile_network(const QuantizedNetwork& network, NpuConfig config);

// Little-endian access to an image.
void store_word(std::vector<uint8_t>& bytes, uint32_t addr, uint32_t word);
uint32_t load_word(const std::vector<uint8_t>& bytes, uint32_t addr);

}  // namespace npufi
