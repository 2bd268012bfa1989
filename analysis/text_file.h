#pragma once
// Reads a whole file into a string, for the parsers of npufi's input files (campaigns, technology,
// catalog, protection plans).
#include <optional>
#include <string>

namespace npufi {

// The file's bytes, or nullopt when it cannot be read.
std::optional<std::string> read_text_file(const std::string& path);

}  // namespace npufi
