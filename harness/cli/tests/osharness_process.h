#pragma once
// Runs the real osharness binary for end-to-end tests and reads what it wrote.
#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "harness/base/subprocess.h"
#include "harness/base/testing/temp_dir.h"

namespace osh::cli::testing {

// build/bin, where osharness and rayos.elf are.
std::filesystem::path bin_dir();
std::filesystem::path rayos_kernel();

using TempDir = osh::test_support::TempDir;

struct Finished {
  ExitStatus status;
  std::string out;  // stdout
  std::string err;  // stderr
  double seconds = 0;
};

// Starts `osharness args...` with stdout/stderr captured in `dir`.
Subprocess start_osharness(const std::vector<std::string>& args, const std::filesystem::path& dir);
// Runs it to completion (killing it after `limit`).
Finished run_osharness(const std::vector<std::string>& args, const std::filesystem::path& dir,
                       std::chrono::seconds limit = std::chrono::seconds(300));

nlohmann::json read_json(const std::filesystem::path& path);
std::string read_file(const std::filesystem::path& path);

// PIDs of live (not zombie) qemu-system processes whose parent is `parent`.
std::vector<pid_t> qemu_children_of(pid_t parent);
// Whether `pid` still names a live, non-zombie process.
bool process_alive(pid_t pid);

}  // namespace osh::cli::testing
