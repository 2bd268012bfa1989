#include "analysis/technology.h"

#include <filesystem>

#include "analysis/text_file.h"
#include "analysis/toml_input.h"

namespace npufi {

namespace {

class Reader {
 public:
  explicit Reader(const std::string& path) : path_(path) {}

  [[noreturn]] void fail(const toml::node* node, const std::string& key, const std::string& message) const {
    throw TechnologyError(toml_location(path_, node) + ": '" + key + "' " + message);
  }

  // A FIT per Mbit figure: a finite number >= 0.
  double rate(const toml::node& node, const std::string& key) const {
    const std::optional<double> value = toml_number(node);
    if (!value || *value < 0) fail(&node, key, "must be a number >= 0 (FIT per Mbit)");
    return *value;
  }

  // [transient] or [permanent]: flop and sram, both required, nothing else.
  RawRates rates(const toml::node& node, const std::string& key) const {
    const toml::table* table = node.as_table();
    if (!table) fail(&node, key, "must be a table with flop and sram");
    std::optional<double> flop, sram;
    for (auto&& [name, value] : *table) {
      const std::string k = key + "." + std::string(name.str());
      if (name == "flop") flop = rate(value, k);
      else if (name == "sram") sram = rate(value, k);
      else fail(&value, k, "is not a known key (flop, sram)");
    }
    if (!flop) fail(&node, key + ".flop", "is required");
    if (!sram) fail(&node, key + ".sram", "is required");
    return {*flop, *sram};
  }

 private:
  std::string path_;
};

}  // namespace

double Technology::fit_per_bit(StorageKind storage, FaultDuration duration) const {
  if (duration == FaultDuration::permanent && !permanent)
    throw TechnologyError(file + ": gives no [permanent] rates, but permanent faults were injected");
  const RawRates& rates = duration == FaultDuration::transient ? transient : *permanent;
  return (storage == StorageKind::flop ? rates.flop : rates.sram) / 1e6;
}

Technology parse_technology(const std::string& text, const std::string& path) {
  const Reader reader(path);
  const toml::table document = parse_toml<TechnologyError>(text, path);
  Technology technology;
  technology.file = path;
  technology.name = std::filesystem::path(path).stem().string();
  bool has_transient = false;
  for (auto&& [key, value] : document) {
    const std::string k(key.str());
    if (k == "name") {
      const auto name = value.value_exact<std::string>();
      if (!name) reader.fail(&value, k, "must be a string");
      technology.name = *name;
    } else if (k == "transient") {
      technology.transient = reader.rates(value, k);
      has_transient = true;
    } else if (k == "permanent") {
      technology.permanent = reader.rates(value, k);
    } else {
      reader.fail(&value, k, "is not a known key (name, [transient], [permanent]; see docs/statistics.md)");
    }
  }
  if (!has_transient) reader.fail(nullptr, "transient", "is required: [transient] flop = ..., sram = ...");
  return technology;
}

Technology load_technology(const std::string& path) {
  const std::optional<std::string> text = read_text_file(path);
  if (!text) throw TechnologyError(path + ": cannot read the technology file");
  return parse_technology(*text, path);
}

std::string default_technology_path() { return NPUFI_SOURCE_DIR "/analysis/technology/sea-level-typical.toml"; }

}  // namespace npufi
