#include "rtl/sim/paged_bytes.h"

#include <algorithm>
#include <cstring>

namespace npufi {

PagedBytes::PagedBytes(const uint8_t* data, size_t size, const PagedBytes* previous) : size_(size) {
  const bool comparable = previous && previous->size_ == size;
  for (size_t at = 0, page = 0; at < size; at += kPageBytes, ++page) {
    const size_t bytes = std::min(kPageBytes, size - at);
    if (comparable && std::memcmp(previous->pages_[page]->data(), data + at, bytes) == 0) {
      pages_.push_back(previous->pages_[page]);
    } else {
      pages_.push_back(std::make_shared<const std::vector<uint8_t>>(data + at, data + at + bytes));
      own_bytes_ += bytes;
    }
  }
}

bool PagedBytes::equals(const uint8_t* data, size_t size) const {
  if (size != size_) return false;
  for (size_t page = 0; page < pages_.size(); ++page)
    if (std::memcmp(pages_[page]->data(), data + page * kPageBytes, pages_[page]->size()) != 0) return false;
  return true;
}

void PagedBytes::copy_to(uint8_t* data) const {
  for (size_t page = 0; page < pages_.size(); ++page)
    std::memcpy(data + page * kPageBytes, pages_[page]->data(), pages_[page]->size());
}

}  // namespace npufi
