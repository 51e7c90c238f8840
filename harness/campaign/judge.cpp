#include "harness/campaign/judge.h"

#include <algorithm>
#include <cstdio>

namespace osh::campaign {
namespace {

std::string measured_text(const CriterionResult& c) {
  char value[64];
  if (c.value) {
    std::snprintf(value, sizeof value, "%g", *c.value);
  } else {
    std::snprintf(value, sizeof value, "not measured");
  }
  return c.metric + " = " + value;
}

// Why a failed criterion on host wall time may be the host's doing, with this run's figure.
std::string load_note(const CriterionResult& c, const RunResult& r) {
  if (!c.load_sensitive) return "";
  std::string note = " (host wall time, load-sensitive";
  if (const auto it = r.metrics.find("starved_ms"); it != r.metrics.end()) {
    char waited[64];
    std::snprintf(waited, sizeof waited, "%g", it->second);
    note += std::string(": QEMU waited ") + waited + " ms for a host CPU in this run";
  }
  return note + ")";
}

}  // namespace

void add_base_metrics(RunResult& r) {
  const auto& m = r.markers;
  r.metrics["duration_ms"] = r.duration_ms;
  r.metrics["markers.total"] = static_cast<double>(m.total);
  r.metrics["markers.lost"] = static_cast<double>(m.lost);
  r.metrics["markers.corrupt"] = static_cast<double>(m.corrupt);
  r.metrics["markers.malformed"] = static_cast<double>(m.malformed);
  r.metrics["markers.noise_lines"] = static_cast<double>(m.noise_lines);
  if (r.exit.guest_exit_code) r.metrics["exit_code"] = *r.exit.guest_exit_code;
}

void add_marker_findings(RunResult& r) {
  const auto& m = r.markers;
  const auto first_of = [&](marker::LineKind kind) -> std::string {
    for (const auto& p : r.problems)
      if (p.kind == kind)
        return " (first at line " + std::to_string(p.line_no) + ": " + p.reason + ")";
    return "";
  };
  if (m.lost)
    r.findings.push_back({Verdict::Fail, std::to_string(m.lost) + " marker(s) lost (sequence gaps)",
                          "FAIL markers-lost"});
  if (m.corrupt)
    r.findings.push_back({Verdict::Fail,
                          std::to_string(m.corrupt) + " corrupt marker(s) (CRC mismatch)" +
                              first_of(marker::LineKind::Corrupt),
                          "FAIL markers-corrupt"});
  if (m.malformed)
    r.findings.push_back({Verdict::Fail,
                          std::to_string(m.malformed) + " malformed marker(s)" +
                              first_of(marker::LineKind::Malformed),
                          "FAIL markers-malformed"});
}

void evaluate_criteria(const Spec& spec, RunResult& r) {
  const bool emulated = r.accel == "tcg";
  const auto check = [&](const std::vector<Criterion>& list, const char* kind, bool gating) {
    for (const auto& c : list) {
      auto result = evaluate(c, r.metrics);
      result.gating = gating;
      if (!result.passed && gating)
        r.findings.push_back({Verdict::Fail,
                              std::string(kind) + " " + c.text +
                                  " failed: " + measured_text(result) + load_note(result, r),
                              std::string("FAIL ") + kind + " " + c.text});
      r.criteria.push_back(std::move(result));
    }
  };
  check(spec.criteria, "criterion", true);
  check(spec.targets, "target", !emulated);
}

void decide_verdict(RunResult& r) {
  // The same finding from two observers (a campaign's analyzer and the lifecycle both read its
  // COMPLETE marker) is listed once.
  for (size_t i = 1; i < r.findings.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (r.findings[j].signature == r.findings[i].signature &&
          r.findings[j].reason == r.findings[i].reason) {
        r.findings.erase(r.findings.begin() + static_cast<std::ptrdiff_t>(i--));
        break;
      }
    }
  }
  // Stable: among findings of the same verdict the first one recorded is the reason.
  std::stable_sort(r.findings.begin(), r.findings.end(), [](const Finding& a, const Finding& b) {
    return severity(a.verdict) > severity(b.verdict);
  });
  if (r.findings.empty()) {
    r.verdict = Verdict::Pass;
    r.reason = "all checks passed";
    r.signature = "PASS";
    // A missed target that did not gate still has to be visible where people read the verdict.
    std::string missed;
    for (const auto& c : r.criteria)
      if (!c.passed && !c.gating)
        missed += (missed.empty() ? "" : ", ") + measured_text(c) + " (target " + c.text + ")";
    if (!missed.empty()) r.reason += "; missed under TCG, not gating: " + missed;
  } else {
    r.verdict = r.findings.front().verdict;
    r.reason = r.findings.front().reason;
    r.signature = r.findings.front().signature;
  }
}

void judge(const Spec& spec, RunResult& r) {
  add_base_metrics(r);
  add_marker_findings(r);
  evaluate_criteria(spec, r);
  decide_verdict(r);
}

}  // namespace osh::campaign
