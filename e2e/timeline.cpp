#include "e2e/timeline.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <sstream>

#include "harness/base/errors.h"
#include "harness/base/json_reader.h"

namespace osh::e2e {
namespace {

constexpr const char* kRuleForms =
    "write \"A before B\", \"B within N ms of A\", \"A exactly once\" or \"A never after B\"";

bool is_name(const std::string& s) {
  if (s.empty() || s.size() > 64) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == '-';
  });
}

std::string checked_name(const std::string& s, const std::string& where) {
  if (!is_name(s)) {
    throw InputError(
        fmt::format("{}: \"{}\" is not an event name (1 to 64 of A-Z a-z 0-9 _ . -)", where, s));
  }
  return s;
}

// An event's place: its time, then its position in the stream (events at the same time are in
// the order the guest printed them).
struct Stamp {
  double t;
  size_t index;
  friend bool operator<(const Stamp& x, const Stamp& y) {
    return x.t < y.t || (x.t == y.t && x.index < y.index);
  }
};

std::vector<Stamp> stamps_of(const std::vector<TimelineEvent>& events, const std::string& name) {
  std::vector<Stamp> out;
  for (size_t i = 0; i < events.size(); ++i)
    if (events[i].name == name) out.push_back({events[i].t_ms, i});
  return out;
}

std::string at(const std::string& name, double ms) {
  return fmt::format("`{}` at {:.3f} ms", name, ms);
}

std::optional<double> time_of(const std::vector<Stamp>& s) {
  return s.empty() ? std::nullopt : std::optional(s.front().t);
}

Violation violation(const TimelineRule& r, std::optional<double> a_ms, std::optional<double> b_ms,
                    const std::string& what) {
  return {r.text, r.a, r.b, a_ms, b_ms, fmt::format("{} (rule \"{}\")", what, r.text)};
}

std::optional<Violation> check(const TimelineRule& r, const std::vector<TimelineEvent>& events) {
  const std::vector<Stamp> a = stamps_of(events, r.a);
  const std::vector<Stamp> b = r.b.empty() ? std::vector<Stamp>{} : stamps_of(events, r.b);
  const std::optional<double> a0 = time_of(a), b0 = time_of(b);
  switch (r.kind) {
    case TimelineRule::Kind::Before:
      if (a.empty() || b.empty()) {
        return violation(
            r, a0, b0,
            fmt::format("`{}` never happened", a.empty() ? r.a : r.b) + (a0   ? ", " + at(r.a, *a0)
                                                                         : b0 ? ", " + at(r.b, *b0)
                                                                              : ""));
      }
      if (b.front() < a.front()) {
        return violation(r, a0, b0, fmt::format("{} came after {}", at(r.a, *a0), at(r.b, *b0)));
      }
      return std::nullopt;
    case TimelineRule::Kind::Within:
      if (a.empty()) return violation(r, std::nullopt, b0, fmt::format("`{}` never happened", r.a));
      for (const Stamp& ta : a) {
        auto next = std::find_if(b.begin(), b.end(), [&](const Stamp& tb) { return ta < tb; });
        if (next == b.end()) {
          return violation(r, ta.t, std::nullopt,
                           fmt::format("no `{}` followed {}", r.b, at(r.a, ta.t)));
        }
        if (next->t - ta.t > r.within_ms) {
          return violation(
              r, ta.t, next->t,
              fmt::format("{} came {:.3f} ms after {}, more than {} ms", at(r.b, next->t),
                          next->t - ta.t, at(r.a, ta.t), r.within_ms));
        }
      }
      return std::nullopt;
    case TimelineRule::Kind::ExactlyOnce:
      if (a.size() == 1) return std::nullopt;
      if (a.empty()) {
        return violation(r, std::nullopt, std::nullopt, fmt::format("`{}` never happened", r.a));
      }
      return violation(r, a[0].t, a[1].t,
                       fmt::format("`{}` happened {} times: at {:.3f} ms and again at {:.3f} ms",
                                   r.a, a.size(), a[0].t, a[1].t));
    case TimelineRule::Kind::NeverAfter:
      if (b.empty()) return std::nullopt;
      for (const Stamp& ta : a) {
        if (b.front() < ta) {
          return violation(r, ta.t, b0,
                           fmt::format("{} came after {}", at(r.a, ta.t), at(r.b, *b0)));
        }
      }
      return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace

TimelineRule parse_rule(const std::string& text, const std::string& where) {
  std::istringstream in(text);
  std::vector<std::string> w;
  for (std::string word; in >> word;) w.push_back(word);
  TimelineRule r;
  r.text = text;
  if (w.size() == 3 && w[1] == "before") {
    r.kind = TimelineRule::Kind::Before;
    r.a = checked_name(w[0], where);
    r.b = checked_name(w[2], where);
  } else if (w.size() == 3 && w[1] == "exactly" && w[2] == "once") {
    r.kind = TimelineRule::Kind::ExactlyOnce;
    r.a = checked_name(w[0], where);
  } else if (w.size() == 4 && w[1] == "never" && w[2] == "after") {
    r.kind = TimelineRule::Kind::NeverAfter;
    r.a = checked_name(w[0], where);
    r.b = checked_name(w[3], where);
  } else if (w.size() == 6 && w[1] == "within" && w[3] == "ms" && w[4] == "of") {
    r.kind = TimelineRule::Kind::Within;
    // "B within N ms of A": A is the cause, B must follow it.
    r.b = checked_name(w[0], where);
    r.a = checked_name(w[5], where);
    const char* end = w[2].data() + w[2].size();
    auto [p, ec] = std::from_chars(w[2].data(), end, r.within_ms);
    if (ec != std::errc() || p != end || !(r.within_ms >= 0)) {
      throw InputError(
          fmt::format("{}: \"{}\" is not a number of milliseconds (0 or more)", where, w[2]));
    }
  } else {
    throw InputError(fmt::format("{}: cannot read rule \"{}\"; {}", where, text, kRuleForms));
  }
  if (!r.b.empty() && r.a == r.b) {
    throw InputError(fmt::format("{}: rule \"{}\" names `{}` twice", where, text, r.a));
  }
  return r;
}

TimelineSpec parse_timeline(const nlohmann::json& section, const std::string& origin) {
  if (!section.is_object()) {
    throw InputError(origin + ": timeline: expected an object with \"milestones\" and \"rules\"");
  }
  JsonReader reader(section, origin, "timeline");
  TimelineSpec spec;
  spec.milestones = reader.strings("milestones").value_or(std::vector<std::string>{});
  for (size_t i = 0; i < spec.milestones.size(); ++i) {
    const std::string where = fmt::format("{}: {}[{}]", origin, reader.field_path("milestones"), i);
    checked_name(spec.milestones[i], where);
    for (size_t j = 0; j < i; ++j) {
      if (spec.milestones[j] == spec.milestones[i]) {
        throw InputError(fmt::format("{}: `{}` is listed twice (also milestones[{}])", where,
                                     spec.milestones[i], j));
      }
    }
  }
  const std::vector<std::string> rules =
      reader.strings("rules").value_or(std::vector<std::string>{});
  for (size_t i = 0; i < rules.size(); ++i) {
    spec.rules.push_back(
        parse_rule(rules[i], fmt::format("{}: {}[{}]", origin, reader.field_path("rules"), i)));
  }
  reader.reject_unknown();
  if (spec.milestones.empty() && spec.rules.empty()) {
    throw InputError(origin + ": timeline: needs \"milestones\" or \"rules\" (or leave it out)");
  }
  return spec;
}

nlohmann::json TimelineSpec::to_json() const {
  nlohmann::json rules_json = nlohmann::json::array();
  for (const auto& r : rules) rules_json.push_back(r.text);
  return {{"milestones", milestones}, {"rules", rules_json}};
}

std::vector<Violation> check_timeline(const TimelineSpec& spec,
                                      const std::vector<TimelineEvent>& events) {
  std::vector<Violation> out;
  for (size_t i = 0; i < spec.milestones.size(); ++i) {
    TimelineRule r;
    if (i + 1 < spec.milestones.size()) {
      r.a = spec.milestones[i];
      r.b = spec.milestones[i + 1];
      r.text = r.a + " before " + r.b + " (milestones order)";
    } else if (spec.milestones.size() == 1) {
      // A single milestone: it must happen at all.
      r.a = spec.milestones[0];
      r.b = "complete";
      r.text = r.a + " before complete (milestones)";
    } else {
      break;
    }
    if (auto v = check(r, events)) out.push_back(std::move(*v));
  }
  for (const auto& r : spec.rules)
    if (auto v = check(r, events)) out.push_back(std::move(*v));
  return out;
}

nlohmann::json to_json(const Violation& v) {
  nlohmann::json j = {{"rule", v.rule}, {"a", v.a}, {"b", v.b}, {"message", v.message}};
  if (v.a_ms) j["a_ms"] = *v.a_ms;
  if (v.b_ms) j["b_ms"] = *v.b_ms;
  return j;
}

}  // namespace osh::e2e
