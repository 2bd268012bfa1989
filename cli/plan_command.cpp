// npufi plan: how many transient faults to inject per NPU block for a given margin and confidence
// (Leveugle et al. sample sizes over the population bits x cycles), against the exhaustive population.
#include <cstdio>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/outcome_class.h"
#include "analysis/sample_size.h"
#include "analysis/stratified.h"
#include "campaigns/spec.h"
#include "cli/commands.h"
#include "cli/rtl_target_choice.h"
#include "rtl/sim/npu_inventory.h"

namespace npufi::cli {

namespace {

// Cycles of one lenet5 inference, the golden run of `npufi npu run --model lenet5.pt` per configuration:
// the default workload length (docs/statistics.md).
uint64_t lenet5_cycles(NpuConfig config) {
  switch (config) {
    case NpuConfig::npu32: return 60095;
    case NpuConfig::npu64: return 43689;
    case NpuConfig::npu128: return 38094;
    case NpuConfig::npu256: return 37079;
  }
  return 0;
}

struct PlanArgs {
  RtlTargetChoice target;
  double margin = 0.01;
  double confidence = 0.95;
  double p = 0.5;
  uint64_t cycles = 0;  // 0: the lenet5 default
  bool json = false;
};

// The name plans are printed under: the configuration, or the design file's name.
std::string target_name(const PlanArgs& args) {
  return args.target.design.empty() ? args.target.config : load_design_file(args.target.design).name;
}

// One block and storage kind: its bits x cycles are the injection sites of transient faults.
struct Stratum {
  std::string block;
  StorageKind storage = StorageKind::flop;
  uint64_t bits = 0;
  uint64_t population = 0;
  uint64_t per_stratum = 0;  // to the margin on its own
  uint64_t npu_wide = 0;     // its share of the whole-NPU sample
};

struct Plan {
  uint64_t cycles = 0;
  std::vector<Stratum> strata;
  Stratum total;
};

Plan make_plan(const PlanArgs& args) {
  const RtlTargetDesign target(args.target);
  if (!target.is_npu() && !args.cycles)
    throw SpecError("--cycles is required with --design: the cycles of one run of its workload");
  Plan plan;
  plan.cycles = args.cycles ? args.cycles : lenet5_cycles(*parse_npu_config(args.target.config));
  plan.total.block = "total";
  std::vector<uint64_t> populations;
  for (const BlockStorage& block : target.inventory()) {
    for (const auto& [storage, bits] : {std::pair{StorageKind::flop, block.flop_bits}, {StorageKind::sram, block.sram_bits}}) {
      if (bits == 0) continue;
      Stratum s{block.block, storage, bits, bits * plan.cycles};
      s.per_stratum = sample_size(args.margin, args.confidence, s.population, args.p);
      plan.total.bits += s.bits;
      plan.total.population += s.population;
      plan.total.per_stratum += s.per_stratum;
      populations.push_back(s.population);
      plan.strata.push_back(s);
    }
  }
  plan.total.npu_wide = sample_size(args.margin, args.confidence, plan.total.population, args.p);
  const std::vector<uint64_t> shares = allocate_proportional(populations, plan.total.npu_wide);
  for (size_t i = 0; i < shares.size(); ++i) plan.strata[i].npu_wide = shares[i];
  return plan;
}

// 1234567 -> "1,234,567".
std::string grouped(uint64_t value) {
  std::string digits = std::to_string(value), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string number(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

void print_json(const PlanArgs& args, const Plan& plan) {
  const auto stratum = [](const Stratum& s) {
    return nlohmann::json{{"bits", s.bits}, {"population", s.population}, {"per_stratum", s.per_stratum},
                          {"npu_wide", s.npu_wide}};
  };
  nlohmann::json out = {{args.target.design.empty() ? "config" : "design", target_name(args)},          {"fault", "transient bit flip"},
                        {"cycles", plan.cycles},          {"cycles_default", args.cycles == 0},
                        {"margin", args.margin},          {"confidence", args.confidence},
                        {"p", args.p},                    {"strata", nlohmann::json::array()},
                        {"total", stratum(plan.total)}};
  for (const Stratum& s : plan.strata) {
    nlohmann::json entry = stratum(s);
    entry["block"] = s.block;
    entry["storage"] = to_string(s.storage);
    out["strata"].push_back(entry);
  }
  std::printf("%s\n", out.dump(2).c_str());
}

void print_text(const PlanArgs& args, const Plan& plan) {
  const char* whole = args.target.design.empty() ? "NPU" : "design";
  std::printf("%s: transient bit flips, %s%% confidence, margin +/-%s%%, p = %s\n", target_name(args).c_str(),
              number(100 * args.confidence).c_str(), number(100 * args.margin).c_str(), number(args.p).c_str());
  std::printf("population = bits x %s cycles%s\n\n", grouped(plan.cycles).c_str(),
              args.cycles ? "" : " (one lenet5 inference on this configuration; --cycles to change)");
  std::printf("%-14s %-7s %10s %17s %13s %13s\n", "block", "storage", "bits", "population", "per stratum",
              (std::string("whole ") + whole).c_str());
  const auto row = [](const Stratum& s, const char* storage) {
    std::printf("%-14s %-7s %10s %17s %13s %13s\n", s.block.c_str(), storage, grouped(s.bits).c_str(),
                grouped(s.population).c_str(), grouped(s.per_stratum).c_str(), grouped(s.npu_wide).c_str());
  };
  for (const Stratum& s : plan.strata) row(s, to_string(s.storage));
  row(plan.total, "");
  const auto share = [&](uint64_t n) {
    char text[32];
    std::snprintf(text, sizeof text, "%.3g", 100.0 * double(n) / double(plan.total.population));
    return std::string(text);
  };
  std::printf("\nper stratum: every block and storage kind to +/-%s%% on its own: %s injections, %s%% of the "
              "exhaustive %s\n",
              number(100 * args.margin).c_str(), grouped(plan.total.per_stratum).c_str(),
              share(plan.total.per_stratum).c_str(), grouped(plan.total.population).c_str());
  std::printf("whole %s: the %s-wide AVF to +/-%s%%, allocated in proportion to the population: %s injections, "
              "%s%% of it\n",
              whole, whole, number(100 * args.margin).c_str(), grouped(plan.total.npu_wide).c_str(),
              share(plan.total.npu_wide).c_str());
}

int run_plan(const PlanArgs& args) {
  const Plan plan = make_plan(args);
  if (args.json) print_json(args, plan);
  else print_text(args, plan);
  return 0;
}

// A number strictly between 0 and 1.
CLI::Validator open_unit() {
  return CLI::Validator(
      [](const std::string& text) {
        try {
          size_t used = 0;
          const double value = std::stod(text, &used);
          if (used == text.size() && value > 0 && value < 1) return std::string();
        } catch (const std::exception&) {
        }
        return "must be a number in (0, 1), got " + text;
      },
      "(0, 1)");
}

}  // namespace

void add_plan_command(CLI::App* command, SharedOptions&, Runner& run) {
  auto args = std::make_shared<PlanArgs>();
  add_rtl_target_options(*command, args->target);
  command->add_option("--margin", args->margin, "Error margin of each estimated AVF, e.g. 0.01 for +/-1 %")
      ->check(open_unit())
      ->capture_default_str();
  command->add_option("--confidence", args->confidence, "Confidence level")->check(open_unit())->capture_default_str();
  command->add_option("--p", args->p, "Expected AVF (0.5, the worst case, when unknown)")
      ->check(open_unit())
      ->capture_default_str();
  command
      ->add_option("--cycles", args->cycles,
                   "Cycles of one run of the workload (default: lenet5 on the configuration; required with --design)")
      ->check(CLI::Range(uint64_t(1), uint64_t(1000000000000)));
  command->add_flag("--json", args->json, "Print JSON");
  command->callback([args, &run] { run = [args] { return run_plan(*args); }; });
}

}  // namespace npufi::cli
