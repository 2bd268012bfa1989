// The npufi command line: every subcommand registered once, exceptions turned into exit codes.
#include "cli/npufi_main.h"

#include <cstdio>
#include <exception>

#include "campaigns/spec.h"
#include "cli/commands.h"
#include "models/model.h"

namespace npufi::cli {

namespace {

int fail(int code, const std::string& message) {
  std::fprintf(stderr, "npufi: error: %s\n", message.c_str());
  return code;
}

}  // namespace

int run_npufi(int argc, char** argv) {
  CLI::App app{"npufi: fault injection and reliability analysis for neural-network accelerators.\n"
               "Exit codes: 0 success, 1 runtime error, 2 usage error, 130 interrupted."};
  app.require_subcommand(1);
  app.set_version_flag("--version", NPUFI_VERSION);
  Runner run;
  add_train_command(app, run);
  add_eval_command(app, run);
  add_campaign_command(app, run);
  add_export_command(app, run);
  add_params_command(app, run);
  add_quantize_command(app, run);
  add_npu_command(app, run);
  add_design_command(app, run);
  add_sites_command(app, run);
  add_replay_command(app, run);
  add_analyze_command(app, run);
  add_plan_command(app, run);
  add_protect_command(app, run);
  add_harden_command(app, run);
  add_compare_command(app, run);
  add_query_command(app, run);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    return fail(2, std::string(e.what()) + " (see --help)");
  }
  try {
    return run();
  } catch (const npufi::SpecError& e) {
    return fail(2, e.what());
  } catch (const std::exception& e) {
    return fail(1, e.what());
  }
}

}  // namespace npufi::cli
