#pragma once
// What the TOML input readers of analysis/ (technology files, protection catalogs) share: error locations,
// parsing with a located error, and numbers.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <toml++/toml.h>

namespace npufi {

// "path:line", or "path" when the line is unknown (0).
std::string toml_location(const std::string& path, uint32_t line);

// "path:line" of a node; "path" for no node.
std::string toml_location(const std::string& path, const toml::node* node);

// `text` on one line: control characters (a newline among them) as \xNN escapes.
std::string printable(std::string_view text);

// toml++'s description of a syntax error on one line: the characters it quotes from the input are
// printed, control characters (a newline among them) as escapes.
std::string toml_error_description(const toml::parse_error& error);

// The parsed document. A syntax error throws Error("path:line: malformed TOML: ...").
template <class Error>
toml::table parse_toml(const std::string& text, const std::string& path) {
  try {
    return toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    throw Error(toml_location(path, e.source().begin.line) + ": malformed TOML: " + toml_error_description(e));
  }
}

// An integer or floating-point node as a finite double; nullopt for any other node, infinity or NaN.
std::optional<double> toml_number(const toml::node& node);

}  // namespace npufi
