#include "guestfuzz/coverage_panel.h"

#include <fmt/format.h>

namespace osh::guestfuzz {
namespace {

std::string percent(size_t part, size_t whole) {
  return whole == 0 ? "" : fmt::format("{:.1f}", 100.0 * static_cast<double>(part) / whole);
}

// The folder every file path starts with, cut from the table (the source tree's root).
std::string common_folder(const std::vector<std::string>& paths) {
  if (paths.empty()) return "";
  std::string prefix = paths.front();
  for (const auto& p : paths) {
    size_t n = 0;
    while (n < prefix.size() && n < p.size() && prefix[n] == p[n]) ++n;
    prefix.resize(n);
  }
  return prefix.substr(0, prefix.rfind('/') + 1);
}

}  // namespace

std::optional<campaign::ReportPanel> coverage_panel(const campaign::CampaignOutcome& outcome) {
  campaign::ReportTable files{
      "Source files",
      {"run", "file", "lines hit", "lines", "% lines", "functions hit", "functions"},
      {false, false, true, true, true, true, true},
      {}};
  campaign::ReportTable summary{"Runs",
                                {"run", "lines hit", "lines", "% lines", "tracefile"},
                                {false, true, true, true, false},
                                {}};
  std::vector<std::string> paths;
  for (const auto& run : outcome.runs) {
    const auto fuzz = run.analysis.find("fuzz");
    if (fuzz == run.analysis.end() || !fuzz->contains("coverage")) continue;
    for (const auto& f : (*fuzz)["coverage"].value("files", nlohmann::json::array()))
      paths.push_back(f.value("file", std::string()));
  }
  const std::string root = common_folder(paths);
  for (const auto& run : outcome.runs) {
    const auto fuzz = run.analysis.find("fuzz");
    if (fuzz == run.analysis.end() || !fuzz->contains("coverage")) continue;
    const auto& c = (*fuzz)["coverage"];
    const std::string name = fmt::format("{} (seed {})", run.name, run.seed);
    for (const auto& f : c.value("files", nlohmann::json::array())) {
      const auto lines = f.value("lines_found", size_t{0}), hit = f.value("lines_hit", size_t{0});
      files.rows.push_back({name, f.value("file", std::string()).substr(root.size()),
                            std::to_string(hit), std::to_string(lines), percent(hit, lines),
                            std::to_string(f.value("functions_hit", size_t{0})),
                            std::to_string(f.value("functions_found", size_t{0}))});
    }
    const auto lines = c.value("lines_found", size_t{0}), hit = c.value("lines_hit", size_t{0});
    summary.rows.push_back({name, std::to_string(hit), std::to_string(lines), percent(hit, lines),
                            c.value("tracefile", std::string())});
  }
  if (summary.rows.empty()) return std::nullopt;
  const std::string note =
      "The source lines of the fuzzed code (rayos's RAYOS_FUZZED_SOURCES) that the guest ran, "
      "from its counts per instrumented block mapped through the kernel's DWARF line table" +
      (root.empty() ? std::string() : " (paths below " + root + ")") +
      ". Each run's coverage.info is an lcov tracefile: genhtml renders it line by line.";
  return campaign::ReportPanel{.id = "fuzz-coverage",
                               .title = "Fuzz line coverage",
                               .notes = {note},
                               .tables = {summary, std::move(files)},
                               .summary = summary};
}

}  // namespace osh::guestfuzz
