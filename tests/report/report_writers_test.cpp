// The report document as HTML and Markdown: escaped, self-contained, the same content in both.
#include "report/report_writers.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace npufi {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

ReportDocument document() {
  ReportDocument d;
  d.title = "Safety analysis report";
  d.subtitle = "npu64 <int8>";
  d.verdict = "Verdict: npu64 misses ASIL-D";
  d.facts = {{"Target", "ASIL-D"}};
  ReportSection s{"summary", "Summary", {}};
  s.paragraph("SPFM 98 % & LFM 95 %");
  s.table({{"block", "FIT"}, {{"mac|array", "1.5"}}, {false, true}, "per block"});
  s.figure({"avf", "<?xml version=\"1.0\"?>\n<!DOCTYPE svg>\n<svg width=\"10\"></svg>\n", "critical AVF"});
  s.verbatim("a = 1\n");
  d.sections.push_back(s);
  return d;
}

TEST(ReportWriters, HtmlIsEscapedAndSelfContained) {
  const std::string html = report_html(document());
  EXPECT_THAT(html, HasSubstr("<div class=\"subtitle\">npu64 &lt;int8&gt;</div>"));
  EXPECT_THAT(html, HasSubstr("<p>SPFM 98 % &amp; LFM 95 %</p>"));
  EXPECT_THAT(html, HasSubstr("<td>mac|array</td><td class=\"num\">1.5</td>"));
  EXPECT_THAT(html, HasSubstr("<figure><svg width=\"10\"></svg>"));
  EXPECT_THAT(html, Not(HasSubstr("<?xml")));
  EXPECT_THAT(html, HasSubstr("<div class=\"verdict missed\">Verdict: npu64 misses ASIL-D</div>"));
  EXPECT_THAT(html, HasSubstr("<h2>1. Summary</h2>"));
  EXPECT_THAT(html, HasSubstr("counter(pages)"));
  EXPECT_THAT(html, Not(HasSubstr("<script")));
}

TEST(ReportWriters, MarkdownHasTheSameContent) {
  const std::string md = report_markdown(document());
  EXPECT_THAT(md, HasSubstr("# Safety analysis report\n\nnpu64 <int8>\n\n**Verdict: npu64 misses ASIL-D**\n"));
  EXPECT_THAT(md, HasSubstr("## 1. Summary\n\nSPFM 98 % & LFM 95 %\n"));
  EXPECT_THAT(md, HasSubstr("| block | FIT |\n|---|---:|\n| mac\\|array | 1.5 |\n"));
  EXPECT_THAT(md, HasSubstr("![critical AVF](plots/avf.svg)"));
  EXPECT_THAT(md, HasSubstr("```\na = 1\n```\n"));
}

}  // namespace
}  // namespace npufi
