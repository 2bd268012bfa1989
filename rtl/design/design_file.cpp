#include "rtl/design/design_file.h"

#include <cctype>
#include <filesystem>
#include <set>

#include "analysis/text_file.h"
#include "analysis/toml_input.h"

namespace fs = std::filesystem;

namespace npufi {

namespace {

class Reader {
 public:
  Reader(const std::string& path, const toml::table& root) : path_(path), root_(root) {}

  [[noreturn]] void fail(const toml::node* node, const std::string& what) const {
    throw DesignFileError(toml_location(path_, node) + ": " + printable(what));
  }

  void only_keys(const toml::table& table, const std::string& prefix, const std::set<std::string>& known) const {
    for (const auto& [key, node] : table)
      if (!known.count(std::string(key.str())))
        fail(&node, "'" + prefix + std::string(key.str()) + "' is not a key of a design file");
  }

  std::string string(const toml::table& table, const std::string& key, const std::string& prefix, bool required) const {
    const toml::node* node = table.get(key);
    if (!node) {
      if (required) fail(&table, "'" + prefix + key + "' is missing");
      return "";
    }
    if (!node->is_string() || node->value<std::string>()->empty())
      fail(node, "'" + prefix + key + "' must be a non-empty string");
    return *node->value<std::string>();
  }

  // A path relative to the design file, which must exist (as a folder when `folder`).
  std::string existing(const toml::node* node, const std::string& key, const std::string& relative, bool folder) const {
    const fs::path resolved = fs::absolute(fs::path(path_).parent_path() / relative).lexically_normal();
    std::error_code ec;
    if (folder ? !fs::is_directory(resolved, ec) : !fs::is_regular_file(resolved, ec))
      fail(node, "'" + key + "' " + relative + ": no such " + (folder ? "folder" : "file") + " (" + resolved.string() + ")");
    return resolved.string();
  }

  std::vector<std::string> paths(const std::string& key, bool folder, bool required) const {
    const toml::node* node = root_.get(key);
    if (!node) {
      if (required) fail(&root_, "'" + key + "' is missing");
      return {};
    }
    const toml::array* array = node->as_array();
    if (!array || (required && array->empty())) fail(node, "'" + key + "' must be a non-empty array of paths");
    std::vector<std::string> out;
    for (const toml::node& item : *array) {
      if (!item.is_string()) fail(&item, "'" + key + "' must hold strings");
      out.push_back(existing(&item, key, *item.value<std::string>(), folder));
    }
    return out;
  }

  // A table of names to strings or integers: defines and parameters.
  std::map<std::string, std::string> values(const std::string& key) const {
    std::map<std::string, std::string> out;
    const toml::node* node = root_.get(key);
    if (!node) return out;
    const toml::table* table = node->as_table();
    if (!table) fail(node, "'" + key + "' must be a table of names to values");
    for (const auto& [name, value] : *table) {
      std::string text;
      if (value.is_string()) text = *value.value<std::string>();
      else if (value.is_integer()) text = std::to_string(*value.value<int64_t>());
      else if (value.is_boolean()) text = std::to_string(int(*value.value<bool>()));
      else fail(&value, "'" + key + "." + std::string(name.str()) + "' must be a string, an integer or a boolean");
      out.emplace(std::string(name.str()), std::move(text));
    }
    return out;
  }

  const toml::table& table(const std::string& key) const {
    const toml::node* node = root_.get(key);
    if (!node) fail(&root_, "the table [" + key + "] is missing");
    if (!node->is_table()) fail(node, "'" + key + "' must be a table");
    return *node->as_table();
  }

 private:
  const std::string& path_;
  const toml::table& root_;
};

}  // namespace

DesignFile load_design_file(const std::string& path) {
  const std::optional<std::string> text = read_text_file(path);
  if (!text) throw DesignFileError(path + ": cannot read the design file");
  return parse_design_file(*text, path);
}

DesignFile parse_design_file(const std::string& text, const std::string& path) {
  const toml::table root = parse_toml<DesignFileError>(text, path);
  const Reader r(path, root);
  r.only_keys(root, "", {"name", "top", "sources", "include_dirs", "defines", "parameters", "verilator_args",
                         "testbench", "clock", "reset", "block", "area"});
  DesignFile d;
  d.path = fs::absolute(path).lexically_normal().string();
  d.top = r.string(root, "top", "", true);
  d.name = r.string(root, "name", "", false);
  if (d.name.empty()) d.name = d.top;
  for (const char c : d.name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-')
      r.fail(root.get("name"), "'name' " + d.name + " may hold only letters, digits, '_' and '-'");
  d.sources = r.paths("sources", false, true);
  d.include_dirs = r.paths("include_dirs", true, false);
  d.defines = r.values("defines");
  d.parameters = r.values("parameters");
  if (const toml::node* args = root.get("verilator_args")) {
    const toml::array* array = args->as_array();
    if (!array) r.fail(args, "'verilator_args' must be an array of strings");
    for (const toml::node& item : *array) {
      if (!item.is_string()) r.fail(&item, "'verilator_args' must hold strings");
      d.verilator_args.push_back(*item.value<std::string>());
    }
  }
  d.testbench = r.existing(root.get("testbench"), "testbench", r.string(root, "testbench", "", true), false);

  if (root.get("area")) d.area = r.existing(root.get("area"), "area", r.string(root, "area", "", true), false);

  const toml::table& clock = r.table("clock");
  r.only_keys(clock, "clock.", {"name"});
  d.clock = r.string(clock, "name", "clock.", true);
  d.clock_location = toml_location(path, clock.get("name"));
  const toml::table& reset = r.table("reset");
  r.only_keys(reset, "reset.", {"name", "active", "cycles"});
  d.reset = r.string(reset, "name", "reset.", true);
  d.reset_location = toml_location(path, reset.get("name"));
  const std::string active = r.string(reset, "active", "reset.", false);
  if (!active.empty() && active != "high" && active != "low")
    r.fail(reset.get("active"), "'reset.active' " + active + " is neither \"high\" nor \"low\"");
  d.reset_active_high = active != "low";
  if (const toml::node* cycles = reset.get("cycles")) {
    const std::optional<int64_t> n = cycles->value<int64_t>();
    if (!cycles->is_integer() || *n < 1 || *n > 1000) r.fail(cycles, "'reset.cycles' must be an integer in [1, 1000]");
    d.reset_cycles = int(*n);
  }

  if (const toml::node* blocks = root.get("block")) {
    const toml::array* array = blocks->as_array();
    if (!array || !array->is_array_of_tables()) r.fail(blocks, "'block' must be an array of tables: [[block]]");
    for (const toml::node& item : *array) {
      const toml::table& b = *item.as_table();
      r.only_keys(b, "block.", {"instances", "name"});
      d.blocks.push_back({r.string(b, "instances", "block.", true), r.string(b, "name", "block.", true),
                          toml_location(path, &item)});
    }
  }
  return d;
}

}  // namespace npufi
