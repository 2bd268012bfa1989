#include "models/script_lowering.h"

#include <torch/csrc/jit/api/function_impl.h>

#include <algorithm>
#include <unordered_map>

#include "models/hardening/clip_activation.h"
#include "models/torch_message.h"

namespace npufi {
namespace {
namespace jit = torch::jit;

// A graph value while lowering: known without the image (an attribute, a shape, a flag), or a tensor of
// the image, 4-d or flattened to [N, C*H*W].
struct Item {
  bool constant = true;
  c10::IValue value;
  ChainTensor tensor;
  bool flat = false;
};

Item known(c10::IValue value) {
  Item item;
  item.value = std::move(value);
  return item;
}

Item image_item(ChainTensor tensor, bool flat) { return {false, {}, tensor, flat}; }

// The first line of a node's source, for messages.
std::string source_text(const jit::Node* n) {
  if (!n->sourceRange().source()) return "";  // a node made without source text
  std::string text = n->sourceRange().text().str();
  text = text.substr(0, text.find('\n'));
  text.erase(0, text.find_first_not_of(" \t"));
  return text.size() > 60 ? text.substr(0, 57) + "..." : text;
}

bool all_equal(const std::vector<int64_t>& v, int64_t value) {
  return std::all_of(v.begin(), v.end(), [&](int64_t x) { return x == value; });
}

class ScriptLowering {
 public:
  ScriptLowering(Model::Impl& impl, TensorShape input) : chain_("the torchscript model", input) {
    for (const ClipSite& site : clip_sites(impl)) sites_.emplace(site.script->_ivalue().get(), site);
    for (const auto& m : impl.script->named_modules()) paths_[m.value._ivalue().get()] = m.name;
  }

  std::vector<FloatLayer> run(const jit::Module& module) {
    const std::shared_ptr<jit::Graph> graph = jit::toGraphFunction(module.get_method("forward").function()).graph();
    if (graph->inputs().size() != 2) chain_.fail("forward", "takes more than the image");
    env_[graph->inputs()[0]] = known(module._ivalue());
    env_[graph->inputs()[1]] = image_item(chain_.input(), false);
    run_block(graph->block(), "");
    const Item& out = get(graph->outputs()[0]);
    if (out.constant) chain_.fail("forward", "does not return its last layer's output");
    return chain_.finish("forward", out.tensor);
  }

 private:
  void run_block(jit::Block* block, const std::string& scope) {
    for (jit::Node* n : block->nodes()) step(n, scope);
  }

  const Item& get(const jit::Value* v) const { return env_.at(v); }

  void step(jit::Node* n, const std::string& scope) {
    const c10::Symbol kind = n->kind();
    if (kind == c10::prim::Constant) {
      const std::optional<c10::IValue> value = jit::toIValue(n->output());  // none for a function
      env_[n->output()] = known(value ? *value : c10::IValue());
    } else if (kind == c10::prim::GetAttr) {
      const Item& owner = get(n->input());
      if (!owner.constant) fail(n, scope, "reads an attribute of the image");
      env_[n->output()] = known(owner.value.toObject()->getAttr(n->s(c10::attr::name)));
    } else if (kind == c10::prim::CallMethod) {
      call(n, scope);
    } else if (kind == c10::prim::CallFunction) {  // a scripted function, such as F.max_pool2d
      run_callee(*n->input(0)->type()->expectRef<c10::FunctionType>().function(), n, 1, scope);
    } else if (kind == c10::prim::If) {
      const Item& condition = get(n->input(0));
      if (!condition.constant) fail(n, scope, "branches on the image");
      jit::Block* taken = n->blocks()[condition.value.toBool() ? 0 : 1];
      run_block(taken, scope);
      for (size_t i = 0; i < n->outputs().size(); ++i) env_[n->output(i)] = get(taken->outputs()[i]);
    } else if (!n->blocks().empty()) {
      fail(n, scope, "is a loop the NPU cannot run");
    } else if (std::all_of(n->inputs().begin(), n->inputs().end(), [&](const jit::Value* v) { return get(v).constant; })) {
      evaluate(n, scope);
    } else {
      lower(n, scope);
    }
  }

  // A node that does not depend on the image, run by LibTorch's interpreter (a list built here).
  void evaluate(jit::Node* n, const std::string& scope) {
    if (n->kind() == c10::prim::ListConstruct) {
      c10::impl::GenericList list(n->output()->type()->expectRef<c10::ListType>().getElementType());
      for (const jit::Value* v : n->inputs()) list.push_back(get(v).value);
      return set_constant(n, std::move(list));
    }
    jit::Stack stack;
    for (const jit::Value* v : n->inputs()) stack.push_back(get(v).value);
    try {
      n->getOperation()(stack);
    } catch (const std::exception& e) {
      fail(n, scope, "fails: " + first_line(e));
    }
    const size_t outputs = n->outputs().size();
    for (size_t i = 0; i < outputs; ++i) env_[n->output(i)] = known(stack[stack.size() - outputs + i]);
  }

  // A submodule's method, followed into its graph; a clip site of `npufi harden` is an activation.
  void call(jit::Node* n, const std::string& scope) {
    const Item& self = get(n->input(0));
    if (!self.constant) fail(n, scope, "calls a method of the image");
    const c10::intrusive_ptr<c10::ivalue::Object> object = self.value.toObject();
    const std::string path = paths_.count(object.get()) ? paths_.at(object.get()) : scope;
    if (const auto site = sites_.find(object.get()); site != sites_.end()) {
      const Item x = image_input(n, scope, 1);
      chain_.set_name(path);
      env_[n->output()] = image_item(chain_.activation(path, x.tensor, site->second.mode(), site->second.threshold()), x.flat);
      return;
    }
    run_callee(object->type()->getMethod(n->s(c10::attr::name)), n, 0, path);
  }

  // Runs a called function's graph on the call's inputs from `first` on, and binds the call's outputs.
  void run_callee(jit::Function& function, const jit::Node* n, size_t first, const std::string& scope) {
    const std::shared_ptr<jit::Graph> graph = jit::toGraphFunction(function).graph();
    for (size_t i = first; i < n->inputs().size(); ++i) env_[graph->inputs()[i - first]] = get(n->input(i));
    run_block(graph->block(), scope);
    for (size_t i = 0; i < n->outputs().size(); ++i) env_[n->output(i)] = get(graph->outputs()[i]);
  }

  // Input `index` of n, which must be a tensor of the image; the others must not be.
  Item image_input(const jit::Node* n, const std::string& scope, size_t index) {
    for (size_t i = 0; i < n->inputs().size(); ++i)
      if (i != index && !get(n->input(i)).constant) fail(n, scope, "combines two tensors of the image in a way the NPU cannot run");
    if (get(n->input(index)).constant) fail(n, scope, "does not take the image where the NPU expects it");
    return get(n->input(index));
  }

  // a + b of two tensors of the image.
  void lower_add(jit::Node* n, const std::string& scope, const std::string& where) {
    const Item a = get(n->input(0)), b = get(n->input(1));
    if (a.constant || b.constant) chain_.fail(where, "adds a constant to the image, which the NPU cannot run");
    if (!get(n->input(2)).constant || get(n->input(2)).value.toScalar().toDouble() != 1)
      chain_.fail(where, "scales the tensor it adds");
    if (a.flat != b.flat) fail(n, scope, "adds a flattened tensor to an unflattened one");
    bind_result(n, image_item(chain_.add(where, a.tensor, b.tensor), a.flat));
  }

  void lower(jit::Node* n, const std::string& scope) {
    const std::string op = n->kind().toQualString();
    const auto constant = [&](size_t i) -> const c10::IValue& { return get(n->input(i)).value; };
    const auto ints = [&](size_t i) { return constant(i).toIntVector(); };
    const auto tensor = [&](size_t i) { return constant(i).isNone() ? torch::Tensor() : constant(i).toTensor(); };
    const std::string where = describe(n, scope);
    chain_.set_name(scope.empty() ? "forward" : scope);
    if (op == "aten::add" || op == "aten::add_") return lower_add(n, scope, where);
    const Item x = image_input(n, scope, op == "aten::addmm" ? 1 : 0);
    const TensorShape s = chain_.shape(x.tensor);

    if (op == "aten::dim") return set_constant(n, int64_t(x.flat ? 2 : 4));
    if (op == "aten::size") {
      const std::vector<int64_t> sizes = x.flat ? std::vector<int64_t>{1, s.size()}
                                                : std::vector<int64_t>{1, s.channels, s.height, s.width};
      if (n->inputs().size() == 1) return set_constant(n, sizes);
      int64_t d = constant(1).toInt();
      if (d < 0) d += int64_t(sizes.size());
      if (d < 0 || d >= int64_t(sizes.size())) fail(n, scope, "asks for a dimension the image does not have");
      return set_constant(n, sizes[size_t(d)]);
    }
    if (op == "aten::dropout" || op == "aten::dropout_" || op == "aten::feature_dropout") {
      if (constant(2).toBool()) chain_.fail(where, "drops out in training mode");
      return bind_result(n, x);
    }
    if (op == "aten::contiguous" || op == "aten::detach" || op == "aten::clone") return bind_result(n, x);
    bool flat = x.flat;
    ChainTensor y;
    if (op == "aten::conv2d" || op == "aten::_convolution") {
      if (x.flat) chain_.fail(where, "convolves a flattened tensor");
      const bool traced = op == "aten::_convolution";
      const size_t groups = traced ? 8 : 6;
      if (!constant(4).isIntList()) chain_.fail(where, "has string padding; give it as numbers");
      const std::vector<int64_t> stride = ints(3), padding = ints(4), dilation = ints(5);
      if ((traced && constant(6).toBool()) || constant(groups).toInt() != 1 || !all_equal(dilation, 1) ||
          !all_equal(stride, stride[0]) || !all_equal(padding, padding[0]))
        chain_.fail(where, "is not a square, ungrouped, undilated convolution with even padding");
      y = chain_.conv(where, x.tensor, tensor(1), tensor(2), int(stride[0]), int(padding[0]));
    } else if (op == "aten::batch_norm") {
      if (constant(5).toBool()) chain_.fail(where, "normalizes in training mode");
      y = chain_.batch_norm(where, x.tensor, tensor(1), tensor(2), tensor(3), tensor(4), constant(7).toDouble());
    } else if (op == "aten::relu" || op == "aten::relu_") {
      y = chain_.activation(where, x.tensor, ClipMode::relu);
    } else if (op == "aten::max_pool2d") {
      const std::vector<int64_t> kernel = ints(1);
      std::vector<int64_t> stride = ints(2);
      if (stride.empty()) stride = kernel;
      if (!all_equal(kernel, kernel[0]) || !all_equal(stride, stride[0]) || !all_equal(ints(3), 0) ||
          !all_equal(ints(4), 1) || constant(5).toBool())
        chain_.fail(where, "is not a 2x2 max-pool with stride 2");
      y = chain_.max_pool(where, x.tensor, int(kernel[0]), int(stride[0]));
    } else if (op == "aten::adaptive_avg_pool2d") {
      if (x.flat || !all_equal(ints(1), 1)) chain_.fail(where, "is an average pool to another size than 1x1");
      y = chain_.avg_pool(where, x.tensor);
    } else if (op == "aten::mean") {
      std::vector<int64_t> dims = ints(1);
      for (int64_t& d : dims) d = d < 0 ? d + 4 : d;
      std::sort(dims.begin(), dims.end());
      if (x.flat || dims != std::vector<int64_t>{2, 3} || !constant(3).isNone())
        chain_.fail(where, "is a mean over other dimensions than H and W");
      y = chain_.avg_pool(where, x.tensor);
      flat = !constant(2).toBool();
    } else if (op == "aten::flatten") {
      const int64_t end = constant(2).toInt();
      if (!x.flat && (constant(1).toInt() != 1 || (end != -1 && end != 3)))
        chain_.fail(where, "flattens other dimensions than C, H and W");
      return bind_result(n, image_item(x.tensor, true));
    } else if (op == "aten::view" || op == "aten::reshape") {
      const std::vector<int64_t> shape = ints(1);
      if (shape.size() != 2 || (shape[0] != 1 && shape[0] != -1) || (shape[1] != -1 && shape[1] != s.size()))
        chain_.fail(where, "reshapes to another shape than [N, " + std::to_string(s.size()) + "]");
      return bind_result(n, image_item(x.tensor, true));
    } else if (op == "aten::linear") {
      if (!x.flat) chain_.fail(where, "is a linear layer over an unflattened tensor");
      y = chain_.dense(where, x.tensor, tensor(1), tensor(2));
    } else if (op == "aten::addmm") {
      if (!x.flat || constant(3).toDouble() != 1 || constant(4).toDouble() != 1)
        chain_.fail(where, "is not a linear layer over a flattened tensor");
      y = chain_.dense(where, x.tensor, tensor(2).t(), tensor(0));
    } else {
      chain_.fail(where, "is an operation the NPU cannot run");
    }
    bind_result(n, image_item(y, flat));
  }

  void set_constant(const jit::Node* n, c10::IValue value) { env_[n->output()] = known(std::move(value)); }
  // An in-place operation (relu_, add_) also changes the tensor its first input names.
  void bind_result(const jit::Node* n, const Item& result) {
    env_[n->output()] = result;
    if (std::string(n->kind().toUnqualString()).back() == '_') env_[n->input(0)] = result;
  }

  std::string describe(const jit::Node* n, const std::string& scope) const {
    const std::string source = source_text(n);
    return (scope.empty() ? "forward" : scope) + " (" + n->kind().toQualString() +
           (source.empty() ? "" : " at `" + source + "`") + ")";
  }

  [[noreturn]] void fail(const jit::Node* n, const std::string& scope, const std::string& why) const {
    chain_.fail(describe(n, scope), why);
  }

  LayerChain chain_;
  std::unordered_map<const jit::Value*, Item> env_;
  std::unordered_map<const c10::ivalue::Object*, ClipSite> sites_;
  std::unordered_map<const c10::ivalue::Object*, std::string> paths_;
};

}  // namespace

std::vector<FloatLayer> lower_script(Model::Impl& impl, TensorShape input) {
  return ScriptLowering(impl, input).run(*impl.script);
}

}  // namespace npufi
