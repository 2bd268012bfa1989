#pragma once
// Private to models/: a gzip file read front to back (a plain file reads as itself), every short read an
// error naming the file; the IDX format's big-endian integers and magic numbers.
#include <zlib.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <string>

#include "models/dataset.h"

namespace npufi {

// A gzip file read front to back; every short read is an error naming the file.
class GzipReader {
 public:
  explicit GzipReader(const std::string& path) : path_(path), file_(gzopen(path.c_str(), "rb")) {
    if (!file_) throw DatasetError(path_ + ": cannot open");
  }
  ~GzipReader() { gzclose(file_); }
  GzipReader(const GzipReader&) = delete;
  GzipReader& operator=(const GzipReader&) = delete;

  void read(uint8_t* out, size_t size) {
    while (size > 0) {
      const unsigned chunk = size < (1u << 30) ? unsigned(size) : (1u << 30);
      const int got = gzread(file_, out, chunk);
      if (got <= 0) throw DatasetError(path_ + ": truncated or not gzip IDX data");
      out += got;
      size -= size_t(got);
    }
  }

  uint32_t read_u32() {  // IDX integers are big-endian
    std::array<uint8_t, 4> b{};
    read(b.data(), b.size());
    return uint32_t(b[0]) << 24 | uint32_t(b[1]) << 16 | uint32_t(b[2]) << 8 | uint32_t(b[3]);
  }

  void expect_magic(uint32_t magic) {
    const uint32_t got = read_u32();
    if (got != magic) {
      char text[96];
      std::snprintf(text, sizeof text, ": bad IDX magic number 0x%08x (expected 0x%08x)", got, magic);
      throw DatasetError(path_ + text);
    }
  }

  void expect_end() {
    uint8_t extra = 0;
    if (gzread(file_, &extra, 1) != 0) throw DatasetError(path_ + ": trailing data after the IDX payload");
  }

  const std::string& path() const { return path_; }

 private:
  std::string path_;
  gzFile file_;
};

}  // namespace npufi
