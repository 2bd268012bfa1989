#pragma once
// A design file (TOML): what `npufi design build` needs to turn a user's Verilog/SystemVerilog and its
// testbench into a plugin npufi can inject faults into (docs/your-design.md gives every key).
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace npufi {

struct DesignFileError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Instances whose path below the top matches `instances` (a glob: * any characters, ? one) form a block.
struct BlockRule {
  std::string instances;
  std::string name;
  std::string location;  // "design.toml:17", for errors about the rule
};

struct DesignFile {
  std::string path;  // the design file itself
  std::string name;  // default: the top module
  std::string top;
  std::vector<std::string> sources;       // absolute paths, in the order given
  std::vector<std::string> include_dirs;  // absolute paths
  std::map<std::string, std::string> defines;     // -DNAME=VALUE
  std::map<std::string, std::string> parameters;  // -GNAME=VALUE
  std::vector<std::string> verilator_args;        // extra arguments, passed through
  std::string testbench;                          // absolute path
  std::string clock;
  std::string reset;
  std::string clock_location, reset_location;  // "design.toml:12", for errors about them
  bool reset_active_high = true;
  int reset_cycles = 2;
  std::vector<BlockRule> blocks;  // empty: one block per instance under the top
  std::string area;               // an area model (rtl/sim/area_model.h), absolute; empty when none
};

// Throws DesignFileError("design.toml:LINE: what is wrong") for a file that cannot be read or parsed, a key
// that is unknown, missing or of the wrong type, or a source, include folder or testbench that does not
// exist. Paths in the file are relative to the file's folder.
DesignFile load_design_file(const std::string& path);
// The same for the file's text; `path` locates it (errors, relative paths).
DesignFile parse_design_file(const std::string& text, const std::string& path);

}  // namespace npufi
