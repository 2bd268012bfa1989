#pragma once
// Content digests that identify a campaign: the same spec, model file and images give the same key,
// which is how `campaign run` finds a campaign to resume.
#include <string>

#include "analysis/digest.h"

namespace npufi {

std::string campaign_key(const std::string& canonical_spec, const std::string& model_digest,
                         const std::string& dataset_digest);

}  // namespace npufi
