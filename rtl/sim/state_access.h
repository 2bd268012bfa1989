#pragma once
// Reads, flips and forces the state bits of one Verilated model instance, by the numbering of FaultSites.
// Works on any design whose state table the state scan generated (rtl/design/state_scan.h) and that was
// Verilated with those variables public (`npufi design build` makes them so). It finds the variables through a lookup, so it never touches a
// Verilator runtime itself: a model compiled into npufi and one in a design plugin are handled alike.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "npufi/design_abi.h"
#include "rtl/sim/fault_sites.h"

namespace npufi {

// Finds a variable of the model by instance path and name; false when it has none.
using VarLookup = std::function<bool(const char* scope, const char* name, DesignVar& out)>;

// The site name a site of a design has in another design that is its instance `instance` ("u_npu"), whose
// top is `top` ("npu"): "npu.u_controller.state[2]" -> "controller.state[2]"; nullopt for a site outside
// that instance. Site names follow the instance paths (a "u_" prefix dropped from the first), so a design
// that wraps another (dual-core lockstep) names the wrapped one's sites by this rule.
std::optional<std::string> site_in_instance(const std::string& site, const std::string& instance, const std::string& top);

// The block of a state element, from its instance path below the top ("u_array.g_row[0].u_pe"; "" for the
// top itself). The default: the first instance below the top without a "u_" prefix, or the top's name.
using BlockNamer = std::function<std::string(const std::string& path_below_top)>;

class StateAccess {
 public:
  // Throws std::logic_error when a table entry is not in the model. `ports` (may be empty) are the
  // memories' read and write ports, to learn which memory words a run reads and writes.
  StateAccess(const VarLookup& lookup, const StateVar* vars, size_t var_count, const MemoryPort* ports = nullptr,
              size_t port_count = 0, const BlockNamer& block_of = nullptr);

  const FaultSites& sites() const { return sites_; }

  // Dead state: an element whose value can flow into none of the top outputs the harness observes (the
  // state scan's fan-out), so that a difference in it can never change the outcome. By default every
  // output is observed; observe_only() names the only ones the outcome depends on.
  void observe_only(const std::vector<std::string>& outputs);
  // Makes every element live and leaves register files untraced (traced(), below), as before the fan-out
  // and register-file ports were used: to measure what they save.
  void forget_observability();

  bool dead(size_t element) const { return dead_[element]; }

  bool get(uint64_t bit) const;
  void set(uint64_t bit, bool value);
  void flip(uint64_t bit) { set(bit, !get(bit)); }

  // Every state byte, element after element (the size is snapshot_bytes()).
  size_t snapshot_bytes() const { return snapshot_bytes_; }
  void snapshot(std::vector<uint8_t>& out) const;

  // What the golden run did to each memory word (SRAM elements and register files whose read ports are
  // all known): the cycles its read ports addressed it, and the cycles it was overwritten. Overwrites are
  // exact when every write port of the memory is known (writes_known); otherwise they are the cycles its
  // value changed, which miss writes of an equal value, and none at all when a port writes part of a word
  // (a change then need not replace the whole word).
  class WordTrace {
   public:
    // The first cycle in [from, the next overwrite after from) in which the word is read, or nullopt when
    // the golden run overwrites it (or ends) first: a difference in it from `from` on is dead.
    std::optional<uint32_t> first_read_before_overwrite(size_t element, uint64_t word, uint32_t from) const;
    bool known(size_t element) const { return !words_[element].empty(); }
    bool writes_known(size_t element) const { return known(element) && writes_known_[element]; }

   private:
    friend class StateAccess;
    struct Word {
      std::vector<std::pair<uint32_t, uint32_t>> reads;  // [first, last] cycle runs
      std::vector<uint32_t> overwrites;
    };
    std::vector<std::vector<Word>> words_;       // per element; empty when unknown
    std::vector<bool> writes_known_;             // per element
    std::vector<bool> partial_writes_;           // per element: overwrites unknown
    std::vector<std::vector<uint8_t>> values_;   // the memories' contents at the last note_writes()
  };
  // When the golden run's registers (flop elements) last changed: from then on each holds its final value,
  // so a fault forcing that value is a no-op. Per byte, so a bit may settle earlier than recorded.
  class SettleTrace {
   public:
    // The cycle from which the register bit keeps its final value (`final_value`) to the end.
    uint32_t settled_from(const StateAccess& state, uint64_t bit) const;
    bool final_value(const StateAccess& state, uint64_t bit) const;

   private:
    friend class StateAccess;
    std::vector<uint8_t> values;        // the registers' bytes at the last note_settle()
    std::vector<uint32_t> last_change;  // per byte of `values`
  };
  SettleTrace start_settle_trace() const;
  // After each clock cycle, with its number.
  void note_settle(uint32_t cycle, SettleTrace& trace) const;

  WordTrace start_trace() const;
  // Whether an element's words are followed by the word trace: memories, and register files unless
  // forget_observability() was called.
  bool traced(size_t element, const WordTrace& trace) const {
    return trace.known(element) && (sites_.elements()[element].kind == StorageKind::sram || !register_files_untraced_);
  }
  // The cycle from which a memory bit keeps its final value in the traced golden run (its word's last
  // overwrite), and that value; nullopt for a memory the trace does not follow. Call after the run.
  std::optional<std::pair<uint32_t, bool>> settled_memory_bit(const WordTrace& trace, uint64_t bit) const;
  // Records the words the read ports address now as read in `cycle`. Call after every evaluation.
  void note_reads(uint32_t cycle, WordTrace& trace) const;
  // Call before the first clock edge with cycle 0, then after each clock cycle with its number. Records the
  // words whose value changed since the last call as overwritten in `cycle` (memories with unknown write
  // ports), and the words the write ports will write at the next edge as overwritten in `cycle` + 1.
  // Throws std::logic_error when a memory with known write ports changed a word none of them wrote.
  void note_writes(uint32_t cycle, WordTrace& trace) const;
  // True when the state equals `snapshot`, except for dead elements and memory words the golden run
  // (trace) does not read from `cycle` on before overwriting them: such a difference can no longer change
  // anything.
  bool equals_except_dead(const std::vector<uint8_t>& snapshot, const WordTrace& trace, uint32_t cycle) const;

 private:
  struct Discovered {
    std::vector<StateElement> elements;
    std::vector<DesignVar> vars;
    std::vector<std::optional<std::vector<std::string>>> reaches;  // nullopt: unknown
  };
  static Discovered discover(const VarLookup& lookup, const StateVar* vars, size_t var_count,
                             const BlockNamer& block_of);
  explicit StateAccess(Discovered discovered);

  // One operation of a port's program (npufi/design_abi.h).
  struct ProgramOp {
    enum Kind : uint8_t { bits, constant, select, concat, bit_and, bit_or, bit_xor, bit_not, log_and, log_or,
                          log_not, equal, not_equal } kind;
    const uint8_t* data = nullptr;  // bits: the variable
    uint64_t value = 0;             // constant
    uint32_t lsb = 0, width = 0;    // bits, select, bit_not; concat: the low part's width
  };
  using Program = std::vector<ProgramOp>;
  static constexpr int kMaxProgramDepth = 16;
  // nullopt when the program is empty or names something the model does not have.
  static std::optional<Program> parse_program(const VarLookup& lookup, const char* scope, const char* text);
  static uint64_t evaluate(const Program& program);
  struct Port {
    size_t element;
    Program index;
    Program enable;  // write ports
  };
  void add_port(const VarLookup& lookup, const MemoryPort& port);

  struct Storage {
    uint8_t* data = nullptr;
    uint32_t word_bytes = 0;  // bytes per word in the model (1, 2, 4, 8 or a multiple of 4)
  };
  uint8_t* byte_of(uint64_t bit, uint8_t& mask) const;
  size_t settle_byte(uint64_t bit, uint8_t& mask) const;  // a register bit's byte in a SettleTrace

  FaultSites sites_;
  std::vector<Storage> storage_;
  size_t snapshot_bytes_ = 0;
  std::vector<size_t> snapshot_offset_;  // per element: where its bytes start in a snapshot
  std::vector<Port> read_ports_, write_ports_;
  std::vector<bool> reads_known_, writes_known_;  // per element: a memory whose every read (write) port is known
  std::vector<bool> partial_writes_;              // per element: a memory with a partial-word write port
  std::vector<size_t> register_offset_;  // per flop element: where its bytes start in a SettleTrace
  std::vector<std::optional<std::vector<std::string>>> reaches_;  // per element: the top outputs it reaches
  std::vector<bool> dead_;
  bool register_files_untraced_ = false;
};

}  // namespace npufi
