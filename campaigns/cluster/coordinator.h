#pragma once
// Rank 0's side of a campaign run by several processes (docs/cluster.md): it plans, hands out tasks to the
// other ranks when they ask for them, takes their results back, and is the only writer of the database.
// One coordinator serves all the phases of a run (the rounds of a sequential campaign): a rank that asks
// for work between two phases waits for the next one.
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "campaigns/cluster/transport.h"

namespace npufi {

class Coordinator {
 public:
  explicit Coordinator(Transport& transport);
  Coordinator(const Coordinator&) = delete;
  Coordinator& operator=(const Coordinator&) = delete;
  ~Coordinator();  // finish()

  // The campaign identity every rank must have computed from its own inputs.
  void expect(const std::string& campaign_key);

  // Up to `max` tasks, encoded (wire.h), and how many; none when there is nothing left to hand out.
  using HandOut = std::function<std::pair<int64_t, std::string>(int64_t max)>;
  // Handles what has arrived: requests are answered from hand_out, results (encoded rows) are appended to
  // `results`. Throws std::runtime_error naming the rank when a rank failed or runs another campaign.
  void poll(const HandOut& hand_out, std::vector<std::string>& results);
  int ranks() const { return int(ranks_.size()); }
  // Tasks handed out whose results have not come back.
  int64_t outstanding() const { return outstanding_; }
  // Rows each rank has sent back (rank 0's own are not counted).
  std::vector<int64_t> results_by_rank() const;
  // A rank was stopped (Ctrl-C, SIGTERM): the run stops, to be resumed.
  bool rank_stopped() const { return rank_stopped_; }

  // Tells every rank that the run is over and waits for each one's last message. Called once; later calls
  // do nothing.
  void finish();

 private:
  struct Rank {
    std::string key;  // empty until its hello
    std::string host;
    int64_t wants = 0;
    int64_t outstanding = 0;
    int64_t results = 0;
  };
  std::string name(int rank) const;

  Transport& transport_;
  std::string key_;
  std::vector<Rank> ranks_;
  int64_t outstanding_ = 0;
  bool rank_stopped_ = false;
  bool finished_ = false;
};

}  // namespace npufi
