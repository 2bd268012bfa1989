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
  const auto solution = solve_choice_program({areas(problem), target_constraints(problem, targets)});
  if (!solution) return std::nullopt;
  return make_plan(problem, solution->proven_optimal ? "optimal" : kUnprovenOptimum, chosen(problem, solution->picked));
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
  // Exact, one unit at a time (Nemhauser and Ullmann's method): the non-dominated partial plans over the
  // first b units, each with every option of unit b, less the dominated ones, are the non-dominated partial
  // plans over the first b + 1. Fronts hold a few thousand plans even for 65 register groups, where an
  // epsilon-constraint method would need a 0-1 program per point.
  struct Partial {
    double area = 0, residual = 0;
    size_t parent = 0, item = 0;  // the partial plan it extends (in the front before) and the option added
  };
  const PerChoice area = areas(problem), residual = residuals(problem);
  std::vector<std::vector<Partial>> fronts = {{Partial{}}};
  for (size_t b = 0; b < problem.choices.size(); ++b) {
    std::vector<Partial> next;
    for (size_t p = 0; p < fronts.back().size(); ++p)
      for (size_t i = 0; i < area[b].size(); ++i)
        next.push_back({fronts.back()[p].area + area[b][i], fronts.back()[p].residual + residual[b][i], p, i});
    std::sort(next.begin(), next.end(), [](const Partial& x, const Partial& y) {
      return x.area < y.area || (x.area == y.area && x.residual < y.residual);
    });
    std::vector<Partial> kept;
    for (const Partial& candidate : next)
      if (kept.empty() || candidate.residual < kept.back().residual) kept.push_back(candidate);
    fronts.push_back(std::move(kept));
  }
  // From the cheapest plan on, each plan that lowers the residual FIT by more than 1e-5 of the last one.
  std::vector<ProtectionPlan> front;
  double last = 0;
  for (size_t k = 0; k < fronts.back().size(); ++k) {
    if (!front.empty() && fronts.back()[k].residual >= last * (1 - 1e-5)) continue;
    last = fronts.back()[k].residual;
    std::vector<size_t> picked(problem.choices.size());
    for (size_t b = problem.choices.size(), at = k; b > 0; --b) {
      picked[b - 1] = fronts[b][at].item;
      at = fronts[b][at].parent;
    }
    front.push_back(make_plan(problem, "pareto", chosen(problem, picked)));
  }
  return front;
}

}  // namespace npufi
