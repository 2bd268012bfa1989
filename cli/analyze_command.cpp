// npufi analyze: the per-block AVF and FIT of an RTL campaign (or of several pooled: SEU and stuck-at
// campaigns of one NPU), the FMEDA, SPFM, LFM and PMHF with their confidence bounds, and the ASIL verdict.
// Reads the database only. Exit 0 when the ASIL is met, 3 when not.
#include <cstdio>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "analysis/asil.h"
#include "campaigns/safety_analysis.h"
#include "campaigns/spec.h"
#include "cli/commands.h"
#include "db/store.h"
#include "report/coverage_table.h"
#include "report/fmeda_json.h"
#include "report/fmeda_table.h"

namespace npufi::cli {

namespace {

constexpr int kTargetMissed = 3;

struct AnalyzeArgs {
  std::vector<int64_t> campaigns;
  std::string tech = default_technology_path();
  std::string asil = "D";
  double confidence = 0.95;
  bool benign_relevant = false;
  bool hang_safe = false;
  bool json = false;
};

// Per stratum: injections, the AVF of every outcome class, and sdc_critical's interval and FIT.
void print_avf_table(const Fmeda& fmeda) {
  std::printf("%-14s %-5s %-9s %8s %6s %8s %8s %8s %8s %8s  %-19s %9s %9s\n", "block", "kind", "faults", "bits",
              "inj.", "masked", "benign", "critical", "detected", "hang", "critical interval", "FIT crit.",
              "bound");
  for (const StratumFit& s : fmeda.fit.strata) {
    const ClassFit& critical = s[OutcomeClass::sdc_critical];
    std::printf("%-14s %-5s %-9s %8llu %6llu %7.2f%% %7.2f%% %7.2f%% %7.2f%% %7.2f%%  [%6.2f%%, %6.2f%%] %9.3g %9.3g\n",
                s.block.c_str(), to_string(s.storage), to_string(s.duration), (unsigned long long)s.bits,
                (unsigned long long)s.injections, 100 * s[OutcomeClass::masked].avf,
                100 * s[OutcomeClass::sdc_benign].avf, 100 * critical.avf, 100 * s[OutcomeClass::due_detected].avf,
                100 * s[OutcomeClass::due_hang].avf, 100 * critical.avf_interval.low, 100 * critical.avf_interval.high,
                critical.fit, critical.fit_upper);
  }
}

int analyze(const AnalyzeArgs& args, const SharedOptions& shared) {
  const std::optional<Asil> asil = parse_asil(args.asil);
  if (!asil) throw SpecError("--asil '" + args.asil + "' must be A, B, C or D");
  if (!(args.confidence > 0 && args.confidence < 1))
    throw SpecError("--confidence " + std::to_string(args.confidence) + " must be in (0, 1)");
  const Technology technology = load_technology(args.tech);

  SafetyOptions options;
  options.fit.confidence = args.confidence;
  options.sdc_benign_relevant = args.benign_relevant;
  options.due_hang_relevant = !args.hang_safe;
  db::Store store = shared.open_store();
  const SafetyAnalysis analysis = analyze_safety(store, args.campaigns, technology, options, *asil);
  const Fmeda& fmeda = analysis.fmeda;
  const Verdict& verdict = analysis.verdict;

  if (args.json) {
    nlohmann::json document = fmeda_json(fmeda, verdict);
    if (!analysis.coverage.empty()) document["measured_coverage"] = coverage_json(analysis.coverage);
    std::printf("%s\n", document.dump(2).c_str());
  } else {
    std::printf("%s on %s, technology %s, %.0f%% confidence (%s intervals)\n\n", analysis.set.description().c_str(),
                analysis.set.target.c_str(), technology.name.c_str(), 100 * args.confidence, to_string(options.fit.method));
    print_avf_table(fmeda);
    std::printf("\n%s\n", fmeda_markdown(fmeda).c_str());
    const SafetyMetrics& m = fmeda.metrics;
    std::printf("SPFM %.4f%% (lower bound %.4f%%), LFM %.4f%% (lower bound %.4f%%), PMHF %.4g FIT (upper bound %.4g)\n",
                100 * m.spfm, 100 * m.spfm_lower, 100 * m.lfm, 100 * m.lfm_lower, m.pmhf, m.pmhf_upper);
    std::printf("%s\n", verdict.message.c_str());
    if (!analysis.coverage.empty())
      std::printf("\nmeasured diagnostic coverage: each fault also ran on the campaign's baseline design; of those that "
                  "violate there, the share detected or corrected (docs/safety-rtl.md)\n%s",
                  coverage_table_text(analysis.coverage).c_str());
  }
  return verdict.met ? 0 : kTargetMissed;
}

}  // namespace

void add_analyze_command(CLI::App* command, SharedOptions& shared, Runner& run) {
  auto args = std::make_shared<AnalyzeArgs>();
  add_rtl_campaigns_option(*command, args->campaigns);
  command->add_option("--tech", args->tech, "Technology file: raw FIT per Mbit (docs/statistics.md)")
      ->capture_default_str();
  command->add_option("--asil", args->asil, "Target: A, B, C or D")->capture_default_str();
  command->add_option("--confidence", args->confidence, "Confidence of the intervals and bounds")
      ->capture_default_str();
  command->add_flag("--benign-relevant", args->benign_relevant,
                    "Count sdc_benign (output differs, top-1 does not) as violating the safety goal");
  command->add_flag("--hang-safe", args->hang_safe, "Count due_hang as safe (a system watchdog covers it)");
  command->add_flag("--json", args->json, "Print JSON");
  command->callback([args, &shared, &run] { run = [args, &shared] { return analyze(*args, shared); }; });
}

}  // namespace npufi::cli
