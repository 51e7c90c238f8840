#pragma once
// What `osharness parse` prints about a scanned log: text for people, JSON for tools.
#include <cstddef>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

#include "harness/marker/scan_file.h"

namespace osh::marker {

struct ScanReportContext {
  std::string log;     // as the user named it
  std::string schema;  // the schema's origin
  size_t max_problems = 50;
};

// No marker was lost, corrupt or malformed.
bool scan_clean(const ScanSummary& summary);

// Counts, valid markers per CATEGORY:EVENT, then problem lines and sequence gaps in line order
// (the first max_problems, then "... and N more").
void write_scan_text(std::ostream& out, const ScanSummary& summary,
                     const ScanReportContext& context);

// The same as one JSON object.
nlohmann::json scan_json(const ScanSummary& summary, const ScanReportContext& context);

}  // namespace osh::marker
