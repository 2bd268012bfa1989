#include "analysis/protection_problem.h"

#include <algorithm>
#include <set>
#include <stdexcept>

namespace npufi {

namespace {

Technology scaled(Technology technology, const ProtectionOption& option) {
  technology.transient.flop *= option.transient_rate_factor;
  technology.transient.sram *= option.transient_rate_factor;
  if (technology.permanent) {
    technology.permanent->flop *= option.permanent_rate_factor;
    technology.permanent->sram *= option.permanent_rate_factor;
  }
  return technology;
}

// The FMEDA with `option` on every block.
Fmeda fmeda_under(const ProtectionOption& option, const std::vector<BlockOutcomes>& outcomes,
                  const Technology& technology, const std::vector<BlockArea>& blocks, SafetyOptions safety) {
  if (option.coverage > 0)
    for (const BlockArea& block : blocks) safety.mechanisms[block.block] = {option.name, option.coverage, option.dc_latent};
  return build_fmeda(outcomes, scaled(technology, option), safety);
}

// The measured blocks, sorted, with their areas.
std::vector<BlockArea> measured_blocks(const std::vector<BlockOutcomes>& outcomes, const std::vector<BlockArea>& areas) {
  std::set<std::string> measured;
  for (const BlockOutcomes& o : outcomes) measured.insert(o.block);
  std::vector<BlockArea> blocks;
  for (const std::string& name : measured) {
    const auto area = std::find_if(areas.begin(), areas.end(), [&](const BlockArea& a) { return a.block == name; });
    if (area == areas.end()) throw std::invalid_argument("block " + name + " was measured but has no area");
    blocks.push_back(*area);
  }
  for (const BlockArea& area : areas)
    if ((area.flop_bits > 0 || area.sram_bits > 0) && !measured.count(area.block))
      throw std::invalid_argument("the campaign has no injections in block " +
                                  (area.parent.empty() ? area.block : area.parent) +
                                  ": a plan must cover every block (inject into all of them)");
  return blocks;
}

}  // namespace

ProtectionProblem make_protection_problem(const std::vector<BlockOutcomes>& outcomes, const Technology& technology,
                                          const ProtectionCatalog& catalog, const std::vector<BlockArea>& areas,
                                          const SafetyOptions& safety) {
  ProtectionProblem problem;
  problem.catalog = catalog;
  problem.safety = safety;
  problem.blocks = measured_blocks(outcomes, areas);
  for (const BlockArea& block : problem.blocks) problem.npu_area += block.area();
  for (const ProtectionOption& option : problem.catalog.options)
    for (const std::string& name : option.blocks)
      if (std::none_of(problem.blocks.begin(), problem.blocks.end(),
                       [&](const BlockArea& b) { return b.block == name || b.parent == name; }))
        throw std::invalid_argument(catalog.file + ":" + std::to_string(option.line) + ": option '" + option.name +
                                    "' names block " + name + ", which the campaign did not measure");

  problem.unprotected = build_fmeda(outcomes, technology, safety);
  problem.choices.resize(problem.blocks.size());
  for (const ProtectionOption& option : problem.catalog.options) {
    const Fmeda fmeda = fmeda_under(option, outcomes, technology, problem.blocks, safety);
    for (size_t b = 0; b < problem.blocks.size(); ++b) {
      const BlockArea& block = problem.blocks[b];
      const BlockChoice choice{option, option.area.of(block), fmeda.rows[b], fmeda.rows_upper[b]};
      if (option.kind == ProtectionKind::lockstep) problem.lockstep.push_back(choice);
      else if (option.applies_to(block)) problem.choices[b].push_back(choice);
    }
  }
  for (size_t b = 0; b < problem.blocks.size(); ++b)
    if (problem.choices[b].empty())
      throw std::invalid_argument("no option of " + catalog.file + " applies to block " + problem.blocks[b].block);
  return problem;
}

ProtectionPlan make_plan(const ProtectionProblem& problem, std::string strategy, std::vector<BlockChoice> blocks) {
  ProtectionPlan plan;
  plan.strategy = std::move(strategy);
  plan.blocks = std::move(blocks);
  std::vector<FmedaRow> rows, rows_upper;
  for (const BlockChoice& choice : plan.blocks) {
    plan.area += choice.area;
    rows.push_back(choice.row);
    rows_upper.push_back(choice.row_upper);
  }
  plan.overhead = problem.npu_area > 0 ? plan.area / problem.npu_area : 0;
  plan.metrics = safety_metrics(rows, rows_upper);
  return plan;
}

}  // namespace npufi
