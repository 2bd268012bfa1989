// npufi report: the safety-certification report of RTL and weight campaigns, as HTML, PDF, Markdown and
// JSON in one folder (docs/report.md). Its figures come from the code of analyze, protect and export;
// it opens the database read-only and writes only into --out, atomically.
#include <algorithm>
#include <cstdio>
#include <memory>
#include <random>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "analysis/protection_catalog.h"
#include "campaigns/campaign_replay.h"
#include "campaigns/rtl_results.h"
#include "campaigns/safety_analysis.h"
#include "campaigns/spec.h"
#include "cli/commands.h"
#include "cli/protection_setup.h"
#include "report/campaign_table.h"
#include "report/fmeda_json.h"
#include "report/fmeda_table.h"
#include "report/gnuplot.h"
#include "report/pdf_printer.h"
#include "report/protection_plan_json.h"
#include "report/report_folder.h"
#include "report/report_json.h"
#include "report/report_sections.h"
#include "report/report_writers.h"

namespace npufi::cli {

namespace {

struct ReportArgs {
  std::vector<int64_t> campaigns;
  std::string report_file;
  std::string tech = default_technology_path();
  std::string catalog = default_protection_catalog_path();
  std::string asil = "D";
  bool asil_given = false;
  std::string out = "report";
  std::vector<std::string> formats = {"html", "pdf", "md", "json"};
  int replays = 10;
  bool skip_validation = false;
  std::string model;
  int threads = 1;
};

// The campaigns by what the report does with them.
struct CampaignRoles {
  std::vector<int64_t> analysed, verification, weight;
};

CampaignRoles sort_campaigns(db::Store& store, const std::vector<int64_t>& ids, const ReportEvidence& evidence) {
  CampaignRoles roles;
  const auto in = [](const std::vector<int64_t>& list, int64_t id) { return std::find(list.begin(), list.end(), id) != list.end(); };
  for (int64_t id : ids) {
    const std::optional<db::CampaignRow> c = store.campaign(id);
    const std::string name = "campaign " + std::to_string(id);
    if (!c) throw SpecError(name + " is not in " + store.path() + " (see npufi campaign list)");
    const bool rtl = is_rtl_campaign(store, id);
    const bool protected_design = !c->protection_digest.empty();
    if (in(evidence.hardening, id) && rtl) throw SpecError(name + " is given as hardening evidence but is an RTL campaign");
    if (in(evidence.verification, id) && !protected_design)
      throw SpecError(name + " is given as verification evidence but ran without a protection plan");
    if ((in(evidence.baseline, id) || in(evidence.stuck_at, id)) && (!rtl || protected_design))
      throw SpecError(name + " is given as unprotected RTL evidence but is " + (rtl ? "protected" : "a weight campaign"));
    (!rtl ? roles.weight : protected_design ? roles.verification : roles.analysed).push_back(id);
  }
  return roles;
}

std::string joined(const std::vector<int64_t>& ids) {
  std::string out;
  for (int64_t id : ids) out += (out.empty() ? "" : ",") + std::to_string(id);
  return out;
}

std::string command_line(const ReportArgs& args, const SharedOptions& shared, const std::string& asil) {
  std::string formats;
  for (const std::string& f : args.formats) formats += (formats.empty() ? "" : ",") + f;
  std::string out = "npufi report --db " + shared.db;
  if (!args.campaigns.empty()) out += " --campaign " + joined(args.campaigns);
  if (!args.report_file.empty()) out += " --report " + args.report_file;
  out += " --tech " + args.tech + " --asil " + asil + " --out " + args.out + " --format " + formats;
  if (args.skip_validation) out += " --skip-validation";
  return out;
}

// Re-simulates a random sample of the stored injections (the same sample every time) with replay's code,
// optimized and naive, and checks each campaign's fault-free runs against the C++ int8 reference.
nlohmann::json tool_confidence(db::Store& store, const std::vector<int64_t>& campaigns, const ReportArgs& args) {
  if (args.skip_validation) return {{"skipped", "--skip-validation was given"}};
  if (campaigns.empty()) return {{"skipped", "no RTL campaign to re-simulate"}};
  constexpr uint64_t kSeed = 1;
  std::vector<std::pair<int64_t, db::InjectionRow>> stored;
  for (int64_t id : campaigns)
    for (const db::InjectionRow& r : store.injections(id)) stored.push_back({id, r});
  std::mt19937_64 rng(kSeed);
  std::shuffle(stored.begin(), stored.end(), rng);
  stored.resize(std::min(stored.size(), size_t(std::max(args.replays, 0))));
  std::stable_sort(stored.begin(), stored.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  const auto same = [](const db::InjectionRow& a, const db::InjectionRow& b) {
    return a.outcome == b.outcome && a.first_diff_layer == b.first_diff_layer;
  };
  nlohmann::json rows = nlohmann::json::array(), references = nlohmann::json::array();
  int identical = 0, naive_identical = 0;
  for (int64_t id : campaigns) {
    std::fprintf(stderr, "report: re-simulating campaign %lld\n", (long long)id);
    std::unique_ptr<CampaignReplay> replayer;
    try {
      replayer = std::make_unique<CampaignReplay>(*store.campaign(id), args.model, args.threads);
    } catch (const SpecError& e) {
      throw SpecError(std::string(e.what()) + ", or skip the re-simulation with --skip-validation");
    }
    if (const std::optional<int> matches = replayer->reference_matches())
      references.push_back({{"campaign", id}, {"images", replayer->slots()}, {"matching", *matches}});
    for (const auto& [campaign, row] : stored) {
      if (campaign != id) continue;
      RtlTargetRun result;
      const db::InjectionRow optimized = replayer->replay(row, "", 0, result);
      const db::InjectionRow naive = replayer->replay_naive(row);
      identical += same(optimized, row);
      naive_identical += same(naive, row);
      rows.push_back({{"campaign", id}, {"injection", row.injection}, {"site", row.site}, {"cycle", row.cycle},
                      {"stored", row.outcome}, {"replayed", optimized.outcome}, {"naive", naive.outcome},
                      {"identical", same(optimized, row)}, {"naive_identical", same(naive, row)}});
    }
  }
  return {{"replay", {{"seed", kSeed}, {"sampled", rows.size()}, {"identical", identical},
                      {"naive_identical", naive_identical}, {"injections", rows}}},
          {"reference", references}};
}

bool wants(const ReportArgs& args, const std::string& format) {
  return std::find(args.formats.begin(), args.formats.end(), format) != args.formats.end();
}

// Writes every file of the report into --out, atomically. `fmeda` is the FMEDA as CSV (empty: none).
void write_report(const ReportArgs& args, db::Store& store, const nlohmann::json& document, const std::string& fmeda) {
  // From here on everything, the plots' scratch files too, goes into the folder, which a failure discards.
  ReportFolder folder(args.out);
  const ReportDocument text = report_document(document, Gnuplot(folder.subfolder(".plots")));
  folder.remove(".plots");
  if (wants(args, "json")) folder.write("report.json", document.dump(2) + "\n");
  if (wants(args, "md")) {
    folder.write("report.md", report_markdown(text));
    for (const ReportSection& s : text.sections)
      for (const ReportBlock& b : s.blocks)
        if (b.kind == ReportBlock::Kind::figure) folder.write("plots/" + b.figure.name + ".svg", b.figure.svg);
  }
  if (wants(args, "html") || wants(args, "pdf")) folder.write("report.html", report_html(text));
  if (wants(args, "pdf")) {
    print_pdf(folder.path("report.html").string(), folder.path("report.pdf").string(), folder.subfolder(".chromium").string());
    if (!wants(args, "html")) folder.remove("report.html");
  }
  if (!fmeda.empty()) folder.write("fmeda.csv", fmeda);
  if (document.contains("protection_plan_file")) folder.write("protection-plan.json", document["protection_plan_file"]);
  for (const nlohmann::json& c : document["campaigns"]) {
    const int64_t id = c["id"];
    folder.write("campaign-" + std::to_string(id) + ".csv", campaign_table(store, id, TableFormat::csv));
    folder.write("campaigns/campaign-" + std::to_string(id) + ".toml", c["spec"].get<std::string>());
    if (c["kind"] == "rtl") folder.write("injections-" + std::to_string(id) + ".csv", injections_csv(store.injections(id)));
  }
  folder.commit();
}

int report(const ReportArgs& args, const SharedOptions& shared) {
  ReportInputs in;
  try {
    in.file = args.report_file.empty() ? ReportFile{} : load_report_file(args.report_file);
  } catch (const ReportFileError& e) {
    throw SpecError(e.what());  // a bad input file is a usage error, as a bad campaign file is
  }
  const std::string asil_name = args.asil_given || !in.file.asil ? args.asil : *in.file.asil;
  const std::optional<Asil> asil = parse_asil(asil_name);
  if (!asil) throw SpecError("ASIL '" + asil_name + "' must be A, B, C or D");
  std::vector<int64_t> ids = args.campaigns;
  for (int64_t id : in.file.evidence.all())
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
  if (ids.empty()) throw SpecError("no campaigns: give --campaign IDS or an [evidence] table in the report file");
  if (wants(args, "pdf")) require_chromium();
  in.asil = to_string(*asil);
  in.command = command_line(args, shared, asil_name);
  in.database = shared.db;
  in.tool_version = NPUFI_VERSION;
  in.technology = load_technology(args.tech);
  in.catalog = args.catalog;
  load_protection_catalog(args.catalog);  // a bad catalog is an error, not a missing section

  db::Store store = shared.open_store();
  const CampaignRoles roles = sort_campaigns(store, ids, in.file.evidence);
  in.analysed = roles.analysed;
  in.verification = roles.verification;
  in.weight = roles.weight;
  SafetyOptions options;  // analyze's defaults
  std::optional<SafetyAnalysis> analysis;
  if (!roles.analysed.empty()) {
    analysis = analyze_safety(store, roles.analysed, in.technology, options, *asil);
    in.analysis = fmeda_json(analysis->fmeda, analysis->verdict);
    try {
      const ProtectionSetup setup =
          protection_setup(store, analysis->set, {PlanGranularity::block, args.tech, args.catalog, "", options.fit.confidence});
      const ProtectionStudy study = study_protection(setup.problem, *asil, options.fit.confidence, setup.source.target);
      in.protection = protection_study_json(setup.problem, study, PlanGranularity::block, setup.source);
    } catch (const std::exception& e) {
      in.protection_missing = e.what();
    }
  }
  if (!roles.verification.empty()) {
    const SafetyAnalysis verified = analyze_safety(store, roles.verification, in.technology, options, *asil);
    in.verification_analysis = fmeda_json(verified.fmeda, verified.verdict);
  }
  std::vector<int64_t> rtl = roles.analysed;
  rtl.insert(rtl.end(), roles.verification.begin(), roles.verification.end());
  in.tool_confidence = tool_confidence(store, rtl, args);
  const nlohmann::json document = report_json(store, in);
  write_report(args, store, document, analysis ? fmeda_csv(analysis->fmeda) : "");

  std::string written;
  for (const char* f : {"html", "pdf", "md", "json"})
    if (wants(args, f)) written += std::string(written.empty() ? "" : ", ") + "report." + f;
  std::printf("%s\n", report_verdict(document).c_str());
  const nlohmann::json& replay = document["tool_confidence"];
  if (replay.contains("replay"))
    std::printf("tool confidence: %d of %d re-simulated injections identical (naive simulation: %d)\n",
                replay["replay"]["identical"].get<int>(), replay["replay"]["sampled"].get<int>(),
                replay["replay"]["naive_identical"].get<int>());
  std::printf("report written to %s/ (%s, CSV files)\n", args.out.c_str(), written.c_str());
  return 0;
}

}  // namespace

void add_report_command(CLI::App* command, SharedOptions& shared, Runner& run) {
  auto args = std::make_shared<ReportArgs>();
  command
      ->add_option("--campaign,--campaigns", args->campaigns,
                   "Campaign ids, comma-separated: unprotected RTL campaigns are analysed pooled (SEU and stuck-at), "
                   "protected ones verify the plan, weight campaigns compare hardening")
      ->delimiter(',');
  command->add_option("--report", args->report_file,
                      "Report file (TOML): item, safety_goal, asil, ftti_ms, assumptions, [evidence] (docs/report.md)");
  command->add_option("--tech", args->tech, "Technology file: raw FIT per Mbit")->capture_default_str();
  command->add_option("--catalog", args->catalog, "Protection catalog (TOML)")->capture_default_str();
  CLI::Option* asil = command->add_option("--asil", args->asil, "Target: A, B, C or D (default: the report file's, else D)");
  command->add_option("--out", args->out, "Output folder, replaced as a whole when the report is complete")
      ->capture_default_str();
  command->add_option("--format", args->formats, "Formats, comma-separated: html, pdf, md, json")
      ->delimiter(',')
      ->check(CLI::IsMember({"html", "pdf", "md", "json"}))
      ->capture_default_str();
  command->add_option("--replays", args->replays, "Stored injections re-simulated as a tool-confidence check")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  command->add_flag("--skip-validation", args->skip_validation, "Skip the re-simulation (when time is short)");
  command->add_option("--model", args->model, "The network file, if it moved since the campaigns ran (re-simulation)");
  add_threads_option(*command, args->threads);
  command->callback([args, asil, &shared, &run] {
    args->asil_given = asil->count() > 0;
    run = [args, &shared] { return report(*args, shared); };
  });
}

}  // namespace npufi::cli
