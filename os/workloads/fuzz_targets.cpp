#include "os/workloads/fuzz_targets.h"

#include "os/core/bug_knobs.h"
#include "os/core/cmdline.h"
#include "os/core/ipc_ring.h"
#include "os/core/params.h"
#include "os/core/syscall_abi.h"
#include "os/kernel/bugs.h"
#include "os/kernel/ipc.h"
#include "os/kernel/panic.h"
#include "os/kernel/scenario.h"

namespace rayos::workloads {
namespace {

// cmdline: the kernel command line and the shell's `run` lines (os/core/cmdline.cpp), and each
// request's parameters checked against the scenario it names (os/core/params.cpp), as the
// kernel does with the line QEMU passes it.
constexpr StringView kCmdlineWords[] = {
    "osh.scenario=", "osh.seed=",  "osh.bug=", "run ",    "metrics", "virtio_mmio.device=",
    "leak_on_exit",  "no_preempt", ",",        "=",       " ",       "18446744073709551615",
    "flood",         "stress",     "type=",    "levels=", "count=",
};
constexpr StringView kCmdlineSeeds[] = {
    "osh.scenario=flood osh.seed=42 count=1000",
    "run stress type=cpu levels=10,50 osh.bug=no_preempt",
    "osh.scenario=hello virtio_mmio.device=512@0xfeb00000:12 osh.seed=7 x=1",
    "metrics",
};

void check_params(const RunRequest& request) {
  const kernel::Scenario* scenario = kernel::find_scenario(request.scenario);
  if (scenario == nullptr) return;
  uint64_t values[kernel::kMaxScenarioParams];
  TextBuffer error;
  resolve_params(scenario->params, scenario->param_count, request.params, request.param_count,
                 values, error);
}

void run_cmdline(const uint8_t* data, size_t size) {
  const StringView text(reinterpret_cast<const char*>(data), size);
  const uint32_t planted =
      kernel::planted(kBugCmdlineSeedOffByOne) ? uint32_t{kBugCmdlineSeedOffByOne} : 0u;
  RunRequest request;
  TextBuffer error;
  if (parse_cmdline(text, request, error, planted)) check_params(request);
  error.clear();
  if (parse_shell_line(text, 1, request, error, planted) == ShellLine::kRun) check_params(request);
}

// ipc: the kernel's IPC queues (os/kernel/ipc.cpp on os/core/ipc_ring.cpp) driven by a sequence
// of operations, one byte each (low 2 bits: create, send, receive, close; the next 2: which of 4
// queues), create and send followed by their argument bytes. Nothing but a bug in the queues can
// damage a ring here, so a queue that fails its integrity check is a crash, as KASAN would
// report a use of freed memory: the kernel heap poisons what it frees.
constexpr uint32_t kFuzzPid = 0xfff0;  // an owner no process has
constexpr size_t kQueues = 4;

void check(int64_t result) {
  if (result == abi::kErrCorrupt)
    kernel::panic("IPC_CORRUPT", "a_queue_failed_its_integrity_check");
}

void run_ipc(const uint8_t* data, size_t size) {
  uint32_t ids[kQueues] = {};
  uint8_t buffer[IpcRing::kMaxMessage];
  for (size_t pos = 0; pos < size;) {
    const uint8_t op = data[pos++];
    uint32_t& id = ids[(op >> 2) % kQueues];
    switch (op & 3) {
      case 0: {
        const uint64_t capacity = pos < size ? data[pos++] % 8 + 1 : 1;
        const int64_t r = kernel::ipc_create(kFuzzPid, capacity);
        if (r >= 0) id = static_cast<uint32_t>(r);
        break;
      }
      case 1: {
        size_t length = pos < size ? data[pos++] % (IpcRing::kMaxMessage + 2) : 0;
        if (length > size - pos) length = size - pos;
        check(kernel::ipc_send(id, data + pos, length, false));
        pos += length;
        break;
      }
      case 2:
        check(kernel::ipc_recv(id, buffer, sizeof buffer, false));
        break;
      default:
        kernel::ipc_close(id, kFuzzPid);
        break;
    }
  }
  kernel::close_queues_owned_by(kFuzzPid);
}

// Operations as the dictionary's words: create queue 0, a send of "ping", receive, close.
constexpr StringView kIpcWords[] = {StringView("\x00\x01", 2),
                                    StringView("\x01\x04"
                                               "ping",
                                               6),
                                    StringView("\x02", 1), StringView("\x03", 1)};
constexpr StringView kIpcSeeds[] = {
    // create 0 (capacity 4), send 0 "hello", receive 0, close 0
    StringView("\x00\x03\x01\x05"
               "hello"
               "\x02\x03",
               11),
    // create 0, create 1 (capacity 2), send 1 "abc", receive 1, close 1
    StringView("\x00\x00\x04\x01\x05\x03"
               "abc"
               "\x06\x07",
               11),
};

}  // namespace

const StringView kFuzzTargetNames[kFuzzTargetCount] = {"cmdline", "ipc"};

const FuzzTarget kFuzzTargets[kFuzzTargetCount] = {
    {"cmdline",
     {kCmdlineWords, sizeof kCmdlineWords / sizeof kCmdlineWords[0]},
     kCmdlineSeeds,
     sizeof kCmdlineSeeds / sizeof kCmdlineSeeds[0],
     run_cmdline},
    {"ipc",
     {kIpcWords, sizeof kIpcWords / sizeof kIpcWords[0]},
     kIpcSeeds,
     sizeof kIpcSeeds / sizeof kIpcSeeds[0],
     run_ipc},
};

}  // namespace rayos::workloads
