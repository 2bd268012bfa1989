#include "analysis/toml_input.h"

#include <cmath>
#include <cstdio>

namespace npufi {

std::string toml_location(const std::string& path, uint32_t line) {
  return line ? path + ":" + std::to_string(line) : path;
}

std::string toml_location(const std::string& path, const toml::node* node) {
  return toml_location(path, node ? node->source().begin.line : 0);
}

std::string toml_error_description(const toml::parse_error& error) { return printable(error.description()); }

std::string printable(std::string_view input) {
  std::string text;
  for (const char c : input) {
    if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7f) {
      text += c;
    } else {
      char escape[8];
      std::snprintf(escape, sizeof escape, "\\x%02x", unsigned(static_cast<unsigned char>(c)));
      text += escape;
    }
  }
  return text;
}

std::optional<double> toml_number(const toml::node& node) {
  const std::optional<double> value =
      node.is_integer() || node.is_floating_point() ? node.value<double>() : std::nullopt;
  if (value && !std::isfinite(*value)) return std::nullopt;
  return value;
}

}  // namespace npufi
