#pragma once
// `osharness report <out-folder>`: regenerates every report from the folder's journal.
#include <filesystem>

namespace osh::cli {

int report_command(const std::filesystem::path& out_dir);

}  // namespace osh::cli
