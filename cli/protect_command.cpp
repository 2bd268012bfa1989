// npufi protect: the least-area selective protection that makes a measured NPU meet an ASIL, next to the
// greedy heuristic, every flop hardened, DCLS, and the Pareto front of added area against residual FIT
// (docs/protection.md).
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "analysis/protection_optimizer.h"
#include "analysis/protection_plan_json.h"
#include "campaigns/rtl_results.h"
#include "campaigns/spec.h"
#include "cli/commands.h"
#include "db/store.h"
#include "rtl/sim/area_model.h"
#include "rtl/sim/npu_inventory.h"

namespace npufi::cli {

namespace {

struct ProtectArgs {
  std::string db;
  int64_t campaign = 0;
  std::string tech = default_technology_path();
  std::string catalog = default_protection_catalog_path();
  std::string area_model = default_area_model_path();
  std::string asil = "D";
  double confidence = 0.95;
  bool json = false;
  std::string out;
};

// The campaign's NPU blocks with their areas.
std::vector<BlockArea> block_areas(NpuConfig config, const AreaModel& model) {
  std::vector<BlockArea> out;
  for (const BlockStorage& s : npu_inventory(config))
    out.push_back({s.block, s.flop_bits, s.sram_bits, model.flop_bit * double(s.flop_bits),
                   model.sram_bit * double(s.sram_bits), model.mac * double(s.macs)});
  return out;
}

double residual(const FmedaRow& row) { return row.spf + row.rf; }

void print_plan(const ProtectionProblem& problem, const ProtectionPlan& plan, double dcls_area) {
  std::printf("%-14s %-17s %11s %11s %9s %9s %12s %12s\n", "block", "option", "block GE", "added GE", "FIT",
              "FIT", "residual FIT", "residual FIT");
  std::printf("%-14s %-17s %11s %11s %9s %9s %12s %12s\n", "", "", "", "", "before", "after", "before", "after");
  for (size_t b = 0; b < plan.blocks.size(); ++b) {
    const BlockChoice& c = plan.blocks[b];
    std::printf("%-14s %-17s %11.0f %11.0f %9.3f %9.3f %12.4f %12.4f\n", problem.blocks[b].block.c_str(),
                c.option.name.c_str(), problem.blocks[b].area(), c.area, problem.unprotected.rows[b].lambda(),
                c.row.lambda(), residual(problem.unprotected.rows_upper[b]), residual(c.row_upper));
  }
  std::printf("%-14s %-17s %11.0f %11.0f %9.3f %9.3f %12.4f %12.4f\n", "total", "", problem.npu_area, plan.area,
              problem.unprotected.total.lambda(), [&] {
                double sum = 0;
                for (const BlockChoice& c : plan.blocks) sum += c.row.lambda();
                return sum;
              }(),
              problem.unprotected.metrics.pmhf_upper, plan.metrics.pmhf_upper);
  std::printf("added area: %.0f GE = %.1f %% of the NPU, %.1f %% of DCLS's %.0f GE\n", plan.area, 100 * plan.overhead,
              dcls_area > 0 ? 100 * plan.area / dcls_area : 0.0, dcls_area);
  std::printf("(residual FIT = lambda_SPF + lambda_RF at the upper confidence bounds of the AVF)\n");
}

// The blocks with an option other than none, e.g. "controller=hardened-flops dma=duplication".
std::string protected_blocks(const ProtectionProblem& problem, const ProtectionPlan& plan) {
  std::string out;
  for (size_t b = 0; b < plan.blocks.size(); ++b)
    if (plan.blocks[b].option.kind != ProtectionKind::none)
      out += (out.empty() ? "" : " ") + problem.blocks[b].block + "=" + plan.blocks[b].option.name;
  return out.empty() ? "(none)" : out;
}

nlohmann::json summary_json(const ProtectionPlan& plan, const Verdict& verdict) {
  return {{"strategy", plan.strategy},       {"added_area_ge", plan.area},      {"overhead", plan.overhead},
          {"spfm_lower", plan.metrics.spfm_lower}, {"lfm_lower", plan.metrics.lfm_lower},
          {"pmhf_fit_upper", plan.metrics.pmhf_upper}, {"met", verdict.met}};
}

int protect(const ProtectArgs& args) {
  const std::optional<Asil> asil = parse_asil(args.asil);
  if (!asil) throw SpecError("--asil " + args.asil + " is not an ASIL (A, B, C or D)");
  db::Store store = db::Store::open(args.db, db::Store::Mode::read_only);
  const std::optional<db::CampaignRow> campaign = store.campaign(args.campaign);
  if (!campaign || !is_rtl_campaign(store, args.campaign))
    throw SpecError("--campaign " + std::to_string(args.campaign) + " is not an RTL campaign in " + args.db);
  const CampaignSpec spec = parse_campaign_spec(campaign->spec, campaign->name + ".toml");
  const NpuConfig config = spec.rtl->npu;
  const std::string config_name = npu_config_name(config);

  SafetyOptions safety;
  safety.fit.confidence = args.confidence;
  const ProtectionProblem problem =
      make_protection_problem(block_outcomes(store, args.campaign), load_technology(args.tech),
                              load_protection_catalog(args.catalog),
                              block_areas(config, load_area_model(args.area_model)), safety);
  const AsilTargets targets = asil_targets(*asil);
  const std::optional<ProtectionPlan> optimal = optimal_plan(problem, targets);
  const std::vector<ProtectionPlan> front = pareto_front(problem);
  // Without a plan that meets the target, the best reached is the most protected one: the least residual FIT.
  ProtectionPlan chosen = optimal ? *optimal : front.back();
  if (!optimal) chosen.strategy = "least residual FIT";
  std::vector<ProtectionPlan> compared = {chosen, greedy_plan(problem, targets)};
  if (const std::optional<ProtectionPlan> hardened = hardened_plan(problem)) compared.push_back(*hardened);
  const ProtectionPlan dcls = lockstep_plan(problem);
  compared.push_back(dcls);

  const auto verdict_of = [&](const ProtectionPlan& plan, const std::string& what) {
    return asil_verdict(config_name + " " + what, plan.metrics, *asil, args.confidence);
  };
  const Verdict before = asil_verdict(config_name + " unprotected", problem.unprotected.metrics, *asil, args.confidence);
  const Verdict after = verdict_of(chosen, "with the " + chosen.strategy + " plan");
  nlohmann::json plan_json = protection_plan_json(problem, chosen, after);
  plan_json["campaign"] = args.campaign;
  plan_json["npu"] = config_name;
  plan_json["technology"] = args.tech;
  plan_json["area_model"] = args.area_model;

  if (!args.out.empty()) {
    std::ofstream out(args.out, std::ios::binary);
    if (!(out << plan_json.dump(2) << "\n")) throw std::runtime_error(args.out + ": cannot write the plan");
  }
  if (args.json) {
    nlohmann::json document = plan_json;
    document["compared"] = nlohmann::json::array();
    for (const ProtectionPlan& plan : compared)
      document["compared"].push_back(summary_json(plan, verdict_of(plan, plan.strategy)));
    document["pareto_front"] = nlohmann::json::array();
    for (const ProtectionPlan& plan : front)
      document["pareto_front"].push_back({{"added_area_ge", plan.area}, {"overhead", plan.overhead},
                                          {"pmhf_fit_upper", plan.metrics.pmhf_upper},
                                          {"protected", protected_blocks(problem, plan)}});
    std::printf("%s\n", document.dump(2).c_str());
    return after.met ? 0 : 3;
  }

  std::printf("%s, campaign %lld (%s): %zu blocks, %.0f GE; technology %s; catalog %s; confidence %g\n",
              config_name.c_str(), (long long)args.campaign, campaign->name.c_str(), problem.blocks.size(),
              problem.npu_area, args.tech.c_str(), args.catalog.c_str(), args.confidence);
  std::printf("%s\n\n", before.message.c_str());
  if (optimal) {
    std::printf("least-area plan for %s (exact, GLPK):\n", to_string(*asil).c_str());
  } else {
    std::printf("NO PLAN of this catalog meets %s. The best plan reached (least residual FIT):\n",
                to_string(*asil).c_str());
  }
  print_plan(problem, chosen, dcls.area);
  std::printf("%s\n\n", after.message.c_str());

  std::printf("%-20s %11s %9s %11s %11s %12s  %s\n", "strategy", "added GE", "overhead", "SPFM lower", "LFM lower",
              "PMHF upper", to_string(*asil).c_str());
  for (const ProtectionPlan& plan : compared)
    std::printf("%-20s %11.0f %8.1f%% %10.4f%% %10.4f%% %12.4f  %s\n", plan.strategy.c_str(), plan.area,
                100 * plan.overhead, 100 * plan.metrics.spfm_lower, 100 * plan.metrics.lfm_lower,
                plan.metrics.pmhf_upper, verdict_of(plan, plan.strategy).met ? "met" : "missed");

  // The front can hold hundreds of plans that differ in a tiny block: print the cheapest, each plan that
  // cuts the residual FIT by 10 % or more against the last one printed, and the most protected.
  std::printf("\nPareto front: added area against residual FIT (upper bound), %zu plans (--json lists all)\n",
              front.size());
  std::printf("%9s %12s  %s\n", "overhead", "PMHF upper", "protected blocks");
  double printed = 0;
  for (size_t i = 0; i < front.size(); ++i) {
    const ProtectionPlan& plan = front[i];
    if (i > 0 && i + 1 < front.size() && plan.metrics.pmhf_upper > 0.9 * printed) continue;
    std::printf("%8.1f%% %12.4f  %s\n", 100 * plan.overhead, plan.metrics.pmhf_upper,
                protected_blocks(problem, plan).c_str());
    printed = plan.metrics.pmhf_upper;
  }
  if (!args.out.empty()) std::printf("\nplan written to %s\n", args.out.c_str());
  return after.met ? 0 : 3;
}

}  // namespace

void add_protect_command(CLI::App& app, Runner& run) {
  auto args = std::make_shared<ProtectArgs>();
  CLI::App* command = app.add_subcommand(
      "protect", "The least-area protection plan that meets an ASIL, from an RTL campaign (exit 3: no plan does)");
  command->add_option("--db", args->db, "SQLite database")->required();
  command->add_option("--campaign", args->campaign, "RTL campaign id (see campaign list)")->required();
  command->add_option("--tech", args->tech, "Technology file: raw FIT per Mbit")->capture_default_str();
  command->add_option("--catalog", args->catalog, "Protection catalog (TOML)")->capture_default_str();
  command->add_option("--area-model", args->area_model, "Area model (TOML)")->capture_default_str();
  command->add_option("--asil", args->asil, "Target ASIL: A, B, C or D")->capture_default_str();
  command->add_option("--confidence", args->confidence, "Confidence of the bounds the targets are judged on")
      ->check(CLI::Range(0.5, 0.999999))
      ->capture_default_str();
  command->add_flag("--json", args->json, "Print JSON");
  command->add_option("--out", args->out, "Write the plan as JSON to this file (a campaign can read it back)");
  command->callback([args, &run] { run = [args] { return protect(*args); }; });
}

}  // namespace npufi::cli
