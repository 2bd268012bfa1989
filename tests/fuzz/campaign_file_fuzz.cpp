// Fuzz harness: a campaign file (weight and RTL keys, [[fault]] tables, the [harden] table), parsed and
// validated as `npufi campaign run` does before it opens a model or a database.
#include "campaigns/spec.h"
#include "tests/fuzz/fuzz_harness.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = "fuzz/campaign.toml";
  npufi::fuzz::expect_only<npufi::SpecError>(path, [&] {
    const npufi::CampaignSpec spec = npufi::parse_campaign_spec(npufi::fuzz::as_text(data, size), path);
    (void)spec.canonical();
    (void)spec.trial_count();
  });
  return 0;
}
