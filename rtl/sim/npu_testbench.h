#pragma once
// The NPU's test bench: the clock, the external memory port (one-cycle read latency, posted byte writes)
// and the model's whole state saved to and restored from memory (Verilator --savable). Private to rtl/sim:
// it includes Verilator headers.
#include <cstdint>
#include <vector>

#include "npufi/verilated_serialize.h"
#include "npufi/verilated_vars.h"
#include "rtl/sim/state_access.h"

namespace npufi {

// What the NPU did on the memory port in one cycle.
struct BusAccess {
  enum Kind : uint8_t { none, read, write };
  Kind kind = none;
  uint32_t addr = 0;      // a byte for writes, a 4-byte word for reads
  uint8_t old_value = 0;  // the byte a write replaced
};

template <class V>
class NpuTestbench {
 public:
  // Evaluates once at construction: the model's first evaluation runs its initial processes, which also
  // take the clock's current level as the reference for edges. Done later, right after a restore() and
  // with the clock high, it would swallow that rising edge.
  NpuTestbench() {
    top_.clk = 0;
    top_.eval();
  }
  // A model's scopes leave the thread's current context when it is destroyed: make that its own.
  ~NpuTestbench() { Verilated::threadContextp(&context_); }
  NpuTestbench(const NpuTestbench&) = delete;
  NpuTestbench& operator=(const NpuTestbench&) = delete;

  VerilatedContext& context() { return context_; }
  // Finds the model's variables, for StateAccess.
  VarLookup lookup() const {
    return [this](const char* scope, const char* name, DesignVar& out) { return find_verilated_var(context_, scope, name, out); };
  }
  V& top() { return top_; }
  const V& top() const { return top_; }

  // Reset, then start pending: the first tick() starts the command stream at cmd_addr.
  void reset(uint32_t cmd_addr, std::vector<uint8_t>& mem) {
    top_.rst = 1;
    top_.start = 0;
    top_.cmd_addr = cmd_addr;
    top_.mem_rvalid = 0;
    top_.mem_rdata = 0;
    top_.clk = 0;
    top_.eval();
    for (int i = 0; i < 2; ++i) tick(mem);
    top_.rst = 0;
    top_.start = 1;
  }

  // One clock cycle. after_eval() runs after each of the cycle's two evaluations (faults, tracing).
  template <class AfterEval>
  BusAccess tick(std::vector<uint8_t>& mem, AfterEval&& after_eval) {
    BusAccess access;
    top_.clk = 1;
    top_.eval();
    after_eval();
    top_.start = 0;
    top_.mem_rvalid = 0;
    if (top_.mem_req) {
      const uint32_t a = top_.mem_addr;
      access.addr = a;
      if (top_.mem_we) {
        access.kind = BusAccess::write;
        if (a < mem.size()) {
          access.old_value = mem[a];
          mem[a] = top_.mem_wdata;
        }
      } else {
        access.kind = BusAccess::read;
        uint32_t w = 0;
        for (uint32_t i = 0; i < 4; ++i)
          if (size_t(a) + i < mem.size()) w |= uint32_t(mem[a + i]) << (8 * i);
        top_.mem_rdata = w;
        top_.mem_rvalid = 1;
      }
    }
    top_.clk = 0;
    top_.eval();
    after_eval();
    return access;
  }
  BusAccess tick(std::vector<uint8_t>& mem) {
    return tick(mem, [] {});
  }

  // Re-evaluates the logic after the state was changed from outside (a fault), without a clock edge.
  void settle() { top_.eval(); }

  void save(std::vector<uint8_t>& out) {
    MemorySerialize os(out);
    os << top_;
    os.flush();
  }
  void restore(const std::vector<uint8_t>& in) {
    MemoryDeserialize is(in);
    is >> top_;
  }

 private:
  VerilatedContext context_;
  V top_{&context_, ""};
};

}  // namespace npufi
