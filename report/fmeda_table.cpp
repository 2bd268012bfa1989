#include "report/fmeda_table.h"

#include <cstdio>
#include <vector>

namespace npufi {

namespace {

const std::vector<std::string> kHeader = {
    "element", "failure mode", "raw FIT transient", "raw FIT permanent", "safety-related", "safe fraction",
    "safety mechanism", "DC single-point", "DC latent", "λ_SPF", "λ_RF", "λ_MPF-latent", "λ_S"};

std::string number(double value, const char* format) {
  char text[64];
  std::snprintf(text, sizeof text, format, value);
  return text;
}

// The cells of one row, in kHeader's order; the total row has no safety-related, mechanism or DC.
std::vector<std::string> cells(const FmedaRow& row, bool total) {
  const auto fit = [](double value) { return number(value, "%.4g"); };
  const auto fraction = [](double value) { return number(value, "%.4f"); };
  return {row.element,
          row.failure_mode,
          fit(row.raw_fit_transient),
          fit(row.raw_fit_permanent),
          total ? "-" : row.safety_related ? "yes" : "no",
          fraction(row.safe_fraction),
          row.safety_mechanism,
          total ? "-" : fraction(row.dc_single_point),
          total ? "-" : fraction(row.dc_latent),
          fit(row.spf),
          fit(row.rf),
          fit(row.mpf_latent),
          fit(row.s)};
}

std::vector<std::vector<std::string>> table(const Fmeda& fmeda) {
  std::vector<std::vector<std::string>> rows;
  for (const FmedaRow& row : fmeda.rows) rows.push_back(cells(row, false));
  rows.push_back(cells(fmeda.total, true));
  return rows;
}

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

std::string joined(const std::vector<std::string>& fields, const std::string& before, const std::string& between,
                   const std::string& after, std::string (*escape)(const std::string&)) {
  std::string line = before;
  for (size_t i = 0; i < fields.size(); ++i) line += (i ? between : "") + escape(fields[i]);
  return line + after;
}

std::string as_is(const std::string& text) { return text; }

}  // namespace

std::string fmeda_csv(const Fmeda& fmeda) {
  std::string out = joined(kHeader, "", ",", "\n", csv_field);
  for (const auto& row : table(fmeda)) out += joined(row, "", ",", "\n", csv_field);
  return out;
}

std::string fmeda_markdown(const Fmeda& fmeda) {
  std::string out = joined(kHeader, "| ", " | ", " |\n", as_is);
  out += "|";
  for (size_t i = 0; i < kHeader.size(); ++i) out += i < 2 || i == 4 || i == 6 ? "---|" : "---:|";
  out += "\n";
  for (const auto& row : table(fmeda)) out += joined(row, "| ", " | ", " |\n", as_is);
  return out;
}

}  // namespace npufi
