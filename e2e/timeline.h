#pragma once
// Timelines (docs/e2e.md): what a spec's `timeline` section says about the order and spacing of
// an integration scenario's events, and the check of those rules against the events the guest
// reported (RAYOS_INTEGRATION markers, each stamped with the guest's own clock). Pure logic: the
// run hook (timeline_hook.h) feeds it.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace osh::e2e {

// One rule, from its text in the spec:
//   "A before B"            A happens, B happens, and A's first time is before B's first time
//   "B within N ms of A"    every A is followed (at or after it) by a B at most N ms later
//   "A exactly once"        A happens exactly once
//   "A never after B"       no A happens after B's first time (B need not happen)
// Names are milestones, or `start` / `complete` for the scenario's SCENARIO_START / _COMPLETE.
// Events at the same time are in the order the guest printed them.
struct TimelineRule {
  enum class Kind : uint8_t { Before, Within, ExactlyOnce, NeverAfter };
  Kind kind = Kind::Before;
  std::string a, b;  // ExactlyOnce uses only a
  double within_ms = 0;
  std::string text;  // as written in the spec, for findings
};

struct TimelineSpec {
  // Each happens, and their first times are in this order ("A before B" for neighbours).
  std::vector<std::string> milestones;
  std::vector<TimelineRule> rules;
  nlohmann::json to_json() const;
};

// Throws osh::InputError naming `origin`, the field (timeline.rules[2]) and what to write.
TimelineSpec parse_timeline(const nlohmann::json& section, const std::string& origin);
TimelineRule parse_rule(const std::string& text, const std::string& where);

struct TimelineEvent {
  std::string name;  // milestone name, or "start" / "complete"
  double t_ms = 0;   // guest time, from the scenario's start
};

struct Violation {
  std::string rule;                  // the rule's text
  std::string a, b;                  // the two events it names (b empty for "exactly once")
  std::optional<double> a_ms, b_ms;  // their times, when they happened
  std::string message;  // "`paste` at 12.500 ms came before `copy` at 14.000 ms (rule ...)"
};

// Every violated rule (the milestone order first), in spec order.
std::vector<Violation> check_timeline(const TimelineSpec& spec,
                                      const std::vector<TimelineEvent>& events);

nlohmann::json to_json(const Violation& v);

}  // namespace osh::e2e
