#pragma once
// A data set of the user's (docs/data.md): a TOML file naming the image and label arrays of the test and
// training splits (.npy or IDX), their layout, the class count and the preprocessing that turns stored
// values into the network's input. Named by `--data FILE` on the command line and `data = "FILE"` in a
// campaign file; without one, npufi uses Fashion-MNIST of the Debian package. No LibTorch here.
#include <optional>
#include <string>

#include "models/dataset.h"

namespace npufi {

struct DataSource {
  std::string path;  // the description file; empty for Fashion-MNIST of the Debian package
  std::string train_images, train_labels, test_images, test_labels;  // absolute paths; train may be empty
  bool channels_last = false;                                         // layout = "nhwc"
  int classes = 0;                                                    // 0: the largest label + 1
  std::optional<Preprocessing> preprocessing;                         // absent: the stored type's default
};

// load_data_source(path), or Fashion-MNIST of the Debian package when `path` is empty.
DataSource data_source_or_default(const std::string& path);

// Reads a description file. Throws DatasetError("data.toml:LINE: ...") naming the key and value.
DataSource load_data_source(const std::string& path);

// The images of one split, preprocessing attached. Throws DatasetError naming the file and what is wrong:
// images and labels of different counts, a label outside the classes, a dtype other than uint8 or float32
// (float64 is converted), a shape that is not N x H x W or N x C x H x W, a preprocessing whose per-channel
// lists do not match the channels, a truncated file; a missing training split names the key to add.
ImageSet load_images(const DataSource& source, Split split);

}  // namespace npufi
