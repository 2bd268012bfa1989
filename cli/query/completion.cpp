#include "cli/query/completion.h"

#include <algorithm>

#include "cli/query/query_commands.h"
#include "cli/query/register_name.h"
#include "injector/fault_vocabulary.h"

namespace npufi::cli {

namespace {

std::vector<std::string> split_blanks(const std::string& text) {
  std::vector<std::string> words;
  for (size_t start = 0; (start = text.find_first_not_of(" \t", start)) != std::string::npos;) {
    const size_t end = std::min(text.find_first_of(" \t", start), text.size());
    words.push_back(text.substr(start, end - start));
    start = end;
  }
  return words;
}

std::vector<std::string> option_names(const QueryCommand& command, QueryContext& context) {
  CLI::App app;
  app.set_help_flag();
  QueryRunner unused;
  command.add(app, context, unused);
  std::vector<std::string> names;
  for (const CLI::Option* option : app.get_options())
    for (const std::string& name : option->get_lnames()) names.push_back("--" + name);
  for (const CLI::Option* option : app.get_options())
    for (const std::string& name : option->get_snames()) names.push_back("-" + name);
  return names;
}

// The values an option takes, when they are few and known.
std::vector<std::string> option_values(const std::string& option) {
  std::vector<std::string> values;
  if (option == "--outcome")
    for (const OutcomeClass outcome : kOutcomeClasses) values.push_back(to_string(outcome));
  if (option == "--model")
    for (const RtlFaultModel model : {RtlFaultModel::seu, RtlFaultModel::mbu, RtlFaultModel::stuck_at_0,
                                      RtlFaultModel::stuck_at_1})
      values.push_back(rtl_fault_model_name(model));
  if (option == "--by") values = {"register", "site"};
  return values;
}

}  // namespace

const Completion::Vocabulary& Completion::vocabulary() {
  if (vocabulary_) return *vocabulary_;
  Vocabulary v;
  for (const db::CampaignRow& c : context_.store.campaigns()) v.campaigns.push_back(std::to_string(c.id));
  db::ReadOnlyDatabase& database = context_.database;
  v.blocks = database.distinct("populations", "block");
  for (const std::string& site : database.distinct("injections", "site")) v.registers.push_back(register_of(site));
  v.sql_names = database.tables();
  for (const std::string& column : database.columns()) v.sql_names.push_back(column);
  return *(vocabulary_ = std::move(v));
}

std::vector<std::string> Completion::candidates(const std::string& before_cursor) {
  const std::vector<std::string> words = split_blanks(before_cursor);
  const bool new_word = words.empty() || before_cursor.back() == ' ' || before_cursor.back() == '\t';
  const std::string typed = new_word ? "" : words.back();
  const size_t position = new_word ? words.size() : words.size() - 1;  // of the word being typed

  std::vector<std::string> all;
  const QueryCommand* command = position == 0 ? nullptr : find_query_command(words.front());
  if (position == 0 || (command && command->name == std::string("help"))) {
    for (const QueryCommand& c : query_commands()) all.push_back(c.name);
  } else if (!command) {
    return {};
  } else if (command->name == std::string("sql")) {
    all = vocabulary().sql_names;
  } else if (command->name == std::string("mode")) {
    all = {"csv", "json", "table"};
  } else if (const std::string& previous = words[position - 1]; previous == "--block") {
    all = vocabulary().blocks;
  } else if (previous == "--register") {
    all = vocabulary().registers;
  } else if (!option_values(previous).empty()) {
    all = option_values(previous);
  } else if (typed.rfind('-', 0) == 0) {
    all = option_names(*command, context_);
  } else if (command->campaign_first && position == 1) {
    all = vocabulary().campaigns;
  }
  std::vector<std::string> out;
  for (const std::string& word : all)
    if (word.rfind(typed, 0) == 0) out.push_back(word);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace npufi::cli
