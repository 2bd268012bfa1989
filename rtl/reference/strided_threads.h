#pragma once
// Spreads `count` items over threads: worker w of n takes items w, w + n, w + 2n, ...
#include <functional>

namespace npufi {

// Runs work(worker, workers) on min(threads, count) threads, at least one, and joins them. The first
// exception thrown by a worker is rethrown afterwards.
void run_strided(int count, int threads, const std::function<void(int worker, int workers)>& work);

}  // namespace npufi
