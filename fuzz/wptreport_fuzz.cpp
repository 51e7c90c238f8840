// The reader of a wptreport.json's results (test_result_from_json, which `osharness wpt update`
// uses on reports a user passes it), on arbitrary bytes parsed as the file readers parse them:
// each result either survives its own round trip or gives an osh::InputError naming the file.
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "harness/base/errors.h"
#include "harness/base/json_reader.h"
#include "wpt/results.h"

namespace {

constexpr std::string_view kOrigin = "wptreport.json";

void check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string origin(kOrigin);
  try {
    const nlohmann::json report =
        osh::parse_json(std::string_view(reinterpret_cast<const char*>(data), size), origin);
    if (!report.is_object() || !report.contains("results") || !report["results"].is_array())
      return 0;
    for (const nlohmann::json& result : report["results"]) {
      const nlohmann::json again =
          osh::wpt::to_json(osh::wpt::test_result_from_json(result, origin));
      check(osh::wpt::to_json(osh::wpt::test_result_from_json(again, origin)) == again);
    }
  } catch (const osh::InputError& e) {
    check(std::string_view(e.what()).substr(0, kOrigin.size()) == kOrigin);
  }
  return 0;
}
