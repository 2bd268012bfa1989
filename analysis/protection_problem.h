#pragma once
// Selective protection as data: for every unit of a measured NPU (a block, or a register group at register
// granularity; "block" below stands for either), each catalog option that applies to it with the unit's
// FMEDA row under that option and the area it adds. The optimizers
// (analysis/protection_optimizer.h) choose among these; a plan is scored with the FMEDA's own metrics.
#include <string>
#include <vector>

#include "analysis/block_area.h"
#include "analysis/block_outcomes.h"
#include "analysis/fmeda.h"
#include "analysis/protection_catalog.h"
#include "analysis/technology.h"

namespace npufi {

// One option on one block.
struct BlockChoice {
  ProtectionOption option;
  double area = 0;                           // GE the option adds to the block
  FmedaRow row;                              // the block's FMEDA row under it: point estimates
  FmedaRow row_upper;                        // the same with the violating AVFs at their joint upper bounds
};

struct ProtectionProblem {
  ProtectionCatalog catalog;
  SafetyOptions safety;                 // confidence, interval method, which outcomes violate
  std::vector<BlockArea> blocks;        // the measured blocks, sorted by name
  double npu_area = 0;                  // GE of all blocks, unprotected
  Fmeda unprotected;                    // the FMEDA without protection (rows in block order)
  // Per block: the per-block options (every kind but lockstep) that apply to it, in catalog order.
  std::vector<std::vector<BlockChoice>> choices;
  // Per block: the catalog's lockstep option, which protects every block at once.
  std::vector<BlockChoice> lockstep;
};

// Measures every option on every unit: one FMEDA per option, with the technology's rates scaled by the
// option's rate factors and the option as the safety mechanism of every unit (when it has coverage). The
// units are what `outcomes` and `areas` name: blocks, or register groups (BlockArea::parent set; then
// safety.fit.allow_unmeasured lets a group without injections count at violating AVF 1). `areas` must name
// every measured unit (more are fine only without bits). The catalog's `blocks` lists must name measured
// units or their blocks. Throws std::invalid_argument naming the unit at fault otherwise, or when no option
// applies to a unit.
ProtectionProblem make_protection_problem(const std::vector<BlockOutcomes>& outcomes, const Technology& technology,
                                          const ProtectionCatalog& catalog, const std::vector<BlockArea>& areas,
                                          const SafetyOptions& safety = {});

// A choice of one option per block, with its total and its metrics.
struct ProtectionPlan {
  std::string strategy;             // how it was found: "optimal", "greedy", "hardened flops", "dcls", ...
  std::vector<BlockChoice> blocks;  // one per problem block, in the same order
  double area = 0;                  // GE added in total
  double overhead = 0;              // area / the NPU's area
  SafetyMetrics metrics;            // SPFM, LFM, PMHF and their bounds, after protection
};

// Totals a choice of one option per block (safety_metrics over the chosen rows).
ProtectionPlan make_plan(const ProtectionProblem& problem, std::string strategy, std::vector<BlockChoice> blocks);

}  // namespace npufi
