// Data sets of the user's (models/data_source.h): the .npy fixtures written by NumPy itself
// (tests/data/make_npy_fixtures.py), IDX of any shape, the preprocessing, and every bad input.
#include "models/data_source.h"

#include <gtest/gtest.h>

#include <fstream>

#include "models/image_tensor.h"
#include "models/model.h"
#include "tests/models/test_util.h"

namespace npufi {
namespace {

const std::string kNpy = std::string(NPUFI_TEST_DATA_DIR) + "/npy/";

// The fixtures' value of image n, channel c, row y, column x (make_npy_fixtures.py).
int fixture_value(int n, int c, int y, int x) { return (7 * n + 3 * c + 5 * y + x) % 256; }

// A data file in `dir` with `body` and the given test arrays.
std::string data_file(const test::TempDir& dir, const std::string& images, const std::string& labels,
                      const std::string& body = "") {
  const std::string path = dir.file("data.toml");
  std::ofstream(path) << "test_images = \"" << kNpy << images << "\"\ntest_labels = \"" << kNpy << labels << "\"\n"
                      << body;
  return path;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(DataSource, ReadsNumpyImagesInEitherLayoutAndDtype) {
  test::TempDir dir;
  const ImageSet nchw = load_images(load_data_source(data_file(dir, "rgb_u8_nchw.npy", "labels_i64.npy")), Split::test);
  ASSERT_EQ(nchw.count, 6);
  EXPECT_EQ(nchw.channels, 3);
  EXPECT_EQ(nchw.rows, 4);
  EXPECT_EQ(nchw.cols, 5);
  EXPECT_EQ(nchw.classes, 3);
  EXPECT_EQ(nchw.labels, (std::vector<uint8_t>{0, 1, 2, 0, 1, 2}));
  ASSERT_EQ(nchw.pixels.size(), 6u * 3 * 4 * 5);
  EXPECT_TRUE(nchw.values.empty());
  EXPECT_EQ(nchw.preprocessing.scale, 255);
  size_t i = 0;
  for (int n = 0; n < 6; ++n)
    for (int c = 0; c < 3; ++c)
      for (int y = 0; y < 4; ++y)
        for (int x = 0; x < 5; ++x) ASSERT_EQ(nchw.pixels[i++], fixture_value(n, c, y, x)) << n << c << y << x;

  // Stored N x H x W x C as float32: the same images, in C x H x W order, divided by 8 in the file.
  const ImageSet nhwc = load_images(
      load_data_source(data_file(dir, "rgb_f32_nhwc.npy", "labels_i64.npy", "layout = \"nhwc\"\n")), Split::test);
  ASSERT_EQ(nhwc.values.size(), nchw.pixels.size());
  EXPECT_EQ(nhwc.channels, 3);
  EXPECT_EQ(nhwc.rows, 4);
  EXPECT_EQ(nhwc.preprocessing.scale, 1);  // float data are used as stored
  for (size_t k = 0; k < nhwc.values.size(); ++k) ASSERT_EQ(nhwc.values[k], float(nchw.pixels[k]) / 8) << k;

  // float64 in format version 2.0 is converted to float32.
  const ImageSet f64 =
      load_images(load_data_source(data_file(dir, "rgb_f64_nchw_v2.npy", "labels_i64.npy")), Split::test);
  EXPECT_EQ(f64.values, nhwc.values);

  // N x H x W is one channel.
  const ImageSet gray = load_images(load_data_source(data_file(dir, "gray_u8.npy", "labels_i64.npy")), Split::test);
  EXPECT_EQ(gray.channels, 1);
  EXPECT_EQ(gray.pixels[5 * 20 + 3 * 5 + 4], fixture_value(5, 0, 3, 4));
}

TEST(DataSource, PreprocessingMakesTheNetworkInput) {
  test::TempDir dir;
  const ImageSet set = load_images(
      load_data_source(data_file(dir, "rgb_u8_nchw.npy", "labels_i64.npy",
                                 "[preprocessing]\nscale = 255.0\nmean = [0.1, 0.2, 0.3]\nstd = [0.5, 0.25, 2.0]\n"
                                 "channel_order = [2, 1, 0]\n")),
      Split::test);
  const torch::Tensor input = to_input(pixel_tensor(set), set.preprocessing);
  ASSERT_EQ(input.sizes(), (std::vector<int64_t>{6, 3, 4, 5}));
  const double mean[] = {0.1, 0.2, 0.3}, std[] = {0.5, 0.25, 2.0};
  for (int n = 0; n < 6; ++n)
    for (int c = 0; c < 3; ++c)
      for (int y = 0; y < 4; ++y)
        for (int x = 0; x < 5; ++x) {
          // Input channel c takes stored channel 2 - c.
          const double want = (fixture_value(n, 2 - c, y, x) / 255.0 - mean[c]) / std[c];
          ASSERT_NEAR(input[n][c][y][x].item<double>(), want, 1e-5) << n << c << y << x;
        }
}

TEST(DataSource, PreprocessingIsPartOfTheDataIdentity) {
  test::TempDir dir;
  const auto hash = [&](const std::string& body) {
    return load_images(load_data_source(data_file(dir, "rgb_u8_nchw.npy", "labels_i64.npy", body)), Split::test)
        .content_hash();
  };
  const uint64_t plain = hash("");
  EXPECT_EQ(plain, hash("[preprocessing]\nscale = 255\n"));  // the default, spelled out
  EXPECT_NE(plain, hash("[preprocessing]\nmean = [0.5, 0.5, 0.5]\n"));
  EXPECT_NE(plain, hash("[preprocessing]\nscale = 128\n"));
}

TEST(DataSource, BadInputIsNamedInOneLine) {
  test::TempDir dir;
  const auto load = [&](const std::string& images, const std::string& labels, const std::string& body = "") {
    return error_of([&] { load_images(load_data_source(data_file(dir, images, labels, body)), Split::test); });
  };
  EXPECT_EQ(load("rgb_u8_nchw.npy", "labels_u8_five.npy"),
            kNpy + "labels_u8_five.npy: 5 labels for the 6 images of " + kNpy + "rgb_u8_nchw.npy");
  EXPECT_EQ(load("rgb_u8_nchw.npy", "labels_i32_big.npy", "classes = 3\n"),
            kNpy + "labels_i32_big.npy: label 12 at index 5 is not below classes = 3");
  EXPECT_EQ(load("rgb_i16.npy", "labels_i64.npy"),
            kNpy + "rgb_i16.npy: images of dtype int16: expected uint8 or float32 (or float64)");
  EXPECT_EQ(load("rgb_u8_truncated.npy", "labels_i64.npy"),
            kNpy + "rgb_u8_truncated.npy: 350 data bytes for shape (6, 3, 4, 5) of uint8 (360 expected): "
                   "truncated or not one array");
  EXPECT_EQ(load("rgb_f32_fortran.npy", "labels_i64.npy"),
            kNpy + "rgb_f32_fortran.npy: the array is in Fortran order; save it in C order (numpy.ascontiguousarray)");
  EXPECT_EQ(load("rgb_f32_big_endian.npy", "labels_i64.npy"),
            kNpy + "rgb_f32_big_endian.npy: dtype '>f4' is not supported (little-endian integers, float32, float64)");
  EXPECT_EQ(load("labels_i64.npy", "labels_i64.npy"),
            kNpy + "labels_i64.npy: images of shape 6: expected N x H x W or N x C x H x W");
  EXPECT_EQ(load("rgb_u8_nchw.npy", "labels_i64.npy", "layout = \"nwhc\"\n"),
            dir.file("data.toml") + ":3: 'layout' nwhc is not nchw or nhwc");
  EXPECT_EQ(load("rgb_u8_nchw.npy", "labels_i64.npy", "[preprocessing]\nmean = [0.5]\n"),
            dir.file("data.toml") + ": [preprocessing] 'mean' has 1 values for the 3 channels of " + kNpy +
                "rgb_u8_nchw.npy");
  EXPECT_EQ(load("rgb_u8_nchw.npy", "labels_i64.npy", "label = 3\n"),
            dir.file("data.toml") + ":3: 'label' is not a key of a data file (train_images, train_labels, "
                                    "test_images, test_labels, layout, classes, [preprocessing])");
  EXPECT_EQ(load("nosuch.npy", "labels_i64.npy"),
            dir.file("data.toml") + ":1: 'test_images' " + kNpy + "nosuch.npy: no such file (" + kNpy + "nosuch.npy)");
  EXPECT_EQ(error_of([&] {
              load_images(load_data_source(data_file(dir, "rgb_u8_nchw.npy", "labels_i64.npy")), Split::train);
            }),
            dir.file("data.toml") + ": this command needs the training split: add 'train_images' and 'train_labels'");
  // A file that is neither .npy nor IDX.
  const std::string junk = dir.file("junk.npy"), junk_idx = dir.file("junk.idx");
  std::ofstream(junk) << "not numpy";
  std::ofstream(junk_idx) << "not idx at all";
  const std::string file = dir.file("junk.toml");
  std::ofstream(file) << "test_images = \"junk.npy\"\ntest_labels = \"junk.idx\"\n";
  EXPECT_EQ(error_of([&] { load_images(load_data_source(file), Split::test); }), junk + ": not a NumPy .npy file");
  std::ofstream(file) << "test_images = \"junk.idx\"\ntest_labels = \"junk.idx\"\n";
  EXPECT_EQ(error_of([&] { load_images(load_data_source(file), Split::test); }),
            junk_idx + ": not an IDX file (magic number 0x6e6f7420)");
}

TEST(DataSource, ModelsRefuseDataOfAnotherShape) {
  test::TempDir dir;
  const ImageSet rgb = load_images(load_data_source(data_file(dir, "rgb_u8_nchw.npy", "labels_i64.npy")), Split::test);
  Model lenet = Model::create("lenet5", 1);
  const std::string message = error_of([&] { lenet.check_fits(rgb); });
  EXPECT_EQ(message, "the lenet5 model is built for 1x28x28 images, 10 classes, and the images of " + kNpy +
                         "rgb_u8_nchw.npy are 3x4x5");
  // A TorchScript module is run on one image of the data's shape, and LibTorch's complaint cut to a line.
  Model script = Model::load(std::string(NPUFI_TEST_DATA_DIR) + "/tiny_torchscript.pt");
  const std::string script_message = error_of([&] { script.check_fits(rgb); });
  EXPECT_EQ(script_message.rfind("the torchscript model does not take the 3x4x5 images of " + kNpy + "rgb_u8_nchw.npy: ", 0), 0u)
      << script_message;
  EXPECT_EQ(script_message.find('\n'), std::string::npos);
}

}  // namespace
}  // namespace npufi
