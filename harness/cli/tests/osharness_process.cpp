#include "harness/cli/tests/osharness_process.h"

#include <unistd.h>

#include <fstream>
#include <sstream>

#include "harness/base/clock.h"

namespace osh::cli::testing {

std::filesystem::path bin_dir() { return OSH_TEST_BIN_DIR; }
std::filesystem::path rayos_kernel() { return bin_dir() / "rayos.elf"; }

Subprocess start_osharness(const std::vector<std::string>& args, const std::filesystem::path& dir) {
  std::vector<std::string> argv = {(bin_dir() / "osharness").string()};
  argv.insert(argv.end(), args.begin(), args.end());
  SpawnOptions options;
  options.stdout_to = Redirect::file(dir / "stdout.txt");
  options.stderr_to = Redirect::file(dir / "stderr.txt");
  return Subprocess::spawn(argv, options);
}

Finished run_osharness(const std::vector<std::string>& args, const std::filesystem::path& dir,
                       std::chrono::seconds limit) {
  const int64_t start = monotonic_ns();
  auto process = start_osharness(args, dir);
  Finished f;
  if (const auto& status = process.wait_for(limit)) {
    f.status = *status;
  } else {
    f.status = process.kill_group();
  }
  f.seconds = static_cast<double>(monotonic_ns() - start) / 1e9;
  f.out = read_file(dir / "stdout.txt");
  f.err = read_file(dir / "stderr.txt");
  return f;
}

nlohmann::json read_json(const std::filesystem::path& path) {
  return nlohmann::json::parse(read_file(path));
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

namespace {

// Fields of /proc/<pid>/stat after the command name: state, ppid, ...
bool read_stat(pid_t pid, std::string& comm, char& state, pid_t& ppid) {
  const std::string stat = read_file("/proc/" + std::to_string(pid) + "/stat");
  const auto open = stat.find('(');
  const auto close = stat.rfind(')');
  if (open == std::string::npos || close == std::string::npos) return false;
  comm = stat.substr(open + 1, close - open - 1);
  std::istringstream rest(stat.substr(close + 2));
  rest >> state >> ppid;
  return static_cast<bool>(rest);
}

}  // namespace

std::vector<pid_t> qemu_children_of(pid_t parent) {
  std::vector<pid_t> out;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const auto name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::string comm;
    char state = 0;
    pid_t ppid = 0;
    const pid_t pid = std::stoi(name);
    if (read_stat(pid, comm, state, ppid) && ppid == parent && state != 'Z' &&
        comm.starts_with("qemu-system"))
      out.push_back(pid);
  }
  return out;
}

bool process_alive(pid_t pid) {
  std::string comm;
  char state = 0;
  pid_t ppid = 0;
  return read_stat(pid, comm, state, ppid) && state != 'Z';
}

}  // namespace osh::cli::testing
