#pragma once
// Running a hardening job (campaigns/harden_keys.h): the optimizer on the training split, the hardened
// model file, and its record for the database. Shared by `npufi harden` and campaign files with [harden].
#include <functional>
#include <optional>
#include <string>

#include "campaigns/harden_keys.h"
#include "db/store.h"

namespace npufi {

struct HardenedModel {
  HardenReport report;
  db::HardeningRow row;  // what the database records: model files and digests, settings, thresholds
};

// Hardens job.model (a resolved job) and writes the result to job.out. `log` gets the optimizer's lines.
// Throws ModelError for a model with no ReLU to replace, before any work.
HardenedModel run_harden_job(const HardenJob& job, const std::function<void(const std::string&)>& log);

// Every layer's mode, threshold count and range, then the totals and validation accuracies, one per line.
std::string hardening_summary(const HardenedModel& hardened);

// The latest hardening in `store` of the same model file (by digest) with the same settings whose
// hardened model job.out still is (by digest); a campaign reuses it instead of hardening again.
std::optional<db::HardeningRow> recorded_hardening(db::Store& store, const HardenJob& job);

}  // namespace npufi
