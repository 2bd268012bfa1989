#include "campaigns/engine.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>
#include <utility>

#include "campaigns/fault_planner.h"
#include "campaigns/identity.h"
#include "campaigns/progress_bar.h"
#include "campaigns/trial_runner.h"
#include "db/store.h"
#include "models/dataset.h"

namespace npufi {

namespace {

ImageSet campaign_images(const CampaignSpec& spec) {
  const ImageSet all = load_fashion_mnist(spec.split == "train" ? Split::train : Split::test);
  const int count = spec.image_count.value_or(all.count - spec.first_image);
  if (spec.first_image + count > all.count || count <= 0) {
    throw SpecError(spec.file + ": 'images' " + std::to_string(spec.first_image) + ":" +
                    std::to_string(spec.first_image + count) + " is outside the " + std::to_string(all.count) +
                    " images of the " + spec.split + " split");
  }
  return all.slice(spec.first_image, spec.first_image + count);
}

void check_golden_matches(const db::Store& store, const std::vector<db::GoldenRow>& stored,
                          const std::vector<FormatGolden>& golden) {
  for (const FormatGolden& g : golden) {
    const auto it = std::find_if(stored.begin(), stored.end(),
                                 [&](const db::GoldenRow& r) { return r.format == to_string(g.format); });
    if (it == stored.end() || it->correct != g.result.correct || it->images != g.result.images) {
      throw std::runtime_error("the fault-free " + to_string(g.format) + " result differs from the one stored in " +
                               store.path() + "; the campaign cannot be resumed on this build");
    }
  }
}

// Trial results on their way from the workers to the database.
class ResultQueue {
 public:
  void push(db::TrialRow row) {
    std::lock_guard lock(mutex_);
    rows_.push_back(std::move(row));
    ready_.notify_one();
  }
  void fail(std::exception_ptr error) {
    std::lock_guard lock(mutex_);
    if (!error_) error_ = error;
    ready_.notify_one();
  }
  void worker_done() {
    std::lock_guard lock(mutex_);
    ++workers_done_;
    ready_.notify_one();
  }
  // Waits up to `wait` for rows; returns what arrived.
  std::vector<db::TrialRow> take(std::chrono::milliseconds wait, int& workers_done, std::exception_ptr& error) {
    std::unique_lock lock(mutex_);
    ready_.wait_for(lock, wait, [&] { return !rows_.empty() || error_ || workers_done_ != workers_done; });
    workers_done = workers_done_;
    error = error_;
    return std::exchange(rows_, {});
  }

 private:
  std::mutex mutex_;
  std::condition_variable ready_;
  std::vector<db::TrialRow> rows_;
  std::exception_ptr error_;
  int workers_done_ = 0;
};

}  // namespace

CampaignRun run_campaign(const CampaignSpec& spec, const std::string& db_path, const EngineOptions& options,
                         std::ostream& log) {
  // Everything that can be wrong with the input is found before the database is opened.
  Model model = Model::load(spec.model);
  const ImageSet images = campaign_images(spec);
  const std::vector<Parameter> parameters = model.parameters();
  const FaultPlanner planner(spec, parameters);

  db::CampaignRow row;
  row.name = spec.name;
  row.spec = spec.text;
  row.seed = spec.seed;
  row.tool_version = NPUFI_VERSION;
  row.git_revision = NPUFI_GIT_REVISION;
  row.model_path = spec.model;
  row.model_hash = file_digest(spec.model);
  row.dataset_hash = hex_digest(images.content_hash());
  row.key = campaign_key(spec.canonical(), row.model_hash, row.dataset_hash);
  row.total_trials = spec.trial_count();
  row.status = "running";

  db::Store store = db::Store::open(db_path, db::Store::Mode::read_write);
  const std::optional<db::CampaignRow> existing = store.find_campaign_by_key(row.key);

  CampaignRun run;
  run.total = row.total_trials;
  if (existing && existing->status == "done") {
    run.campaign_id = existing->id;
    run.done_before = run.total;
    log << "campaign " << existing->id << " is already complete\n";
    return run;
  }

  set_compute_threads(1);  // a trial's arithmetic never depends on the thread count
  flush_subnormals_to_zero();
  const std::vector<FormatGolden> golden = run_golden(spec, model, images, options.cache_budget_bytes);
  for (const FormatGolden& g : golden) {
    log << "golden " << to_string(g.format) << ": accuracy " << g.result.accuracy() << " on " << g.result.images
        << " images; prefix cache " << (g.evaluator.cache_bytes() >> 20) << " MiB\n";
  }
  if (existing) {
    check_golden_matches(store, store.golden(existing->id), golden);
    run.campaign_id = existing->id;
    store.set_status(run.campaign_id, "running");
  } else {
    std::vector<db::GoldenRow> golden_rows;
    for (const FormatGolden& g : golden) golden_rows.push_back({to_string(g.format), g.result.images, g.result.correct});
    run.campaign_id = store.create_campaign(row, golden_rows);
  }

  const std::vector<int64_t> completed = store.completed_trials(run.campaign_id);
  run.done_before = int64_t(completed.size());
  std::vector<int64_t> pending;
  for (int64_t t = 0, c = 0; t < run.total; ++t) {
    if (c < int64_t(completed.size()) && completed[c] == t) ++c;
    else pending.push_back(t);
  }
  if (options.max_trials >= 0 && int64_t(pending.size()) > options.max_trials) pending.resize(options.max_trials);
  log << "campaign " << run.campaign_id << ": " << run.done_before << " of " << run.total
      << " trials stored, running " << pending.size() << " with " << options.threads << " worker thread(s)\n";

  const auto start = std::chrono::steady_clock::now();
  std::atomic<size_t> next{0};
  std::atomic<bool> abort{false};
  ResultQueue queue;
  const auto stop_requested = [&] { return abort.load() || (options.stop && options.stop->load()); };
  std::vector<std::thread> workers;
  const int worker_count = std::max(1, std::min<int>(options.threads, int(pending.size())));
  for (int w = 0; w < worker_count; ++w) {
    workers.emplace_back([&] {
      try {
        set_compute_threads(1);
        flush_subnormals_to_zero();
        TrialRunner runner(model, golden);
        for (size_t i; !stop_requested() && (i = next.fetch_add(1)) < pending.size();) {
          queue.push(runner.run(pending[i], spec, planner));
        }
      } catch (...) {
        queue.fail(std::current_exception());
      }
      queue.worker_done();
    });
  }

  ProgressBar progress(spec.name, run.total, run.done_before);
  std::vector<db::TrialRow> batch;
  auto last_flush = std::chrono::steady_clock::now();
  int workers_done = 0;
  std::exception_ptr error;
  try {
    while (workers_done < worker_count) {
      for (db::TrialRow& r : queue.take(std::chrono::milliseconds(200), workers_done, error)) batch.push_back(std::move(r));
      if (error) break;
      progress.update(run.done_before + run.ran + int64_t(batch.size()));
      const auto now = std::chrono::steady_clock::now();
      if (!batch.empty() && (batch.size() >= 256 || now - last_flush > std::chrono::seconds(1) || workers_done == worker_count)) {
        store.insert_trials(run.campaign_id, batch);
        run.ran += int64_t(batch.size());
        batch.clear();
        last_flush = now;
      }
    }
  } catch (...) {
    error = std::current_exception();
  }
  abort = true;
  for (std::thread& w : workers) w.join();
  progress.finish();
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (error) {
    try {
      store.set_status(run.campaign_id, "interrupted");
    } catch (const db::DbError&) {
      // The first error is the one to report.
    }
    std::rethrow_exception(error);
  }
  store.set_status(run.campaign_id, run.complete() ? "done" : "interrupted");
  return run;
}

}  // namespace npufi
