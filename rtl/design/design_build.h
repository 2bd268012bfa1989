#pragma once
// `npufi design build`: a design file's sources verilated with what the injector needs (its state, memory
// ports and top ports public, --savable, --trace), its state found from Verilator's XML, and everything compiled with the testbench
// into a plugin that npufi loads at run time. The result is cached by the digest of every input.
#include <iosfwd>
#include <stdexcept>
#include <string>

#include "rtl/design/design_file.h"

namespace npufi {

struct DesignBuildError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A built design: its folder, the plugin in it, and the digest of the inputs it was built from.
struct BuiltDesign {
  std::string dir;
  std::string plugin;
  std::string digest;
  bool reused = false;  // the cached build was up to date
};

// The digest of every input of a build: the design file's settings, the bytes of every source, include
// file and the testbench, the contract headers, and the versions of Verilator and the C++ compiler.
std::string design_build_digest(const DesignFile& design);

// The folder a design is built into unless told otherwise: .npufi/NAME next to the design file.
std::string default_design_build_dir(const DesignFile& design);

// Builds the design into `out_dir` (default_design_build_dir when empty, else linked from there, so that
// the other commands find it), or reuses the build there when its digest matches. Progress goes to `log`. Throws DesignBuildError("design.toml: ...") naming what is
// wrong: Verilator's first error (with file and line), a clock or reset that is not an input of the top,
// a block rule that matches no instance, the compiler's first error in the testbench.
BuiltDesign build_design(const DesignFile& design, const std::string& out_dir, int jobs, std::ostream& log);

// The build of `design` in `out_dir` (default when empty) if it is up to date. Throws DesignBuildError
// when it is missing or was built from other inputs.
BuiltDesign find_built_design(const DesignFile& design, const std::string& out_dir = "");

}  // namespace npufi
