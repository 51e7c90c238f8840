#pragma once
// The criteria language of campaign specs: one comparison of a measured metric with a bound,
//   <metric> <op> <number>      e.g. "markers.lost == 0", "boot_ms <= 200", "fps.min >= 58"
// with op one of < <= > >= == !=. Metric names are dotted lower-case words. A criterion whose
// metric was not measured in a run fails, naming the metric (a bound is never assumed to hold).
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace osh::campaign {

enum class CompareOp : unsigned char { Less, LessEqual, Greater, GreaterEqual, Equal, NotEqual };

struct Criterion {
  std::string text;  // as written in the spec, for messages
  std::string metric;
  CompareOp op = CompareOp::LessEqual;
  double bound = 0;
  // On a metric in host wall time (MetricInfo::Clock::HostWall): a loaded host can fail it, and
  // its result says so.
  bool load_sensitive = false;
};

// Throws osh::InputError("<what>: ...") describing the syntax problem and the expected form.
Criterion parse_criterion(std::string_view text, const std::string& what);

bool holds(CompareOp op, double value, double bound);

struct CriterionResult {
  std::string text;
  std::string metric;
  std::optional<double> value;  // nullopt: not measured
  double bound = 0;
  bool passed = false;
  // False for a performance target of a run under software emulation (Spec::targets): it is
  // measured and reported, but what it measures there is the host's emulation speed.
  bool gating = true;
  bool load_sensitive = false;  // Criterion::load_sensitive
};

CriterionResult evaluate(const Criterion& criterion, const std::map<std::string, double>& metrics);

}  // namespace osh::campaign
