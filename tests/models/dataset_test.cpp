#include "models/dataset.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <array>
#include <cstdlib>
#include <filesystem>

#include "tests/models/test_util.h"

namespace npufi {
namespace {

std::array<int, 10> class_counts(const ImageSet& set) {
  std::array<int, 10> counts{};
  for (uint8_t label : set.labels) ++counts.at(label);
  return counts;
}

void write_gzip(const std::string& path, const std::vector<uint8_t>& bytes) {
  gzFile file = gzopen(path.c_str(), "wb");
  ASSERT_NE(file, nullptr);
  ASSERT_EQ(gzwrite(file, bytes.data(), unsigned(bytes.size())), int(bytes.size()));
  gzclose(file);
}

// An IDX header: magic, then big-endian dimensions.
std::vector<uint8_t> idx_header(uint32_t magic, std::initializer_list<uint32_t> dims) {
  std::vector<uint8_t> bytes;
  auto put = [&](uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) bytes.push_back(uint8_t(v >> shift));
  };
  put(magic);
  for (uint32_t d : dims) put(d);
  return bytes;
}

TEST(Dataset, TrainSplitHas60000BalancedImages) {
  const ImageSet train = load_fashion_mnist(Split::train);
  EXPECT_EQ(train.count, 60000);
  EXPECT_EQ(train.rows, 28);
  EXPECT_EQ(train.cols, 28);
  EXPECT_EQ(train.pixels.size(), 60000u * 28 * 28);
  ASSERT_EQ(train.labels.size(), 60000u);
  for (int count : class_counts(train)) EXPECT_EQ(count, 6000);
  EXPECT_EQ(train.labels[0], 9);  // ankle boot
}

TEST(Dataset, TestSplitHas10000BalancedImages) {
  const ImageSet test = load_fashion_mnist(Split::test);
  EXPECT_EQ(test.count, 10000);
  EXPECT_EQ(test.rows, 28);
  EXPECT_EQ(test.cols, 28);
  EXPECT_EQ(test.pixels.size(), 10000u * 28 * 28);
  for (int count : class_counts(test)) EXPECT_EQ(count, 1000);
  EXPECT_EQ(test.labels[0], 9);  // ankle boot
  EXPECT_EQ(test.labels[1], 2);  // pullover
  EXPECT_EQ(test.pixels[0], 0);  // the corner is background
}

TEST(Dataset, SliceCopiesTheRange) {
  const ImageSet test = load_fashion_mnist(Split::test);
  const ImageSet part = test.slice(10, 25);
  EXPECT_EQ(part.count, 15);
  EXPECT_EQ(part.rows, 28);
  EXPECT_EQ(part.cols, 28);
  ASSERT_EQ(part.pixels.size(), 15u * 784);
  EXPECT_TRUE(std::equal(part.pixels.begin(), part.pixels.end(), test.pixels.begin() + 10 * 784));
  EXPECT_TRUE(std::equal(part.labels.begin(), part.labels.end(), test.labels.begin() + 10));
  EXPECT_EQ(test.slice(0, 0).count, 0);
  EXPECT_THROW(test.slice(-1, 5), std::out_of_range);
  EXPECT_THROW(test.slice(5, 4), std::out_of_range);
  EXPECT_THROW(test.slice(0, 10001), std::out_of_range);
}

TEST(Dataset, ContentHashIdentifiesTheData) {
  const ImageSet test = load_fashion_mnist(Split::test);
  EXPECT_EQ(ImageSet{}.content_hash(), 0xcbf29ce484222325ull);  // FNV-1a of nothing
  EXPECT_EQ(test.slice(0, 100).content_hash(), test.slice(0, 100).content_hash());
  EXPECT_NE(test.slice(0, 100).content_hash(), test.slice(1, 101).content_hash());
  ImageSet relabeled = test.slice(0, 100);
  relabeled.labels[99] ^= 1;
  EXPECT_NE(relabeled.content_hash(), test.slice(0, 100).content_hash());
  EXPECT_EQ(test.content_hash(), 0x7625417625bda6cfull);  // the t10k files of the Debian package
}

TEST(Dataset, MissingFilesNameThePackage) {
  try {
    load_fashion_mnist(Split::test, "/nonexistent/fmnist");
    FAIL() << "no DatasetError";
  } catch (const DatasetError& e) {
    EXPECT_STREQ(e.what(),
                 "Fashion-MNIST not found in /nonexistent/fmnist: install the Debian package "
                 "dataset-fashion-mnist (scripts/install-deps)");
  }
}

TEST(Dataset, EnvironmentOverridesTheDefaultDirectory) {
  const char* outer = std::getenv("NPUFI_DATASET_DIR");
  const std::string saved = outer ? outer : "";
  ASSERT_EQ(::unsetenv("NPUFI_DATASET_DIR"), 0);
  EXPECT_EQ(default_dataset_dir(), "/usr/share/datasets/fashion-mnist");
  ASSERT_EQ(::setenv("NPUFI_DATASET_DIR", "/srv/fmnist", 1), 0);
  EXPECT_EQ(default_dataset_dir(), "/srv/fmnist");
  if (outer) {
    ::setenv("NPUFI_DATASET_DIR", saved.c_str(), 1);
  } else {
    ::unsetenv("NPUFI_DATASET_DIR");
  }
}

TEST(Dataset, CorruptFilesAreNamed) {
  test::TempDir dir;
  const std::string images = dir.file("t10k-images-idx3-ubyte.gz");
  const std::string labels = dir.file("t10k-labels-idx1-ubyte.gz");
  const auto expect_error = [&](const std::string& message) {
    try {
      load_fashion_mnist(Split::test, dir.path());
      ADD_FAILURE() << "no DatasetError, expected: " << message;
    } catch (const DatasetError& e) {
      EXPECT_EQ(e.what(), message);
    }
  };

  std::vector<uint8_t> good_images = idx_header(0x803, {2, 28, 28});
  good_images.resize(good_images.size() + 2 * 784, 7);
  std::vector<uint8_t> good_labels = idx_header(0x801, {2});
  good_labels.insert(good_labels.end(), {3, 9});

  write_gzip(images, idx_header(0x801, {2, 28, 28}));
  write_gzip(labels, good_labels);
  expect_error(images + ": bad IDX magic number 0x00000801 (expected 0x00000803)");

  std::vector<uint8_t> truncated = good_images;
  truncated.resize(truncated.size() - 1);
  write_gzip(images, truncated);
  expect_error(images + ": truncated or not gzip IDX data");

  write_gzip(images, good_images);
  std::vector<uint8_t> short_labels = idx_header(0x801, {1});
  short_labels.push_back(3);
  write_gzip(labels, short_labels);
  expect_error(labels + ": 1 labels for 2 images");

  std::vector<uint8_t> bad_label = good_labels;
  bad_label.back() = 10;
  write_gzip(labels, bad_label);
  expect_error(labels + ": label 10 is not in 0..9");

  write_gzip(labels, good_labels);
  const ImageSet set = load_fashion_mnist(Split::test, dir.path());
  EXPECT_EQ(set.count, 2);
  EXPECT_EQ(set.labels, (std::vector<uint8_t>{3, 9}));
  EXPECT_EQ(set.pixels, std::vector<uint8_t>(2 * 784, 7));
}

}  // namespace
}  // namespace npufi
