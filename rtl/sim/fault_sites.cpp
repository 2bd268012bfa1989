#include "rtl/sim/fault_sites.h"

#include <algorithm>
#include <charconv>
#include <stdexcept>

namespace npufi {

std::string site_kind_name(SiteKind kind) { return kind == SiteKind::flop ? "flop" : "sram"; }

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
  const size_t bracket = name.find('[');
  if (bracket == std::string_view::npos) return std::nullopt;
  const std::string_view path = name.substr(0, bracket);
  std::string_view indices = name.substr(bracket);
  for (size_t e = 0; e < elements_.size(); ++e) {
    const StateElement& element = elements_[e];
    if (element.path != path) continue;
    uint64_t word = 0;
    if (element.words > 1) {
      const auto w = take_index(indices);
      if (!w) return std::nullopt;
      word = *w;
    }
    const auto b = take_index(indices);
    if (!b || !indices.empty() || word >= element.words || *b >= element.width) return std::nullopt;
    return bit_of({e, word, uint32_t(*b)});
  }
  return std::nullopt;
}

}  // namespace npufi
