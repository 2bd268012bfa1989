#pragma once
// What every RTL target shares beyond the fault vocabulary (injector/fault_vocabulary.h): how a run was
// decided, and the checks and timing rules that do not depend on the design (docs/rtl-faults.md).
// No Verilator header here.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "injector/fault_vocabulary.h"
#include "rtl/sim/fault_sites.h"
#include "rtl/sim/state_access.h"

namespace npufi {

enum class InjectionMode { naive, optimized };

// How a faulty run was decided.
// completed: the design finished (done, possibly with its error signal); converged: its state equals the
// golden state of the same cycle, so the rest of the run is the golden run's; reference: the NPU's C++
// reference computed the rest of the network; watchdog: still running at 2x the golden cycle count;
// stalled: the state repeated with no memory write in between, so the run can never finish (the watchdog
// would fire): classified as a hang at once.
enum class RunEnd { completed, converged, reference, watchdog, stalled };
std::string run_end_name(RunEnd end);

// The bits a fault hits. Throws std::invalid_argument for a site beyond the design, a cycle at or beyond
// the golden run's `cycles`, or a width that does not fit the word.
std::vector<uint64_t> fault_bits(const FaultSites& sites, const RtlFault& fault, uint64_t cycles);

// One fault acting on a model's state: flipped or forced at its cycle, and a permanent fault forced
// again after every evaluation of the model, so the logic never sees the healthy value.
class FaultApplication {
 public:
  FaultApplication(StateAccess& state, const RtlFault& fault, std::vector<uint64_t> bits);
  bool applied() const { return applied_; }
  // At the fault's cycle. True when the state changed: evaluate the model again, without a clock edge.
  bool apply();
  // After each evaluation: a permanent fault's bits forced again; true when that changed the state.
  bool hold();

 private:
  bool force();
  StateAccess& state_;
  RtlFault fault_;
  std::vector<uint64_t> bits_;
  bool applied_ = false;
};

// The cycle from which a fault must be simulated, or nullopt when it is masked without simulation:
// - a fault in dead state (StateAccess::dead) is masked;
// - a stuck-at fault whose bits the golden run holds at the forced value from the fault's cycle to the end
//   (forced_value_settles; when golden_settle is not null) is masked;
// - an upset in a memory word whose every read and write port is known changes nothing until the golden
//   run next reads the word: it acts exactly as the same upset injected later, at the golden state saved
//   last before that read (or at its own cycle, if later); it is masked when the golden run overwrites
//   the word (or ends) before reading it.
// Other faults keep their cycle. Golden states are saved every `interval` cycles.
std::optional<uint64_t> effective_cycle(const StateAccess& state, const StateAccess::WordTrace& golden_words,
                                        const StateAccess::SettleTrace* golden_settle, uint32_t interval,
                                        const RtlFault& fault);

// A stuck-at fault changes nothing from the cycle on which the golden run holds the forced value in every
// one of its bits to the end (registers: golden_settle; memory words: their last overwrite in
// golden_words): from then, a state equal to the golden one means the rest of the run is the golden
// run's. nullopt for other faults, untraced memories, or a forced value the golden run does not end with.
std::optional<uint64_t> forced_value_settles(const StateAccess& state, const StateAccess::WordTrace& golden_words,
                                             const StateAccess::SettleTrace& golden_settle, const RtlFault& fault);

}  // namespace npufi
