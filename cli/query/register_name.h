#pragma once
// The register (state element) a stored site belongs to: its name without the bit and word indices,
// "controller.state[3]" -> "controller.state", "weight_buffer.mem[17][3]" -> "weight_buffer.mem" (the
// element paths of rtl/sim/fault_sites.h).
#include <string>

namespace npufi::cli {

inline std::string register_of(const std::string& site) {
  const size_t dot = site.rfind('.');
  return site.substr(0, site.find('[', dot == std::string::npos ? 0 : dot));
}

}  // namespace npufi::cli
