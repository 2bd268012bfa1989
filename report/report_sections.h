#pragma once
// The certification report's text: its JSON (report/report_json.h) as a document of sections, each present
// when its data is, in the order an ISO 26262 assessor reads them (docs/report.md).
#include <nlohmann/json.hpp>

#include "report/gnuplot.h"
#include "report/report_document.h"

namespace npufi {

// The verdict line: "Verdict: npu64 misses ASIL-D: ...", or that there is none.
std::string report_verdict(const nlohmann::json& report);

// Draws the plots with `gnuplot`; throws PlotError when it cannot.
ReportDocument report_document(const nlohmann::json& report, const Gnuplot& gnuplot);

}  // namespace npufi
