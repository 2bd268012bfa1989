#pragma once
// A classifier of images: a zoo network built for a data set's image shape and class count (Fashion-MNIST's
// 1x28x28 and 10 by default) or a loaded TorchScript module (any input shape and class count; check_fits
// checks it against the data).
// LibTorch stays behind the pimpl; callers see parameters as plain memory.
//
// A model is a chain of stages: the output of stage s is the input of stage s+1. Zoo networks have one
// stage per layer block, so a fault in stage k leaves the activations before k unchanged (prefix reuse).
// A TorchScript module's forward is cut into stages where one tensor is live (models/script_stages.h).
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/dataset.h"
#include "models/parameter.h"

namespace npufi {

struct ModelError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The images a network takes (C x H x W) and the classes it tells apart.
struct NetworkShape {
  int channels = 1;
  int height = 28;
  int width = 28;
  int classes = 10;
  // The shape of a data set's images and its class count.
  static NetworkShape of(const ImageSet& data);
  std::string text() const;  // "1x28x28 images, 10 classes"
  friend bool operator==(const NetworkShape&, const NetworkShape&) = default;
};

class Model {
 public:
  // A zoo network for `shape` with fresh weights drawn from `seed`. Throws ModelError for an unknown name
  // or for images too small for the architecture.
  static Model create(const std::string& arch, uint64_t seed, const NetworkShape& shape = {});
  // An npufi model file (written by save) or a TorchScript module (torch.jit.save). Throws ModelError
  // with a one-line message for a missing, corrupt or wrong-kind file.
  static Model load(const std::string& path);

  Model(Model&&) noexcept;
  Model& operator=(Model&&) noexcept;
  ~Model();

  // Writes an npufi model file (zoo networks, with their clipped activation layers) or a TorchScript file
  // (TorchScript models). Throws ModelError on I/O failure.
  void save(const std::string& path) const;
  // A deep copy with its own parameter memory.
  Model clone() const;

  std::string arch() const;  // zoo name, or "torchscript"
  // What the model takes: a zoo network's shape; for a TorchScript module, the shape check_fits last
  // accepted (Fashion-MNIST's before that).
  NetworkShape shape() const;
  // Throws ModelError naming the data's file when the model cannot take its images (its forward fails on
  // one C x H x W image, or does not give 1 x K logits) or a label is not below K.
  void check_fits(const ImageSet& data);
  int stage_count() const;
  // The stages' names: a zoo network's layer blocks ("conv1", "fc1", ...); a TorchScript module's, after
  // the submodule each starts in ("conv1", "layer1", ...; models/script_stages.h), or "forward" when it
  // runs whole.
  std::vector<std::string> stage_names() const;
  // Every parameter tensor in a stable order. Pointers stay valid for the model's lifetime.
  std::vector<Parameter> parameters();

  struct Impl;
  Impl& impl() { return *impl_; }
  const Impl& impl() const { return *impl_; }

 private:
  explicit Model(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Names accepted by Model::create.
std::vector<std::string> zoo_architectures();

// Sets LibTorch's intra-op thread count for the calling thread's work (n >= 1).
void set_compute_threads(int n);
// Makes the calling thread's float arithmetic treat subnormal numbers as zero (FTZ/DAZ), as NPU datapaths
// do. A fault that makes a weight subnormal would otherwise slow every operation it touches many times.
void flush_subnormals_to_zero();
// The default for --threads: all cores.
int default_thread_count();

}  // namespace npufi
