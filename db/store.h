#pragma once
// The SQLite campaign store. The only code in npufi that speaks SQL.
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace npufi::db {

// A one-line, user-facing message: names the database file and what is wrong with it.
struct DbError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

inline constexpr int kSchemaVersion = 8;

struct CampaignRow {
  int64_t id = 0;
  std::string name;
  std::string key;          // identity: hash of the effective spec, model and data set
  std::string spec;         // the effective spec (TOML text as given, after CLI overrides)
  uint64_t seed = 0;
  std::string tool_version;
  std::string git_revision;
  std::string model_path;
  std::string model_hash;
  std::string dataset_hash;
  int64_t total_trials = 0;
  std::string status;       // "running", "interrupted", "done"
  std::string created_at;   // UTC, ISO 8601
  std::string updated_at;
  // RTL campaigns (empty for weight campaigns): what they ran on, recorded when they start.
  std::string rtl_target;              // "npu64", or the name of a design brought by the user
  std::string design_top;              // that design's top module; empty for the reference NPU
  std::vector<std::string> workloads;  // that design's workload files, absolute
  std::string protection_digest;       // of the protection plan; empty when unprotected
  // Activation campaigns (schema 6): the layers their faults may hit; empty for other campaigns.
  std::vector<std::string> activation_layers;
  // The slice of the campaign's indices this database holds (schema 7): index i belongs to shard K of N
  // when i % N == K - 1 (campaigns/shard.h). 1 of 1 is the whole campaign.
  int shard_index = 1;
  int shard_count = 1;
};

struct FaultRow {
  std::string tensor;  // a parameter; in an activation campaign, a layer ("conv1")
  int64_t index = 0;
  int bit = 0;
  std::string kind;  // "bit_flip", "stuck_at_0", "stuck_at_1"
  std::optional<int> image = std::nullopt;  // an activation bit flip's image (split index); empty: weights, or every image
};

struct TrialRow {
  int64_t trial = 0;  // index within the campaign, 0-based
  std::string format;
  double ber = 0;
  int repetition = 0;
  int64_t fault_count = 0;  // faulty bits
  int images = 0;
  int correct = 0;
  int mismatches = 0;       // images whose top-1 differs from the fault-free model (sdc_critical)
  // Activation trials (schema 6): images whose logits are bit-identical to the fault-free ones, and images
  // whose logits differ with the same top-1; empty for weight trials.
  std::optional<int> masked = std::nullopt;
  std::optional<int> sdc_benign = std::nullopt;
  double seconds = 0;
  std::vector<FaultRow> faults;  // filled on insert; left empty by trials()
  double accuracy() const { return images ? double(correct) / images : 0.0; }
};

struct GoldenRow {
  std::string format;
  int images = 0;
  int correct = 0;
};

// One injection of an RTL campaign (docs/rtl-faults.md).
struct InjectionRow {
  int64_t injection = 0;  // index within the campaign, 0-based
  int image = 0;          // test image index
  std::string block;
  std::string site;       // the first bit hit, e.g. "controller.state[3]"
  std::string storage;    // "flop", "sram"
  int64_t bit = 0;        // the site's number (npufi sites)
  int width = 1;          // adjacent bits hit
  std::string model;      // "seu", "mbu", "stuck_at_0", "stuck_at_1"
  int64_t cycle = 0;      // injection cycle
  std::string outcome;    // "masked", "sdc_benign", "sdc_critical", "due_detected", "due_hang"
  int first_diff_layer = -1;  // the first layer whose output differs, -1 when none
  int64_t simulated_cycles = 0;
  std::string ended_by;   // how the run was decided: completed, converged, reference, watchdog, stalled
  std::string baseline_outcome;  // the same fault on the campaign's baseline design; "" without one
};

// A stratum of an RTL campaign's population: the state bits of one block and storage kind, and the
// workload's cycles.
struct PopulationRow {
  std::string block;
  std::string storage;
  int64_t bits = 0;
  int64_t cycles = 0;
};

// When one layer of the network ran in the fault-free run of one image of an RTL campaign on the
// reference NPU: cycles begin (included) to end (not included; the cycle of its last output write).
struct LayerCyclesRow {
  int image = 0;  // test image index, as in InjectionRow
  int layer = 0;
  int64_t begin = 0;
  int64_t end = 0;
};

// Injections per (block, storage, fault model, outcome).
struct OutcomeCountRow {
  std::string block;
  std::string storage;
  std::string model;
  std::string outcome;
  int64_t count = 0;
};

// One activation layer of a hardened model (models/hardening/clip.h).
struct HardeningLayerRow {
  std::string layer;               // "conv1.relu"
  std::string mode;                // "saturate", "clip_to_zero", "smooth"
  std::vector<int64_t> shape;      // of the thresholds
  double k = 0;                    // smooth mode steepness
  std::vector<float> thresholds;   // row-major
};

// One `npufi harden` run: the model it read, the hardened model it wrote, the settings and the result.
struct HardeningRow {
  int64_t id = 0;
  std::string method;              // "ranger", "ftclipact", "fitact", "proact"
  std::string arch;                // zoo name or "torchscript"
  std::string source_path;
  std::string source_hash;         // file digest of the unhardened model
  std::string model_path;          // the hardened model file
  std::string model_hash;          // its file digest: campaigns on it carry the same model_hash
  std::string settings;            // every hyper-parameter, JSON
  int64_t threshold_count = 0;
  int64_t threshold_bytes = 0;     // as stored in weight memory (fp32)
  double validation_accuracy_before = 0;
  double validation_accuracy_after = 0;
  double seconds = 0;
  std::string tool_version;
  std::string created_at;          // UTC, ISO 8601
  std::vector<HardeningLayerRow> layers;  // filled on insert and by hardening(); empty from hardenings()
};

class Store {
 public:
  enum class Mode { read_only, read_write };

  // Opens (read_write: creates) the database, in WAL mode, migrating an older schema. Throws DbError for
  // a file that is not SQLite, a schema newer than kSchemaVersion, or a database locked by another writer.
  static Store open(const std::string& path, Mode mode);

  Store(Store&&) noexcept;
  Store& operator=(Store&&) noexcept;
  ~Store();

  const std::string& path() const;

  std::optional<CampaignRow> find_campaign_by_key(const std::string& key);
  std::optional<CampaignRow> campaign(int64_t id);
  std::vector<CampaignRow> campaigns();
  // Inserts the campaign with its golden results (and an RTL campaign's population and layer cycles) in
  // one transaction; returns its id.
  int64_t create_campaign(const CampaignRow& campaign, const std::vector<GoldenRow>& golden,
                          const std::vector<PopulationRow>& population = {},
                          const std::vector<LayerCyclesRow>& layers = {});
  void set_status(int64_t campaign_id, const std::string& status);
  // The slice of the campaign this database holds from now on.
  void set_shard(int64_t campaign_id, int shard_index, int shard_count);

  std::vector<GoldenRow> golden(int64_t campaign_id);
  // Trial indices already stored, ascending.
  std::vector<int64_t> completed_trials(int64_t campaign_id);
  // Writes the trials and their faults in one transaction.
  void insert_trials(int64_t campaign_id, const std::vector<TrialRow>& trials);
  // Trials in index order, without their faults.
  std::vector<TrialRow> trials(int64_t campaign_id);
  std::vector<FaultRow> faults(int64_t campaign_id, int64_t trial);

  std::vector<PopulationRow> population(int64_t campaign_id);
  // Injection indices already stored, ascending.
  std::vector<int64_t> completed_injections(int64_t campaign_id);
  void insert_injections(int64_t campaign_id, const std::vector<InjectionRow>& injections);
  std::vector<InjectionRow> injections(int64_t campaign_id);
  std::optional<InjectionRow> injection(int64_t campaign_id, int64_t injection);
  std::vector<OutcomeCountRow> outcome_counts(int64_t campaign_id);
  // By image, then layer; empty for designs and for campaigns started before schema 5.
  std::vector<LayerCyclesRow> layer_cycles(int64_t campaign_id);

  // Inserts a hardening with its layers in one transaction; returns its id.
  int64_t insert_hardening(const HardeningRow& hardening);
  // Every hardening in id order, without layers.
  std::vector<HardeningRow> hardenings();
  // One hardening with its layers.
  std::optional<HardeningRow> hardening(int64_t id);

  struct Impl;

 private:
  explicit Store(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace npufi::db
