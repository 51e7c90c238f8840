#include "harness/stats/run_histograms.h"

#include "harness/base/errors.h"
#include "harness/base/escape.h"
#include "harness/base/json_reader.h"
#include "harness/stats/histogram_json.h"

namespace osh::stats {

void store_histogram(nlohmann::json& analysis, const std::string& name, const std::string& unit,
                     const Histogram& histogram) {
  analysis["histograms"][name] = {{"unit", unit}, {"histogram", to_json(histogram)}};
}

std::map<std::string, NamedHistogram> load_histograms(const nlohmann::json& analysis,
                                                      const std::string& origin) {
  std::map<std::string, NamedHistogram> out;
  if (!analysis.is_object() || !analysis.contains("histograms")) return out;
  const auto& all = analysis["histograms"];
  if (!all.is_object())
    throw InputError(origin + ": analysis.histograms: expected an object, got " +
                     describe_json(all));
  for (const auto& [name, entry] : all.items()) {
    const std::string path = "analysis.histograms." + escape_text(name);
    JsonReader r(entry, origin, path);
    auto unit = r.string("unit").value_or("");
    const auto* h = r.raw("histogram");
    if (!h) r.fail("histogram", "required field is missing");
    r.reject_unknown();
    out.emplace(name, NamedHistogram{std::move(unit),
                                     histogram_from_json(*h, origin, path + ".histogram")});
  }
  return out;
}

}  // namespace osh::stats
