#include "harness/cli/parse_command.h"

#include "harness/base/errors.h"
#include "harness/base/paths.h"
#include "harness/marker/scan_file.h"
#include "harness/marker/scan_report.h"
#include "harness/marker/schema.h"

namespace osh::cli {
namespace {

marker::Schema load_schema(const ParseArgs& args) {
  if (args.schema && *args.schema == "none") return marker::Schema::permissive("RAYOS");
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

}  // namespace

int run_parse(const ParseArgs& args, std::ostream& out) {
  const marker::Schema schema = load_schema(args);
  marker::StreamOptions options;
  options.max_problems_kept = args.max_problems;
  const marker::ScanSummary summary = marker::scan_file(args.log, schema, options, args.max_bytes);
  const marker::ScanReportContext context{args.log.string(), schema.origin(), args.max_problems};
  if (args.json) {
    out << marker::scan_json(summary, context)
               .dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
        << "\n";
  } else {
    marker::write_scan_text(out, summary, context);
  }
  return marker::scan_clean(summary) ? 0 : 1;
}

}  // namespace osh::cli
