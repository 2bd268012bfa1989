#pragma once
// The report document (report/report_document.h) as one self-contained HTML file (inline CSS and SVG, no
// script, nothing loaded from anywhere; laid out for print: title page, page numbers, page breaks) and as
// Markdown whose figures are the SVG files beside it.
#include <string>

#include "report/report_document.h"

namespace npufi {

std::string report_html(const ReportDocument& document);
std::string report_markdown(const ReportDocument& document);

}  // namespace npufi
