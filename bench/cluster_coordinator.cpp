// Benchmark: the coordinator's headroom in an MPI campaign run (campaigns/cluster, docs/cluster.md): how
// many injections per second rank 0 takes from the other ranks and stores. The other ranks send
// precomputed RTL injection rows as fast as rank 0 hands out tasks; rank 0 runs no trials of its own, so it
// does exactly what it does in a real run: answering requests, receiving, decoding and storing in batched
// transactions. Baseline, in the same process: the same rows stored directly (Store::insert_injections in
// batches of 256), the database's own ceiling. From the rate and a per-core RTL injection rate, the largest
// cluster rank 0 can keep busy.
//
//   mpirun -np 3 npufi_bench_cluster_coordinator [--rows 400000] [--per-core 2304]
//   (--per-core: one core's optimized RTL injections/s; 2,304 is npu64's in docs/benchmarks.md)
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <numeric>
#include <sstream>

#include "bench/bench_args.h"
#include "campaigns/cluster/coordinator.h"
#include "campaigns/cluster/open_transport.h"
#include "campaigns/cluster/worker_rank.h"
#include "campaigns/trial_loop.h"
#include "db/store.h"

namespace {

using namespace npufi;

constexpr const char* kKey = "bench-coordinator";

// A typical stored injection, numbered `index`.
db::InjectionRow precomputed(int64_t index) {
  db::InjectionRow r;
  r.injection = index;
  r.image = int(index % 4);
  r.block = "weight_buffer";
  r.site = "weight_buffer.mem[" + std::to_string(index % 4096) + "][5]";
  r.storage = "sram";
  r.bit = index * 7 % 100000;
  r.model = "seu";
  r.cycle = index % 60000;
  r.outcome = index % 20 ? "masked" : "sdc_benign";
  r.simulated_cycles = 490;
  r.ended_by = "converged";
  return r;
}

// A fresh database with one campaign; returns its store and the campaign id.
std::pair<db::Store, int64_t> fresh_campaign(const std::string& path, int64_t rows) {
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  db::Store store = db::Store::open(path, db::Store::Mode::read_write);
  db::CampaignRow c;
  c.name = "bench";
  c.key = kKey;
  c.total_trials = rows;
  c.status = "running";
  const int64_t id = store.create_campaign(c, {{"npu64", 4, 4}}, {{"weight_buffer", "sram", 32768, 60000}});
  return {std::move(store), id};
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  const int64_t rows = std::stoll(bench_arg(argc, argv, "--rows", "400000"));
  const double per_core = std::stod(bench_arg(argc, argv, "--per-core", "2304"));
  std::unique_ptr<Transport> cluster = open_cluster_transport();
  if (!cluster) {
    std::fprintf(stderr, "run it under mpirun with 2 or more ranks: mpirun -np 3 %s\n", argv[0]);
    return 2;
  }
  if (cluster->rank() != 0) {
    say_hello(*cluster, kKey);
    serve_tasks<int64_t, db::InjectionRow>(*cluster, 1, nullptr, [] { return [](int64_t i) { return precomputed(i); }; });
    return 0;
  }

  const std::string dir = std::filesystem::temp_directory_path() / ("npufi-bench-coordinator-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::vector<int64_t> pending(static_cast<size_t>(rows));
  std::iota(pending.begin(), pending.end(), 0);

  // Baseline: the rows stored directly, as one process with free results would.
  std::vector<db::InjectionRow> all;
  for (int64_t i = 0; i < rows; ++i) all.push_back(precomputed(i));
  double direct = 0;
  {
    auto [store, id] = fresh_campaign(dir + "/direct.db", rows);
    const auto start = std::chrono::steady_clock::now();
    for (size_t begin = 0; begin < all.size(); begin += 256)
      store.insert_injections(id, std::vector<db::InjectionRow>(all.begin() + long(begin),
                                                                 all.begin() + long(std::min(all.size(), begin + 256))));
    direct = double(rows) / seconds_since(start);
  }

  double coordinated = 0;
  {
    auto [store, id] = fresh_campaign(dir + "/coordinated.db", rows);
    Coordinator coordinator(*cluster);
    coordinator.expect(kKey);
    ProgressBar progress("coordinator", rows, 0);
    const auto start = std::chrono::steady_clock::now();
    const int64_t stored = run_trials<db::InjectionRow>(
        pending, 0, nullptr, progress, 0, [] { return [](int64_t i) { return precomputed(i); }; },
        [&, id = id](const std::vector<db::InjectionRow>& batch) { store.insert_injections(id, batch); }, &coordinator);
    coordinated = double(stored) / seconds_since(start);
    coordinator.finish();
    if (stored != rows || int64_t(store.completed_injections(id).size()) != rows) {
      std::fprintf(stderr, "stored %lld of %lld rows\n", (long long)stored, (long long)rows);
      return 1;
    }
  }
  std::filesystem::remove_all(dir);

  std::printf("ranks sending: %d\n", cluster->size() - 1);
  std::printf("rows: %lld\n", (long long)rows);
  std::printf("stored directly (baseline): %.0f injections/s\n", direct);
  std::printf("taken from the ranks and stored by rank 0: %.0f injections/s\n", coordinated);
  std::printf("coordinated / direct: %.2f\n", coordinated / direct);
  std::printf("per-core RTL rate assumed: %.0f injections/s\n", per_core);
  std::printf("cores rank 0 can feed at that rate: %.0f\n", coordinated / per_core);
  return 0;
}
