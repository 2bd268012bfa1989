#include "analysis/protection_catalog.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace npufi {
namespace {

using ::testing::HasSubstr;

std::string error_of(const std::string& text) {
  try {
    parse_protection_catalog(text, "catalog.toml");
  } catch (const ProtectionCatalogError& e) {
    return e.what();
  }
  return "no error";
}

// A valid catalog's last option is the lockstep baseline; tests put a faulty option before it.
const std::string kLockstep =
    "[[option]]\nname = \"dcls\"\nkind = \"lockstep\"\napplies_to = [\"flop\", \"sram\"]\naction = \"detect\"\n"
    "coverage = 0.99\n";

TEST(ProtectionCatalog, TheShippedCatalogHasEveryKindAndItsNumbers) {
  const ProtectionCatalog c = load_protection_catalog(default_protection_catalog_path());
  std::vector<std::string> names;
  for (const ProtectionOption& o : c.options) names.push_back(o.name);
  EXPECT_THAT(names, ::testing::ElementsAre("none", "parity-registers", "parity-sram", "secded-sram", "hardened-flops",
                                            "duplication", "triplication", "dcls"));
  const ProtectionOption& secded = c.options[3];
  EXPECT_EQ(secded.kind, ProtectionKind::ecc);
  EXPECT_EQ(secded.action, ProtectionAction::correct);
  EXPECT_FALSE(secded.flop);
  EXPECT_TRUE(secded.sram);
  EXPECT_DOUBLE_EQ(secded.coverage, 0.99);
  EXPECT_DOUBLE_EQ(secded.area.sram_area, 0.125);
  const ProtectionOption& hardened = c.options[4];
  EXPECT_DOUBLE_EQ(hardened.transient_rate_factor, 0.1);
  EXPECT_DOUBLE_EQ(hardened.permanent_rate_factor, 1.0);
  EXPECT_EQ(hardened.action, ProtectionAction::none);
  EXPECT_EQ(c.lockstep().name, "dcls");
  EXPECT_EQ(c.name, "npufi default catalog");

  // Area: 1000 flop bits of 6.5 GE and 64 MACs of 555 GE; duplication copies all and compares every bit.
  const BlockArea mac{"mac_array", 1000, 0, 6500, 0, 64 * 555.0, ""};
  EXPECT_DOUBLE_EQ(c.options[5].area.of(mac), 6500 + 64 * 555.0 + 2.5 * 1000);
  EXPECT_TRUE(hardened.applies_to(mac));
  EXPECT_FALSE(secded.applies_to(mac));
  const BlockArea buffer{"weight_buffer", 0, 65536, 0, 65536 * 0.6, 0, ""};
  EXPECT_TRUE(secded.applies_to(buffer));
  EXPECT_FALSE(hardened.applies_to(buffer));
  EXPECT_DOUBLE_EQ(secded.area.of(buffer), 0.125 * 65536 * 0.6);
}

TEST(ProtectionCatalog, BlocksRestrictAnOption) {
  const ProtectionCatalog c = parse_protection_catalog(
      "[[option]]\nname = \"cfg-parity\"\nkind = \"parity\"\napplies_to = [\"flop\"]\nblocks = [\"controller\"]\n"
      "action = \"detect\"\ncoverage = 0.6\n" + kLockstep,
      "catalog.toml");
  EXPECT_TRUE(c.options[0].applies_to({"controller", 10, 0, 65, 0, 0, ""}));
  EXPECT_FALSE(c.options[0].applies_to({"dma", 10, 0, 65, 0, 0, ""}));
  // A register group is named by its block.
  EXPECT_TRUE(c.options[0].applies_to({"controller.state", 4, 0, 26, 0, 0, "controller"}));
  EXPECT_FALSE(c.options[0].applies_to({"dma.req_addr", 32, 0, 208, 0, 0, "dma"}));
  EXPECT_EQ(c.options[0].line, 1);
  EXPECT_EQ(c.options[1].line, 8);
}

TEST(ProtectionCatalog, ErrorsNameFileLineAndKey) {
  const std::string head = "[[option]]\nname = \"x\"\nkind = \"parity\"\napplies_to = [\"flop\"]\n";
  EXPECT_EQ(error_of(head + "[option.area]\nflop_area = -0.5\n" + kLockstep),
            "catalog.toml:6: 'option.area.flop_area' must be a number >= 0 (an area cannot be negative)");
  EXPECT_EQ(error_of(head + "action = \"detect\"\ncoverage = 1.2\n" + kLockstep),
            "catalog.toml:6: 'option.coverage' must be a fraction in [0, 1]");
  EXPECT_EQ(error_of(head + "action = \"detect\"\ncoverage = 0.5\ndc_latent = -0.1\n" + kLockstep),
            "catalog.toml:7: 'option.dc_latent' must be a fraction in [0, 1]");
  EXPECT_EQ(error_of("[[option]]\nname = \"x\"\nkind = \"shielding\"\napplies_to = [\"flop\"]\n" + kLockstep),
            "catalog.toml:3: 'option.kind' is not a known option kind: 'shielding' (none, parity, ecc, hardened, "
            "duplication, triplication, lockstep)");
  EXPECT_EQ(error_of(head + "transient_rate_factor = 0\n" + kLockstep),
            "catalog.toml:5: 'option.transient_rate_factor' must be a number > 0");
  EXPECT_EQ(error_of(head + "action = \"detect\"\n" + kLockstep),
            "catalog.toml:1: 'option.coverage' must be above 0 when the option detects or corrects (option 'x')");
  EXPECT_EQ(error_of(head + "coverage = 0.5\n" + kLockstep),
            "catalog.toml:5: 'option.coverage' needs action = \"detect\" or \"correct\" (option 'x')");
  EXPECT_EQ(error_of(head + "action = \"fix\"\n" + kLockstep),
            "catalog.toml:5: 'option.action' must be \"none\", \"detect\" or \"correct\", got 'fix'");
  EXPECT_EQ(error_of("[[option]]\nname = \"x\"\nkind = \"none\"\napplies_to = [\"latch\"]\n" + kLockstep),
            "catalog.toml:4: 'option.applies_to' must list \"flop\" and/or \"sram\", got 'latch'");
  EXPECT_EQ(error_of("[[option]]\nname = \"x\"\nkind = \"none\"\n" + kLockstep),
            "catalog.toml:1: 'option.applies_to' is required: [\"flop\"], [\"sram\"] or both");
  EXPECT_EQ(error_of(head + "cost = 3\n" + kLockstep),
            "catalog.toml:5: 'option.cost' is not a known key (name, kind, applies_to, blocks, transient_rate_factor, "
            "permanent_rate_factor, action, coverage, dc_latent, area)");
  EXPECT_EQ(error_of(head + "[option.area]\ngates = 3\n" + kLockstep),
            "catalog.toml:6: 'option.area.gates' is not a known key (flop_area, sram_area, logic_area, "
            "ge_per_flop_bit, ge_per_sram_bit)");
  EXPECT_EQ(error_of(head + head + kLockstep), "catalog.toml:5: 'option.name' 'x' is defined twice");
  EXPECT_EQ(error_of(head), "catalog.toml: 'option.kind' lockstep is required once: the whole-NPU baseline (DCLS)");
  EXPECT_EQ(error_of(kLockstep + kLockstep), "catalog.toml:7: 'option.name' 'dcls' is defined twice");
  EXPECT_EQ(error_of("name = \"c\"\n"), "catalog.toml: 'option' is required: at least one [[option]]");
  EXPECT_EQ(error_of("tier = 1\n" + kLockstep), "catalog.toml:1: 'tier' is not a known key (name, [[option]]; see docs/protection.md)");
  EXPECT_THAT(error_of("[[option]\n"), HasSubstr("catalog.toml:1: malformed TOML"));
  try {
    load_protection_catalog("/nonexistent/catalog.toml");
    FAIL();
  } catch (const ProtectionCatalogError& e) {
    EXPECT_STREQ(e.what(), "/nonexistent/catalog.toml: cannot read the protection catalog");
  }
}

}  // namespace
}  // namespace npufi
