#include "analysis/fmeda.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>

#include "tests/analysis/hand_worked_fmeda.h"

namespace npufi {
namespace {

using test::HandWorkedFmeda;


TEST_F(HandWorkedFmeda, Rows) {
  const Fmeda f = build_fmeda(outcomes(), technology(), options());
  ASSERT_EQ(f.rows.size(), 2u);
  const FmedaRow& c = f.rows[0];  // sorted by block
  EXPECT_EQ(c.element, "controller");
  EXPECT_EQ(c.failure_mode, "corrupted state: soft errors");
  EXPECT_DOUBLE_EQ(c.raw_fit_transient, 2.0);
  EXPECT_EQ(c.raw_fit_permanent, 0.0);
  EXPECT_EQ(c.safety_mechanism, "none");
  EXPECT_NEAR(c.spf, 0.14, 1e-12);
  EXPECT_EQ(c.rf, 0.0);
  EXPECT_NEAR(c.mpf_detected, 0.02, 1e-12);
  EXPECT_EQ(c.mpf_latent, 0.0);
  EXPECT_NEAR(c.s, 1.84, 1e-12);
  EXPECT_NEAR(c.safe_fraction, 0.92, 1e-12);
  const FmedaRow& w = f.rows[1];
  EXPECT_EQ(w.element, "weight_buffer");
  EXPECT_EQ(w.safety_mechanism, "ECC");
  EXPECT_DOUBLE_EQ(w.raw_fit_transient, 50.0);
  EXPECT_EQ(w.spf, 0.0);
  EXPECT_NEAR(w.rf, 0.01, 1e-12);
  EXPECT_NEAR(w.mpf_latent, 0.099, 1e-12);
  EXPECT_NEAR(w.mpf_detected, 0.891, 1e-12);
  EXPECT_NEAR(w.s, 49.0, 1e-12);
  EXPECT_NEAR(f.total.lambda(), 52.0, 1e-12);
  EXPECT_NEAR(f.total.s, 50.84, 1e-12);
}

TEST_F(HandWorkedFmeda, Metrics) {
  const SafetyMetrics m = build_fmeda(outcomes(), technology(), options()).metrics;
  EXPECT_NEAR(m.spfm, 1 - 0.15 / 52, 1e-12);
  EXPECT_NEAR(m.spfm, 0.997115385, 1e-9);
  EXPECT_NEAR(m.lfm, 0.998090646, 1e-9);
  EXPECT_NEAR(m.pmhf, 0.15, 1e-12);
  // Bounds: 2 strata, each violating AVF at its one-sided Clopper-Pearson bound at 1 - 0.05/2 = 97.5 %:
  //   u1 = Beta(71, 930) 97.5 % quantile = 0.0876162335 (70 of 1000), u2 = Beta(21, 980) = 0.0307200327.
  // SPFM >= 1 - (2 u1 + 50 u2 * 0.01) / 52 = 0.996334760
  // LFM  >= 1 - 50 u2 * 0.99 * 0.1 / (52 - 2 u1 - 50 u2 * 0.01) = 0.997064931
  // PMHF <= 2 u1 + 0.5 u2 = 0.190592483 FIT
  EXPECT_NEAR(m.spfm_lower, 0.996334760, 1e-9);
  EXPECT_NEAR(m.lfm_lower, 0.997064931, 1e-9);
  EXPECT_NEAR(m.pmhf_upper, 0.190592483, 1e-9);
}

TEST_F(HandWorkedFmeda, SafetyRelevanceSettings) {
  SafetyOptions o = options();
  o.sdc_benign_relevant = true;  // controller violating (20 + 50 + 20) / 1000, weights (30 + 20) / 1000
  o.due_hang_relevant = false;   // controller (20 + 50) / 1000; the hangs become safe
  const Fmeda f = build_fmeda(outcomes(), technology(), o);
  EXPECT_NEAR(f.rows[0].spf, 2 * 0.07, 1e-12);
  EXPECT_NEAR(f.rows[1].rf, 50 * 0.05 * 0.01, 1e-12);
  o.not_safety_related = {"controller"};
  const Fmeda g = build_fmeda(outcomes(), technology(), o);
  EXPECT_FALSE(g.rows[0].safety_related);
  EXPECT_DOUBLE_EQ(g.rows[0].s, 2.0);
  // SPFM over safety-related hardware only: 1 - 0.025 / 50.
  EXPECT_NEAR(g.metrics.spfm, 1 - 0.025 / 50, 1e-12);
}

TEST_F(HandWorkedFmeda, FitTable) {
  const FitTable t = build_fmeda(outcomes(), technology(), options()).fit;
  ASSERT_EQ(t.strata.size(), 2u);
  const StratumFit& c = t.strata[1];  // input order
  EXPECT_EQ(c.block, "controller");
  EXPECT_EQ(c.injections, 1000u);
  const ClassFit& critical = c[OutcomeClass::sdc_critical];
  EXPECT_EQ(critical.events, 50u);
  EXPECT_DOUBLE_EQ(critical.avf, 0.05);
  EXPECT_NEAR(critical.fit, 0.1, 1e-12);  // 2 FIT * 0.05
  EXPECT_DOUBLE_EQ(critical.avf_upper, proportion_upper_bound(50, 1000, 0.95));
  EXPECT_NEAR(critical.fit_upper, 2 * critical.avf_upper, 1e-12);
  EXPECT_NEAR(t.raw_fit, 52.0, 1e-12);
  // NPU total of sdc_critical: 0.1 + 50 * 0.02 = 1.1 FIT; bound with each stratum at 97.5 %.
  EXPECT_NEAR(t.fit[size_t(OutcomeClass::sdc_critical)], 1.1, 1e-12);
  EXPECT_NEAR(t.fit_upper[size_t(OutcomeClass::sdc_critical)],
              2 * proportion_upper_bound(50, 1000, 0.975) + 50 * proportion_upper_bound(20, 1000, 0.975), 1e-12);
}

TEST_F(HandWorkedFmeda, PermanentFaultsHaveTheirOwnColumn) {
  std::vector<BlockOutcomes> with_permanent = outcomes();
  with_permanent.push_back({"controller", StorageKind::flop, FaultDuration::permanent, 2000, 0, {90, 0, 10, 0, 0}});
  EXPECT_THROW(build_fmeda(with_permanent, technology(), options()), TechnologyError);
  const Technology t = parse_technology("[transient]\nflop = 1000\nsram = 500\n[permanent]\nflop = 50\nsram = 5\n", "t");
  const Fmeda f = build_fmeda(with_permanent, t, options());
  // 2000 * 50e-6 = 0.1 FIT permanent, violating 10 / 100: lambda_SPF = 0.14 + 0.01.
  EXPECT_NEAR(f.rows[0].raw_fit_permanent, 0.1, 1e-12);
  EXPECT_NEAR(f.rows[0].spf, 0.15, 1e-12);
  EXPECT_EQ(f.rows[0].failure_mode, "corrupted state: soft errors and stuck-at faults");
}

TEST_F(HandWorkedFmeda, RejectsBadInput) {
  SafetyOptions o = options();
  o.mechanisms["dma"] = {"parity", 0.9, 0};
  EXPECT_THROW(build_fmeda(outcomes(), technology(), o), std::invalid_argument);
  o = options();
  o.mechanisms["weight_buffer"].dc_single_point = 1.5;
  EXPECT_THROW(build_fmeda(outcomes(), technology(), o), std::invalid_argument);
  std::vector<BlockOutcomes> twice = outcomes();
  twice.push_back(twice.front());
  EXPECT_THROW(build_fmeda(twice, technology(), options()), std::invalid_argument);
  std::vector<BlockOutcomes> unsampled = outcomes();
  unsampled[0].counts = {};
  EXPECT_THROW(build_fmeda(unsampled, technology(), options()), std::invalid_argument);
}

}  // namespace
}  // namespace npufi
