#include "campaigns/cluster/worker_rank.h"

namespace npufi {

void say_hello(Transport& transport, const std::string& campaign_key) {
  WireWriter w;
  w.text(campaign_key);
  w.text(transport.host());
  transport.send(0, Tag::hello, w.take());
}

void leave_after_failure(Transport& transport, const std::string& message) {
  WireWriter w;
  w.text(message);
  transport.send(0, Tag::fail, w.take());
  while (true) {
    const std::optional<Message> m = transport.poll();
    if (m && m->tag == Tag::end) break;
    if (!m) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  transport.send(0, Tag::bye, "");
}

}  // namespace npufi
