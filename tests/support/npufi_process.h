#pragma once
// The npufi binary run as a user runs it, for the end-to-end tests: exit code, standard output and error.
#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <string>

namespace npufi::test {

struct CliResult {
  int code = -1;  // -1 when the process did not exit normally
  std::string out;
  std::string err;
};

std::string read_file(const std::filesystem::path& path);

// A fresh scratch directory for one test suite and process, holding an untrained lenet5.pt (seed 11).
std::filesystem::path make_scratch_dir(const std::string& suite);

// Runs `env npufi args` through the shell; output goes through files in scratch_dir.
CliResult run_npufi(const std::filesystem::path& scratch_dir, const std::string& args, const std::string& env = "");

// Trials of a weight campaign or injections of an RTL campaign stored for campaign 1 of `db`.
int64_t stored_trials(const std::filesystem::path& db);

// Starts `npufi campaign run FILE --db DB --threads 2` in a child process and returns its pid once at least
// `trials` are stored (or after 5 minutes).
pid_t start_campaign_and_wait(const std::filesystem::path& file, const std::filesystem::path& db, int64_t trials);

}  // namespace npufi::test
