#include "models/zip_integrity.h"

#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <optional>
#include <vector>

namespace npufi {

namespace {

constexpr uint32_t kEndOfDirectory = 0x06054b50;
constexpr uint32_t kZip64EndLocator = 0x07064b50;
constexpr uint32_t kZip64End = 0x06064b50;
constexpr uint32_t kDirectoryEntry = 0x02014b50;
constexpr uint32_t kLocalHeader = 0x04034b50;
constexpr uint32_t kZip64Marker = 0xffffffff;

uint64_t little_endian(const uint8_t* p, int bytes) {
  uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

class ZipFile {
 public:
  explicit ZipFile(const std::string& path) : in_(path, std::ios::binary) {
    in_.seekg(0, std::ios::end);
    size_ = in_ ? uint64_t(in_.tellg()) : 0;
  }
  uint64_t size() const { return size_; }

  // `count` bytes at `offset`, or nullopt when they are not all in the file.
  std::optional<std::vector<uint8_t>> read(uint64_t offset, uint64_t count) {
    if (offset > size_ || count > size_ - offset) return std::nullopt;
    std::vector<uint8_t> bytes(count);
    in_.clear();
    in_.seekg(std::streamoff(offset));
    in_.read(reinterpret_cast<char*>(bytes.data()), std::streamsize(count));
    if (!in_) return std::nullopt;
    return bytes;
  }

 private:
  std::ifstream in_;
  uint64_t size_ = 0;
};

struct Entry {
  std::string name;
  uint32_t method = 0;
  uint32_t crc = 0;
  uint64_t compressed = 0;
  uint64_t uncompressed = 0;
  uint64_t local_header = 0;
};

// Where the central directory is and how many entries it has.
struct Directory {
  uint64_t offset = 0;
  uint64_t size = 0;
  uint64_t entries = 0;
};

// The entry name as a message may quote it: on one line.
std::string printable(const std::string& name) {
  std::string text = name;
  for (char& c : text)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  return text;
}

std::optional<Directory> find_directory(ZipFile& zip, std::string& problem) {
  const uint64_t tail = std::min<uint64_t>(zip.size(), 22 + 65535);  // the record and the longest comment
  const auto bytes = zip.read(zip.size() - tail, tail);
  if (!bytes || tail < 22) {
    problem = "truncated, or not a zip archive (no end of central directory)";
    return std::nullopt;
  }
  for (uint64_t at = tail - 22 + 1; at-- > 0;) {
    const uint8_t* r = bytes->data() + at;
    if (little_endian(r, 4) != kEndOfDirectory) continue;
    Directory d{little_endian(r + 16, 4), little_endian(r + 12, 4), little_endian(r + 10, 2)};
    const uint64_t end_at = zip.size() - tail + at;
    if (d.offset == kZip64Marker || d.entries == 0xffff) {  // the zip64 record holds the values
      const auto locator = end_at >= 20 ? zip.read(end_at - 20, 20) : std::nullopt;
      if (!locator || little_endian(locator->data(), 4) != kZip64EndLocator) break;
      const auto record = zip.read(little_endian(locator->data() + 8, 8), 56);
      if (!record || little_endian(record->data(), 4) != kZip64End) break;
      d = {little_endian(record->data() + 48, 8), little_endian(record->data() + 40, 8),
           little_endian(record->data() + 32, 8)};
    }
    if (d.offset > end_at || d.size > end_at - d.offset) break;
    return d;
  }
  problem = "truncated, or not a zip archive (no valid end of central directory)";
  return std::nullopt;
}

// Reads the directory entry at `at` into `e`; returns the size of the entry, or 0 if it is malformed.
uint64_t parse_entry(const std::vector<uint8_t>& dir, uint64_t at, Entry& e) {
  if (dir.size() - at < 46 || little_endian(&dir[at], 4) != kDirectoryEntry) return 0;
  const uint8_t* r = &dir[at];
  const uint64_t name = little_endian(r + 28, 2), extra = little_endian(r + 30, 2), comment = little_endian(r + 32, 2);
  if (dir.size() - at - 46 < name + extra + comment) return 0;
  e.method = uint32_t(little_endian(r + 10, 2));
  e.crc = uint32_t(little_endian(r + 16, 4));
  e.compressed = little_endian(r + 20, 4);
  e.uncompressed = little_endian(r + 24, 4);
  e.local_header = little_endian(r + 42, 4);
  e.name = printable(std::string(reinterpret_cast<const char*>(r + 46), name));
  // Zip64: the extra field 0x0001 holds, in this order, each of the three values marked 0xffffffff.
  for (uint64_t x = 46 + name; x + 4 <= 46 + name + extra;) {
    const uint64_t id = little_endian(r + x, 2), length = little_endian(r + x + 2, 2);
    if (x + 4 + length > 46 + name + extra) return 0;
    if (id == 0x0001) {
      uint64_t field = x + 4;
      for (uint64_t* value : {&e.uncompressed, &e.compressed, &e.local_header}) {
        if (*value != kZip64Marker) continue;
        if (field + 8 > x + 4 + length) return 0;
        *value = little_endian(r + field, 8);
        field += 8;
      }
    }
    x += 4 + length;
  }
  return 46 + name + extra + comment;
}

// The CRC-32 of the entry's data as stored (method 0) or inflated (method 8); checks the sizes too.
std::string check_data(ZipFile& zip, const Entry& e, uint64_t data_at) {
  constexpr uint64_t kChunk = 1 << 20;
  uLong crc = crc32(0, nullptr, 0);
  uint64_t produced = 0;
  z_stream inflater{};
  if (e.method == 8 && inflateInit2(&inflater, -MAX_WBITS) != Z_OK) return "cannot inflate " + e.name;
  std::vector<uint8_t> out(e.method == 8 ? kChunk : 0);
  std::string problem;
  for (uint64_t done = 0; done < e.compressed && problem.empty();) {
    const uint64_t count = std::min(kChunk, e.compressed - done);
    const auto chunk = zip.read(data_at + done, count);
    if (!chunk) {
      problem = "entry " + e.name + " runs past the end of the file";
      break;
    }
    done += count;
    if (e.method == 0) {
      crc = crc32(crc, chunk->data(), uInt(count));
      produced += count;
      continue;
    }
    inflater.next_in = const_cast<Bytef*>(chunk->data());
    inflater.avail_in = uInt(count);
    while (inflater.avail_in > 0 && problem.empty()) {
      inflater.next_out = out.data();
      inflater.avail_out = uInt(out.size());
      const int status = inflate(&inflater, Z_NO_FLUSH);
      if (status != Z_OK && status != Z_STREAM_END) problem = "entry " + e.name + " does not inflate";
      const uint64_t n = out.size() - inflater.avail_out;
      crc = crc32(crc, out.data(), uInt(n));
      produced += n;
      if (status == Z_STREAM_END) break;
    }
  }
  if (e.method == 8) inflateEnd(&inflater);
  if (!problem.empty()) return problem;
  if (produced != e.uncompressed) return "entry " + e.name + " holds " + std::to_string(produced) + " bytes, not " +
                                         std::to_string(e.uncompressed);
  if (crc != e.crc) return "entry " + e.name + " fails its CRC-32 check (corrupt)";
  return "";
}

}  // namespace

std::string zip_integrity_problem(const std::string& path) {
  ZipFile zip(path);
  std::string problem;
  const std::optional<Directory> d = find_directory(zip, problem);
  if (!d) return problem;
  const auto dir = zip.read(d->offset, d->size);
  if (!dir) return "truncated (the central directory lies outside the file)";
  uint64_t at = 0;
  for (uint64_t i = 0; i < d->entries; ++i) {
    Entry e;
    const uint64_t length = parse_entry(*dir, at, e);
    if (!length) return "malformed central directory entry " + std::to_string(i);
    at += length;
    if (e.method != 0 && e.method != 8) return "entry " + e.name + " uses compression method " + std::to_string(e.method);
    const auto local = zip.read(e.local_header, 30);
    if (!local || little_endian(local->data(), 4) != kLocalHeader) return "entry " + e.name + " has no local header";
    const uint64_t name = little_endian(local->data() + 26, 2), extra = little_endian(local->data() + 28, 2);
    const auto local_name = zip.read(e.local_header + 30, name);
    if (!local_name || printable(std::string(local_name->begin(), local_name->end())) != e.name)
      return "entry " + e.name + ": the local header names another entry";
    if (e.method == 0 && e.compressed != e.uncompressed) return "entry " + e.name + " has inconsistent sizes";
    problem = check_data(zip, e, e.local_header + 30 + name + extra);
    if (!problem.empty()) return problem;
  }
  return "";
}

}  // namespace npufi
