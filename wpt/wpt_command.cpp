#include "wpt/wpt_command.h"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>

#include "harness/base/errors.h"
#include "harness/base/json_reader.h"
#include "harness/campaign/campaign.h"
#include "wpt/catalog.h"
#include "wpt/data_manifest.h"
#include "wpt/expectations.h"

namespace osh::wpt {
namespace {

// The runs' results in `path`: per run from an output folder's journal, or one list from a
// wptreport.json.
std::vector<std::vector<TestResult>> read_results(const std::filesystem::path& path) {
  std::vector<std::vector<TestResult>> runs;
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    const auto outcome = campaign::read_campaign(path / "journal.jsonl");
    for (const auto& run : outcome.runs) {
      const auto it = run.analysis.find("wpt");
      if (it == run.analysis.end()) continue;
      std::vector<TestResult> results;
      const std::string origin = (path / "journal.jsonl").string() + ": run " +
                                 std::to_string(run.index) + ": analysis.wpt.results";
      for (const auto& r : it->value("results", nlohmann::json::array()))
        results.push_back(test_result_from_json(r, origin));
      runs.push_back(std::move(results));
    }
    if (runs.empty())
      throw InputError(path.string() +
                       ": no run of this campaign ran WPT tests (a spec with a "
                       "`wpt` section, docs/wpt.md)");
    return runs;
  }
  const nlohmann::json report = load_json_file(path.string());
  if (!report.is_object() || !report.contains("results") || !report["results"].is_array())
    throw InputError(path.string() + ": not a wptreport.json (no results[] array)");
  std::vector<TestResult> results;
  for (size_t i = 0; i < report["results"].size(); ++i)
    results.push_back(test_result_from_json(
        report["results"][i], path.string() + ": results[" + std::to_string(i) + "]"));
  runs.push_back(std::move(results));
  return runs;
}

int update(const std::vector<std::filesystem::path>& inputs, const std::filesystem::path& meta) {
  std::vector<std::vector<TestResult>> runs;
  for (const auto& in : inputs)
    for (auto& r : read_results(in)) runs.push_back(std::move(r));
  const auto written = update_expectations(meta, runs);
  std::printf("osharness wpt: %zu run(s) read, %zu expectation file(s) written under %s\n",
              runs.size(), written.size(), meta.c_str());
  for (const auto& f : written) std::printf("  %s\n", f.c_str());
  return 0;
}

int list(const std::filesystem::path& data) {
  load_data_manifest(data);  // the checksums first: a listing of damaged data would mislead
  size_t subtests = 0;
  const auto tests = load_catalog(data);
  for (const auto& t : tests) {
    std::printf("%6zu  %s\n", t.subtests.size(), t.id.c_str());
    subtests += t.subtests.size();
  }
  std::printf("%6zu  subtests in %zu tests\n", subtests, tests.size());
  return 0;
}

int run(const std::vector<std::string>& args) {
  CLI::App app{"osharness wpt — the WPT campaign's own commands (docs/wpt.md)", "osharness wpt"};
  app.require_subcommand(1);
  std::vector<std::filesystem::path> inputs;
  std::filesystem::path meta = "wpt/meta";
  auto* update_cmd = app.add_subcommand(
      "update-expectations",
      "Rewrite the expectations (wptrunner metadata, <meta>/<dir>/<test file>.ini) from results: "
      "every status other than OK / PASS is written, a status seen in only some runs becomes "
      "an intermittent list, the sections of other tests and every disabled: are kept.");
  update_cmd
      ->add_option("results", inputs,
                   "osharness output folders (each run read from the journal) or wptreport.json "
                   "files")
      ->required()
      ->check(CLI::ExistingPath);
  update_cmd->add_option("--meta", meta, "The expectations folder (default wpt/meta)");
  std::filesystem::path data = "wpt/data";
  auto* list_cmd = app.add_subcommand("list", "The WPT tests rayos runs, with their subtests");
  list_cmd->add_option("--data", data, "The pinned WPT data (default wpt/data)");
  try {
    std::vector<std::string> reversed(args.rbegin(), args.rend());
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    std::cout << app.help();
    return 0;
  } catch (const CLI::ParseError& e) {
    throw UsageError(std::string("wpt: ") + e.what() + " (osharness wpt --help)");
  }
  if (*update_cmd) return update(inputs, meta);
  return list(data);
}

}  // namespace

campaign::CommandInfo wpt_command() {
  return {"wpt",
          "The WPT campaign's commands: update-expectations (rewrite wpt/meta from results), "
          "list (the tests rayos runs). `osharness wpt --help` for more.",
          run};
}

}  // namespace osh::wpt
