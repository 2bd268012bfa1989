#pragma once
// The testbench contract of npufi (docs/your-design.md): what a design brings so that npufi can inject
// faults into it. Implement npufi::Testbench for your Verilated top and register it once:
//
//   #include "npufi/testbench.h"
//   #include "Vmy_top.h"
//   class MyBench : public npufi::Testbench {
//    public:
//     explicit MyBench(Vmy_top& top) : top_(top) {}
//     ...
//   };
//   NPUFI_TESTBENCH(MyBench, Vmy_top)
//
// `npufi design build` compiles it with the Verilated design into a plugin. npufi drives the clock and the
// reset named in the design file; the testbench answers the design between clock edges.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace npufi {

// A memory the testbench models in C++ (an external DRAM, a host buffer). It is part of the design's
// state: saved at golden checkpoints, compared for early stop, restored between runs. Keep every byte of
// state the testbench carries from one cycle to the next in such a memory or in the design's inputs.
struct TestbenchMemory {
  std::string name;
  uint8_t* data = nullptr;
  size_t bytes = 0;
};

class Testbench {
 public:
  virtual ~Testbench() = default;
  // Puts one workload (the file a campaign names) into the memories and the design's inputs. Called
  // before reset. Throw std::exception with a message on a bad file.
  virtual void load(const std::string& workload) = 0;
  // After reset is released, before the first cycle: a start pulse, a command address.
  virtual void start() {}
  // After each rising clock edge has been evaluated: answer the design's requests (memory reads and
  // writes) and set the inputs it samples at the next edge.
  virtual void posedge() = 0;
  virtual bool done() const = 0;
  // The design's detected-error signal, if it has one.
  virtual bool error() const { return false; }
  // The results to compare with the fault-free run, as bytes.
  virtual std::vector<uint8_t> outputs() const = 0;
  // The class the outputs stand for (top-1). Without a decoder every output difference is an sdc_critical.
  virtual std::optional<int> classify(const std::vector<uint8_t>& outputs) const {
    (void)outputs;
    return std::nullopt;
  }
  virtual std::vector<TestbenchMemory> memories() { return {}; }
};

}  // namespace npufi

#include "npufi/testbench_glue.h"  // NPUFI_TESTBENCH
