#include "models/dataset.h"

#include <zlib.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

namespace npufi {
namespace {

constexpr uint32_t kImagesMagic = 0x00000803;  // unsigned byte, 3 dimensions
constexpr uint32_t kLabelsMagic = 0x00000801;  // unsigned byte, 1 dimension

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

}  // namespace

ImageSet ImageSet::slice(int begin, int end) const {
  if (begin < 0 || begin > end || end > count) {
    throw std::out_of_range("ImageSet::slice: [" + std::to_string(begin) + ", " + std::to_string(end) +
                            ") is outside [0, " + std::to_string(count) + ")");
  }
  const size_t image_size = size_t(rows) * size_t(cols);
  ImageSet out;
  out.count = end - begin;
  out.rows = rows;
  out.cols = cols;
  out.pixels.assign(pixels.begin() + ptrdiff_t(begin * image_size), pixels.begin() + ptrdiff_t(end * image_size));
  out.labels.assign(labels.begin() + begin, labels.begin() + end);
  return out;
}

uint64_t ImageSet::content_hash() const {
  uint64_t hash = 0xcbf29ce484222325ull;  // FNV-1a 64-bit offset basis
  for (const auto* bytes : {&pixels, &labels}) {
    for (uint8_t b : *bytes) {
      hash ^= b;
      hash *= 0x100000001b3ull;  // FNV prime
    }
  }
  return hash;
}

std::string default_dataset_dir() {
  const char* dir = std::getenv("NPUFI_DATASET_DIR");  // set to use a copy elsewhere
  return dir && *dir ? dir : "/usr/share/datasets/fashion-mnist";
}

ImageSet load_fashion_mnist(Split split, const std::string& dir) {
  const std::string prefix = split == Split::train ? "train" : "t10k";
  const std::string images_path = dir + "/" + prefix + "-images-idx3-ubyte.gz";
  const std::string labels_path = dir + "/" + prefix + "-labels-idx1-ubyte.gz";
  if (!std::filesystem::exists(images_path) || !std::filesystem::exists(labels_path)) {
    throw DatasetError("Fashion-MNIST not found in " + dir +
                       ": install the Debian package dataset-fashion-mnist (scripts/install-deps)");
  }

  ImageSet set;
  GzipReader images(images_path);
  images.expect_magic(kImagesMagic);
  set.count = int(images.read_u32());
  set.rows = int(images.read_u32());
  set.cols = int(images.read_u32());
  if (set.count <= 0 || set.rows != 28 || set.cols != 28) {
    throw DatasetError(images_path + ": unexpected shape " + std::to_string(set.count) + "x" +
                       std::to_string(set.rows) + "x" + std::to_string(set.cols) + " (expected Nx28x28)");
  }
  set.pixels.resize(size_t(set.count) * size_t(set.rows) * size_t(set.cols));
  images.read(set.pixels.data(), set.pixels.size());
  images.expect_end();

  GzipReader labels(labels_path);
  labels.expect_magic(kLabelsMagic);
  const int label_count = int(labels.read_u32());
  if (label_count != set.count) {
    throw DatasetError(labels_path + ": " + std::to_string(label_count) + " labels for " +
                       std::to_string(set.count) + " images");
  }
  set.labels.resize(size_t(set.count));
  labels.read(set.labels.data(), set.labels.size());
  labels.expect_end();
  for (uint8_t label : set.labels) {
    if (label > 9) throw DatasetError(labels_path + ": label " + std::to_string(label) + " is not in 0..9");
  }
  return set;
}

}  // namespace npufi
