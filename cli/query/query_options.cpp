// Options that several query commands share.
#include "cli/query/query_commands.h"
#include "injector/fault_vocabulary.h"

namespace npufi::cli {

namespace {

// "OPTION 'VALUE' MUST", built by appending (g++ 12 warns falsely about "literal" + string here).
std::string bad_value(const char* option, const std::string& value, const char* must) {
  std::string message(option);
  message.append(" '").append(value).append("' ").append(must);
  return message;
}

}  // namespace

void add_confidence_option(CLI::App& command, double& confidence) {
  confidence = 0.95;
  command.add_option("--confidence", confidence, "Confidence of the intervals")
      ->check([](const std::string& text) {
        const double c = std::stod(text);
        return c > 0 && c < 1 ? std::string() : bad_value("--confidence", text, "must be in (0, 1)");
      })
      ->capture_default_str();
}

void add_outcome_option(CLI::App& command, std::string& outcome) {
  command.add_option("--outcome", outcome, "Outcome class: masked, sdc_benign, sdc_critical, due_detected, due_hang")
      ->check([](const std::string& text) {
        return parse_outcome(text) ? std::string() : bad_value("--outcome", text, "is not an outcome class");
      });
}

}  // namespace npufi::cli
