#include "campaigns/progress_bar.h"

#include <unistd.h>

#include <cstdio>

namespace npufi {

namespace {

std::string clock_text(double seconds) {
  const auto s = int64_t(seconds + 0.5);
  char text[32];
  std::snprintf(text, sizeof text, "%lld:%02lld:%02lld", (long long)(s / 3600), (long long)(s / 60 % 60),
                (long long)(s % 60));
  return text;
}

}  // namespace

ProgressBar::ProgressBar(std::string label, int64_t total, int64_t done, std::chrono::seconds log_interval)
    : label_(std::move(label)),
      total_(total),
      start_done_(done),
      terminal_(isatty(STDERR_FILENO)),
      log_interval_(log_interval),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {
  update(done);
}

ProgressBar::~ProgressBar() { finish(); }

void ProgressBar::update(int64_t done) {
  if (finished_) return;
  const auto now = std::chrono::steady_clock::now();
  if (terminal_ ? done < total_ && now - last_draw_ < std::chrono::milliseconds(100)
                : done == total_ || now - last_draw_ < log_interval_)
    return;
  last_draw_ = now;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double rate = elapsed > 0 ? double(done - start_done_) / elapsed : 0.0;
  const std::string eta = rate > 0 ? clock_text(double(total_ - done) / rate) : "--:--:--";
  if (!terminal_) {
    std::fprintf(stderr, "%s: %lld of %lld done, %.2f/s, about %s left\n", label_.c_str(), (long long)done,
                 (long long)total_, rate, eta.c_str());
    return;
  }
  constexpr int width = 30;
  const int filled = total_ ? int(width * done / total_) : width;
  std::fprintf(stderr, "\r%s [%s%s] %lld/%lld  %.1f/s  ETA %s ", label_.c_str(), std::string(filled, '#').c_str(),
               std::string(width - filled, '.').c_str(), (long long)done, (long long)total_, rate, eta.c_str());
  std::fflush(stderr);
}

void ProgressBar::finish() {
  if (finished_) return;
  finished_ = true;
  if (terminal_) std::fputc('\n', stderr);
}

}  // namespace npufi
