#pragma once
// The npufi command line as a function: main() calls it, and so do the fuzz harnesses that drive whole
// commands (tests/fuzz) on hostile inputs.
namespace npufi::cli {

// Parses argv, runs the chosen subcommand and returns its exit code (0 success, 1 runtime error, 2 usage
// error, 130 interrupted); errors are one line on stderr.
int run_npufi(int argc, char** argv);

}  // namespace npufi::cli
