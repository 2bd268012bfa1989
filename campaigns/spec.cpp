#include "campaigns/spec.h"

#include <cstdint>
#include <filesystem>
#include <set>
#include <sstream>

#include <toml++/toml.h>

#include "analysis/text_file.h"
#include "analysis/toml_input.h"
#include "injector/fault_vocabulary.h"

namespace npufi {

namespace {

int line_of(const toml::node& node) { return int(node.source().begin.line); }

// Reads typed values out of the document, turning every problem into a SpecError at its line.
class Reader {
 public:
  explicit Reader(const CampaignSpec& spec) : spec_(spec) {}

  [[noreturn]] void fail(const toml::node& node, const std::string& key, const std::string& message) const {
    throw SpecError(spec_.where(line_of(node)) + ": '" + printable(key) + "' " + printable(message));
  }

  std::string string(const toml::node& node, const std::string& key) const {
    if (auto v = node.value_exact<std::string>()) return *v;
    fail(node, key, "must be a string");
  }
  int64_t integer(const toml::node& node, const std::string& key, int64_t min, int64_t max) const {
    const auto v = node.value_exact<int64_t>();
    if (!v) fail(node, key, "must be an integer");
    if (*v < min || *v > max) {
      fail(node, key, "is " + std::to_string(*v) + ", outside [" + std::to_string(min) + ", " + std::to_string(max) + "]");
    }
    return *v;
  }
  double number(const toml::node& node, const std::string& key) const {
    if (node.is_integer() || node.is_floating_point()) return *node.value<double>();
    fail(node, key, "must be a number");
  }
  // A string, or an array of strings.
  std::vector<std::string> strings(const toml::node& node, const std::string& key) const {
    if (node.is_string()) return {string(node, key)};
    const toml::array* array = node.as_array();
    if (!array || array->empty()) fail(node, key, "must be a string or a non-empty array of strings");
    std::vector<std::string> values;
    for (const toml::node& element : *array) values.push_back(string(element, key));
    return values;
  }
  const toml::array& array(const toml::node& node, const std::string& key) const {
    const toml::array* array = node.as_array();
    if (!array || array->empty()) fail(node, key, "must be a non-empty array");
    return *array;
  }

 private:
  const CampaignSpec& spec_;
};

// "FIRST:END" image range, end exclusive.
void parse_image_range(CampaignSpec& spec, const Reader& reader, const toml::node& node) {
  const std::string text = reader.string(node, "images");
  const auto colon = text.find(':');
  try {
    if (colon == std::string::npos) throw std::invalid_argument("no colon");
    size_t used = 0;
    const int first = std::stoi(text.substr(0, colon), &used);
    if (used != colon) throw std::invalid_argument("first");
    const std::string tail = text.substr(colon + 1);
    const int end = std::stoi(tail, &used);
    if (used != tail.size() || first < 0 || end <= first) throw std::invalid_argument("range");
    spec.first_image = first;
    spec.image_count = end - first;
  } catch (const std::exception&) {
    reader.fail(node, "images", "must be \"FIRST:END\" with 0 <= FIRST < END, got \"" + text + "\"");
  }
}

void parse_bits(CampaignSpec& spec, const Reader& reader, const toml::node& node) {
  spec.bits_line = line_of(node);
  if (node.is_string()) {
    spec.bit_field = reader.string(node, "bits");
    static const std::set<std::string> fields = {"all", "sign", "exponent", "mantissa"};
    if (!fields.count(spec.bit_field)) {
      reader.fail(node, "bits", "is \"" + spec.bit_field + "\"; use all, sign, exponent, mantissa or a list of bit positions");
    }
    return;
  }
  spec.bit_field.clear();
  for (const toml::node& element : reader.array(node, "bits")) {
    spec.bit_positions.push_back(int(reader.integer(element, "bits", 0, 31)));
  }
  std::set<int> unique(spec.bit_positions.begin(), spec.bit_positions.end());
  if (unique.size() != spec.bit_positions.size()) reader.fail(node, "bits", "lists a bit twice");
}

void parse_fault_list(CampaignSpec& spec, const Reader& reader, const toml::node& node) {
  const toml::array& list = reader.array(node, "fault");
  const std::string element = spec.activations ? "layer" : "tensor";
  const std::string keys = spec.activations ? "layer, index, bit, image" : "tensor, index, bit";
  for (const toml::node& entry : list) {
    const toml::table* table = entry.as_table();
    if (!table) reader.fail(entry, "fault", "must be a table: [[fault]] " + element + " = ..., index = ..., bit = ...");
    ListedFault fault;
    fault.line = line_of(entry);
    std::set<std::string> seen;
    for (auto&& [key, value] : *table) {
      const std::string k(key.str());
      if (k == element) fault.tensor = reader.string(value, k);
      else if (k == "index") fault.index = reader.integer(value, k, 0, INT64_MAX);
      else if (k == "bit") fault.bit = int(reader.integer(value, k, 0, 31));
      else if (k == "image" && spec.activations) fault.image = int(reader.integer(value, k, 0, INT32_MAX));
      else reader.fail(value, "fault." + k, "is not a known key (" + keys + ")");
      seen.insert(k);
    }
    for (const std::string& required : {element, std::string("index"), std::string("bit")}) {
      if (!seen.count(required)) reader.fail(entry, "fault", "needs '" + required + "'");
    }
    spec.listed_faults.push_back(fault);
  }
}

// An activation bit flip hits one image; a stuck-at bit hits every image.
void check_listed_images(const CampaignSpec& spec) {
  for (const ListedFault& f : spec.listed_faults) {
    if (spec.kind == FaultKind::bit_flip && !f.image)
      throw SpecError(spec.where(f.line) + ": 'fault' needs 'image' (the image a bit flip hits)");
    if (spec.kind != FaultKind::bit_flip && f.image)
      throw SpecError(spec.where(f.line) + ": 'fault.image' does not apply to " + to_string(spec.kind) +
                      " faults, which hit every image");
  }
}

void parse_rtl_fault_list(RtlSpec& rtl, const Reader& reader, const toml::node& node) {
  for (const toml::node& entry : reader.array(node, "fault")) {
    const toml::table* table = entry.as_table();
    if (!table) reader.fail(entry, "fault", "must be a table: [[fault]] site = ..., cycle = ..., image = ...");
    ListedRtlFault fault;
    fault.line = line_of(entry);
    std::set<std::string> seen;
    for (auto&& [key, value] : *table) {
      const std::string k(key.str());
      if (k == "site") fault.site = reader.string(value, k);
      else if (k == "model") {
        const std::string name = reader.string(value, k);
        const auto model = parse_rtl_fault_model(name);
        if (!model) reader.fail(value, "fault.model", "is \"" + name + "\"; use seu, mbu, stuck_at_0 or stuck_at_1");
        fault.model = *model;
      } else if (k == "bits") fault.width = uint32_t(reader.integer(value, k, 1, 64));
      else if (k == "cycle") fault.cycle = uint64_t(reader.integer(value, k, 0, INT64_MAX));
      else if (k == "image") fault.image = int(reader.integer(value, k, 0, INT32_MAX));
      else reader.fail(value, "fault." + k, "is not a known key (site, model, bits, cycle, image)");
      seen.insert(k);
    }
    for (const char* required : {"site", "cycle", "image"})
      if (!seen.count(required)) reader.fail(entry, "fault", std::string("needs '") + required + "'");
    if (fault.model != RtlFaultModel::mbu && fault.width != 1) reader.fail(entry, "fault.bits", "is for model = \"mbu\" only");
    rtl.listed_faults.push_back(fault);
  }
}

// [harden]: the keys of harden_keys.h, and `out`.
void parse_harden_table(CampaignSpec& spec, const Reader& reader, const toml::node& node) {
  const toml::table* table = node.as_table();
  if (!table) reader.fail(node, "harden", "must be a table: [harden] method = ..., out = ...");
  HardenJob& job = spec.harden.emplace();
  spec.harden_line = line_of(node);
  for (auto&& [key, value] : *table) {
    const std::string k(key.str());
    const std::string name = "harden." + k;
    spec.harden_lines[k] = line_of(value);
    if (k == "out") {
      job.out = reader.string(value, name);
      continue;
    }
    const HardenKey* known = find_harden_key(k);
    if (!known) reader.fail(value, name, "is not a known key (see docs/hardening.md)");
    struct Set {
      const Reader& reader;
      const toml::node& value;
      const std::string& name;
      HardenJob& job;
      void operator()(HardenField<int> f) const { f(job) = int(reader.integer(value, name, INT32_MIN, INT32_MAX)); }
      void operator()(HardenField<uint64_t> f) const { f(job) = uint64_t(reader.integer(value, name, 0, INT64_MAX)); }
      void operator()(HardenField<double> f) const { f(job) = reader.number(value, name); }
      void operator()(HardenField<std::string> f) const { f(job) = reader.string(value, name); }
      void operator()(HardenField<std::vector<double>> f) const {
        f(job).clear();
        for (const toml::node& element : reader.array(value, name)) f(job).push_back(reader.number(element, name));
      }
    };
    std::visit(Set{reader, value, name, job}, known->field);
  }
  if (!job.out.empty() && std::filesystem::path(job.out).is_relative())
    job.out = (std::filesystem::path(spec.file).parent_path() / job.out).lexically_normal().string();
}

// Reads one key of an RTL campaign; false when `key` is not an RTL key.
bool parse_rtl_key(RtlSpec& rtl, const Reader& reader, const std::string& k, const toml::node& value) {
  if (k == "design") {
    rtl.design = reader.string(value, k);
    rtl.design_line = line_of(value);
  } else if (k == "baseline") {
    rtl.baseline = reader.string(value, k);
    rtl.baseline_line = line_of(value);
  } else if (k == "baseline_instance") {
    rtl.baseline_instance = reader.string(value, k);
  } else if (k == "workloads") {
    rtl.workloads = reader.strings(value, k);
    rtl.workloads_line = line_of(value);
    if (rtl.workloads.empty()) reader.fail(value, k, "must name at least one workload file");
  } else if (k == "npu") {
    const std::string name = reader.string(value, k);
    const auto config = parse_npu_config(name);
    if (!config) reader.fail(value, k, "is \"" + name + "\"; use npu32, npu64, npu128 or npu256");
    rtl.npu = *config;
  } else if (k == "calibration") rtl.calibration = int(reader.integer(value, k, 1, 60000));
  else if (k == "fault_model") {
    const std::string name = reader.string(value, k);
    const auto model = parse_rtl_fault_model(name);
    if (!model) reader.fail(value, k, "is \"" + name + "\"; use seu, mbu, stuck_at_0 or stuck_at_1");
    rtl.fault_model = *model;
  } else if (k == "mbu_bits") rtl.mbu_bits = uint32_t(reader.integer(value, k, 2, 64));
  else if (k == "blocks") {
    rtl.blocks = reader.strings(value, k);
    rtl.blocks_line = line_of(value);
  } else if (k == "sampling") {
    const std::string name = reader.string(value, k);
    if (name != "uniform" && name != "stratified") reader.fail(value, k, "must be \"uniform\" or \"stratified\"");
    rtl.sampling = name == "uniform" ? SiteSampling::uniform : SiteSampling::stratified;
  } else if (k == "injections") rtl.injections = reader.integer(value, k, 1, INT64_MAX);
  else if (k == "layer") {
    rtl.layer = int(reader.integer(value, k, 0, 1000));
    rtl.layer_line = line_of(value);
  } else if (k == "checkpoint_interval") rtl.checkpoint_interval = uint32_t(reader.integer(value, k, 1, 1 << 20));
  else if (k == "protection") {
    rtl.protection = reader.string(value, k);
    rtl.protection_line = line_of(value);
  } else if (k == "target_margin") {
    const double margin = reader.number(value, k);
    if (!(margin > 0 && margin < 0.5)) reader.fail(value, k, "must be in (0, 0.5)");
    rtl.target_margin = margin;
  } else if (k == "confidence") {
    rtl.confidence = reader.number(value, k);
    if (!(rtl.confidence > 0 && rtl.confidence < 1)) reader.fail(value, k, "must be in (0, 1)");
  } else if (k == "margin_outcome") {
    rtl.margin_outcome = reader.string(value, k);
    if (!parse_outcome(rtl.margin_outcome))
      reader.fail(value, k, "is \"" + rtl.margin_outcome + "\"; use masked, sdc_benign, sdc_critical, due_detected or due_hang");
  } else if (k == "round_size") rtl.round_size = reader.integer(value, k, 1, INT64_MAX);
  else if (k == "fault") parse_rtl_fault_list(rtl, reader, value);
  else return false;
  return true;
}

// A campaign on a design brought by the user names workloads instead of a network and images.
void check_design_campaign(const CampaignSpec& spec, const Reader& reader, const toml::table& document) {
  for (const char* key : {"model", "data", "npu", "calibration", "images", "split", "layer"})
    if (const toml::node* node = document.get(key))
      reader.fail(*node, key, "does not apply to a campaign on a design (it runs the design's workloads)");
  if (spec.rtl->workloads.empty())
    throw SpecError(spec.where(spec.rtl->design_line) + ": 'workloads' is required with 'design' (the files its "
                    "testbench loads)");
}

}  // namespace

std::string CampaignSpec::where(int line) const { return line > 0 ? file + ":" + std::to_string(line) : file; }

int64_t CampaignSpec::trial_count() const {
  if (rtl) return rtl->listed_faults.empty() ? rtl->injections : int64_t(rtl->listed_faults.size());
  const int64_t per_format = listed_faults.empty() ? int64_t(bers.size()) * repetitions : 1;
  return int64_t(formats.size()) * per_format;
}

std::string CampaignSpec::canonical() const {
  std::ostringstream out;
  out.precision(17);
  out << "seed=" << seed << ";split=" << split << ";first=" << first_image
      << ";count=" << (image_count ? std::to_string(*image_count) : "all") << ";batch=" << batch_size
      << ";kind=" << to_string(kind) << ";adjacent=" << adjacent_bits << ";bits=" << bit_field;
  for (int b : bit_positions) out << "," << b;
  out << ";targets=";
  for (const auto& t : targets) out << t << ",";
  out << ";formats=";
  for (NumberFormat f : formats) out << to_string(f) << ",";
  out << ";ber=";
  for (double b : bers) out << b << ",";
  out << ";repetitions=" << repetitions << ";faults=";
  for (const auto& f : listed_faults) {
    out << f.tensor << "/" << f.index << "/" << f.bit;
    if (f.image) out << "/" << *f.image;
    out << ",";
  }
  if (activations) out << ";activations";
  if (rtl) {
    // A design and its workloads are part of the identity by content (the model and data set digests).
    if (rtl->design.empty()) out << ";rtl:npu=" << npu_config_name(rtl->npu) << ";calibration=" << rtl->calibration;
    else out << ";rtl:design;workloads=" << rtl->workloads.size();
    out
        << ";model=" << rtl_fault_model_name(rtl->fault_model) << ";mbu_bits=" << rtl->mbu_bits << ";blocks=";
    for (const auto& b : rtl->blocks) out << b << ",";
    out << ";sampling=" << int(rtl->sampling) << ";injections=" << rtl->injections
        << ";layer=" << (rtl->layer ? std::to_string(*rtl->layer) : "all");
    if (rtl->target_margin)
      out << ";margin=" << *rtl->target_margin << ";confidence=" << rtl->confidence << ";outcome=" << rtl->margin_outcome
          << ";round=" << rtl->round_size;
    out << ";faults=";
    for (const auto& f : rtl->listed_faults)
      out << f.site << "/" << rtl_fault_model_name(f.model) << "/" << f.width << "/" << f.cycle << "/" << f.image << ",";
  }
  return out.str();
}

CampaignSpec parse_campaign_spec(const std::string& text, const std::string& path) {
  CampaignSpec spec;
  spec.file = path;
  spec.text = text;
  spec.name = std::filesystem::path(path).stem().string();
  const Reader reader(spec);

  const toml::table document = parse_toml<SpecError>(text, path);

  bool has_model = false;
  bool has_ber = false;
  if (const toml::node* target = document.get("target")) {
    const std::string name = reader.string(*target, "target");
    if (name != "weights" && name != "activations" && name != "rtl")
      reader.fail(*target, "target", "must be \"weights\", \"activations\" or \"rtl\"");
    spec.activations = name == "activations";
    if (name == "rtl") {
      spec.rtl.emplace();
      spec.first_image = 0;
      spec.image_count = 8;
    }
  }
  for (auto&& [key, value] : document) {
    const std::string k(key.str());
    if (k == "target") continue;
    if (k == "harden") {
      parse_harden_table(spec, reader, value);
      continue;
    }
    if (spec.rtl) {
      if (parse_rtl_key(*spec.rtl, reader, k, value)) continue;
      if (!std::set<std::string>{"name", "model", "data", "seed", "split", "images"}.count(k))
        reader.fail(value, k, "is not a key of an RTL campaign (see docs/rtl-faults.md)");
    }
    if (k == "name") spec.name = reader.string(value, k);
    else if (k == "model") {
      spec.model = reader.string(value, k);
      has_model = true;
    } else if (k == "data") spec.data = reader.string(value, k);
    else if (k == "seed") spec.seed = uint64_t(reader.integer(value, k, 0, INT64_MAX));
    else if (k == "split") {
      spec.split = reader.string(value, k);
      if (spec.split != "test" && spec.split != "train") reader.fail(value, k, "must be \"test\" or \"train\"");
    } else if (k == "images") parse_image_range(spec, reader, value);
    else if (k == "batch_size") spec.batch_size = int(reader.integer(value, k, 1, 100000));
    else if (k == "targets") {
      spec.targets = reader.strings(value, k);
      spec.targets_line = line_of(value);
    } else if (k == "formats") {
      spec.formats.clear();
      for (const std::string& name : reader.strings(value, k)) {
        const auto format = parse_number_format(name);
        if (!format) reader.fail(value, k, "has unknown format \"" + name + "\"; use fp32, fp16, bf16 or int8");
        spec.formats.push_back(*format);
      }
    } else if (k == "kind") {
      const std::string name = reader.string(value, k);
      const auto kind = parse_fault_kind(name);
      if (!kind) reader.fail(value, k, "is \"" + name + "\"; use bit_flip, stuck_at_0 or stuck_at_1");
      spec.kind = *kind;
    } else if (k == "adjacent_bits") spec.adjacent_bits = int(reader.integer(value, k, 1, 32));
    else if (k == "bits") parse_bits(spec, reader, value);
    else if (k == "ber") {
      for (const toml::node& element : reader.array(value, k)) {
        const double ber = reader.number(element, k);
        if (!(ber >= 0.0 && ber <= 1.0)) {
          std::ostringstream shown;
          shown << ber;
          reader.fail(element, k, "value " + shown.str() + " is outside [0, 1]");
        }
        spec.bers.push_back(ber);
      }
      has_ber = true;
    } else if (k == "repetitions") spec.repetitions = int(reader.integer(value, k, 1, 1000000));
    else if (k == "fault") parse_fault_list(spec, reader, value);
    else reader.fail(value, k, "is not a known key (see docs/campaign-file.md)");
  }

  if (spec.rtl && !spec.rtl->baseline.empty() && spec.rtl->design.empty())
    reader.fail(*document.get("baseline"), "baseline", "needs 'design' (the design whose faults it runs again)");
  if (spec.rtl && !spec.rtl->baseline_instance.empty() && spec.rtl->baseline.empty())
    reader.fail(*document.get("baseline_instance"), "baseline_instance", "needs 'baseline'");
  if (spec.rtl && !spec.rtl->design.empty()) check_design_campaign(spec, reader, document);
  else if (!has_model) throw SpecError(spec.where(0) + ": 'model' is required");
  if (spec.rtl) {
    if ((spec.rtl->injections > 0) == !spec.rtl->listed_faults.empty())
      throw SpecError(spec.where(0) + ": give either 'injections' (sampled faults) or [[fault]] tables (listed ones)");
    if (spec.rtl->target_margin && !spec.rtl->listed_faults.empty())
      throw SpecError(spec.where(0) + ": 'target_margin' samples faults; it does not apply to [[fault]] tables");
  } else if (!has_ber && spec.listed_faults.empty()) {
    throw SpecError(spec.where(0) + ": give either 'ber' (a BER fault map) or [[fault]] tables (an explicit one)");
  }
  if (has_ber && !spec.listed_faults.empty()) {
    throw SpecError(spec.where(spec.listed_faults.front().line) + ": 'ber' and [[fault]] exclude each other");
  }
  if (spec.activations) check_listed_images(spec);
  if (spec.rtl && !spec.rtl->protection.empty() && std::filesystem::path(spec.rtl->protection).is_relative())
    spec.rtl->protection =
        (std::filesystem::path(path).parent_path() / spec.rtl->protection).lexically_normal().string();
  const auto resolve = [&](std::string& file) {
    if (!file.empty() && std::filesystem::path(file).is_relative())
      file = (std::filesystem::path(path).parent_path() / file).lexically_normal().string();
  };
  resolve(spec.model);
  resolve(spec.data);
  if (spec.rtl) {
    resolve(spec.rtl->design);
    resolve(spec.rtl->baseline);
    for (std::string& workload : spec.rtl->workloads) resolve(workload);
  }
  if (spec.harden) harden_job(spec);  // every [harden] value is checked before anything runs
  return spec;
}

HardenJob harden_job(const CampaignSpec& spec) {
  HardenJob job = *spec.harden;
  job.model = spec.model;
  job.data = spec.data;
  if (const auto p = resolve_harden_job(job)) {
    const auto line = spec.harden_lines.find(p->key);
    throw SpecError(spec.where(line != spec.harden_lines.end() ? line->second : spec.harden_line) + ": 'harden." +
                    p->key + "' " + p->problem);
  }
  return job;
}

CampaignSpec load_campaign_spec(const std::string& path) {
  const std::optional<std::string> text = read_text_file(path);
  if (!text) throw SpecError(path + ": cannot read the campaign file");
  return parse_campaign_spec(*text, path);
}

}  // namespace npufi
