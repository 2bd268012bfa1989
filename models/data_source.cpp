#include "models/data_source.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <toml++/toml.h>

#include "analysis/toml_input.h"
#include "models/idx_file.h"
#include "models/npy_file.h"

namespace npufi {

namespace fs = std::filesystem;

namespace {

const char* const kKeys[] = {"train_images", "train_labels", "test_images", "test_labels", "layout", "classes",
                             "preprocessing"};
const char* const kPreprocessingKeys[] = {"scale", "mean", "std", "channel_order"};

std::string where(const std::string& path, const toml::node* node) { return toml_location(path, node); }

std::vector<double> number_list(const toml::table& table, const char* key, const std::string& path) {
  std::vector<double> out;
  const toml::node* node = table.get(key);
  if (!node) return out;
  const toml::array* list = node->as_array();
  if (!list || list->empty())
    throw DatasetError(where(path, node) + ": '" + key + "' must be a non-empty list of numbers, one per channel");
  for (const toml::node& item : *list) {
    const std::optional<double> v = toml_number(item);
    if (!v) throw DatasetError(where(path, &item) + ": '" + key + "' holds something that is not a number");
    out.push_back(*v);
  }
  return out;
}

Preprocessing parse_preprocessing(const toml::table& table, const std::string& path) {
  for (const auto& [key, node] : table)
    if (std::find(std::begin(kPreprocessingKeys), std::end(kPreprocessingKeys), key.str()) == std::end(kPreprocessingKeys))
      throw DatasetError(where(path, &node) + ": '" + std::string(key.str()) +
                         "' is not a key of [preprocessing] (scale, mean, std, channel_order)");
  Preprocessing p;
  p.scale = 0;  // filled in from the stored type when absent
  if (const toml::node* node = table.get("scale")) {
    const std::optional<double> v = toml_number(*node);
    if (!v || *v <= 0) throw DatasetError(where(path, node) + ": 'scale' must be a positive number");
    p.scale = *v;
  }
  p.mean = number_list(table, "mean", path);
  p.std = number_list(table, "std", path);
  for (double s : p.std)
    if (s <= 0) throw DatasetError(where(path, table.get("std")) + ": 'std' values must be positive");
  for (double c : number_list(table, "channel_order", path)) {
    if (c != double(int(c)) || c < 0)
      throw DatasetError(where(path, table.get("channel_order")) + ": 'channel_order' holds channel numbers from 0");
    p.channel_order.push_back(int(c));
  }
  return p;
}

// A 3- or 4-dimensional array as N x C x H x W.
void images_from(const NumericArray& a, const DataSource& source, const std::string& path, ImageSet& set) {
  if (a.shape.size() != 3 && a.shape.size() != 4)
    throw DatasetError(path + ": images of shape " + a.shape_text() + ": expected N x H x W or N x C x H x W");
  if (a.kind != 'f' && !(a.kind == 'u' && a.item_bytes == 1))
    throw DatasetError(path + ": images of dtype " + a.dtype() + ": expected uint8 or float32 (or float64)");
  const bool last = a.shape.size() == 4 && source.channels_last;
  set.count = int(a.shape[0]);
  set.channels = a.shape.size() == 3 ? 1 : int(last ? a.shape[3] : a.shape[1]);
  set.rows = int(last || a.shape.size() == 3 ? a.shape[1] : a.shape[2]);
  set.cols = int(last || a.shape.size() == 3 ? a.shape[2] : a.shape[3]);
  if (set.count <= 0 || set.channels <= 0 || set.rows <= 0 || set.cols <= 0)
    throw DatasetError(path + ": images of shape " + a.shape_text() + ": every dimension must be at least 1");
  const size_t n = size_t(a.count());
  const size_t plane = size_t(set.rows) * size_t(set.cols);
  // Element i of the file holds image, channel and position of NCHW index to(i).
  const auto to = [&](size_t i) {
    if (!last) return i;
    const size_t c = i % size_t(set.channels), pixel = (i / size_t(set.channels)) % plane,
                 image = i / (size_t(set.channels) * plane);
    return (image * size_t(set.channels) + c) * plane + pixel;
  };
  if (a.kind == 'u') {
    set.pixels.resize(n);
    for (size_t i = 0; i < n; ++i) set.pixels[to(i)] = a.data[i];
  } else {
    set.values.resize(n);
    for (size_t i = 0; i < n; ++i) set.values[to(i)] = float(a.real(int64_t(i)));
  }
}

void labels_from(const NumericArray& a, const std::string& path, const std::string& images_path, ImageSet& set) {
  if (a.kind == 'f') throw DatasetError(path + ": labels of dtype " + a.dtype() + ": expected an integer type");
  if (a.shape.size() != 1) throw DatasetError(path + ": labels of shape " + a.shape_text() + ": expected N");
  if (a.count() != set.count)
    throw DatasetError(path + ": " + std::to_string(a.count()) + " labels for the " + std::to_string(set.count) +
                       " images of " + images_path);
  set.labels.resize(size_t(set.count));
  int64_t largest = 0;
  for (int64_t i = 0; i < a.count(); ++i) {
    const int64_t label = a.integer(i);
    if (label < 0 || label > 255)
      throw DatasetError(path + ": label " + std::to_string(label) + " at index " + std::to_string(i) +
                         " is not in 0..255");
    set.labels[size_t(i)] = uint8_t(label);
    largest = std::max(largest, label);
  }
  if (set.classes == 0) set.classes = int(largest) + 1;
  for (int64_t i = 0; i < a.count(); ++i)
    if (set.labels[size_t(i)] >= set.classes)
      throw DatasetError(path + ": label " + std::to_string(set.labels[size_t(i)]) + " at index " + std::to_string(i) +
                         " is not below classes = " + std::to_string(set.classes));
}

NumericArray read_array(const std::string& path) {
  if (!fs::exists(path)) throw DatasetError(path + ": no such file");
  return path.ends_with(".npy") ? read_npy(path) : read_idx(path);
}

}  // namespace

DataSource load_data_source(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw DatasetError(path + ": cannot read the data file");
  std::stringstream text;
  text << in.rdbuf();
  const toml::table doc = parse_toml<DatasetError>(text.str(), path);
  for (const auto& [key, node] : doc)
    if (std::find(std::begin(kKeys), std::end(kKeys), key.str()) == std::end(kKeys))
      throw DatasetError(where(path, &node) + ": '" + std::string(key.str()) +
                         "' is not a key of a data file (train_images, train_labels, test_images, test_labels, "
                         "layout, classes, [preprocessing])");
  DataSource source;
  source.path = path;
  const fs::path home = fs::absolute(path).parent_path();
  const auto file = [&](const char* key, bool required) {
    const toml::node* node = doc.get(key);
    if (!node) {
      if (required) throw DatasetError(path + ": '" + key + "' is missing");
      return std::string();
    }
    const std::optional<std::string> value = node->value<std::string>();
    if (!value || value->empty()) throw DatasetError(where(path, node) + ": '" + key + "' must be a file name");
    const std::string resolved = (home / *value).lexically_normal().string();
    if (!fs::exists(resolved))
      throw DatasetError(where(path, node) + ": '" + key + "' " + *value + ": no such file (" + resolved + ")");
    return resolved;
  };
  source.test_images = file("test_images", true);
  source.test_labels = file("test_labels", true);
  source.train_images = file("train_images", false);
  source.train_labels = file("train_labels", false);
  if (source.train_images.empty() != source.train_labels.empty())
    throw DatasetError(path + ": 'train_images' and 'train_labels' go together");
  if (const toml::node* node = doc.get("layout")) {
    const std::optional<std::string> layout = node->value<std::string>();
    if (!layout || (*layout != "nchw" && *layout != "nhwc"))
      throw DatasetError(where(path, node) + ": 'layout' " + printable(layout.value_or("(not a string)")) +
                         " is not nchw or nhwc");
    source.channels_last = *layout == "nhwc";
  }
  if (const toml::node* node = doc.get("classes")) {
    const std::optional<int64_t> classes = node->value<int64_t>();
    if (!classes || *classes < 2 || *classes > 256)
      throw DatasetError(where(path, node) + ": 'classes' must be an integer from 2 to 256");
    source.classes = int(*classes);
  }
  if (const toml::node* node = doc.get("preprocessing")) {
    if (!node->is_table()) throw DatasetError(where(path, node) + ": 'preprocessing' must be a table");
    source.preprocessing = parse_preprocessing(*node->as_table(), path);
  }
  return source;
}

DataSource data_source_or_default(const std::string& path) { return path.empty() ? DataSource{} : load_data_source(path); }

ImageSet load_images(const DataSource& source, Split split) {
  if (source.path.empty()) return load_fashion_mnist(split);
  const bool train = split == Split::train;
  const std::string& images_path = train ? source.train_images : source.test_images;
  const std::string& labels_path = train ? source.train_labels : source.test_labels;
  if (images_path.empty())
    throw DatasetError(source.path + ": this command needs the training split: add 'train_images' and 'train_labels'");
  ImageSet set;
  set.origin = images_path;
  set.classes = source.classes;
  images_from(read_array(images_path), source, images_path, set);
  labels_from(read_array(labels_path), labels_path, images_path, set);
  Preprocessing p = source.preprocessing.value_or(Preprocessing{});
  if (!source.preprocessing || p.scale == 0) p.scale = set.values.empty() ? 255 : 1;
  const auto per_channel = [&](const auto& list, const char* key) {
    if (!list.empty() && list.size() != size_t(set.channels))
      throw DatasetError(source.path + ": [preprocessing] '" + key + "' has " + std::to_string(list.size()) +
                         " values for the " + std::to_string(set.channels) + " channels of " + images_path);
  };
  per_channel(p.mean, "mean");
  per_channel(p.std, "std");
  per_channel(p.channel_order, "channel_order");
  for (int c : p.channel_order)
    if (c >= set.channels)
      throw DatasetError(source.path + ": [preprocessing] 'channel_order' names channel " + std::to_string(c) + " of " +
                         std::to_string(set.channels));
  set.preprocessing = p;
  return set;
}

}  // namespace npufi
