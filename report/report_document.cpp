#include "report/report_document.h"

namespace npufi {

namespace {

ReportBlock block_of(ReportBlock::Kind kind, const std::string& text = "") {
  ReportBlock block;
  block.kind = kind;
  block.text = text;
  return block;
}

}  // namespace

void ReportSection::paragraph(const std::string& text) { blocks.push_back(block_of(ReportBlock::Kind::paragraph, text)); }

void ReportSection::bullets(const std::vector<std::string>& items) {
  blocks.push_back(block_of(ReportBlock::Kind::bullets));
  blocks.back().items = items;
}

void ReportSection::table(const ReportTable& table) {
  blocks.push_back(block_of(ReportBlock::Kind::table));
  blocks.back().table = table;
}

void ReportSection::figure(const ReportFigure& figure) {
  blocks.push_back(block_of(ReportBlock::Kind::figure));
  blocks.back().figure = figure;
}

void ReportSection::verbatim(const std::string& text) { blocks.push_back(block_of(ReportBlock::Kind::verbatim, text)); }

void ReportSection::subheading(const std::string& text) { blocks.push_back(block_of(ReportBlock::Kind::subheading, text)); }

}  // namespace npufi
