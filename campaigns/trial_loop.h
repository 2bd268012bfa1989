#pragma once
// The part of a campaign run that does not depend on the fault target: pending trials spread over worker
// threads, results stored in batches (at least once a second) so that an interrupted run resumes where it
// stopped, a progress bar, and a clean stop on request.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <string>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "campaigns/cluster/coordinator.h"
#include "campaigns/cluster/wire.h"
#include "campaigns/progress_bar.h"
#include "campaigns/shard.h"

namespace npufi {

// The trials of `shard` in [0, total) not in `completed` (ascending), at most `max_trials` of them (-1: all).
std::vector<int64_t> pending_trials(const std::vector<int64_t>& completed, int64_t total, int64_t max_trials,
                                    const Shard& shard = {});

// Results on their way from the workers to the database.
template <class Row>
class ResultQueue {
 public:
  void push(Row row) {
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
  std::vector<Row> take(std::chrono::milliseconds wait, int& workers_done, std::exception_ptr& error) {
    std::unique_lock lock(mutex_);
    ready_.wait_for(lock, wait, [&] { return !rows_.empty() || error_ || workers_done_ != workers_done; });
    workers_done = workers_done_;
    error = error_;
    return std::exchange(rows_, {});
  }

 private:
  std::mutex mutex_;
  std::condition_variable ready_;
  std::vector<Row> rows_;
  std::exception_ptr error_;
  int workers_done_ = 0;
};

// Runs `pending` on `threads` workers. make_worker() runs on each worker thread and returns its trial
// function, Row(const Task&); store(batch) writes a batch. With a coordinator (rank 0 of a cluster run,
// campaigns/cluster/coordinator.h) the other ranks take tasks from the same list, and their rows are stored
// with this process's; rank 0 may then have no worker threads of its own (threads = 0). Returns the number
// of rows stored; rethrows the first error of a worker, of another rank or of store() after all workers
// stopped.
template <class Row, class Task, class MakeWorker, class Store>
int64_t run_trials(const std::vector<Task>& pending, int threads, const std::atomic<bool>* stop,
                   ProgressBar& progress, int64_t done_before, MakeWorker&& make_worker, Store&& store,
                   Coordinator* coordinator = nullptr) {
  std::atomic<size_t> next{0};
  std::atomic<bool> abort{false};
  ResultQueue<Row> queue;
  const auto stop_requested = [&] {
    return abort.load() || (stop && stop->load()) || (coordinator && coordinator->rank_stopped());
  };
  std::vector<std::thread> workers;
  const int wanted = coordinator ? threads : std::max(1, threads);
  const int worker_count = std::max(coordinator ? 0 : 1, std::min<int>(wanted, int(pending.size())));
  for (int w = 0; w < worker_count; ++w) {
    workers.emplace_back([&] {
      try {
        auto trial = make_worker();
        for (size_t i; !stop_requested() && (i = next.fetch_add(1)) < pending.size();) queue.push(trial(pending[i]));
      } catch (...) {
        queue.fail(std::current_exception());
      }
      queue.worker_done();
    });
  }
  const Coordinator::HandOut hand_out = [&](int64_t max) -> std::pair<int64_t, std::string> {
    if (stop_requested()) return {0, ""};
    // Guided: never more than a share of what is left, so that the ranks finish together.
    const size_t left = pending.size() - std::min(pending.size(), next.load());
    max = std::min<int64_t>(max, std::max<int64_t>(1, int64_t(left) / (2 * coordinator->ranks())));
    const size_t begin = next.fetch_add(size_t(max));
    if (begin >= pending.size()) return {0, ""};
    const size_t count = std::min(pending.size() - begin, size_t(max));
    return {int64_t(count), encode_all(pending.data() + begin, count)};
  };
  // Other ranks still have work: tasks to take, or results to send back.
  const auto remote_busy = [&] {
    return coordinator && !stop_requested() && (next.load() < pending.size() || coordinator->outstanding() > 0);
  };

  int64_t stored = 0;
  std::vector<Row> batch;
  std::vector<std::string> received;
  auto last_flush = std::chrono::steady_clock::now();
  int workers_done = 0;
  std::exception_ptr error;
  try {
    while (workers_done < worker_count || remote_busy()) {
      const auto wait = std::chrono::milliseconds(coordinator ? 2 : 200);
      for (Row& r : queue.take(wait, workers_done, error)) batch.push_back(std::move(r));
      if (error) break;
      if (coordinator) {
        coordinator->poll(hand_out, received);
        for (const std::string& rows : received) decode_all(rows, batch);
        received.clear();
      }
      progress.update(done_before + stored + int64_t(batch.size()));
      const auto now = std::chrono::steady_clock::now();
      const bool last = workers_done == worker_count && !remote_busy();
      if (!batch.empty() && (batch.size() >= 256 || now - last_flush > std::chrono::seconds(1) || last)) {
        store(batch);
        stored += int64_t(batch.size());
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
  if (error) std::rethrow_exception(error);
  return stored;
}

}  // namespace npufi
