#include "injector/rtl_fault_plan.h"

#include <fnmatch.h>

#include <algorithm>
#include <map>
#include <stdexcept>


namespace npufi {

RtlFaultPlanner::RtlFaultPlanner(const FaultSites& sites, RtlPlanSettings settings)
    : sites_(sites), settings_(std::move(settings)) {
  if (settings_.images < 1) throw std::invalid_argument("an RTL campaign needs at least one image");
  if (settings_.width < 1 || (settings_.model != RtlFaultModel::mbu && settings_.width != 1))
    throw std::invalid_argument("only an MBU hits more than one bit");
  for (const std::string& glob : settings_.blocks) {
    const bool matches = std::any_of(sites.elements().begin(), sites.elements().end(), [&](const StateElement& e) {
      return fnmatch(glob.c_str(), e.block.c_str(), 0) == 0;
    });
    if (!matches) throw std::invalid_argument("block '" + glob + "' matches no block of the design");
  }
  std::map<std::string, Stratum> by_block;
  for (const StateElement& e : sites.elements()) {
    const bool chosen = std::any_of(settings_.blocks.begin(), settings_.blocks.end(), [&](const std::string& glob) {
      return fnmatch(glob.c_str(), e.block.c_str(), 0) == 0;
    });
    if (!chosen || e.width < settings_.width) continue;
    // An event hits bits b .. b+width-1 of one word: b runs over the word's first width - k + 1 bits.
    const uint64_t starts = uint64_t(e.width - settings_.width + 1);
    Stratum& stratum = by_block[e.block];
    if (starts == e.width) {  // single bits: the whole element is one range
      stratum.ranges.push_back({e.first_bit, e.bits()});
    } else {
      for (uint64_t w = 0; w < e.words; ++w) stratum.ranges.push_back({e.first_bit + w * e.width, starts});
    }
    stratum.bits += starts * e.words;
  }
  if (by_block.empty())
    throw std::invalid_argument("no word of the chosen blocks is " + std::to_string(settings_.width) + " bits wide");
  for (auto& [name, stratum] : by_block) {
    block_names_.push_back(name);
    all_.ranges.insert(all_.ranges.end(), stratum.ranges.begin(), stratum.ranges.end());
    all_.bits += stratum.bits;
    strata_.push_back(std::move(stratum));
  }
}

uint64_t RtlFaultPlanner::population_bits() const { return all_.bits; }

uint64_t RtlFaultPlanner::pick_bit(const Stratum& stratum, uint64_t offset) const {
  for (const Range& r : stratum.ranges) {
    if (offset < r.bits) return r.first_bit + offset;
    offset -= r.bits;
  }
  throw std::logic_error("bit offset beyond the stratum");
}

PlannedInjection RtlFaultPlanner::draw(const Stratum& stratum, CounterRng& rng, int image,
                                       const CycleWindow& window) const {
  PlannedInjection p;
  p.image = image;
  p.fault.model = settings_.model;
  p.fault.width = settings_.width;
  p.fault.bit = pick_bit(stratum, rng.below(stratum.bits));
  p.fault.cycle = window.begin + rng.below(window.end - window.begin);
  return p;
}

PlannedInjection RtlFaultPlanner::plan(uint64_t index, const CycleWindow& window) const {
  CounterRng rng(settings_.seed, index);
  const int image = int(index % uint64_t(settings_.images));
  const Stratum& stratum =
      settings_.sampling == SiteSampling::stratified ? strata_[(index / uint64_t(settings_.images)) % strata_.size()]
                                                     : all_;
  return draw(stratum, rng, image, window);
}

PlannedInjection RtlFaultPlanner::plan_in_block(size_t block, uint64_t k, int image, const CycleWindow& window) const {
  // A stream of its own per block: counter (block + 1) * 2^40 + k.
  CounterRng rng(settings_.seed, (uint64_t(block) + 1) << 40 | k);
  return draw(strata_.at(block), rng, image, window);
}

}  // namespace npufi
