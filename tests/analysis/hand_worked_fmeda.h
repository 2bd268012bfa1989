#pragma once
// The hand-worked FMEDA of the analysis tests (tests/analysis) and of its writers' (tests/report).
#include <gtest/gtest.h>

#include <vector>

#include "analysis/fmeda.h"

namespace npufi::test {

// A small hand-worked FMEDA. Raw rates: flip-flops 1000, SRAM 500 FIT per Mbit (10^6 bits).
//   controller:    2,000 flop bits, transient: lambda = 2000 * 1000e-6 = 2 FIT.
//                  1000 injections: 900 masked, 20 sdc_benign, 50 sdc_critical, 10 due_detected, 20 due_hang.
//                  Defaults: sdc_benign safe, due_hang violating -> violating AVF (50 + 20) / 1000 = 0.07.
//                  No mechanism: lambda_SPF = 2 * 0.07 = 0.14; lambda_MPF,detected = 2 * 0.01 = 0.02;
//                  lambda_S = 2 - 0.14 - 0.02 = 1.84.
//   weight_buffer: 100,000 SRAM bits, transient: lambda = 100000 * 500e-6 = 50 FIT.
//                  1000 injections: 950 masked, 30 sdc_benign, 20 sdc_critical -> violating AVF 0.02.
//                  ECC with DC 99 % (single-point), 90 % (latent): violating 50 * 0.02 = 1 FIT;
//                  lambda_RF = 1 * (1 - 0.99) = 0.01; covered 0.99 -> lambda_MPF,latent = 0.99 * 0.1 = 0.099,
//                  lambda_MPF,detected = 0.891; lambda_S = 50 - 1 = 49.
// SPFM = 1 - (0.14 + 0.01) / 52 = 0.997115385
// LFM  = 1 - 0.099 / (52 - 0.15) = 0.998090646
// PMHF = 0.14 + 0.01 = 0.15 FIT
class HandWorkedFmeda : public ::testing::Test {
 protected:
  static std::vector<BlockOutcomes> outcomes() {
    BlockOutcomes controller{"controller", StorageKind::flop, FaultDuration::transient, 2000, 43689,
                             {900, 20, 50, 10, 20}};
    BlockOutcomes weights{"weight_buffer", StorageKind::sram, FaultDuration::transient, 100000, 43689,
                          {950, 30, 20, 0, 0}};
    return {weights, controller};
  }
  static Technology technology() {
    return parse_technology("[transient]\nflop = 1000\nsram = 500\n", "tech.toml");
  }
  static SafetyOptions options() {
    SafetyOptions o;
    o.mechanisms["weight_buffer"] = {"ECC", 0.99, 0.90};
    return o;
  }
};

}  // namespace npufi::test
