#include "db/store.h"

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>

#include "db/schema.h"
#include "db/sqlite.h"

namespace npufi::db {
namespace {

const std::string kCampaignColumns =
    "id, name, key, spec, seed, tool_version, git_revision, model_path, model_hash, dataset_hash, "
    "total_trials, status, created_at, updated_at, rtl_target, design_top, workloads, protection_digest, "
    "activation_layers, shard_index, shard_count";

// Workload files are stored one per line.
std::string joined_lines(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& line : lines) out += line + "\n";
  return out;
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> out;
  for (size_t start = 0, end; (end = text.find('\n', start)) != std::string::npos; start = end + 1)
    out.push_back(text.substr(start, end - start));
  return out;
}

// Now, as UTC ISO 8601 ("2024-05-01T12:34:56Z").
std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[sizeof "YYYY-MM-DDTHH:MM:SSZ"];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

// Reads a row selected with kCampaignColumns.
CampaignRow read_campaign(const Query& q) {
  CampaignRow c;
  c.id = q.int64(0);
  c.name = q.text(1);
  c.key = q.text(2);
  c.spec = q.text(3);
  c.seed = static_cast<uint64_t>(q.int64(4));
  c.tool_version = q.text(5);
  c.git_revision = q.text(6);
  c.model_path = q.text(7);
  c.model_hash = q.text(8);
  c.dataset_hash = q.text(9);
  c.total_trials = q.int64(10);
  c.status = q.text(11);
  c.created_at = q.text(12);
  c.updated_at = q.text(13);
  c.rtl_target = q.text(14);
  c.design_top = q.text(15);
  c.workloads = split_lines(q.text(16));
  c.protection_digest = q.text(17);
  c.activation_layers = split_lines(q.text(18));
  c.shard_index = static_cast<int>(q.int64(19));
  c.shard_count = static_cast<int>(q.int64(20));
  return c;
}

// WAL lets readers work while a writer commits; NORMAL sync is durable enough there (a power cut may lose
// the last batches, which a resume recomputes) and much faster than FULL.
void configure_for_writing(Connection& db) {
  db.exec("PRAGMA synchronous = NORMAL");
  auto q = db.query("PRAGMA journal_mode = WAL");
  if (!q.next() || q.text(0) != "wal") {
    throw DbError("database " + db.path() + ": cannot switch to WAL journal mode");
  }
}

}  // namespace

struct Store::Impl {
  Impl(const std::string& path, Mode mode) : db(path, mode == Mode::read_only) {}
  Connection db;
};

Store Store::open(const std::string& path, Mode mode) {
  std::error_code error;  // a file we cannot even stat is left for SQLite to report
  if (mode == Mode::read_only && !std::filesystem::exists(path, error) && !error) {
    throw DbError("database " + path + " does not exist");
  }
  auto impl = std::make_unique<Impl>(path, mode);
  Connection& db = impl->db;
  // Nothing is written before the file is known to be SQLite with a schema this build can use.
  const int version = schema_version(db);
  check_usable(db, version);
  if (mode == Mode::read_write) {
    configure_for_writing(db);
    if (version < kSchemaVersion) migrate(db);
  } else if (version < kSchemaVersion) {
    throw DbError("database " + path + " has schema " + std::to_string(version) + ", this build needs " +
                  std::to_string(kSchemaVersion) + "; run `npufi db migrate --db " + path + "`");
  }
  // Only now: a migration that rebuilds a table needs foreign keys off.
  db.exec("PRAGMA foreign_keys = ON");
  return Store(std::move(impl));
}

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;
Store::~Store() = default;

const std::string& Store::path() const { return impl_->db.path(); }

std::optional<CampaignRow> Store::find_campaign_by_key(const std::string& key) {
  auto q = impl_->db.query("SELECT " + kCampaignColumns + " FROM campaigns WHERE key = ?");
  q.bind(1, key);
  if (!q.next()) return std::nullopt;
  return read_campaign(q);
}

std::optional<CampaignRow> Store::campaign(int64_t id) {
  auto q = impl_->db.query("SELECT " + kCampaignColumns + " FROM campaigns WHERE id = ?");
  q.bind(1, id);
  if (!q.next()) return std::nullopt;
  return read_campaign(q);
}

std::vector<CampaignRow> Store::campaigns() {
  auto q = impl_->db.query("SELECT " + kCampaignColumns + " FROM campaigns ORDER BY id");
  std::vector<CampaignRow> rows;
  while (q.next()) rows.push_back(read_campaign(q));
  return rows;
}

int64_t Store::create_campaign(const CampaignRow& c, const std::vector<GoldenRow>& golden,
                               const std::vector<PopulationRow>& population,
                               const std::vector<LayerCyclesRow>& layers) {
  Connection& db = impl_->db;
  WriteTransaction transaction(db);
  const std::string now = utc_now();
  auto insert_campaign = db.query(
      "INSERT INTO campaigns (name, key, spec, seed, tool_version, git_revision, model_path, model_hash, "
      "dataset_hash, total_trials, status, created_at, updated_at, rtl_target, design_top, workloads, "
      "protection_digest, activation_layers, shard_index, shard_count) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  insert_campaign.bind_all(c.name, c.key, c.spec, static_cast<int64_t>(c.seed), c.tool_version, c.git_revision,
      c.model_path, c.model_hash, c.dataset_hash, c.total_trials, c.status, c.created_at.empty() ? now : c.created_at,
      c.updated_at.empty() ? now : c.updated_at, c.rtl_target, c.design_top, joined_lines(c.workloads),
      c.protection_digest, joined_lines(c.activation_layers), c.shard_index, c.shard_count);
  insert_campaign.run();
  const int64_t id = db.last_insert_id();

  auto insert_golden = db.query("INSERT INTO golden (campaign, format, images, correct) VALUES (?, ?, ?, ?)");
  for (const GoldenRow& g : golden) {
    insert_golden.bind_all(id, g.format, g.images, g.correct);
    insert_golden.run();
  }
  auto insert_population =
      db.query("INSERT INTO populations (campaign, block, storage, bits, cycles) VALUES (?, ?, ?, ?, ?)");
  for (const PopulationRow& p : population) {
    insert_population.bind_all(id, p.block, p.storage, p.bits, p.cycles);
    insert_population.run();
  }
  auto insert_layer = db.query(
      "INSERT INTO layer_cycles (campaign, image, layer, begin_cycle, end_cycle) VALUES (?, ?, ?, ?, ?)");
  for (const LayerCyclesRow& l : layers) {
    insert_layer.bind_all(id, l.image, l.layer, l.begin, l.end);
    insert_layer.run();
  }
  transaction.commit();
  return id;
}

void Store::set_status(int64_t campaign_id, const std::string& status) {
  Connection& db = impl_->db;
  WriteTransaction transaction(db);
  auto q = db.query("UPDATE campaigns SET status = ?, updated_at = ? WHERE id = ?");
  q.bind_all(status, utc_now(), campaign_id);
  q.run();
  if (db.changes() == 0) {
    throw DbError("database " + db.path() + " has no campaign " + std::to_string(campaign_id));
  }
  transaction.commit();
}

void Store::set_shard(int64_t campaign_id, int shard_index, int shard_count) {
  Connection& db = impl_->db;
  WriteTransaction transaction(db);
  auto q = db.query("UPDATE campaigns SET shard_index = ?, shard_count = ?, updated_at = ? WHERE id = ?");
  q.bind_all(shard_index, shard_count, utc_now(), campaign_id);
  q.run();
  transaction.commit();
}

std::vector<GoldenRow> Store::golden(int64_t campaign_id) {
  auto q = impl_->db.query("SELECT format, images, correct FROM golden WHERE campaign = ? ORDER BY rowid");
  q.bind(1, campaign_id);
  std::vector<GoldenRow> rows;
  while (q.next()) {
    rows.push_back({q.text(0), static_cast<int>(q.int64(1)), static_cast<int>(q.int64(2))});
  }
  return rows;
}

std::vector<int64_t> Store::completed_trials(int64_t campaign_id) {
  auto q = impl_->db.query("SELECT trial FROM trials WHERE campaign = ? ORDER BY trial");
  q.bind(1, campaign_id);
  std::vector<int64_t> indices;
  while (q.next()) indices.push_back(q.int64(0));
  return indices;
}

void Store::insert_trials(int64_t campaign_id, const std::vector<TrialRow>& trials) {
  Connection& db = impl_->db;
  WriteTransaction transaction(db);
  auto insert_trial = db.query(
      "INSERT INTO trials (campaign, trial, format, ber, repetition, fault_count, images, correct, "
      "mismatches, masked, sdc_benign, seconds) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  auto insert_fault = db.query(
      "INSERT INTO faults (campaign, trial, position, tensor, flat_index, bit, kind, image) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  for (const TrialRow& t : trials) {
    insert_trial.bind_all(campaign_id, t.trial, t.format, t.ber, t.repetition, t.fault_count, t.images, t.correct,
        t.mismatches, t.masked, t.sdc_benign, t.seconds);
    insert_trial.run();
    for (size_t i = 0; i < t.faults.size(); ++i) {
      const FaultRow& f = t.faults[i];
      insert_fault.bind_all(campaign_id, t.trial, static_cast<int64_t>(i), f.tensor, f.index, f.bit, f.kind, f.image);
      insert_fault.run();
    }
  }
  transaction.commit();
}

std::vector<TrialRow> Store::trials(int64_t campaign_id) {
  auto q = impl_->db.query(
      "SELECT trial, format, ber, repetition, fault_count, images, correct, mismatches, seconds, masked, "
      "sdc_benign FROM trials WHERE campaign = ? ORDER BY trial");
  q.bind(1, campaign_id);
  std::vector<TrialRow> rows;
  while (q.next()) {
    TrialRow t;
    t.trial = q.int64(0);
    t.format = q.text(1);
    t.ber = q.real(2);
    t.repetition = static_cast<int>(q.int64(3));
    t.fault_count = q.int64(4);
    t.images = static_cast<int>(q.int64(5));
    t.correct = static_cast<int>(q.int64(6));
    t.mismatches = static_cast<int>(q.int64(7));
    t.seconds = q.real(8);
    if (const auto masked = q.optional_int64(9)) t.masked = int(*masked);
    if (const auto benign = q.optional_int64(10)) t.sdc_benign = int(*benign);
    rows.push_back(std::move(t));
  }
  return rows;
}

std::vector<FaultRow> Store::faults(int64_t campaign_id, int64_t trial) {
  auto q = impl_->db.query(
      "SELECT tensor, flat_index, bit, kind, image FROM faults WHERE campaign = ? AND trial = ? ORDER BY position");
  q.bind_all(campaign_id, trial);
  std::vector<FaultRow> rows;
  while (q.next()) {
    const auto image = q.optional_int64(4);
    rows.push_back({q.text(0), q.int64(1), static_cast<int>(q.int64(2)), q.text(3),
                    image ? std::optional<int>(int(*image)) : std::nullopt});
  }
  return rows;
}

std::vector<PopulationRow> Store::population(int64_t campaign_id) {
  auto q = impl_->db.query(
      "SELECT block, storage, bits, cycles FROM populations WHERE campaign = ? ORDER BY block, storage");
  q.bind(1, campaign_id);
  std::vector<PopulationRow> rows;
  while (q.next()) rows.push_back({q.text(0), q.text(1), q.int64(2), q.int64(3)});
  return rows;
}

std::vector<int64_t> Store::completed_injections(int64_t campaign_id) {
  auto q = impl_->db.query("SELECT injection FROM injections WHERE campaign = ? ORDER BY injection");
  q.bind(1, campaign_id);
  std::vector<int64_t> indices;
  while (q.next()) indices.push_back(q.int64(0));
  return indices;
}

void Store::insert_injections(int64_t campaign_id, const std::vector<InjectionRow>& injections) {
  Connection& db = impl_->db;
  WriteTransaction transaction(db);
  auto q = db.query(
      "INSERT INTO injections (campaign, injection, image, block, site, storage, bit, width, model, cycle, outcome, "
      "first_diff_layer, simulated_cycles, ended_by, baseline_outcome) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  for (const InjectionRow& r : injections) {
    q.bind_all(campaign_id, r.injection, r.image, r.block, r.site, r.storage, r.bit, r.width, r.model, r.cycle,
        r.outcome, r.first_diff_layer, r.simulated_cycles, r.ended_by, r.baseline_outcome);
    q.run();
  }
  transaction.commit();
}

namespace {

constexpr const char* kInjectionColumns =
    "SELECT injection, image, block, site, storage, bit, width, model, cycle, outcome, first_diff_layer, "
    "simulated_cycles, ended_by, baseline_outcome FROM injections WHERE campaign = ?";

InjectionRow injection_row(const Query& q) {
  InjectionRow r;
  r.injection = q.int64(0);
  r.image = static_cast<int>(q.int64(1));
  r.block = q.text(2);
  r.site = q.text(3);
  r.storage = q.text(4);
  r.bit = q.int64(5);
  r.width = static_cast<int>(q.int64(6));
  r.model = q.text(7);
  r.cycle = q.int64(8);
  r.outcome = q.text(9);
  r.first_diff_layer = static_cast<int>(q.int64(10));
  r.simulated_cycles = q.int64(11);
  r.ended_by = q.text(12);
  r.baseline_outcome = q.text(13);
  return r;
}

}  // namespace

std::vector<InjectionRow> Store::injections(int64_t campaign_id) {
  auto q = impl_->db.query(std::string(kInjectionColumns) + " ORDER BY injection");
  q.bind(1, campaign_id);
  std::vector<InjectionRow> rows;
  while (q.next()) rows.push_back(injection_row(q));
  return rows;
}

std::optional<InjectionRow> Store::injection(int64_t campaign_id, int64_t injection) {
  auto q = impl_->db.query(std::string(kInjectionColumns) + " AND injection = ?");
  q.bind_all(campaign_id, injection);
  if (!q.next()) return std::nullopt;
  return injection_row(q);
}

std::vector<OutcomeCountRow> Store::outcome_counts(int64_t campaign_id) {
  auto q = impl_->db.query(
      "SELECT block, storage, model, outcome, COUNT(*) FROM injections WHERE campaign = ? "
      "GROUP BY block, storage, model, outcome ORDER BY block, storage, model, outcome");
  q.bind(1, campaign_id);
  std::vector<OutcomeCountRow> rows;
  while (q.next()) rows.push_back({q.text(0), q.text(1), q.text(2), q.text(3), q.int64(4)});
  return rows;
}

std::vector<LayerCyclesRow> Store::layer_cycles(int64_t campaign_id) {
  auto q = impl_->db.query(
      "SELECT image, layer, begin_cycle, end_cycle FROM layer_cycles WHERE campaign = ? ORDER BY image, layer");
  q.bind(1, campaign_id);
  std::vector<LayerCyclesRow> rows;
  while (q.next()) rows.push_back({static_cast<int>(q.int64(0)), static_cast<int>(q.int64(1)), q.int64(2), q.int64(3)});
  return rows;
}

}  // namespace npufi::db

namespace npufi::db {
namespace {

const std::string kHardeningColumns =
    "id, method, arch, source_path, source_hash, model_path, model_hash, settings, threshold_count, "
    "threshold_bytes, accuracy_before, accuracy_after, seconds, tool_version, created_at";

HardeningRow read_hardening(const Query& q) {
  HardeningRow h;
  h.id = q.int64(0);
  h.method = q.text(1);
  h.arch = q.text(2);
  h.source_path = q.text(3);
  h.source_hash = q.text(4);
  h.model_path = q.text(5);
  h.model_hash = q.text(6);
  h.settings = q.text(7);
  h.threshold_count = q.int64(8);
  h.threshold_bytes = q.int64(9);
  h.validation_accuracy_before = q.real(10);
  h.validation_accuracy_after = q.real(11);
  h.seconds = q.real(12);
  h.tool_version = q.text(13);
  h.created_at = q.text(14);
  return h;
}

std::string shape_text(const std::vector<int64_t>& shape) {
  std::string text;
  for (int64_t s : shape) {
    if (!text.empty()) text += 'x';
    text += std::to_string(s);
  }
  return text;
}

std::vector<int64_t> parse_shape(const std::string& text) {
  std::vector<int64_t> shape;
  for (size_t begin = 0; begin < text.size();) {
    size_t end = text.find('x', begin);
    if (end == std::string::npos) end = text.size();
    shape.push_back(std::stoll(text.substr(begin, end - begin)));
    begin = end + 1;
  }
  return shape;
}

// %.9g round-trips every float exactly.
std::string floats_text(const std::vector<float>& values) {
  std::string text;
  char buffer[32];
  for (float v : values) {
    std::snprintf(buffer, sizeof buffer, "%.9g", double(v));
    if (!text.empty()) text += ' ';
    text += buffer;
  }
  return text;
}

std::vector<float> parse_floats(const std::string& text) {
  std::vector<float> values;
  const char* p = text.c_str();
  for (char* end = nullptr;; p = end) {
    const float v = std::strtof(p, &end);
    if (end == p) break;
    values.push_back(v);
  }
  return values;
}

}  // namespace

int64_t Store::insert_hardening(const HardeningRow& h) {
  Connection& db = impl_->db;
  WriteTransaction transaction(db);
  auto insert = db.query(
      "INSERT INTO hardenings (method, arch, source_path, source_hash, model_path, model_hash, settings, "
      "threshold_count, threshold_bytes, accuracy_before, accuracy_after, seconds, tool_version, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  insert.bind_all(h.method, h.arch, h.source_path, h.source_hash, h.model_path, h.model_hash, h.settings,
      h.threshold_count, h.threshold_bytes, h.validation_accuracy_before, h.validation_accuracy_after, h.seconds,
      h.tool_version, h.created_at.empty() ? utc_now() : h.created_at);
  insert.run();
  const int64_t id = db.last_insert_id();
  auto layer = db.query(
      "INSERT INTO hardening_layers (hardening, position, layer, mode, shape, k, thresholds) VALUES (?, ?, ?, ?, ?, ?, ?)");
  for (size_t i = 0; i < h.layers.size(); ++i) {
    const HardeningLayerRow& l = h.layers[i];
    layer.bind_all(id, int64_t(i), l.layer, l.mode, shape_text(l.shape), l.k, floats_text(l.thresholds));
    layer.run();
  }
  transaction.commit();
  return id;
}

std::vector<HardeningRow> Store::hardenings() {
  auto q = impl_->db.query("SELECT " + kHardeningColumns + " FROM hardenings ORDER BY id");
  std::vector<HardeningRow> rows;
  while (q.next()) rows.push_back(read_hardening(q));
  return rows;
}

std::optional<HardeningRow> Store::hardening(int64_t id) {
  std::optional<HardeningRow> h;
  {
    auto q = impl_->db.query("SELECT " + kHardeningColumns + " FROM hardenings WHERE id = ?");
    q.bind(1, id);
    if (!q.next()) return std::nullopt;
    h = read_hardening(q);
  }
  auto q = impl_->db.query(
      "SELECT layer, mode, shape, k, thresholds FROM hardening_layers WHERE hardening = ? ORDER BY position");
  q.bind(1, id);
  while (q.next()) h->layers.push_back({q.text(0), q.text(1), parse_shape(q.text(2)), q.real(3), parse_floats(q.text(4))});
  return h;
}

}  // namespace npufi::db
