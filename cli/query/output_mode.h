#pragma once
// How the query shell prints an answer: an aligned table for people, CSV and JSON for programs.
#include <optional>
#include <string>
#include <string_view>

#include "db/value_table.h"

namespace npufi::cli {

enum class OutputMode { table, csv, json };

std::optional<OutputMode> parse_output_mode(std::string_view name);  // "table", "csv", "json"
const char* to_string(OutputMode mode);

// Aligned columns under a header (columns of numbers to the right; a cell's further lines indented under its first);
// CSV (RFC 4180) with a header line; JSON, an array of one object per row. A table without columns
// prints as nothing.
std::string render(const db::ValueTable& table, OutputMode mode);

}  // namespace npufi::cli
