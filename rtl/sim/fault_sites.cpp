#include "rtl/sim/fault_sites.h"

#include <algorithm>
#include <charconv>
#include <stdexcept>

namespace npufi {

FaultSites::FaultSites(std::vector<StateElement> elements) : elements_(std::move(elements)) {
  for (StateElement& element : elements_) {
    element.first_bit = total_bits_;
    total_bits_ += element.bits();
  }
}

SiteRef FaultSites::locate(uint64_t bit) const {
  if (bit >= total_bits_)
    throw std::out_of_range("site " + std::to_string(bit) + " is beyond the design's " + std::to_string(total_bits_) +
                            " state bits");
  const auto after = std::upper_bound(elements_.begin(), elements_.end(), bit,
                                      [](uint64_t b, const StateElement& e) { return b < e.first_bit; });
  const StateElement& element = *std::prev(after);
  const uint64_t offset = bit - element.first_bit;
  return {size_t(std::prev(after) - elements_.begin()), offset / element.width, uint32_t(offset % element.width)};
}

uint64_t FaultSites::bit_of(const SiteRef& site) const {
  const StateElement& element = elements_.at(site.element);
  return element.first_bit + site.word * element.width + site.bit;
}

std::string FaultSites::name(uint64_t bit) const {
  const SiteRef site = locate(bit);
  const StateElement& element = elements_[site.element];
  std::string out = element.path;
  if (element.words > 1) out.append("[").append(std::to_string(site.word)).append("]");
  return out.append("[").append(std::to_string(site.bit)).append("]");
}

namespace {

// Reads "[N]" at the front of `text`; advances past it.
std::optional<uint64_t> take_index(std::string_view& text) {
  if (text.size() < 3 || text.front() != '[') return std::nullopt;
  uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data() + 1, text.data() + text.size(), value);
  if (error != std::errc() || end == text.data() + text.size() || *end != ']') return std::nullopt;
  text.remove_prefix(size_t(end - text.data()) + 1);
  return value;
}

}  // namespace

std::optional<uint64_t> FaultSites::find(std::string_view name) const {
  // The element whose path the name starts with, before its indices; paths may hold brackets themselves
  // (generate blocks: "array.g_row[0].u_pe.w"), so the longest such path wins.
  std::optional<size_t> found;
  for (size_t e = 0; e < elements_.size(); ++e) {
    const std::string& path = elements_[e].path;
    if (name.size() > path.size() && name.substr(0, path.size()) == path && name[path.size()] == '[' &&
        (!found || path.size() > elements_[*found].path.size()))
      found = e;
  }
  if (!found) return std::nullopt;
  const StateElement& element = elements_[*found];
  std::string_view indices = name.substr(element.path.size());
  uint64_t word = 0;
  if (element.words > 1) {
    const auto w = take_index(indices);
    if (!w) return std::nullopt;
    word = *w;
  }
  const auto b = take_index(indices);
  if (!b || !indices.empty() || word >= element.words || *b >= element.width) return std::nullopt;
  return bit_of({*found, word, uint32_t(*b)});
}

}  // namespace npufi
