// The npufi binary's query shell as a user meets it: on a pseudo-terminal (typing, tab completion of a
// block name, history recall within and across sessions, Ctrl-C during a query), and in scripts (-c,
// standard input), with their exit codes.
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <thread>

#include "cli/query/query_session.h"
#include "tests/query/query_fixture.h"

namespace npufi::cli {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;

// `npufi query` on the slave side of a pseudo-terminal; the test types on the master side.
class Terminal {
 public:
  Terminal(const std::string& db, const std::string& history) {
    pid_ = forkpty(&master_, nullptr, nullptr, nullptr);
    if (pid_ == 0) {
      setenv("TERM", "vt100", 1);
      execl(NPUFI_BINARY, NPUFI_BINARY, "query", "--db", db.c_str(), "--history", history.c_str(), nullptr);
      _exit(127);
    }
  }
  ~Terminal() {
    if (pid_ > 0 && waitpid(pid_, nullptr, WNOHANG) == 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    close(master_);
  }

  void type(const std::string& keys) { ASSERT_EQ(write(master_, keys.data(), keys.size()), ssize_t(keys.size())); }

  // Reads until `done` holds for the screen, or 20 s pass; whether it holds.
  template <class Done>
  bool read_until(const Done& done) {
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (!done() && std::chrono::steady_clock::now() < deadline) {
      pollfd p{master_, POLLIN, 0};
      if (poll(&p, 1, 100) <= 0) continue;
      char buffer[4096];
      const ssize_t n = read(master_, buffer, sizeof buffer);
      if (n <= 0) break;
      screen_.append(buffer, size_t(n));
    }
    return done();
  }

  // Until `text` has appeared `times` times since the start.
  bool wait_for(const std::string& text, int times = 1) {
    return read_until([&] { return occurrences(text) >= times; });
  }

  // Reads until the screen ends with the prompt: the last command has finished.
  bool wait_for_prompt() {
    const std::string prompt = "npufi> ";
    const auto at_prompt = [&] {
      return screen_.size() >= prompt.size() && screen_.compare(screen_.size() - prompt.size(), prompt.size(), prompt) == 0;
    };
    // libedit may print the prompt before it puts the terminal in raw mode; keys typed in between would
    // be read in cooked mode (where Ctrl-D is lost). The master side sees the terminal's mode.
    const auto editing = [&] {
      termios mode{};
      return tcgetattr(master_, &mode) == 0 && !(mode.c_lflag & ICANON);
    };
    return read_until([&] { return at_prompt() && editing(); });
  }

  int occurrences(const std::string& text) const {
    int n = 0;
    for (size_t at = screen_.find(text); at != std::string::npos; at = screen_.find(text, at + 1)) ++n;
    return n;
  }

  // The exit code once the shell ends (within 10 s), or -1.
  int exit_code() {
    for (int i = 0; i < 100; ++i) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      }
      pollfd p{master_, POLLIN, 0};  // keep the terminal drained, so the shell never blocks writing
      char buffer[4096];
      if (poll(&p, 1, 100) > 0 && read(master_, buffer, sizeof buffer) > 0) continue;
      std::this_thread::sleep_for(100ms);  // the slave side is closed: poll returns at once
    }
    return -1;
  }

  const std::string& screen() const { return screen_; }

 private:
  int master_ = -1;
  pid_t pid_ = -1;
  std::string screen_;
};

class QueryTerminalTest : public ::testing::Test {
 protected:
  void SetUp() override { test::write_query_fixture(db_); }

  // Runs `npufi query ARGS` through the shell; returns the exit code and fills out and err.
  int npufi(const std::string& args, std::string& out, std::string& err, const std::string& db = "") {
    const std::string o = dir_.file("out"), e = dir_.file("err");
    const int status = std::system((std::string(NPUFI_BINARY) + " query --db " + (db.empty() ? db_ : db) + " " +
                                    args + " >" + o + " 2>" + e).c_str());
    out = db::test::read_bytes(o);
    err = db::test::read_bytes(e);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  db::test::TempDir dir_;
  std::string db_ = dir_.file("runs.db");
  std::string history_ = dir_.file("history");
};

TEST_F(QueryTerminalTest, TypingCompletionHistoryAndCtrlC) {
  const std::string before = db::test::read_bytes(db_);
  {
    Terminal t(db_, history_);
    ASSERT_TRUE(t.wait_for_prompt()) << t.screen();
    t.type("campaigns\r");
    ASSERT_TRUE(t.wait_for("npu32-protected")) << t.screen();
    ASSERT_TRUE(t.wait_for_prompt()) << t.screen();

    // "wei" + Tab completes to the block weight_buffer; a glob "wei" alone would match no block.
    t.type("injections 1 --block wei\t");
    ASSERT_TRUE(t.wait_for("ght_buffer ")) << t.screen();  // the terminal redraws from the cursor
    t.type("--limit 1\r");
    ASSERT_TRUE(t.wait_for("weight_buffer.mem[10][3]")) << t.screen();

    // Up arrow recalls that line; Enter runs it again.
    ASSERT_TRUE(t.wait_for_prompt()) << t.screen();
    t.type("\x1b[A\r");
    ASSERT_TRUE(t.wait_for("weight_buffer.mem[10][3]", 2)) << t.screen();

    // Ctrl-C stops a query that would never end, and the prompt returns.
    ASSERT_TRUE(t.wait_for_prompt()) << t.screen();
    t.type("sql WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT COUNT(*) FROM c\r");
    std::this_thread::sleep_for(500ms);
    t.type("\x03");
    ASSERT_TRUE(t.wait_for("interrupted")) << t.screen();
    ASSERT_TRUE(t.wait_for_prompt()) << t.screen();
    t.type("campaign 2\r");
    ASSERT_TRUE(t.wait_for("fnv1a:00000000000000aa")) << t.screen();

    ASSERT_TRUE(t.wait_for_prompt()) << t.screen();
    t.type("\x04");  // Ctrl-D
    EXPECT_EQ(t.exit_code(), 0) << t.screen();
  }
  // libedit's history file writes a blank as \040.
  EXPECT_THAT(db::test::read_bytes(history_), HasSubstr("injections\\0401\\040--block\\040weight_buffer\\040--limit\\0401\n"));
  {
    // A new session recalls the last line of the previous one.
    Terminal t(db_, history_);
    ASSERT_TRUE(t.wait_for_prompt()) << t.screen();
    t.type("\x1b[A\r");
    ASSERT_TRUE(t.wait_for("fnv1a:00000000000000aa")) << t.screen();
    ASSERT_TRUE(t.wait_for_prompt()) << t.screen();
    t.type("quit\r");
    EXPECT_EQ(t.exit_code(), 0) << t.screen();
  }
  EXPECT_EQ(db::test::read_bytes(db_), before);
}

TEST_F(QueryTerminalTest, ScriptsGetTheSameOutputWithoutAPrompt) {
  const std::string expected = QuerySession(db_, OutputMode::table).run("campaigns") +
                               QuerySession(db_, OutputMode::table).run("top 1 -n 1");
  std::string out, err;
  std::ofstream(dir_.file("commands")) << "campaigns\n# a comment\n\ntop 1 -n 1\n";
  EXPECT_EQ(npufi("< " + dir_.file("commands"), out, err), 0) << err;
  EXPECT_EQ(out, expected);
  EXPECT_EQ(err, "");

  EXPECT_EQ(npufi("-c campaigns < /dev/null", out, err), 0) << err;
  EXPECT_EQ(out, QuerySession(db_, OutputMode::table).run("campaigns"));
  EXPECT_EQ(npufi("--mode csv -c 'injection 1 12'", out, err), 0) << err;
  EXPECT_THAT(out, HasSubstr("replay,npufi replay --db " + db_ + " --campaign 1 --injection 12\n"));
}

TEST_F(QueryTerminalTest, BadCommandsExitWithOneLineErrors) {
  std::string out, err;
  EXPECT_EQ(npufi("-c 'campaign 9'", out, err), 1);
  EXPECT_EQ(err, "npufi: error: campaign 9 is not in " + db_ + " (see campaigns)\n");
  EXPECT_EQ(npufi("-c 'sql DROP TABLE campaigns'", out, err), 1);
  EXPECT_THAT(err, HasSubstr("refused: changing the schema"));
  EXPECT_EQ(npufi("-c 'campaign one'", out, err), 2);
  EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
  EXPECT_EQ(npufi("-c 'nonsense'", out, err), 2);
  EXPECT_EQ(npufi("--mode xml -c campaigns", out, err), 2);
  // A script stops at its first failing command.
  std::ofstream(dir_.file("commands")) << "campaigns\nfaults 3 99\ncampaign 1\n";
  EXPECT_EQ(npufi("< " + dir_.file("commands"), out, err), 1);
  EXPECT_THAT(out, HasSubstr("npu32-protected"));
  EXPECT_THAT(out, ::testing::Not(HasSubstr("data set digest")));
  EXPECT_EQ(err, "npufi: error: trial 99 of campaign 3 is not stored\n");
  EXPECT_EQ(npufi("-c campaigns", out, err, dir_.file("none.db")), 1);
  EXPECT_THAT(err, HasSubstr("does not exist"));
}

}  // namespace
}  // namespace npufi::cli
