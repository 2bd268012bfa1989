#pragma once
// NPUFI_TESTBENCH(Bench, VTop): the plugin entry point around a testbench (npufi/design_abi.h).
// `npufi design build` defines the clock and reset of the design file:
//   NPUFI_CLOCK, NPUFI_RESET (port names), NPUFI_RESET_ACTIVE (0 or 1), NPUFI_RESET_CYCLES, NPUFI_DESIGN_DIGEST.
#include <exception>
#include <memory>
#include <string>
#include <vector>

#include "npufi/design_abi.h"
#include "npufi/verilated_serialize.h"
#include "npufi/verilated_vars.h"
#include "verilated_vcd_c.h"

#if !defined(NPUFI_CLOCK) || !defined(NPUFI_RESET) || !defined(NPUFI_RESET_ACTIVE) || !defined(NPUFI_RESET_CYCLES)
#error "build the testbench with `npufi design build`, which defines the design file's clock and reset"
#endif
#ifndef NPUFI_DESIGN_DIGEST
#define NPUFI_DESIGN_DIGEST "unbuilt"
#endif

extern const npufi::StateVar kDesignStateVars[];
extern const size_t kDesignStateVarsCount;
extern const npufi::MemoryPort kDesignStateVarsPorts[];
extern const size_t kDesignStateVarsPortsCount;
extern const char* const kDesignStateVarsInputs[];
extern const size_t kDesignStateVarsInputsCount;

namespace npufi::glue {

template <class Bench, class VTop>
struct Instance {
  VerilatedContext context;
  VTop top{&context, ""};
  Bench bench{top};
  std::vector<TestbenchMemory> memories;
  std::unique_ptr<VerilatedVcdC> trace;
  std::string error;

  Instance() {
    top.NPUFI_CLOCK = 0;
    top.eval();  // runs the initial processes; takes the clock's level as the reference for edges
    memories = bench.memories();
  }
  // A model's scopes leave the thread's current context when it is destroyed: make that its own.
  ~Instance() { Verilated::threadContextp(&context); }
  void step(void (*after_eval)(void*) = nullptr, void* context = nullptr) {
    top.NPUFI_CLOCK = 1;
    top.eval();
    if (after_eval) after_eval(context);
    bench.posedge();
    top.NPUFI_CLOCK = 0;
    top.eval();
    if (after_eval) after_eval(context);
  }
};

template <class Bench, class VTop>
const DesignApi* api() {
  using I = Instance<Bench, VTop>;
  static const DesignApi table = {
      kDesignAbiVersion,
      NPUFI_DESIGN_DIGEST,
      kDesignStateVars,
      kDesignStateVarsCount,
      kDesignStateVarsPorts,
      kDesignStateVarsPortsCount,
      kDesignStateVarsInputs,
      kDesignStateVarsInputsCount,
      []() -> DesignInstance* {
        try {
          return reinterpret_cast<DesignInstance*>(new I);
        } catch (...) {
          return nullptr;
        }
      },
      [](DesignInstance* d) { delete reinterpret_cast<I*>(d); },
      [](const DesignInstance* d) { return reinterpret_cast<const I*>(d)->error.c_str(); },
      [](DesignInstance* d, const char* workload) {
        I& i = *reinterpret_cast<I*>(d);
        try {
          i.bench.load(workload);
          i.memories = i.bench.memories();
          return true;
        } catch (const std::exception& e) {
          i.error = e.what();
          return false;
        }
      },
      [](DesignInstance* d) {
        I& i = *reinterpret_cast<I*>(d);
        i.top.NPUFI_RESET = NPUFI_RESET_ACTIVE;
        i.top.eval();
        for (int c = 0; c < NPUFI_RESET_CYCLES; ++c) i.step();
        i.top.NPUFI_RESET = !NPUFI_RESET_ACTIVE;
        i.bench.start();
      },
      [](DesignInstance* d, void (*after_eval)(void*), void* context) {
        reinterpret_cast<I*>(d)->step(after_eval, context);
      },
      [](DesignInstance* d) { reinterpret_cast<I*>(d)->top.eval(); },
      [](const DesignInstance* d) { return reinterpret_cast<const I*>(d)->bench.done(); },
      [](const DesignInstance* d) { return reinterpret_cast<const I*>(d)->bench.error(); },
      [](const DesignInstance* d, uint8_t* out, size_t capacity) -> int64_t {
        const I& i = *reinterpret_cast<const I*>(d);
        try {
          const std::vector<uint8_t> bytes = i.bench.outputs();
          for (size_t b = 0; b < bytes.size() && b < capacity; ++b) out[b] = bytes[b];
          return int64_t(bytes.size());
        } catch (const std::exception& e) {
          const_cast<I&>(i).error = e.what();
          return -1;
        }
      },
      [](const DesignInstance* d, const uint8_t* outputs, size_t size) -> int64_t {
        const I& i = *reinterpret_cast<const I*>(d);
        try {
          const std::optional<int> c = i.bench.classify(std::vector<uint8_t>(outputs, outputs + size));
          return c ? int64_t(*c) : -1;
        } catch (const std::exception& e) {
          const_cast<I&>(i).error = e.what();
          return -2;
        }
      },
      [](const DesignInstance* d) { return reinterpret_cast<const I*>(d)->memories.size(); },
      [](const DesignInstance* d, size_t index, const char** name, uint8_t** data, size_t* bytes) {
        const TestbenchMemory& m = reinterpret_cast<const I*>(d)->memories.at(index);
        *name = m.name.c_str();
        *data = m.data;
        *bytes = m.bytes;
      },
      [](DesignInstance* d, void (*sink)(void*, const uint8_t*, size_t), void* context) {
        std::vector<uint8_t> bytes;
        MemorySerialize os(bytes);
        os << reinterpret_cast<I*>(d)->top;
        os.flush();
        sink(context, bytes.data(), bytes.size());
      },
      [](DesignInstance* d, const uint8_t* bytes, size_t size) {
        MemoryDeserialize is(bytes, size);
        is >> reinterpret_cast<I*>(d)->top;
      },
      [](const DesignInstance* d, const char* scope, const char* name, DesignVar* out) {
        return find_verilated_var(reinterpret_cast<const I*>(d)->context, scope, name, *out);
      },
      [](DesignInstance* d, const char* path) {
        I& i = *reinterpret_cast<I*>(d);
        i.context.traceEverOn(true);
        i.trace = std::make_unique<VerilatedVcdC>();
        i.top.trace(i.trace.get(), 99);
        i.trace->open(path);
        return i.trace->isOpen();
      },
      [](DesignInstance* d, uint64_t time) { reinterpret_cast<I*>(d)->trace->dump(time); },
      [](DesignInstance* d) {
        I& i = *reinterpret_cast<I*>(d);
        i.trace->close();
        i.trace.reset();
      },
  };
  return &table;
}

}  // namespace npufi::glue

#define NPUFI_TESTBENCH(BENCH, VTOP)                                                             \
  extern "C" __attribute__((visibility("default"))) const npufi::DesignApi* npufi_design_api() { \
    return npufi::glue::api<BENCH, VTOP>();                                                      \
  }
