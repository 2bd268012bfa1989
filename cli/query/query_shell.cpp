#include "cli/query/query_shell.h"

// libedit's readline interface (BSD licence; docs/query.md says why not GNU readline).
#include <editline/readline.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "cli/query/completion.h"

namespace npufi::cli {

namespace {

// What the terminal's callbacks (completion, Ctrl-C) need; one shell per process.
QuerySession* g_session = nullptr;
Completion* g_completion = nullptr;
std::vector<std::string> g_candidates;
volatile std::sig_atomic_t g_interrupted = 0;

extern "C" void interrupt_statement(int) {
  g_interrupted = 1;
  if (g_session) g_session->context().database.interrupt();  // sqlite3_interrupt: safe here
}

char* next_candidate(const char*, int state) {
  static size_t next = 0;
  if (state == 0) next = 0;
  return next < g_candidates.size() ? strdup(g_candidates[next++].c_str()) : nullptr;
}

char** complete(const char* text, int, int end) {
  rl_attempted_completion_over = 1;  // never file names
  try {
    g_candidates = g_completion->candidates(std::string(rl_line_buffer, size_t(end)));
  } catch (const std::exception&) {
    g_candidates.clear();
  }
  return rl_completion_matches(text, next_candidate);
}

bool is_quit(const std::string& line) {
  const size_t begin = line.find_first_not_of(" \t");
  if (begin == std::string::npos) return false;
  const std::string word = line.substr(begin, line.find_last_not_of(" \t") + 1 - begin);
  return word == "quit" || word == "exit";
}

}  // namespace

int run_interactive(QuerySession& session, const std::string& history_file) {
  Completion completion(session.context());
  g_session = &session;
  g_completion = &completion;
  rl_readline_name = "npufi";
  rl_completer_word_break_characters = const_cast<char*>(" \t");
  rl_attempted_completion_function = complete;
  using_history();
  stifle_history(1000);
  if (!history_file.empty()) read_history(history_file.c_str());

  struct sigaction action {};
  action.sa_handler = interrupt_statement;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);

  std::printf("npufi query on %s (read-only). help lists the commands; Ctrl-D leaves.\n",
              session.context().store.path().c_str());
  for (;;) {
    g_interrupted = 0;
    char* raw = readline("npufi> ");
    if (!raw) {
      if (g_interrupted) continue;  // Ctrl-C at the prompt: a fresh prompt
      std::printf("\n");
      break;
    }
    const std::string line = raw;
    std::free(raw);
    session.context().database.clear_interrupt();  // a Ctrl-C at the prompt is not for this line
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    add_history(line.c_str());
    if (!history_file.empty()) write_history(history_file.c_str());
    if (is_quit(line)) break;
    try {
      std::fputs(session.run(line).c_str(), stdout);
    } catch (const db::SqlInterrupted&) {
      std::printf("interrupted\n");
    } catch (const QueryError& e) {
      std::fprintf(stderr, "error: %s\n", e.what());
    }
    std::fflush(stdout);
  }
  g_session = nullptr;
  g_completion = nullptr;
  return 0;
}

int run_script(QuerySession& session, std::istream& in) {
  for (std::string line; std::getline(in, line);) {
    if (is_quit(line)) break;
    try {
      std::fputs(session.run(line).c_str(), stdout);
    } catch (const db::SqlInterrupted& e) {
      throw QueryError(1, e.what());
    }
  }
  return 0;
}

}  // namespace npufi::cli
