#pragma once
// Host CPU accounting of a process from /proc, to tell a stuck guest (QEMU burning CPU or
// idle) from a starved one (QEMU runnable but waiting for a host CPU).
#include <sys/types.h>

#include <optional>
#include <string_view>
#include <vector>

#include "harness/base/unique_fd.h"
#include "harness/vm/vm.h"

namespace osh::vm::qemu {

// utime + stime (fields 14 and 15, in clock ticks) of a /proc/<pid>/stat line. The command
// name (field 2) may hold spaces and parentheses, so fields are counted after its last ')'.
std::optional<int64_t> stat_cpu_ticks(std::string_view stat);

// run_delay (the second field, ns runnable but not running) of a /proc/.../schedstat line.
std::optional<int64_t> schedstat_run_delay_ns(std::string_view schedstat);

// Whether a thread name (/proc/.../comm) is one of QEMU's vCPU threads: "CPU 0/TCG", "CPU 1/KVM".
bool is_vcpu_thread_name(std::string_view comm);

// run_delay of one thread (a process's main thread: its pid), from /proc/<tid>/schedstat.
std::optional<int64_t> read_run_delay_ns(pid_t tid);

// The CPU accounting of one QEMU process, read again and again (the watchdog samples it ten
// times a second). cpu_ns from /proc/<pid>/stat, which sums every thread including those that
// have exited (QEMU's worker threads come and go); run_delay_ns: the run delay of QEMU's main
// thread (tid = pid: its main loop runs the guest's timers and devices, so a guest idle until a
// timer fires waits on it alone) plus the largest of a vCPU thread, or of any other thread while
// none is named like one (QEMU names its threads only with `-name ...,debug-threads=on`), and
// never less than it was (threads that ended included). Measured under load (docs/specs.md,
// "Criteria under load"): the vCPU's wait alone left most of a recovery's stretch in place.
//
// The files stay open and are re-read from their start: opening /proc files (listing
// /proc/<pid>/task, opening every thread's schedstat and comm) ten times a second per VM was
// most of the harness's own CPU at 64 VMs (docs/performance.md). Threads are looked for once a
// second, and no more once a vCPU thread is found (they live as long as QEMU).
class ProcCpuReader {
 public:
  explicit ProcCpuReader(pid_t pid) : pid_(pid) {}
  pid_t pid() const { return pid_; }
  // nullopt when the process is gone.
  std::optional<CpuUsage> read();

 private:
  struct Thread {
    pid_t tid;
    UniqueFd schedstat;
    bool vcpu;
  };
  void find_threads();

  pid_t pid_;
  UniqueFd stat_;
  std::vector<Thread> threads_;
  bool have_vcpu_ = false;
  std::optional<int64_t> found_ns_;
  int64_t largest_run_delay_ns_ = 0;  // ever read: run_delay_ns never goes back
};

}  // namespace osh::vm::qemu
