#pragma once
// `osharness report --history DIR... --out OUT`: the trend of each spec across several output
// folders (nightly campaigns), written as OUT/history.html, history.md and history.json.
#include <filesystem>
#include <vector>

namespace osh::cli {

// Exit 0 when written. InputError (65) naming the folder for one that is not an osharness
// output folder or holds an incomplete campaign; InfraError (69) when OUT cannot be written.
int history_command(const std::vector<std::filesystem::path>& dirs,
                    const std::filesystem::path& out);

}  // namespace osh::cli
