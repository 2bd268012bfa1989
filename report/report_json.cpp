#include "report/report_json.h"

#include <algorithm>
#include <map>
#include <set>

#include <toml++/toml.h>

#include "analysis/curve_area.h"
#include "analysis/digest.h"
#include "analysis/sample_size.h"
#include "analysis/text_file.h"
#include "campaigns/rtl_results.h"
#include "report/campaign_table.h"

namespace npufi {

namespace {

constexpr const char* kFormat = "npufi-report";
constexpr int kVersion = 1;

std::string role_of(const ReportEvidence& e, int64_t id) {
  const auto in = [id](const std::vector<int64_t>& ids) { return std::find(ids.begin(), ids.end(), id) != ids.end(); };
  return in(e.baseline) ? "baseline" : in(e.stuck_at) ? "stuck_at" : in(e.verification) ? "verification"
                                     : in(e.hardening) ? "hardening" : "";
}

// The data set as the stored spec names it: its data file (Fashion-MNIST when none), split and images.
std::string data_set(const std::string& spec) {
  toml::table table;
  try {
    table = toml::parse(spec);
  } catch (const toml::parse_error&) {
    return "as in the stored spec";
  }
  const std::string data = table["data"].value_or(std::string("Fashion-MNIST"));
  const std::string split = table["split"].value_or(std::string("test"));
  const std::string images = table["images"].value_or(std::string("all"));
  return data + ", " + split + " images " + images;
}

nlohmann::json campaign_json(db::Store& store, const db::CampaignRow& c, const ReportEvidence& evidence) {
  const bool rtl = is_rtl_campaign(store, c.id);
  return {{"id", c.id},
          {"data_set", data_set(c.spec)},
          {"name", c.name},
          {"kind", rtl ? "rtl" : "weight"},
          {"role", role_of(evidence, c.id)},
          {"status", c.status},
          {"trials", c.total_trials},
          {"seed", c.seed},
          {"tool_version", c.tool_version},
          {"git_revision", c.git_revision},
          {"target", c.rtl_target},
          {"model", c.model_path},
          {"model_digest", c.model_hash},
          {"dataset_digest", c.dataset_hash},
          {"spec_digest", hex_digest(fnv1a(c.spec))},
          {"identity", c.key},
          {"protection_digest", c.protection_digest},
          {"created_at", c.created_at},
          {"spec", c.spec}};
}

// Sites per block and storage kind of the first analysed campaign (the pooled ones share a design).
nlohmann::json fault_universe_json(db::Store& store, int64_t campaign) {
  nlohmann::json out = nlohmann::json::array();
  for (const db::PopulationRow& p : store.population(campaign))
    out.push_back({{"block", p.block}, {"storage", p.storage}, {"bits", p.bits}, {"cycles", p.cycles},
                   {"transient_sites", p.bits * p.cycles}, {"permanent_sites", p.bits}});
  return out;
}

// Per stratum: the population, the Leveugle size at the margin, the injections made and the achieved
// interval of the critical AVF.
nlohmann::json sampling_json(db::Store& store, int64_t campaign, const nlohmann::json& analysis, double margin) {
  std::map<std::pair<std::string, std::string>, int64_t> cycles;
  for (const db::PopulationRow& p : store.population(campaign)) cycles[{p.block, p.storage}] = p.cycles;
  const double confidence = analysis["confidence"];
  nlohmann::json out = nlohmann::json::array();
  uint64_t total_injections = 0;
  for (const nlohmann::json& s : analysis["strata"]) total_injections += s["injections"].get<uint64_t>();
  for (const nlohmann::json& s : analysis["strata"]) {
    const uint64_t bits = s["bits"];
    const bool transient = s["duration"] == "transient";
    const uint64_t population = transient ? bits * uint64_t(cycles[{s["block"], s["storage"]}]) : bits;
    const nlohmann::json& critical = s["classes"]["sdc_critical"];
    const uint64_t injections = s["injections"];
    out.push_back({{"block", s["block"]},
                   {"storage", s["storage"]},
                   {"duration", s["duration"]},
                   {"population", population},
                   {"leveugle_n", population ? nlohmann::json(sample_size(margin, confidence, population)) : nlohmann::json()},
                   {"injections", injections},
                   {"share", total_injections ? double(injections) / double(total_injections) : 0.0},
                   {"critical_avf", critical["avf"]},
                   {"critical_low", critical["avf_low"]},
                   {"critical_high", critical["avf_high"]}});
  }
  return {{"margin", margin}, {"confidence", confidence}, {"strata", out}};
}

// The first differing layer of every injection whose output differs, and the outcomes of the injections
// by the layer that ran when the fault struck (the reference NPU's campaigns record layer cycles).
nlohmann::json layers_json(db::Store& store, const std::vector<int64_t>& campaigns) {
  std::map<int, std::map<std::string, int64_t>> first_diff, at_time;
  bool timed = false;
  for (int64_t id : campaigns) {
    const std::vector<db::LayerCyclesRow> layers = store.layer_cycles(id);
    timed = timed || !layers.empty();
    for (const db::InjectionRow& r : store.injections(id)) {
      if (r.first_diff_layer >= 0) ++first_diff[r.first_diff_layer][r.outcome];
      if (layers.empty() || r.model == "stuck_at_0" || r.model == "stuck_at_1") continue;
      int layer = -1;  // between layers: loading, control
      for (const db::LayerCyclesRow& l : layers)
        if (l.image == r.image && r.cycle >= l.begin && r.cycle < l.end) layer = l.layer;
      ++at_time[layer][r.outcome];
    }
  }
  const auto as_json = [](const std::map<int, std::map<std::string, int64_t>>& table) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& [layer, outcomes] : table) out.push_back({{"layer", layer}, {"outcomes", outcomes}});
    return out;
  };
  nlohmann::json out = {{"first_differing_layer", as_json(first_diff)}};
  if (timed) out["by_injection_layer"] = as_json(at_time);
  return out;
}

// The weight campaigns with their hardening (from `npufi harden` records: the model file's digest).
nlohmann::json hardening_json(db::Store& store, const std::vector<int64_t>& campaigns, const nlohmann::json& exports) {
  const std::vector<db::HardeningRow> hardenings = store.hardenings();
  nlohmann::json out = nlohmann::json::array();
  for (int64_t id : campaigns) {
    const db::CampaignRow c = *store.campaign(id);
    const auto hardened = std::find_if(hardenings.begin(), hardenings.end(),
                                       [&](const db::HardeningRow& h) { return h.model_hash == c.model_hash; });
    const nlohmann::json& rows = exports[std::to_string(id)]["rows"];
    // The AUC per format over its BERs > 0, as `npufi compare` gives it.
    std::map<std::string, std::pair<std::vector<double>, std::vector<double>>> curves;
    for (const nlohmann::json& r : rows)
      if (r["ber"].get<double>() > 0) {
        curves[r["format"]].first.push_back(r["ber"]);
        curves[r["format"]].second.push_back(r["accuracy"]["mean"]);
      }
    nlohmann::json auc = nlohmann::json::object();
    for (const auto& [format, curve] : curves) auc[format] = ber_auc(curve.first, curve.second);
    nlohmann::json row = {{"campaign", id}, {"model", c.model_path}, {"method", "none"}, {"thresholds", 0},
                          {"threshold_bytes", 0}, {"auc", auc}, {"rows", rows}};
    if (hardened != hardenings.end()) {
      row["method"] = hardened->method;
      row["arch"] = hardened->arch;
      row["thresholds"] = hardened->threshold_count;
      row["threshold_bytes"] = hardened->threshold_bytes;
    }
    out.push_back(row);
  }
  return out;
}

// What the report assumes rather than measures, as it applies to these campaigns.
nlohmann::json limitations_json(const ReportInputs& in, const nlohmann::json& campaigns) {
  std::vector<std::string> out;
  if (in.technology.permanent && in.analysis.is_object())
    out.push_back("The raw failure rates come from the technology file " + in.technology.file +
                  "; its comments give their sources and mark what is assumed (flip-flop rates, permanent rates).");
  if (!in.protection.is_null())
    out.push_back("The protection catalog's diagnostic coverages, rate factors and areas (" + in.catalog +
                  ") are taken from its cited sources, not measured here; only a verification campaign measures a plan.");
  if (in.analysis.is_object()) {
    out.push_back("Latent faults: LFM counts the latent share of faults that a safety mechanism detects, from the DC "
                  "latent the catalog assumes; the dual-point term of the PMHF is not computed (it needs the mechanisms' "
                  "own failure rates).");
    out.push_back("Scope of the fault universe: the flip-flops and SRAM bits of the design; combinational logic, clock "
                  "and reset trees, and memories outside the design are not injected.");
  }
  if (!in.weight.empty())
    out.push_back("The weight campaigns flip bits of the stored parameters only (weights, biases, clipping thresholds); "
                  "activations and the datapath are not faulted there, and their accuracy is measured on the campaigns' "
                  "images.");
  out.push_back("The workload is the campaigns' test images; other inputs may give other AVFs.");
  if (in.analysis.is_object() && !in.analysis["sdc_benign_relevant"].get<bool>())
    out.push_back("An output that differs but keeps its top-1 class (sdc_benign) is counted as safe.");
  if (in.analysis.is_object() && in.analysis["due_hang_relevant"].get<bool>())
    out.push_back("A hang counts as violating the safety goal; a system watchdog within the FTTI is not credited.");
  std::set<std::string> revisions;
  for (const nlohmann::json& c : campaigns) revisions.insert(c["git_revision"].get<std::string>());
  out.push_back("The git revision stored with each campaign is the one the npufi build was configured at (CMake "
                "time); a build made after later commits without reconfiguring records an older revision. Stored: " +
                [&] {
                  std::string joined;
                  for (const std::string& r : revisions) joined += (joined.empty() ? "" : ", ") + r;
                  return joined;
                }() + ".");
  return out;
}

}  // namespace

nlohmann::json report_json(db::Store& store, const ReportInputs& in) {
  nlohmann::json out = {{"format", kFormat}, {"version", kVersion}, {"asil", in.asil}, {"command", in.command},
                     {"database", in.database}, {"npufi_version", in.tool_version}};
  out["report_file"] = {{"file", in.file.file},
                        {"item", in.file.item},
                        {"safety_goal", in.file.safety_goal},
                        {"ftti_ms", in.file.ftti_ms ? nlohmann::json(*in.file.ftti_ms) : nlohmann::json()},
                        {"assumptions", in.file.assumptions}};
  std::vector<int64_t> all = in.analysed;
  all.insert(all.end(), in.verification.begin(), in.verification.end());
  all.insert(all.end(), in.weight.begin(), in.weight.end());
  out["campaigns"] = nlohmann::json::array();
  out["exports"] = nlohmann::json::object();
  for (int64_t id : all) {
    out["campaigns"].push_back(campaign_json(store, *store.campaign(id), in.file.evidence));
    out["exports"][std::to_string(id)] = nlohmann::json::parse(campaign_table(store, id, TableFormat::json));
  }
  out["campaign_sets"] = {{"analysed", in.analysed}, {"verification", in.verification}, {"weight", in.weight}};
  const std::optional<std::string> tech_text = read_text_file(in.technology.file);
  out["technology"] = {{"file", in.technology.file},
                       {"name", in.technology.name},
                       {"digest", file_digest(in.technology.file)},
                       {"text", tech_text ? *tech_text : ""}};
  out["catalog"] = {{"file", in.catalog}, {"digest", file_digest(in.catalog)}};
  out["analysis"] = in.analysis;
  out["protection"] = in.protection;
  if (in.protection.is_null()) {
    out["protection_missing"] = in.protection_missing;
  } else {
    // The plan file `protect --out` writes for these campaigns, and its digest: a verification campaign that
    // ran with that file records the same digest.
    nlohmann::json plan = in.protection;
    plan.erase("compared");
    plan.erase("pareto_front");
    out["protection_plan_file"] = plan.dump(2) + "\n";
    out["protection_plan_digest"] = hex_digest(fnv1a(out["protection_plan_file"].get<std::string>()));
  }
  out["verification"] = in.verification_analysis;
  if (!in.analysed.empty()) {
    out["fault_universe"] = fault_universe_json(store, in.analysed.front());
    out["sampling"] = sampling_json(store, in.analysed.front(), in.analysis, in.sampling_margin);
    out["layers"] = layers_json(store, in.analysed);
  }
  if (!in.weight.empty()) out["hardening"] = hardening_json(store, in.weight, out["exports"]);
  out["tool_confidence"] = in.tool_confidence;
  out["limitations"] = limitations_json(in, out["campaigns"]);
  return out;
}

}  // namespace npufi
