#include "analysis/protection_catalog.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <set>

#include "analysis/text_file.h"
#include "analysis/toml_input.h"

namespace npufi {

namespace {

constexpr const char* kKinds = "none, parity, ecc, hardened, duplication, triplication, lockstep";

class Reader {
 public:
  explicit Reader(const std::string& path) : path_(path) {}

  [[noreturn]] void fail(const toml::node* node, const std::string& key, const std::string& message) const {
    throw ProtectionCatalogError(toml_location(path_, node) + ": '" + key + "' " + message);
  }

  std::string string(const toml::node& node, const std::string& key) const {
    const auto value = node.value_exact<std::string>();
    if (!value || value->empty()) fail(&node, key, "must be a non-empty string");
    return *value;
  }

  // A finite number in [low, high] (high = infinity for none), or above low when `open_low`.
  double number(const toml::node& node, const std::string& key, double low, double high, bool open_low,
                const std::string& what) const {
    const std::optional<double> value = toml_number(node);
    if (!value || *value < low || (open_low && *value == low) || *value > high)
      fail(&node, key, "must be " + what);
    return *value;
  }

  std::vector<std::string> strings(const toml::node& node, const std::string& key) const {
    const toml::array* array = node.as_array();
    if (!array || array->empty()) fail(&node, key, "must be a non-empty array of strings");
    std::vector<std::string> out;
    for (const toml::node& item : *array) out.push_back(string(item, key));
    return out;
  }

  ProtectionKind kind(const toml::node& node, const std::string& key) const {
    const std::string name = string(node, key);
    static const std::pair<const char*, ProtectionKind> kinds[] = {
        {"none", ProtectionKind::none},
        {"parity", ProtectionKind::parity},
        {"ecc", ProtectionKind::ecc},
        {"hardened", ProtectionKind::hardened},
        {"duplication", ProtectionKind::duplication},
        {"triplication", ProtectionKind::triplication},
        {"lockstep", ProtectionKind::lockstep}};
    for (const auto& [text, kind] : kinds)
      if (name == text) return kind;
    fail(&node, key, "is not a known option kind: '" + name + "' (" + kKinds + ")");
  }

  ProtectionAction action(const toml::node& node, const std::string& key) const {
    const std::string name = string(node, key);
    if (name == "none") return ProtectionAction::none;
    if (name == "detect") return ProtectionAction::detect;
    if (name == "correct") return ProtectionAction::correct;
    fail(&node, key, "must be \"none\", \"detect\" or \"correct\", got '" + name + "'");
  }

  ProtectionArea area(const toml::node& node, const std::string& key) const {
    const toml::table* table = node.as_table();
    if (!table) fail(&node, key, "must be a table (flop_area, sram_area, logic_area, ge_per_flop_bit, ge_per_sram_bit)");
    ProtectionArea area;
    for (auto&& [name, value] : *table) {
      const std::string k = key + "." + std::string(name.str());
      double* field = name == "flop_area"         ? &area.flop_area
                      : name == "sram_area"       ? &area.sram_area
                      : name == "logic_area"      ? &area.logic_area
                      : name == "ge_per_flop_bit" ? &area.ge_per_flop_bit
                      : name == "ge_per_sram_bit" ? &area.ge_per_sram_bit
                                                  : nullptr;
      if (!field)
        fail(&value, k, "is not a known key (flop_area, sram_area, logic_area, ge_per_flop_bit, ge_per_sram_bit)");
      *field = number(value, k, 0, INFINITY, false, "a number >= 0 (an area cannot be negative)");
    }
    return area;
  }

  ProtectionOption option(const toml::node& node) const {
    const toml::table* table = node.as_table();
    if (!table) fail(&node, "option", "must be a table: [[option]]");
    ProtectionOption o;
    o.line = int(node.source().begin.line);
    bool has_name = false, has_kind = false, has_applies = false, has_action = false;
    const toml::node* coverage_node = nullptr;
    for (auto&& [name, value] : *table) {
      const std::string k = "option." + std::string(name.str());
      if (name == "name") {
        o.name = string(value, k);
        has_name = true;
      } else if (name == "kind") {
        o.kind = kind(value, k);
        has_kind = true;
      } else if (name == "applies_to") {
        for (const std::string& storage : strings(value, k)) {
          if (storage == "flop") o.flop = true;
          else if (storage == "sram") o.sram = true;
          else fail(&value, k, "must list \"flop\" and/or \"sram\", got '" + storage + "'");
        }
        has_applies = true;
      } else if (name == "blocks") {
        o.blocks = strings(value, k);
      } else if (name == "transient_rate_factor") {
        o.transient_rate_factor = number(value, k, 0, INFINITY, true, "a number > 0");
      } else if (name == "permanent_rate_factor") {
        o.permanent_rate_factor = number(value, k, 0, INFINITY, true, "a number > 0");
      } else if (name == "action") {
        o.action = action(value, k);
        has_action = true;
      } else if (name == "coverage") {
        o.coverage = number(value, k, 0, 1, false, "a fraction in [0, 1]");
        coverage_node = &value;
      } else if (name == "dc_latent") {
        o.dc_latent = number(value, k, 0, 1, false, "a fraction in [0, 1]");
      } else if (name == "area") {
        o.area = area(value, k);
      } else {
        fail(&value, k,
             "is not a known key (name, kind, applies_to, blocks, transient_rate_factor, permanent_rate_factor, "
             "action, coverage, dc_latent, area)");
      }
    }
    if (!has_name) fail(&node, "option.name", "is required");
    if (!has_kind) fail(&node, "option.kind", "is required (" + std::string(kKinds) + ")");
    if (!has_applies) fail(&node, "option.applies_to", "is required: [\"flop\"], [\"sram\"] or both");
    if (o.coverage > 0 && o.action == ProtectionAction::none)
      fail(coverage_node, "option.coverage",
           "needs action = \"detect\" or \"correct\" (option '" + o.name + "')");
    if (has_action && o.action != ProtectionAction::none && o.coverage == 0)
      fail(&node, "option.coverage", "must be above 0 when the option detects or corrects (option '" + o.name + "')");
    return o;
  }

 private:
  std::string path_;
};

}  // namespace

bool ProtectionOption::applies_to(const BlockArea& block) const {
  if ((block.flop_bits > 0 && !flop) || (block.sram_bits > 0 && !sram)) return false;
  const auto named = [&](const std::string& name) { return std::find(blocks.begin(), blocks.end(), name) != blocks.end(); };
  return blocks.empty() || named(block.block) || (!block.parent.empty() && named(block.parent));
}

const ProtectionOption& ProtectionCatalog::lockstep() const {
  for (const ProtectionOption& o : options)
    if (o.kind == ProtectionKind::lockstep) return o;
  throw ProtectionCatalogError(file + ": has no option of kind lockstep");  // parse_ ensures one
}

const char* to_string(ProtectionKind kind) {
  switch (kind) {
    case ProtectionKind::none: return "none";
    case ProtectionKind::parity: return "parity";
    case ProtectionKind::ecc: return "ecc";
    case ProtectionKind::hardened: return "hardened";
    case ProtectionKind::duplication: return "duplication";
    case ProtectionKind::triplication: return "triplication";
    case ProtectionKind::lockstep: return "lockstep";
  }
  return "?";
}

const char* to_string(ProtectionAction action) {
  switch (action) {
    case ProtectionAction::none: return "none";
    case ProtectionAction::detect: return "detect";
    case ProtectionAction::correct: return "correct";
  }
  return "?";
}

ProtectionCatalog parse_protection_catalog(const std::string& text, const std::string& path) {
  const Reader reader(path);
  const toml::table document = parse_toml<ProtectionCatalogError>(text, path);
  ProtectionCatalog catalog;
  catalog.file = path;
  catalog.name = path;
  std::set<std::string> names;
  const toml::node* lockstep = nullptr;
  for (auto&& [key, value] : document) {
    const std::string k(key.str());
    if (k == "name") {
      catalog.name = reader.string(value, k);
    } else if (k == "option") {
      const toml::array* array = value.as_array();
      if (!array) reader.fail(&value, k, "must be an array of tables: [[option]]");
      for (const toml::node& item : *array) {
        ProtectionOption o = reader.option(item);
        if (!names.insert(o.name).second) reader.fail(&item, "option.name", "'" + o.name + "' is defined twice");
        if (o.kind == ProtectionKind::lockstep) {
          if (lockstep) reader.fail(&item, "option.kind", "lockstep is given twice: there is one whole-NPU baseline");
          if (!o.flop || !o.sram || !o.blocks.empty())
            reader.fail(&item, "option.applies_to", "of a lockstep option must be [\"flop\", \"sram\"] and name no blocks");
          lockstep = &item;
        }
        catalog.options.push_back(std::move(o));
      }
    } else {
      reader.fail(&value, k, "is not a known key (name, [[option]]; see docs/protection.md)");
    }
  }
  if (catalog.options.empty()) reader.fail(nullptr, "option", "is required: at least one [[option]]");
  if (!lockstep) reader.fail(nullptr, "option.kind", "lockstep is required once: the whole-NPU baseline (DCLS)");
  return catalog;
}

ProtectionCatalog load_protection_catalog(const std::string& path) {
  const std::optional<std::string> text = read_text_file(path);
  if (!text) throw ProtectionCatalogError(path + ": cannot read the protection catalog");
  return parse_protection_catalog(*text, path);
}

std::string default_protection_catalog_path() { return NPUFI_SOURCE_DIR "/analysis/protection/catalog.toml"; }

}  // namespace npufi
