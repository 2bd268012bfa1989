// The table of the query shell's commands, and the two that are about the shell itself: help and mode.
#include "cli/query/query_commands.h"

#include "cli/query/cells.h"

namespace npufi::cli {

namespace {

void add_help_query(CLI::App& command, QueryContext& context, QueryRunner& run);
void add_mode_query(CLI::App& command, QueryContext& context, QueryRunner& run);

const std::vector<QueryCommand> kCommands = {
    {"campaigns", "", "The campaigns: kind, network, target, protection, status, progress, critical SDCs",
     "campaigns", false, add_campaigns_query},
    {"campaign", "ID", "One campaign: what it ran, its digests, counts per outcome and its spec", "campaign 2", true,
     add_campaign_query},
    {"blocks", "ID[,ID...] [--confidence C] [--tech FILE]",
     "Per block: outcome fractions, the sdc_critical interval and FIT, as analyze computes them", "blocks 2,3", true,
     add_blocks_query},
    {"top", "ID [-n N] [--by register|site] [--outcome O] [--confidence C]",
     "The registers (or sites) with the most injections of an outcome, with their rate and interval",
     "top 2 -n 5 --by register", true, add_top_query},
    {"injections",
     "ID [--block G] [--register G] [--bit A:B] [--cycle A:B] [--layer A:B] [--diff-layer A:B] [--outcome O] "
     "[--model M] [--limit N]",
     "An RTL campaign's injections, filtered; globs match block and register names, ranges are A:B (B not included)",
     "injections 2 --block controller --outcome sdc_critical --limit 5", true, add_injections_query},
    {"injection", "ID N", "One injection in full, with the npufi replay command that re-runs it", "injection 2 17", true,
     add_injection_query},
    {"compare", "A B [--outcome O] [--confidence C]",
     "Two RTL campaigns per block: an outcome's rate in each, B - A with its interval, and whether it is significant",
     "compare 2 5", true, add_compare_query},
    {"ber", "ID", "A weight campaign's accuracy per format and bit error rate", "ber 1", true, add_ber_query},
    {"faults", "ID TRIAL", "The faulty bits of one trial of a weight campaign", "faults 1 0", true, add_faults_query},
    {"sql", "STATEMENT", "Any reading SQL statement (docs/storage.md has the tables); writing is refused",
     "sql SELECT outcome, COUNT(*) FROM injections GROUP BY outcome", false, add_sql_query},
    {"mode", "[table|csv|json]", "How answers are printed (without an argument: the mode now)", "mode csv", false,
     add_mode_query},
    {"help", "[COMMAND]", "The commands, or one command's options", "help injections", false, add_help_query},
};

db::ValueTable command_help(const QueryCommand& c, QueryContext& context) {
  CLI::App app{c.help, c.name};
  QueryRunner unused;
  c.add(app, context, unused);
  db::ValueTable table{{"", c.name}, {}};
  table.rows.push_back({text_cell("usage"), text_cell(std::string(c.name) + " " + c.arguments)});
  table.rows.push_back({text_cell("does"), text_cell(c.help)});
  table.rows.push_back({text_cell("example"), text_cell(c.example)});
  for (const CLI::Option* option : app.get_options())
    if (!option->get_positional() || option->get_required())
      table.rows.push_back({text_cell(option->get_name(false, true)), text_cell(option->get_description())});
  return table;
}

void add_help_query(CLI::App& command, QueryContext& context, QueryRunner& run) {
  auto name = std::make_shared<std::string>();
  command.add_option("command", *name, "A command");
  run = [&context, name] {
    if (!name->empty()) {
      const QueryCommand* c = find_query_command(*name);
      if (!c) throw QueryError(2, "no command '" + *name + "' (help lists them)");
      return command_help(*c, context);
    }
    // Three lines a command, so that the table fits a terminal.
    db::ValueTable table{{"command", "arguments, what it does, example"}, {}};
    for (const QueryCommand& c : kCommands)
      table.rows.push_back({text_cell(c.name), text_cell(std::string(*c.arguments ? c.arguments : "(none)") + "\n" +
                                                         c.help + "\nexample: " + c.example)});
    return table;
  };
}

void add_mode_query(CLI::App& command, QueryContext& context, QueryRunner& run) {
  auto mode = std::make_shared<std::string>();
  command.add_option("mode", *mode, "table, csv or json")->check([](const std::string& text) {
    return parse_output_mode(text) ? std::string() : "'" + text + "' is not table, csv or json";
  });
  run = [&context, mode] {
    if (!mode->empty()) {
      context.mode = *parse_output_mode(*mode);
      return db::ValueTable{};
    }
    return db::ValueTable{{"mode"}, {{text_cell(to_string(context.mode))}}};
  };
}

}  // namespace

const std::vector<QueryCommand>& query_commands() { return kCommands; }

const QueryCommand* find_query_command(const std::string& name) {
  for (const QueryCommand& c : kCommands)
    if (name == c.name) return &c;
  return nullptr;
}

}  // namespace npufi::cli
