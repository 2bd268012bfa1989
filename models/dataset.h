#pragma once
// Image data sets: Fashion-MNIST in the IDX gzip files of the Debian package dataset-fashion-mnist, and
// the user's own (models/data_source.h).
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace npufi {

struct DatasetError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

enum class Split { train, test };

// How stored values become the network's input: x = (v / scale - mean[c]) / std[c], where input channel c
// takes stored channel channel_order[c].
struct Preprocessing {
  double scale = 255;
  std::vector<double> mean, std;   // one per channel; empty: 0 and 1
  std::vector<int> channel_order;  // empty: as stored
  // The default of 8-bit images: v / 255, in [0, 1].
  bool is_default() const { return scale == 255 && mean.empty() && std.empty() && channel_order.empty(); }
  std::string text() const;  // "scale=255 mean=0.286 std=0.353", for identities and messages
  friend bool operator==(const Preprocessing&, const Preprocessing&) = default;
};

// Images of one split in C x rows x cols order, stored as 8-bit pixels or as floats, one label per image.
struct ImageSet {
  int count = 0;
  int channels = 1;
  int rows = 0;
  int cols = 0;
  std::vector<uint8_t> pixels;  // count * channels * rows * cols, for 8-bit data
  std::vector<float> values;    // the same for float data (pixels is then empty)
  std::vector<uint8_t> labels;  // count
  int classes = 10;             // labels are below it
  Preprocessing preprocessing;
  std::string origin;           // the file of the images, for messages

  size_t image_size() const { return size_t(channels) * size_t(rows) * size_t(cols); }

  // Images [begin, end) as a new set.
  ImageSet slice(int begin, int end) const;
  // FNV-1a hash of the values, the labels and (when not the default) the preprocessing: what identifies
  // the data a campaign ran on.
  uint64_t content_hash() const;
};

// Where the Debian package puts the files.
std::string default_dataset_dir();

// Loads a split from `dir`. Throws DatasetError naming the package when the files are missing, and
// naming the file when one is corrupt.
ImageSet load_fashion_mnist(Split split, const std::string& dir = default_dataset_dir());

}  // namespace npufi
