// Networks trained and exported by PyTorch (tests/data/make_pytorch_fixtures.py) on normalized
// Fashion-MNIST: npufi, given the same normalization in a data file, classifies the 10,000 test images as
// PyTorch did, within 0.1 points (kernels round differently on different CPUs; a wrong preprocessing costs
// tens of points).
#include <gtest/gtest.h>

#include <fstream>
#include <map>

#include "models/data_source.h"
#include "models/evaluator.h"
#include "models/model.h"

namespace npufi {
namespace {

const std::string kData = NPUFI_TEST_DATA_DIR;

std::map<std::string, int> pytorch_correct() {
  std::ifstream in(kData + "/pytorch_accuracy.txt");
  std::map<std::string, int> correct;
  std::string name;
  int n = 0;
  while (in >> name >> n) correct[name] = n;
  return correct;
}

TEST(PytorchFixtures, EvaluateToPytorchsAccuracyWithTheirNormalization) {
  set_compute_threads(2);
  const ImageSet test = load_images(load_data_source(kData + "/fashion_normalized.toml"), Split::test);
  ASSERT_EQ(test.count, 10000);
  const ImageSet plain = load_fashion_mnist(Split::test);
  const std::map<std::string, int> expected = pytorch_correct();
  ASSERT_EQ(expected.size(), 2u);
  for (const auto& [name, correct] : expected) {
    SCOPED_TRACE(name);
    Model model = Model::load(kData + "/" + name + ".pt");
    model.check_fits(test);
    EXPECT_GT(model.stage_count(), 1);
    const EvalResult result = Evaluator(test).run(model);
    EXPECT_NEAR(result.correct, correct, 10) << "PyTorch: " << correct << " of 10000";
    EXPECT_GT(correct, 5000);  // trained, not a guess (10 classes)
    // Without the normalization the same network is much worse (on the first 1,000 images): the data
    // file is what makes it right.
    EXPECT_LT(Evaluator(plain.slice(0, 1000)).run(model).correct, (correct - 500) / 10);
  }
}

}  // namespace
}  // namespace npufi
