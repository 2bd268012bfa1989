#include "rtl/design/state_scan.h"

#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace npufi {

namespace {

struct Node {
  std::string tag;
  std::map<std::string, std::string> attrs;
  std::vector<std::unique_ptr<Node>> children;
  std::string attr(const std::string& key) const {
    const auto it = attrs.find(key);
    return it == attrs.end() ? "" : it->second;
  }
};

std::string decode_entities(std::string text) {
  static const std::pair<const char*, char> entities[] = {
      {"&apos;", '\''}, {"&quot;", '"'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&amp;", '&'}};
  for (const auto& [entity, ch] : entities)
    for (size_t at = text.find(entity); at != std::string::npos; at = text.find(entity, at + 1))
      text.replace(at, std::string(entity).size(), 1, ch);
  return text;
}

// Enough XML for Verilator's output: elements and double-quoted attributes; text, comments and the
// declaration are skipped.
std::unique_ptr<Node> parse_xml(const std::string& text) {
  auto root = std::make_unique<Node>();
  std::vector<Node*> open{root.get()};
  size_t pos = 0;
  while ((pos = text.find('<', pos)) != std::string::npos) {
    const size_t end = text.find('>', pos);
    if (end == std::string::npos) throw std::runtime_error("unterminated tag at byte " + std::to_string(pos));
    const std::string tag = text.substr(pos + 1, end - pos - 1);
    pos = end + 1;
    if (tag.empty() || tag[0] == '?' || tag[0] == '!') continue;
    if (tag[0] == '/') {
      if (open.size() < 2) throw std::runtime_error("unbalanced </" + tag.substr(1) + ">");
      open.pop_back();
      continue;
    }
    const bool self_closing = tag.back() == '/';
    auto node = std::make_unique<Node>();
    size_t i = tag.find_first_of(" \t\n/");
    node->tag = tag.substr(0, i);
    while (i != std::string::npos && (i = tag.find_first_not_of(" \t\n/", i)) != std::string::npos) {
      const size_t eq = tag.find('=', i);
      const size_t q1 = tag.find('"', eq);
      const size_t q2 = tag.find('"', q1 + 1);
      if (eq == std::string::npos || q1 == std::string::npos || q2 == std::string::npos) break;
      node->attrs[tag.substr(i, eq - i)] = decode_entities(tag.substr(q1 + 1, q2 - q1 - 1));
      i = q2 + 1;
    }
    Node* raw = node.get();
    open.back()->children.push_back(std::move(node));
    if (!self_closing) open.push_back(raw);
  }
  return root;
}

const Node* find_first(const Node& node, const std::string& tag) {
  if (node.tag == tag) return &node;
  for (const auto& child : node.children)
    if (const Node* found = find_first(*child, tag)) return found;
  return nullptr;
}

bool is_clocked(const Node& always) {
  for (const auto& child : always.children)
    if (child->tag == "sentree")
      for (const auto& item : child->children)
        if (item->tag == "senitem" && (item->attr("edgeType") == "POS" || item->attr("edgeType") == "NEG"))
          return true;
  return false;
}

struct ModuleState {
  std::set<std::string> assigned;           // targets of non-blocking assignments in clocked processes
  std::set<std::string> constant_assigned;  // ... of which some assignment writes a constant
  std::set<std::string> arrays;  // variables indexed by an array select
  // Reads of each variable: index programs; "" when a read's index cannot be expressed or it reads the whole.
  std::map<std::string, std::set<std::string>> reads;
  // Writes of each array variable: {index program, enable program}; {"", ""} when one cannot be expressed.
  std::map<std::string, std::set<std::pair<std::string, std::string>>> writes;
};

// Bit widths of the design's data types, by id.
std::map<std::string, int> dtype_widths(const Node& root) {
  std::map<std::string, int> widths;
  std::vector<const Node*> stack{&root};
  while (!stack.empty()) {
    const Node* node = stack.back();
    stack.pop_back();
    if (node->tag == "basicdtype") {
      const std::string left = node->attr("left"), right = node->attr("right");
      widths[node->attr("id")] = left.empty() ? 1 : std::abs(std::stoi(left) - std::stoi(right)) + 1;
    }
    for (const auto& child : node->children) stack.push_back(child.get());
  }
  return widths;
}

// "6'h8", "32'sh1f" -> 8, 31.
std::optional<uint64_t> const_value(const std::string& text) {
  const size_t h = text.find('h');
  if (text.find('\'') == std::string::npos || h == std::string::npos) return std::nullopt;
  return std::stoull(text.substr(h + 1), nullptr, 16);
}

// The postfix program of an expression, or nullopt when it uses something unsupported. Index programs use
// only variables, constants, selects and concatenations; enable programs also the operators.
std::optional<std::string> expression_program(const Node& node, const std::map<std::string, int>& widths,
                                              bool operators) {
  const auto operand = [&](size_t i) { return expression_program(*node.children[i], widths, operators); };
  if (node.tag == "varref") return "v:" + node.attr("name");
  if (node.tag == "const") {
    const auto value = const_value(node.attr("name"));
    if (!value) return std::nullopt;
    return "c:" + std::to_string(*value);
  }
  if (node.tag == "sel" && node.children.size() == 3 && node.children[1]->tag == "const" &&
      node.children[2]->tag == "const") {
    const auto from = operand(0);
    const auto lsb = const_value(node.children[1]->attr("name"));
    const auto width = const_value(node.children[2]->attr("name"));
    if (!from || !lsb || !width) return std::nullopt;
    return *from + " sel:" + std::to_string(*lsb) + ":" + std::to_string(*width);
  }
  if (node.tag == "concat" && node.children.size() == 2) {
    const auto high = operand(0), low = operand(1);
    const auto width = widths.find(node.children[1]->attr("dtype_id"));
    if (!high || !low || width == widths.end()) return std::nullopt;
    return *high + " " + *low + " cat:" + std::to_string(width->second);
  }
  if (!operators) return std::nullopt;
  static const std::set<std::string> binary = {"and", "or", "xor", "logand", "logor", "eq", "neq"};
  if (binary.count(node.tag) && node.children.size() == 2) {
    const auto a = operand(0), b = operand(1);
    if (!a || !b) return std::nullopt;
    return *a + " " + *b + " " + node.tag;
  }
  if (node.tag == "lognot" && node.children.size() == 1) {
    const auto a = operand(0);
    return a ? std::optional(*a + " lognot") : std::nullopt;
  }
  if (node.tag == "not" && node.children.size() == 1) {
    const auto a = operand(0);
    const auto width = widths.find(node.attr("dtype_id"));
    if (!a || width == widths.end()) return std::nullopt;
    return *a + " not:" + std::to_string(width->second);
  }
  return std::nullopt;
}

// Every read of an array variable below `node`. `target` marks the left-hand side of an assignment. A read
// inside a loop cannot be expressed: its index takes values within one evaluation that the model does not
// keep (a loop variable).
void collect_reads(const Node& node, bool target, const std::map<std::string, int>& widths, ModuleState& state,
                   bool in_loop = false) {
  in_loop = in_loop || node.tag == "while";
  if (node.tag == "arraysel" && node.children.size() == 2 && node.children[0]->tag == "varref") {
    const std::string name = node.children[0]->attr("name");
    state.arrays.insert(name);
    if (!target)
      state.reads[name].insert(in_loop ? "" : expression_program(*node.children[1], widths, false).value_or(""));
    collect_reads(*node.children[1], false, widths, state, in_loop);
    return;
  }
  if (node.tag == "varref" && !target) state.reads[node.attr("name")].insert("");  // a whole-variable read
  const bool assignment = node.tag == "assigndly" || node.tag == "assign" || node.tag == "contassign" ||
                          node.tag == "assignw";
  for (size_t i = 0; i < node.children.size(); ++i)
    collect_reads(*node.children[i], assignment ? i == 1 : target, widths, state, in_loop);
}

// Non-blocking assignments below `node`: children are the value, then the target.
void collect_assignments(const Node& node, ModuleState& state) {
  if (node.tag == "assigndly" && node.children.size() == 2) {
    if (const Node* target = find_first(*node.children[1], "varref")) {
      const std::string name = target->attr("name");
      state.assigned.insert(name);
      if (node.children[0]->tag == "const") state.constant_assigned.insert(name);
    }
  }
  for (const auto& child : node.children) collect_assignments(*child, state);
}

bool has_blocking_assignment(const Node& node) {
  if (node.tag == "assign") return true;
  for (const auto& child : node.children)
    if (has_blocking_assignment(*child)) return true;
  return false;
}

// Array writes below `node` of a clocked process, each with the enable under which it happens (nullopt:
// it cannot be expressed).
void collect_writes(const Node& node, const std::optional<std::string>& enable, const std::map<std::string, int>& widths,
                    ModuleState& state) {
  if ((node.tag == "assigndly" || node.tag == "assign") && node.children.size() == 2) {
    const Node& target = *node.children[1];
    const Node* array = find_first(target, "arraysel");
    if (!array || array->children.size() != 2 || array->children[0]->tag != "varref") return;
    const std::string name = array->children[0]->attr("name");
    const auto index = expression_program(*array->children[1], widths, false);
    const bool known = index && enable && array == &target && node.tag == "assigndly";  // whole word, at the edge
    state.writes[name].insert(known               ? std::pair(*index, *enable)
                              : array != &target ? std::pair("", "partial")
                                                 : std::pair("", ""));
    return;
  }
  if (node.tag == "if" && node.children.size() >= 2) {
    const auto condition = enable ? expression_program(*node.children[0], widths, true) : std::nullopt;
    const auto branch = [&](const std::string& when) {
      return condition ? std::optional(*enable + " " + when + " logand") : std::nullopt;
    };
    collect_writes(*node.children[1], branch(condition.value_or("")), widths, state);
    if (node.children.size() > 2) collect_writes(*node.children[2], branch(condition.value_or("") + " lognot"), widths, state);
    return;
  }
  // Statements other than blocks and ifs (case, loops, ...) are not followed: writes below them are unknown.
  const std::optional<std::string> below = node.tag == "begin" ? enable : std::nullopt;
  for (const auto& child : node.children) collect_writes(*child, below, widths, state);
}

void collect_processes(const Node& node, const std::map<std::string, int>& widths, ModuleState& state) {
  if (node.tag == "always") {
    if (is_clocked(node)) {
      collect_assignments(node, state);
      // The enables are evaluated before the edge, so a variable the process itself assigns blocking would
      // be read too early.
      const std::optional<std::string> always = has_blocking_assignment(node) ? std::nullopt : std::optional("c:1");
      for (const auto& child : node.children)
        if (child->tag != "sentree") collect_writes(*child, always, widths, state);
    }
    return;
  }
  for (const auto& child : node.children) collect_processes(*child, widths, state);
}

// The instances below a module, with their paths: Verilator's <cells> drops the names of generate blocks
// ("u_array.u_pe" for every PE of a generate loop), so they are taken from the module bodies, where an
// instance sits in the named generate blocks (<begin name="g_row[0]">) it was elaborated in.
void collect_instances(const Node& node, const std::string& prefix, std::vector<std::pair<std::string, std::string>>& out) {
  for (const auto& child : node.children) {
    if (child->tag == "instance") {
      out.emplace_back(prefix + child->attr("name"), child->attr("defName"));
    } else if (child->tag == "begin" && !child->attr("name").empty()) {
      collect_instances(*child, prefix + child->attr("name") + ".", out);
    } else if (child->tag != "module") {
      collect_instances(*child, prefix, out);
    }
  }
}

// Where each variable of a module is declared: the named generate blocks around it ("g_ecc",
// "g_lane[0]"), "" at the module's own level. A name declared in several generate blocks has several.
void collect_declarations(const Node& node, const std::string& prefix,
                          std::map<std::string, std::vector<std::pair<std::string, const Node*>>>& out) {
  for (const auto& child : node.children) {
    if (child->tag == "var") {
      out[child->attr("name")].emplace_back(prefix, child.get());
    } else if (child->tag == "begin" && !child->attr("name").empty()) {
      collect_declarations(*child, prefix.empty() ? child->attr("name") : prefix + "." + child->attr("name"), out);
    } else if (child->tag != "module" && child->tag != "instance") {
      collect_declarations(*child, prefix, out);
    }
  }
}

void collect_scopes(const std::map<std::string, const Node*>& modules, const std::string& module, const std::string& scope,
                    std::map<std::string, std::string>& module_of_scope) {
  module_of_scope[scope] = module;
  const auto found = modules.find(module);
  if (found == modules.end()) return;
  std::vector<std::pair<std::string, std::string>> instances;
  collect_instances(*found->second, "", instances);
  for (const auto& [path, submodule] : instances) collect_scopes(modules, submodule, scope + "." + path, module_of_scope);
}

// The fan-out of the design's variables: which variables each one's value can flow into, in data or in
// control, so that a state variable that reaches no top output is known to be dead (docs/rtl-faults.md,
// "Observability"). It over-approximates: within a process, everything the process reads flows into
// everything it writes; a continuous assignment's value and its target's index flow into its target; a
// port connection flows into the port (inputs) or out of it (outputs). Constructs it does not follow
// (functions, tasks, hierarchical references, interfaces) make every variable reach every output.
struct ModuleFlows {
  std::map<std::string, std::set<std::string>> into;  // variable -> variables its value can reach
  struct Connection {
    std::string instance;  // path below the module, with generate blocks
    std::string port, direction;
    std::set<std::string> vars;  // the parent's variables in the connected expression
  };
  std::vector<Connection> connections;
  bool unsupported = false;
};

bool is_assignment(const std::string& tag) { return tag.rfind("assign", 0) == 0 || tag == "contassign"; }

void collect_varrefs(const Node& node, std::set<std::string>& out) {
  if (node.tag == "varref") out.insert(node.attr("name"));
  for (const auto& child : node.children) collect_varrefs(*child, out);
}

// The variables an assignment's target writes, and those its indices read.
void collect_target(const Node& node, std::set<std::string>& written, std::set<std::string>& read) {
  if (node.tag == "varref") {
    written.insert(node.attr("name"));
  } else if ((node.tag == "sel" || node.tag == "arraysel" || node.tag == "wordsel") && !node.children.empty()) {
    collect_target(*node.children[0], written, read);
    for (size_t i = 1; i < node.children.size(); ++i) collect_varrefs(*node.children[i], read);
  } else if (node.tag == "concat") {
    for (const auto& child : node.children) collect_target(*child, written, read);
  } else {  // a target of another shape: every variable in it is written and read
    collect_varrefs(node, written);
    collect_varrefs(node, read);
  }
}

void add_flows(const std::set<std::string>& read, const std::set<std::string>& written, ModuleFlows& flows) {
  for (const std::string& r : read) flows.into[r].insert(written.begin(), written.end());
}

bool contains_assignment(const Node& node) {
  if (is_assignment(node.tag)) return true;
  for (const auto& child : node.children)
    if (contains_assignment(*child)) return true;
  return false;
}

// Loops and jumps make later statements depend on conditions the structure does not show.
bool has_unstructured_control(const Node& node) {
  static const std::set<std::string> tags = {"while", "repeat", "forever", "jumpblock", "jumpgo", "jumplabel",
                                             "disable", "break", "continue", "return"};
  if (tags.count(node.tag)) return true;
  for (const auto& child : node.children)
    if (has_unstructured_control(*child)) return true;
  return false;
}

// The flows of a statement of a structured process: into each assignment's target, its value, its
// target's indices and the conditions (`context`) of the if and case statements it sits in.
void collect_statement_flows(const Node& node, const std::set<std::string>& context, ModuleFlows& flows) {
  if ((is_assignment(node.tag) && node.children.size() == 2) || node.tag == "var") {
    std::set<std::string> read = context, written;
    if (node.tag == "var") {  // a local variable's initial value
      collect_varrefs(node, read);
      written.insert(node.attr("name"));
    } else {
      collect_varrefs(*node.children[0], read);
      collect_target(*node.children[1], written, read);
    }
    add_flows(read, written, flows);
    return;
  }
  if (node.tag == "sentree") return;
  std::set<std::string> inner = context;
  size_t first = 0;  // the first child that is a statement
  if ((node.tag == "if" || node.tag == "case") && !node.children.empty()) {
    collect_varrefs(*node.children[0], inner);
    first = 1;
  }
  if (node.tag == "case")  // every item's values decide which item runs
    for (const auto& item : node.children)
      for (const auto& part : item->children)
        if (!contains_assignment(*part)) collect_varrefs(*part, inner);
  for (size_t i = first; i < node.children.size(); ++i) collect_statement_flows(*node.children[i], inner, flows);
}

// The flows of a process: per statement when its control is structured (each statement also depends on
// the process's sensitivity), else from everything it reads into everything it writes.
void collect_process_flows(const Node& process, ModuleFlows& flows) {
  if (!has_unstructured_control(process)) {
    std::set<std::string> clocks;  // a generated clock decides when the process runs
    for (const auto& child : process.children)
      if (child->tag == "sentree") collect_varrefs(*child, clocks);
    collect_statement_flows(process, clocks, flows);
    return;
  }
  std::set<std::string> read, written;
  const std::function<void(const Node&)> walk = [&](const Node& node) {
    if (is_assignment(node.tag) && node.children.size() == 2) {
      collect_varrefs(*node.children[0], read);
      collect_target(*node.children[1], written, read);
      return;
    }
    if (node.tag == "varref") read.insert(node.attr("name"));
    for (const auto& child : node.children) walk(*child);
  };
  walk(process);
  add_flows(read, written, flows);
}

bool has_unsupported(const Node& node) {
  static const std::set<std::string> unsupported = {"funcref", "taskref", "varxref", "func", "task", "iface",
                                                    "ifacerefdtype", "modport", "modportvarref", "cellref"};
  if (unsupported.count(node.tag)) return true;
  for (const auto& child : node.children)
    if (has_unsupported(*child)) return true;
  return false;
}

void collect_module_flows(const Node& node, const std::string& prefix, ModuleFlows& flows) {
  for (const auto& child : node.children) {
    const std::string& tag = child->tag;
    if (tag == "instance") {
      for (const auto& port : child->children) {
        if (port->tag != "port") continue;
        ModuleFlows::Connection c{prefix + child->attr("name"), port->attr("name"), port->attr("direction"), {}};
        collect_varrefs(*port, c.vars);
        flows.connections.push_back(std::move(c));
      }
    } else if (tag == "always" || tag == "initial" || tag == "final" || is_assignment(tag) || tag == "var") {
      collect_process_flows(*child, flows);  // a variable's initial value counts as an assignment
    } else if (tag == "begin") {
      collect_module_flows(*child, child->attr("name").empty() ? prefix : prefix + child->attr("name") + ".", flows);
    } else if (tag != "typedef") {
      flows.unsupported = true;
    }
  }
}

// For every state variable, the top outputs it reaches ("*": the analysis does not know).
void assign_reaches(const std::map<std::string, const Node*>& module_nodes,
                    const std::map<std::string, std::string>& module_of_scope, ScannedDesign& design) {
  std::map<std::string, ModuleFlows> flows;
  bool unsupported = false;
  for (const auto& [name, node] : module_nodes) {
    collect_module_flows(*node, "", flows[name]);
    unsupported = unsupported || flows[name].unsupported || has_unsupported(*node);
  }
  if (unsupported) {
    for (ScannedVar& v : design.vars) v.reaches = "*";
    return;
  }
  // The graph over "scope|variable", reversed: from a variable to the variables that flow into it.
  std::map<std::string, std::set<std::string>> from;
  const auto node_of = [](const std::string& scope, const std::string& var) { return scope + "|" + var; };
  for (const auto& [scope, module] : module_of_scope) {
    const ModuleFlows& f = flows[module];
    for (const auto& [src, dsts] : f.into)
      for (const std::string& dst : dsts) from[node_of(scope, dst)].insert(node_of(scope, src));
    for (const ModuleFlows::Connection& c : f.connections) {
      const std::string port = node_of(scope + "." + c.instance, c.port);
      for (const std::string& v : c.vars) {
        if (c.direction != "out") from[port].insert(node_of(scope, v));
        if (c.direction != "in") from[node_of(scope, v)].insert(port);
      }
    }
  }
  std::map<std::string, std::set<std::string>> reaches;  // node -> top outputs
  for (const auto& [port, dir] : design.top_ports) {
    if (dir == "input") continue;
    std::vector<std::string> stack{node_of(design.top, port)};
    std::set<std::string> seen(stack.begin(), stack.end());
    while (!stack.empty()) {
      const std::string node = stack.back();
      stack.pop_back();
      reaches[node].insert(port);
      if (const auto found = from.find(node); found != from.end())
        for (const std::string& src : found->second)
          if (seen.insert(src).second) stack.push_back(src);
    }
  }
  for (ScannedVar& v : design.vars) {
    v.reaches.clear();
    for (const std::string& port : reaches[node_of(v.instance, v.name)]) v.reaches += (v.reaches.empty() ? "" : " ") + port;
  }
}

}  // namespace

ScannedDesign scan_design_xml(const std::string& xml) {
  const auto root = parse_xml(xml);
  const std::map<std::string, int> widths = dtype_widths(*root);

  std::map<std::string, ModuleState> modules;
  std::map<std::string, const Node*> module_nodes;
  const Node* top = nullptr;
  std::vector<const Node*> stack{root.get()};
  while (!stack.empty()) {
    const Node* node = stack.back();
    stack.pop_back();
    if (node->tag == "module") {
      module_nodes[node->attr("name")] = node;
      if (node->attr("topModule") == "1") top = node;
      collect_processes(*node, widths, modules[node->attr("name")]);
      for (const auto& child : node->children) collect_reads(*child, false, widths, modules[node->attr("name")]);
    } else {
      for (const auto& child : node->children) stack.push_back(child.get());
    }
  }
  if (!top) throw std::runtime_error("the XML has no top module");

  // Unpacked dimensions of each variable: the chain of unpackarraydtype from its data type.
  std::map<std::string, std::string> unpacked_sub;  // unpacked array dtype id -> element dtype id
  stack = {root.get()};
  while (!stack.empty()) {
    const Node* node = stack.back();
    stack.pop_back();
    if (node->tag == "unpackarraydtype") unpacked_sub[node->attr("id")] = node->attr("sub_dtype_id");
    for (const auto& child : node->children) stack.push_back(child.get());
  }
  const auto unpacked_dims = [&](const Node& var) {
    int dims = 0;
    for (auto it = unpacked_sub.find(var.attr("dtype_id")); it != unpacked_sub.end(); it = unpacked_sub.find(it->second))
      ++dims;
    return dims;
  };

  ScannedDesign out;
  out.top = top->attr("name");
  for (const auto& child : top->children)
    if (child->tag == "var" && !child->attr("dir").empty()) out.top_ports[child->attr("name")] = child->attr("dir");
  std::map<std::string, std::string> module_of_scope;
  collect_scopes(module_nodes, out.top, out.top, module_of_scope);
  for (const auto& [scope, module] : module_of_scope) {
    out.scopes.push_back(scope);
    const auto node = module_nodes.find(module);
    out.module_of[scope] = node == module_nodes.end() ? module : node->second->attr("origName");
    const ModuleState& state = modules[module];
    std::map<std::string, std::vector<std::pair<std::string, const Node*>>> declared;
    if (node != module_nodes.end()) collect_declarations(*node->second, "", declared);
    for (const std::string& name : state.assigned) {
      for (const auto& [block, var] : declared[name]) {
        const std::string var_scope = block.empty() ? scope : scope + "." + block;
        if (!out.module_of.count(var_scope)) out.scopes.push_back(var_scope);  // a generate block's state: a scope too
        out.module_of[var_scope] = out.module_of[scope];
        out.vars.push_back({var_scope, name, scope, state.constant_assigned.count(name) > 0, unpacked_dims(*var), ""});
        if (!state.arrays.count(name)) continue;
        if (const auto found = state.reads.find(name); found != state.reads.end())
          for (const std::string& program : found->second) out.ports.push_back({var_scope, name, false, program, ""});
        if (const auto found = state.writes.find(name); found != state.writes.end())
          for (const auto& [index, enable] : found->second) out.ports.push_back({var_scope, name, true, index, enable});
      }
    }
  }
  assign_reaches(module_nodes, module_of_scope, out);
  return out;
}

std::string state_table_cpp(const ScannedDesign& design, const std::string& table, const std::string& source) {
  std::ostringstream out;
  out << "// Generated by npufi's state scan from " << source << "; do not edit.\n"
      << "#include \"npufi/design_abi.h\"\n\nusing npufi::MemoryPort;\nusing npufi::StateVar;\n\n"
      << "extern const StateVar " << table << "[] = {\n";
  for (const ScannedVar& v : design.vars)
    out << "    {\"" << v.scope << "\", \"" << v.name << "\", " << (v.has_constant ? "true" : "false") << ", \""
        << v.reaches << "\"},\n";
  out << "    {nullptr, nullptr, false, nullptr}};\nextern const size_t " << table << "Count = " << design.vars.size()
      << ";\n\nextern const MemoryPort " << table << "Ports[] = {\n";
  for (const ScannedPort& p : design.ports)
    out << "    {\"" << p.scope << "\", \"" << p.name << "\", " << (p.write ? "true" : "false") << ", \"" << p.index
        << "\", \"" << p.enable << "\"},\n";
  out << "    {nullptr, nullptr, false, nullptr, nullptr}};\nextern const size_t " << table
      << "PortsCount = " << design.ports.size() << ";\n\nextern const char* const " << table << "Inputs[] = {";
  size_t inputs = 0;
  for (const auto& [name, dir] : design.top_ports)
    if (dir == "input") {
      out << "\"" << name << "\", ";
      ++inputs;
    }
  out << "nullptr};\nextern const size_t " << table << "InputsCount = " << inputs << ";\n";
  return out.str();
}

std::string public_vars_vlt(const ScannedDesign& design) {
  std::set<std::pair<std::string, std::string>> vars;  // module, variable
  for (const ScannedVar& v : design.vars) vars.insert({design.module_of.at(v.scope), v.name});
  for (const ScannedPort& p : design.ports) {
    std::istringstream tokens(p.index + " " + p.enable);
    std::string token;
    while (tokens >> token)
      if (token.rfind("v:", 0) == 0) vars.insert({design.module_of.at(p.scope), token.substr(2)});
  }
  for (const auto& [name, dir] : design.top_ports) vars.insert({design.module_of.at(design.top), name});
  std::ostringstream out;
  out << "`verilator_config\n";
  for (const auto& [module, var] : vars) out << "public_flat_rw -module \"" << module << "\" -var \"" << var << "\"\n";
  return out.str();
}

}  // namespace npufi
