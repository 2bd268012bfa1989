#pragma once
// Progress with rate and ETA on stderr: a bar redrawn in place on a terminal, otherwise (a log file) a plain
// line every 30 seconds.
#include <chrono>
#include <cstdint>
#include <string>

namespace npufi {

class ProgressBar {
 public:
  // `done` trials were finished before this run; the rate counts only this run's. `log_interval`: the time
  // between two lines when stderr is not a terminal.
  ProgressBar(std::string label, int64_t total, int64_t done,
              std::chrono::seconds log_interval = std::chrono::seconds(30));
  ~ProgressBar();

  void update(int64_t done);
  void finish();

 private:
  std::string label_;
  int64_t total_;
  int64_t start_done_;
  bool terminal_;
  std::chrono::seconds log_interval_;
  bool finished_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace npufi
