#include "report/report_sections.h"

#include <cstdio>
#include <set>
#include <string>

#include "report/report_plots.h"

namespace npufi {

namespace {

using nlohmann::json;

std::string format(const char* pattern, double value) {
  char text[64];
  std::snprintf(text, sizeof text, pattern, value);
  return text;
}

std::string percent(const json& fraction, int digits = 2) {
  return fraction.is_null() ? "—" : format(("%." + std::to_string(digits) + "f %%").c_str(), 100 * fraction.get<double>());
}
std::string fit(const json& value) { return value.is_null() ? "—" : format("%.4g", value.get<double>()); }
std::string count(const json& value) {
  std::string digits = std::to_string(value.get<int64_t>()), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}
std::string interval(const json& low, const json& high) {
  std::string out = "[";
  out += percent(low);
  out += ", ";
  out += percent(high);
  return out += "]";
}
// "campaign 1", "campaigns 1, 2".
std::string campaigns_named(const json& list) {
  std::string out = list.size() == 1 ? "campaign " : "campaigns ";
  for (size_t i = 0; i < list.size(); ++i) {
    if (i) out += ", ";
    out += std::to_string(list[i].get<int64_t>());
  }
  return out;
}

// The campaign entry of `id`.
const json& campaign(const json& report, int64_t id) {
  for (const json& c : report["campaigns"])
    if (c["id"] == id) return c;
  return report["campaigns"][0];
}

std::string analysed_on(const json& report) {
  const json& first = campaign(report, report["campaign_sets"]["analysed"][0].get<int64_t>());
  return first["target"].get<std::string>() + " running " + first["model"].get<std::string>() + " on " +
         first["data_set"].get<std::string>();
}

ReportTable metrics_table(const json& analysis) {
  const json& m = analysis["metrics"];
  const json& t = analysis["verdict"]["targets"];
  const std::string conf = format("%.0f %%", 100 * analysis["confidence"].get<double>());
  const auto judged = [](bool ok) { return std::string(ok ? "met" : "missed"); };
  ReportTable table{{"metric", "target", "point estimate", "bound at " + conf, "verdict on the bound"}, {},
                    {false, false, true, true, false}, "ISO 26262-5 hardware architectural metrics"};
  table.rows.push_back({"SPFM", t["spfm"].is_null() ? "none" : "≥ " + percent(t["spfm"], 0), percent(m["spfm"], 3),
                        "≥ " + percent(m["spfm_lower"], 3),
                        t["spfm"].is_null() ? "—" : judged(m["spfm_lower"].get<double>() >= t["spfm"].get<double>())});
  table.rows.push_back({"LFM", t["lfm"].is_null() ? "none" : "≥ " + percent(t["lfm"], 0), percent(m["lfm"], 3),
                        "≥ " + percent(m["lfm_lower"], 3),
                        t["lfm"].is_null() ? "—" : judged(m["lfm_lower"].get<double>() >= t["lfm"].get<double>())});
  table.rows.push_back({"PMHF (FIT)", "< " + fit(t["pmhf_fit"]), fit(m["pmhf_fit"]), "≤ " + fit(m["pmhf_fit_upper"]),
                        judged(m["pmhf_fit_upper"].get<double>() < t["pmhf_fit"].get<double>())});
  return table;
}

// The verdict in plain words: which bound misses its target, by how much.
std::string plain_words(const json& analysis) {
  const json& m = analysis["metrics"];
  const json& t = analysis["verdict"]["targets"];
  const std::string asil = analysis["verdict"]["asil"];
  std::vector<std::string> missed;
  if (!t["spfm"].is_null() && m["spfm_lower"].get<double>() < t["spfm"].get<double>())
    missed.push_back("its single-point fault metric may be as low as " + percent(m["spfm_lower"], 2) + " (ASIL target ≥ " +
                     percent(t["spfm"], 0) + ")");
  if (!t["lfm"].is_null() && m["lfm_lower"].get<double>() < t["lfm"].get<double>())
    missed.push_back("its latent fault metric may be as low as " + percent(m["lfm_lower"], 2) + " (target ≥ " +
                     percent(t["lfm"], 0) + ")");
  if (m["pmhf_fit_upper"].get<double>() >= t["pmhf_fit"].get<double>())
    missed.push_back("its rate of hazardous failures may be as high as " + fit(m["pmhf_fit_upper"]) + " FIT (target < " +
                     fit(t["pmhf_fit"]) + " FIT)");
  const std::string confidence = percent(analysis["confidence"], 0);
  if (missed.empty())
    return "In plain words: the design as measured meets " + asil + "; at " + confidence +
           " confidence every metric is on the right side of its target.";
  std::string out = "In plain words: the design as measured does not meet " + asil + ": at " + confidence + " confidence, ";
  for (size_t i = 0; i < missed.size(); ++i) out += (i ? i + 1 == missed.size() ? " and " : ", " : "") + missed[i];
  return out + ".";
}

ReportSection summary(const json& report) {
  ReportSection s{"summary", "Summary", {}};
  const json& a = report["analysis"];
  if (a.is_null()) {
    s.paragraph("No RTL campaign was given, so there are no hardware metrics and no ASIL verdict; the report holds "
                "the weight-memory campaigns only.");
    return s;
  }
  s.paragraph(report_verdict(report));
  s.paragraph("Analysed: " + analysed_on(report) + ", " + campaigns_named(report["campaign_sets"]["analysed"]) +
              ". The verdict is judged on the confidence bounds, not on the point estimates: the SPFM and LFM lower "
              "bounds and the PMHF upper bound hold together at " + percent(a["confidence"], 0) + " confidence.");
  s.table(metrics_table(a));
  s.paragraph(plain_words(a));
  const json& p = report["protection"];
  if (!p.is_null())
    s.paragraph("With protection: " + p["verdict"]["message"].get<std::string>() + ", for " +
                percent(p["overhead"], 1) + " added area (section Protection).");
  if (!report["verification"].is_null())
    s.paragraph("Verified by injection into the protected design: " +
                report["verification"]["verdict"]["message"].get<std::string>());
  return s;
}

ReportSection scope(const json& report) {
  ReportSection s{"scope", "Scope and assumptions", {}};
  const json& f = report["report_file"];
  std::vector<std::string> items = {
      "Item: " + (f["item"].get<std::string>().empty() ? std::string("not named (no report file)") : f["item"].get<std::string>()),
      "Safety goal: " + (f["safety_goal"].get<std::string>().empty() ? std::string("not stated") : f["safety_goal"].get<std::string>()),
      "Target: " + report["asil"].get<std::string>(),
      "Fault-tolerant time interval: " + (f["ftti_ms"].is_null() ? std::string("not given") : format("%g ms", f["ftti_ms"].get<double>()))};
  s.bullets(items);
  if (!f["assumptions"].empty()) {
    s.subheading("Assumptions of use");
    s.bullets(f["assumptions"].get<std::vector<std::string>>());
  }
  const json& a = report["analysis"];
  if (!a.is_null()) {
    s.subheading("From outcomes to fault classes");
    const bool benign = a["sdc_benign_relevant"], hang = a["due_hang_relevant"];
    s.table({{"outcome", "meaning", "fault class"},
             {{"masked", "outputs bit-identical, no error flag", "safe (λ_S)"},
              {"sdc_benign", "outputs differ, top-1 class the same", benign ? "violating (λ_SPF / λ_RF)" : "safe (λ_S)"},
              {"sdc_critical", "top-1 class changed", "violating: λ_SPF without a mechanism, λ_RF for the share it misses"},
              {"due_detected", "the NPU raised its error flag", "detected multiple-point (λ_MPF,detected)"},
              {"due_hang", "no completion within 2× the fault-free cycles", hang ? "violating (λ_SPF)" : "safe (λ_S)"}},
             {},
             ""});
    s.paragraph("Safety-relevant outcomes: sdc_critical" + std::string(benign ? ", sdc_benign" : "") +
                (hang ? ", due_hang" : "") + ". Confidence " + percent(a["confidence"], 0) + ", " +
                a["interval_method"].get<std::string>() + " intervals; the bounds of the totals are Bonferroni-joint "
                "over the strata (docs/statistics.md).");
  }
  if (a.is_null()) return s;
  const json& t = report["technology"];
  s.subheading("Technology: raw failure rates");
  s.paragraph("File " + t["file"].get<std::string>() + " (" + t["name"].get<std::string>() + ", digest " +
              t["digest"].get<std::string>() + "), in FIT per Mbit; its comments give the sources and mark the "
              "assumptions:");
  s.verbatim(t["text"]);
  return s;
}

ReportSection traceability(const json& report) {
  ReportSection s{"traceability", "Traceability", {}};
  s.paragraph("Every figure of this report is computed from the database " + report["database"].get<std::string>() +
              ", opened read-only. The digests are 64-bit FNV-1a of the files' bytes, as npufi stores them when a "
              "campaign starts.");
  ReportTable table{{"campaign", "name", "kind", "evidence for", "status", "injections / trials", "seed", "npufi", "git revision"},
                    {}, {true, false, false, false, false, true, true, false, false}, "Campaigns"};
  for (const json& c : report["campaigns"])
    table.rows.push_back({std::to_string(c["id"].get<int64_t>()), c["name"], c["kind"],
                          c["role"].get<std::string>().empty() ? "—" : c["role"].get<std::string>(), c["status"],
                          count(c["trials"]), std::to_string(c["seed"].get<uint64_t>()), c["tool_version"], c["git_revision"]});
  s.table(table);
  ReportTable digests{{"campaign", "design", "model", "model digest", "data set digest", "spec digest", "protection plan digest"},
                      {}, {}, "Inputs and their digests"};
  for (const json& c : report["campaigns"])
    digests.rows.push_back({std::to_string(c["id"].get<int64_t>()), c["target"].get<std::string>().empty() ? "—" : c["target"].get<std::string>(),
                            c["model"], c["model_digest"], c["dataset_digest"], c["spec_digest"],
                            c["protection_digest"].get<std::string>().empty() ? "none" : c["protection_digest"].get<std::string>()});
  digests.rows.push_back({"—", "technology", report["technology"]["file"], report["technology"]["digest"], "", "", ""});
  if (!report["protection"].is_null()) {
    digests.rows.push_back({"—", "catalog", report["catalog"]["file"], report["catalog"]["digest"], "", "", ""});
    digests.rows.push_back({"—", "protection plan", "protection-plan.json (section Protection)", report["protection_plan_digest"], "", "", ""});
  }
  s.table(digests);
  s.paragraph("The model digest of an RTL campaign on the reference NPU is that of the network file; the RTL sources "
              "are identified by the npufi version and revision that built the NPU (for a design brought by the user, "
              "the model digest is that of the design build, which covers its sources).");
  s.subheading("Regenerating the evidence");
  std::string commands;
  for (const json& c : report["campaigns"])
    commands += "npufi campaign run campaigns/campaign-" + std::to_string(c["id"].get<int64_t>()) + ".toml --db DB --model " +
                c["model"].get<std::string>() + "\n";
  commands += report["command"].get<std::string>() + "\n";
  s.paragraph("Each campaign's effective specification is stored in the database and written beside this report "
              "(campaigns/campaign-ID.toml); the same seed gives the same faults on any thread count. The files a "
              "specification names (model, data file, protection plan) must be where it says, relative to its folder; "
              "the digests above identify them. The commands, DB being a new database:");
  s.verbatim(commands);
  return s;
}

ReportSection fault_universe(const json& report) {
  ReportSection s{"fault-universe", "Fault universe", {}};
  ReportTable table{{"block", "storage", "bits", "workload cycles", "transient sites (bits × cycles)", "permanent sites (bits)"},
                    {}, {false, false, true, true, true, true}, "State bits per block, from the design (npufi sites)"};
  int64_t bits = 0;
  for (const json& p : report["fault_universe"]) {
    table.rows.push_back({p["block"], p["storage"], count(p["bits"]), count(p["cycles"]), count(p["transient_sites"]),
                          count(p["permanent_sites"])});
    bits += p["bits"].get<int64_t>();
  }
  table.rows.push_back({"total", "", count(bits), "", "", ""});
  s.table(table);
  s.paragraph("Excluded: combinational logic and clock/reset networks (a flip-flop or SRAM fault model does not "
              "reach them), and storage outside the design (external memory, whose ECC is assumed). Blocks a campaign "
              "restricted with blocks = [...] are still listed here; the sampling table shows which were injected.");
  return s;
}

ReportSection sampling(const json& report) {
  ReportSection s{"sampling", "Sampling", {}};
  const json& sm = report["sampling"];
  ReportTable table{{"block", "storage", "faults", "population", "Leveugle n", "injections", "share", "critical AVF", "interval", "± margin"},
                    {}, {false, false, false, true, true, true, true, true, true, true}, ""};
  for (const json& st : sm["strata"]) {
    const double low = st["critical_low"], high = st["critical_high"];
    table.rows.push_back({st["block"], st["storage"], st["duration"], count(st["population"]),
                          st["leveugle_n"].is_null() ? "—" : count(st["leveugle_n"]), count(st["injections"]),
                          percent(st["share"], 1), percent(st["critical_avf"]),
                          interval(low, high), percent((high - low) / 2)});
  }
  table.caption = "Leveugle et al. (DATE 2009) sample size per stratum for a ±" + percent(sm["margin"], 0) + " margin at " +
                  percent(sm["confidence"], 0) + " confidence (p = 0.5), against the injections made and the interval reached";
  s.table(table);
  s.paragraph("A stratum injected fewer times than its Leveugle size has a wider interval than the margin; the "
              "bounds of section FMEDA account for that, since they are computed from the achieved intervals.");
  return s;
}

ReportSection results(const json& report, const Gnuplot& gnuplot) {
  ReportSection s{"results", "Results", {}};
  const json& a = report["analysis"];
  s.figure(outcome_fractions_plot(gnuplot, a));
  s.figure(critical_avf_plot(gnuplot, a));
  s.figure(fit_plot(gnuplot, a));
  const json& layers = report["layers"];
  if (!layers["first_differing_layer"].empty()) s.figure(first_layer_plot(gnuplot, layers));
  if (layers.contains("by_injection_layer")) s.figure(injection_layer_plot(gnuplot, layers));
  return s;
}

ReportSection fmeda(const json& report) {
  ReportSection s{"fmeda", "FMEDA and metrics", {}};
  const json& a = report["analysis"];
  // One failure mode for every block goes into the caption rather than a column of repeats.
  std::set<std::string> modes;
  for (const json& r : a["fmeda"]) modes.insert(r["failure_mode"].get<std::string>());
  const bool mode_column = modes.size() > 1;
  ReportTable table{{"element", "λ transient", "λ permanent", "safe fraction", "mechanism", "DC", "DC latent", "λ_SPF",
                     "λ_RF", "λ_MPF, latent", "λ_S"},
                    {}, {false, true, true, true, false, true, true, true, true, true, true},
                    "FMEDA per block (rates in FIT)" + (mode_column ? std::string() : "; failure mode of every block: " + *modes.begin())};
  if (mode_column) {
    table.header.insert(table.header.begin() + 1, "failure mode");
    table.numeric.insert(table.numeric.begin() + 1, false);
  }
  const auto row = [&](const json& r, bool total) {
    std::vector<std::string> cells = {r["element"], fit(r["raw_fit_transient"]), fit(r["raw_fit_permanent"]),
                                      format("%.4f", r["safe_fraction"]), r["safety_mechanism"],
                                      total ? "—" : format("%.4f", r["dc_single_point"]),
                                      total ? "—" : format("%.4f", r["dc_latent"]), fit(r["lambda_spf"]), fit(r["lambda_rf"]),
                                      fit(r["lambda_mpf_latent"]), fit(r["lambda_s"])};
    if (mode_column) cells.insert(cells.begin() + 1, r["failure_mode"].get<std::string>());
    table.rows.push_back(cells);
  };
  for (const json& r : a["fmeda"]) row(r, false);
  row(a["total"], true);
  s.table(table);
  s.table(metrics_table(a));
  s.paragraph(a["verdict"]["message"]);
  return s;
}

ReportSection protection(const json& report, const Gnuplot& gnuplot) {
  ReportSection s{"protection", "Protection", {}};
  const json& p = report["protection"];
  if (p.is_null()) {
    s.paragraph("No protection plan: " + report["protection_missing"].get<std::string>());
    return s;
  }
  s.paragraph("The least-area selective protection from the catalog " + p["catalog"].get<std::string>() + " (" +
              p["strategy"].get<std::string>() + " plan, " + p["granularity"].get<std::string>() +
              " granularity): " + p["verdict"]["message"].get<std::string>() + ".");
  ReportTable plan{{"unit", "option", "area (GE)", "added (GE)", "λ before", "λ after", "residual FIT before", "residual FIT after"},
                   {}, {false, false, true, true, true, true, true, true}, "The plan (residual FIT = λ_SPF + λ_RF at the upper bounds)"};
  for (const json& u : p["units"])
    plan.rows.push_back({u["unit"], u["option"], format("%.0f", u["unit_area_ge"]), format("%.0f", u["added_area_ge"]),
                         fit(u["lambda_fit_before"]), fit(u["lambda_fit_after"]), fit(u["residual_fit_before_upper"]),
                         fit(u["residual_fit_after_upper"])});
  s.table(plan);
  ReportTable compared{{"strategy", "added area (GE)", "overhead", "SPFM lower", "LFM lower", "PMHF upper (FIT)", "target"},
                       {}, {false, true, true, true, true, true, false}, "Strategies compared"};
  for (const json& c : p["compared"])
    compared.rows.push_back({c["strategy"], format("%.0f", c["added_area_ge"]), percent(c["overhead"], 1),
                             percent(c["spfm_lower"], 3), percent(c["lfm_lower"], 3), fit(c["pmhf_fit_upper"]),
                             c["met"].get<bool>() ? "met" : "missed"});
  s.table(compared);
  s.figure(pareto_plot(gnuplot, p, p["verdict"]["targets"]["pmhf_fit"]));
  if (!report["verification"].is_null()) {
    const json& v = report["verification"];
    s.subheading("Verification campaign");
    int64_t injections = 0;
    for (const json& st : v["strata"]) injections += st["injections"].get<int64_t>();
    const std::string plan = report["protection_plan_digest"].is_string() ? report["protection_plan_digest"].get<std::string>() : "";
    const std::string ran = campaign(report, report["campaign_sets"]["verification"][0].get<int64_t>())["protection_digest"];
    s.paragraph(ran == plan ? "The verification ran with this plan (its digest " + plan + ")."
                            : "The verification ran with another plan (digest " + ran + ", this plan's is " + plan +
                                  "): its campaigns or catalog differ from this report's.");
    s.paragraph("The verification, " + campaigns_named(report["campaign_sets"]["verification"]) + ", injected " + count(injections) +
                " faults into the design with a protection plan applied: " + v["verdict"]["message"].get<std::string>() +
                ". The plan's verdict above is computed from the catalog's model of each option; this one is measured, "
                "and its bounds narrow as the campaign injects more faults.");
    s.table(metrics_table(v));
  }
  return s;
}

ReportSection hardening(const json& report, const Gnuplot& gnuplot) {
  ReportSection s{"hardening", "Hardening of the network", {}};
  ReportTable table{{"campaign", "model", "method", "format", "clean accuracy", "AUC", "thresholds", "threshold bytes"},
                    {}, {true, false, false, false, true, true, true, true},
                    "AUC: mean accuracy over log10(BER) between the smallest and largest BER (as npufi compare)"};
  for (const json& h : report["hardening"])
    for (const auto& [format_name, auc] : h["auc"].items()) {
      double clean = 0;
      for (const json& r : h["rows"])
        if (r["format"].get<std::string>() == format_name) clean = r["golden_accuracy"];
      table.rows.push_back({std::to_string(h["campaign"].get<int64_t>()), h["model"], h["method"], format_name,
                            percent(clean), percent(auc), count(h["thresholds"]), count(h["threshold_bytes"])});
    }
  s.table(table);
  s.figure(hardening_plot(gnuplot, report["hardening"]));
  return s;
}

ReportSection tool_confidence(const json& report) {
  ReportSection s{"tool-confidence", "Tool confidence", {}};
  const json& t = report["tool_confidence"];
  s.paragraph("Evidence for ISO 26262-8 clause 11 (confidence in the use of software tools), produced by this "
              "report on this data.");
  if (t.contains("skipped")) {
    s.paragraph("Not run: " + t["skipped"].get<std::string>() + ".");
    return s;
  }
  const json& r = t["replay"];
  s.paragraph("Re-simulation: " + count(r["identical"]) + " of " + count(r["sampled"]) + " injections drawn at random "
              "(seed " + std::to_string(r["seed"].get<uint64_t>()) + ") from the stored ones ended again with the stored "
              "outcome and first differing layer (npufi replay: golden checkpoints, late injection, early stop), and " +
              count(r["naive_identical"]) + " of them when simulated naively, from reset to the end without any of "
              "those optimizations.");
  ReportTable table{{"campaign", "injection", "site", "cycle", "stored", "replayed", "naive", "identical"}, {},
                    {true, true, false, true, false, false, false, false}, ""};
  for (const json& i : r["injections"])
    table.rows.push_back({std::to_string(i["campaign"].get<int64_t>()), std::to_string(i["injection"].get<int64_t>()),
                          i["site"], count(i["cycle"]), i["stored"], i["replayed"], i["naive"],
                          i["identical"].get<bool>() && i["naive_identical"].get<bool>() ? "yes" : "NO"});
  s.table(table);
  for (const json& ref : t["reference"])
    s.paragraph("Reference model, campaign " + std::to_string(ref["campaign"].get<int64_t>()) + ": the NPU's fault-free "
                "outputs equal the C++ int8 reference's bit for bit on " + count(ref["matching"]) + " of " +
                count(ref["images"]) + " of the campaign's images.");
  return s;
}

ReportSection limitations(const json& report) {
  ReportSection s{"limitations", "Limitations", {}};
  s.bullets(report["limitations"].get<std::vector<std::string>>());
  return s;
}

ReportSection appendix(const json& report) {
  ReportSection s{"appendix", "Appendix", {}};
  s.paragraph("Beside this report: report.json (every figure above, machine-readable), fmeda.csv, and per campaign "
              "campaign-ID.csv (its table as npufi export gives it) and, for RTL campaigns, injections-ID.csv (every "
              "stored injection); campaigns/campaign-ID.toml (the stored specifications); plots/*.svg.");
  for (const auto& [id, table] : report["exports"].items()) {
    if (!table.contains("blocks")) continue;
    ReportTable blocks{{"block", "storage", "faults", "bits", "injections", "masked", "benign", "critical", "detected", "hang",
                        "critical from", "critical to"},
                       {}, {false, false, false, true, true, true, true, true, true, true, true, true},
                       "Campaign " + id + ": outcomes per block (npufi export), the critical share's 95 % interval last"};
    for (const json& b : table["blocks"])
      blocks.rows.push_back({b["block"], b["storage"], b["faults"], count(b["bits"]), count(b["injections"]),
                             percent(b["masked"]), percent(b["sdc_benign"]), percent(b["sdc_critical"]),
                             percent(b["due_detected"]), percent(b["due_hang"]),
                             percent(b["sdc_critical_interval"][0]), percent(b["sdc_critical_interval"][1])});
    s.table(blocks);
  }
  return s;
}

}  // namespace

std::string report_verdict(const json& report) {
  const json& a = report["analysis"];
  return a.is_null() ? "Verdict: none (no RTL campaign)" : "Verdict: " + a["verdict"]["message"].get<std::string>();
}

ReportDocument report_document(const json& report, const Gnuplot& gnuplot) {
  ReportDocument d;
  const json& a = report["analysis"];
  const std::string item = report["report_file"]["item"];
  d.title = "Safety analysis report";
  d.subtitle = item.empty() ? (a.is_null() ? std::string("weight-memory faults") : analysed_on(report)) : item;
  d.verdict = report_verdict(report);
  d.verdict_met = !a.is_null() && a["verdict"]["met"].get<bool>();
  d.facts = {{"Target", report["asil"]}, {"Campaigns", [&] {
                std::string out;
                for (const json& c : report["campaigns"])
                  out += (out.empty() ? "" : ", ") + std::to_string(c["id"].get<int64_t>()) + " (" + c["name"].get<std::string>() + ")";
                return out;
              }()}};
  if (!a.is_null()) d.facts.push_back({"Design and network", analysed_on(report)});
  if (!report["report_file"]["safety_goal"].get<std::string>().empty())
    d.facts.push_back({"Safety goal", report["report_file"]["safety_goal"]});
  if (!a.is_null()) d.facts.push_back({"Technology", report["technology"]["name"]});
  d.facts.push_back({"npufi", report["npufi_version"]});
  d.facts.push_back({"Made by", report["command"]});
  d.sections.push_back(summary(report));
  d.sections.push_back(scope(report));
  d.sections.push_back(traceability(report));
  if (!a.is_null()) {
    d.sections.push_back(fault_universe(report));
    d.sections.push_back(sampling(report));
    d.sections.push_back(results(report, gnuplot));
    d.sections.push_back(fmeda(report));
    d.sections.push_back(protection(report, gnuplot));
  }
  if (report.contains("hardening")) d.sections.push_back(hardening(report, gnuplot));
  d.sections.push_back(tool_confidence(report));
  d.sections.push_back(limitations(report));
  d.sections.push_back(appendix(report));
  return d;
}

}  // namespace npufi
