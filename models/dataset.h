#pragma once
// Fashion-MNIST in the IDX gzip files of the Debian package dataset-fashion-mnist.
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace npufi {

struct DatasetError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

enum class Split { train, test };

// Images of one split, row-major 8-bit pixels, one label (0..9) per image.
struct ImageSet {
  int count = 0;
  int rows = 0;
  int cols = 0;
  std::vector<uint8_t> pixels;  // count * rows * cols
  std::vector<uint8_t> labels;  // count

  // Images [begin, end) as a new set.
  ImageSet slice(int begin, int end) const;
  // FNV-1a hash of pixels and labels, identifying the data a campaign ran on.
  uint64_t content_hash() const;
};

// Where the Debian package puts the files.
std::string default_dataset_dir();

// Loads a split from `dir`. Throws DatasetError naming the package when the files are missing, and
// naming the file when one is corrupt.
ImageSet load_fashion_mnist(Split split, const std::string& dir = default_dataset_dir());

}  // namespace npufi
