#include <ATen/Context.h>
#include <ATen/Parallel.h>

#include <stdexcept>
#include <string>
#include <thread>

#include "models/model.h"

namespace npufi {

void set_compute_threads(int n) {
  if (n < 1) throw std::invalid_argument("compute threads must be >= 1, not " + std::to_string(n));
  at::set_num_threads(n);  // LibTorch's intra-op (OpenMP) threads; it starts with 1 here
}

void flush_subnormals_to_zero() { at::globalContext().setFlushDenormal(true); }

int default_thread_count() { return int(std::max(1u, std::thread::hardware_concurrency())); }

}  // namespace npufi
