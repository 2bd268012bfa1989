#pragma once
// A fixture for campaign tests: a fresh lenet5 on disk in a scratch folder, and a quiet campaign run.
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <sstream>
#include <string>

#include <unistd.h>

#include "campaigns/engine.h"
#include "models/model.h"

namespace npufi::test {

class Lenet5CampaignTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::filesystem::temp_directory_path() / ("npufi_campaign_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    Model::create("lenet5", 3).save((dir_ / "lenet5.pt").string());
  }
  static void TearDownTestSuite() { std::filesystem::remove_all(dir_); }

  static std::string db(const std::string& name) { return (dir_ / name).string(); }

  static CampaignRun run(const CampaignSpec& s, const std::string& db_path, int threads, int64_t max_trials = -1,
                         std::size_t cache = 64u << 20) {
    EngineOptions options;
    options.threads = threads;
    options.max_trials = max_trials;
    options.cache_budget_bytes = cache;
    std::ostringstream log;
    return run_campaign(s, db_path, options, log);
  }

  static inline std::filesystem::path dir_;
};

}  // namespace npufi::test
