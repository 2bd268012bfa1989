#include "rtl/sim/state_access.h"

#include <algorithm>
#include <cstring>
#include <iterator>
#include <sstream>
#include <stdexcept>

namespace npufi {

namespace {

// "npu.u_weight_buffer.g_x" -> "u_weight_buffer.g_x"; "" for the top itself.
std::string below_top(const std::string& scope) {
  const size_t dot = scope.find('.');
  return dot == std::string::npos ? "" : scope.substr(dot + 1);
}

// "u_weight_buffer.g_x" -> "weight_buffer"; "" (the top module itself) -> the top's name, as in
// "sites_design.seen".
std::string default_block(const std::string& scope) {
  std::string below = below_top(scope);
  if (below.empty()) return scope;
  if (below.rfind("u_", 0) == 0) below = below.substr(2);
  return below.substr(0, below.find('.'));
}

// "npu.u_weight_buffer.g_x.mem" -> path "weight_buffer.g_x.mem": the default block, then the rest.
std::string element_path(const std::string& scope, const std::string& name) {
  std::string below = below_top(scope);
  if (below.empty()) return scope + "." + name;
  if (below.rfind("u_", 0) == 0) below = below.substr(2);
  return below + "." + name;
}

}  // namespace

std::optional<std::string> site_in_instance(const std::string& site, const std::string& instance, const std::string& top) {
  const std::string prefix = element_path("top." + instance, "");  // "npu." for "u_npu"
  if (site.rfind(prefix, 0) != 0) return std::nullopt;
  const std::string rest = site.substr(prefix.size());
  const size_t dot = rest.find('.');
  if (dot == std::string::npos) return top + "." + rest;  // a variable of the wrapped top itself
  return element_path(top + "." + rest.substr(0, dot), "") + rest.substr(dot + 1);
}

StateAccess::Discovered StateAccess::discover(const VarLookup& lookup, const StateVar* vars, size_t var_count,
                                              const BlockNamer& block_of) {
  Discovered out;
  for (size_t i = 0; i < var_count; ++i) {
    const StateVar& state = vars[i];
    DesignVar var;
    if (!lookup(state.scope, state.name, var))
      throw std::logic_error(std::string("state variable ") + state.scope + "." + state.name +
                             " is not in the Verilated model (is it public in the Verilated model?)");
    StateElement element;
    element.block = block_of ? block_of(below_top(state.scope)) : default_block(state.scope);
    element.path = element_path(state.scope, state.name);
    element.width = var.width;
    element.words = var.words;
    // A memory has an unpacked dimension and no reset or clear value.
    element.kind = var.unpacked_dims > 0 && !state.has_constant ? StorageKind::sram : StorageKind::flop;
    out.elements.push_back(element);
    out.vars.push_back(var);
    std::optional<std::vector<std::string>> reaches;
    if (state.reaches && std::string_view(state.reaches) != "*") {
      std::istringstream names(state.reaches);
      reaches.emplace(std::istream_iterator<std::string>(names), std::istream_iterator<std::string>());
    }
    out.reaches.push_back(std::move(reaches));
  }
  return out;
}

StateAccess::StateAccess(const VarLookup& lookup, const StateVar* vars, size_t var_count, const MemoryPort* ports,
                         size_t port_count, const BlockNamer& block_of)
    : StateAccess(discover(lookup, vars, var_count, block_of)) {
  reads_known_.assign(storage_.size(), false);
  for (size_t i = 0; i < storage_.size(); ++i) reads_known_[i] = sites_.elements()[i].words > 1;
  writes_known_ = reads_known_;
  partial_writes_.assign(storage_.size(), false);
  for (size_t p = 0; p < port_count; ++p) add_port(lookup, ports[p]);
}

StateAccess::StateAccess(Discovered discovered)
    : sites_(std::move(discovered.elements)), reaches_(std::move(discovered.reaches)) {
  for (size_t i = 0; i < discovered.vars.size(); ++i) {
    Storage storage;
    storage.data = discovered.vars[i].data;
    storage.word_bytes = discovered.vars[i].word_bytes;
    storage_.push_back(storage);
    snapshot_offset_.push_back(snapshot_bytes_);
    snapshot_bytes_ += size_t(storage.word_bytes) * sites_.elements()[i].words;
  }
  size_t register_bytes = 0;
  for (size_t i = 0; i < storage_.size(); ++i) {
    register_offset_.push_back(register_bytes);
    if (sites_.elements()[i].kind == StorageKind::flop)
      register_bytes += size_t(storage_[i].word_bytes) * sites_.elements()[i].words;
  }
  dead_.assign(storage_.size(), false);
  for (size_t i = 0; i < storage_.size(); ++i) dead_[i] = reaches_[i] && reaches_[i]->empty();
}

void StateAccess::forget_observability() {
  dead_.assign(dead_.size(), false);
  register_files_untraced_ = true;
}

void StateAccess::observe_only(const std::vector<std::string>& outputs) {
  for (size_t i = 0; i < storage_.size(); ++i)
    dead_[i] = reaches_[i] && std::none_of(reaches_[i]->begin(), reaches_[i]->end(), [&](const std::string& port) {
                 return std::find(outputs.begin(), outputs.end(), port) != outputs.end();
               });
}

uint8_t* StateAccess::byte_of(uint64_t bit, uint8_t& mask) const {
  const SiteRef site = sites_.locate(bit);
  const Storage& storage = storage_[site.element];
  mask = uint8_t(1u << (site.bit % 8));
  // Verilator stores words little-endian, wide ones as arrays of 32-bit words, low word first.
  return storage.data + site.word * storage.word_bytes + site.bit / 8;
}

bool StateAccess::get(uint64_t bit) const {
  uint8_t mask = 0;
  return (*byte_of(bit, mask) & mask) != 0;
}

void StateAccess::set(uint64_t bit, bool value) {
  uint8_t mask = 0;
  uint8_t* byte = byte_of(bit, mask);
  *byte = value ? uint8_t(*byte | mask) : uint8_t(*byte & ~mask);
}

void StateAccess::snapshot(std::vector<uint8_t>& out) const {
  out.resize(snapshot_bytes_);
  uint8_t* to = out.data();
  for (size_t i = 0; i < storage_.size(); ++i) {
    const size_t bytes = size_t(storage_[i].word_bytes) * sites_.elements()[i].words;
    std::memcpy(to, storage_[i].data, bytes);
    to += bytes;
  }
}

StateAccess::SettleTrace StateAccess::start_settle_trace() const {
  SettleTrace trace;
  for (size_t i = 0; i < storage_.size(); ++i)
    if (sites_.elements()[i].kind == StorageKind::flop)
      trace.values.insert(trace.values.end(), storage_[i].data,
                          storage_[i].data + size_t(storage_[i].word_bytes) * sites_.elements()[i].words);
  trace.last_change.assign(trace.values.size(), 0);
  return trace;
}

void StateAccess::note_settle(uint32_t cycle, SettleTrace& trace) const {
  for (size_t i = 0; i < storage_.size(); ++i) {
    if (sites_.elements()[i].kind != StorageKind::flop) continue;
    const size_t bytes = size_t(storage_[i].word_bytes) * sites_.elements()[i].words;
    uint8_t* values = trace.values.data() + register_offset_[i];
    if (std::memcmp(values, storage_[i].data, bytes) == 0) continue;
    for (size_t b = 0; b < bytes; ++b)
      if (values[b] != storage_[i].data[b]) {
        values[b] = storage_[i].data[b];
        trace.last_change[register_offset_[i] + b] = cycle;
      }
  }
}

size_t StateAccess::settle_byte(uint64_t bit, uint8_t& mask) const {
  const SiteRef site = sites_.locate(bit);
  mask = uint8_t(1u << (site.bit % 8));
  return register_offset_[site.element] + site.word * storage_[site.element].word_bytes + site.bit / 8;
}

uint32_t StateAccess::SettleTrace::settled_from(const StateAccess& state, uint64_t bit) const {
  uint8_t mask = 0;
  return last_change[state.settle_byte(bit, mask)];
}

bool StateAccess::SettleTrace::final_value(const StateAccess& state, uint64_t bit) const {
  uint8_t mask = 0;
  return (values[state.settle_byte(bit, mask)] & mask) != 0;
}

std::optional<StateAccess::Program> StateAccess::parse_program(const VarLookup& lookup, const char* scope,
                                                                const char* text) {
  static const std::pair<const char*, ProgramOp::Kind> operators[] = {
      {"and", ProgramOp::bit_and},    {"or", ProgramOp::bit_or},      {"xor", ProgramOp::bit_xor},
      {"logand", ProgramOp::log_and}, {"logor", ProgramOp::log_or},   {"lognot", ProgramOp::log_not},
      {"eq", ProgramOp::equal},       {"neq", ProgramOp::not_equal}};
  Program program;
  std::istringstream tokens(text);
  std::string token;
  while (tokens >> token) {
    const size_t colon = token.find(':');
    const std::string op = token.substr(0, colon), arg = colon == std::string::npos ? "" : token.substr(colon + 1);
    if (op == "v") {
      DesignVar var;
      if (!lookup(scope, arg.c_str(), var) || var.unpacked_dims > 0) return std::nullopt;
      program.push_back({ProgramOp::bits, var.data, 0, 0, var.width});
    } else if (op == "c") {
      program.push_back({ProgramOp::constant, nullptr, std::stoull(arg), 0, 0});
    } else if (op == "sel") {
      const size_t second = arg.find(':');
      const uint32_t lsb = uint32_t(std::stoul(arg.substr(0, second))), width = uint32_t(std::stoul(arg.substr(second + 1)));
      if (program.empty()) return std::nullopt;
      ProgramOp& top = program.back();
      if (top.kind == ProgramOp::bits) {  // read the selected bits straight from the variable
        top.lsb += lsb;
        top.width = width;
      } else {
        program.push_back({ProgramOp::select, nullptr, 0, lsb, width});
      }
    } else if (op == "cat") {
      program.push_back({ProgramOp::concat, nullptr, 0, 0, uint32_t(std::stoul(arg))});
    } else if (op == "not") {
      program.push_back({ProgramOp::bit_not, nullptr, 0, 0, uint32_t(std::stoul(arg))});
    } else {
      const auto found = std::find_if(std::begin(operators), std::end(operators),
                                      [&](const auto& o) { return op == o.first; });
      if (found == std::end(operators)) return std::nullopt;
      program.push_back({found->second});
    }
  }
  // Well formed: values of at most 64 bits, never pops an empty stack, never deeper than evaluate() allows,
  // one value at the end.
  int depth = 0;
  for (const ProgramOp& op : program) {
    if (op.kind == ProgramOp::bits && op.width > 64) return std::nullopt;
    const bool push = op.kind == ProgramOp::bits || op.kind == ProgramOp::constant;
    const bool unary = op.kind == ProgramOp::select || op.kind == ProgramOp::bit_not || op.kind == ProgramOp::log_not;
    if (!push && depth < (unary ? 1 : 2)) return std::nullopt;
    depth += push ? 1 : unary ? 0 : -1;
    if (depth > kMaxProgramDepth) return std::nullopt;
  }
  if (depth != 1) return std::nullopt;
  return program;
}

uint64_t StateAccess::evaluate(const Program& program) {
  uint64_t stack[kMaxProgramDepth];
  size_t depth = 0;
  const auto mask = [](uint32_t width) { return width >= 64 ? ~0ull : (1ull << width) - 1; };
  for (const ProgramOp& op : program) {
    if (op.kind == ProgramOp::bits) {
      uint64_t v = 0;
      for (uint32_t b = 0; b < op.width; ++b) {
        const uint32_t at = op.lsb + b;
        v |= uint64_t((op.data[at / 8] >> (at % 8)) & 1u) << b;
      }
      stack[depth++] = v;
      continue;
    }
    if (op.kind == ProgramOp::constant) {
      stack[depth++] = op.value;
      continue;
    }
    uint64_t& a = stack[depth - 1];
    switch (op.kind) {  // unary operators
      case ProgramOp::select: a = (a >> op.lsb) & mask(op.width); continue;
      case ProgramOp::bit_not: a = ~a & mask(op.width); continue;
      case ProgramOp::log_not: a = a == 0; continue;
      default: break;
    }
    uint64_t& b = stack[depth - 2];  // binary operators: b op a
    switch (op.kind) {
      case ProgramOp::concat: b = (b << op.width) | a; break;
      case ProgramOp::bit_and: b &= a; break;
      case ProgramOp::bit_or: b |= a; break;
      case ProgramOp::bit_xor: b ^= a; break;
      case ProgramOp::log_and: b = b != 0 && a != 0; break;
      case ProgramOp::log_or: b = b != 0 || a != 0; break;
      case ProgramOp::equal: b = b == a; break;
      case ProgramOp::not_equal: b = b != a; break;
      default: break;
    }
    --depth;
  }
  return stack[0];
}

void StateAccess::add_port(const VarLookup& lookup, const MemoryPort& port) {
  const std::string path = element_path(port.scope, port.name);
  size_t element = 0;
  while (element < storage_.size() && sites_.elements()[element].path != path) ++element;
  if (element == storage_.size() || sites_.elements()[element].words < 2) return;
  const std::optional<Program> index = parse_program(lookup, port.scope, port.index);
  const std::optional<Program> enable = port.write ? parse_program(lookup, port.scope, port.enable) : Program{};
  if (!index || !enable) {
    (port.write ? writes_known_ : reads_known_)[element] = false;
    if (port.write && std::string_view(port.enable) == "partial") partial_writes_[element] = true;
    return;
  }
  (port.write ? write_ports_ : read_ports_).push_back({element, *index, *enable});
}

StateAccess::WordTrace StateAccess::start_trace() const {
  WordTrace trace;
  trace.words_.resize(storage_.size());
  trace.values_.resize(storage_.size());
  trace.writes_known_ = writes_known_;
  trace.partial_writes_ = partial_writes_;
  for (size_t i = 0; i < storage_.size(); ++i) {
    if (!reads_known_[i]) continue;
    trace.words_[i].resize(sites_.elements()[i].words);
    const size_t bytes = size_t(storage_[i].word_bytes) * sites_.elements()[i].words;
    trace.values_[i].assign(storage_[i].data, storage_[i].data + bytes);
  }
  return trace;
}

namespace {

// Adds `cycle` to a sorted list of cycles unless it is already its last.
void add_cycle(std::vector<uint32_t>& cycles, uint32_t cycle) {
  if (cycles.empty() || cycles.back() != cycle) cycles.push_back(cycle);
}

}  // namespace

void StateAccess::note_reads(uint32_t cycle, WordTrace& trace) const {
  for (const Port& port : read_ports_) {
    auto& words = trace.words_[port.element];
    const uint64_t word = evaluate(port.index);
    if (word >= words.size()) continue;
    auto& reads = words[word].reads;
    if (!reads.empty() && reads.back().second + 1 >= cycle)
      reads.back().second = cycle;
    else
      reads.push_back({cycle, cycle});
  }
}

void StateAccess::note_writes(uint32_t cycle, WordTrace& trace) const {
  for (size_t i = 0; i < storage_.size(); ++i) {
    if (trace.words_[i].empty()) continue;
    std::vector<uint8_t>& values = trace.values_[i];
    const uint8_t* now = storage_[i].data;
    if (std::memcmp(values.data(), now, values.size()) == 0) continue;
    const uint32_t bytes = storage_[i].word_bytes;
    for (uint64_t w = 0; w < trace.words_[i].size(); ++w) {
      if (std::memcmp(values.data() + w * bytes, now + w * bytes, bytes) == 0) continue;
      std::vector<uint32_t>& overwrites = trace.words_[i][w].overwrites;
      if (!trace.writes_known_[i]) {
        if (!trace.partial_writes_[i]) add_cycle(overwrites, cycle);  // a partial write keeps part of the word
      } else if (overwrites.empty() || overwrites.back() != cycle) {
        throw std::logic_error(sites_.elements()[i].path + "[" + std::to_string(w) + "] changed in cycle " +
                               std::to_string(cycle) + " but none of its known write ports wrote it");
      }
      std::memcpy(values.data() + w * bytes, now + w * bytes, bytes);
    }
  }
  for (const Port& port : write_ports_) {
    auto& words = trace.words_[port.element];
    if (words.empty() || evaluate(port.enable) == 0) continue;
    const uint64_t word = evaluate(port.index);
    if (word < words.size()) add_cycle(words[word].overwrites, cycle + 1);
  }
}

std::optional<std::pair<uint32_t, bool>> StateAccess::settled_memory_bit(const WordTrace& trace, uint64_t bit) const {
  const SiteRef site = sites_.locate(bit);
  if (!trace.known(site.element) || trace.partial_writes_[site.element]) return std::nullopt;
  const std::vector<uint32_t>& overwrites = trace.words_[site.element][site.word].overwrites;
  const uint8_t byte = trace.values_[site.element][site.word * storage_[site.element].word_bytes + site.bit / 8];
  return std::pair(overwrites.empty() ? 0u : overwrites.back(), ((byte >> (site.bit % 8)) & 1u) != 0);
}

std::optional<uint32_t> StateAccess::WordTrace::first_read_before_overwrite(size_t element, uint64_t word,
                                                                           uint32_t from) const {
  const Word& w = words_[element][word];
  const auto overwrite = std::upper_bound(w.overwrites.begin(), w.overwrites.end(), from);
  const uint32_t until = overwrite == w.overwrites.end() ? UINT32_MAX : *overwrite;  // reads in [from, until) matter
  // The first read run that ends at or after `from`.
  const auto run = std::lower_bound(w.reads.begin(), w.reads.end(), from,
                                    [](const std::pair<uint32_t, uint32_t>& r, uint32_t c) { return r.second < c; });
  if (run == w.reads.end() || std::max(run->first, from) >= until) return std::nullopt;
  return std::max(run->first, from);
}

bool StateAccess::equals_except_dead(const std::vector<uint8_t>& snapshot, const WordTrace& trace,
                                     uint32_t cycle) const {
  // Registers first: they differ far more often than memories, and are cheap to compare.
  size_t offset = 0;
  std::vector<size_t> memories;
  for (size_t i = 0; i < storage_.size(); ++i) {
    const size_t bytes = size_t(storage_[i].word_bytes) * sites_.elements()[i].words;
    if (sites_.elements()[i].words > 1)
      memories.push_back(i);
    else if (!dead_[i] && std::memcmp(snapshot.data() + offset, storage_[i].data, bytes) != 0)
      return false;
    offset += bytes;
  }
  for (size_t i : memories) {
    if (dead_[i]) continue;
    const Storage& s = storage_[i];
    const uint8_t* golden = snapshot.data() + snapshot_offset_[i];
    const uint64_t words = sites_.elements()[i].words;
    // Compare blocks of words; only a differing block is searched word by word.
    constexpr uint64_t kBlockWords = 64;
    for (uint64_t first = 0; first < words; first += kBlockWords) {
      const uint64_t count = std::min(kBlockWords, words - first);
      const size_t at = size_t(first) * s.word_bytes;
      if (std::memcmp(golden + at, s.data + at, size_t(count) * s.word_bytes) == 0) continue;
      if (!traced(i, trace)) return false;
      for (uint64_t w = first; w < first + count; ++w)
        if (std::memcmp(golden + w * s.word_bytes, s.data + w * s.word_bytes, s.word_bytes) != 0 &&
            trace.first_read_before_overwrite(i, w, cycle))
          return false;
    }
  }
  return true;
}

}  // namespace npufi
