#pragma once
// A one-line progress bar with rate and ETA on stderr; silent when stderr is not a terminal.
#include <chrono>
#include <cstdint>
#include <string>

namespace npufi {

class ProgressBar {
 public:
  // `done` trials were finished before this run; the rate counts only this run's.
  ProgressBar(std::string label, int64_t total, int64_t done);
  ~ProgressBar();

  void update(int64_t done);
  void finish();

 private:
  std::string label_;
  int64_t total_;
  int64_t start_done_;
  bool enabled_;
  bool finished_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace npufi
