#pragma once
// A 0-1 program with one choice per group: pick exactly one item in every group so that the total cost is
// least and every linear constraint sum(coefficient of each picked item) <= bound holds. The protection
// optimizer states its problems this way; choice_program.cpp solves them exactly with GLPK's
// branch-and-cut (docs/protection.md says why GLPK). No solver header here.
#include <cstddef>
#include <optional>
#include <vector>

namespace npufi {

struct ChoiceConstraint {
  std::vector<std::vector<double>> coefficients;  // [group][item], shaped as ChoiceProgram::cost
  double bound = 0;
  // The largest of |bound| and every |coefficient| (1 when all are 0): the constraint's natural scale.
  double magnitude() const;
};

struct ChoiceProgram {
  std::vector<std::vector<double>> cost;  // [group][item]; every group has at least one item
  std::vector<ChoiceConstraint> constraints;
};

struct ChoiceSolution {
  std::vector<size_t> picked;  // the item picked in each group
  // Whether the solution is proven least-cost. The search stops after a fixed number of branch-and-bound
  // nodes (the same on every machine); it then returns the best choice found so far, not proven least.
  bool proven_optimal = true;
};

// An optimal solution (or the best found within the node limit), or nullopt when no choice meets the
// constraints.
// Every constraint of the solution holds exactly; to get there past the solver's tolerances, each is
// asked for with a margin of 1e-6 of its largest magnitude (|bound| or a coefficient), so a choice within
// that margin of a bound may be passed over. Throws std::runtime_error when the solver fails otherwise, or
// when it stops at the node limit with no choice that meets the constraints.
std::optional<ChoiceSolution> solve_choice_program(const ChoiceProgram& program);

}  // namespace npufi
