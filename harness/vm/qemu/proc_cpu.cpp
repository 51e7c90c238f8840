#include "harness/vm/qemu/proc_cpu.h"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace osh::vm::qemu {

namespace {

std::optional<std::string> slurp(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The `index`-th (0-based) space-separated field of `text`, parsed as a non-negative integer.
std::optional<int64_t> field(std::string_view text, size_t index) {
  size_t pos = 0;
  for (size_t i = 0;; ++i) {
    pos = text.find_first_not_of(' ', pos);
    if (pos == std::string_view::npos) return std::nullopt;
    size_t end = text.find_first_of(" \n", pos);
    if (end == std::string_view::npos) end = text.size();
    if (i == index) {
      int64_t value = 0;
      const auto [ptr, ec] = std::from_chars(text.data() + pos, text.data() + end, value);
      if (ec != std::errc() || ptr != text.data() + end || value < 0) return std::nullopt;
      return value;
    }
    pos = end;
  }
}

}  // namespace

std::optional<int64_t> stat_cpu_ticks(std::string_view stat) {
  const size_t paren = stat.rfind(')');
  if (paren == std::string_view::npos) return std::nullopt;
  const std::string_view rest = stat.substr(paren + 1);  // field 3 (state) is rest's field 0
  const auto utime = field(rest, 14 - 3);
  const auto stime = field(rest, 15 - 3);
  if (!utime || !stime) return std::nullopt;
  return *utime + *stime;
}

std::optional<int64_t> schedstat_run_delay_ns(std::string_view schedstat) {
  return field(schedstat, 1);
}

bool is_vcpu_thread_name(std::string_view comm) {
  return comm.starts_with("CPU ") && comm.find('/') != std::string_view::npos;
}

std::optional<int64_t> read_run_delay_ns(pid_t tid) {
  const auto schedstat = slurp("/proc/" + std::to_string(tid) + "/schedstat");
  return schedstat ? schedstat_run_delay_ns(*schedstat) : std::nullopt;
}

std::optional<CpuUsage> read_cpu_usage(pid_t pid) {
  const std::filesystem::path proc = "/proc/" + std::to_string(pid);
  const auto stat = slurp(proc / "stat");
  if (!stat) return std::nullopt;
  const auto ticks = stat_cpu_ticks(*stat);
  if (!ticks) return std::nullopt;
  static const int64_t ticks_per_second = ::sysconf(_SC_CLK_TCK);
  CpuUsage usage;
  usage.cpu_ns = *ticks * (1'000'000'000 / ticks_per_second);
  // The guest makes progress only on its vCPU threads ("CPU 0/TCG", "CPU 1/KVM"): their run
  // delay is the starvation that matters. Summing every thread would count one wait once per
  // waiting thread; other threads count only if QEMU has no named vCPU thread.
  int64_t vcpu_delay = -1, any_delay = 0;
  std::error_code ec;
  for (const auto& task : std::filesystem::directory_iterator(proc / "task", ec)) {
    const auto schedstat = slurp(task.path() / "schedstat");
    if (!schedstat) continue;
    const int64_t delay = schedstat_run_delay_ns(*schedstat).value_or(0);
    any_delay = std::max(any_delay, delay);
    if (const auto comm = slurp(task.path() / "comm"); comm && is_vcpu_thread_name(*comm))
      vcpu_delay = std::max(vcpu_delay, delay);
  }
  usage.run_delay_ns = vcpu_delay >= 0 ? vcpu_delay : any_delay;
  return usage;
}

}  // namespace osh::vm::qemu
