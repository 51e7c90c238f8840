#pragma once
// Every run ends in exactly one verdict (docs/specs.md, "Verdicts"), each with its own CLI exit
// code.
#include <optional>
#include <string>
#include <string_view>

namespace osh::campaign {

enum class Verdict : unsigned char { Pass, Fail, Crash, Hang, Timeout, InfraError, Flaky };
// Every verdict, in the enum's order.
inline constexpr Verdict kAllVerdicts[] = {Verdict::Pass, Verdict::Fail,    Verdict::Crash,
                                           Verdict::Hang, Verdict::Timeout, Verdict::InfraError,
                                           Verdict::Flaky};

std::string_view to_string(Verdict verdict);  // "PASS", "INFRA_ERROR", ...
std::optional<Verdict> verdict_from_string(std::string_view text);

// 0 PASS, 1 FAIL, 2 CRASH, 3 HANG, 4 TIMEOUT, 5 FLAKY, 69 INFRA_ERROR.
int exit_code(Verdict verdict);

// How bad a verdict is, for "the worst of several runs": a product failure outranks an
// infrastructure error, which outranks a flaky pass. CRASH > HANG > TIMEOUT > FAIL >
// INFRA_ERROR > FLAKY > PASS.
int severity(Verdict verdict);
Verdict worst(Verdict a, Verdict b);

// CLI exit codes that are not verdicts.
inline constexpr int kExitUsage = 64;
inline constexpr int kExitBadInput = 65;

}  // namespace osh::campaign
