#include "rtl/compiler/npu_compiler.h"

#include <algorithm>

namespace npufi {

NpuGeometry npu_geometry(NpuConfig config) {
  NpuGeometry g;
  switch (config) {
    case NpuConfig::npu32: g.macs = 32; break;
    case NpuConfig::npu64: g.macs = 64; break;
    case NpuConfig::npu128: g.macs = 128; break;
    case NpuConfig::npu256: g.macs = 256; break;
  }
  g.cols = 8;
  g.rows = g.macs / g.cols;
  g.ifm_bytes = g.macs <= 64 ? 8192 : 4096 * (g.macs / 32);
  g.wb_depth = 1024;
  g.mem_bytes = 1u << 20;
  return g;
}

std::string npu_config_name(NpuConfig config) { return "npu" + std::to_string(npu_geometry(config).macs); }

std::optional<NpuConfig> parse_npu_config(std::string_view name) {
  for (NpuConfig c : kAllNpuConfigs)
    if (name == npu_config_name(c)) return c;
  return std::nullopt;
}

std::string npu_error_name(int code) {
  switch (code) {
    case kErrNone: return "none";
    case kErrOpcode: return "illegal opcode";
    case kErrRange: return "address outside memory";
    case kErrAlign: return "misaligned address";
    case kErrConfig: return "illegal layer configuration";
  }
  return "unknown error " + std::to_string(code);
}

void store_word(std::vector<uint8_t>& bytes, uint32_t addr, uint32_t word) {
  if (bytes.size() < size_t(addr) + 4) bytes.resize(size_t(addr) + 4, 0);
  for (int i = 0; i < 4; ++i) bytes[addr + i] = uint8_t(word >> (8 * i));
}

uint32_t load_word(const std::vector<uint8_t>& bytes, uint32_t addr) {
  uint32_t w = 0;
  for (int i = 0; i < 4; ++i)
    if (size_t(addr) + i < bytes.size()) w |= uint32_t(bytes[addr + i]) << (8 * i);
  return w;
}

namespace {

uint32_t align4(uint64_t a) { return uint32_t((a + 3) & ~uint64_t(3)); }

[[noreturn]] void fail(const QuantizedLayer& layer, size_t index, const std::string& what) {
  throw CompileError("layer " + std::to_string(index) + " (" + layer.name + "): " + what);
}

}  // namespace

MemoryImage compile_network(const QuantizedNetwork& network, NpuConfig config) {
  const NpuGeometry geo = npu_geometry(config);
  MemoryImage image;
  image.input = network.input;
  const size_t n = network.layers.size();
  // Commands first (n layers + END), then per-layer weights and parameters, then activations.
  uint64_t addr = uint64_t(n + 1) * kCommandBytes;
  std::vector<uint32_t> weight_addr(n), param_addr(n), act_addr(n + 1);
  TensorShape shape = network.input;
  for (size_t i = 0; i < n; ++i) {
    const QuantizedLayer& L = network.layers[i];
    if (!(L.input == shape)) fail(L, i, "input shape does not match the previous layer's output");
    if (L.input.size() > geo.ifm_bytes)
      fail(L, i, "input of " + std::to_string(L.input.size()) + " bytes exceeds the " +
                     std::to_string(geo.ifm_bytes) + "-byte input buffer of " + npu_config_name(config));
    for (int v : {L.input.channels, L.input.height, L.input.width, L.output.channels, L.output.height,
                  L.output.width})
      if (v < 1 || v > 65535) fail(L, i, "a dimension outside 1..65535");
    if (L.kind == LayerKind::max_pool) {
      if (L.output.channels != L.input.channels || L.output.height != L.input.height / 2 ||
          L.output.width != L.input.width / 2)
        fail(L, i, "max-pool output shape is not input/2");
    } else {
      const int64_t k = L.kind == LayerKind::conv2d ? L.kernel : 1;
      const int64_t K = L.kind == LayerKind::conv2d ? L.input.channels * k * k : L.input.size();
      if (L.kind == LayerKind::conv2d) {
        if (L.kernel < 1 || L.kernel > 15) fail(L, i, "kernel outside 1..15");
        if (L.stride != 1 && L.stride != 2) fail(L, i, "stride must be 1 or 2");
        if (L.padding < 0 || L.padding > 15) fail(L, i, "padding outside 0..15");
        const int oh = (L.input.height + 2 * L.padding - L.kernel) / L.stride + 1;
        const int ow = (L.input.width + 2 * L.padding - L.kernel) / L.stride + 1;
        if (L.output.height != oh || L.output.width != ow) fail(L, i, "conv output shape mismatch");
      } else if (L.output.height != 1 || L.output.width != 1) {
        fail(L, i, "fully connected output must be C x 1 x 1");
      }
      if (K > geo.wb_depth)
        fail(L, i, "reduction length " + std::to_string(K) + " exceeds the weight buffer depth " +
                       std::to_string(geo.wb_depth));
      const int64_t cout = L.output.channels;
      if (int64_t(L.weights.size()) != cout * K || int64_t(L.bias.size()) != cout ||
          int64_t(L.multiplier.size()) != cout || int64_t(L.shift.size()) != cout)
        fail(L, i, "weight or parameter count does not match the shapes");
      const int64_t groups = (cout + geo.rows - 1) / geo.rows;
      weight_addr[i] = uint32_t(addr);
      addr = align4(addr + uint64_t(groups * K * geo.rows));
      param_addr[i] = uint32_t(addr);
      addr = align4(addr + uint64_t(cout * 12));
    }
    shape = L.output;
  }
  shape = network.input;
  for (size_t i = 0; i <= n; ++i) {
    act_addr[i] = uint32_t(addr);
    addr = align4(addr + uint64_t(shape.size()));
    if (i < n) shape = network.layers[i].output;
  }
  if (addr > geo.mem_bytes)
    throw CompileError("network needs " + std::to_string(addr) + " bytes of memory, " + npu_config_name(config) +
                       " addresses " + std::to_string(geo.mem_bytes));
  image.bytes.assign(addr, 0);

  for (size_t i = 0; i < n; ++i) {
    const QuantizedLayer& L = network.layers[i];
    NpuCommand cmd;
    uint32_t* w = cmd.words;
    const bool fc = L.kind == LayerKind::fully_connected;
    w[0] = L.kind == LayerKind::conv2d ? kOpConv2d : fc ? kOpFullyConnected : kOpMaxPool;
    w[1] = uint32_t(L.activation);
    w[2] = uint32_t(int32_t(L.clip_threshold));
    w[3] = uint32_t(fc ? L.input.size() : L.input.channels);
    w[4] = uint32_t(fc ? 1 : L.input.height);
    w[5] = uint32_t(fc ? 1 : L.input.width);
    w[6] = uint32_t(L.output.channels);
    w[7] = uint32_t(L.output.height);
    w[8] = uint32_t(L.output.width);
    w[9] = uint32_t(L.kind == LayerKind::conv2d ? L.kernel : fc ? 1 : 2);
    w[10] = uint32_t(L.kind == LayerKind::conv2d ? L.stride : fc ? 1 : 2);
    w[11] = uint32_t(L.kind == LayerKind::conv2d ? L.padding : 0);
    w[12] = act_addr[i];
    w[13] = L.kind == LayerKind::max_pool ? 0 : weight_addr[i];
    w[14] = L.kind == LayerKind::max_pool ? 0 : param_addr[i];
    w[15] = act_addr[i + 1];
    for (int j = 0; j < kCommandWords; ++j) store_word(image.bytes, uint32_t(i * kCommandBytes + j * 4), w[j]);
    if (L.kind == LayerKind::max_pool) continue;
    const int64_t cout = L.output.channels;
    const int64_t K = int64_t(L.weights.size()) / cout;
    // Weights: group g, reduction step r, row p -> weight[g*rows + p][r]; missing channels are zero.
    for (int64_t o = 0; o < cout; ++o) {
      const int64_t g = o / geo.rows, p = o % geo.rows;
      for (int64_t r = 0; r < K; ++r)
        image.bytes[weight_addr[i] + (g * K + r) * geo.rows + p] = uint8_t(L.weights[o * K + r]);
      store_word(image.bytes, uint32_t(param_addr[i] + o * 12 + 0), uint32_t(L.bias[o]));
      store_word(image.bytes, uint32_t(param_addr[i] + o * 12 + 4), uint32_t(L.multiplier[o]));
      store_word(image.bytes, uint32_t(param_addr[i] + o * 12 + 8), uint32_t(L.shift[o]));
      image.useful_macs += uint64_t(K) * uint64_t(L.output.height) * uint64_t(L.output.width);
    }
  }
  store_word(image.bytes, uint32_t(n * kCommandBytes), kOpEnd);
  image.command_addr = 0;
  image.input_addr = act_addr[0];
  image.output_addr = act_addr[n];
  image.output = n ? network.layers[n - 1].output : network.input;
  image.layer_output_addr.assign(act_addr.begin() + 1, act_addr.end());
  return image;
}

}  // namespace npufi
