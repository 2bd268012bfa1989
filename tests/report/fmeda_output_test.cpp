// The FMEDA as CSV, Markdown and JSON.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "analysis/asil.h"
#include "report/fmeda_json.h"
#include "report/fmeda_table.h"
#include "tests/analysis/hand_worked_fmeda.h"

namespace npufi {
namespace {

using ::testing::HasSubstr;
using test::HandWorkedFmeda;

TEST_F(HandWorkedFmeda, CsvAndMarkdown) {
  const Fmeda f = build_fmeda(outcomes(), technology(), options());
  const std::string csv = fmeda_csv(f);
  EXPECT_THAT(csv, HasSubstr("element,failure mode,raw FIT transient,raw FIT permanent,safety-related,safe fraction,"
                             "safety mechanism,DC single-point,DC latent,λ_SPF,λ_RF,λ_MPF-latent,λ_S\n"));
  EXPECT_THAT(csv, HasSubstr("\ncontroller,corrupted state: soft errors,2,0,yes,0.9200,none,0.0000,0.0000,0.14,0,0,1.84\n"));
  EXPECT_THAT(csv, HasSubstr("\nweight_buffer,corrupted state: soft errors,50,0,yes,0.9800,ECC,0.9900,0.9000,0,0.01,0.099,49\n"));
  EXPECT_THAT(csv, HasSubstr("\ntotal,-,52,0,-,0.9777,-,-,-,0.14,0.01,0.099,50.84\n"));
  SafetyOptions quoted = options();
  quoted.mechanisms["weight_buffer"].name = "SEC-DED, \"72/64\"";
  EXPECT_THAT(fmeda_csv(build_fmeda(outcomes(), technology(), quoted)), HasSubstr(",\"SEC-DED, \"\"72/64\"\"\","));
  const std::string md = fmeda_markdown(f);
  EXPECT_THAT(md, HasSubstr("| element | failure mode | raw FIT transient |"));
  EXPECT_THAT(md, HasSubstr("|---|---|---:|---:|---|---:|---|---:|---:|---:|---:|---:|---:|\n"));
  EXPECT_THAT(md, HasSubstr("| controller | corrupted state: soft errors | 2 | 0 | yes | 0.9200 | none |"));
}

TEST_F(HandWorkedFmeda, Json) {
  const Fmeda f = build_fmeda(outcomes(), technology(), options());
  const nlohmann::json j = fmeda_json(f, asil_verdict("npu", f.metrics, Asil::D, 0.95));
  EXPECT_EQ(j["confidence"], 0.95);
  EXPECT_EQ(j["interval_method"], "clopper-pearson");
  EXPECT_EQ(j["strata"][1]["block"], "controller");
  EXPECT_EQ(j["strata"][1]["classes"]["sdc_critical"]["events"], 50);
  EXPECT_EQ(j["fmeda"][1]["safety_mechanism"], "ECC");
  EXPECT_NEAR(j["metrics"]["pmhf_fit"].get<double>(), 0.15, 1e-12);
  EXPECT_EQ(j["verdict"]["met"], true);
  EXPECT_EQ(j["verdict"]["targets"]["spfm"], 0.99);
  EXPECT_TRUE(fmeda_json(f, asil_verdict("npu", f.metrics, Asil::A, 0.95))["verdict"]["targets"]["lfm"].is_null());
}

}  // namespace
}  // namespace npufi
