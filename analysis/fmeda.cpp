#include "analysis/fmeda.h"

#include <algorithm>
#include <stdexcept>

namespace npufi {

namespace {

uint64_t violating_events(const StratumFit& s, const SafetyOptions& options) {
  uint64_t events = 0;
  for (const OutcomeClass outcome : kOutcomeClasses)
    if (violates(outcome, options)) events += s[outcome].events;
  return events;
}

void check_options(const SafetyOptions& options, const std::vector<BlockOutcomes>& outcomes) {
  const auto known = [&](const std::string& block) {
    return std::any_of(outcomes.begin(), outcomes.end(), [&](const BlockOutcomes& o) { return o.block == block; });
  };
  for (const auto& [block, mechanism] : options.mechanisms) {
    if (!known(block)) throw std::invalid_argument("safety mechanism '" + mechanism.name + "': no block " + block);
    for (double dc : {mechanism.dc_single_point, mechanism.dc_latent})
      if (!(dc >= 0 && dc <= 1))
        throw std::invalid_argument("safety mechanism '" + mechanism.name + "' on " + block +
                                    ": diagnostic coverage must be in [0, 1], got " + std::to_string(dc));
  }
  for (const std::string& block : options.not_safety_related)
    if (!known(block)) throw std::invalid_argument("not safety-related: no block " + block);
}

std::string failure_mode(bool transient, bool permanent) {
  if (transient && permanent) return "corrupted state: soft errors and stuck-at faults";
  return permanent ? "corrupted state: stuck-at faults" : "corrupted state: soft errors";
}

// FMEDA rows (sorted by block) with stratum i's violating AVF taken as violating[i].
std::vector<FmedaRow> rows_for(const FitTable& fit, const std::vector<double>& violating,
                               const SafetyOptions& options) {
  std::map<std::string, FmedaRow> rows;
  std::map<std::string, std::pair<bool, bool>> durations;  // has transient, has permanent
  for (size_t i = 0; i < fit.strata.size(); ++i) {
    const StratumFit& s = fit.strata[i];
    FmedaRow& row = rows[s.block];
    row.element = s.block;
    row.safety_related = !options.not_safety_related.count(s.block);
    const auto mechanism = options.mechanisms.find(s.block);
    const bool has_mechanism = mechanism != options.mechanisms.end();
    row.safety_mechanism = has_mechanism ? mechanism->second.name : "none";
    row.dc_single_point = has_mechanism ? mechanism->second.dc_single_point : 0;
    row.dc_latent = has_mechanism ? mechanism->second.dc_latent : 0;
    const bool transient = s.duration == FaultDuration::transient;
    (transient ? row.raw_fit_transient : row.raw_fit_permanent) += s.raw_fit;
    (transient ? durations[s.block].first : durations[s.block].second) = true;

    const double lambda = s.raw_fit;
    if (!row.safety_related) {
      row.s += lambda;
      continue;
    }
    const double viol = lambda * violating[i];
    const double detected = lambda * std::min(s[OutcomeClass::due_detected].avf, 1 - violating[i]);
    const double covered = viol * row.dc_single_point;  // zero without a mechanism
    (has_mechanism ? row.rf : row.spf) += viol - covered;
    row.mpf_latent += covered * (1 - row.dc_latent);
    row.mpf_detected += detected + covered * row.dc_latent;
    row.s += lambda - viol - detected;
  }
  std::vector<FmedaRow> out;
  for (auto& [block, row] : rows) {
    row.failure_mode = failure_mode(durations[block].first, durations[block].second);
    row.safe_fraction = row.lambda() > 0 ? row.s / row.lambda() : 0;
    out.push_back(row);
  }
  return out;
}

SafetyMetrics metrics_of(const std::vector<FmedaRow>& rows) {
  double lambda = 0, violating = 0, latent = 0;
  for (const FmedaRow& row : rows) {
    if (!row.safety_related) continue;
    lambda += row.lambda();
    violating += row.spf + row.rf;
    latent += row.mpf_latent;
  }
  SafetyMetrics m;
  m.spfm = lambda > 0 ? 1 - violating / lambda : 1;
  m.lfm = lambda - violating > 0 ? 1 - latent / (lambda - violating) : 1;
  m.pmhf = violating;
  return m;
}

FmedaRow total_of(const std::vector<FmedaRow>& rows) {
  FmedaRow total;
  total.element = std::string("total");
  total.failure_mode = std::string("-");
  total.safety_mechanism = std::string("-");
  for (const FmedaRow& row : rows) {
    total.raw_fit_transient += row.raw_fit_transient;
    total.raw_fit_permanent += row.raw_fit_permanent;
    total.spf += row.spf;
    total.rf += row.rf;
    total.mpf_detected += row.mpf_detected;
    total.mpf_latent += row.mpf_latent;
    total.s += row.s;
  }
  total.safe_fraction = total.lambda() > 0 ? total.s / total.lambda() : 0;
  return total;
}

}  // namespace

bool violates(OutcomeClass outcome, const SafetyOptions& options) {
  return outcome == OutcomeClass::sdc_critical || (outcome == OutcomeClass::sdc_benign && options.sdc_benign_relevant) ||
         (outcome == OutcomeClass::due_hang && options.due_hang_relevant);
}

SafetyMetrics safety_metrics(const std::vector<FmedaRow>& rows, const std::vector<FmedaRow>& rows_upper) {
  SafetyMetrics metrics = metrics_of(rows);
  const SafetyMetrics bound = metrics_of(rows_upper);
  metrics.spfm_lower = bound.spfm;
  metrics.lfm_lower = bound.lfm;
  metrics.pmhf_upper = bound.pmhf;
  return metrics;
}

Fmeda build_fmeda(const std::vector<BlockOutcomes>& outcomes, const Technology& technology,
                  const SafetyOptions& options) {
  check_options(options, outcomes);
  Fmeda fmeda;
  fmeda.options = options;
  fmeda.fit = fit_table(outcomes, technology, options.fit);
  size_t bounded = 0;
  for (const StratumFit& s : fmeda.fit.strata)
    bounded += s.bits > 0 && s.injections > 0 && !options.not_safety_related.count(s.block);
  const double joint = bonferroni_confidence(options.fit.confidence, bounded);
  std::vector<double> point, upper;
  for (const StratumFit& s : fmeda.fit.strata) {
    const uint64_t events = violating_events(s, options);
    // Without injections (FitOptions::allow_unmeasured) the violating AVF is unknown: taken as 1, its
    // upper bound, in the point estimate too.
    point.push_back(s.injections > 0 ? double(events) / double(s.injections) : 1);
    upper.push_back(proportion_upper_bound(events, s.injections, joint, options.fit.method));
  }
  fmeda.rows = rows_for(fmeda.fit, point, options);
  fmeda.rows_upper = rows_for(fmeda.fit, upper, options);
  fmeda.total = total_of(fmeda.rows);
  fmeda.metrics = safety_metrics(fmeda.rows, fmeda.rows_upper);
  return fmeda;
}

}  // namespace npufi
