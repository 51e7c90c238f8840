// The readers of the JSON files a user hands back to osharness, on arbitrary bytes: a campaign
// spec (parse_spec), a run record of report.json or journal.jsonl (run_result_from_json), a
// whole report as one side of the gate (side_from_report), a serialized histogram
// (histogram_from_json) and a chart (chart_from_json). Each either gives a value that survives
// its own round trip, or throws osh::InputError naming the file; any other exception (a JSON
// type error, an out_of_range) escapes and libFuzzer reports it.
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "harness/base/errors.h"
#include "harness/base/json_reader.h"
#include "harness/campaign/run_result.h"
#include "harness/campaign/spec.h"
#include "harness/stats/chart.h"
#include "harness/stats/histogram_json.h"
#include "plugins/builtin.h"
#include "reports/gate/gate_input.h"

namespace {

constexpr std::string_view kOrigin = "fuzz.json";

void check(bool ok) {
  if (!ok) std::abort();
}

// Runs `read`; an InputError must name the file, anything else escapes.
template <typename Read>
void expect_clear_error_or_value(Read read) {
  try {
    read();
  } catch (const osh::InputError& e) {
    check(std::string_view(e.what()).substr(0, kOrigin.size()) == kOrigin);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace osh;
  const std::string origin(kOrigin);
  nlohmann::json json;
  try {
    // As the file readers parse (depth bounded); what they refuse never reaches the readers.
    json = parse_json(std::string_view(reinterpret_cast<const char*>(data), size), origin);
  } catch (const InputError& e) {
    check(std::string_view(e.what()).substr(0, kOrigin.size()) == kOrigin);
    return 0;
  }

  expect_clear_error_or_value([&] {
    static const campaign::Plugins plugins = plugins::builtin_plugins();
    const campaign::SpecContext context{plugins, "/nonexistent/bin", 1.0};
    const campaign::Spec spec = campaign::parse_spec(json, origin, "/nonexistent/specs", context);
    const nlohmann::json again = campaign::to_json(spec);
    check(campaign::to_json(campaign::parse_spec(again, origin, "/nonexistent/specs", context)) ==
          again);
  });
  expect_clear_error_or_value([&] {
    const nlohmann::json again = campaign::to_json(campaign::run_result_from_json(json, origin));
    check(campaign::to_json(campaign::run_result_from_json(again, origin)) == again);
  });
  expect_clear_error_or_value([&] { (void)gate::side_from_report(json, origin); });
  expect_clear_error_or_value([&] {
    const nlohmann::json again = stats::to_json(stats::histogram_from_json(json, origin, "h"));
    check(stats::to_json(stats::histogram_from_json(again, origin, "h")) == again);
  });
  expect_clear_error_or_value([&] {
    const nlohmann::json again = stats::to_json(stats::chart_from_json(json, origin));
    check(stats::to_json(stats::chart_from_json(again, origin)) == again);
  });
  return 0;
}
