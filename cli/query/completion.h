#pragma once
// What tab completes in the query shell, from the line before the cursor: command names first, then the
// command's options, campaign ids where a command takes one, block and register names after --block and
// --register, outcome classes and fault models after --outcome and --model, tables and columns in sql.
#include <string>
#include <vector>

#include "cli/query/query_context.h"

namespace npufi::cli {

class Completion {
 public:
  explicit Completion(QueryContext& context) : context_(context) {}

  // The words that the word being typed (the end of `before_cursor`) can become, sorted.
  std::vector<std::string> candidates(const std::string& before_cursor);

 private:
  // Read from the database on first use.
  struct Vocabulary {
    std::vector<std::string> campaigns, blocks, registers, sql_names;
  };
  const Vocabulary& vocabulary();

  QueryContext& context_;
  std::optional<Vocabulary> vocabulary_;
};

}  // namespace npufi::cli
