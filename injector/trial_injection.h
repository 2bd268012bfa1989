#pragma once
// Applies one trial's faults to a weight memory in place, and undoes them when it goes out of scope.
// Only the faulty words are touched and saved; the memory is bit-identical afterwards.
#include <cstdint>
#include <vector>

#include "injector/fault.h"
#include "injector/weight_memory.h"

namespace npufi {

class TrialInjection {
 public:
  TrialInjection(WeightMemory& memory, std::vector<WeightFault> faults);
  ~TrialInjection();
  TrialInjection(const TrialInjection&) = delete;
  TrialInjection& operator=(const TrialInjection&) = delete;

  // The first model stage that reads a faulty word; stages before it compute as if fault-free.
  // INT32_MAX when no word changed (e.g. stuck-at faults that agree with the stored bits).
  int first_faulty_stage() const { return first_stage_; }
  int64_t changed_words() const { return int64_t(saved_.size()); }

 private:
  struct SavedWord {
    float* address;
    float value;
  };
  WeightMemory& memory_;
  std::vector<SavedWord> saved_;
  int first_stage_;
};

}  // namespace npufi
