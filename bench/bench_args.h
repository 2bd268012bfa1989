#pragma once
// The benchmarks' command lines: `--name value` pairs.
#include <string>

namespace npufi {

// The value after `name`, or `fallback` when it is not given.
inline std::string bench_arg(int argc, char** argv, const std::string& name, const std::string& fallback) {
  for (int i = 1; i + 1 < argc; ++i)
    if (argv[i] == name) return argv[i + 1];
  return fallback;
}

}  // namespace npufi
