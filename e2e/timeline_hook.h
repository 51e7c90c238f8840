#pragma once
// The `timeline` section of a spec and the run hook that owns it (docs/e2e.md). It reads the
// guest's integration markers — INTEGRATION:SCENARIO_START, MILESTONE, VERIFY, SCENARIO_COMPLETE,
// each stamped with the guest's clock — and at the end of the run FAILs it for every timeline
// rule broken (naming both events, their times and the rule), every VERIFY that failed and a
// scenario that did not start or complete with pass. It keeps the run's timeline in
// analysis["timeline"] and draws it as a chart (milestones on the guest's time axis, violations
// shaded). A scenario that spans a reboot starts again on the next boot with a new clock: its
// timeline goes on from the last time the previous boot stamped, with an event `reboot` there.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "e2e/timeline.h"
#include "harness/campaign/run_hook.h"

namespace osh::e2e {

struct TimelineConfig final : campaign::HookConfig {
  TimelineSpec spec;
  nlohmann::json to_json() const override { return spec.to_json(); }
};

class TimelineHook final : public campaign::RunHook {
 public:
  explicit TimelineHook(TimelineSpec spec) : spec_(std::move(spec)) {}
  void on_marker(const marker::MarkerEvent& event) override;
  void tick(int64_t, campaign::RunControl&) override {}
  int64_t next_tick_ns() const override { return INT64_MAX; }
  void finish(campaign::RunResult& result) override;

 private:
  struct Verify {
    std::string check, detail;
    bool pass = false;
    double t_ms = 0;
  };
  double since_start_ms(uint64_t t_us) const;

  TimelineSpec spec_;
  std::optional<uint64_t> start_us_;  // of this boot's SCENARIO_START
  double boot_offset_ms_ = 0;         // where this boot's clock starts on the timeline
  double last_ms_ = 0;                // the newest time the guest stamped
  std::string scenario_;
  std::optional<std::string> completed_;  // the SCENARIO_COMPLETE result
  std::vector<TimelineEvent> events_;
  std::vector<Verify> verifies_;
};

campaign::RunHookInfo timeline_hook_info();

}  // namespace osh::e2e
