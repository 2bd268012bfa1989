#include "analysis/choice_program.h"

#include <glpk.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <stdexcept>
#include <string>

namespace npufi {

namespace {

struct ProblemDeleter {
  void operator()(glp_prob* p) const { glp_delete_prob(p); }
};

// Sparse rows for glp_load_matrix, 1-based as GLPK wants them.
struct Matrix {
  std::vector<int> rows{0}, columns{0};
  std::vector<double> values{0};
  void add(int row, int column, double value) {
    if (value == 0) return;
    rows.push_back(row);
    columns.push_back(column);
    values.push_back(value);
  }
};


// Stops the branch-and-bound after kNodeLimit subproblems: a count, not a clock, so that the answer is the
// same on every machine.
constexpr int kNodeLimit = 20000;
void count_nodes(glp_tree* tree, void* info) {
  if (glp_ios_reason(tree) == GLP_ISELECT && ++*static_cast<int*>(info) > kNodeLimit) glp_ios_terminate(tree);
}

// Solves with every constraint's scaled bound lowered by `margin`; the picked items, or nullopt.
std::optional<ChoiceSolution> solve_with_margin(const ChoiceProgram& program, double margin) {
  std::unique_ptr<glp_prob, ProblemDeleter> lp(glp_create_prob());
  glp_prob* p = lp.get();
  glp_set_obj_dir(p, GLP_MIN);

  // One binary column per (group, item); column numbers in group order.
  std::vector<int> first_column;
  int columns = 0;
  for (const std::vector<double>& items : program.cost) {
    first_column.push_back(columns + 1);
    columns += int(items.size());
  }
  glp_add_cols(p, columns);
  for (size_t g = 0; g < program.cost.size(); ++g)
    for (size_t i = 0; i < program.cost[g].size(); ++i) {
      const int column = first_column[g] + int(i);
      glp_set_col_kind(p, column, GLP_BV);
      glp_set_obj_coef(p, column, program.cost[g][i]);
    }

  // Rows: one "exactly one item" per group, then the constraints, each scaled to a largest magnitude of 1
  // so that GLPK's absolute tolerances (1e-7) mean the same in every row.
  Matrix matrix;
  const int groups = int(program.cost.size());
  glp_add_rows(p, groups + int(program.constraints.size()));
  for (int g = 0; g < groups; ++g) {
    glp_set_row_bnds(p, g + 1, GLP_FX, 1, 1);
    for (size_t i = 0; i < program.cost[size_t(g)].size(); ++i) matrix.add(g + 1, first_column[size_t(g)] + int(i), 1);
  }
  for (size_t c = 0; c < program.constraints.size(); ++c) {
    const ChoiceConstraint& constraint = program.constraints[c];
    const int row = groups + int(c) + 1;
    const double scale = constraint.magnitude();
    glp_set_row_bnds(p, row, GLP_UP, 0, constraint.bound / scale - margin);
    // Coefficients below 1e-12 of the row's magnitude are left out: rounding residues such as the SPFM
    // coefficient RF - 0.01 lambda of a unit at violating AVF 1 under a 99 % mechanism, which stall GLPK's
    // simplex.
    // All of them together move the row by less than its margin; meets() checks the exact sums.
    for (size_t g = 0; g < constraint.coefficients.size(); ++g)
      for (size_t i = 0; i < constraint.coefficients[g].size(); ++i)
        if (const double value = constraint.coefficients[g][i] / scale; std::abs(value) >= 1e-12)
          matrix.add(row, first_column[g] + int(i), value);
  }
  glp_load_matrix(p, int(matrix.values.size()) - 1, matrix.rows.data(), matrix.columns.data(), matrix.values.data());

  glp_iocp parameters;
  glp_init_iocp(&parameters);
  parameters.msg_lev = GLP_MSG_OFF;
  parameters.presolve = GLP_ON;  // solves the LP relaxation itself
  parameters.mip_gap = 0;        // prove optimality
  int nodes = 0;
  parameters.cb_func = count_nodes;
  parameters.cb_info = &nodes;
  const int code = glp_intopt(p, &parameters);
  if (code == GLP_ENOPFS || code == GLP_ENODFS) return std::nullopt;  // presolve: no feasible point
  const bool stopped = code == GLP_ESTOP;
  if (code != 0 && !stopped) throw std::runtime_error("GLPK glp_intopt failed with code " + std::to_string(code));
  const int status = glp_mip_status(p);
  if (status == GLP_NOFEAS) return std::nullopt;
  if (stopped && status != GLP_FEAS)
    throw std::runtime_error("GLPK found no choice that meets the constraints in " + std::to_string(kNodeLimit) +
                             " branch-and-bound nodes, nor proved that none exists");
  if (!stopped && status != GLP_OPT)
    throw std::runtime_error("GLPK found no optimal solution (status " + std::to_string(status) + ")");

  ChoiceSolution solution;
  solution.proven_optimal = !stopped;
  std::vector<size_t>& picked = solution.picked;
  for (size_t g = 0; g < program.cost.size(); ++g) {
    size_t best = 0;
    for (size_t i = 1; i < program.cost[g].size(); ++i)
      if (glp_mip_col_val(p, first_column[g] + int(i)) > glp_mip_col_val(p, first_column[g] + int(best))) best = i;
    picked.push_back(best);
  }
  return solution;
}

// Whether the picked items meet every constraint exactly (in double arithmetic).
bool meets(const ChoiceProgram& program, const std::vector<size_t>& picked) {
  for (const ChoiceConstraint& constraint : program.constraints) {
    double sum = 0;
    for (size_t g = 0; g < picked.size(); ++g) sum += constraint.coefficients[g][picked[g]];
    if (sum > constraint.bound) return false;
  }
  return true;
}

}  // namespace

double ChoiceConstraint::magnitude() const {
  double scale = std::abs(bound);
  for (const auto& items : coefficients)
    for (double value : items) scale = std::max(scale, std::abs(value));
  return scale > 0 ? scale : 1;
}

std::optional<ChoiceSolution> solve_choice_program(const ChoiceProgram& program) {
  for (const std::vector<double>& items : program.cost)
    if (items.empty()) throw std::invalid_argument("choice program: a group has no items");
  if (program.cost.empty()) return ChoiceSolution{};
  // GLPK accepts a row within its tolerance of the bound. Ask for a margin beyond it, and widen the margin
  // in the rare case the rounded solution still misses a bound.
  for (double margin = 1e-6; margin < 1e-2; margin *= 10) {
    const auto solution = solve_with_margin(program, margin);
    if (!solution || meets(program, solution->picked)) return solution;
  }
  throw std::runtime_error("GLPK: no solution meets the constraints within a margin of 1e-2");
}

}  // namespace npufi
