#include "campaigns/spec.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>
#include <type_traits>

namespace npufi {
namespace {

using ::testing::HasSubstr;

std::string error_of(const std::string& text) {
  try {
    parse_campaign_spec(text, "dir/c.toml");
  } catch (const SpecError& e) {
    return e.what();
  }
  return "no error";
}

TEST(CampaignSpec, ParsesEveryKey) {
  const CampaignSpec spec = parse_campaign_spec(R"(
name = "n"
model = "m.pt"
seed = 9
split = "train"
images = "100:300"
batch_size = 50
targets = ["conv*", "fc3.*"]
formats = ["fp16", "int8"]
kind = "stuck_at_1"
adjacent_bits = 2
bits = [0, 7]
ber = [1e-6, 0, 1]
repetitions = 4
)",
                                                "dir/c.toml");
  EXPECT_EQ(spec.name, "n");
  EXPECT_EQ(spec.model, "dir/m.pt");
  EXPECT_EQ(spec.seed, 9u);
  EXPECT_EQ(spec.split, "train");
  EXPECT_EQ(spec.first_image, 100);
  EXPECT_EQ(*spec.image_count, 200);
  EXPECT_EQ(spec.batch_size, 50);
  EXPECT_EQ(spec.targets, (std::vector<std::string>{"conv*", "fc3.*"}));
  EXPECT_EQ(spec.formats, (std::vector<NumberFormat>{NumberFormat::fp16, NumberFormat::int8}));
  EXPECT_EQ(spec.kind, FaultKind::stuck_at_1);
  EXPECT_EQ(spec.adjacent_bits, 2);
  EXPECT_TRUE(spec.bit_field.empty());
  EXPECT_EQ(spec.bit_positions, (std::vector<int>{0, 7}));
  EXPECT_EQ(spec.bers, (std::vector<double>{1e-6, 0, 1}));
  EXPECT_EQ(spec.repetitions, 4);
  EXPECT_EQ(spec.trial_count(), 2 * 3 * 4);
  EXPECT_EQ(spec.targets_line, 8);
}

TEST(CampaignSpec, DefaultsAndExplicitFaults) {
  const CampaignSpec spec = parse_campaign_spec(R"(model = "/abs/m.pt"
[[fault]]
tensor = "fc.weight"
index = 3
bit = 31
[[fault]]
tensor = "fc.bias"
index = 0
bit = 2
)",
                                                "c.toml");
  EXPECT_EQ(spec.name, "c");
  EXPECT_EQ(spec.model, "/abs/m.pt");
  EXPECT_EQ(spec.formats, std::vector<NumberFormat>{NumberFormat::fp32});
  EXPECT_EQ(spec.bit_field, "all");
  ASSERT_EQ(spec.listed_faults.size(), 2u);
  EXPECT_EQ(spec.listed_faults[0].tensor, "fc.weight");
  EXPECT_EQ(spec.listed_faults[0].index, 3);
  EXPECT_EQ(spec.listed_faults[1].bit, 2);
  EXPECT_EQ(spec.trial_count(), 1);
}

TEST(CampaignSpec, CanonicalFormChangesWithEverySetting) {
  const std::string base = "model = \"m\"\nber = [1e-5]\n";
  const std::string a = parse_campaign_spec(base, "c.toml").canonical();
  EXPECT_EQ(a, parse_campaign_spec("# comment\n" + base, "c.toml").canonical());
  EXPECT_NE(a, parse_campaign_spec(base + "seed = 2\n", "c.toml").canonical());
  EXPECT_NE(a, parse_campaign_spec(base + "repetitions = 2\n", "c.toml").canonical());
  EXPECT_NE(a, parse_campaign_spec(base + "bits = \"sign\"\n", "c.toml").canonical());
}

TEST(CampaignSpec, MalformedTomlGivesTheLine) {
  EXPECT_THAT(error_of("model = \"m\"\nber = [1e-5\nseed = 3\n"), HasSubstr("dir/c.toml:"));
  EXPECT_THAT(error_of("model = \"m\"\nber = [1e-5]\nseed = = 3\n"), HasSubstr("dir/c.toml:3: malformed TOML"));
}

TEST(CampaignSpec, UnknownKeyIsNamed) {
  EXPECT_EQ(error_of("model = \"m\"\nber = [1e-5]\nrepetitons = 3\n"),
            "dir/c.toml:3: 'repetitons' is not a known key (see docs/campaign-file.md)");
  EXPECT_THAT(error_of("model = \"m\"\n[[fault]]\ntensor = \"a\"\nindex = 1\nbit = 1\nbyte = 2\n"),
              HasSubstr(":6: 'fault.byte' is not a known key"));
}

TEST(CampaignSpec, BerOutsideUnitIntervalIsRefused) {
  EXPECT_EQ(error_of("model = \"m\"\nber = [1e-5,\n  1.5]\n"), "dir/c.toml:3: 'ber' value 1.5 is outside [0, 1]");
  EXPECT_THAT(error_of("model = \"m\"\nber = [-1e-3]\n"), HasSubstr("'ber' value -0.001 is outside [0, 1]"));
}

TEST(CampaignSpec, OtherValuesAreChecked) {
  EXPECT_THAT(error_of("ber = [1e-5]\n"), HasSubstr("'model' is required"));
  EXPECT_THAT(error_of("model = \"m\"\n"), HasSubstr("give either 'ber'"));
  EXPECT_THAT(error_of("model = \"m\"\nber = [1e-5]\nformats = [\"fp8\"]\n"), HasSubstr(":3: 'formats' has unknown format \"fp8\""));
  EXPECT_THAT(error_of("model = \"m\"\nber = [1e-5]\nkind = \"flip\"\n"), HasSubstr("'kind' is \"flip\""));
  EXPECT_THAT(error_of("model = \"m\"\nber = [1e-5]\nbits = \"exp\"\n"), HasSubstr("'bits' is \"exp\""));
  EXPECT_THAT(error_of("model = \"m\"\nber = [1e-5]\nbits = [40]\n"), HasSubstr("'bits' is 40, outside [0, 31]"));
  EXPECT_THAT(error_of("model = \"m\"\nber = [1e-5]\nimages = \"5:2\"\n"), HasSubstr("'images' must be \"FIRST:END\""));
  EXPECT_THAT(error_of("model = \"m\"\nber = [1e-5]\nrepetitions = 0\n"), HasSubstr("'repetitions' is 0, outside"));
  EXPECT_THAT(error_of("model = 3\nber = [1e-5]\n"), HasSubstr(":1: 'model' must be a string"));
}

TEST(ActivationCampaignSpec, LayersAndListedFaultsWithTheirImages) {
  const CampaignSpec spec = parse_campaign_spec(R"(target = "activations"
model = "m.pt"
targets = "conv*"
[[fault]]
layer = "conv1"
index = 17
bit = 30
image = 4
)",
                                                "c.toml");
  EXPECT_TRUE(spec.activations);
  EXPECT_EQ(spec.targets, std::vector<std::string>{"conv*"});
  ASSERT_EQ(spec.listed_faults.size(), 1u);
  EXPECT_EQ(spec.listed_faults[0].tensor, "conv1");
  EXPECT_EQ(spec.listed_faults[0].index, 17);
  EXPECT_EQ(spec.listed_faults[0].image, 4);
  // Activations and weights with the same settings are different campaigns.
  EXPECT_NE(parse_campaign_spec("model = \"m\"\nber = [1e-5]\n", "c.toml").canonical(),
            parse_campaign_spec("target = \"activations\"\nmodel = \"m\"\nber = [1e-5]\n", "c.toml").canonical());
}

TEST(ActivationCampaignSpec, BadListedFaultsAreNamedWithTheirLine) {
  const std::string head = "target = \"activations\"\nmodel = \"m\"\n";
  EXPECT_EQ(error_of(head + "[[fault]]\nlayer = \"fc1\"\nindex = 1\nbit = 1\n"),
            "dir/c.toml:3: 'fault' needs 'image' (the image a bit flip hits)");
  EXPECT_EQ(error_of(head + "kind = \"stuck_at_0\"\n[[fault]]\nlayer = \"fc1\"\nindex = 1\nbit = 1\nimage = 3\n"),
            "dir/c.toml:4: 'fault.image' does not apply to stuck_at_0 faults, which hit every image");
  EXPECT_THAT(error_of(head + "[[fault]]\ntensor = \"fc1\"\nindex = 1\nbit = 1\nimage = 0\n"),
              HasSubstr(":4: 'fault.tensor' is not a known key (layer, index, bit, image)"));
  EXPECT_THAT(error_of(head + "[[fault]]\nlayer = \"fc1\"\nindex = 1\nbit = 1\nimage = -2\n"),
              HasSubstr(":7: 'image' is -2, outside"));
  EXPECT_THAT(error_of("model = \"m\"\n[[fault]]\ntensor = \"a\"\nindex = 1\nbit = 1\nimage = 2\n"),
              HasSubstr(":6: 'fault.image' is not a known key (tensor, index, bit)"));
  EXPECT_THAT(error_of("target = \"neurons\"\nmodel = \"m\"\n"),
              HasSubstr(":1: 'target' must be \"weights\", \"activations\" or \"rtl\""));
}

TEST(CampaignSpec, MissingFileIsNamed) {
  try {
    load_campaign_spec("/nonexistent/x.toml");
    FAIL();
  } catch (const SpecError& e) {
    EXPECT_STREQ(e.what(), "/nonexistent/x.toml: cannot read the campaign file");
  }
}

}  // namespace
}  // namespace npufi

namespace npufi {
namespace {

TEST(RtlCampaignSpec, ParsesEveryKey) {
  const CampaignSpec spec = parse_campaign_spec(R"(
target = "rtl"
model = "m.pt"
seed = 4
npu = "npu128"
images = "3:7"
calibration = 200
fault_model = "mbu"
mbu_bits = 3
blocks = ["controller", "*_buffer"]
sampling = "stratified"
injections = 500
layer = 2
checkpoint_interval = 64
)",
                                                "dir/r.toml");
  ASSERT_TRUE(spec.rtl);
  const RtlSpec& rtl = *spec.rtl;
  EXPECT_EQ(rtl.npu, NpuConfig::npu128);
  EXPECT_EQ(spec.first_image, 3);
  EXPECT_EQ(*spec.image_count, 4);
  EXPECT_EQ(rtl.calibration, 200);
  EXPECT_EQ(rtl.fault_model, RtlFaultModel::mbu);
  EXPECT_EQ(rtl.mbu_bits, 3u);
  EXPECT_EQ(rtl.blocks, (std::vector<std::string>{"controller", "*_buffer"}));
  EXPECT_EQ(rtl.sampling, SiteSampling::stratified);
  EXPECT_EQ(rtl.injections, 500);
  EXPECT_EQ(rtl.layer, 2);
  EXPECT_EQ(rtl.checkpoint_interval, 64u);
  EXPECT_EQ(spec.trial_count(), 500);
}

TEST(RtlCampaignSpec, DefaultsAndListedFaults) {
  const CampaignSpec spec = parse_campaign_spec(R"(
target = "rtl"
model = "m.pt"
[[fault]]
site = "controller.state[3]"
model = "stuck_at_0"
cycle = 0
image = 1
[[fault]]
site = "acc_buffer.acc[2][30]"
model = "mbu"
bits = 2
cycle = 500
image = 0
)",
                                                "r.toml");
  const RtlSpec& rtl = *spec.rtl;
  EXPECT_EQ(rtl.npu, NpuConfig::npu64);
  EXPECT_EQ(spec.first_image, 0);
  EXPECT_EQ(*spec.image_count, 8);
  ASSERT_EQ(rtl.listed_faults.size(), 2u);
  EXPECT_EQ(rtl.listed_faults[0].site, "controller.state[3]");
  EXPECT_EQ(rtl.listed_faults[0].model, RtlFaultModel::stuck_at_0);
  EXPECT_EQ(rtl.listed_faults[1].width, 2u);
  EXPECT_EQ(rtl.listed_faults[1].cycle, 500u);
  EXPECT_EQ(spec.trial_count(), 2);
  // Every setting is part of the campaign's identity.
  const CampaignSpec other = parse_campaign_spec("target = \"rtl\"\nmodel = \"m.pt\"\ninjections = 5\n", "r.toml");
  const CampaignSpec bigger = parse_campaign_spec("target = \"rtl\"\nmodel = \"m.pt\"\ninjections = 6\n", "r.toml");
  EXPECT_NE(other.canonical(), bigger.canonical());
  EXPECT_NE(other.canonical(), spec.canonical());
}

TEST(RtlCampaignSpec, BadValuesAreNamedWithTheirLine) {
  const std::string head = "target = \"rtl\"\nmodel = \"m.pt\"\n";
  EXPECT_THAT(error_of(head + "injections = 5\nnpu = \"npu48\"\n"), HasSubstr("dir/c.toml:4: 'npu' is \"npu48\""));
  EXPECT_THAT(error_of(head + "injections = 5\nfault_model = \"flip\"\n"), HasSubstr(":4: 'fault_model'"));
  EXPECT_THAT(error_of(head + "injections = 5\nsampling = \"neyman\"\n"), HasSubstr(":4: 'sampling'"));
  EXPECT_THAT(error_of(head + "injections = 5\nformats = [\"fp32\"]\n"),
              HasSubstr(":4: 'formats' is not a key of an RTL campaign"));
  EXPECT_THAT(error_of(head), HasSubstr("give either 'injections'"));
  EXPECT_THAT(error_of(head + "[[fault]]\nsite = \"status.done[0]\"\ncycle = 3\n"), HasSubstr("needs 'image'"));
  EXPECT_THAT(error_of(head + "[[fault]]\nsite = \"status.done[0]\"\ncycle = 3\nimage = 0\nbits = 2\n"),
              HasSubstr("'fault.bits' is for model = \"mbu\" only"));
  EXPECT_THAT(error_of("target = \"gates\"\nmodel = \"m.pt\"\n"), HasSubstr(":1: 'target' must be"));
}

}  // namespace
}  // namespace npufi

namespace npufi {
namespace {

const std::string kHardenHead = "model = \"m.pt\"\nber = [1e-5]\n[harden]\nmethod = \"ranger\"\nout = \"h.pt\"\n";

TEST(HardenTable, SetsTheJobAndResolvesOutNextToTheFile) {
  const CampaignSpec spec = parse_campaign_spec(R"(model = "m.pt"
ber = [1e-5]
[harden]
method = "proact"
out = "m-proact.pt"
granularity = "layer"
seed = 7
profile_images = 300
train_images = 400
k = 10
steps_per_layer = 5
tolerance = 2
search_bers = [1e-6, 1e-5]
search_format = "int8"
)",
                                                "dir/c.toml");
  ASSERT_TRUE(spec.harden);
  EXPECT_EQ(spec.harden_line, 3);
  const HardenJob job = harden_job(spec);
  EXPECT_EQ(job.model, "dir/m.pt");
  EXPECT_EQ(job.out, "dir/m-proact.pt");
  EXPECT_EQ(job.settings.method, HardenMethod::proact);
  EXPECT_EQ(job.settings.granularity, Granularity::layer);
  EXPECT_EQ(job.settings.seed, 7u);
  EXPECT_EQ(job.settings.profile_images, 300);
  EXPECT_EQ(job.train_images, 400);
  EXPECT_EQ(job.validation_images, 2000);  // a default
  EXPECT_EQ(job.settings.k, 10.0);
  EXPECT_EQ(job.settings.proact_steps, 5);
  EXPECT_EQ(job.settings.proact_tolerance, 2.0);
  EXPECT_EQ(job.search_bers, (std::vector<double>{1e-6, 1e-5}));
  EXPECT_EQ(job.search_format, "int8");
  // Without granularity the method's default.
  EXPECT_EQ(harden_job(parse_campaign_spec(kHardenHead, "c.toml")).settings.granularity, Granularity::layer);
  // The hardening is not part of the campaign's identity: the hardened model's digest is.
  EXPECT_EQ(parse_campaign_spec(kHardenHead, "c.toml").canonical(),
            parse_campaign_spec("model = \"m.pt\"\nber = [1e-5]\n", "c.toml").canonical());
}

// Every `npufi harden` setting is a key: each one, set to its default, parses.
TEST(HardenTable, EveryHardenSettingIsAKey) {
  HardenJob defaults;
  defaults.method = "ranger";
  defaults.granularity = "layer";
  for (const HardenKey& key : harden_keys()) {
    SCOPED_TRACE(key.name);
    std::ostringstream value;
    value.precision(17);
    std::visit(
        [&](auto field) {
          using T = std::decay_t<decltype(field(defaults))>;
          if constexpr (std::is_same_v<T, std::string>) {
            value << '"' << field(defaults) << '"';
          } else if constexpr (std::is_same_v<T, std::vector<double>>) {
            value << '[';
            for (double v : field(defaults)) value << v << ',';
            value << ']';
          } else if constexpr (std::is_same_v<T, double>) {
            value << std::showpoint << field(defaults);
          } else {
            value << field(defaults);
          }
        },
        key.field);
    const std::string text = "model = \"m.pt\"\nber = [1e-5]\n[harden]\nout = \"h.pt\"\n" +
                             (key.name == "method" ? "" : std::string("method = \"ranger\"\n")) + key.name + " = " +
                             value.str() + "\n";
    EXPECT_NO_THROW(harden_job(parse_campaign_spec(text, "c.toml"))) << text;
  }
  EXPECT_GE(harden_keys().size(), 25u);
}

TEST(HardenTable, BadKeysAndValuesAreNamedWithTheirLine) {
  EXPECT_EQ(error_of(kHardenHead + "rounds = 3\n"), "dir/c.toml:6: 'harden.rounds' is not a known key (see docs/hardening.md)");
  EXPECT_EQ(error_of(kHardenHead + "k = 0\n"), "dir/c.toml:6: 'harden.k' is 0; must be > 0");
  EXPECT_EQ(error_of(kHardenHead + "weaken = 1\n"), "dir/c.toml:6: 'harden.weaken' is 1; must be in (0, 1)");
  EXPECT_EQ(error_of(kHardenHead + "train_images = 0\n"), "dir/c.toml:6: 'harden.train_images' is 0; must be in [1, 60000]");
  EXPECT_EQ(error_of(kHardenHead + "epochs = 1.5\n"), "dir/c.toml:6: 'harden.epochs' must be an integer");
  EXPECT_EQ(error_of(kHardenHead + "search_format = \"fp8\"\n"),
            "dir/c.toml:6: 'harden.search_format' is \"fp8\"; use fp32, fp16, bf16 or int8");
  EXPECT_EQ(error_of(kHardenHead + "search_bers = [1e-4, 1e-5]\n"), "dir/c.toml:6: 'harden.search_bers' must be ascending");
  EXPECT_EQ(error_of(kHardenHead + "search_bers = [0, 1e-5]\n"),
            "dir/c.toml:6: 'harden.search_bers' has a value that is 0; must be in (0, 1]");
  EXPECT_EQ(error_of(kHardenHead + "profile_images = 3000\ntrain_images = 2000\n"),
            "dir/c.toml:6: 'harden.profile_images' is 3000; must be at most the training images (2000)");
  EXPECT_EQ(error_of(kHardenHead + "train_images = 59000\n"),
            "dir/c.toml:3: 'harden.validation_images' is 2000; must be at most the training split's images left after "
            "the training images (1000)");
  EXPECT_EQ(error_of("model = \"m.pt\"\nber = [1e-5]\n[harden]\nmethod = \"ftclipact\"\ngranularity = \"hybrid\"\nout = \"h.pt\"\n"),
            "dir/c.toml:5: 'harden.granularity' is \"hybrid\"; ftclipact searches one threshold per layer (layer only)");
  EXPECT_EQ(error_of("model = \"m.pt\"\nber = [1e-5]\n[harden]\nout = \"h.pt\"\n"),
            "dir/c.toml:3: 'harden.method' is required (ranger, ftclipact, fitact or proact)");
  EXPECT_EQ(error_of("model = \"m.pt\"\nber = [1e-5]\n[harden]\nmethod = \"ranger\"\n"),
            "dir/c.toml:3: 'harden.out' is required (the hardened model file)");
  EXPECT_EQ(error_of("model = \"m.pt\"\nber = [1e-5]\n[harden]\nmethod = \"ranger\"\nout = \"m.pt\"\n"),
            "dir/c.toml:5: 'harden.out' is the model to harden (dir/m.pt); write the hardened model to a new file");
  EXPECT_EQ(error_of("model = \"m.pt\"\nber = [1e-5]\nharden = \"ranger\"\n"),
            "dir/c.toml:3: 'harden' must be a table: [harden] method = ..., out = ...");
}

}  // namespace
}  // namespace npufi
