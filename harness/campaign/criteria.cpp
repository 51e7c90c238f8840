#include "harness/campaign/criteria.h"

#include <cctype>
#include <charconv>
#include <cmath>

#include "harness/base/errors.h"

namespace osh::campaign {
namespace {

bool is_metric_char(char c) {
  return std::islower(static_cast<unsigned char>(c)) ||
         std::isdigit(static_cast<unsigned char>(c)) || c == '_' || c == '.';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace

Criterion parse_criterion(std::string_view text, const std::string& what) {
  const auto fail = [&](const std::string& problem) -> InputError {
    return InputError(what + ": criterion \"" + std::string(text) + "\": " + problem +
                      " (expected <metric> <op> <number>, e.g. \"latency_us.p99 <= 100000\")");
  };
  std::string_view s = trim(text);
  size_t i = 0;
  while (i < s.size() && is_metric_char(s[i])) ++i;
  Criterion c;
  c.text = std::string(s);
  c.metric = std::string(s.substr(0, i));
  if (c.metric.empty()) throw fail("it must start with a metric name");
  if (!std::islower(static_cast<unsigned char>(c.metric.front())) || c.metric.back() == '.' ||
      c.metric.find("..") != std::string::npos)
    throw fail("bad metric name \"" + c.metric + "\"");
  s = trim(s.substr(i));
  static constexpr std::pair<std::string_view, CompareOp> kOps[] = {
      {"<=", CompareOp::LessEqual}, {">=", CompareOp::GreaterEqual}, {"==", CompareOp::Equal},
      {"!=", CompareOp::NotEqual},  {"<", CompareOp::Less},          {">", CompareOp::Greater}};
  bool found = false;
  for (const auto& [token, op] : kOps) {
    if (s.starts_with(token)) {
      c.op = op;
      s = trim(s.substr(token.size()));
      found = true;
      break;
    }
  }
  if (!found) throw fail("missing comparison operator (< <= > >= == !=)");
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), c.bound);
  if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(c.bound))
    throw fail("\"" + std::string(s) + "\" is not a finite number");
  return c;
}

bool holds(CompareOp op, double value, double bound) {
  switch (op) {
    case CompareOp::Less:
      return value < bound;
    case CompareOp::LessEqual:
      return value <= bound;
    case CompareOp::Greater:
      return value > bound;
    case CompareOp::GreaterEqual:
      return value >= bound;
    case CompareOp::Equal:
      return value == bound;
    case CompareOp::NotEqual:
      return value != bound;
  }
  return false;
}

CriterionResult evaluate(const Criterion& criterion, const std::map<std::string, double>& metrics) {
  CriterionResult r{criterion.text, criterion.metric, std::nullopt, criterion.bound, false};
  r.load_sensitive = criterion.load_sensitive;
  if (const auto it = metrics.find(criterion.metric); it != metrics.end()) {
    r.value = it->second;
    r.passed = !std::isnan(it->second) && holds(criterion.op, it->second, criterion.bound);
  }
  return r;
}

}  // namespace osh::campaign
