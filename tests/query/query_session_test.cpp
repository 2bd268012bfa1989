// Every query shell command on the fixture database (query_fixture.h), checked for its values, in-process.
#include "cli/query/query_session.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "analysis/proportion_difference.h"
#include "analysis/proportion_interval.h"
#include "cli/query/completion.h"
#include "tests/query/query_fixture.h"

namespace npufi::cli {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using nlohmann::json;

class QuerySessionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    test::write_query_fixture(db_);
    // 1000 FIT per Mbit in flops, 500 in SRAM: 1e-3 and 5e-4 FIT per bit.
    std::ofstream(tech_) << "name = \"test\"\n[transient]\nflop = 1000\nsram = 500\n";
    session_ = std::make_unique<QuerySession>(db_, OutputMode::json);
  }

  json ask(const std::string& line) { return json::parse(session_->run(line)); }

  // The value of `field` in a field/value answer.
  json field(const json& rows, const std::string& name) {
    for (const json& row : rows)
      if (row["field"] == name) return row["value"];
    ADD_FAILURE() << "no field " << name << " in " << rows.dump();
    return nullptr;
  }

  int error_code(const std::string& line, std::string* message = nullptr) {
    try {
      session_->run(line);
    } catch (const QueryError& e) {
      if (message) *message = e.what();
      EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos) << e.what();
      return e.code;
    }
    ADD_FAILURE() << line << " did not fail";
    return 0;
  }

  db::test::TempDir dir_;
  std::string db_ = dir_.file("runs.db");
  std::string tech_ = dir_.file("tech.toml");
  std::unique_ptr<QuerySession> session_;
};

TEST_F(QuerySessionTest, ListsTheCampaigns) {
  const json rows = ask("campaigns");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0]["name"], "npu32-seu");
  EXPECT_EQ(rows[0]["kind"], "rtl");
  EXPECT_EQ(rows[0]["target"], "npu32");
  EXPECT_EQ(rows[0]["protected"], "no");
  EXPECT_EQ(rows[0]["done"], 30);
  EXPECT_EQ(rows[0]["sdc_critical"], 6);
  EXPECT_EQ(rows[1]["protected"], "yes");
  EXPECT_EQ(rows[1]["sdc_critical"], 0);
  EXPECT_EQ(rows[2]["kind"], "weights");
  EXPECT_EQ(rows[2]["done"], 3);
  EXPECT_TRUE(rows[2]["sdc_critical"].is_null());
}

TEST_F(QuerySessionTest, ShowsOneCampaignWithDigestsCountsAndSpec) {
  const json rows = ask("campaign 1");
  EXPECT_EQ(field(rows, "model digest"), "fnv1a:0123456789abcdef");
  EXPECT_EQ(field(rows, "data set digest"), "fnv1a:fedcba9876543210");
  EXPECT_EQ(field(rows, "protection digest"), "none (unprotected)");
  EXPECT_EQ(field(rows, "masked"), 23);
  EXPECT_EQ(field(rows, "sdc_critical"), 6);
  EXPECT_EQ(field(rows, "due_hang"), 1);
  EXPECT_EQ(field(rows, "sdc_benign"), 0);
  EXPECT_EQ(field(rows, "golden npu32"), "2 of 2 correct");
  EXPECT_EQ(field(rows, "spec"), "name = \"npu32-seu\"\ntarget = \"rtl\"");
  EXPECT_EQ(field(ask("campaign 2"), "protection digest"), "fnv1a:00000000000000aa");
}

TEST_F(QuerySessionTest, BlocksGiveFractionsIntervalsAndFitAsAnalyzeDoes) {
  const json rows = ask("blocks 1 --tech " + tech_ + " --confidence 0.9");
  ASSERT_EQ(rows.size(), 2u);
  const json& controller = rows[0];
  EXPECT_EQ(controller["block"], "controller");
  EXPECT_EQ(controller["bits"], 100);
  EXPECT_EQ(controller["injections"], 10);
  EXPECT_NEAR(controller["sdc_critical"].get<double>(), 0.4, 1e-9);
  EXPECT_NEAR(controller["due_hang"].get<double>(), 0.1, 1e-9);
  EXPECT_NEAR(controller["masked"].get<double>(), 0.5, 1e-9);
  const Interval i = proportion_interval(4, 10, 0.9);  // Clopper-Pearson, as analyze
  EXPECT_NEAR(controller["critical_low"].get<double>(), i.low, 1e-4);
  EXPECT_NEAR(controller["critical_high"].get<double>(), i.high, 1e-4);
  EXPECT_NEAR(controller["fit_critical"].get<double>(), 1e-3 * 100 * 0.4, 1e-6);
  const json& buffer = rows[1];
  EXPECT_EQ(buffer["storage"], "sram");
  EXPECT_NEAR(buffer["sdc_critical"].get<double>(), 0.1, 1e-9);
  EXPECT_NEAR(buffer["fit_critical"].get<double>(), 5e-4 * 800 * 0.1, 1e-6);
  EXPECT_GT(buffer["fit_critical_upper"].get<double>(), buffer["fit_critical"].get<double>());
  // Pooled as analyze pools: the two campaigns ran other protection plans, which analyze refuses.
  std::string message;
  EXPECT_EQ(error_code("blocks 1,2", &message), 1);
  EXPECT_THAT(message, HasSubstr("protection plan"));
}

TEST_F(QuerySessionTest, TopRanksRegistersAndSitesByCriticalOutcomes) {
  const json registers = ask("top 1");
  ASSERT_EQ(registers.size(), 2u);
  EXPECT_EQ(registers[0]["register"], "controller.state");
  EXPECT_EQ(registers[0]["injections"], 6);
  EXPECT_EQ(registers[0]["sdc_critical"], 4);
  const Interval i = proportion_interval(4, 6, 0.95);
  EXPECT_NEAR(registers[0]["low"].get<double>(), i.low, 1e-4);
  EXPECT_NEAR(registers[0]["high"].get<double>(), i.high, 1e-4);
  EXPECT_EQ(registers[1]["register"], "weight_buffer.mem");
  EXPECT_EQ(registers[1]["sdc_critical"], 2);

  const json sites = ask("top 1 --by site -n 3");
  ASSERT_EQ(sites.size(), 3u);  // six sites had one each; those hit once come first
  EXPECT_EQ(sites[0]["site"], "controller.state[2]");
  EXPECT_EQ(sites[1]["site"], "controller.state[3]");
  EXPECT_EQ(sites[2]["site"], "weight_buffer.mem[12][3]");
  EXPECT_EQ(ask("top 1 --outcome due_hang")[0]["register"], "controller.state");
  EXPECT_TRUE(ask("top 2").empty());
}

TEST_F(QuerySessionTest, InjectionsAreFiltered) {
  const auto indices = [&](const std::string& line) {
    std::vector<int64_t> out;
    for (const json& row : ask(line)) out.push_back(row["injection"].get<int64_t>());
    return out;
  };
  EXPECT_EQ(ask("injections 1").size(), 30u);
  EXPECT_EQ(ask("injections 1 --block controller").size(), 10u);
  EXPECT_EQ(ask("injections 1 --block '*buffer'").size(), 20u);
  EXPECT_THAT(indices("injections 1 --register 'controller.c*'"), ElementsAre(6, 7, 8, 9));
  EXPECT_THAT(indices("injections 1 --outcome sdc_critical"), ElementsAre(0, 1, 2, 3, 12, 13));
  EXPECT_THAT(indices("injections 1 --outcome sdc_critical --block weight_buffer"), ElementsAre(12, 13));
  EXPECT_THAT(indices("injections 1 --bit 2:5"), ElementsAre(2, 3, 4));
  EXPECT_THAT(indices("injections 1 --bit 7"), ElementsAre(7));
  EXPECT_THAT(indices("injections 1 --cycle 100:130"), ElementsAre(10, 11, 12));
  EXPECT_THAT(indices("injections 1 --diff-layer 0"), ElementsAre(12, 13));
  EXPECT_THAT(indices("injections 1 --layer 0"), ElementsAre(0, 1, 2, 3, 4));  // cycles 0 to 40
  EXPECT_THAT(indices("injections 1 --layer 1 --block weight_buffer"), ElementsAre(10, 11, 12, 13, 14));
  EXPECT_EQ(ask("injections 1 --layer 2").size(), 15u);
  EXPECT_EQ(ask("injections 1")[15]["layer"], 2);
  EXPECT_TRUE(ask("injections 2")[0]["layer"].is_null());
  EXPECT_EQ(error_code("injections 2 --layer 1"), 1);  // no layer cycles stored
  EXPECT_THAT(indices("injections 1 --outcome due_hang"), ElementsAre(4));
  EXPECT_THAT(indices("injections 1 --limit 2"), ElementsAre(0, 1));
  EXPECT_TRUE(ask("injections 1 --model stuck_at_0").empty());
  EXPECT_EQ(ask("injections 1 --model seu").size(), 30u);
  EXPECT_EQ(error_code("injections 1 --bit 5:2"), 2);
  EXPECT_EQ(error_code("injections 1 --model flip"), 2);
  EXPECT_EQ(error_code("injections 1 --outcome broken"), 2);
  EXPECT_EQ(error_code("injections 3"), 1);  // a weight campaign
}

TEST_F(QuerySessionTest, OneInjectionInFullWithItsReplayCommand) {
  const json rows = ask("injection 1 12");
  EXPECT_EQ(field(rows, "site"), "weight_buffer.mem[12][3]");
  EXPECT_EQ(field(rows, "bit"), 112);
  EXPECT_EQ(field(rows, "cycle"), 120);
  EXPECT_EQ(field(rows, "layer at that cycle"), 1);
  EXPECT_EQ(field(rows, "outcome"), "sdc_critical");
  EXPECT_EQ(field(rows, "first differing layer"), 0);
  EXPECT_EQ(field(rows, "simulated cycles"), 112);
  EXPECT_EQ(field(rows, "ended by"), "completed");
  EXPECT_EQ(field(rows, "replay"), "npufi replay --db " + db_ + " --campaign 1 --injection 12");
  EXPECT_EQ(field(ask("injection 1 5"), "first differing layer"), "none");
  EXPECT_EQ(field(ask("injection 2 12"), "layer at that cycle"), "not stored (campaign run before schema 5)");
  std::string message;
  EXPECT_EQ(error_code("injection 1 30", &message), 1);
  EXPECT_THAT(message, HasSubstr("injection 30 of campaign 1 is not stored"));
}

TEST_F(QuerySessionTest, CompareGivesTheDifferenceAndItsSignificance) {
  const json rows = ask("compare 1 2");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0]["block"], "controller");
  EXPECT_NEAR(rows[0]["sdc_critical_1"].get<double>(), 0.4, 1e-9);
  EXPECT_NEAR(rows[0]["sdc_critical_2"].get<double>(), 0.0, 1e-9);
  const ProportionDifference d = proportion_difference(4, 10, 0, 10, 0.95);
  EXPECT_NEAR(rows[0]["difference"].get<double>(), -0.4, 1e-9);
  EXPECT_NEAR(rows[0]["low"].get<double>(), d.interval.low, 1e-4);
  EXPECT_NEAR(rows[0]["high"].get<double>(), d.interval.high, 1e-4);
  EXPECT_EQ(rows[0]["significant"], "yes");  // 4 of 10 against 0 of 10
  EXPECT_EQ(rows[1]["significant"], "no");   // 2 of 20 against 0 of 20
  EXPECT_EQ(ask("compare 1 2 --confidence 0.5")[1]["significant"], "yes");
  EXPECT_EQ(error_code("compare 1 3"), 1);
}

TEST_F(QuerySessionTest, WeightCampaignsAccuracyPerBerAndTheFaultsOfATrial) {
  const json rows = ask("ber 3");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_NEAR(rows[0]["ber"].get<double>(), 1e-5, 1e-12);
  EXPECT_EQ(rows[0]["trials"], 2);
  EXPECT_NEAR(rows[0]["accuracy"].get<double>(), 0.81, 1e-9);
  EXPECT_NEAR(rows[0]["golden"].get<double>(), 0.9, 1e-9);
  EXPECT_NEAR(rows[1]["accuracy"].get<double>(), 0.84, 1e-9);
  EXPECT_TRUE(rows[1]["low"].is_null());  // one trial: no interval
  const json faults = ask("faults 3 1");
  ASSERT_EQ(faults.size(), 2u);
  EXPECT_EQ(faults[0]["tensor"], "conv1.weight");
  EXPECT_EQ(faults[0]["flat_index"], 18);
  EXPECT_EQ(faults[1]["bit"], 30);
  EXPECT_TRUE(faults[1]["image"].is_null());  // weights: no image
  EXPECT_EQ(error_code("faults 3 9"), 1);
  EXPECT_EQ(error_code("ber 1"), 1);
}

TEST_F(QuerySessionTest, SqlAndTheThreeOutputModes) {
  const json rows = ask("sql SELECT outcome, COUNT(*) AS n FROM injections WHERE campaign = 1 GROUP BY outcome ORDER BY n DESC");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0]["outcome"], "masked");
  EXPECT_EQ(rows[0]["n"], 23);
  EXPECT_EQ(rows[1]["outcome"], "sdc_critical");
  EXPECT_TRUE(ask("sql SELECT NULL AS x")[0]["x"].is_null());
  EXPECT_EQ(ask("sql SELECT 0.5 AS x")[0]["x"], 0.5);

  session_->run("mode csv");
  EXPECT_EQ(session_->run("sql SELECT 'a,b' AS x, 'say \"hi\"' AS y, 3 AS z"), "x,y,z\n\"a,b\",\"say \"\"hi\"\"\",3\n");
  session_->run("mode table");
  EXPECT_EQ(session_->run("sql SELECT name, id FROM campaigns ORDER BY id"),
            "name             id\nnpu32-seu         1\nnpu32-protected   2\nlenet5-ber        3\n");
  EXPECT_EQ(session_->run("mode"), "mode\ntable\n");
  EXPECT_EQ(error_code("mode xml"), 2);
  EXPECT_EQ(error_code("sql SELECT nothing FROM nowhere"), 1);
}

TEST_F(QuerySessionTest, HelpListsEveryCommandWithAnExample) {
  const json rows = ask("help");
  EXPECT_EQ(rows.size(), 12u);
  for (const json& row : rows)
    EXPECT_THAT(row["arguments, what it does, example"].get<std::string>(), HasSubstr("\nexample: ")) << row.dump();
  // Every example runs, but for the campaign ids of the fixture.
  for (const std::string line : {"campaign 1", "blocks 1", "top 1 -n 5 --by register", "injection 1 17",
                                 "compare 1 2", "ber 3", "faults 3 0", "help injections"})
    EXPECT_NO_THROW(session_->run(line)) << line;
  EXPECT_THAT(session_->run("help injections"), HasSubstr("--register"));
}

TEST_F(QuerySessionTest, BadCommandsGiveOneLineErrorsWithTheirExitCodes) {
  std::string message;
  EXPECT_EQ(error_code("frobnicate", &message), 2);
  EXPECT_EQ(message, "unknown command 'frobnicate' (help lists the commands)");
  EXPECT_EQ(error_code("campaign"), 2);
  EXPECT_EQ(error_code("campaign x"), 2);
  EXPECT_EQ(error_code("top 1 --by bank"), 2);
  EXPECT_EQ(error_code("campaign 'unclosed"), 2);
  EXPECT_EQ(error_code("campaign 9", &message), 1);
  EXPECT_THAT(message, HasSubstr("campaign 9 is not in"));
  EXPECT_EQ(session_->run("   "), "");
  EXPECT_EQ(session_->run("# a comment"), "");
}

TEST_F(QuerySessionTest, CompletesCommandsIdsBlocksRegistersOptionsAndSqlNames) {
  Completion completion(session_->context());
  EXPECT_THAT(completion.candidates("c"), ElementsAre("campaign", "campaigns", "compare"));
  EXPECT_THAT(completion.candidates("blocks "), ElementsAre("1", "2", "3"));
  EXPECT_THAT(completion.candidates("injections 1 --block w"), ElementsAre("weight_buffer"));
  EXPECT_THAT(completion.candidates("injections 1 --register controller."),
              ElementsAre("controller.count", "controller.state"));
  EXPECT_THAT(completion.candidates("injections 1 --outcome sdc"), ElementsAre("sdc_benign", "sdc_critical"));
  EXPECT_THAT(completion.candidates("injections 1 --model stuck"), ElementsAre("stuck_at_0", "stuck_at_1"));
  EXPECT_THAT(completion.candidates("top 1 --b"), ElementsAre("--by"));
  EXPECT_THAT(completion.candidates("sql SELECT first_d"), ElementsAre("first_diff_layer"));
  EXPECT_THAT(completion.candidates("sql SELECT * FROM inj"), ElementsAre("injection", "injections"));
  EXPECT_THAT(completion.candidates("help to"), ElementsAre("top"));
}

}  // namespace
}  // namespace npufi::cli
