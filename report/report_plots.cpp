#include "report/report_plots.h"

#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "report/gnuplot.h"

namespace npufi {

namespace {

// The outcome classes, each with a grey level of its own, so that they stay apart printed in grey. Solid
// fills: Chromium prints every use of an SVG fill pattern as a pattern stream of its own (a 10-page report
// with patterns was 4.8 MB, 0.5 MB without).
struct ClassStyle {
  const char* key;
  const char* title;
  const char* fill;
};
constexpr ClassStyle kClasses[] = {{"masked", "masked", "fs solid 1.0 lc rgb '#ffffff'"},
                                   {"sdc_benign", "SDC benign", "fs solid 1.0 lc rgb '#d4d4d4'"},
                                   {"sdc_critical", "SDC critical", "fs solid 1.0 lc rgb '#111111'"},
                                   {"due_detected", "detected", "fs solid 1.0 lc rgb '#8a8a8a'"},
                                   {"due_hang", "hang", "fs solid 1.0 lc rgb '#4a4a4a'"}};

std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.9g", value);
  return text;
}

std::string stratum_label(const nlohmann::json& s) {
  const std::string storage = s["storage"];
  return s["block"].get<std::string>() + (storage == "sram" ? " (SRAM" : " (flop") +
         (s["duration"] == "permanent" ? ", stuck)" : ")");
}

// Labels on the x axis of the per-stratum plots, rotated to fit.
const char* kStrataAxis = "set xtics rotate by -35 left font ',9'\nset xrange [-0.6:*]\n";

ReportFigure figure(const Gnuplot& gnuplot, const std::string& name, const std::string& caption,
                    const std::vector<PlotData>& data, const std::string& commands, int height = 340) {
  return {name, gnuplot.svg(data, commands, 720, height), caption};
}

}  // namespace

ReportFigure outcome_fractions_plot(const Gnuplot& gnuplot, const nlohmann::json& analysis) {
  PlotData d{"d", {}};
  for (const nlohmann::json& s : analysis["strata"]) {
    std::vector<std::string> row = {plot_quoted(stratum_label(s))};
    for (const ClassStyle& c : kClasses) row.push_back(number(100 * s["classes"][c.key]["avf"].get<double>()));
    d.rows.push_back(row);
  }
  std::string plot = "set style data histograms\nset style histogram rowstacked\nset boxwidth 0.7\n"
                     "set ylabel 'share of injections (%)'\nset yrange [0:100]\n" + std::string(kStrataAxis) + "plot ";
  for (size_t i = 0; i < std::size(kClasses); ++i)
    plot += std::string(i ? ", " : "") + "$d using " + std::to_string(i + 2) + (i ? "" : ":xtic(1)") + " title '" +
            kClasses[i].title + "' " + kClasses[i].fill;
  return figure(gnuplot, "outcome-fractions", "Outcome of the injections per block and storage kind (stacked, % of the block's injections).",
                {d}, plot, 380);
}

ReportFigure critical_avf_plot(const Gnuplot& gnuplot, const nlohmann::json& analysis) {
  PlotData d{"d", {}};
  for (const nlohmann::json& s : analysis["strata"]) {
    const nlohmann::json& c = s["classes"]["sdc_critical"];
    d.rows.push_back({plot_quoted(stratum_label(s)), number(100 * c["avf"].get<double>()),
                      number(100 * c["avf_low"].get<double>()), number(100 * c["avf_high"].get<double>())});
  }
  const std::string confidence = number(100 * analysis["confidence"].get<double>());
  return figure(gnuplot, "critical-avf",
                "Critical AVF (share of faults that change the top-1 class) per block and storage kind; bars: the "
                "two-sided " + confidence + " % interval (" + analysis["interval_method"].get<std::string>() + ").",
                {d},
                "set boxwidth 0.6\nset ylabel 'critical AVF (%)'\nset yrange [0:*]\n" + std::string(kStrataAxis) +
                    "plot $d using 0:2:xtic(1) with boxes fs solid 1.0 lc rgb '#aaaaaa' title 'critical AVF', "
                    "$d using 0:2:3:4 with yerrorbars lc rgb '#000000' lw 1.5 pt 0 title '" + confidence + " % interval'",
                380);
}

ReportFigure fit_plot(const Gnuplot& gnuplot, const nlohmann::json& analysis) {
  PlotData d{"d", {}};
  for (const nlohmann::json& s : analysis["strata"]) {
    const nlohmann::json& c = s["classes"]["sdc_critical"];
    d.rows.push_back({plot_quoted(stratum_label(s)), number(c["fit"]), number(c["fit"]), number(c["fit_upper"])});
  }
  return figure(gnuplot, "fit", "Failure rate of critical SDCs per block and storage kind (FIT, failures per 10⁹ hours); bars "
                       "up to the joint upper bound at the confidence.",
                {d},
                "set boxwidth 0.6\nset ylabel 'critical SDC rate (FIT)'\nset yrange [0:*]\n" + std::string(kStrataAxis) +
                    "plot $d using 0:2:xtic(1) with boxes fs solid 1.0 lc rgb '#777777' title 'FIT', "
                    "$d using 0:2:3:4 with yerrorbars lc rgb '#000000' lw 1.5 pt 0 title 'up to the upper bound'",
                380);
}

ReportFigure first_layer_plot(const Gnuplot& gnuplot, const nlohmann::json& layers) {
  PlotData d{"d", {}};
  for (const nlohmann::json& l : layers["first_differing_layer"]) {
    const nlohmann::json& o = l["outcomes"];
    const auto count = [&](const char* key) { return o.contains(key) ? o[key].get<int64_t>() : int64_t(0); };
    d.rows.push_back({plot_quoted(std::to_string(l["layer"].get<int>())), std::to_string(count("sdc_benign")),
                      std::to_string(count("sdc_critical")),
                      std::to_string(count("masked") + count("due_detected") + count("due_hang"))});
  }
  return figure(gnuplot, "first-differing-layer",
                "Injections whose output differed, by the first network layer whose output differed from the "
                "fault-free run.",
                {d},
                "set style data histograms\nset style histogram rowstacked\nset boxwidth 0.6\n"
                "set ylabel 'injections (count)'\nset yrange [0:*]\nset xlabel 'first differing layer (index in the network)'\n"
                "plot $d using 2:xtic(1) title 'SDC benign' fs solid 1.0 lc rgb '#d4d4d4', "
                "$d using 3 title 'SDC critical' fs solid 1.0 lc rgb '#111111', "
                "$d using 4 title 'other (detected, hang, masked at the end)' fs solid 1.0 lc rgb '#8a8a8a'");
}

ReportFigure injection_layer_plot(const Gnuplot& gnuplot, const nlohmann::json& layers) {
  PlotData d{"d", {}};
  for (const nlohmann::json& l : layers["by_injection_layer"]) {
    const nlohmann::json& o = l["outcomes"];
    int64_t total = 0;
    for (const auto& [key, count] : o.items()) total += count.get<int64_t>();
    const int layer = l["layer"];
    std::vector<std::string> row = {plot_quoted(layer < 0 ? "none" : std::to_string(layer))};
    for (const ClassStyle& c : kClasses)
      row.push_back(number(total && o.contains(c.key) ? 100.0 * o[c.key].get<double>() / double(total) : 0.0));
    d.rows.push_back(row);
  }
  std::string plot = "set style data histograms\nset style histogram rowstacked\nset boxwidth 0.6\n"
                     "set ylabel 'share of injections (%)'\nset yrange [0:100]\n"
                     "set xlabel 'layer running at the injection cycle (none: between layers)'\nplot ";
  for (size_t i = 0; i < std::size(kClasses); ++i)
    plot += std::string(i ? ", " : "") + "$d using " + std::to_string(i + 2) + (i ? "" : ":xtic(1)") + " title '" +
            kClasses[i].title + "' " + kClasses[i].fill;
  return figure(gnuplot, "outcomes-by-injection-time",
                "Outcomes against injection time: transient faults grouped by the network layer the NPU was running "
                "at the injection cycle (fault-free layer cycles of the same image).",
                {d}, plot);
}

ReportFigure pareto_plot(const Gnuplot& gnuplot, const nlohmann::json& protection, double pmhf_target) {
  PlotData front{"front", {}}, compared{"compared", {}};
  for (const nlohmann::json& p : protection["pareto_front"])
    front.rows.push_back({number(100 * p["overhead"].get<double>()), number(p["pmhf_fit_upper"])});
  // Strategies that reach the same plan share one point and one label ("optimal, greedy").
  std::map<std::pair<std::string, std::string>, std::string> points;
  std::vector<std::pair<std::string, std::string>> order;
  for (const nlohmann::json& c : protection["compared"]) {
    const std::pair<std::string, std::string> at = {number(100 * c["overhead"].get<double>()), number(c["pmhf_fit_upper"])};
    std::string& label = points[at];
    if (label.empty()) order.push_back(at);
    label += (label.empty() ? "" : ", ") + c["strategy"].get<std::string>();
  }
  for (const auto& at : order) compared.rows.push_back({at.first, at.second, plot_quoted(points[at])});
  return figure(gnuplot, "pareto-front",
                "Pareto front of the protection plans: added area (% of the design) against the residual FIT (PMHF "
                "upper bound, log scale); the dashed line is the ASIL target; labelled points are the compared strategies.",
                {front, compared},
                "set logscale y\nset xlabel 'added area (% of the design)'\nset ylabel 'residual FIT, upper bound (FIT)'\n"
                "set offsets 0, 8, 0, 0\nset xrange [0:*]\n"
                "plot $front using 1:2 with steps lw 1.5 lc rgb '#555555' title 'Pareto front', "
                "$front using 1:2 with points pt 7 ps 0.4 lc rgb '#555555' notitle, "
                "$compared using 1:2 with points pt 6 ps 1.4 lw 1.5 lc rgb '#000000' title 'compared strategies', "
                "$compared using 1:2:3 with labels offset 1,0.8 left font ',9' notitle, " +
                    number(pmhf_target) + " with lines dt 2 lw 1.5 lc rgb '#000000' title 'target " + number(pmhf_target) +
                    " FIT'");
}

ReportFigure hardening_plot(const Gnuplot& gnuplot, const nlohmann::json& hardening) {
  std::vector<PlotData> data;
  std::string plot = "set logscale x\nset format x '%.0e'\nset xlabel 'bit error rate (per stored bit)'\n"
                     "set ylabel 'top-1 accuracy (%)'\nset yrange [0:100]\nset offsets graph 0.05, graph 0.05, 0, 0\nplot ";
  int series = 0;
  for (const nlohmann::json& h : hardening) {
    std::map<std::string, PlotData> by_format;
    for (const nlohmann::json& r : h["rows"]) {
      if (r["ber"].get<double>() <= 0) continue;
      PlotData& d = by_format[r["format"]];
      const nlohmann::json& ci = r["accuracy"]["ci95"];
      const double mean = 100 * r["accuracy"]["mean"].get<double>();
      d.rows.push_back({number(r["ber"]), number(mean), number(ci.is_null() ? mean : 100 * ci[0].get<double>()),
                        number(ci.is_null() ? mean : 100 * ci[1].get<double>())});
    }
    for (auto& [format, d] : by_format) {
      d.name = "s";
      d.name += std::to_string(series);
      const std::string title = h["method"].get<std::string>() + ", " + format + " (campaign " +
                                std::to_string(h["campaign"].get<int64_t>()) + ")";
      std::string style = series % 2 ? "lc rgb '#555555' dt " : "lc rgb '#000000' dt ";
      style += std::to_string(1 + series % 5);
      style += " pt ";
      style += std::to_string(1 + series % 13);
      plot += std::string(series ? ", " : "") + "$" + d.name + " using 1:2:3:4 with yerrorlines lw 1.3 " + style +
              " title " + plot_quoted(title);
      data.push_back(d);
      ++series;
    }
  }
  return figure(gnuplot, "hardening", "Top-1 accuracy against the bit error rate in the weight memory, per network and "
                             "hardening method; bars: 95 % interval of the mean over the fault maps.",
                data, plot, 380);
}

}  // namespace npufi
