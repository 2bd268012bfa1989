#include "rtl/design/block_rules.h"

#include <fnmatch.h>

namespace npufi {

bool rule_matches(const BlockRule& rule, const std::string& path) {
  for (std::string prefix = path; !prefix.empty();) {  // the path, then each parent
    if (fnmatch(rule.instances.c_str(), prefix.c_str(), 0) == 0) return true;
    const size_t dot = prefix.rfind('.');
    prefix = dot == std::string::npos ? "" : prefix.substr(0, dot);
  }
  return false;
}

std::string block_of_instance(const std::vector<BlockRule>& rules, const std::string& top, const std::string& path) {
  for (const BlockRule& rule : rules)
    if (rule_matches(rule, path)) return rule.name;
  if (path.empty()) return top;
  std::string first = path.substr(0, path.find('.'));
  if (first.rfind("u_", 0) == 0) first = first.substr(2);
  return first;
}

}  // namespace npufi
