#include "models/script_stages.h"

#include <torch/csrc/jit/api/function_impl.h>
#include <torch/csrc/jit/passes/inliner.h>

#include <algorithm>
#include <functional>
#include <unordered_map>

namespace npufi {
namespace {
namespace jit = torch::jit;

// Constants, attribute reads of self and lists of them (a convolution's strides): pure, so each stage
// that needs them gets its own copy.
bool duplicable(const jit::Node* n, const jit::Value* self) {
  if (n->kind() == c10::prim::Constant) return true;
  if (n->kind() == c10::prim::ListConstruct || n->kind() == c10::prim::TupleConstruct)
    return std::all_of(n->inputs().begin(), n->inputs().end(),
                       [&](const jit::Value* v) { return v != self && duplicable(v->node(), self); });
  if (n->kind() != c10::prim::GetAttr) return false;
  const jit::Value* owner = n->input();
  return owner == self || duplicable(owner->node(), self);
}

// "layer1.conv1.weight" for self.layer1.conv1.weight.
std::string attribute_path(const jit::Node* n, const jit::Value* self) {
  std::string path = n->s(c10::attr::name);
  while (n->input() != self) {
    n = n->input()->node();
    path = n->s(c10::attr::name) + "." + path;
  }
  return path;
}

bool is_tensor(const jit::Value* v) { return v->type()->isSubtypeOf(*c10::TensorType::get()); }

// Whether the node, or a node in its blocks (an `if` of an inlined early return), takes a parameter or
// buffer straight from an attribute.
bool reads_tensor_attribute(const jit::Node* n) {
  const bool direct = std::any_of(n->inputs().begin(), n->inputs().end(), [](const jit::Value* v) {
    return v->node()->kind() == c10::prim::GetAttr && is_tensor(v);
  });
  if (direct) return true;
  for (const jit::Block* block : n->blocks())
    for (const jit::Node* inner : block->nodes())
      if (reads_tensor_attribute(inner)) return true;
  return false;
}

bool has_in_place_op(const jit::Block* block) {
  for (const jit::Node* n : block->nodes()) {
    const std::string name = n->kind().toQualString();
    if (name.rfind("aten::", 0) == 0 && name.back() == '_') return true;
    for (const jit::Block* inner : n->blocks())
      if (has_in_place_op(inner)) return true;
  }
  return false;
}

// The node of the graph's top block that holds n (n itself, or the If or Loop it sits in).
const jit::Node* top_level(const jit::Node* n, const jit::Block* top) {
  while (n->owningBlock() != top) n = n->owningBlock()->owningNode();
  return n;
}

class Cutter {
 public:
  explicit Cutter(std::shared_ptr<jit::Graph> graph) : graph_(std::move(graph)), self_(graph_->inputs()[0]) {
    for (jit::Node* n : graph_->nodes())
      if (!duplicable(n, self_)) nodes_.push_back(n);
    for (size_t i = 0; i < nodes_.size(); ++i) index_[nodes_[i]] = int(i);
    index_[graph_->return_node()] = int(nodes_.size());
    find_single_live_tensors();
  }

  std::vector<ScriptStage> stages() {
    std::vector<int> starts{0};
    bool stage_reads = false;
    for (int p = 0; p < int(nodes_.size()); ++p) {
      const bool reads = reads_tensor_attribute(nodes_[size_t(p)]);
      if (reads && stage_reads && live_[size_t(p)]) {
        starts.push_back(p);
        stage_reads = false;
      }
      stage_reads = stage_reads || reads;
    }
    starts.push_back(int(nodes_.size()));
    std::vector<ScriptStage> out;
    for (size_t k = 0; k + 1 < starts.size(); ++k) {
      jit::Value* input = k == 0 ? graph_->inputs()[1] : live_[size_t(starts[k])];
      jit::Value* output = k + 2 == starts.size() ? graph_->outputs()[0] : live_[size_t(starts[k + 1])];
      out.push_back(build(starts[k], starts[k + 1], input, output, "npufi_stage_" + std::to_string(k)));
    }
    name_stages(out);
    return out;
  }

 private:
  // live_[p]: the one tensor live between nodes p-1 and p, or null when there are more (or none).
  void find_single_live_tensors() {
    std::vector<std::pair<jit::Value*, std::pair<int, int>>> spans;  // value, (defined at, last used at)
    const auto add = [&](jit::Value* v, int defined) {
      int last = defined;
      for (const jit::Use& use : v->uses()) last = std::max(last, index_.at(top_level(use.user, graph_->block())));
      spans.push_back({v, {defined, last}});
    };
    add(graph_->inputs()[1], -1);
    for (size_t i = 0; i < nodes_.size(); ++i)
      for (jit::Value* v : nodes_[i]->outputs()) add(v, int(i));
    std::vector<int> count(nodes_.size() + 1, 0);
    live_.assign(nodes_.size() + 1, nullptr);
    for (const auto& [v, span] : spans)
      for (int p = span.first + 1; p <= span.second; ++p) {
        ++count[size_t(p)];
        live_[size_t(p)] = v;
      }
    for (size_t p = 0; p < live_.size(); ++p)
      if (count[p] != 1 || !is_tensor(live_[p])) live_[p] = nullptr;
  }

  static void name_stages(std::vector<ScriptStage>& stages) {
    std::unordered_map<std::string, int> seen;
    for (ScriptStage& stage : stages) {
      const auto tensor = std::find_if(stage.attributes.begin(), stage.attributes.end(),
                                       [](const std::string& path) { return path.find('.') != std::string::npos; });
      const std::string top = tensor == stage.attributes.end() ? "forward" : tensor->substr(0, tensor->find('.'));
      const int n = ++seen[top];
      stage.name = n == 1 ? top : top + "." + std::to_string(n);
    }
  }

  ScriptStage build(int begin, int end, jit::Value* input, jit::Value* output, const std::string& name) {
    ScriptStage stage;
    auto g = std::make_shared<jit::Graph>();
    std::unordered_map<const jit::Value*, jit::Value*> env;
    env[self_] = g->addInput("self")->setType(self_->type());
    env[input] = g->addInput("x")->setType(input->type());
    std::function<jit::Value*(jit::Value*)> map = [&](jit::Value* v) -> jit::Value* {
      if (const auto it = env.find(v); it != env.end()) return it->second;
      jit::Node* n = v->node();
      if (!duplicable(n, self_)) throw std::logic_error("a stage of the TorchScript forward reads a value from before its cut");
      if (n->kind() == c10::prim::GetAttr) stage.attributes.push_back(attribute_path(n, self_));
      const jit::Node* copy = g->appendNode(g->createClone(n, map));
      for (size_t i = 0; i < n->outputs().size(); ++i) env[n->output(i)] = copy->output(i);
      return env.at(v);
    };
    for (int i = begin; i < end; ++i) {
      const jit::Node* n = nodes_[size_t(i)];
      const jit::Node* copy = g->appendNode(g->createClone(const_cast<jit::Node*>(n), map));
      for (size_t o = 0; o < n->outputs().size(); ++o) env[n->output(o)] = copy->output(o);
    }
    g->registerOutput(map(output));
    stage.in_place = has_in_place_op(g->block());
    stage.function = std::make_shared<jit::GraphFunction>(name, g, nullptr);
    return stage;
  }

  std::shared_ptr<jit::Graph> graph_;
  jit::Value* self_;
  std::vector<jit::Node*> nodes_;  // the top block's nodes that are not duplicable
  std::unordered_map<const jit::Node*, int> index_;
  std::vector<jit::Value*> live_;
};

}  // namespace

std::vector<ScriptStage> script_stages(const torch::jit::Module& module) {
  const auto& forward = jit::toGraphFunction(module.get_method("forward").function());
  std::shared_ptr<jit::Graph> graph = forward.graph()->copy();
  if (graph->inputs().size() != 2 || graph->outputs().size() != 1 || !is_tensor(graph->outputs()[0])) return {};
  jit::Inline(*graph);
  return Cutter(graph).stages();
}

torch::Tensor run_stage(const ScriptStage& stage, const torch::jit::Module& module, const torch::Tensor& x) {
  jit::Stack stack{module._ivalue(), stage.in_place ? x.clone() : x};
  stage.function->run(stack);
  return stack.back().toTensor();
}

int stage_reading(const std::vector<ScriptStage>& stages, const std::string& name) {
  for (size_t s = 0; s < stages.size(); ++s)
    for (const std::string& path : stages[s].attributes)
      if (name == path || name.rfind(path + ".", 0) == 0) return int(s);
  return 0;
}

}  // namespace npufi
