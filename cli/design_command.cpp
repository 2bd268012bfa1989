// npufi design build: a design file's Verilog and testbench made into a plugin npufi can inject faults
// into (docs/your-design.md). Needs Verilator and a C++ compiler; nothing else of npufi does.
// npufi design protect: the reference NPU with a protection plan's safety mechanisms as RTL, as a design
// file, built (docs/safety-rtl.md).
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <thread>

#include "campaigns/protected_npu_design.h"
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

struct DesignProtectArgs {
  std::string plan;
  bool lockstep = false;
  std::string config;
  std::string out;
  bool no_build = false;
  int jobs = int(std::max(1u, std::thread::hardware_concurrency()));
};

int protect(const DesignProtectArgs& args) {
  if (args.plan.empty() == !args.lockstep)
    throw CLI::ValidationError(args.lockstep ? "give a plan file or --lockstep, not both" : "give a plan file or --lockstep");
  std::string config_name = args.config;
  ProtectionPlanFile plan;
  if (!args.plan.empty()) {
    plan = read_protection_plan(args.plan);
    if (plan.npu.empty())
      throw ProtectedNpuError(args.plan + ": the plan is for a user design, not for the reference NPU");
    if (!config_name.empty() && config_name != plan.npu)
      throw ProtectedNpuError(args.plan + ": the plan is for " + plan.npu + ", not " + config_name);
    config_name = plan.npu;
  }
  if (config_name.empty()) throw CLI::ValidationError("--lockstep needs --config");
  const std::optional<NpuConfig> config = parse_npu_config(config_name);
  if (!config) throw ProtectedNpuError(args.plan + ": unknown NPU configuration '" + config_name + "'");
  const std::string out = args.out.empty() ? config_name + (args.lockstep ? "-lockstep" : "-protected") + ".toml" : args.out;
  const std::string name = std::filesystem::path(out).stem().string();
  ProtectedNpuDesign design;
  try {
    design = args.lockstep ? lockstep_npu_design(*config, name) : protected_npu_design(plan, *config, name);
  } catch (const ProtectedNpuError& e) {
    throw ProtectedNpuError(args.plan + ": " + e.what());  // only a plan can be refused
  }
  {
    std::ofstream file(out);
    if (!(file << design.toml)) throw ProtectedNpuError(out + ": cannot write the design file");
  }
  std::printf("%s: %s with safety mechanisms as RTL\n", out.c_str(), config_name.c_str());
  for (const std::string& line : design.built) std::printf("  %s\n", line.c_str());
  for (const std::string& line : design.notes) std::printf("  note: %s\n", line.c_str());
  if (design.built.empty()) std::printf("  (no mechanism: the plan protects nothing in RTL)\n");
  if (args.no_build) return 0;
  return build({out, "", args.jobs});
}

}  // namespace

void add_design_command(CLI::App* design, SharedOptions&, Runner& run) {
  design->require_subcommand(1);
  auto protect_args = std::make_shared<DesignProtectArgs>();
  CLI::App* protect_command = design->add_subcommand(
      "protect", "Write (and build) the reference NPU with a protection plan's safety mechanisms as RTL");
  protect_command->add_option("plan", protect_args->plan, "A block-level plan of the NPU (npufi protect --out)")
      ->check(CLI::ExistingFile);
  protect_command->add_flag("--lockstep", protect_args->lockstep, "Dual-core lockstep of the whole NPU instead of a plan");
  add_config_option(*protect_command, protect_args->config);
  protect_command->add_option("--out", protect_args->out, "The design file to write (default: npuN-protected.toml or npuN-lockstep.toml)");
  protect_command->add_flag("--no-build", protect_args->no_build, "Only write the design file");
  protect_command->add_option("--jobs", protect_args->jobs, "Parallel compile jobs")->check(CLI::Range(1, 256))->capture_default_str();
  protect_command->callback([protect_args, &run] { run = [protect_args] { return protect(*protect_args); }; });

  auto args = std::make_shared<DesignBuildArgs>();
  CLI::App* command = design->add_subcommand(
      "build", "Verilate a design file's sources with its testbench into a plugin (cached by the digest of every input)");
  command->add_option("file", args->file, "The design file (TOML)")->required()->check(CLI::ExistingFile);
  command->add_option("--out", args->out, "Build folder (default: .npufi/NAME next to the design file, which then links to it)");
  command->add_option("--jobs", args->jobs, "Parallel compile jobs")->check(CLI::Range(1, 256))->capture_default_str();
  command->callback([args, &run] { run = [args] { return build(*args); }; });
}

}  // namespace npufi::cli
