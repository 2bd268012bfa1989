#include "rtl/sim/state_access.h"

#include <algorithm>
#include <cstring>
#include <sstream>
#include <stdexcept>

#include "verilated_syms.h"

namespace npufi {

namespace {

// "npu.u_weight_buffer.g_x.mem" -> block "weight_buffer", path "weight_buffer.g_x.mem"; state in the top
// module itself belongs to a block named after the top: "sites_design.seen".
StateElement element_of(const std::string& scope, const std::string& name) {
  StateElement element;
  const size_t dot = scope.find('.');
  std::string below = dot == std::string::npos ? scope : scope.substr(dot + 1);
  if (below.rfind("u_", 0) == 0) below = below.substr(2);
  element.block = below.substr(0, below.find('.'));
  element.path = below + "." + name;
  return element;
}

}  // namespace

StateAccess::Discovered StateAccess::discover(const VerilatedContext& context, const StateVar* vars,
                                              size_t var_count) {
  const VerilatedScopeNameMap& scopes = *const_cast<VerilatedContext&>(context).scopeNameMap();
  Discovered out;
  for (size_t i = 0; i < var_count; ++i) {
    const StateVar& state = vars[i];
    const auto scope = scopes.find(state.scope);
    const VerilatedVar* var = scope == scopes.end() ? nullptr : scope->second->varFind(state.name);
    if (!var)
      throw std::logic_error(std::string("state variable ") + state.scope + "." + state.name +
                             " is not in the Verilated model (was it built with --public-flat-rw?)");
    StateElement element = element_of(state.scope, state.name);
    element.width = var->dims() > var->udims() ? uint32_t(var->packed().elements()) : 1;
    for (int d = 1; d <= var->udims(); ++d) element.words *= uint64_t(var->elements(d));
    // A memory has an unpacked dimension and no reset or clear value.
    element.kind = var->udims() > 0 && !state.has_constant ? SiteKind::sram : SiteKind::flop;
    out.elements.push_back(element);
    out.vars.push_back(var);
  }
  return out;
}

StateAccess::StateAccess(const VerilatedContext& context, const StateVar* vars, size_t var_count,
                         const MemoryRead* reads, size_t read_count)
    : StateAccess(discover(context, vars, var_count)) {
  reads_known_.assign(storage_.size(), false);
  for (size_t i = 0; i < storage_.size(); ++i) reads_known_[i] = sites_.elements()[i].kind == SiteKind::sram;
  for (size_t r = 0; r < read_count; ++r) add_read_port(context, reads[r]);
}

StateAccess::StateAccess(Discovered discovered) : sites_(std::move(discovered.elements)) {
  for (size_t i = 0; i < discovered.vars.size(); ++i) {
    Storage storage;
    storage.data = static_cast<uint8_t*>(discovered.vars[i]->datap());
    storage.word_bytes = discovered.vars[i]->entSize();
    storage_.push_back(storage);
    snapshot_bytes_ += size_t(storage.word_bytes) * sites_.elements()[i].words;
  }
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

namespace {

const VerilatedVar* find_var(const VerilatedContext& context, const std::string& scope, const std::string& name) {
  const VerilatedScopeNameMap& scopes = *const_cast<VerilatedContext&>(context).scopeNameMap();
  const auto found = scopes.find(scope.c_str());
  return found == scopes.end() ? nullptr : found->second->varFind(name.c_str());
}

}  // namespace

void StateAccess::add_read_port(const VerilatedContext& context, const MemoryRead& read) {
  const std::string path = element_of(read.scope, read.name).path;
  size_t element = 0;
  while (element < storage_.size() && sites_.elements()[element].path != path) ++element;
  if (element == storage_.size() || sites_.elements()[element].kind != SiteKind::sram) return;
  ReadPort port{element, {}};
  std::istringstream program(read.index);
  std::string token;
  bool known = std::string(read.index).size() > 0;
  while (known && program >> token) {
    const size_t colon = token.find(':');
    const std::string op = token.substr(0, colon), arg = token.substr(colon + 1);
    if (op == "v") {
      const VerilatedVar* var = find_var(context, read.scope, arg);
      if (!var || var->udims() > 0) {
        known = false;
        break;
      }
      port.ops.push_back({IndexOp::bits, static_cast<const uint8_t*>(var->datap()), 0, 0,
                          uint32_t(var->dims() > 0 ? var->packed().elements() : 1)});
    } else if (op == "c") {
      port.ops.push_back({IndexOp::constant, nullptr, std::stoull(arg), 0, 0});
    } else if (op == "sel") {
      const size_t second = arg.find(':');
      const uint32_t lsb = uint32_t(std::stoul(arg.substr(0, second))), width = uint32_t(std::stoul(arg.substr(second + 1)));
      IndexOp& top = port.ops.back();
      if (top.kind == IndexOp::bits) {  // read the selected bits straight from the variable (any width)
        top.lsb += lsb;
        top.width = width;
      } else {
        port.ops.push_back({IndexOp::select, nullptr, 0, lsb, width});
      }
    } else if (op == "cat") {
      port.ops.push_back({IndexOp::concat, nullptr, 0, 0, uint32_t(std::stoul(arg))});
    } else {
      known = false;
    }
  }
  for (const IndexOp& op : port.ops)
    if (op.kind == IndexOp::bits && op.width > 64) known = false;
  if (!known) {
    reads_known_[element] = false;
    return;
  }
  read_ports_.push_back(std::move(port));
}

StateAccess::WordTrace StateAccess::start_trace() const {
  WordTrace trace;
  trace.words_.resize(storage_.size());
  trace.values_.resize(storage_.size());
  for (size_t i = 0; i < storage_.size(); ++i) {
    if (!reads_known_[i]) continue;
    trace.words_[i].resize(sites_.elements()[i].words);
    const size_t bytes = size_t(storage_[i].word_bytes) * sites_.elements()[i].words;
    trace.values_[i].assign(storage_[i].data, storage_[i].data + bytes);
  }
  return trace;
}

uint64_t StateAccess::index_of(const ReadPort& port) const {
  uint64_t stack[16];
  size_t depth = 0;
  for (const IndexOp& op : port.ops) {
    switch (op.kind) {
      case IndexOp::bits: {
        uint64_t v = 0;
        for (uint32_t b = 0; b < op.width; ++b) {
          const uint32_t at = op.lsb + b;
          v |= uint64_t((op.data[at / 8] >> (at % 8)) & 1u) << b;
        }
        stack[depth++] = v;
        break;
      }
      case IndexOp::constant: stack[depth++] = op.value; break;
      case IndexOp::select:
        stack[depth - 1] = (stack[depth - 1] >> op.lsb) & (op.width >= 64 ? ~0ull : (1ull << op.width) - 1);
        break;
      case IndexOp::concat:
        stack[depth - 2] = (stack[depth - 2] << op.width) | stack[depth - 1];
        --depth;
        break;
    }
  }
  return stack[0];
}

void StateAccess::note_accesses(uint32_t cycle, WordTrace& trace) const {
  for (const ReadPort& port : read_ports_) {
    auto& words = trace.words_[port.element];
    const uint64_t word = index_of(port);
    if (word >= words.size()) continue;
    auto& reads = words[word].reads;
    if (!reads.empty() && reads.back().second + 1 >= cycle)
      reads.back().second = cycle;
    else
      reads.push_back({cycle, cycle});
  }
  for (size_t i = 0; i < storage_.size(); ++i) {
    if (trace.words_[i].empty()) continue;
    std::vector<uint8_t>& values = trace.values_[i];
    const uint8_t* now = storage_[i].data;
    if (std::memcmp(values.data(), now, values.size()) == 0) continue;
    const uint32_t bytes = storage_[i].word_bytes;
    for (uint64_t w = 0; w < trace.words_[i].size(); ++w)
      if (std::memcmp(values.data() + w * bytes, now + w * bytes, bytes) != 0) {
        trace.words_[i][w].changes.push_back(cycle);
        std::memcpy(values.data() + w * bytes, now + w * bytes, bytes);
      }
  }
}

bool StateAccess::WordTrace::read_before_change(size_t element, uint64_t word, uint32_t from) const {
  const Word& w = words_[element][word];
  const auto change = std::upper_bound(w.changes.begin(), w.changes.end(), from);
  const uint32_t until = change == w.changes.end() ? UINT32_MAX : *change;  // reads in [from, until) matter
  // The first read run that ends at or after `from`.
  const auto run = std::lower_bound(w.reads.begin(), w.reads.end(), from,
                                    [](const std::pair<uint32_t, uint32_t>& r, uint32_t c) { return r.second < c; });
  return run != w.reads.end() && std::max(run->first, from) < until;
}

bool StateAccess::equals_except_dead(const std::vector<uint8_t>& snapshot, const WordTrace& trace,
                                     uint32_t cycle) const {
  const uint8_t* from = snapshot.data();
  for (size_t i = 0; i < storage_.size(); ++i) {
    const Storage& s = storage_[i];
    const size_t bytes = size_t(s.word_bytes) * sites_.elements()[i].words;
    if (std::memcmp(from, s.data, bytes) != 0) {
      if (!trace.known(i)) return false;
      for (uint64_t w = 0; w < sites_.elements()[i].words; ++w)
        if (std::memcmp(from + w * s.word_bytes, s.data + w * s.word_bytes, s.word_bytes) != 0 &&
            trace.read_before_change(i, w, cycle))
          return false;
    }
    from += bytes;
  }
  return true;
}

}  // namespace npufi
