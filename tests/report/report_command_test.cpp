// `npufi report` end to end on small campaigns: its JSON equals analyze, protect and export; the HTML renders
// in headless Chromium and is not blank; the PDF has its pages and verdict line; bad input is refused in one
// line with nothing written.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <regex>

#include "analysis/digest.h"
#include "tests/support/npufi_process.h"

namespace npufi {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;
using test::read_file;

// The share of pixels of an 8-bit RGB or RGBA PNG (as Chromium writes them) that are not near-white.
double inked_share(const std::string& png) {
  const auto u32 = [&](size_t at) {
    return uint32_t(uint8_t(png[at])) << 24 | uint32_t(uint8_t(png[at + 1])) << 16 | uint32_t(uint8_t(png[at + 2])) << 8 |
           uint32_t(uint8_t(png[at + 3]));
  };
  const uint32_t width = u32(16), height = u32(20);
  const int channels = png[25] == 6 ? 4 : 3;
  if (png[24] != 8 || (png[25] != 2 && png[25] != 6) || png[28] != 0) return -1;  // not what Chromium writes
  std::string deflated;
  for (size_t at = 8; at + 8 <= png.size();) {
    const uint32_t length = u32(at);
    if (png.compare(at + 4, 4, "IDAT") == 0) deflated += png.substr(at + 8, length);
    at += 12 + length;
  }
  const size_t stride = size_t(width) * channels;
  std::vector<uint8_t> raw((stride + 1) * height);
  uLongf size = raw.size();
  if (uncompress(raw.data(), &size, reinterpret_cast<const Bytef*>(deflated.data()), deflated.size()) != Z_OK) return -1;
  std::vector<uint8_t> previous(stride, 0), line(stride);
  uint64_t inked = 0;
  for (uint32_t y = 0; y < height; ++y) {
    const uint8_t filter = raw[y * (stride + 1)];
    const uint8_t* in = &raw[y * (stride + 1) + 1];
    for (size_t x = 0; x < stride; ++x) {
      const int a = x >= size_t(channels) ? line[x - channels] : 0, b = previous[x],
                c = x >= size_t(channels) ? previous[x - channels] : 0;
      const int p = a + b - c, pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
      const int predictor = filter == 1 ? a : filter == 2 ? b : filter == 3 ? (a + b) / 2
                          : filter == 4 ? (pa <= pb && pa <= pc ? a : pb <= pc ? b : c) : 0;
      line[x] = uint8_t(in[x] + predictor);
    }
    for (uint32_t x = 0; x < width; ++x) {
      const uint8_t* px = &line[size_t(x) * channels];
      if (px[0] < 200 || px[1] < 200 || px[2] < 200) ++inked;
    }
    previous = line;
  }
  return double(inked) / (double(width) * height);
}

class ReportCommandTest : public ::testing::Test {
 protected:
  // One stratified SEU campaign on npu32 (1), a weight campaign (2), and an npu64 campaign (3) that cannot be
  // pooled with the first; then the report of 1 and 2, in every format.
  static void SetUpTestSuite() {
    dir_ = test::make_scratch_dir("report_test");
    std::ofstream(path("seu.toml")) << "name = \"rtl-seu\"\ntarget = \"rtl\"\nmodel = \"lenet5.pt\"\nnpu = \"npu32\"\n"
                                       "calibration = 50\nimages = \"0:2\"\nseed = 5\ninjections = 900\n"
                                       "sampling = \"stratified\"\n";
    std::ofstream(path("ber.toml")) << "name = \"weights-ber\"\nmodel = \"lenet5.pt\"\nimages = \"0:100\"\nbatch_size = 100\n"
                                       "formats = [\"int8\"]\nber = [1e-4, 1e-3]\nrepetitions = 3\n";
    std::ofstream(path("npu64.toml")) << "target = \"rtl\"\nmodel = \"lenet5.pt\"\nnpu = \"npu64\"\ncalibration = 50\n"
                                         "images = \"0:1\"\ninjections = 8\n";
    for (const char* file : {"seu.toml", "ber.toml", "npu64.toml"}) {
      const test::CliResult r = npufi("campaign run " + path(file).string() + " --db " + db() + " --threads 2");
      ASSERT_EQ(r.code, 0) << file << r.err;
    }
    std::ofstream(path("item.toml")) << "item = \"LeNet-5 classifier on the npu32 NPU\"\n"
                                        "safety_goal = \"No wrong class reported for a valid image\"\nasil = \"D\"\n"
                                        "ftti_ms = 100\nassumptions = [\"Images arrive within the FTTI\"]\n"
                                        "[evidence]\nbaseline = [1]\nhardening = [2]\n";
    report_ = npufi("report --db " + db() + " --report " + path("item.toml").string() + " --out " +
                    path("out").string() + " --replays 4 --threads 2");
  }
  static void TearDownTestSuite() { fs::remove_all(dir_); }

  static fs::path path(const std::string& name) { return dir_ / name; }
  static std::string db() { return path("runs.db").string(); }
  static test::CliResult npufi(const std::string& args) { return test::run_npufi(dir_, args); }
  static nlohmann::json json_of(const std::string& args) {
    const test::CliResult r = npufi(args);
    EXPECT_TRUE(r.code == 0 || r.code == 3) << args << r.err;
    return nlohmann::json::parse(r.out);
  }

  // Expects a one-line error, exit code `code`, and no folder `out` nor anything left beside it.
  static std::string refused(const std::string& args, int code, const fs::path& out, const std::string& env = "") {
    const test::CliResult r = test::run_npufi(dir_, args + " --out " + out.string(), env);
    EXPECT_EQ(r.code, code) << r.err;
    const auto start = r.err.rfind('\n', r.err.size() >= 2 ? r.err.size() - 2 : 0);
    const std::string last = r.err.substr(start == std::string::npos ? 0 : start + 1);
    EXPECT_EQ(last.rfind("npufi: error: ", 0), 0u) << r.err;
    EXPECT_EQ(std::count(last.begin(), last.end(), '\n'), 1) << r.err;
    EXPECT_FALSE(fs::exists(out)) << out;
    for (const fs::directory_entry& e : fs::directory_iterator(dir_))
      EXPECT_EQ(e.path().filename().string().find(".tmp-"), std::string::npos) << e.path();
    return last;
  }

  static fs::path dir_;
  static test::CliResult report_;
};

fs::path ReportCommandTest::dir_;
test::CliResult ReportCommandTest::report_;

TEST_F(ReportCommandTest, WritesEveryFormatAndTheAppendix) {
  ASSERT_EQ(report_.code, 0) << report_.err;
  EXPECT_THAT(report_.out, HasSubstr("report written to " + path("out").string()));
  EXPECT_THAT(report_.out, HasSubstr("tool confidence: 4 of 4 re-simulated injections identical (naive simulation: 4)"));
  for (const char* file : {"report.html", "report.pdf", "report.md", "report.json", "fmeda.csv", "campaign-1.csv",
                           "campaign-2.csv", "injections-1.csv", "campaigns/campaign-1.toml", "plots/critical-avf.svg",
                           "plots/pareto-front.svg", "plots/hardening.svg"})
    EXPECT_TRUE(fs::exists(path("out") / file)) << file;
  EXPECT_FALSE(fs::exists(path("out") / ".chromium"));
  EXPECT_FALSE(fs::exists(path("out") / ".plots"));
  EXPECT_EQ(read_file(path("out") / "campaign-1.csv"), npufi("export --db " + db() + " --campaign 1 --format csv").out);
  const std::string injections = read_file(path("out") / "injections-1.csv");
  EXPECT_EQ(std::count(injections.begin(), injections.end(), '\n'), 901);  // the header and every injection
  const std::string md = read_file(path("out") / "report.md");
  EXPECT_THAT(md, HasSubstr("## 1. Summary"));
  EXPECT_THAT(md, HasSubstr("LeNet-5 classifier on the npu32 NPU"));
  EXPECT_THAT(md, HasSubstr("![Pareto front"));
  EXPECT_THAT(md, HasSubstr("Hardening of the network"));
}

// Every number of the report's JSON is what the other commands give for the same campaigns.
TEST_F(ReportCommandTest, JsonEqualsAnalyzeProtectAndExport) {
  ASSERT_EQ(report_.code, 0) << report_.err;
  const nlohmann::json report = nlohmann::json::parse(read_file(path("out") / "report.json"));
  EXPECT_EQ(report["analysis"], json_of("analyze --db " + db() + " --campaign 1 --json"));
  EXPECT_EQ(report["protection"], json_of("protect --db " + db() + " --campaign 1 --json"));
  for (const char* id : {"1", "2"})
    EXPECT_EQ(report["exports"][id], json_of("export --db " + db() + " --campaign " + id + " --format json")) << id;
  // The plan beside the report is the file protect writes: a verification campaign run with either records
  // the digest the report names.
  ASSERT_TRUE(npufi("protect --db " + db() + " --campaign 1 --out " + path("plan.json").string()).code == 0);
  EXPECT_EQ(read_file(path("out") / "protection-plan.json"), read_file(path("plan.json")));
  EXPECT_EQ(report["protection_plan_digest"], file_digest(path("plan.json").string()));
  EXPECT_EQ(report["campaign_sets"]["analysed"], nlohmann::json::array({1}));
  EXPECT_EQ(report["campaign_sets"]["weight"], nlohmann::json::array({2}));
  EXPECT_EQ(report["tool_confidence"]["replay"]["identical"], 4);
  EXPECT_EQ(report["tool_confidence"]["reference"][0]["matching"], 2);  // both images bit-exact
  // The sampling table: every stratum's population, its injections summing to the campaign's.
  int64_t injections = 0;
  for (const nlohmann::json& s : report["sampling"]["strata"]) {
    EXPECT_GT(s["population"].get<int64_t>(), 0);
    injections += s["injections"].get<int64_t>();
  }
  EXPECT_EQ(injections, 900);
  EXPECT_EQ(report["report_file"]["ftti_ms"], 100);
}

TEST_F(ReportCommandTest, HtmlIsSelfContainedAndRendersInChromium) {
  ASSERT_EQ(report_.code, 0) << report_.err;
  const std::string html = read_file(path("out") / "report.html");
  EXPECT_THAT(html, Not(HasSubstr("<script")));
  EXPECT_THAT(html, Not(HasSubstr("<img")));
  EXPECT_THAT(html, Not(HasSubstr("<link")));
  EXPECT_FALSE(std::regex_search(html, std::regex("(src|href)=\"[a-z]+:")));
  EXPECT_GE(std::count(html.begin(), html.end(), '\n'), 100);
  EXPECT_THAT(html, HasSubstr("<svg"));
  const fs::path png = path("screenshot.png");
  const std::string command = "chromium --headless --no-sandbox --disable-gpu --enable-logging=stderr --v=0 "
                              "--user-data-dir=" + path("profile").string() + " --window-size=900,1400 --screenshot=" +
                              png.string() + " file://" + (path("out") / "report.html").string() + " >" +
                              path("chromium.log").string() + " 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0) << read_file(path("chromium.log"));
  EXPECT_THAT(read_file(path("chromium.log")), Not(HasSubstr(":CONSOLE")));
  const double inked = inked_share(read_file(png));
  EXPECT_GT(inked, 0.005);  // the title page's text and verdict box
  EXPECT_LT(inked, 0.6);
}

TEST_F(ReportCommandTest, PdfHasItsPagesAndTheVerdictLine) {
  ASSERT_EQ(report_.code, 0) << report_.err;
  const fs::path pdf = path("out") / "report.pdf";
  ASSERT_EQ(std::system(("pdfinfo " + pdf.string() + " > " + path("pdfinfo.txt").string()).c_str()), 0);
  std::smatch pages;
  const std::string info = read_file(path("pdfinfo.txt"));
  ASSERT_TRUE(std::regex_search(info, pages, std::regex("Pages:\\s+(\\d+)")));
  EXPECT_GE(std::stoi(pages[1]), 8);
  EXPECT_LE(std::stoi(pages[1]), 40);
  ASSERT_EQ(std::system(("pdftotext " + pdf.string() + " " + path("report.txt").string()).c_str()), 0);
  std::string text = std::regex_replace(read_file(path("report.txt")), std::regex("\\s+"), " ");
  const nlohmann::json report = nlohmann::json::parse(read_file(path("out") / "report.json"));
  EXPECT_THAT(text, HasSubstr("Verdict: " + report["analysis"]["verdict"]["message"].get<std::string>()));
  EXPECT_THAT(text, HasSubstr("page 2 of " + std::string(pages[1])));
}

TEST_F(ReportCommandTest, BadInputIsRefusedInOneLineWithNothingWritten) {
  const fs::path out = path("refused");
  EXPECT_THAT(refused("report --db " + db() + " --campaign 1,9", 2, out), HasSubstr("campaign 9 is not in"));
  EXPECT_THAT(refused("report --db " + db() + " --campaign 1,3 --skip-validation", 2, out),
              HasSubstr("campaign 3 ran on npu64, campaign 1 on npu32"));
  std::ofstream(path("typo.toml")) << "item = \"x\"\nsafety_gaol = \"y\"\n";
  EXPECT_THAT(refused("report --db " + db() + " --campaign 1 --report " + path("typo.toml").string(), 2, out),
              HasSubstr("typo.toml:2: 'safety_gaol' is not a known key"));
  std::ofstream(path("a-file")) << "not a folder\n";
  EXPECT_THAT(refused("report --db " + db() + " --campaign 1 --skip-validation --format json", 1, path("a-file") / "out"),
              HasSubstr("cannot create a folder in " + path("a-file").string()));
  EXPECT_THAT(refused("report --db " + db() + " --campaign 1 --format html,docx", 2, out), HasSubstr("--format"));
  EXPECT_THAT(refused("report --db " + db() + " --campaign 1 --skip-validation", 1, out, "env PATH=/nonexistent"),
              HasSubstr("chromium is not installed; it prints the PDF (Debian package chromium)"));
}

}  // namespace
}  // namespace npufi
