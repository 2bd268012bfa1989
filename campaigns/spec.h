#pragma once
// A weight-fault campaign as described by a TOML campaign file (docs/campaign-file.md).
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "campaigns/harden_keys.h"
#include "injector/fault.h"
#include "injector/number_format.h"
#include "injector/rtl_fault_plan.h"
#include "rtl/compiler/npu_compiler.h"

namespace npufi {

// A usage error in a campaign file or its options: one line, naming file, line and key.
struct SpecError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// One fault of an explicit fault map ([[fault]] tables).
struct ListedFault {
  std::string tensor;  // a parameter; in an activation campaign, a layer (`layer`)
  int64_t index = 0;
  int bit = 0;
  std::optional<int> image;  // an activation bit flip's image (a split index); stuck-at bits hit every image
  int line = 0;
};

// One fault of an RTL campaign's explicit list ([[fault]] tables with target = "rtl").
struct ListedRtlFault {
  std::string site;  // e.g. "controller.state[3]" (npufi sites lists them)
  RtlFaultModel model = RtlFaultModel::seu;
  uint32_t width = 1;  // adjacent bits of an MBU
  uint64_t cycle = 0;
  int image = 0;  // test image index, inside the campaign's images (a design's: index into its workloads)
  int line = 0;
};

// The settings of an RTL campaign (target = "rtl"): faults in the Verilated NPU's flops and SRAMs.
struct RtlSpec {
  // A design brought by the user (docs/your-design.md) and its workload files, resolved against the
  // campaign file's folder; empty for the reference NPU.
  std::string design;
  std::vector<std::string> workloads;
  int design_line = 0, workloads_line = 0;
  // With `design`: a second design that every injection also runs on, where its site exists, for the
  // counterfactual outcome (the unprotected design of a protected one: docs/safety-rtl.md).
  std::string baseline;
  int baseline_line = 0;
  // The instance of `design` that is the baseline ("u_npu" of a lockstep top); empty: the design itself.
  std::string baseline_instance;
  NpuConfig npu = NpuConfig::npu64;
  int calibration = 1000;  // training images that calibrate the int8 quantization
  RtlFaultModel fault_model = RtlFaultModel::seu;
  uint32_t mbu_bits = 2;
  std::vector<std::string> blocks = {"*"};
  SiteSampling sampling = SiteSampling::uniform;
  int64_t injections = 0;
  std::optional<int> layer;  // injection times within this layer only
  uint32_t checkpoint_interval = 64;
  std::string protection;  // a protection plan (npufi protect --out), resolved against the file's folder
  int protection_line = 0;
  // Sequential sampling (with target_margin): rounds until every block's interval is narrow enough.
  std::optional<double> target_margin;
  double confidence = 0.95;
  std::string margin_outcome = "sdc_critical";
  int64_t round_size = 1000;
  std::vector<ListedRtlFault> listed_faults;
  int blocks_line = 0;
  int layer_line = 0;
};

struct CampaignSpec {
  std::string file;         // the campaign file, as given
  std::string text;         // its contents
  std::string name;
  std::string model;        // resolved against the campaign file's folder
  std::string data;         // a data file (models/data_source.h), resolved likewise; empty: Fashion-MNIST
  std::optional<RtlSpec> rtl;  // an RTL campaign; a weight campaign when absent
  bool activations = false;    // target = "activations": faults in layer outputs instead of weights
  // [harden]: the campaign runs on `model` hardened with these settings (job.model is filled in by
  // harden_job); `out` is resolved against the campaign file's folder.
  std::optional<HardenJob> harden;
  int harden_line = 0;                       // of the [harden] table
  std::map<std::string, int> harden_lines;   // of each key in it
  uint64_t seed = 1;
  std::string split = "test";
  int first_image = 0;
  std::optional<int> image_count;  // all images of the split when absent
  int batch_size = 100;

  std::vector<std::string> targets = {"*"};  // parameter globs; layer globs for activations
  std::vector<NumberFormat> formats = {NumberFormat::fp32};
  FaultKind kind = FaultKind::bit_flip;
  int adjacent_bits = 1;
  std::string bit_field = "all";  // a named field, or empty when `bits` lists positions
  std::vector<int> bit_positions;
  std::vector<double> bers;       // a BER fault map ...
  int repetitions = 1;
  std::vector<ListedFault> listed_faults;  // ... or an explicit one

  // Line of each key in the file, for messages that are found only after the model is loaded.
  int targets_line = 0;
  int bits_line = 0;

  // Trials: every (format, BER, repetition), or one per format for an explicit fault map; for an RTL
  // campaign, its injections or listed faults.
  int64_t trial_count() const;
  // A canonical one-line description of every setting; two specs run the same trials iff equal.
  std::string canonical() const;
  // file:line prefix for messages.
  std::string where(int line) const;
};

// The [harden] job for the spec's model, resolved (harden_keys.h). Throws SpecError naming the file,
// line and key of a bad value.
HardenJob harden_job(const CampaignSpec& spec);

// Parses and validates a campaign file. Throws SpecError.
CampaignSpec load_campaign_spec(const std::string& path);
CampaignSpec parse_campaign_spec(const std::string& text, const std::string& path);

}  // namespace npufi
