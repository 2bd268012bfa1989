#pragma once
// The certification report as a document: a title page, then sections of paragraphs, lists, tables,
// figures and verbatim text. report/report_sections.h fills it from the report's JSON; the HTML and
// Markdown writers print it, so both formats say the same thing.
#include <string>
#include <vector>

namespace npufi {

struct ReportTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<bool> numeric;  // per column: right-aligned; absent columns are text
  std::string caption;
};

struct ReportFigure {
  std::string name;  // file name of the SVG beside the Markdown report: "plots/NAME.svg"
  std::string svg;   // the SVG document, as gnuplot wrote it
  std::string caption;
};

struct ReportBlock {
  enum class Kind { paragraph, bullets, table, figure, verbatim, subheading };
  Kind kind = Kind::paragraph;
  std::string text;                // paragraph, verbatim, subheading
  std::vector<std::string> items;  // bullets
  ReportTable table;
  ReportFigure figure;
};

struct ReportSection {
  std::string id;  // anchor
  std::string title;
  std::vector<ReportBlock> blocks;

  void paragraph(const std::string& text);
  void bullets(const std::vector<std::string>& items);
  void table(const ReportTable& table);
  void figure(const ReportFigure& figure);
  void verbatim(const std::string& text);
  void subheading(const std::string& text);
};

struct ReportDocument {
  std::string title;
  std::string subtitle;
  std::string verdict;  // the verdict line, on the title page and first in the summary
  bool verdict_met = false;
  std::vector<std::pair<std::string, std::string>> facts;  // title page: label, value
  std::vector<ReportSection> sections;
};

}  // namespace npufi
