#include "reports/gate/gate_input.h"

#include <system_error>

#include "harness/base/errors.h"
#include "harness/base/json_reader.h"
#include "harness/campaign/campaign.h"
#include "reports/json_report.h"

namespace osh::gate {
namespace {

// run_result_from_json names fields; anything else it may throw on odd input (a field of
// another type deep inside) becomes the same kind of error, with the run named.
campaign::RunResult read_run(const nlohmann::json& json, const std::string& origin) {
  try {
    return campaign::run_result_from_json(json, origin);
  } catch (const InputError&) {
    throw;
  } catch (const std::exception& e) {
    throw InputError(origin + ": not a run record of report.json: " + e.what());
  }
}

GateRun with_histograms(campaign::RunResult run, const std::string& origin) {
  auto histograms = stats::load_histograms(run.analysis, origin);
  return {std::move(run), std::move(histograms)};
}

}  // namespace

GateSide side_from_report(const nlohmann::json& report, const std::string& origin) {
  JsonReader r(report, origin);
  const auto version = r.integer("schema_version", 1, INT32_MAX);
  if (!version)
    r.fail("schema_version",
           "missing: this is not an osharness report.json (give the "
           "report.json or the output folder of an `osharness run`)");
  if (*version > reports::kReportSchemaVersion)
    r.fail("schema_version", std::to_string(*version) + " is newer than this osharness reads (" +
                                 std::to_string(reports::kReportSchemaVersion) +
                                 "): compare with the osharness that wrote it");
  const auto* runs = r.raw("runs");
  if (!runs || !runs->is_array())
    r.fail("runs", std::string("expected the array of runs, got ") +
                       (runs ? describe_json(*runs) : "nothing"));
  GateSide side;
  side.origin = origin;
  for (size_t i = 0; i < runs->size(); ++i) {
    const std::string where = origin + ": runs[" + std::to_string(i) + "]";
    side.runs.push_back(with_histograms(read_run((*runs)[i], where), where));
  }
  if (r.boolean("interrupted").value_or(false))
    side.warnings.push_back(origin + ": the campaign was interrupted before every run was done");
  if (!r.boolean("complete").value_or(true))
    side.warnings.push_back(origin + ": the campaign did not finish (no end record)");
  return side;
}

GateSide load_side(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    if (std::filesystem::exists(path / "report.json", ec)) return load_side(path / "report.json");
    const auto journal = path / "journal.jsonl";
    if (!std::filesystem::exists(journal, ec))
      throw InputError(path.string() +
                       " holds neither report.json nor journal.jsonl: give a "
                       "report.json or the output folder of an `osharness run`");
    auto outcome = campaign::read_campaign(journal);
    GateSide side;
    side.origin = journal.string();
    for (auto& run : outcome.runs) {
      const std::string where = side.origin + ": run " + std::to_string(run.index);
      side.runs.push_back(with_histograms(std::move(run), where));
    }
    for (auto& w : outcome.info.warnings) side.warnings.push_back(std::move(w));
    if (outcome.info.interrupted)
      side.warnings.push_back(side.origin + ": the campaign was interrupted");
    for (const auto& why : outcome.info.incomplete)
      side.warnings.push_back(side.origin + ": the campaign is incomplete: " + why);
    return side;
  }
  if (!std::filesystem::exists(path, ec))
    throw InputError(path.string() + ": no such file or folder");
  return side_from_report(load_json_file(path.string()), path.string());
}

GateSide load_sides(const std::vector<std::filesystem::path>& paths) {
  GateSide all;
  for (const auto& path : paths) {
    auto side = load_side(path);
    for (auto& run : side.runs) all.runs.push_back(std::move(run));
    for (auto& w : side.warnings) all.warnings.push_back(std::move(w));
    if (all.origin.empty()) all.origin = side.origin;
  }
  if (paths.size() > 1)
    all.origin += " and " + std::to_string(paths.size() - 1) + " more campaign" +
                  (paths.size() > 2 ? "s" : "");
  return all;
}

}  // namespace osh::gate
