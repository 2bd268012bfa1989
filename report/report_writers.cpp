#include "report/report_writers.h"

namespace npufi {

namespace {

// Print layout: A4, page numbers in the bottom margin (CSS paged media, which Chromium prints), the title
// page on its own, each section from a new page only where it would not fit; tables and figures kept whole.
constexpr const char* kStyle = R"(
@page { size: A4; margin: 18mm 16mm 20mm 16mm;
  @bottom-right { content: "page " counter(page) " of " counter(pages); font: 8pt sans-serif; color: #444; }
  @bottom-left { content: "npufi safety report"; font: 8pt sans-serif; color: #444; } }
@page :first { @bottom-right { content: none; } @bottom-left { content: none; } }
html { font: 10pt/1.4 "DejaVu Sans", "Liberation Sans", sans-serif; color: #111; }
body { max-width: 180mm; margin: 0 auto; padding: 0 4mm; }
.title-page { break-after: page; padding-top: 45mm; }
.title-page h1 { font-size: 22pt; margin: 0 0 4mm; }
.title-page .subtitle { font-size: 13pt; color: #333; margin-bottom: 14mm; }
.verdict { border: 2px solid #111; padding: 3mm 4mm; font-weight: bold; margin: 6mm 0; }
.verdict.missed { border-style: dashed; }
dl.facts { display: grid; grid-template-columns: 42mm 1fr; gap: 1.5mm 4mm; }
dl.facts dt { font-weight: bold; } dl.facts dd { margin: 0; }
h2 { font-size: 14pt; border-bottom: 1px solid #999; margin: 8mm 0 3mm; break-after: avoid; }
h3 { font-size: 11pt; margin: 5mm 0 2mm; break-after: avoid; }
p, li { orphans: 3; widows: 3; }
table { border-collapse: collapse; margin: 2mm 0 4mm; font-size: 8pt; break-inside: avoid; }
table.wide { width: 100%; }
caption { caption-side: top; text-align: left; font-style: italic; margin-bottom: 1mm; }
th, td { border: 1px solid #aaa; padding: 0.6mm 1.6mm; vertical-align: top; overflow-wrap: break-word; }
th { background: #e8e8e8; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
figure { margin: 3mm 0 5mm; break-inside: avoid; }
figure svg { width: 100%; height: auto; }
figcaption { font-style: italic; font-size: 9pt; }
pre { font-size: 7.5pt; background: #f4f4f4; padding: 2mm; white-space: pre-wrap; overflow-wrap: anywhere; break-inside: auto; }
nav ol { columns: 2; }
)";

std::string escaped(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

// gnuplot's SVG without its XML prolog and DOCTYPE, so that it can sit inside the HTML.
std::string inline_svg(const std::string& svg) {
  const size_t start = svg.find("<svg");
  return start == std::string::npos ? std::string() : svg.substr(start);
}

// A table cell: escaped, and a path may break after each '/', so that long file names fit the page.
std::string cell_html(const std::string& text) {
  std::string out;
  for (char c : text) out += c == '/' ? std::string("/<wbr>") : escaped(std::string(1, c));
  return out;
}

bool numeric_column(const ReportTable& table, size_t column) {
  return column < table.numeric.size() && table.numeric[column];
}

std::string html_table(const ReportTable& table) {
  std::string out = table.header.size() >= 7 ? "<table class=\"wide\">" : "<table>";
  if (!table.caption.empty()) out += "<caption>" + escaped(table.caption) + "</caption>";
  out += "<thead><tr>";
  for (const std::string& h : table.header) out += "<th>" + escaped(h) + "</th>";
  out += "</tr></thead><tbody>\n";
  for (const std::vector<std::string>& row : table.rows) {
    out += "<tr>";
    for (size_t c = 0; c < row.size(); ++c)
      out += (numeric_column(table, c) ? "<td class=\"num\">" : "<td>") + cell_html(row[c]) + "</td>";
    out += "</tr>\n";
  }
  return out + "</tbody></table>\n";
}

std::string html_block(const ReportBlock& block) {
  switch (block.kind) {
    case ReportBlock::Kind::paragraph: return "<p>" + escaped(block.text) + "</p>\n";
    case ReportBlock::Kind::subheading: return "<h3>" + escaped(block.text) + "</h3>\n";
    case ReportBlock::Kind::verbatim: return "<pre>" + escaped(block.text) + "</pre>\n";
    case ReportBlock::Kind::bullets: {
      std::string out = "<ul>";
      for (const std::string& item : block.items) out += "<li>" + escaped(item) + "</li>";
      return out + "</ul>\n";
    }
    case ReportBlock::Kind::table: return html_table(block.table);
    case ReportBlock::Kind::figure:
      return "<figure>" + inline_svg(block.figure.svg) + "<figcaption>" + escaped(block.figure.caption) +
             "</figcaption></figure>\n";
  }
  return "";
}

// A Markdown table cell and the bar after it: pipes escaped, on one line.
std::string md_cell(const std::string& text) {
  std::string out = " ";
  for (char c : text) {
    if (c == '|') out += '\\';
    out += c == '\n' ? ' ' : c;
  }
  return out += " |";
}

std::string md_table(const ReportTable& table) {
  std::string out = table.caption.empty() ? "" : "*" + table.caption + "*\n\n";
  out += "|";
  for (const std::string& h : table.header) out += md_cell(h);
  out += "\n|";
  for (size_t c = 0; c < table.header.size(); ++c) out += numeric_column(table, c) ? "---:|" : "---|";
  out += "\n";
  for (const std::vector<std::string>& row : table.rows) {
    out += "|";
    for (const std::string& cell : row) out += md_cell(cell);
    out += "\n";
  }
  return out + "\n";
}

std::string md_block(const ReportBlock& block) {
  switch (block.kind) {
    case ReportBlock::Kind::paragraph: return block.text + "\n\n";
    case ReportBlock::Kind::subheading: return "### " + block.text + "\n\n";
    case ReportBlock::Kind::verbatim: return "```\n" + block.text + (block.text.ends_with('\n') ? "" : "\n") + "```\n\n";
    case ReportBlock::Kind::bullets: {
      std::string out;
      for (const std::string& item : block.items) out += "- " + item + "\n";
      return out + "\n";
    }
    case ReportBlock::Kind::table: return md_table(block.table);
    case ReportBlock::Kind::figure:
      return "![" + block.figure.caption + "](plots/" + block.figure.name + ".svg)\n\n*" + block.figure.caption + "*\n\n";
  }
  return "";
}

}  // namespace

std::string report_html(const ReportDocument& d) {
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escaped(d.title) +
                    "</title>\n<style>" + kStyle + "</style></head><body>\n";
  out += "<section class=\"title-page\"><h1>" + escaped(d.title) + "</h1><div class=\"subtitle\">" +
         escaped(d.subtitle) + "</div>\n";
  out += std::string("<div class=\"verdict") + (d.verdict_met ? "" : " missed") + "\">" + escaped(d.verdict) + "</div>\n";
  out += "<dl class=\"facts\">";
  for (const auto& [label, value] : d.facts) out += "<dt>" + escaped(label) + "</dt><dd>" + escaped(value) + "</dd>";
  out += "</dl>\n<nav><h3>Contents</h3><ol>";
  for (const ReportSection& s : d.sections) out += "<li><a href=\"#" + s.id + "\">" + escaped(s.title) + "</a></li>";
  out += "</ol></nav></section>\n";
  for (size_t i = 0; i < d.sections.size(); ++i) {
    const ReportSection& s = d.sections[i];
    out += "<section id=\"" + s.id + "\"><h2>" + std::to_string(i + 1) + ". " + escaped(s.title) + "</h2>\n";
    for (const ReportBlock& block : s.blocks) out += html_block(block);
    out += "</section>\n";
  }
  return out + "</body></html>\n";
}

std::string report_markdown(const ReportDocument& d) {
  std::string out = "# " + d.title + "\n\n" + d.subtitle + "\n\n**" + d.verdict + "**\n\n";
  for (const auto& [label, value] : d.facts) out += "- **" + label + ":** " + value + "\n";
  out += "\n";
  for (size_t i = 0; i < d.sections.size(); ++i) {
    const ReportSection& s = d.sections[i];
    out += "## " + std::to_string(i + 1) + ". " + s.title + "\n\n";
    for (const ReportBlock& block : s.blocks) out += md_block(block);
  }
  return out;
}

}  // namespace npufi
