#pragma once
// Private: LibTorch's exception text as the one line npufi's messages carry.
#include <c10/util/Exception.h>

#include <exception>
#include <string>

namespace npufi {

// The first line of an exception's message, without LibTorch's backtrace.
inline std::string first_line(const std::exception& e) {
  const auto* torch_error = dynamic_cast<const c10::Error*>(&e);
  const std::string text = torch_error ? torch_error->what_without_backtrace() : e.what();
  return text.substr(0, text.find('\n'));
}

}  // namespace npufi
