#include "rtl/reference/strided_threads.h"

#include <algorithm>
#include <exception>
#include <thread>
#include <vector>

namespace npufi {

void run_strided(int count, int threads, const std::function<void(int worker, int workers)>& work) {
  const int workers = std::max(1, std::min(threads, count));
  std::vector<std::exception_ptr> errors(static_cast<size_t>(workers));
  std::vector<std::jthread> pool;
  for (int w = 0; w < workers; ++w) {
    pool.emplace_back([&, w] {
      try {
        work(w, workers);
      } catch (...) {
        errors[size_t(w)] = std::current_exception();
      }
    });
  }
  pool.clear();  // joins
  for (const std::exception_ptr& error : errors) {
    if (error) std::rethrow_exception(error);
  }
}

}  // namespace npufi
