#include "harness/cli/parse_command.h"

#include "harness/base/errors.h"
#include "harness/base/escape.h"
#include "harness/base/paths.h"
#include "harness/campaign/kernel_crashes.h"
#include "harness/campaign/ktap_tests.h"
#include "harness/cli/console_times_listing.h"
#include "harness/marker/scan_file.h"
#include "harness/marker/scan_report.h"
#include "harness/marker/schema.h"

namespace osh::cli {
namespace {

marker::Schema load_schema(const ParseArgs& args) {
  if (args.schema && *args.schema == "none") return marker::Schema::permissive(args.marker_prefix);
  if (args.schema) return marker::Schema::load(*args.schema);
  const auto installed = install_dir() / "rayos.schema.json";
  std::error_code ec;
  if (!std::filesystem::exists(installed, ec)) {
    throw InputError(installed.string() +
                     ": no marker schema installed next to osharness (build the rayos guest, "
                     "pass --schema FILE, or --schema none to parse schema-less)");
  }
  return marker::Schema::load(installed);
}

const oslog::CrashTable* crash_table(const ParseArgs& args) {
  if (args.crash_reports == "none") return nullptr;
  const auto* table = oslog::CrashTable::builtin(args.crash_reports);
  if (!table)
    throw UsageError("--crash-reports " + args.crash_reports + ": no such crash table (known: " +
                     oslog::CrashTable::builtin_names() + ", or none)");
  return table;
}

void write_kernel_reports(std::ostream& out, const std::vector<oslog::KernelReport>& reports) {
  if (reports.empty()) return;
  out << "\nkernel reports (" << reports.size() << "):\n";
  for (const auto& r : reports) {
    out << "  lines " << r.first_line << "-" << r.last_line << ": "
        << (r.verdict == oslog::ReportVerdict::Crash ? "CRASH " : "WARNING ")
        << escape_text(r.title) << " [" << r.kind << "]\n";
    for (size_t i = 0; i < r.frames.size() && i < 8; ++i)
      out << "    #" << i << " " << escape_text(r.frames[i].function) << "\n";
  }
}

int parse_ktap(const ParseArgs& args, const marker::Schema& schema, std::ostream& out) {
  campaign::KtapTests ktap;
  marker::scan_file(args.log, schema, {}, args.max_bytes, {&ktap});
  const oslog::KtapTest main = oslog::parse_ktap(ktap.extractor().lines());
  if (args.json) {
    out << campaign::ktap_json(main).dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
        << "\n";
  } else {
    out << escape_text(args.log.string()) << "\n";
    campaign::write_ktap_text(out, main);
  }
  return main.status == oslog::KtapStatus::Success || main.status == oslog::KtapStatus::Skipped ? 0
                                                                                                : 1;
}

}  // namespace

int run_parse(const ParseArgs& args, std::ostream& out) {
  if (args.format != "markers" && args.format != "ktap")
    throw UsageError("--format " + args.format + ": expected markers or ktap");
  const oslog::CrashTable* table = crash_table(args);
  const marker::Schema schema = load_schema(args);
  if (args.times && (args.json || args.format != "markers"))
    throw UsageError(
        "--times lists the lines of a markers parse as text: leave out --json and "
        "--format ktap");
  if (args.format == "ktap") return parse_ktap(args, schema, out);
  marker::StreamOptions options;
  options.max_problems_kept = args.max_problems;
  std::optional<campaign::KernelCrashes> crashes;
  std::vector<marker::MarkerObserver*> observers;
  if (table) observers.push_back(&crashes.emplace(*table, campaign::WarningPolicy::Fail));
  const marker::ScanSummary summary =
      marker::scan_file(args.log, schema, options, args.max_bytes, observers);
  const std::vector<oslog::KernelReport> reports =
      crashes ? crashes->close() : std::vector<oslog::KernelReport>{};
  const marker::ScanReportContext context{args.log.string(), schema.origin(), args.max_problems};
  if (args.json) {
    auto j = marker::scan_json(summary, context);
    j["kernel_reports"] = campaign::kernel_reports_json(reports);
    out << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  } else {
    marker::write_scan_text(out, summary, context);
    write_kernel_reports(out, reports);
    if (args.times) write_console_times(args.log, args.log.parent_path() / "console.times", out);
  }
  return marker::scan_clean(summary) && reports.empty() ? 0 : 1;
}

}  // namespace osh::cli
