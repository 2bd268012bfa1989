#include "campaigns/cluster/coordinator.h"

#include <chrono>
#include <stdexcept>
#include <thread>

#include "campaigns/cluster/wire.h"

namespace npufi {

Coordinator::Coordinator(Transport& transport) : transport_(transport), ranks_(size_t(transport.size())) {}

Coordinator::~Coordinator() {
  try {
    finish();
  } catch (const std::exception&) {
    // Ending the job is all that is left to do; MPI reports a rank that cannot be reached.
  }
}

std::string Coordinator::name(int rank) const {
  const std::string& host = ranks_[size_t(rank)].host;
  return "rank " + std::to_string(rank) + (host.empty() ? "" : " (" + host + ")");
}

void Coordinator::expect(const std::string& campaign_key) { key_ = campaign_key; }

void Coordinator::poll(const HandOut& hand_out, std::vector<std::string>& results) {
  for (int handled = 0; handled < 1000; ++handled) {
    std::optional<Message> message = transport_.poll();
    if (!message) break;
    Rank& rank = ranks_[size_t(message->from)];
    WireReader reader(message->bytes);
    switch (message->tag) {
      case Tag::hello:
        rank.key = reader.text();
        rank.host = reader.text();
        break;
      case Tag::request:
        rank.wants = reader.i64();
        break;
      case Tag::results: {
        const int64_t count = encoded_count(message->bytes);
        rank.outstanding -= count;
        rank.results += count;
        outstanding_ -= count;
        results.push_back(std::move(message->bytes));
        break;
      }
      case Tag::leave:
        rank_stopped_ = true;
        break;
      case Tag::fail:
        throw std::runtime_error(name(message->from) + ": " + reader.text());
      default:
        throw std::runtime_error(name(message->from) + " sent an unexpected message (" +
                                 std::to_string(int(message->tag)) + ")");
    }
  }
  for (int r = 1; r < int(ranks_.size()); ++r) {
    Rank& rank = ranks_[size_t(r)];
    if (rank.key.empty() || rank.wants == 0) continue;
    if (rank.key != key_)
      throw std::runtime_error(name(r) + " computed another campaign identity than rank 0 (" + rank.key.substr(0, 12) +
                               " against " + key_.substr(0, 12) + "): its model, data or campaign file differ");
    auto [count, tasks] = hand_out(rank.wants);
    if (count == 0) continue;
    transport_.send(r, Tag::tasks, tasks);
    rank.wants = 0;
    rank.outstanding += count;
    outstanding_ += count;
  }
}

std::vector<int64_t> Coordinator::results_by_rank() const {
  std::vector<int64_t> results;
  for (const Rank& rank : ranks_) results.push_back(rank.results);
  return results;
}

void Coordinator::finish() {
  if (finished_) return;
  finished_ = true;
  for (int r = 1; r < int(ranks_.size()); ++r) transport_.send(r, Tag::end, "");
  // Whatever still arrives is dropped: a resumed run computes it again.
  for (int waiting = int(ranks_.size()) - 1; waiting > 0;) {
    std::optional<Message> message = transport_.poll();
    if (!message) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    else if (message->tag == Tag::bye) --waiting;
  }
}

}  // namespace npufi
