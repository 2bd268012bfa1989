#pragma once
// The binary interface between npufi and a design plugin (built by `npufi design build`). Plain structs
// and function pointers, so that npufi never touches the plugin's Verilator runtime, and the plugin
// never links npufi. Testbench authors do not use this file; they implement npufi/testbench.h.
#include <cstddef>
#include <cstdint>

namespace npufi {

// Bumped whenever a struct below changes; a plugin of another version is refused as stale.
inline constexpr uint32_t kDesignAbiVersion = 2;

// One state variable of the design, found in Verilator's XML (rtl/design/state_scan.h).
struct StateVar {
  const char* scope;  // instance path, e.g. "npu.u_controller"
  const char* name;   // variable in that instance
  bool has_constant;  // some clocked assignment writes it a constant (a reset or clear value)
  // The top outputs its value can flow into (data or control), space-separated; "*" or nullptr: unknown.
  const char* reaches;
};

// One read or write port of an array state variable. Its word index is a postfix program over the
// scope's variables:
//   v:NAME (its value), c:N (a constant), sel:LSB:WIDTH (bits of the top), cat:W (top is the low W bits,
//   the one below it the high bits),
// and, in a write's enable program, also the operators and, or, xor, not:W (bitwise, W bits wide), logand,
// logor, lognot, eq, neq. An empty index program: a port whose words cannot be known; a write port of
// unknown words with the enable "partial" writes part of a word.
// A write port writes whole words at the clock edge when its enable program is non-zero.
struct MemoryPort {
  const char* scope;
  const char* name;
  bool write;
  const char* index;
  const char* enable;  // write ports only
};

// Where a variable of the Verilated model lives.
struct DesignVar {
  uint8_t* data = nullptr;
  uint32_t width = 1;        // packed bits per word
  uint32_t word_bytes = 0;   // bytes per word in the model (1, 2, 4, 8 or a multiple of 4)
  uint64_t words = 1;        // product of the unpacked dimensions
  uint32_t unpacked_dims = 0;
};

struct DesignInstance;  // one Verilated model with its testbench

// What a plugin exports, through `extern "C" const DesignApi* npufi_design_api()`. Functions that can
// fail return false (or a negative number) and leave a message in last_error().
struct DesignApi {
  uint32_t abi_version;
  const char* digest;  // the digest of every input of the build (`npufi design build`)
  const StateVar* state_vars;
  size_t state_var_count;
  const MemoryPort* ports;
  size_t port_count;
  const char* const* inputs;  // the top's input ports (scope "TOP"): with the state, what the next edge depends on
  size_t input_count;

  DesignInstance* (*create)();
  void (*destroy)(DesignInstance*);
  const char* (*last_error)(const DesignInstance*);
  bool (*load)(DesignInstance*, const char* workload);  // before reset
  void (*reset)(DesignInstance*);                       // the reset sequence, then the testbench's start()
  // One clock cycle; after_eval(context) runs after each of its two evaluations (to hold a stuck-at fault,
  // to trace), before the testbench sees the design.
  void (*step)(DesignInstance*, void (*after_eval)(void* context), void* context);
  void (*settle)(DesignInstance*);                      // evaluate again after a state change from outside
  bool (*done)(const DesignInstance*);
  bool (*error)(const DesignInstance*);
  // The outputs to compare: the size, or -1 on failure; copies at most `capacity` bytes into `out`.
  int64_t (*outputs)(const DesignInstance*, uint8_t* out, size_t capacity);
  // The class `outputs` decode to, -1 without a decoder, -2 on failure.
  int64_t (*classify)(const DesignInstance*, const uint8_t* outputs, size_t size);
  size_t (*memory_count)(const DesignInstance*);
  void (*memory)(const DesignInstance*, size_t index, const char** name, uint8_t** data, size_t* bytes);
  void (*save)(DesignInstance*, void (*sink)(void* context, const uint8_t* bytes, size_t size), void* context);
  void (*restore)(DesignInstance*, const uint8_t* bytes, size_t size);
  bool (*find_var)(const DesignInstance*, const char* scope, const char* name, DesignVar* out);
  bool (*trace_open)(DesignInstance*, const char* vcd_path);
  void (*trace_dump)(DesignInstance*, uint64_t time);
  void (*trace_close)(DesignInstance*);
};

inline constexpr const char* kDesignApiSymbol = "npufi_design_api";

}  // namespace npufi
