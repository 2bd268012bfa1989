#include "cli/query/output_mode.h"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace npufi::cli {
namespace {

using db::Value;

bool is_number(const Value& v) { return v.kind == Value::Kind::integer || v.kind == Value::Kind::real; }

// The first line of a cell and its length.
std::string_view first_line(const std::string& text) { return std::string_view(text).substr(0, text.find('\n')); }

std::string aligned(const db::ValueTable& table) {
  std::vector<size_t> width(table.columns.size());
  std::vector<bool> numeric(table.columns.size(), !table.rows.empty());  // every cell a number or null
  for (size_t c = 0; c < width.size(); ++c) {
    width[c] = table.columns[c].size();
    for (const auto& row : table.rows) {
      width[c] = std::max(width[c], first_line(row[c].text).size());
      numeric[c] = numeric[c] && (is_number(row[c]) || row[c].kind == Value::Kind::null);
    }
  }
  std::string out;
  const auto add_row = [&](const auto& cell_text, const auto& right_aligned) {
    std::string line;
    std::vector<std::string> continued;  // further lines of multi-line cells, indented under their column
    for (size_t c = 0, start = 0; c < width.size(); start += width[c] + 2, ++c) {
      const std::string& text = cell_text(c);
      const std::string_view first = first_line(text);
      const std::string pad(width[c] - first.size(), ' ');
      std::string cell = right_aligned(c) ? pad + std::string(first) : std::string(first) + pad;
      line += (c ? "  " : "") + cell;
      for (size_t at = first.size(); at < text.size();) {
        const size_t end = std::min(text.find('\n', at + 1), text.size());
        continued.push_back(std::string(start, ' ') + text.substr(at + 1, end - at - 1));
        at = end;
      }
    }
    line.erase(line.find_last_not_of(' ') + 1);
    out += line + "\n";
    for (std::string& more : continued) out += more.erase(more.find_last_not_of(' ') + 1) + "\n";
  };
  const auto right_aligned = [&](size_t c) { return bool(numeric[c]); };
  add_row([&](size_t c) -> const std::string& { return table.columns[c]; }, right_aligned);
  for (const auto& row : table.rows) add_row([&](size_t c) -> const std::string& { return row[c].text; }, right_aligned);
  return out;
}

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string out = "\"";
  for (char ch : text) out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return out + "\"";
}

std::string csv(const db::ValueTable& table) {
  std::string out;
  const auto add_line = [&](const auto& field, size_t count) {
    for (size_t c = 0; c < count; ++c) {
      if (c) out += ',';
      out += csv_field(field(c));
    }
    out += "\n";
  };
  add_line([&](size_t c) { return table.columns[c]; }, table.columns.size());
  for (const auto& row : table.rows) add_line([&](size_t c) { return row[c].text; }, row.size());
  return out;
}

nlohmann::ordered_json json_value(const Value& v) {
  switch (v.kind) {
    case Value::Kind::null: return nullptr;
    case Value::Kind::integer: return std::stoll(v.text);
    case Value::Kind::real: return std::stod(v.text);
    case Value::Kind::text: return v.text;
  }
  return nullptr;
}

std::string json(const db::ValueTable& table) {
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  for (const auto& row : table.rows) {
    nlohmann::ordered_json object = nlohmann::ordered_json::object();
    for (size_t c = 0; c < row.size(); ++c) object[table.columns[c]] = json_value(row[c]);
    rows.push_back(std::move(object));
  }
  return rows.dump(2) + "\n";
}

}  // namespace

constexpr OutputMode kModes[] = {OutputMode::table, OutputMode::csv, OutputMode::json};

const char* to_string(OutputMode mode) {
  switch (mode) {
    case OutputMode::table: return "table";
    case OutputMode::csv: return "csv";
    case OutputMode::json: return "json";
  }
  return "";
}

std::optional<OutputMode> parse_output_mode(std::string_view name) {
  for (const OutputMode mode : kModes)
    if (name == to_string(mode)) return mode;
  return std::nullopt;
}

std::string render(const db::ValueTable& table, OutputMode mode) {
  if (table.columns.empty()) return "";
  switch (mode) {
    case OutputMode::table: return aligned(table);
    case OutputMode::csv: return csv(table);
    case OutputMode::json: return json(table);
  }
  return "";
}

}  // namespace npufi::cli
