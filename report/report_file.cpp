#include "report/report_file.h"

#include "analysis/text_file.h"
#include "analysis/toml_input.h"

namespace npufi {

namespace {

constexpr const char* kKeys = "item, safety_goal, asil, ftti_ms, assumptions, [evidence]; see docs/report.md";
constexpr const char* kEvidenceKeys = "baseline, stuck_at, verification, hardening";

class Reader {
 public:
  explicit Reader(const std::string& path) : path_(path) {}

  [[noreturn]] void fail(const toml::node* node, const std::string& key, const std::string& message) const {
    throw ReportFileError(toml_location(path_, node) + ": '" + key + "' " + message);
  }

  std::string text(const toml::node& node, const std::string& key) const {
    const std::optional<std::string> value = node.value_exact<std::string>();
    if (!value) fail(&node, key, "must be a string");
    return *value;
  }

  std::vector<std::string> texts(const toml::node& node, const std::string& key) const {
    const toml::array* array = node.as_array();
    if (!array) fail(&node, key, "must be an array of strings");
    std::vector<std::string> out;
    for (const toml::node& element : *array) out.push_back(text(element, key));
    return out;
  }

  std::vector<int64_t> ids(const toml::node& node, const std::string& key) const {
    const toml::array* array = node.as_array();
    if (!array) fail(&node, key, "must be an array of campaign ids");
    std::vector<int64_t> out;
    for (const toml::node& element : *array) {
      const std::optional<int64_t> id = element.value_exact<int64_t>();
      if (!id || *id < 1) fail(&element, key, "must hold campaign ids (integers >= 1)");
      out.push_back(*id);
    }
    return out;
  }

 private:
  std::string path_;
};

}  // namespace

std::vector<int64_t> ReportEvidence::all() const {
  std::vector<int64_t> out;
  for (const std::vector<int64_t>* role : {&baseline, &stuck_at, &verification, &hardening})
    out.insert(out.end(), role->begin(), role->end());
  return out;
}

ReportFile parse_report_file(const std::string& text, const std::string& path) {
  const Reader reader(path);
  const toml::table document = parse_toml<ReportFileError>(text, path);
  ReportFile report;
  report.file = path;
  for (auto&& [name, value] : document) {
    const std::string key(name.str());
    if (key == "item") {
      report.item = reader.text(value, key);
    } else if (key == "safety_goal") {
      report.safety_goal = reader.text(value, key);
    } else if (key == "asil") {
      report.asil = reader.text(value, key);
    } else if (key == "ftti_ms") {
      const std::optional<double> ms = toml_number(value);
      if (!ms || *ms <= 0) reader.fail(&value, key, "must be a number > 0 (milliseconds)");
      report.ftti_ms = ms;
    } else if (key == "assumptions") {
      report.assumptions = reader.texts(value, key);
    } else if (key == "evidence") {
      const toml::table* table = value.as_table();
      if (!table) reader.fail(&value, key, std::string("must be a table (") + kEvidenceKeys + ")");
      ReportEvidence& e = report.evidence;
      for (auto&& [role_name, ids] : *table) {
        const std::string role = "evidence." + std::string(role_name.str());
        std::vector<int64_t>* target = role_name == "baseline"       ? &e.baseline
                                       : role_name == "stuck_at"     ? &e.stuck_at
                                       : role_name == "verification" ? &e.verification
                                       : role_name == "hardening"    ? &e.hardening
                                                                     : nullptr;
        if (!target) reader.fail(&ids, role, std::string("is not a known key (") + kEvidenceKeys + ")");
        *target = reader.ids(ids, role);
      }
    } else {
      reader.fail(&value, key, std::string("is not a known key (") + kKeys + ")");
    }
  }
  return report;
}

ReportFile load_report_file(const std::string& path) {
  const std::optional<std::string> text = read_text_file(path);
  if (!text) throw ReportFileError(path + ": cannot read the report file");
  return parse_report_file(*text, path);
}

}  // namespace npufi
