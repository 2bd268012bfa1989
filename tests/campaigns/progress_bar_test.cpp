// Progress in a log file (stderr is not a terminal under ctest): plain lines, at most one per interval,
// none for the final count (the summary follows it).
#include "campaigns/progress_bar.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>

namespace npufi {
namespace {

TEST(ProgressBar, LogFileGetsPlainLinesAtMostOncePerInterval) {
  if (isatty(STDERR_FILENO)) GTEST_SKIP() << "stderr is a terminal; run with stderr redirected (ctest does)";
  testing::internal::CaptureStderr();
  {
    ProgressBar bar("demo", 4, 1, std::chrono::seconds(0));
    bar.update(2);
    bar.update(4);
  }
  const std::string every = testing::internal::GetCapturedStderr();
  EXPECT_EQ(every.rfind("demo: 1 of 4 done, 0.00/s, about --:--:-- left\ndemo: 2 of 4 done, ", 0), 0u) << every;
  EXPECT_EQ(std::count(every.begin(), every.end(), '\n'), 2) << every;

  testing::internal::CaptureStderr();
  {
    ProgressBar bar("demo", 4, 1, std::chrono::hours(1));  // a run far shorter than the interval prints none
    bar.update(2);
    bar.update(4);
  }
  EXPECT_EQ(testing::internal::GetCapturedStderr(), "");
}

}  // namespace
}  // namespace npufi
