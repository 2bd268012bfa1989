#pragma once
// The contract headers (include/npufi/*.h), compiled into npufi so that `npufi design build` can give
// them to a testbench without the npufi source tree.
#include <string>
#include <utility>
#include <vector>

namespace npufi {

// {file name, text} of every header a testbench needs.
const std::vector<std::pair<std::string, std::string>>& embedded_contract_headers();

}  // namespace npufi
