#pragma once
// The bytes of the messages between ranks (transport.h): tasks (trial or injection indices, or a
// sequential campaign's scheduled injections) and the rows of their results. Numbers are sent as their
// bit patterns, so a row arrives exactly as it was computed; every rank runs the same build.
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "campaigns/sequential_schedule.h"
#include "db/store.h"

namespace npufi {

class WireWriter {
 public:
  void i64(int64_t v) { raw(&v, sizeof v); }
  void f64(double v) { raw(&v, sizeof v); }
  void text(const std::string& s) {
    i64(int64_t(s.size()));
    bytes_ += s;
  }
  void optional(const std::optional<int>& v) {
    i64(v.has_value());
    if (v) i64(*v);
  }
  std::string take() { return std::move(bytes_); }

 private:
  void raw(const void* p, size_t n) { bytes_.append(static_cast<const char*>(p), n); }
  std::string bytes_;
};

class WireReader {
 public:
  explicit WireReader(const std::string& bytes) : bytes_(bytes) {}
  int64_t i64() {
    int64_t v;
    raw(&v, sizeof v);
    return v;
  }
  double f64() {
    double v;
    raw(&v, sizeof v);
    return v;
  }
  std::string text() {
    const auto n = size_t(i64());
    check(n);
    std::string s = bytes_.substr(at_, n);
    at_ += n;
    return s;
  }
  std::optional<int> optional() {
    if (!i64()) return std::nullopt;
    return int(i64());
  }
  bool done() const { return at_ == bytes_.size(); }

 private:
  void check(size_t n) const {
    if (bytes_.size() - at_ < n) throw std::runtime_error("a message between ranks is cut short");
  }
  void raw(void* p, size_t n) {
    check(n);
    std::memcpy(p, bytes_.data() + at_, n);
    at_ += n;
  }
  const std::string& bytes_;
  size_t at_ = 0;
};

void write(WireWriter& w, int64_t task);
void write(WireWriter& w, const ScheduledInjection& task);
void write(WireWriter& w, const db::TrialRow& row);
void write(WireWriter& w, const db::InjectionRow& row);
void read(WireReader& r, int64_t& task);
void read(WireReader& r, ScheduledInjection& task);
void read(WireReader& r, db::TrialRow& row);
void read(WireReader& r, db::InjectionRow& row);

// A count, then the items.
template <class T>
std::string encode_all(const T* items, size_t count) {
  WireWriter w;
  w.i64(int64_t(count));
  for (size_t i = 0; i < count; ++i) write(w, items[i]);
  return w.take();
}

// The count an encoded list starts with.
int64_t encoded_count(const std::string& bytes);

template <class T>
void decode_all(const std::string& bytes, std::vector<T>& out) {
  WireReader r(bytes);
  for (int64_t n = r.i64(); n > 0; --n) read(r, out.emplace_back());
  if (!r.done()) throw std::runtime_error("a message between ranks has bytes left over");
}

}  // namespace npufi
