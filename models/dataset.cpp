#include "models/dataset.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <type_traits>

#include "models/gzip_reader.h"

namespace npufi {
namespace {

constexpr uint32_t kImagesMagic = 0x00000803;  // unsigned byte, 3 dimensions
constexpr uint32_t kLabelsMagic = 0x00000801;  // unsigned byte, 1 dimension

}  // namespace

std::string Preprocessing::text() const {
  const auto list = [](const auto& values) {
    std::string text;
    for (const auto& v : values) {
      std::ostringstream one;
      one << v;
      if (!text.empty()) text += ',';
      text += one.str();
    }
    return text;
  };
  std::ostringstream out;
  out << "scale=" << scale;
  if (!mean.empty()) out << " mean=" << list(mean);
  if (!std.empty()) out << " std=" << list(std);
  if (!channel_order.empty()) out << " channel_order=" << list(channel_order);
  return out.str();
}

ImageSet ImageSet::slice(int begin, int end) const {
  if (begin < 0 || begin > end || end > count) {
    throw std::out_of_range("ImageSet::slice: [" + std::to_string(begin) + ", " + std::to_string(end) +
                            ") is outside [0, " + std::to_string(count) + ")");
  }
  ImageSet out = *this;
  out.count = end - begin;
  const auto part = [&](const auto& all) {
    using Vector = std::decay_t<decltype(all)>;
    if (all.empty()) return Vector{};
    return Vector(all.begin() + ptrdiff_t(begin * image_size()), all.begin() + ptrdiff_t(end * image_size()));
  };
  out.pixels = part(pixels);
  out.values = part(values);
  out.labels.assign(labels.begin() + begin, labels.begin() + end);
  return out;
}

uint64_t ImageSet::content_hash() const {
  uint64_t hash = 0xcbf29ce484222325ull;  // FNV-1a 64-bit offset basis
  const auto add = [&](const uint8_t* bytes, size_t size) {
    for (size_t i = 0; i < size; ++i) {
      hash ^= bytes[i];
      hash *= 0x100000001b3ull;  // FNV prime
    }
  };
  add(pixels.data(), pixels.size());
  add(labels.data(), labels.size());
  // Fashion-MNIST's hash stays what it was before float data and preprocessing existed.
  add(reinterpret_cast<const uint8_t*>(values.data()), values.size() * sizeof(float));
  if (!preprocessing.is_default() || !values.empty() || channels != 1) {
    const std::string text = preprocessing.text() + " channels=" + std::to_string(channels);
    add(reinterpret_cast<const uint8_t*>(text.data()), text.size());
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
  set.origin = images_path;
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
