#pragma once
// The cells of the query shell's answers (db/value_table.h), each with the text it prints as.
#include <cstdint>
#include <cstdio>
#include <string>

#include "db/value_table.h"

namespace npufi::cli {

inline db::Value text_cell(std::string text) { return {db::Value::Kind::text, std::move(text)}; }
inline db::Value integer_cell(int64_t value) { return {db::Value::Kind::integer, std::to_string(value)}; }
// `format` is a printf conversion of one double ("%.4f", "%.3g").
inline db::Value real_cell(double value, const char* format = "%.6g") {
  char text[64];
  std::snprintf(text, sizeof text, format, value);
  return {db::Value::Kind::real, text};
}

}  // namespace npufi::cli
