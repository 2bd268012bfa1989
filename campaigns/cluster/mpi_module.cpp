// The MPI transport (transport.h): one rank of an MPI job, on Open MPI or any MPI. Only the process's main
// thread calls MPI (MPI_THREAD_FUNNELED); worker threads never do. Sends never wait for the receiver
// (MPI_Isend): two ranks sending each other large messages at once would otherwise wait for each other
// for ever.
#include <mpi.h>

#include <cstdio>
#include <list>
#include <string>

#include "campaigns/cluster/transport.h"

namespace npufi {
namespace {

class MpiTransport : public Transport {
 public:
  MpiTransport() {
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
    char name[MPI_MAX_PROCESSOR_NAME];
    int length = 0;
    MPI_Get_processor_name(name, &length);
    host_.assign(name, size_t(length));
  }
  ~MpiTransport() override {
    for (Sending& s : sending_) MPI_Wait(&s.request, MPI_STATUS_IGNORE);
    MPI_Finalize();
  }

  int rank() const override { return rank_; }
  int size() const override { return size_; }
  std::string host() const override { return host_; }

  void send(int to, Tag tag, const std::string& bytes) override {
    Sending& s = sending_.emplace_back();
    s.bytes = bytes;
    MPI_Isend(s.bytes.data(), int(s.bytes.size()), MPI_BYTE, to, int(tag), MPI_COMM_WORLD, &s.request);
    finish_sends();
  }

  std::optional<Message> poll() override {
    finish_sends();
    int arrived = 0;
    MPI_Status status;
    MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &arrived, &status);
    if (!arrived) return std::nullopt;
    int count = 0;
    MPI_Get_count(&status, MPI_BYTE, &count);
    Message message{status.MPI_SOURCE, Tag(status.MPI_TAG), std::string(size_t(count), '\0')};
    MPI_Recv(message.bytes.data(), count, MPI_BYTE, status.MPI_SOURCE, status.MPI_TAG, MPI_COMM_WORLD,
             MPI_STATUS_IGNORE);
    return message;
  }

 private:
  // A message on its way; its bytes live until MPI has sent them.
  struct Sending {
    std::string bytes;
    MPI_Request request;
  };

  void finish_sends() {
    for (auto s = sending_.begin(); s != sending_.end();) {
      int done = 0;
      MPI_Test(&s->request, &done, MPI_STATUS_IGNORE);
      s = done ? sending_.erase(s) : std::next(s);
    }
  }

  std::list<Sending> sending_;
  int rank_ = 0;
  int size_ = 1;
  std::string host_;
};

}  // namespace
}  // namespace npufi

extern "C" npufi::Transport* npufi_open_mpi_transport(char* error, unsigned long error_size) {
  int provided = 0;
  if (MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) {
    std::snprintf(error, error_size, "MPI_Init_thread failed");
    return nullptr;
  }
  if (provided < MPI_THREAD_FUNNELED) {
    std::snprintf(error, error_size, "this MPI does not support MPI_THREAD_FUNNELED");
    MPI_Finalize();
    return nullptr;
  }
  return new npufi::MpiTransport();
}
