// Build-time tool: the state table of a design (rtl/design/state_scan.h) for designs compiled into npufi.
// Usage: npufi_state_scan DESIGN.xml TABLE_NAME OUT.cpp
#include <cstdio>
#include <fstream>
#include <sstream>

#include "rtl/design/state_scan.h"

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s DESIGN.xml TABLE_NAME OUT.cpp\n", argv[0]);
    return 2;
  }
  try {
    std::ifstream in(argv[1]);
    if (!in) throw std::runtime_error(std::string("cannot read ") + argv[1]);
    std::stringstream text;
    text << in.rdbuf();
    std::ofstream out(argv[3]);
    out << npufi::state_table_cpp(npufi::scan_design_xml(text.str()), argv[2], argv[1]);
    if (!out) throw std::runtime_error(std::string("cannot write ") + argv[3]);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "npufi_state_scan: %s\n", e.what());
    return 1;
  }
  return 0;
}
