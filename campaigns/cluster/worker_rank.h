#pragma once
// The side of a rank other than 0 in a campaign run by several processes (docs/cluster.md): once its own
// setup is done it says hello with its campaign identity, then asks rank 0 for tasks, runs them on its
// worker threads and streams the rows back, until rank 0 says the run is over. It never opens the database.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "campaigns/cluster/transport.h"
#include "campaigns/cluster/wire.h"
#include "campaigns/trial_loop.h"

namespace npufi {

// Thrown by a rank whose error rank 0 has been told (and reports): the rank exits without printing it.
struct ReportedToRankZero : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Says hello (this rank's campaign key and host) to rank 0.
void say_hello(Transport& transport, const std::string& campaign_key);
// Tells rank 0 about an error of this rank's own (its campaign file, model or data, say), and leaves once
// rank 0 has ended the run: rank 0 reports the error.
void leave_after_failure(Transport& transport, const std::string& message);

// Runs the tasks rank 0 hands out on `threads` workers: make_worker() runs on each worker thread and returns
// its trial function, Row(const Task&). Returns when rank 0 ends the run; throws ReportedToRankZero when a
// worker failed. `stop` (Ctrl-C, SIGTERM) makes the rank leave, which stops the whole run.
template <class Task, class Row, class MakeWorker>
void serve_tasks(Transport& transport, int threads, const std::atomic<bool>* stop, MakeWorker&& make_worker) {
  std::mutex mutex;
  std::condition_variable ready;
  std::deque<Task> tasks;
  bool ending = false;
  ResultQueue<Row> results;
  std::vector<std::thread> workers;
  const int worker_count = std::max(1, threads);
  for (int w = 0; w < worker_count; ++w) {
    workers.emplace_back([&] {
      try {
        auto trial = make_worker();
        while (true) {
          Task task;
          {
            std::unique_lock lock(mutex);
            ready.wait(lock, [&] { return ending || !tasks.empty(); });
            if (ending) break;
            task = tasks.front();
            tasks.pop_front();
          }
          results.push(trial(task));
        }
      } catch (...) {
        results.fail(std::current_exception());
      }
      results.worker_done();
    });
  }

  bool requested = false, leaving = false, ended = false;
  std::string failure;
  std::vector<Row> finished;
  const auto start = std::chrono::steady_clock::now();
  auto last_send = start;
  int64_t done = 0;
  int workers_done = 0;
  while (!ended) {
    // Ask for about 0.2 s of work at the rate seen so far (at least a task per thread), before the tasks in
    // hand run out: a message's round trip costs more than a fast task.
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const auto wanted = std::clamp<int64_t>(int64_t(0.2 * double(done) / std::max(seconds, 0.01)), worker_count, 65536);
    if (!requested && !leaving) {
      std::lock_guard lock(mutex);
      if (int64_t(tasks.size()) < wanted / 2 + 1) {
        WireWriter w;
        w.i64(wanted);
        transport.send(0, Tag::request, w.take());
        requested = true;
      }
    }
    while (std::optional<Message> message = transport.poll()) {
      if (message->tag == Tag::end) {
        ended = true;
        break;
      }
      if (message->tag != Tag::tasks) continue;
      std::lock_guard lock(mutex);
      std::vector<Task> received;
      decode_all(message->bytes, received);
      tasks.insert(tasks.end(), received.begin(), received.end());
      requested = false;
      ready.notify_all();
    }
    std::exception_ptr error;
    for (Row& row : results.take(std::chrono::milliseconds(2), workers_done, error)) {
      finished.push_back(std::move(row));
      ++done;
    }
    const auto now = std::chrono::steady_clock::now();
    if (!finished.empty() && (finished.size() >= 1024 || now - last_send > std::chrono::milliseconds(100) || ended)) {
      if (!leaving) transport.send(0, Tag::results, encode_all(finished.data(), finished.size()));
      finished.clear();
      last_send = now;
    }
    if (error && !leaving) {
      try {
        std::rethrow_exception(error);
      } catch (const std::exception& e) {
        failure = e.what();
      }
      WireWriter w;
      w.text(failure);
      transport.send(0, Tag::fail, w.take());
      leaving = true;
    }
    if (stop && stop->load() && !leaving) {
      transport.send(0, Tag::leave, "");
      leaving = true;
    }
  }
  {
    std::lock_guard lock(mutex);
    ending = true;
    ready.notify_all();
  }
  for (std::thread& w : workers) w.join();
  transport.send(0, Tag::bye, "");
  if (!failure.empty()) throw ReportedToRankZero(failure);
}

}  // namespace npufi
