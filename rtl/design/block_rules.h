#pragma once
// The blocks of a design: its design file's [[block]] rules, else one block per instance under the top.
#include <string>
#include <vector>

#include "rtl/design/design_file.h"

namespace npufi {

// The block of the state held by the instance at `path` below the top ("u_array.g_row[0].g_col[1].u_pe";
// "" for the top itself, `top` names its block). The first rule whose glob (shell syntax) matches the
// path or one of its parents wins; without one, the first instance below the top, without a "u_" prefix.
std::string block_of_instance(const std::vector<BlockRule>& rules, const std::string& top, const std::string& path);

// True when the rule's glob matches `path` or one of its parents.
bool rule_matches(const BlockRule& rule, const std::string& path);

}  // namespace npufi
