#include "harness/vm/qemu/proc_cpu.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

namespace osh::vm::qemu {
namespace {

TEST(ProcCpu, ParsesUtimeAndStimeAfterTheCommandName) {
  // Fields 14 and 15 are 250 and 50; the command name holds spaces and ") (".
  const std::string stat =
      "4242 (qemu (x) y) S 1 4242 4242 0 -1 4194304 101 0 0 0 250 50 0 0 20 0 5 0 124114 "
      "3133440 412 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";
  EXPECT_EQ(stat_cpu_ticks(stat), 300);
  EXPECT_EQ(stat_cpu_ticks("4242 (qemu) S 1 2"), std::nullopt) << "truncated";
  EXPECT_EQ(stat_cpu_ticks("no parenthesis at all"), std::nullopt);
  EXPECT_EQ(stat_cpu_ticks("1 (x) S 1 1 1 0 -1 0 0 0 0 0 ab 5 0"), std::nullopt);
}

TEST(ProcCpu, ParsesRunDelayFromSchedstat) {
  EXPECT_EQ(schedstat_run_delay_ns("140421 4426977 2\n"), 4426977);
  EXPECT_EQ(schedstat_run_delay_ns("140421\n"), std::nullopt);
  EXPECT_EQ(schedstat_run_delay_ns(""), std::nullopt);
}

TEST(ProcCpu, ReadsThisProcessAndSeesItsCpuTimeGrow) {
  ProcCpuReader reader(::getpid());
  const auto before = reader.read();
  ASSERT_TRUE(before);
  // Spin for 60 ms of this process's own CPU time (not wall time: on a loaded host 60 ms of
  // wall time can be 20 ms of CPU), which /proc reports in clock ticks of 10 ms.
  const auto process_cpu_ns = [] {
    timespec ts{};
    ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
  };
  const int64_t end = process_cpu_ns() + 60'000'000;
  volatile uint64_t sink = 0;
  while (process_cpu_ns() < end) sink = sink + 1;
  const auto after = reader.read();
  ASSERT_TRUE(after);
  EXPECT_GE(after->cpu_ns - before->cpu_ns, 40'000'000);
  EXPECT_GE(after->run_delay_ns, before->run_delay_ns);
}

// Three spinning threads on this machine's two cores wait for a CPU; when they end, their run
// delay must not drop out of the reading (it fell to the main thread's, so a starvation measured
// across a QEMU shutdown came out negative).
TEST(ProcCpu, RunDelayNeverGoesBackWhenTheThreadsThatWaitedEnd) {
  ProcCpuReader reader(::getpid());
  std::atomic<bool> stop = false;
  std::vector<std::thread> spinners;
  const unsigned n = std::max(2u, std::thread::hardware_concurrency()) + 1;
  for (unsigned i = 0; i < n; ++i)
    spinners.emplace_back([&] {
      volatile uint64_t sink = 0;
      while (!stop.load(std::memory_order_relaxed)) sink = sink + 1;
    });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const auto during = reader.read();
  stop = true;
  for (auto& t : spinners) t.join();
  ASSERT_TRUE(during);
  const auto after = reader.read();
  ASSERT_TRUE(after);
  EXPECT_GT(during->run_delay_ns, 0) << "more runnable threads than cores: someone waited";
  EXPECT_GE(after->run_delay_ns, during->run_delay_ns);
}

// The guest needs two of QEMU's threads to run: the vCPU's, and the main loop's, which runs its
// timers and devices (a guest idle in HLT until a timer fires waits on the main loop alone). So
// the reading is the main thread's (tid = pid) wait plus the largest of the others': here this
// process's main thread and its spinners, all made to wait for a CPU, then all made to sleep.
TEST(ProcCpu, RunDelayIsTheMainThreadsWaitPlusTheLargestOtherThreads) {
  std::atomic<bool> stop = false, release = false;
  std::vector<std::thread> spinners;
  std::vector<std::atomic<pid_t>> tids(std::max(2u, std::thread::hardware_concurrency()) + 1);
  for (auto& tid : tids)
    spinners.emplace_back([&] {
      tid = ::gettid();
      volatile uint64_t sink = 0;
      while (!stop.load(std::memory_order_relaxed)) sink = sink + 1;
      while (!release.load()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    });
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(300);
  volatile uint64_t sink = 0;
  while (std::chrono::steady_clock::now() < until) sink = sink + 1;  // the main thread too
  stop = true;
  std::this_thread::sleep_for(std::chrono::milliseconds(20));  // the spinners asleep
  const int64_t main_delay = read_run_delay_ns(::getpid()).value_or(0);
  int64_t other_delay = 0;
  for (const auto& tid : tids)
    other_delay = std::max(other_delay, read_run_delay_ns(tid.load()).value_or(0));
  const auto usage = ProcCpuReader(::getpid()).read();
  release = true;
  for (auto& t : spinners) t.join();
  ASSERT_TRUE(usage);
  ASSERT_GT(main_delay, 0) << "more runnable threads than cores: the main thread waited";
  ASSERT_GT(other_delay, 0);
  EXPECT_GE(usage->run_delay_ns, main_delay + other_delay);
  EXPECT_LT(usage->run_delay_ns, main_delay + other_delay + 20'000'000) << "nothing else added";
}

TEST(ProcCpu, RecognisesQemuVcpuThreadNames) {
  EXPECT_TRUE(is_vcpu_thread_name("CPU 0/TCG\n"));
  EXPECT_TRUE(is_vcpu_thread_name("CPU 12/KVM"));
  EXPECT_FALSE(is_vcpu_thread_name("qemu-system-x86"));
  EXPECT_FALSE(is_vcpu_thread_name("call_rcu"));
  EXPECT_FALSE(is_vcpu_thread_name("CPUfreq"));
}

TEST(ProcCpu, GoneProcessGivesNothing) {
  EXPECT_EQ(ProcCpuReader(0x7ffffff0).read(), std::nullopt);
}

TEST(ProcCpu, AReaderOfAProcessThatEndedGivesNothingOnceItIsReaped) {
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::pause();
    ::_exit(0);
  }
  ProcCpuReader reader(child);
  EXPECT_TRUE(reader.read()) << "its files stay open from here on";
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  EXPECT_EQ(reader.read(), std::nullopt);
}

}  // namespace
}  // namespace osh::vm::qemu
