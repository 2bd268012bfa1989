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
  AreaModel model{number("flop_bit"), number("sram_bit"), 0, {}};
  if (file["gate_equivalents"]["mac"]) {
    const std::optional<double> mac = file["gate_equivalents"]["mac"].value<double>();
    if (!mac || *mac < 0) throw AreaModelError(path + ": gate_equivalents.mac must be a number >= 0");
    model.mac = *mac;
  }
  if (const toml::node* logic = file.get("logic")) {
    if (!logic->is_table()) throw AreaModelError(path + ": logic must be a table of block names to GE");
    for (const auto& [block, value] : *logic->as_table()) {
      const std::optional<double> ge = value.value<double>();
      if (!ge || *ge < 0) throw AreaModelError(path + ": logic." + std::string(block.str()) + " must be a number >= 0");
      model.logic[std::string(block.str())] = *ge;
    }
  }
  return model;
}

std::string default_area_model_path() { return NPUFI_SOURCE_DIR "/rtl/area-model.toml"; }

}  // namespace npufi
