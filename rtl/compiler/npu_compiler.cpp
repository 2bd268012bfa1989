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

// The opcode, and the words of the parameter block at param_addr, of a layer.
uint32_t opcode(LayerKind kind) {
  switch (kind) {
    case LayerKind::conv2d: return kOpConv2d;
    case LayerKind::fully_connected: return kOpFullyConnected;
    case LayerKind::max_pool: return kOpMaxPool;
    case LayerKind::avg_pool: return kOpAvgPool;
    case LayerKind::add: return kOpAdd;
  }
  return kOpEnd;
}

// A banded convolution's slot per input channel in the IFM buffer: `kernel` rows and up to 3 bytes
// before them, in whole words (docs/npu-command-stream.md).
int64_t band_slot_bytes(const QuantizedLayer& L) { return (int64_t(L.kernel) * L.input.width + 6) / 4 * 4; }

bool has_weights(LayerKind kind) { return kind == LayerKind::conv2d || kind == LayerKind::fully_connected; }

// avg_pool: bias, multiplier, shift; add: those, then multiplier and shift of each input (after a 0 word).
int64_t layer_param_words(LayerKind kind) { return kind == LayerKind::avg_pool ? 3 : kind == LayerKind::add ? 9 : 0; }

// The checks of one weighted layer's fields against the configuration; returns its reduction length K.
int64_t check_weighted(const QuantizedLayer& L, size_t i, const NpuGeometry& geo) {
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
  return K;
}

// The checks of a layer without weights.
void check_unweighted(const QuantizedLayer& L, size_t i) {
  if (L.kind == LayerKind::max_pool) {
    if (L.output.channels != L.input.channels || L.output.height != L.input.height / 2 ||
        L.output.width != L.input.width / 2)
      fail(L, i, "max-pool output shape is not input/2");
    return;
  }
  if (L.kind == LayerKind::avg_pool && !(L.output == TensorShape{L.input.channels, 1, 1}))
    fail(L, i, "average pool output shape is not C x 1 x 1");
  if (L.kind == LayerKind::add && !(L.output == L.input)) fail(L, i, "add output shape is not its input shape");
  if (L.bias.size() != 1 || L.multiplier.size() != 1 || L.shift.size() != 1)
    fail(L, i, "needs one bias, multiplier and shift for the layer");
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
  // act_addr[j + 1] holds layer j's output, act_addr[0] the network input.
  const auto shape_of = [&](int source) { return source == kNetworkInput ? network.input : network.layers[size_t(source)].output; };
  for (size_t i = 0; i < n; ++i) {
    const QuantizedLayer& L = network.layers[i];
    const std::vector<int> sources = layer_inputs(network.layers[i], i);
    if (sources.size() != (L.kind == LayerKind::add ? 2u : 1u)) fail(L, i, "reads " + std::to_string(sources.size()) + " tensors");
    for (int s : sources) {
      if (s < kNetworkInput || s >= int(i)) fail(L, i, "reads layer " + std::to_string(s) + ", which does not come before it");
      if (!(L.input == shape_of(s))) fail(L, i, "input shape does not match the output of the layer it reads");
    }
    // An add streams its inputs through the input buffer in halves, a convolution too large for it runs
    // banded (a band of input rows per output row); every other layer loads its input whole.
    const bool fits = L.input.size() <= geo.ifm_bytes ||
                      (L.kind == LayerKind::conv2d && L.input.channels * band_slot_bytes(L) <= geo.ifm_bytes);
    if (L.kind != LayerKind::add && !fits)
      fail(L, i, "input of " + std::to_string(L.input.size()) + " bytes exceeds the " +
                     std::to_string(geo.ifm_bytes) + "-byte input buffer of " + npu_config_name(config) +
                     (L.kind == LayerKind::conv2d ? ", and so do its bands of " + std::to_string(L.kernel) + " rows" : ""));
    for (int v : {L.input.channels, L.input.height, L.input.width, L.output.channels, L.output.height,
                  L.output.width})
      if (v < 1 || v > 65535) fail(L, i, "a dimension outside 1..65535");
    if (!has_weights(L.kind)) {
      check_unweighted(L, i);
      param_addr[i] = uint32_t(addr);
      addr += uint64_t(layer_param_words(L.kind) * 4);
      continue;
    }
    const int64_t K = check_weighted(L, i, geo);
    const int64_t groups = (L.output.channels + geo.rows - 1) / geo.rows;
    weight_addr[i] = uint32_t(addr);
    addr = align4(addr + uint64_t(groups * K * geo.rows));
    param_addr[i] = uint32_t(addr);
    addr = align4(addr + uint64_t(L.output.channels * 12));
  }
  for (size_t i = 0; i <= n; ++i) {
    act_addr[i] = uint32_t(addr);
    addr = align4(addr + uint64_t(shape_of(int(i) - 1).size()));
  }
  if (addr > geo.mem_bytes)
    throw CompileError("network needs " + std::to_string(addr) + " bytes of memory, " + npu_config_name(config) +
                       " addresses " + std::to_string(geo.mem_bytes));
  image.bytes.assign(addr, 0);

  for (size_t i = 0; i < n; ++i) {
    const QuantizedLayer& L = network.layers[i];
    const std::vector<int> sources = layer_inputs(network.layers[i], i);
    NpuCommand cmd;
    uint32_t* w = cmd.words;
    const bool fc = L.kind == LayerKind::fully_connected;
    const bool conv = L.kind == LayerKind::conv2d;
    w[0] = opcode(L.kind);
    w[1] = uint32_t(L.activation);
    w[2] = uint32_t(int32_t(L.clip_threshold));
    w[3] = uint32_t(fc ? L.input.size() : L.input.channels);
    w[4] = uint32_t(fc ? 1 : L.input.height);
    w[5] = uint32_t(fc ? 1 : L.input.width);
    w[6] = uint32_t(L.output.channels);
    w[7] = uint32_t(L.output.height);
    w[8] = uint32_t(L.output.width);
    w[9] = uint32_t(conv ? L.kernel : L.kind == LayerKind::max_pool ? 2 : 1);
    w[10] = uint32_t(conv ? L.stride : L.kind == LayerKind::max_pool ? 2 : 1);
    w[11] = uint32_t(conv ? L.padding : 0);
    w[12] = act_addr[size_t(sources[0] + 1)];
    w[13] = has_weights(L.kind) ? weight_addr[i] : L.kind == LayerKind::add ? act_addr[size_t(sources[1] + 1)] : 0;
    w[14] = L.kind == LayerKind::max_pool ? 0 : param_addr[i];
    w[15] = act_addr[i + 1];
    for (int j = 0; j < kCommandWords; ++j) store_word(image.bytes, uint32_t(i * kCommandBytes + j * 4), w[j]);
    if (layer_param_words(L.kind)) {
      const uint32_t p = param_addr[i];
      store_word(image.bytes, p + 0, uint32_t(L.bias[0]));
      store_word(image.bytes, p + 4, uint32_t(L.multiplier[0]));
      store_word(image.bytes, p + 8, uint32_t(L.shift[0]));
      if (L.kind == LayerKind::add) {
        for (int k = 0; k < 2; ++k) {
          store_word(image.bytes, p + 16 + 12 * k, uint32_t(L.input_multiplier[k]));
          store_word(image.bytes, p + 20 + 12 * k, uint32_t(L.input_shift[k]));
        }
      }
    }
    if (!has_weights(L.kind)) continue;
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
