#pragma once
// A small results database written with the store API, for the query shell's tests: two RTL campaigns
// on npu32 (unprotected and protected) and one weight campaign, each value chosen here so that the tests
// can say what every answer must be.
#include <string>
#include <vector>

#include "db/store.h"
#include "tests/db/test_support.h"  // TempDir, read_bytes

namespace npufi::test {

// Injections of the unprotected campaign (1): controller 10 (4 sdc_critical, 1 due_hang, 5 masked),
// weight_buffer 20 (2 sdc_critical, 18 masked). The protected one (2): no sdc_critical at all.
inline db::InjectionRow injection(int64_t index, const std::string& block, const std::string& site, int64_t bit,
                                  int64_t cycle, const std::string& outcome, int layer) {
  db::InjectionRow r;
  r.injection = index;
  r.image = int(index % 2);
  r.block = block;
  r.site = site;
  r.storage = block == "controller" ? "flop" : "sram";
  r.bit = bit;
  r.model = "seu";
  r.cycle = cycle;
  r.outcome = outcome;
  r.first_diff_layer = layer;
  r.simulated_cycles = 100 + index;
  r.ended_by = outcome == "masked" ? "converged" : "completed";
  return r;
}

inline std::vector<db::InjectionRow> injections(bool protected_run) {
  std::vector<db::InjectionRow> rows;
  for (int i = 0; i < 10; ++i) {
    // state[0..3] take the critical ones, count[0] the hang.
    const bool critical = !protected_run && i < 4;
    const std::string outcome = critical ? "sdc_critical" : i == 4 ? "due_hang" : "masked";
    const std::string site = i < 6 ? "controller.state[" + std::to_string(i % 4) + "]" : "controller.count[" + std::to_string(i - 6) + "]";
    rows.push_back(injection(i, "controller", site, i, 10 * i, outcome, critical ? 1 : -1));
  }
  for (int i = 10; i < 30; ++i) {
    const bool critical = !protected_run && (i == 12 || i == 13);
    rows.push_back(injection(i, "weight_buffer", "weight_buffer.mem[" + std::to_string(i) + "][3]", 100 + i, 10 * i,
                             critical ? "sdc_critical" : "masked", critical ? 0 : -1));
  }
  return rows;
}

inline db::CampaignRow campaign_row(const std::string& name, const std::string& key, bool rtl) {
  db::CampaignRow c;
  c.name = name;
  c.key = key;
  c.spec = "name = \"" + name + "\"\ntarget = \"" + (rtl ? "rtl" : "weights") + "\"\n";
  c.seed = 7;
  c.tool_version = "0.1.0";
  c.git_revision = "abc123";
  c.model_path = "/models/lenet5.pt";
  c.model_hash = "fnv1a:0123456789abcdef";
  c.dataset_hash = "fnv1a:fedcba9876543210";
  c.status = "done";
  if (rtl) c.rtl_target = "npu32";
  return c;
}

// Writes the database at `path`: campaigns 1 (unprotected RTL), 2 (protected RTL), 3 (weights).
inline void write_query_fixture(const std::string& path) {
  db::Store store = db::Store::open(path, db::Store::Mode::read_write);
  const std::vector<db::PopulationRow> population = {{"controller", "flop", 100, 1000},
                                                     {"weight_buffer", "sram", 800, 1000}};
  for (const bool protected_run : {false, true}) {
    db::CampaignRow c = campaign_row(protected_run ? "npu32-protected" : "npu32-seu", protected_run ? "k2" : "k1", true);
    c.total_trials = 30;
    if (protected_run) c.protection_digest = "fnv1a:00000000000000aa";
    // Both images: layer 0 in cycles 0..49, layer 1 in 50..149, layer 2 in 150..399; the protected campaign
    // stores none, as one run before schema 5.
    std::vector<db::LayerCyclesRow> layers;
    if (!protected_run)
      for (const int image : {0, 1}) layers.insert(layers.end(), {{image, 0, 0, 50}, {image, 1, 50, 150}, {image, 2, 150, 400}});
    const int64_t id = store.create_campaign(c, {{"npu32", 2, 2}}, population, layers);
    store.insert_injections(id, injections(protected_run));
  }
  db::CampaignRow w = campaign_row("lenet5-ber", "k3", false);
  w.total_trials = 3;
  const int64_t id = store.create_campaign(w, {{"fp32", 100, 90}});
  std::vector<db::TrialRow> trials;
  for (int t = 0; t < 3; ++t) {
    db::TrialRow row;
    row.trial = t;
    row.format = "fp32";
    row.ber = t < 2 ? 1e-5 : 1e-4;
    row.repetition = t % 2;
    row.images = 100;
    row.correct = 80 + 2 * t;  // 80 and 82 at 1e-5, 84 at 1e-4
    row.mismatches = 10;
    row.faults = {{"conv1.weight", 17 + t, 30, "bit_flip"}, {"fc3.bias", 2, 31 - t, "bit_flip"}};
    row.fault_count = int64_t(row.faults.size());
    trials.push_back(row);
  }
  store.insert_trials(id, trials);
}

}  // namespace npufi::test
