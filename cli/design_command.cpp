// npufi design build: a design file's Verilog and testbench made into a plugin npufi can inject faults
// into (docs/your-design.md). Needs Verilator and a C++ compiler; nothing else of npufi does.
#include <cstdio>
#include <iostream>
#include <memory>
#include <thread>

#include "cli/commands.h"
#include "rtl/design/design_build.h"
#include "rtl/design/design_plugin.h"
#include "rtl/sim/design_fault_simulator.h"

namespace npufi::cli {

namespace {

struct DesignBuildArgs {
  std::string file;
  std::string out;
  int jobs = int(std::max(1u, std::thread::hardware_concurrency()));
};

int build(const DesignBuildArgs& args) {
  const DesignFile design = load_design_file(args.file);
  const BuiltDesign built = build_design(design, args.out, args.jobs, std::cerr);
  // Loading it proves the plugin is whole, and gives its sites.
  const DesignFaultSimulator simulator(DesignPlugin::load(built.plugin, built.digest), design);
  uint64_t flops = 0, srams = 0;
  for (const StateElement& e : simulator.sites().elements()) (e.kind == StorageKind::sram ? srams : flops) += e.bits();
  std::printf("%s: %s %s\n%s: %llu flop bits, %llu SRAM bits (npufi sites --design %s)\n", design.name.c_str(),
              built.reused ? "up to date in" : "built into", built.dir.c_str(), design.name.c_str(),
              (unsigned long long)flops, (unsigned long long)srams, args.file.c_str());
  return 0;
}

}  // namespace

void add_design_command(CLI::App* design, SharedOptions&, Runner& run) {
  design->require_subcommand(1);
  auto args = std::make_shared<DesignBuildArgs>();
  CLI::App* command = design->add_subcommand(
      "build", "Verilate a design file's sources with its testbench into a plugin (cached by the digest of every input)");
  command->add_option("file", args->file, "The design file (TOML)")->required()->check(CLI::ExistingFile);
  command->add_option("--out", args->out, "Build folder (default: .npufi/NAME next to the design file, which then links to it)");
  command->add_option("--jobs", args->jobs, "Parallel compile jobs")->check(CLI::Range(1, 256))->capture_default_str();
  command->callback([args, &run] { run = [args] { return build(*args); }; });
}

}  // namespace npufi::cli
