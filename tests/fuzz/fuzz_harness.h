#pragma once
// What every fuzz harness shares. A harness is one LLVMFuzzerTestOneInput: built with libFuzzer by
// `make fuzz` (clang, scripts/fuzz), and with fuzz_replay_main.cpp by the normal build, where ctest replays
// the seed corpus and the regression cases of tests/fuzz/.
//
// An input may be rejected only by the error type the parser documents (a one-line message); any other
// exception escaping is a finding, reported as a crash so that libFuzzer keeps the input.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

namespace npufi::fuzz {

[[noreturn]] inline void finding(const std::string& what) {
  std::fprintf(stderr, "fuzz finding: %s\n", what.c_str());
  std::abort();
}

// Runs parse() on the input; the expected Error is a rejection, anything else escaping is a finding.
// An error message must be one line that names the input, as the CLI prints it.
template <class Error, class Parse>
void expect_only(const std::string& name, Parse&& parse) {
  try {
    parse();
  } catch (const Error& e) {
    const std::string message = e.what();
    if (message.find(name) == std::string::npos) finding("error does not name " + name + ": " + message);
    if (message.find('\n') != std::string::npos) finding("error is not one line: " + message);
  } catch (const std::exception& e) {
    finding(std::string("unexpected exception: ") + e.what());
  }
}

inline std::string as_text(const uint8_t* data, size_t size) { return std::string(reinterpret_cast<const char*>(data), size); }

}  // namespace npufi::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
