#pragma once
// A saved copy of a large byte array (a testbench's memory) that shares every unchanged page with the
// copy saved before it: golden checkpoints of a design with a megabyte of memory then cost little more
// than the pages its run writes between them.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace npufi {

class PagedBytes {
 public:
  static constexpr size_t kPageBytes = 4096;

  PagedBytes() = default;
  // Copies data[0, size); pages equal to the same page of `previous` (when given) are shared with it.
  PagedBytes(const uint8_t* data, size_t size, const PagedBytes* previous = nullptr);

  size_t size() const { return size_; }
  bool empty() const { return pages_.empty(); }
  // Bytes of the pages this copy holds alone (not shared with the previous one).
  size_t own_bytes() const { return own_bytes_; }
  bool equals(const uint8_t* data, size_t size) const;
  void copy_to(uint8_t* data) const;

 private:
  using Page = std::shared_ptr<const std::vector<uint8_t>>;
  std::vector<Page> pages_;
  size_t size_ = 0;
  size_t own_bytes_ = 0;
};

}  // namespace npufi
