// npufi: fault injection and reliability analysis for neural-network accelerators.
#include "cli/npufi_main.h"

int main(int argc, char** argv) { return npufi::cli::run_npufi(argc, argv); }
