// npufi sites: the NPU's fault sites (every flop and SRAM bit), found from the design, per block; with
// --list, every state variable and the names of its sites.
#include <fnmatch.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "campaigns/spec.h"
#include "cli/rtl_target_choice.h"
#include "rtl/sim/fault_sites.h"

namespace npufi::cli {

namespace {

struct SitesArgs {
  RtlTargetChoice target;
  std::string block = "*";
  bool list = false;
  bool json = false;
};

struct BlockBits {
  uint64_t flop = 0;
  uint64_t sram = 0;
};

// "controller.state[0]".."[3]", or "weight_buffer.mem[0][0]".."[8191][7]".
std::string site_range(const FaultSites& sites, const StateElement& e) {
  return sites.name(e.first_bit) + " .. " + sites.name(e.first_bit + e.bits() - 1);
}

int print_sites(const SitesArgs& args) {
  const RtlTargetDesign target(args.target);
  const std::string& name = target.name();
  const FaultSites& sites = target.sites();
  std::vector<const StateElement*> chosen;
  for (const StateElement& e : sites.elements())
    if (fnmatch(args.block.c_str(), e.block.c_str(), 0) == 0) chosen.push_back(&e);
  if (chosen.empty())
    throw SpecError("--block '" + args.block + "' matches no block of " + name + " (npufi sites " + target.option() +
                    " lists them)");
  std::map<std::string, BlockBits> blocks;
  BlockBits total;
  for (const StateElement* e : chosen) {
    (e->kind == StorageKind::sram ? blocks[e->block].sram : blocks[e->block].flop) += e->bits();
    (e->kind == StorageKind::sram ? total.sram : total.flop) += e->bits();
  }

  if (args.json) {
    nlohmann::json out = {{target.is_npu() ? "config" : "design", name}, {"flop_bits", total.flop}, {"sram_bits", total.sram}};
    for (const auto& [name, bits] : blocks)
      out["blocks"].push_back({{"block", name}, {"flop_bits", bits.flop}, {"sram_bits", bits.sram}});
    if (args.list)
      for (const StateElement* e : chosen)
        out["variables"].push_back({{"path", e->path}, {"block", e->block}, {"kind", to_string(e->kind)},
                                    {"width", e->width}, {"words", e->words}, {"first_site", e->first_bit},
                                    {"sites", e->bits()}});
    std::printf("%s\n", out.dump(2).c_str());
    return 0;
  }
  if (args.list) {
    std::printf("%-34s %-5s %6s %6s %8s  %s\n", "variable", "kind", "width", "words", "first", "sites");
    for (const StateElement* e : chosen)
      std::printf("%-34s %-5s %6u %6llu %8llu  %s\n", e->path.c_str(), to_string(e->kind), e->width,
                  (unsigned long long)e->words, (unsigned long long)e->first_bit, site_range(sites, *e).c_str());
    std::printf("\n");
  }
  std::printf("%s fault sites, found from the design (state variables of clocked processes)\n", name.c_str());
  int width = 16;  // the block column, as wide as the longest name
  for (const auto& entry : blocks) width = std::max(width, int(entry.first.size()));
  std::printf("%-*s %10s %10s %10s\n", width, "block", "flop bits", "sram bits", "sites");
  for (const auto& [name, bits] : blocks)
    std::printf("%-*s %10llu %10llu %10llu\n", width, name.c_str(), (unsigned long long)bits.flop,
                (unsigned long long)bits.sram, (unsigned long long)(bits.flop + bits.sram));
  std::printf("%-*s %10llu %10llu %10llu\n", width, "total", (unsigned long long)total.flop,
              (unsigned long long)total.sram, (unsigned long long)(total.flop + total.sram));
  return 0;
}

}  // namespace

void add_sites_command(CLI::App* command, SharedOptions&, Runner& run) {
  auto args = std::make_shared<SitesArgs>();
  add_rtl_target_options(*command, args->target);
  command->add_option("--block", args->block, "Only blocks matching this glob, e.g. controller or '*_buffer'")
      ->capture_default_str();
  command->add_flag("--list", args->list, "Also list every state variable with the names of its sites");
  command->add_flag("--json", args->json, "Print JSON");
  command->callback([args, &run] { run = [args] { return print_sites(*args); }; });
}

}  // namespace npufi::cli
