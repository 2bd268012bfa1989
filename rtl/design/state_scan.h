#pragma once
// The state of a design, read from `verilator --xml-only` output (docs/rtl-faults.md, "Fault sites").
//
// The rule: a variable holds state when it is the target of a non-blocking assignment in a process
// clocked on a clock edge. A state variable with an unpacked dimension that is never assigned a constant
// (no reset or clear value) is a memory macro (SRAM); all other state is flip-flops.
//
// It also finds each memory's ports, as small postfix programs the simulator evaluates to learn which
// words the golden run reads and writes (npufi/design_abi.h gives the syntax):
//   - reads: the index of every array select on a right-hand side;
//   - writes: the index of every non-blocking whole-word assignment in a clocked process, with its enable:
//     the conditions of the enclosing if/else statements.
// And it finds the top outputs each state variable's value can flow into, in data or control (its
// fan-out, over-approximated); a variable that reaches none is dead state.
// A port it cannot express (a case statement, a loop, a partial-word write, a blocking assignment in the
// process, an unsupported operator) is written as "unknown" (an empty index; a partial-word write's enable
// is "partial"), and the simulator does without.
#include <map>
#include <string>
#include <vector>

namespace npufi {

struct ScannedVar {
  std::string scope, name;  // scope: the instance path, then the generate blocks the variable is declared in
  std::string instance;     // the instance path alone
  bool has_constant = false;
  int unpacked_dims = 0;  // Verilator 5.006 exposes variables with at most one to npufi
  std::string reaches;    // the top outputs its value can flow into, space-separated; "*": unknown
};

struct ScannedPort {
  std::string scope, name;
  bool write = false;
  std::string index, enable;
};

struct ScannedDesign {
  std::string top;
  std::map<std::string, std::string> top_ports;  // name -> "input", "output" or "inout"
  std::vector<std::string> scopes;               // every instance path, the top's first
  std::map<std::string, std::string> module_of;  // instance path (or a generate block in it) -> the module's name
  std::vector<ScannedVar> vars;
  std::vector<ScannedPort> ports;
};

// Throws std::runtime_error for XML that is not Verilator's.
ScannedDesign scan_design_xml(const std::string& xml);

// C++ source defining TABLE (a StateVar array), TABLECount, TABLEPorts, TABLEPortsCount, TABLEInputs (the
// top's input ports) and TABLEInputsCount (npufi/design_abi.h). `source` is named in its header comment.
std::string state_table_cpp(const ScannedDesign& design, const std::string& table, const std::string& source);

// A Verilator configuration file (.vlt) that makes public only what npufi reaches through the symbol
// table: the state variables, the variables of the memory ports' programs, the top's ports. Verilator
// optimizes everything else, unlike with --public-flat-rw.
std::string public_vars_vlt(const ScannedDesign& design);

}  // namespace npufi
