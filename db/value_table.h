#pragma once
// A table of values as a query returns it: column names and rows of typed cells, each with its text. The
// query shell (cli/query) prints every answer from one of these, as an aligned table, CSV or JSON.
#include <string>
#include <vector>

namespace npufi::db {

struct Value {
  enum class Kind { null, integer, real, text };
  Kind kind = Kind::null;
  std::string text;  // as printed; empty for null
};

struct ValueTable {
  std::vector<std::string> columns;
  std::vector<std::vector<Value>> rows;  // each as wide as columns
};

}  // namespace npufi::db
