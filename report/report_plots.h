#pragma once
// The report's figures, drawn by gnuplot (report/gnuplot.h) from the report's JSON (report/report_json.h):
// each takes the part of the JSON it plots.
#include <nlohmann/json.hpp>

#include "report/gnuplot.h"
#include "report/report_document.h"

namespace npufi {

// analysis["strata"]: the share of each outcome per stratum, stacked.
ReportFigure outcome_fractions_plot(const Gnuplot& gnuplot, const nlohmann::json& analysis);
// analysis["strata"]: the critical AVF per stratum with its two-sided interval.
ReportFigure critical_avf_plot(const Gnuplot& gnuplot, const nlohmann::json& analysis);
// analysis["strata"]: the violating FIT (sdc_critical) per stratum with its upper bound.
ReportFigure fit_plot(const Gnuplot& gnuplot, const nlohmann::json& analysis);
// layers["first_differing_layer"]: injections per first differing layer, by outcome.
ReportFigure first_layer_plot(const Gnuplot& gnuplot, const nlohmann::json& layers);
// layers["by_injection_layer"]: outcome shares by the layer running when the fault struck.
ReportFigure injection_layer_plot(const Gnuplot& gnuplot, const nlohmann::json& layers);
// protection: the Pareto front of added area against the PMHF upper bound, and the compared strategies.
ReportFigure pareto_plot(const Gnuplot& gnuplot, const nlohmann::json& protection, double pmhf_target);
// hardening: accuracy against BER per campaign, method and format, with the 95% intervals.
ReportFigure hardening_plot(const Gnuplot& gnuplot, const nlohmann::json& hardening);

}  // namespace npufi
