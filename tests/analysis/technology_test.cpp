#include "analysis/technology.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

namespace npufi {
namespace {

using ::testing::HasSubstr;

std::string error_of(const std::string& text) {
  try {
    parse_technology(text, "tech.toml");
  } catch (const TechnologyError& e) {
    return e.what();
  }
  return "no error";
}

TEST(Technology, ReadsRatesPerMbit) {
  const Technology t = parse_technology(
      "name = \"test-node\"\n[transient]\nflop = 800\nsram = 1200.5\n[permanent]\nflop = 2\nsram = 4\n", "tech.toml");
  EXPECT_EQ(t.name, "test-node");
  EXPECT_EQ(t.file, "tech.toml");
  // FIT per bit = FIT per Mbit / 10^6.
  EXPECT_DOUBLE_EQ(t.fit_per_bit(StorageKind::flop, FaultDuration::transient), 800e-6);
  EXPECT_DOUBLE_EQ(t.fit_per_bit(StorageKind::sram, FaultDuration::transient), 1200.5e-6);
  EXPECT_DOUBLE_EQ(t.fit_per_bit(StorageKind::flop, FaultDuration::permanent), 2e-6);
  EXPECT_DOUBLE_EQ(t.fit_per_bit(StorageKind::sram, FaultDuration::permanent), 4e-6);
}

TEST(Technology, PermanentRatesAreOptional) {
  const Technology t = parse_technology("[transient]\nflop = 1\nsram = 0\n", "dir/node7.toml");
  EXPECT_EQ(t.name, "node7");  // the file's stem when there is no name
  EXPECT_FALSE(t.permanent);
  try {
    t.fit_per_bit(StorageKind::flop, FaultDuration::permanent);
    FAIL() << "no error";
  } catch (const TechnologyError& e) {
    EXPECT_STREQ(e.what(), "dir/node7.toml: gives no [permanent] rates, but permanent faults were injected");
  }
}

TEST(Technology, ErrorsNameFileLineAndKey) {
  EXPECT_EQ(error_of("[transient]\nflop = -1\nsram = 3\n"),
            "tech.toml:2: 'transient.flop' must be a number >= 0 (FIT per Mbit)");
  EXPECT_EQ(error_of("[transient]\nflop = 1\nsram = \"many\"\n"),
            "tech.toml:3: 'transient.sram' must be a number >= 0 (FIT per Mbit)");
  EXPECT_EQ(error_of("[transient]\nflop = 1\n"), "tech.toml:1: 'transient.sram' is required");
  EXPECT_EQ(error_of("[transient]\nflop = 1\nsram = 1\nlatch = 2\n"),
            "tech.toml:4: 'transient.latch' is not a known key (flop, sram)");
  EXPECT_EQ(error_of("name = \"x\"\n"), "tech.toml: 'transient' is required: [transient] flop = ..., sram = ...");
  EXPECT_EQ(error_of("[transient]\nflop = 1\nsram = 1\n[permanent]\nsram = 1\n"),
            "tech.toml:4: 'permanent.flop' is required");
  EXPECT_THAT(error_of("[transient]\nflop = 1\nsram = 1\naltitude = 3000\n"),
              HasSubstr("tech.toml:4: 'transient.altitude' is not a known key"));
  EXPECT_THAT(error_of("voltage = 0.8\n"), HasSubstr("tech.toml:1: 'voltage' is not a known key"));
  EXPECT_EQ(error_of("name = 3\n[transient]\nflop = 1\nsram = 1\n"), "tech.toml:1: 'name' must be a string");
  EXPECT_THAT(error_of("[transient\nflop = 1\n"), HasSubstr("tech.toml:1: malformed TOML: "));
  EXPECT_THROW(load_technology("/nonexistent/tech.toml"), TechnologyError);
}

TEST(Technology, ShippedPresetsLoad) {
  const Technology typical = load_technology(default_technology_path());
  EXPECT_EQ(typical.name, "sea-level-typical");
  EXPECT_EQ(typical.transient.sram, 1000.0);
  EXPECT_EQ(typical.transient.flop, 1000.0);
  ASSERT_TRUE(typical.permanent);
  EXPECT_EQ(typical.permanent->flop, 10.0);
  const Technology conservative = load_technology(
      (std::filesystem::path(default_technology_path()).parent_path() / "sea-level-conservative.toml").string());
  EXPECT_EQ(conservative.transient.sram, 1200.0);
  ASSERT_TRUE(conservative.permanent);
  EXPECT_EQ(conservative.permanent->flop, 10.0);
}

}  // namespace
}  // namespace npufi
