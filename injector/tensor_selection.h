#pragma once
// Chooses fault-target tensors by name glob (shell syntax: * ? [...]).
#include <cstdint>
#include <string>
#include <vector>

#include "models/parameter.h"

namespace npufi {

// Indices of the tensors whose name matches at least one glob, ascending.
std::vector<uint32_t> select_tensors(const std::vector<Parameter>& tensors, const std::vector<std::string>& globs);

// True when `glob` matches at least one tensor name.
bool glob_matches_any(const std::vector<Parameter>& tensors, const std::string& glob);

}  // namespace npufi
