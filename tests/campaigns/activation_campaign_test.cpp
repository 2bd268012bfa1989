// Activation campaigns end to end on a fresh lenet5: determinism over threads and resume, what is stored,
// the outcome classes, and bad input found before the database is opened.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "campaigns/activation_planner.h"
#include "db/store.h"
#include "tests/campaigns/lenet5_campaign_test.h"

namespace npufi {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

class ActivationCampaignTest : public test::Lenet5CampaignTest {
 protected:
  static CampaignSpec spec(const std::string& extra) {
    const std::string text = "target = \"activations\"\nmodel = \"lenet5.pt\"\nseed = 5\nimages = \"100:400\"\n"
                             "batch_size = 100\n" + extra;
    return parse_campaign_spec(text, (dir_ / "a.toml").string());
  }
  static CampaignSpec ber_spec() {
    return spec("formats = [\"fp32\", \"fp16\", \"int8\"]\nber = [0, 1e-6, 1e-5]\nrepetitions = 2\n");
  }

  // Every stored field but the duration.
  static std::string table(const std::string& db_path, int64_t id) {
    db::Store store = db::Store::open(db_path, db::Store::Mode::read_only);
    std::ostringstream out;
    for (const db::TrialRow& t : store.trials(id)) {
      out << t.trial << " " << t.format << " " << t.ber << " " << t.repetition << " " << t.fault_count << " "
          << t.images << " " << t.correct << " " << t.mismatches << " " << t.masked.value_or(-1) << " "
          << t.sdc_benign.value_or(-1) << ":";
      for (const db::FaultRow& f : store.faults(id, t.trial))
        out << " " << f.tensor << "/" << f.index << "/" << f.bit << "/" << f.kind << "/" << f.image.value_or(-1);
      out << "\n";
    }
    return out.str();
  }

  static std::string error_of(const CampaignSpec& s) {
    try {
      run(s, db("never.db"), 1);
    } catch (const SpecError& e) {
      EXPECT_FALSE(fs::exists(db("never.db")));
      return e.what();
    }
    return "no error";
  }

};

TEST_F(ActivationCampaignTest, ThreadsAndResumeDoNotChangeResults) {
  const CampaignRun one = run(ber_spec(), db("one.db"), 1);
  const CampaignRun two = run(ber_spec(), db("two.db"), 2, -1, 0);  // and without prefix reuse
  const CampaignRun first = run(ber_spec(), db("resumed.db"), 2, 7);
  const CampaignRun second = run(ber_spec(), db("resumed.db"), 2);
  ASSERT_TRUE(one.complete());
  EXPECT_EQ(one.total, 18);
  EXPECT_EQ(first.ran, 7);
  EXPECT_EQ(second.done_before, 7);
  EXPECT_TRUE(second.complete());
  const std::string t = table(db("one.db"), one.campaign_id);
  EXPECT_EQ(t, table(db("two.db"), two.campaign_id));
  EXPECT_EQ(t, table(db("resumed.db"), second.campaign_id));

  db::Store store = db::Store::open(db("one.db"), db::Store::Mode::read_only);
  EXPECT_EQ(store.campaign(one.campaign_id)->activation_layers,
            (std::vector<std::string>{"conv1", "conv2", "fc1", "fc2", "fc3"}));
  int64_t faults = 0, not_masked = 0;
  for (const db::TrialRow& t : store.trials(one.campaign_id)) {
    ASSERT_TRUE(t.masked && t.sdc_benign);
    EXPECT_EQ(*t.masked + *t.sdc_benign + t.mismatches, 300);
    if (t.ber == 0) {
      EXPECT_EQ(*t.masked, 300);
    }
    // An image is masked unless a fault hit it: at most one image per faulty bit is not masked.
    EXPECT_LE(300 - *t.masked, t.fault_count);
    faults += t.fault_count;
    not_masked += 300 - *t.masked;
    for (const db::FaultRow& f : store.faults(one.campaign_id, t.trial)) {
      ASSERT_TRUE(f.image.has_value());  // bit flips hit one image, a split index of the campaign's images
      EXPECT_GE(*f.image, 100);
      EXPECT_LT(*f.image, 400);
      EXPECT_EQ(f.kind, "bit_flip");
    }
  }
  // 300 images x 1790 outputs x 32 bits at 1e-5 is about 172 bits per fp32 trial.
  EXPECT_GT(faults, 400);
  EXPECT_GT(not_masked, 0);
}

// A flip in a known element of the logits (fc3) changes exactly that image's logits; a sign flip of the
// top logit of a confident image changes its class.
TEST_F(ActivationCampaignTest, ListedFlipHitsExactlyItsImage) {
  const CampaignSpec s = spec("[[fault]]\nlayer = \"fc3\"\nindex = 3\nbit = 30\nimage = 250\n"
                              "[[fault]]\nlayer = \"conv1\"\nindex = 100\nbit = 0\nimage = 120\n");
  const CampaignRun r = run(s, db("listed.db"), 1);
  db::Store store = db::Store::open(db("listed.db"), db::Store::Mode::read_only);
  const std::vector<db::TrialRow> trials = store.trials(r.campaign_id);
  ASSERT_EQ(trials.size(), 1u);
  EXPECT_EQ(trials[0].fault_count, 2);
  // Bit 30 of an fp32 logit multiplies it by 2^128 or makes it tiny: image 250's logits differ. A flip of
  // the lowest mantissa bit in conv1's output may or may not reach the logits.
  EXPECT_GE(*trials[0].sdc_benign + trials[0].mismatches, 1);
  EXPECT_LE(*trials[0].sdc_benign + trials[0].mismatches, 2);
  EXPECT_GE(*trials[0].masked, 298);
  const std::vector<db::FaultRow> faults = store.faults(r.campaign_id, 0);
  ASSERT_EQ(faults.size(), 2u);
  EXPECT_EQ(faults[0].tensor, "fc3");
  EXPECT_EQ(faults[0].image, 250);
  EXPECT_EQ(faults[1].tensor, "conv1");
  EXPECT_EQ(faults[1].image, 120);
}

TEST_F(ActivationCampaignTest, StuckAtBitsHitEveryImage) {
  // Bit 30 stuck at 1 in every fc2 output: every image gets huge activations; most classes change.
  const CampaignRun r = run(spec("kind = \"stuck_at_1\"\ntargets = \"fc2\"\nbits = [30]\nber = [0.5]\n"),
                            db("stuck.db"), 2);
  db::Store store = db::Store::open(db("stuck.db"), db::Store::Mode::read_only);
  const db::TrialRow t = store.trials(r.campaign_id).at(0);
  EXPECT_GT(t.fault_count, 20);  // about half of fc2's 84 outputs
  EXPECT_LT(t.fault_count, 64);
  EXPECT_LT(*t.masked, 30);
  EXPECT_GT(t.mismatches, 0);
  for (const db::FaultRow& f : store.faults(r.campaign_id, 0)) {
    EXPECT_EQ(f.tensor, "fc2");
    EXPECT_FALSE(f.image.has_value());
    EXPECT_EQ(f.bit, 30);
  }
}

TEST_F(ActivationCampaignTest, PlannerIsAPureFunctionOfTheTrial) {
  const CampaignSpec s = spec("targets = [\"conv2\", \"fc*\"]\nber = [1e-4]\nrepetitions = 3\nadjacent_bits = 2\n");
  const std::vector<ActivationLayer> layers = {{"conv1", 1176}, {"conv2", 400}, {"fc1", 120}, {"fc2", 84}, {"fc3", 10}};
  const ActivationPlanner a(s, layers, 300), b(s, layers, 300);
  EXPECT_EQ(a.layers(), (std::vector<uint32_t>{1, 2, 3, 4}));
  EXPECT_EQ(a.faults(2), b.faults(2));
  EXPECT_NE(a.faults(1), a.faults(2));
  for (const ActivationFault& f : a.faults(1)) {
    EXPECT_NE(f.layer, 0);
    EXPECT_LT(f.index, layers[size_t(f.layer)].elements);
    EXPECT_GE(f.image, 0);
    EXPECT_LT(f.image, 300);
  }
}

TEST_F(ActivationCampaignTest, BadLayersIndicesAndImagesAreRefused) {
  EXPECT_EQ(error_of(spec("targets = \"conv9\"\nber = [1e-5]\n")),
            (dir_ / "a.toml").string() + ":6: 'targets' glob \"conv9\" matches no layer of the model (conv1, conv2, "
                                         "fc1, fc2, fc3)");
  EXPECT_THAT(error_of(spec("[[fault]]\nlayer = \"fc1.fc.weight\"\nindex = 0\nbit = 1\nimage = 100\n")),
              HasSubstr("a.toml:6: fault layer \"fc1.fc.weight\" is not a layer of the model (conv1,"));
  EXPECT_THAT(error_of(spec("[[fault]]\nlayer = \"fc2\"\nindex = 84\nbit = 1\nimage = 100\n")),
              HasSubstr("a.toml:6: fault index 84 is past the end of \"fc2\" (84 elements)"));
  EXPECT_THAT(error_of(spec("[[fault]]\nlayer = \"fc2\"\nindex = 3\nbit = 1\nimage = 400\n")),
              HasSubstr("a.toml:6: fault image 400 is not one of the campaign's images (100:400)"));
  EXPECT_THAT(error_of(spec("formats = \"int8\"\nbits = \"exponent\"\nber = [1e-5]\n")),
              HasSubstr("a.toml:7: 'bits' field \"exponent\" does not exist in int8"));
}

}  // namespace
}  // namespace npufi
