#include "rtl/sim/area_model.h"

#include <toml++/toml.h>

namespace npufi {

AreaModel load_area_model(const std::string& path) {
  toml::table file;
  try {
    file = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    const auto line = e.source().begin.line;
    throw AreaModelError(path + (line ? ":" + std::to_string(line) : "") + ": " + std::string(e.description()));
  }
  const auto number = [&](const char* key) {
    const std::optional<double> value = file["gate_equivalents"][key].value<double>();
    if (!value || *value <= 0)
      throw AreaModelError(path + ": gate_equivalents." + key + " must be a positive number");
    return *value;
  };
  return AreaModel{number("flop_bit"), number("sram_bit"), number("mac")};
}

std::string default_area_model_path() { return NPUFI_SOURCE_DIR "/rtl/area-model.toml"; }

}  // namespace npufi
