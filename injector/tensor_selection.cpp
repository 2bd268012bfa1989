#include "injector/tensor_selection.h"

#include <fnmatch.h>

#include <algorithm>

namespace npufi {

namespace {

bool matches(const std::string& glob, const std::string& name) {
  return fnmatch(glob.c_str(), name.c_str(), 0) == 0;
}

}  // namespace

std::vector<uint32_t> select_tensors(const std::vector<Parameter>& tensors, const std::vector<std::string>& globs) {
  std::vector<uint32_t> selected;
  for (uint32_t t = 0; t < tensors.size(); ++t) {
    if (std::any_of(globs.begin(), globs.end(), [&](const std::string& g) { return matches(g, tensors[t].name); })) {
      selected.push_back(t);
    }
  }
  return selected;
}

bool glob_matches_any(const std::vector<Parameter>& tensors, const std::string& glob) {
  return std::any_of(tensors.begin(), tensors.end(), [&](const Parameter& p) { return matches(glob, p.name); });
}

}  // namespace npufi
