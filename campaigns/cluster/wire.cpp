#include "campaigns/cluster/wire.h"

namespace npufi {

void write(WireWriter& w, int64_t task) { w.i64(task); }

void write(WireWriter& w, const ScheduledInjection& task) {
  w.i64(task.index);
  w.i64(int64_t(task.block));
  w.i64(int64_t(task.k));
}

void write(WireWriter& w, const db::TrialRow& t) {
  w.i64(t.trial);
  w.text(t.format);
  w.f64(t.ber);
  w.i64(t.repetition);
  w.i64(t.fault_count);
  w.i64(t.images);
  w.i64(t.correct);
  w.i64(t.mismatches);
  w.optional(t.masked);
  w.optional(t.sdc_benign);
  w.f64(t.seconds);
  w.i64(int64_t(t.faults.size()));
  for (const db::FaultRow& f : t.faults) {
    w.text(f.tensor);
    w.i64(f.index);
    w.i64(f.bit);
    w.text(f.kind);
    w.optional(f.image);
  }
}

void write(WireWriter& w, const db::InjectionRow& r) {
  w.i64(r.injection);
  w.i64(r.image);
  w.text(r.block);
  w.text(r.site);
  w.text(r.storage);
  w.i64(r.bit);
  w.i64(r.width);
  w.text(r.model);
  w.i64(r.cycle);
  w.text(r.outcome);
  w.i64(r.first_diff_layer);
  w.i64(r.simulated_cycles);
  w.text(r.ended_by);
  w.text(r.baseline_outcome);
}

void read(WireReader& r, int64_t& task) { task = r.i64(); }

void read(WireReader& r, ScheduledInjection& task) {
  task.index = r.i64();
  task.block = size_t(r.i64());
  task.k = uint64_t(r.i64());
}

void read(WireReader& r, db::TrialRow& t) {
  t.trial = r.i64();
  t.format = r.text();
  t.ber = r.f64();
  t.repetition = int(r.i64());
  t.fault_count = r.i64();
  t.images = int(r.i64());
  t.correct = int(r.i64());
  t.mismatches = int(r.i64());
  t.masked = r.optional();
  t.sdc_benign = r.optional();
  t.seconds = r.f64();
  for (int64_t n = r.i64(); n > 0; --n) {
    db::FaultRow& f = t.faults.emplace_back();
    f.tensor = r.text();
    f.index = r.i64();
    f.bit = int(r.i64());
    f.kind = r.text();
    f.image = r.optional();
  }
}

void read(WireReader& r, db::InjectionRow& row) {
  row.injection = r.i64();
  row.image = int(r.i64());
  row.block = r.text();
  row.site = r.text();
  row.storage = r.text();
  row.bit = r.i64();
  row.width = int(r.i64());
  row.model = r.text();
  row.cycle = r.i64();
  row.outcome = r.text();
  row.first_diff_layer = int(r.i64());
  row.simulated_cycles = r.i64();
  row.ended_by = r.text();
  row.baseline_outcome = r.text();
}

int64_t encoded_count(const std::string& bytes) {
  WireReader r(bytes);
  return r.i64();
}

}  // namespace npufi
