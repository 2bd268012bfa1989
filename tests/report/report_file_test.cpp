// The report file: every key read, and the errors naming file, line and key.
#include "report/report_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

namespace npufi {
namespace {

using ::testing::HasSubstr;

std::string error(const std::string& text) {
  try {
    parse_report_file(text, "item.toml");
  } catch (const ReportFileError& e) {
    return e.what();
  }
  return "no error";
}

TEST(ReportFile, ReadsEveryKey) {
  const ReportFile f = parse_report_file("item = \"npu64 classifier\"\nsafety_goal = \"no wrong class\"\nasil = \"C\"\n"
                                         "ftti_ms = 50\nassumptions = [\"a\", \"b\"]\n"
                                         "[evidence]\nbaseline = [1]\nstuck_at = [2, 3]\nverification = [4]\nhardening = [5]\n",
                                         "item.toml");
  EXPECT_EQ(f.item, "npu64 classifier");
  EXPECT_EQ(f.safety_goal, "no wrong class");
  EXPECT_EQ(f.asil, "C");
  EXPECT_EQ(f.ftti_ms, 50.0);
  EXPECT_EQ(f.assumptions, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(f.evidence.all(), (std::vector<int64_t>{1, 2, 3, 4, 5}));
  EXPECT_FALSE(parse_report_file("", "empty.toml").asil);
}

TEST(ReportFile, ErrorsNameTheLineAndKey) {
  EXPECT_EQ(error("item = \"x\"\nsafety_gaol = \"y\"\n"),
            "item.toml:2: 'safety_gaol' is not a known key (item, safety_goal, asil, ftti_ms, assumptions, [evidence]; "
            "see docs/report.md)");
  EXPECT_EQ(error("[evidence]\nbaseline = [1]\nprotected = [2]\n"),
            "item.toml:3: 'evidence.protected' is not a known key (baseline, stuck_at, verification, hardening)");
  EXPECT_EQ(error("[evidence]\nbaseline = [0]\n"), "item.toml:2: 'evidence.baseline' must hold campaign ids (integers >= 1)");
  EXPECT_EQ(error("ftti_ms = -1\n"), "item.toml:1: 'ftti_ms' must be a number > 0 (milliseconds)");
  EXPECT_EQ(error("item = 3\n"), "item.toml:1: 'item' must be a string");
  EXPECT_THAT(error("item = \"x\n"), HasSubstr("item.toml:1: malformed TOML"));
}

TEST(ReportFile, ShippedExamplesParse) {
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(NPUFI_REPORT_EXAMPLES_DIR)) {
    SCOPED_TRACE(entry.path().string());
    const ReportFile f = load_report_file(entry.path().string());
    EXPECT_FALSE(f.item.empty());
    EXPECT_FALSE(f.evidence.all().empty());
    ++files;
  }
  EXPECT_GE(files, 1);
}

}  // namespace
}  // namespace npufi
