#include "campaigns/identity.h"

namespace npufi {

std::string campaign_key(const std::string& canonical_spec, const std::string& model_digest,
                         const std::string& dataset_digest) {
  return hex_digest(fnv1a(canonical_spec + "|" + model_digest + "|" + dataset_digest));
}

}  // namespace npufi
