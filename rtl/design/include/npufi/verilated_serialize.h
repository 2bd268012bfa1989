#pragma once
// A Verilated model's whole state (--savable) saved to and restored from memory.
#include <cstdint>
#include <vector>

#include "verilated.h"
#include "verilated_save.h"

namespace npufi {

// Serializes into a growing byte vector.
class MemorySerialize final : public VerilatedSerialize {
 public:
  explicit MemorySerialize(std::vector<uint8_t>& out) : out_(out) { out_.clear(); }
  void flush() override {
    out_.insert(out_.end(), m_bufp, m_cp);
    m_cp = m_bufp;
  }

 private:
  std::vector<uint8_t>& out_;
};

// Deserializes from bytes held elsewhere, without copying them.
class MemoryDeserialize final : public VerilatedDeserialize {
 public:
  MemoryDeserialize(const uint8_t* data, size_t size) : own_(m_bufp) {
    m_cp = const_cast<uint8_t*>(data);
    m_endp = m_cp + size;
  }
  explicit MemoryDeserialize(const std::vector<uint8_t>& in) : MemoryDeserialize(in.data(), in.size()) {}
  ~MemoryDeserialize() override { m_bufp = own_; }
  void fill() override {}  // everything is already in place

 private:
  uint8_t* own_;
};

}  // namespace npufi
