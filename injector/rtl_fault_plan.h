#pragma once
// Which fault the i-th injection of an RTL campaign is: a pure function of (seed, i), so results do not
// depend on threads, interruptions or resume (docs/rtl-faults.md, "Sampling").
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "injector/counter_rng.h"
#include "rtl/sim/fault_sites.h"
#include "rtl/sim/npu_fault_simulator.h"

namespace npufi {

enum class SiteSampling { uniform, stratified };  // over all chosen bits, or the same count per block

struct RtlPlanSettings {
  uint64_t seed = 1;
  RtlFaultModel model = RtlFaultModel::seu;
  uint32_t width = 1;                    // adjacent bits per MBU
  std::vector<std::string> blocks{"*"};  // block name globs
  SiteSampling sampling = SiteSampling::uniform;
  int images = 1;                        // injection i uses image slot i mod images
};

// Injection times are drawn in [begin, end) of the golden run of the image.
struct CycleWindow {
  uint64_t begin = 0;
  uint64_t end = 0;
};

struct PlannedInjection {
  int image = 0;
  RtlFault fault;
};

class RtlFaultPlanner {
 public:
  // Throws std::invalid_argument naming the glob that matches no block, or an MBU wider than every word.
  RtlFaultPlanner(const FaultSites& sites, RtlPlanSettings settings);

  PlannedInjection plan(uint64_t index, const CycleWindow& window) const;
  // The k-th injection into block blocks()[block] on image slot `image`: a pure function of (seed, block,
  // k), for sequential campaigns that give injections to blocks round by round.
  PlannedInjection plan_in_block(size_t block, uint64_t k, int image, const CycleWindow& window) const;
  const std::vector<std::string>& blocks() const { return block_names_; }
  uint64_t population_bits() const;  // the bits faults are drawn from

 private:
  struct Range {
    uint64_t first_bit;
    uint64_t bits;
  };
  // The chosen elements of one block, as bit ranges; MBUs start low enough to stay inside their word.
  struct Stratum {
    std::vector<Range> ranges;
    uint64_t bits = 0;
  };
  uint64_t pick_bit(const Stratum& stratum, uint64_t offset) const;
  PlannedInjection draw(const Stratum& stratum, CounterRng& rng, int image, const CycleWindow& window) const;

  const FaultSites& sites_;
  RtlPlanSettings settings_;
  std::vector<std::string> block_names_;
  std::vector<Stratum> strata_;  // one per block
  Stratum all_;
};

}  // namespace npufi
