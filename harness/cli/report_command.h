#pragma once
// `osharness report <out-folder>`: regenerates every report from the folder's journal.
#include <filesystem>
#include <string>

#include "harness/campaign/plugins.h"

namespace osh::cli {

// `report_url`: where the full report will be published, for summary.md's link ("" for none).
int report_command(const std::filesystem::path& out_dir, const std::string& report_url,
                   const campaign::Plugins& plugins);

}  // namespace osh::cli
