#pragma once
// `osharness diff A B`: whether two console logs (or the logs of two run folders) are the same
// bytes, and if not, the first marker where they part. Exit 0 same, 1 different.
#include <filesystem>
#include <ostream>
#include <string>

namespace osh::cli {

struct DiffArgs {
  std::filesystem::path a, b;  // console logs or run folders (runs/<run>/)
  std::string prefix = "RAYOS";
};

int diff_command(const DiffArgs& args, std::ostream& out);

}  // namespace osh::cli
