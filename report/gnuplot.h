#pragma once
// Plots by gnuplot (Debian package gnuplot-nox), as SVG: npufi writes the script and its data, gnuplot draws
// the axes, ticks, bars and error bars.
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace npufi {

struct PlotError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// One table of data, inlined into the script as the datablock $name: one line per row, fields separated
// by spaces, text fields quoted.
struct PlotData {
  std::string name;
  std::vector<std::vector<std::string>> rows;
};

// A quoted gnuplot string ("..." with " and \ escaped).
std::string plot_quoted(const std::string& text);

class Gnuplot {
 public:
  // Scripts and their output go into `scratch` (a folder that exists), each removed when drawn.
  explicit Gnuplot(std::filesystem::path scratch) : scratch_(std::move(scratch)) {}

  // Runs gnuplot on `commands` (plot commands that use the datablocks) after the SVG terminal's setup at
  // width x height pixels, a grey-friendly style and the datablocks; returns the SVG. Throws PlotError naming
  // the package when gnuplot is missing, or with gnuplot's first error line when it fails.
  std::string svg(const std::vector<PlotData>& data, const std::string& commands, int width, int height) const;

 private:
  std::filesystem::path scratch_;
};

}  // namespace npufi
