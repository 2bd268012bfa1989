#include "analysis/asil.h"

#include <gtest/gtest.h>

namespace npufi {
namespace {

SafetyMetrics metrics(double spfm, double spfm_lower, double lfm, double lfm_lower, double pmhf, double pmhf_upper) {
  SafetyMetrics m;
  m.spfm = spfm;
  m.spfm_lower = spfm_lower;
  m.lfm = lfm;
  m.lfm_lower = lfm_lower;
  m.pmhf = pmhf;
  m.pmhf_upper = pmhf_upper;
  return m;
}

TEST(Asil, TargetsOfIso26262Part5) {
  EXPECT_EQ(asil_targets(Asil::D).spfm, 0.99);
  EXPECT_EQ(asil_targets(Asil::D).lfm, 0.90);
  EXPECT_EQ(asil_targets(Asil::D).pmhf_fit, 10.0);
  EXPECT_EQ(asil_targets(Asil::C).spfm, 0.97);
  EXPECT_EQ(asil_targets(Asil::C).lfm, 0.80);
  EXPECT_EQ(asil_targets(Asil::C).pmhf_fit, 100.0);
  EXPECT_EQ(asil_targets(Asil::B).spfm, 0.90);
  EXPECT_EQ(asil_targets(Asil::B).lfm, 0.60);
  EXPECT_EQ(asil_targets(Asil::B).pmhf_fit, 100.0);
  EXPECT_FALSE(asil_targets(Asil::A).spfm);
  EXPECT_FALSE(asil_targets(Asil::A).lfm);
  EXPECT_EQ(asil_targets(Asil::A).pmhf_fit, 1000.0);
}

TEST(Asil, Names) {
  EXPECT_EQ(parse_asil("D"), Asil::D);
  EXPECT_EQ(parse_asil("asil-b"), Asil::B);
  EXPECT_EQ(parse_asil("ASIL-C"), Asil::C);
  EXPECT_EQ(parse_asil("c"), Asil::C);
  EXPECT_FALSE(parse_asil("E"));
  EXPECT_FALSE(parse_asil("QM"));
  EXPECT_FALSE(parse_asil(""));
  EXPECT_EQ(to_string(Asil::A), "ASIL-A");
}

TEST(Asil, MissNamesEveryFailedMetric) {
  const Verdict v = asil_verdict("npu64", metrics(0.971, 0.968, 0.95, 0.93, 5, 6), Asil::D, 0.95);
  EXPECT_FALSE(v.met);
  EXPECT_EQ(v.message, "npu64 misses ASIL-D: SPFM 97.1% (95% lower bound 96.8%) < 99%");
  const Verdict w = asil_verdict("npu64", metrics(0.971, 0.968, 0.85, 0.80, 12.04, 15.77), Asil::D, 0.99);
  EXPECT_EQ(w.message,
            "npu64 misses ASIL-D: SPFM 97.1% (99% lower bound 96.8%) < 99%, LFM 85.0% (99% lower bound 80.0%) < 90%, "
            "PMHF 12.0 FIT (99% upper bound 15.8 FIT) >= 10 FIT");
}

TEST(Asil, TheBoundDecidesNotThePointEstimate) {
  // The point estimate passes, the lower bound does not; one decimal would show 99.0 %, so it gets three.
  const Verdict v = asil_verdict("npu32", metrics(0.993, 0.98996, 0.99, 0.98, 1, 2), Asil::D, 0.95);
  EXPECT_FALSE(v.met);
  EXPECT_EQ(v.message, "npu32 misses ASIL-D: SPFM 99.3% (95% lower bound 98.996%) < 99%");
  // PMHF bound 9.96 FIT passes < 10 FIT: shown as 9.96, not 10.0.
  const Verdict w = asil_verdict("npu32", metrics(0.995, 0.991, 0.99, 0.98, 8, 9.96), Asil::D, 0.95);
  EXPECT_TRUE(w.met);
  EXPECT_EQ(w.message,
            "npu32 meets ASIL-D: SPFM 99.5% (95% lower bound 99.1%) >= 99%, LFM 99.0% (95% lower bound 98.0%) >= 90%, "
            "PMHF 8.0 FIT (95% upper bound 9.96 FIT) < 10 FIT");
}

TEST(Asil, AsilAJudgesThePmhfOnly) {
  const Verdict v = asil_verdict("npu256", metrics(0.5, 0.4, 0.1, 0.05, 800, 950), Asil::A, 0.95);
  EXPECT_TRUE(v.met);
  EXPECT_EQ(v.message, "npu256 meets ASIL-A: PMHF 800.0 FIT (95% upper bound 950.0 FIT) < 1000 FIT");
  const Verdict w = asil_verdict("npu256", metrics(0.5, 0.4, 0.1, 0.05, 800, 1000), Asil::A, 0.95);
  EXPECT_FALSE(w.met);  // < 1000, strictly
}

}  // namespace
}  // namespace npufi
