// npufi protect: the least-area selective protection that makes a measured NPU meet an ASIL, one option per
// block or per register group, next to the greedy heuristic, every flop hardened, DCLS, and the Pareto front
// of added area against residual FIT (docs/protection.md).
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "analysis/protection_study.h"
#include "campaigns/rtl_campaign_set.h"
#include "campaigns/spec.h"
#include "cli/commands.h"
#include "cli/protection_setup.h"
#include "db/store.h"
#include "report/protection_plan_json.h"

namespace npufi::cli {

namespace {

struct ProtectArgs {
  std::vector<int64_t> campaigns;
  std::string granularity = "block";
  std::string tech = default_technology_path();
  std::string catalog = default_protection_catalog_path();
  std::string area_model;  // empty: rtl/area-model.toml for the NPU, the design file's `area` for a design
  std::string asil = "D";
  double confidence = 0.95;
  double margin_points = 100 * kDefaultPlanningMargin;
  bool rtl_only = false;
  bool json = false;
  std::string out;
};

double residual(const FmedaRow& row) { return row.spf + row.rf; }

void print_plan(const ProtectionProblem& problem, const ProtectionPlan& plan, double dcls_area,
                PlanGranularity granularity) {
  int width = 14;
  for (const BlockArea& unit : problem.blocks) width = std::max(width, int(unit.block.size()));
  std::printf("%-*s %-17s %11s %11s %9s %9s %12s %12s\n", width, to_string(granularity), "option", "GE", "added GE", "FIT", "FIT",
              "residual FIT", "residual FIT");
  std::printf("%-*s %-17s %11s %11s %9s %9s %12s %12s\n", width, "", "", "", "", "before", "after", "before", "after");
  for (size_t b = 0; b < plan.blocks.size(); ++b) {
    const BlockChoice& c = plan.blocks[b];
    std::printf("%-*s %-17s %11.0f %11.0f %9.3f %9.3f %12.4f %12.4f\n", width, problem.blocks[b].block.c_str(),
                c.option.name.c_str(), problem.blocks[b].area(), c.area, problem.unprotected.rows[b].lambda(),
                c.row.lambda(), residual(problem.unprotected.rows_upper[b]), residual(c.row_upper));
  }
  std::printf("%-*s %-17s %11.0f %11.0f %9.3f %9.3f %12.4f %12.4f\n", width, "total", "", problem.npu_area, plan.area,
              problem.unprotected.total.lambda(), [&] {
                double sum = 0;
                for (const BlockChoice& c : plan.blocks) sum += c.row.lambda();
                return sum;
              }(),
              problem.unprotected.metrics.pmhf_upper, plan.metrics.pmhf_upper);
  std::printf("added area: %.0f GE = %.1f %% of the design, %.1f %% of DCLS's %.0f GE\n", plan.area, 100 * plan.overhead,
              dcls_area > 0 ? 100 * plan.area / dcls_area : 0.0, dcls_area);
  std::printf("(residual FIT = lambda_SPF + lambda_RF at the upper confidence bounds of the AVF)\n");
}

// The same in short, past 8 units: how many got each option, e.g. "46 registers: 40 duplication, 6 parity".
std::string protected_summary(const ProtectionProblem& problem, const ProtectionPlan& plan, PlanGranularity granularity) {
  std::map<std::string, int> per_option;
  int units = 0;
  for (const BlockChoice& c : plan.blocks)
    if (c.option.kind != ProtectionKind::none) {
      ++per_option[c.option.name];
      ++units;
    }
  if (units <= 8) return protected_units(problem, plan);
  std::string out = std::to_string(units) + " " + to_string(granularity) + "s:";
  for (const auto& [option, count] : per_option) out += " " + std::to_string(count) + " " + option + ",";
  out.pop_back();
  return out;
}

std::string percent(const std::optional<double>& target) {
  if (!target) return "-";
  char text[32];
  std::snprintf(text, sizeof text, "%.4g %%", 100 * *target);
  return text;
}

// What the plan was chosen for, against what it is judged on.
void print_planning(const ProtectionStudy& study, Asil asil) {
  const AsilTargets bare = asil_targets(asil);
  if (study.margin_met)
    std::printf("planned for SPFM >= %s and LFM >= %s (lower bounds; margin %g points over %s's %s and %s)\n",
                percent(study.planned_for.spfm).c_str(), percent(study.planned_for.lfm).c_str(), 100 * study.margin,
                to_string(asil).c_str(), percent(bare.spfm).c_str(), percent(bare.lfm).c_str());
  else
    std::printf("no plan of this catalog meets %s with the margin of %g points: planned for the bare targets, so "
                "a verification campaign may well miss them\n",
                to_string(asil).c_str(), 100 * study.margin);
}

int protect(const ProtectArgs& args, const SharedOptions& shared) {
  const std::optional<Asil> asil = parse_asil(args.asil);
  if (!asil) throw SpecError("--asil " + args.asil + " is not an ASIL (A, B, C or D)");
  const PlanGranularity granularity = *parse_plan_granularity(args.granularity);  // checked by the option
  db::Store store = shared.open_store();
  const RtlCampaignSet set = rtl_campaign_set(store, args.campaigns);
  const ProtectionSetup setup =
      protection_setup(store, set, {granularity, args.tech, args.catalog, args.area_model, args.confidence, args.rtl_only});
  const ProtectionProblem& problem = setup.problem;
  const std::string& config_name = setup.source.target;
  const bool blocks = granularity == PlanGranularity::block;
  const ProtectionStudy study = study_protection(problem, *asil, args.confidence, config_name, args.margin_points / 100);
  const ProtectionPlan& chosen = study.chosen;

  if (!args.out.empty()) {
    std::ofstream out(args.out, std::ios::binary);
    if (!(out << protection_plan_file_json(problem, study, granularity, setup.source).dump(2) << "\n"))
      throw std::runtime_error(args.out + ": cannot write the plan");
  }
  if (args.json) {
    std::printf("%s\n", protection_study_json(problem, study, granularity, setup.source).dump(2).c_str());
    return study.after.met ? 0 : 3;
  }

  std::printf("%s, %s: %zu %s, %.0f GE; technology %s; catalog %s; confidence %g\n", config_name.c_str(),
              set.description().c_str(), problem.blocks.size(), blocks ? "blocks" : "register groups",
              problem.npu_area, args.tech.c_str(), args.catalog.c_str(), args.confidence);
  std::printf("%s\n\n", study.before.message.c_str());
  print_planning(study, *asil);
  if (study.optimal) {
    if (chosen.strategy == kUnprovenOptimum)
      std::printf("plan for %s of the least area GLPK found (the search stopped at its node limit before proving "
                  "it least; try --granularity block or another --margin):\n",
                  to_string(*asil).c_str());
    else
      std::printf("least-area plan for %s (exact, GLPK):\n", to_string(*asil).c_str());
  } else {
    std::printf("NO PLAN of this catalog meets %s. The best plan reached (least residual FIT):\n",
                to_string(*asil).c_str());
  }
  print_plan(problem, chosen, study.dcls.area, granularity);
  std::printf("%s\n\n", study.after.message.c_str());

  std::printf("%-20s %11s %9s %11s %11s %12s  %s\n", "strategy", "added GE", "overhead", "SPFM lower", "LFM lower",
              "PMHF upper", to_string(*asil).c_str());
  for (size_t i = 0; i < study.compared.size(); ++i) {
    const ProtectionPlan& plan = study.compared[i];
    std::printf("%-20s %11.0f %8.1f%% %10.4f%% %10.4f%% %12.4f  %s\n", plan.strategy.c_str(), plan.area,
                100 * plan.overhead, 100 * plan.metrics.spfm_lower, 100 * plan.metrics.lfm_lower,
                plan.metrics.pmhf_upper, study.compared_verdicts[i].met ? "met" : "missed");
  }

  // The front can hold hundreds of plans that differ in a tiny block: print the cheapest, each plan that
  // cuts the residual FIT by 10 % or more against the last one printed, and the most protected.
  std::printf("\nPareto front: added area against residual FIT (upper bound), %zu plans (--json lists all)\n",
              study.front.size());
  std::printf("%9s %12s  protected %ss\n", "overhead", "PMHF upper", to_string(granularity));
  double printed = 0;
  for (size_t i = 0; i < study.front.size(); ++i) {
    const ProtectionPlan& plan = study.front[i];
    if (i > 0 && i + 1 < study.front.size() && plan.metrics.pmhf_upper > 0.9 * printed) continue;
    std::printf("%8.1f%% %12.4f  %s\n", 100 * plan.overhead, plan.metrics.pmhf_upper,
                protected_summary(problem, plan, granularity).c_str());
    printed = plan.metrics.pmhf_upper;
  }
  if (!args.out.empty()) std::printf("\nplan written to %s\n", args.out.c_str());
  return study.after.met ? 0 : 3;
}

}  // namespace

void add_protect_command(CLI::App* command, SharedOptions& shared, Runner& run) {
  auto args = std::make_shared<ProtectArgs>();
  add_rtl_campaigns_option(*command, args->campaigns);
  command->add_option("--granularity", args->granularity, "One option per block, or per register group")
      ->check(CLI::IsMember({"block", "register"}))
      ->capture_default_str();
  command->add_option("--tech", args->tech, "Technology file: raw FIT per Mbit")->capture_default_str();
  command->add_option("--catalog", args->catalog, "Protection catalog (TOML)")->capture_default_str();
  command->add_option("--area-model", args->area_model,
                      "Area model (TOML; default: rtl/area-model.toml, or the design file's 'area')");
  command->add_option("--asil", args->asil, "Target ASIL: A, B, C or D")->capture_default_str();
  command->add_option("--confidence", args->confidence, "Confidence of the bounds the targets are judged on")
      ->check(CLI::Range(0.5, 0.999999))
      ->capture_default_str();
  command->add_option("--margin", args->margin_points,
                      "Plan for SPFM and LFM lower bounds this many percentage points above the ASIL's targets, so "
                      "that a verification campaign passes (verdicts judge the bare targets)")
      ->check(CLI::Range(0.0, 5.0))
      ->capture_default_str();
  command->add_flag("--rtl", args->rtl_only,
                    "Plan only with the mechanisms the NPU's RTL has, so that `npufi design protect` builds the plan "
                    "(docs/safety-rtl.md)");
  command->add_flag("--json", args->json, "Print JSON");
  command->add_option("--out", args->out, "Write the plan as JSON to this file (a campaign can read it back)");
  command->callback([args, &shared, &run] { run = [args, &shared] { return protect(*args, shared); }; });
}

}  // namespace npufi::cli
