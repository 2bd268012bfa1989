#include "rtl/design/design_build.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>

#include "analysis/digest.h"
#include "npufi/design_abi.h"
#include "rtl/design/block_rules.h"
#include "rtl/design/command.h"
#include "rtl/design/embedded_headers.h"
#include "rtl/design/state_scan.h"

namespace fs = std::filesystem;

namespace npufi {

namespace {

constexpr const char* kManifest = "build.txt";
constexpr const char* kTable = "kDesignStateVars";

std::string read_all(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_file(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) throw DesignBuildError("cannot write " + path.string());
}

std::string tool_version(const std::vector<std::string>& argv) {
  const CommandResult r = run_command(argv);
  if (r.exit_code != 0) throw DesignBuildError(argv[0] + " is needed to build a design and did not run (" +
                                               (r.exit_code == 127 ? "not installed?" : r.output) + ")");
  return r.output;
}

// The first line of `output` that contains `marker`, trimmed; else its first non-empty line.
std::string first_line_with(const std::string& output, const std::string& marker) {
  std::istringstream lines(output);
  std::string line, first;
  while (std::getline(lines, line)) {
    if (first.empty() && !line.empty()) first = line;
    if (line.find(marker) != std::string::npos) return line;
  }
  return first.empty() ? "(no output)" : first;
}

// The Verilator arguments every step shares: top, parameters, defines, include folders, extra arguments.
std::vector<std::string> verilator_inputs(const DesignFile& d) {
  std::vector<std::string> args{"--top-module", d.top};
  for (const auto& [name, value] : d.parameters) args.push_back("-G" + name + "=" + value);
  for (const auto& [name, value] : d.defines) args.push_back("+define+" + name + "=" + value);
  for (const std::string& dir : d.include_dirs) args.push_back("-I" + dir);
  args.insert(args.end(), d.verilator_args.begin(), d.verilator_args.end());
  args.insert(args.end(), d.sources.begin(), d.sources.end());
  return args;
}

std::string manifest_text(const DesignFile& d, const std::string& digest) {
  return "digest " + digest + "\nabi " + std::to_string(kDesignAbiVersion) + "\nname " + d.name + "\ntop " + d.top +
         "\nplugin " + d.name + ".so\n";
}

// Every file below `dir`: its path relative to `home` and its digest.
std::string folder_files_digest(const std::string& dir, const fs::path& home) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir))
    if (entry.is_regular_file()) files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  std::string all;
  for (const fs::path& f : files) all += f.lexically_relative(home).string() + "=" + file_digest(f.string()) + "\n";
  return all;
}

// Checks the scanned design against the design file: clock and reset are inputs, every block rule
// matches an instance.
void check_design(const DesignFile& d, const ScannedDesign& scan) {
  const auto input = [&](const std::string& port, const std::string& what, const std::string& location) {
    const auto found = scan.top_ports.find(port);
    if (found == scan.top_ports.end() || found->second != "input") {
      std::string inputs;
      for (const auto& [name, dir] : scan.top_ports)
        if (dir == "input") inputs += (inputs.empty() ? "" : ", ") + name;
      throw DesignBuildError(location + ": the " + what + " '" + port + "' is not an input of the top module " + d.top +
                             " (its inputs: " + inputs + ")");
    }
  };
  input(d.clock, "clock", d.clock_location);
  input(d.reset, "reset", d.reset_location);
  for (const ScannedVar& v : scan.vars)
    if (v.unpacked_dims > 1)
      throw DesignBuildError(d.path + ": state variable " + v.scope + "." + v.name + " has " +
                             std::to_string(v.unpacked_dims) +
                             " unpacked dimensions, and Verilator cannot expose such a variable to npufi: give it one "
                             "(pack the others into its word)");
  for (const BlockRule& rule : d.blocks) {
    const bool any = std::any_of(scan.scopes.begin(), scan.scopes.end(), [&](const std::string& scope) {
      return scope.size() > d.top.size() && rule_matches(rule, scope.substr(d.top.size() + 1));
    });
    if (!any)
      throw DesignBuildError(rule.location + ": block '" + rule.name + "': instances '" + rule.instances +
                             "' match no instance below " + d.top);
  }
}

// A build in another folder than the default one is linked from there, so that every command finds it.
const BuiltDesign& linked_from_default(const DesignFile& d, const BuiltDesign& built) {
  const fs::path default_dir = default_design_build_dir(d);
  if (fs::path(built.dir) == default_dir) return built;
  fs::remove_all(default_dir);
  fs::create_directories(default_dir.parent_path());
  fs::create_directory_symlink(built.dir, default_dir);
  return built;
}

// The model's per-cycle code at -O2, its construction at -O1 (Verilator's makefile uses -Os for all): the
// NPU simulates about 1.2x faster than at -O1 (bench/rtl_injection.cpp); -O3 gains nothing
// (scripts/bench-verilator-variants).
const char* const kMakeFlags = "OPT_FAST=-O2 OPT_SLOW=-O1 OPT_GLOBAL=-O2";
// Only the variables npufi reaches are public (state_scan.h, public_vars_vlt), not every signal as with
// --public-flat-rw: the NPU simulates about 1.25x faster (scripts/bench-verilator-variants).
constexpr const char* kPublicVars = "public.vlt";

}  // namespace

std::string design_build_digest(const DesignFile& d) {
  std::string all = "abi " + std::to_string(kDesignAbiVersion) + "\n";
  all += tool_version({"verilator", "--version"});
  all += tool_version({"g++", "-dumpfullversion"});
  all += std::string("make ") + kMakeFlags + "\npublic " + kPublicVars + "\n";
  all += "name " + d.name + "\ntop " + d.top + "\nclock " + d.clock + "\nreset " + d.reset + " " +
         (d.reset_active_high ? "high " : "low ") + std::to_string(d.reset_cycles) + "\n";
  // Paths count relative to the design file, so that a moved or copied folder keeps its build.
  const fs::path home = fs::path(d.path).parent_path();
  const auto relative = [&](const std::string& path) { return fs::path(path).lexically_relative(home).string(); };
  for (const auto& [name, value] : d.parameters) all += "parameter " + name + "=" + value + "\n";
  for (const auto& [name, value] : d.defines) all += "define " + name + "=" + value + "\n";
  for (const std::string& arg : d.verilator_args) all += "arg " + arg + "\n";
  for (const std::string& source : d.sources) all += "source " + relative(source) + " " + file_digest(source) + "\n";
  for (const std::string& dir : d.include_dirs) all += "include " + relative(dir) + "\n" + folder_files_digest(dir, home);
  all += "testbench " + relative(d.testbench) + " " + file_digest(d.testbench) + "\n";
  for (const BlockRule& rule : d.blocks) all += "block " + rule.instances + " " + rule.name + "\n";
  for (const auto& [name, text] : embedded_contract_headers()) all += name + " " + hex_digest(fnv1a(text)) + "\n";
  return hex_digest(fnv1a(all));
}

std::string default_design_build_dir(const DesignFile& d) {
  return (fs::path(d.path).parent_path() / ".npufi" / d.name).string();
}

BuiltDesign find_built_design(const DesignFile& d, const std::string& out_dir) {
  BuiltDesign built;
  built.dir = out_dir.empty() ? default_design_build_dir(d) : fs::absolute(out_dir).string();
  built.digest = design_build_digest(d);
  built.plugin = (fs::path(built.dir) / (d.name + ".so")).string();
  const std::string manifest = read_all(fs::path(built.dir) / kManifest);
  if (manifest.empty() || !fs::exists(built.plugin))
    throw DesignBuildError(d.path + ": the design is not built in " + built.dir + "; run `npufi design build " + d.path +
                           "`");
  if (manifest != manifest_text(d, built.digest))
    throw DesignBuildError(d.path + ": the build in " + built.dir + " is stale (its inputs changed); run `npufi design build " +
                           d.path + "`");
  built.reused = true;
  return built;
}

BuiltDesign build_design(const DesignFile& d, const std::string& out_dir, int jobs, std::ostream& log) {
  try {
    return linked_from_default(d, find_built_design(d, out_dir));
  } catch (const DesignBuildError&) {
    // not built, or stale: build it
  }
  BuiltDesign built;
  built.dir = out_dir.empty() ? default_design_build_dir(d) : fs::absolute(out_dir).string();
  built.digest = design_build_digest(d);
  built.plugin = (fs::path(built.dir) / (d.name + ".so")).string();

  // Everything is made in a fresh folder next to the result and renamed into place at the end.
  const fs::path work = fs::path(built.dir + ".tmp-" + std::to_string(getpid()));
  fs::remove_all(work);
  fs::create_directories(work / "include" / "npufi");
  for (const auto& [name, text] : embedded_contract_headers()) write_file(work / "include" / "npufi" / name, text);

  log << "verilating " << d.top << " (" << d.sources.size() << " sources) for its state\n";
  std::vector<std::string> xml_args{"verilator", "--xml-only", "--Mdir", (work / "xml").string(), "--xml-output",
                                    (work / "design.xml").string()};
  const std::vector<std::string> inputs = verilator_inputs(d);
  xml_args.insert(xml_args.end(), inputs.begin(), inputs.end());
  const CommandResult xml = run_command(xml_args);
  if (xml.exit_code != 0) {
    fs::remove_all(work);
    throw DesignBuildError(d.path + ": Verilator: " + first_line_with(xml.output, "%Error"));
  }
  ScannedDesign scan;
  try {
    scan = scan_design_xml(read_all(work / "design.xml"));
    check_design(d, scan);
  } catch (const std::runtime_error& e) {
    fs::remove_all(work);
    if (dynamic_cast<const DesignBuildError*>(&e)) throw;
    throw DesignBuildError(d.path + ": cannot read Verilator's XML: " + e.what());
  }
  write_file(work / "state_table.cpp", state_table_cpp(scan, kTable, d.path));
  write_file(work / kPublicVars, public_vars_vlt(scan));
  log << d.top << ": " << scan.vars.size() << " state variables in " << scan.scopes.size() << " instances\n";

  log << "compiling the plugin (Verilator and the C++ compiler, " << jobs << " jobs)\n";
  const auto define = [](const std::string& name, const std::string& value) { return " -D" + name + "=" + value; };
  const std::string cflags = "-fPIC -O1 -std=c++20 -fvisibility=hidden -I" + (work / "include").string() +
                             define("NPUFI_CLOCK", d.clock) + define("NPUFI_RESET", d.reset) +
                             define("NPUFI_RESET_ACTIVE", d.reset_active_high ? "1" : "0") +
                             define("NPUFI_RESET_CYCLES", std::to_string(d.reset_cycles)) +
                             define("NPUFI_DESIGN_DIGEST", "\\\"" + built.digest + "\\\"");  // quoted through make's shell
  std::vector<std::string> cc_args{"verilator", "--cc", "--exe", "--build", "-j", std::to_string(std::max(1, jobs)),
                                   (work / kPublicVars).string(), "--savable", "--trace", "--x-assign", "fast", "--x-initial",
                                   "fast", "-Wno-fatal", "-MAKEFLAGS", kMakeFlags, "--Mdir", (work / "obj").string(), "-CFLAGS", cflags,
                                   "-LDFLAGS", "-shared -Wl,-Bsymbolic -Wl,--no-undefined", "-o",
                                   (work / (d.name + ".so")).string()};
  cc_args.insert(cc_args.end(), inputs.begin(), inputs.end());
  cc_args.push_back(d.testbench);
  cc_args.push_back((work / "state_table.cpp").string());
  const CommandResult cc = run_command(cc_args);
  if (cc.exit_code != 0 || !fs::exists(work / (d.name + ".so"))) {
    fs::remove_all(work);
    // The compiler's first error, else Verilator's (make's failure is reported as a Verilator %Error too).
    const bool compiler_failed = cc.output.find(": error:") != std::string::npos;
    throw DesignBuildError(d.path + (compiler_failed ? ": the plugin does not compile: " + first_line_with(cc.output, ": error:")
                                                     : ": Verilator: " + first_line_with(cc.output, "%Error")));
  }
  write_file(work / kManifest, manifest_text(d, built.digest));

  fs::remove_all(built.dir);
  fs::create_directories(fs::path(built.dir).parent_path());
  fs::rename(work, built.dir);
  log << "built " << built.plugin << " (inputs " << built.digest << ")\n";
  return linked_from_default(d, built);
}

}  // namespace npufi
