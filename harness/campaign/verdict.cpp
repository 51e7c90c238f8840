#include "harness/campaign/verdict.h"

#include <array>

namespace osh::campaign {
namespace {

struct VerdictInfo {
  Verdict verdict;
  std::string_view name;
  int exit_code;
  int severity;
};

constexpr std::array<VerdictInfo, 7> kVerdicts{{
    {Verdict::Pass, "PASS", 0, 0},
    {Verdict::Fail, "FAIL", 1, 3},
    {Verdict::Crash, "CRASH", 2, 6},
    {Verdict::Hang, "HANG", 3, 5},
    {Verdict::Timeout, "TIMEOUT", 4, 4},
    {Verdict::InfraError, "INFRA_ERROR", 69, 2},
    {Verdict::Flaky, "FLAKY", 5, 1},
}};

const VerdictInfo& info(Verdict verdict) { return kVerdicts[static_cast<size_t>(verdict)]; }

}  // namespace

std::string_view to_string(Verdict verdict) { return info(verdict).name; }

std::optional<Verdict> verdict_from_string(std::string_view text) {
  for (const auto& v : kVerdicts)
    if (v.name == text) return v.verdict;
  return std::nullopt;
}

int exit_code(Verdict verdict) { return info(verdict).exit_code; }

int severity(Verdict verdict) { return info(verdict).severity; }

Verdict worst(Verdict a, Verdict b) { return severity(b) > severity(a) ? b : a; }

}  // namespace osh::campaign
