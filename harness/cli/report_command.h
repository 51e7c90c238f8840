#pragma once
// `osharness report <out-folder>`: regenerates every report from the folder's journal.
#include <filesystem>

#include "harness/campaign/plugins.h"

namespace osh::cli {

int report_command(const std::filesystem::path& out_dir, const campaign::Plugins& plugins);

}  // namespace osh::cli
