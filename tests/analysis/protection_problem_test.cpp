#include "analysis/protection_problem.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "analysis/proportion_interval.h"

namespace npufi {
namespace {

using ::testing::HasSubstr;

// A hand-worked plan. Raw rates: flip-flops 1000, SRAM 500 FIT per Mbit.
//   controller:    2,000 flop bits, lambda = 2 FIT; 1000 injections: 50 sdc_critical + 20 due_hang violate
//                  (AVF 0.07), 10 due_detected. Hardened flops (transient rate x 0.1): lambda = 0.2 FIT,
//                  lambda_SPF = 0.2 x 0.07 = 0.014. Area: 2000 x 6.5 = 13,000 GE, hardening adds 100 %.
//   weight_buffer: 100,000 SRAM bits, lambda = 50 FIT; 1000 injections, 20 sdc_critical (AVF 0.02): 1 FIT
//                  violating. SECDED (coverage 0.99, latent 0.9): lambda_RF = 0.01, latent 0.99 x 0.1 = 0.099.
//                  Area: 100,000 x 0.6 = 60,000 GE, ECC adds 12.5 % = 7,500 GE.
// After protection: sum lambda = 50.2, residual 0.014 + 0.01 = 0.024 FIT.
//   SPFM = 1 - 0.024 / 50.2 = 0.999521912;  LFM = 1 - 0.099 / (50.2 - 0.024) = 0.998026946;  PMHF = 0.024 FIT.
//   Area added 20,500 GE of 73,000: 28.08 %.
class HandWorkedPlan : public ::testing::Test {
 protected:
  static std::vector<BlockOutcomes> outcomes() {
    return {{"controller", StorageKind::flop, FaultDuration::transient, 2000, 1000, {900, 20, 50, 10, 20}},
            {"weight_buffer", StorageKind::sram, FaultDuration::transient, 100000, 1000, {950, 30, 20, 0, 0}}};
  }
  static std::vector<BlockArea> areas() {
    return {{"weight_buffer", 0, 100000, 0, 60000, 0, ""}, {"controller", 2000, 0, 13000, 0, 0, ""}};
  }
  static ProtectionProblem problem() {
    return make_protection_problem(outcomes(), parse_technology("[transient]\nflop = 1000\nsram = 500\n", "tech.toml"),
                                   load_protection_catalog(default_protection_catalog_path()), areas());
  }
  static const BlockChoice& choice(const ProtectionProblem& p, size_t block, const std::string& option) {
    for (const BlockChoice& c : p.choices[block])
      if (c.option.name == option) return c;
    throw std::logic_error("no option " + option);
  }
};

TEST_F(HandWorkedPlan, ChoicesPerBlock) {
  const ProtectionProblem p = problem();
  ASSERT_EQ(p.blocks.size(), 2u);
  EXPECT_EQ(p.blocks[0].block, "controller");  // sorted
  EXPECT_DOUBLE_EQ(p.npu_area, 73000);
  std::vector<std::string> flop, sram;
  for (const BlockChoice& c : p.choices[0]) flop.push_back(c.option.name);
  for (const BlockChoice& c : p.choices[1]) sram.push_back(c.option.name);
  EXPECT_THAT(flop, ::testing::ElementsAre("none", "parity-registers", "hardened-flops", "duplication", "triplication"));
  EXPECT_THAT(sram, ::testing::ElementsAre("none", "parity-sram", "secded-sram", "duplication", "triplication"));
  ASSERT_EQ(p.lockstep.size(), 2u);
  EXPECT_DOUBLE_EQ(p.lockstep[0].area + p.lockstep[1].area, 73000);  // DCLS doubles the NPU
  EXPECT_NEAR(p.unprotected.metrics.pmhf, 0.14 + 1.0, 1e-12);
}

TEST_F(HandWorkedPlan, MetricsAfterProtection) {
  const ProtectionProblem p = problem();
  const BlockChoice& hardened = choice(p, 0, "hardened-flops");
  const BlockChoice& ecc = choice(p, 1, "secded-sram");
  EXPECT_DOUBLE_EQ(hardened.area, 13000);
  EXPECT_DOUBLE_EQ(ecc.area, 7500);
  EXPECT_NEAR(hardened.row.lambda(), 0.2, 1e-12);
  EXPECT_NEAR(hardened.row.spf, 0.014, 1e-12);
  EXPECT_NEAR(ecc.row.rf, 0.01, 1e-12);
  EXPECT_NEAR(ecc.row.mpf_latent, 0.099, 1e-12);

  const ProtectionPlan plan = make_plan(p, "hand", {hardened, ecc});
  EXPECT_DOUBLE_EQ(plan.area, 20500);
  EXPECT_NEAR(plan.overhead, 20500.0 / 73000, 1e-12);
  EXPECT_NEAR(plan.metrics.spfm, 1 - 0.024 / 50.2, 1e-12);
  EXPECT_NEAR(plan.metrics.lfm, 1 - 0.099 / (50.2 - 0.024), 1e-12);
  EXPECT_NEAR(plan.metrics.pmhf, 0.024, 1e-12);

  // Bounds: each of the 2 strata's violating AVF at its one-sided 97.5 % Clopper-Pearson bound.
  const double u_controller = proportion_upper_bound(70, 1000, 0.975, IntervalMethod::clopper_pearson);
  const double u_buffer = proportion_upper_bound(20, 1000, 0.975, IntervalMethod::clopper_pearson);
  const double residual = 0.2 * u_controller + 50 * u_buffer * 0.01;
  EXPECT_NEAR(plan.metrics.pmhf_upper, residual, 1e-12);
  EXPECT_NEAR(plan.metrics.spfm_lower, 1 - residual / 50.2, 1e-12);
  EXPECT_NEAR(plan.metrics.lfm_lower, 1 - 50 * u_buffer * 0.99 * 0.1 / (50.2 - residual), 1e-12);
}

TEST_F(HandWorkedPlan, BlocksMustMatchTheCampaign) {
  const Technology tech = parse_technology("[transient]\nflop = 1000\nsram = 500\n", "tech.toml");
  const ProtectionCatalog catalog = load_protection_catalog(default_protection_catalog_path());
  std::vector<BlockArea> more = areas();
  more.push_back({"dma", 300, 0, 1950, 0, 0, ""});
  try {
    make_protection_problem(outcomes(), tech, catalog, more);
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "the campaign has no injections in block dma: a plan must cover every block (inject into all of them)");
  }
  try {
    make_protection_problem(outcomes(), tech, catalog, {areas()[0]});
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "block controller was measured but has no area");
  }
  const ProtectionCatalog named = parse_protection_catalog(
      "[[option]]\nname = \"none\"\nkind = \"none\"\napplies_to = [\"flop\", \"sram\"]\n"
      "[[option]]\nname = \"p\"\nkind = \"parity\"\napplies_to = [\"flop\"]\nblocks = [\"sequencer\"]\n"
      "action = \"detect\"\ncoverage = 0.6\n"
      "[[option]]\nname = \"dcls\"\nkind = \"lockstep\"\napplies_to = [\"flop\", \"sram\"]\n",
      "mine.toml");
  try {
    make_protection_problem(outcomes(), tech, named, areas());
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "mine.toml:5: option 'p' names block sequencer, which the campaign did not measure");
  }
  const ProtectionCatalog flops_only = parse_protection_catalog(
      "[[option]]\nname = \"hard\"\nkind = \"hardened\"\napplies_to = [\"flop\"]\ntransient_rate_factor = 0.1\n"
      "[[option]]\nname = \"dcls\"\nkind = \"lockstep\"\napplies_to = [\"flop\", \"sram\"]\n",
      "flops.toml");
  EXPECT_THAT([&] { make_protection_problem(outcomes(), tech, flops_only, areas()); },
              ::testing::ThrowsMessage<std::invalid_argument>(HasSubstr("no option of flops.toml applies to block weight_buffer")));
}

// Register groups, hand-worked. mac_array: 1,000 flop bits (6,500 GE) and 10,000 GE of MAC logic, split into
// products (800 bits: 5,200 GE of flops, 8,000 GE of logic) and out_valid (200 bits: 1,300 + 2,000 GE).
// Flip-flops at 1000 FIT per Mbit: products lambda = 0.8 FIT, 10 of 100 injections critical: lambda_SPF 0.08.
// out_valid was never injected: violating AVF 1, lambda_SPF = 0.2 in the point estimate and the bound, and
// its stratum takes no share of the joint confidence (k = 1). SPFM = 1 - 0.28 / 1.0 = 0.72.
TEST(RegisterGroups, ShareTheirBlockAndCountUnmeasuredAsViolating) {
  BlockArea mac_array;
  mac_array.block = "mac_array";
  mac_array.flop_bits = 1000;
  mac_array.flop_ge = 6500;
  mac_array.logic_ge = 10000;
  const BlockArea products = mac_array.part("mac_array.products", StorageKind::flop, 800);
  const BlockArea out_valid = mac_array.part("mac_array.out_valid", StorageKind::flop, 200);
  EXPECT_EQ(products.parent, "mac_array");
  EXPECT_EQ(products.flop_bits, 800u);
  EXPECT_DOUBLE_EQ(products.flop_ge, 5200);
  EXPECT_DOUBLE_EQ(products.logic_ge, 8000);
  EXPECT_DOUBLE_EQ(out_valid.area(), 3300);
  EXPECT_DOUBLE_EQ(products.area() + out_valid.area(), mac_array.area());

  const std::vector<BlockOutcomes> outcomes = {
      {"mac_array.products", StorageKind::flop, FaultDuration::transient, 800, 1000, {90, 0, 10, 0, 0}},
      {"mac_array.out_valid", StorageKind::flop, FaultDuration::transient, 200, 1000, {}}};
  const Technology tech = parse_technology("[transient]\nflop = 1000\nsram = 1000\n", "tech.toml");
  // A catalog option for the block applies to its register groups.
  const ProtectionCatalog catalog = parse_protection_catalog(
      "[[option]]\nname = \"none\"\nkind = \"none\"\napplies_to = [\"flop\", \"sram\"]\n"
      "[[option]]\nname = \"p\"\nkind = \"parity\"\napplies_to = [\"flop\"]\nblocks = [\"mac_array\"]\n"
      "action = \"detect\"\ncoverage = 0.6\n"
      "[[option]]\nname = \"dcls\"\nkind = \"lockstep\"\napplies_to = [\"flop\", \"sram\"]\n",
      "mine.toml");
  EXPECT_THAT([&] { make_protection_problem(outcomes, tech, catalog, {products, out_valid}); },
              ::testing::ThrowsMessage<std::invalid_argument>(
                  HasSubstr("stratum mac_array.out_valid (flop, transient) has no injections")));
  SafetyOptions safety;
  safety.fit.allow_unmeasured = true;
  const ProtectionProblem p = make_protection_problem(outcomes, tech, catalog, {products, out_valid}, safety);
  ASSERT_EQ(p.blocks.size(), 2u);
  EXPECT_EQ(p.blocks[0].block, "mac_array.out_valid");  // sorted
  EXPECT_DOUBLE_EQ(p.npu_area, 16500);
  ASSERT_EQ(p.choices[0].size(), 2u);  // none and the block's parity
  ASSERT_EQ(p.choices[1].size(), 2u);
  const double u = proportion_upper_bound(10, 100, 0.95, IntervalMethod::clopper_pearson);
  EXPECT_NEAR(p.unprotected.metrics.pmhf, 0.28, 1e-12);
  EXPECT_NEAR(p.unprotected.metrics.spfm, 0.72, 1e-12);
  EXPECT_NEAR(p.unprotected.metrics.pmhf_upper, 0.8 * u + 0.2, 1e-12);
  // Parity on out_valid: lambda_RF = 0.2 x (1 - 0.6) = 0.08.
  const ProtectionPlan plan = make_plan(p, "hand", {p.choices[0][1], p.choices[1][0]});
  EXPECT_NEAR(plan.metrics.pmhf, 0.08 + 0.08, 1e-12);
  EXPECT_NEAR(plan.metrics.pmhf_upper, 0.8 * u + 0.08, 1e-12);
}

}  // namespace
}  // namespace npufi
