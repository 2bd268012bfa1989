#pragma once
// Reads, flips and forces the state bits of one Verilated model instance, by the numbering of FaultSites.
// Works on any design whose state table npufi_state_scan generated and that was Verilated with
// --public-flat-rw. Private to rtl/sim (and its tests): it includes Verilator headers.
#include <cstdint>
#include <vector>

#include "rtl/sim/fault_sites.h"
#include "rtl/sim/state_vars.h"
#include "verilated.h"

namespace npufi {

class StateAccess {
 public:
  // Throws std::logic_error when a table entry is not in the model. `reads` (may be empty) are the
  // memories' read ports, to learn which memory words a run reads.
  StateAccess(const VerilatedContext& context, const StateVar* vars, size_t var_count,
              const MemoryRead* reads = nullptr, size_t read_count = 0);

  const FaultSites& sites() const { return sites_; }

  bool get(uint64_t bit) const;
  void set(uint64_t bit, bool value);
  void flip(uint64_t bit) { set(bit, !get(bit)); }

  // Every state byte, element after element (the size is snapshot_bytes()).
  size_t snapshot_bytes() const { return snapshot_bytes_; }
  void snapshot(std::vector<uint8_t>& out) const;

  // What the golden run did to each memory word (SRAM elements whose read ports are all known): the cycles
  // its read ports addressed it, and the cycles its value changed (a write; writes of an equal value are
  // not seen, which only makes the shortcut below rarer).
  class WordTrace {
   public:
    // True when the word is read in [from, the next change after from).
    bool read_before_change(size_t element, uint64_t word, uint32_t from) const;
    bool known(size_t element) const { return !words_[element].empty(); }

   private:
    friend class StateAccess;
    struct Word {
      std::vector<std::pair<uint32_t, uint32_t>> reads;  // [first, last] cycle runs
      std::vector<uint32_t> changes;
    };
    std::vector<std::vector<Word>> words_;       // per element; empty when unknown
    std::vector<std::vector<uint8_t>> values_;   // the memories' contents at the last note_changes()
  };
  WordTrace start_trace() const;
  // Records the words the read ports address now, and the words whose value changed since the last call,
  // as happening in `cycle`.
  void note_accesses(uint32_t cycle, WordTrace& trace) const;
  // True when the state equals `snapshot`, except for memory words the golden run (trace) does not read
  // from `cycle` on before overwriting them: such a difference can no longer change anything.
  bool equals_except_dead(const std::vector<uint8_t>& snapshot, const WordTrace& trace, uint32_t cycle) const;

 private:
  struct Discovered {
    std::vector<StateElement> elements;
    std::vector<const VerilatedVar*> vars;
  };
  static Discovered discover(const VerilatedContext& context, const StateVar* vars, size_t var_count);
  explicit StateAccess(Discovered discovered);

  // One operation of a read port's index program (state_vars.h).
  struct IndexOp {
    enum Kind : uint8_t { bits, constant, select, concat } kind;
    const uint8_t* data = nullptr;  // bits: the variable
    uint64_t value = 0;             // constant
    uint32_t lsb = 0, width = 0;    // bits, select; concat: the low part's width
  };
  struct ReadPort {
    size_t element;
    std::vector<IndexOp> ops;
  };
  void add_read_port(const VerilatedContext& context, const MemoryRead& read);

  struct Storage {
    uint8_t* data = nullptr;
    uint32_t word_bytes = 0;  // bytes per word in the model (1, 2, 4, 8 or a multiple of 4)
  };
  uint8_t* byte_of(uint64_t bit, uint8_t& mask) const;

  FaultSites sites_;
  std::vector<Storage> storage_;
  size_t snapshot_bytes_ = 0;
  std::vector<ReadPort> read_ports_;
  std::vector<bool> reads_known_;  // per element: a memory whose every read port is known
  uint64_t index_of(const ReadPort& port) const;
};

}  // namespace npufi
