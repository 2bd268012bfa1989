#pragma once
// How the ranks of a campaign run by several processes exchange messages (docs/cluster.md). The MPI
// implementation is a module of its own (mpi_module.cpp), loaded only in a process that mpirun or srun
// started (open_transport.h): npufi builds and runs where MPI is not installed, and no header of npufi
// includes mpi.h.
#include <optional>
#include <string>

namespace npufi {

// What a message says; its bytes are encoded by campaigns/cluster/wire.h.
enum class Tag : int {
  hello = 1,    // rank > 0 to 0: its campaign key, threads and host, once its setup is done
  request = 2,  // rank > 0 to 0: give me up to n tasks
  tasks = 3,    // 0 to rank: tasks to run
  results = 4,  // rank > 0 to 0: rows of finished tasks
  leave = 5,    // rank > 0 to 0: stopped by a signal; the run stops
  fail = 6,     // rank > 0 to 0: an error, its one-line message
  end = 7,      // 0 to rank: the run is over
  bye = 8,      // rank > 0 to 0: the last message of a rank, after end
};

struct Message {
  int from = 0;
  Tag tag = Tag::hello;
  std::string bytes;
};

class Transport {
 public:
  virtual ~Transport() = default;  // MPI: MPI_Finalize
  virtual int rank() const = 0;
  virtual int size() const = 0;
  virtual std::string host() const = 0;
  virtual void send(int to, Tag tag, const std::string& bytes) = 0;
  // A message that has arrived, if any; never waits.
  virtual std::optional<Message> poll() = 0;
};

}  // namespace npufi

// The MPI module's entry point: initializes MPI and returns its transport, or nullptr with a one-line
// reason in `error`.
extern "C" npufi::Transport* npufi_open_mpi_transport(char* error, unsigned long error_size);
