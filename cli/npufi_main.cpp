// npufi: fault injection and reliability analysis for neural-network accelerators.
#include <cstdio>
#include <exception>

#include "campaigns/spec.h"
#include "cli/commands.h"
#include "models/model.h"

namespace {

int fail(int code, const std::string& message) {
  std::fprintf(stderr, "npufi: error: %s\n", message.c_str());
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"npufi: fault injection and reliability analysis for neural-network accelerators.\n"
               "Exit codes: 0 success, 1 runtime error, 2 usage error, 130 interrupted."};
  app.require_subcommand(1);
  app.set_version_flag("--version", NPUFI_VERSION);
  npufi::cli::Runner run;
  npufi::cli::add_train_command(app, run);
  npufi::cli::add_eval_command(app, run);
  npufi::cli::add_campaign_command(app, run);
  npufi::cli::add_export_command(app, run);
  npufi::cli::add_params_command(app, run);
  npufi::cli::add_quantize_command(app, run);
  npufi::cli::add_npu_command(app, run);
  npufi::cli::add_sites_command(app, run);
  npufi::cli::add_replay_command(app, run);
  npufi::cli::add_analyze_command(app, run);
  npufi::cli::add_plan_command(app, run);
  npufi::cli::add_protect_command(app, run);
  npufi::cli::add_harden_command(app, run);
  npufi::cli::add_compare_command(app, run);
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
