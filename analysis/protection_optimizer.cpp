#include "analysis/protection_optimizer.h"

#include <algorithm>
#include <limits>

#include "analysis/choice_program.h"

namespace npufi {

namespace {

// A quantity per (block, choice), shaped as the problem's choices.
using PerChoice = std::vector<std::vector<double>>;

template <class F>
PerChoice per_choice(const ProtectionProblem& problem, F value) {
  PerChoice out(problem.choices.size());
  for (size_t b = 0; b < problem.choices.size(); ++b)
    for (const BlockChoice& choice : problem.choices[b]) out[b].push_back(value(choice));
  return out;
}

double lambda_of(const FmedaRow& row) { return row.safety_related ? row.lambda() : 0; }
double violating_of(const FmedaRow& row) { return row.safety_related ? row.spf + row.rf : 0; }
double latent_of(const FmedaRow& row) { return row.safety_related ? row.mpf_latent : 0; }

// The ASIL targets as linear constraints sum(coefficient) <= bound over the rows at the upper bounds.
// The PMHF's strict "<" is met by the solver's margin (choice_program.h).
std::vector<ChoiceConstraint> target_constraints(const ProtectionProblem& problem, const AsilTargets& targets) {
  std::vector<ChoiceConstraint> constraints;
  if (targets.spfm)
    constraints.push_back({per_choice(problem, [&](const BlockChoice& c) {
                             return violating_of(c.row_upper) - (1 - *targets.spfm) * lambda_of(c.row_upper);
                           }),
                           0});
  if (targets.lfm)
    constraints.push_back({per_choice(problem, [&](const BlockChoice& c) {
                             const FmedaRow& r = c.row_upper;
                             return latent_of(r) - (1 - *targets.lfm) * (lambda_of(r) - violating_of(r));
                           }),
                           0});
  if (targets.pmhf_fit)
    constraints.push_back({per_choice(problem, [](const BlockChoice& c) { return violating_of(c.row_upper); }),
                           *targets.pmhf_fit});
  return constraints;
}

std::vector<BlockChoice> chosen(const ProtectionProblem& problem, const std::vector<size_t>& picked) {
  std::vector<BlockChoice> out;
  for (size_t b = 0; b < picked.size(); ++b) out.push_back(problem.choices[b][picked[b]]);
  return out;
}

PerChoice areas(const ProtectionProblem& problem) {
  return per_choice(problem, [](const BlockChoice& c) { return c.area; });
}
PerChoice residuals(const ProtectionProblem& problem) {
  return per_choice(problem, [](const BlockChoice& c) { return violating_of(c.row_upper); });
}

size_t cheapest(const std::vector<BlockChoice>& choices) {
  return size_t(std::min_element(choices.begin(), choices.end(),
                                 [](const BlockChoice& a, const BlockChoice& b) { return a.area < b.area; }) -
                choices.begin());
}

double total(const PerChoice& values, const std::vector<size_t>& picked) {
  double sum = 0;
  for (size_t b = 0; b < picked.size(); ++b) sum += values[b][picked[b]];
  return sum;
}

// How far a choice is from meeting the constraints: the sum of each constraint's excess over its bound,
// relative to its magnitude. Zero when every constraint holds.
double gap(const std::vector<ChoiceConstraint>& constraints, const std::vector<size_t>& picked) {
  double sum = 0;
  for (const ChoiceConstraint& c : constraints)
    sum += std::max(0.0, total(c.coefficients, picked) - c.bound) / c.magnitude();
  return sum;
}

}  // namespace

bool meets_targets(const SafetyMetrics& metrics, const AsilTargets& targets) {
  return (!targets.spfm || metrics.spfm_lower >= *targets.spfm) && (!targets.lfm || metrics.lfm_lower >= *targets.lfm) &&
         (!targets.pmhf_fit || metrics.pmhf_upper < *targets.pmhf_fit);
}

std::optional<ProtectionPlan> optimal_plan(const ProtectionProblem& problem, const AsilTargets& targets) {
  const auto picked = solve_choice_program({areas(problem), target_constraints(problem, targets)});
  if (!picked) return std::nullopt;
  return make_plan(problem, "optimal", chosen(problem, *picked));
}

ProtectionPlan greedy_plan(const ProtectionProblem& problem, const AsilTargets& targets) {
  const std::vector<ChoiceConstraint> constraints = target_constraints(problem, targets);
  const PerChoice area = areas(problem);
  std::vector<size_t> picked;
  for (const auto& choices : problem.choices) picked.push_back(cheapest(choices));
  while (!meets_targets(make_plan(problem, "greedy", chosen(problem, picked)).metrics, targets)) {
    const double now = gap(constraints, picked);
    double best_ratio = 0;
    std::optional<std::pair<size_t, size_t>> best;
    for (size_t b = 0; b < picked.size(); ++b)
      for (size_t i = 0; i < problem.choices[b].size(); ++i) {
        std::vector<size_t> next = picked;
        next[b] = i;
        const double closed = now - gap(constraints, next);
        if (closed <= 0) continue;
        const double added = area[b][i] - area[b][picked[b]];
        // Free improvements first, then the most gap closed per GE.
        const double ratio = added <= 0 ? std::numeric_limits<double>::infinity() : closed / added;
        if (!best || ratio > best_ratio) {
          best_ratio = ratio;
          best = {b, i};
        }
      }
    if (!best) break;
    picked[best->first] = best->second;
  }
  return make_plan(problem, "greedy", chosen(problem, picked));
}

std::optional<ProtectionPlan> hardened_plan(const ProtectionProblem& problem) {
  const auto is_hardened = [](const BlockChoice& c) { return c.option.kind == ProtectionKind::hardened; };
  if (std::none_of(problem.catalog.options.begin(), problem.catalog.options.end(),
                   [](const ProtectionOption& o) { return o.kind == ProtectionKind::hardened; }))
    return std::nullopt;
  std::vector<BlockChoice> blocks;
  for (size_t b = 0; b < problem.blocks.size(); ++b) {
    const auto& choices = problem.choices[b];
    const auto hardened = std::find_if(choices.begin(), choices.end(), is_hardened);
    const bool use = problem.blocks[b].flop_bits > 0 && hardened != choices.end();
    blocks.push_back(use ? *hardened : choices[cheapest(choices)]);
  }
  return make_plan(problem, "hardened flops", std::move(blocks));
}

ProtectionPlan lockstep_plan(const ProtectionProblem& problem) {
  return make_plan(problem, problem.catalog.lockstep().name, problem.lockstep);
}

std::vector<ProtectionPlan> pareto_front(const ProtectionProblem& problem) {
  // Epsilon-constraint method: from the cheapest plan, repeatedly ask for the least area with a residual
  // FIT strictly below the last point's, then for the least residual FIT at that area.
  const PerChoice area = areas(problem), residual = residuals(problem);
  double largest_area = 1;
  for (const auto& items : area) largest_area = std::max(largest_area, *std::max_element(items.begin(), items.end()));
  std::vector<ProtectionPlan> front;
  std::optional<double> residual_below;
  while (true) {
    ChoiceProgram cheapest_below{area, {}};
    if (residual_below) cheapest_below.constraints.push_back({residual, *residual_below});
    const auto cheap = solve_choice_program(cheapest_below);
    if (!cheap) break;
    const double least_area = total(area, *cheap);
    // "At that area" within 1e-5 of the largest cost, beyond the solver's margin (choice_program.h).
    const auto best = solve_choice_program({residual, {{area, least_area + 1e-5 * std::max(least_area, largest_area)}}});
    const std::vector<size_t> point = best ? *best : *cheap;
    front.push_back(make_plan(problem, "pareto", chosen(problem, point)));
    const double r = total(residual, point);
    if (r <= 0 || (residual_below && r > *residual_below)) break;  // the last point, or solver tolerance
    residual_below = r * (1 - 1e-5);
  }
  return front;
}

}  // namespace npufi
