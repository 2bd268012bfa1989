#include "report/gnuplot.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "analysis/text_file.h"
#include "rtl/design/command.h"

namespace npufi {

namespace {

namespace fs = std::filesystem;

// The terminal (text as given: no gnuplot markup, so block_names keep their underscores) and a style that prints in grey: thin dark lines, light grid, no colour needed to tell
// series apart (the plots use fill levels, patterns, dash types and point types).
std::string preamble(int width, int height, const std::string& output) {
  std::ostringstream s;
  s << "set encoding utf8\n"
    << "set terminal svg size " << width << "," << height << " dynamic noenhanced font 'DejaVu Sans,11' background rgb 'white'\n"
    << "set output " << plot_quoted(output) << "\n"
    << "set border 3 lw 1 lc rgb '#222222'\nset tics nomirror out\nset grid ytics lc rgb '#d0d0d0' lw 1 dt 1\n"
    << "set key outside right top vertical Left reverse noautotitle\nset style fill solid 1.0 border lc rgb '#222222'\n";
  return s.str();
}

std::string datablock(const PlotData& data) {
  std::string out = "$" + data.name + " << EOD\n";
  for (const std::vector<std::string>& row : data.rows) {
    for (size_t i = 0; i < row.size(); ++i) out += (i ? " " : "") + row[i];
    out += "\n";
  }
  return out + "EOD\n";
}

std::string first_error(const std::string& output) {
  std::istringstream lines(output);
  std::string line, last;
  while (std::getline(lines, line)) {
    if (line.find_first_not_of(" ^") == std::string::npos) continue;
    last = line;
    if (line.find("error") != std::string::npos) return line;
  }
  return last;
}

}  // namespace

std::string plot_quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) out += c == '"' || c == '\\' ? std::string("\\") + c : std::string(1, c);
  return out + "\"";
}

std::string Gnuplot::svg(const std::vector<PlotData>& data, const std::string& commands, int width, int height) const {
  const fs::path script = scratch_ / "plot.gp";
  const fs::path svg = scratch_ / "plot.svg";
  {
    std::ofstream out(script);
    out << preamble(width, height, svg.string());
    for (const PlotData& d : data) out << datablock(d);
    out << commands << "\nunset output\n";
  }
  const CommandResult result = run_command({"gnuplot", script.string()});
  const std::optional<std::string> text = read_text_file(svg.string());
  std::error_code ignored;
  fs::remove(script, ignored);
  fs::remove(svg, ignored);
  if (result.exit_code == 127) throw PlotError("gnuplot is not installed; it draws the report's plots (Debian package gnuplot-nox)");
  if (result.exit_code != 0 || !text) throw PlotError("gnuplot failed: " + first_error(result.output));
  return *text;
}

}  // namespace npufi
