#include "os/workloads/fuzz_targets.h"

#include "os/arch/x86_64/cpu.h"
#include "os/core/bug_knobs.h"
#include "os/core/cmdline.h"
#include "os/core/ipc_ring.h"
#include "os/core/params.h"
#include "os/core/syscall_abi.h"
#include "os/core/web/url_round_trip.h"
#include "os/kernel/bugs.h"
#include "os/kernel/compositor.h"
#include "os/kernel/ipc.h"
#include "os/kernel/memory.h"
#include "os/kernel/panic.h"
#include "os/kernel/process.h"
#include "os/kernel/scenario.h"
#include "os/kernel/syscalls.h"

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

// syscall: the system-call layer (os/kernel/syscalls.cpp and what it reaches: user-memory copies,
// mem_map regions, IPC queues, the compositor's calls) driven by a sequence of calls, as a ring-3
// process would make them. The fuzzer calls the gate's handler directly for a process of its own:
// a real address space whose user half holds a window of kWindowPages (every pointer argument
// goes through the same page-table checks as from ring 3), registered as a compositor client. A
// ring-3 fuzz process would cost two task switches per input and run with interrupts on, when the
// coverage map must see the input alone; and a call that blocks or ends the caller would stop
// the fuzzer itself, so exit, yield and sleep are skipped, IPC calls are made non-blocking and
// event_wait never waits. log is skipped too: one console line per call would flood the serial
// port. Each input starts from the same state: a fresh, zeroed window holding the input's bytes,
// no queues, no surfaces, buffers or drags, no other mem_map regions.
//
// Encoding: one byte per call (its number modulo 32; 23-31 are past the table), then one
// argument per parameter the call has (2 for numbers past the table), each a tag byte:
//   00vvvvvv  the value v (63: the previous call's result, as the id of what it created; time's
//             reading is not kept)
//   01vvvvvv  a pointer into the window, v * 128 bytes from its start
//   10......  the 4 bytes that follow (little-endian)
//   11......  the 8 bytes that follow
// Bytes missing at the end of the input read as 0.
constexpr uint64_t kWindowPages = 2;
constexpr uint64_t kPointerStep = kWindowPages * abi::kPageSize / 64;
constexpr uint8_t kPreviousResult = 63;
constexpr size_t kMaxMaps = 8;
constexpr uint8_t kArgCounts[abi::kSyscallCount] = {1, 0, 1, 0, 2, 1, 2, 1, 4, 4, 1, 0,
                                                    0, 1, 2, 3, 1, 2, 3, 2, 2, 2, 2};

constinit kernel::Process syscall_process{};

bool prepare_syscalls() {
  kernel::CompositorOptions options;  // a small screen: the fuzzer composes no frames
  options.width = 64;
  options.height = 48;
  options.max_buffers = 8;
  options.max_buffer_bytes = 64 * 1024;
  if (!kernel::compositor_start(options)) return false;
  syscall_process.user = true;
  syscall_process.pid = kFuzzPid;
  syscall_process.name = "syscall_fuzz";
  syscall_process.quota.max_pages = 64;
  return syscall_process.space.create();
}

class CallDecoder : public InputReader {
 public:
  CallDecoder(const uint8_t* data, size_t size, uint64_t window)
      : InputReader(data, size), window_(window) {}
  uint64_t argument(int64_t previous) {
    const uint8_t tag = byte();
    switch (tag >> 6) {
      case 0:
        return (tag & 63) == kPreviousResult ? static_cast<uint64_t>(previous) : tag & 63;
      case 1:
        return window_ + (tag & 63) * kPointerStep;
      default: {
        const int bytes = tag >> 6 == 2 ? 4 : 8;
        uint64_t value = 0;
        for (int i = 0; i < bytes; ++i) value |= uint64_t{byte()} << (8 * i);
        return value;
      }
    }
  }

 private:
  uint64_t window_;
};

void run_syscalls(const uint8_t* data, size_t size) {
  kernel::Process& p = syscall_process;
  compositor::Compositor& compositor = kernel::compositor_core();
  compositor.add_client(p.pid);
  uint64_t window = 0;
  if (p.space.map(kWindowPages, p.quota.max_pages, window) != 0 ||
      !copy_to_user(p.space, window, data, size))
    kernel::panic("FUZZ_SETUP", "no_memory_for_the_syscall_window");
  struct Mapped {
    uint64_t address, pages;
  } maps[kMaxMaps];
  size_t map_count = 0;

  CallDecoder decoder(data, size, window);
  int64_t previous = 0;
  while (!decoder.done()) {
    arch::InterruptFrame frame{};
    frame.rax = decoder.byte() % 32;
    uint64_t* const args[] = {&frame.rdi, &frame.rsi, &frame.rdx, &frame.r10, &frame.r8};
    const uint8_t argc = frame.rax < abi::kSyscallCount ? kArgCounts[frame.rax] : 2;
    for (uint8_t i = 0; i < argc; ++i) *args[i] = decoder.argument(previous);
    switch (frame.rax) {
      case abi::kExit:
      case abi::kYield:
      case abi::kSleep:
      case abi::kLog:
        continue;
      case abi::kIpcSend:
      case abi::kIpcRecv:
        frame.r10 |= abi::kIpcNonBlocking;
        break;
      case abi::kEventWait:
        frame.rsi = 0;
        break;
      default:
        break;
    }
    const int64_t result = kernel::syscall_dispatch(p, frame);
    // The clock's reading is no id and would make an input crash or not by when it runs.
    if (frame.rax != abi::kTime) previous = result;
    if (frame.rax == abi::kMemMap && result > 0 && map_count < kMaxMaps)
      maps[map_count++] = {static_cast<uint64_t>(result), frame.rdi};
  }

  for (size_t i = 0; i < map_count; ++i) p.space.unmap(maps[i].address, maps[i].pages, false);
  p.space.unmap(window, kWindowPages, false);
  kernel::close_queues_owned_by(p.pid);
  compositor.remove_client(p.pid, arch::rdtsc());
}

// Each call's number as a word, and values at the edges of 32- and 64-bit arguments (AFL's
// "interesting values").
constexpr StringView kSyscallWords[] = {
    StringView("\x03", 1),
    StringView("\x05\x01", 2),
    StringView("\x06", 1),
    StringView("\x07\x04", 2),
    StringView("\x08\x3f", 2),
    StringView("\x09\x3f", 2),
    StringView("\x0a\x3f", 2),
    StringView("\x0b", 1),
    StringView("\x0c", 1),
    StringView("\x0d\x3f", 2),
    StringView("\x0e", 1),
    StringView("\x0f\x3f", 2),
    StringView("\x10\x3f", 2),
    StringView("\x11", 1),
    StringView("\x12\x3f", 2),
    StringView("\x13", 1),
    StringView("\x14\x3f", 2),
    StringView("\x15\x3f", 2),
    StringView("\x16", 1),
    StringView("\x80\xff\xff\xff\xff", 5),
    StringView("\x80\x00\x00\x00\x80", 5),
    StringView("\xc0\xff\xff\xff\xff\xff\xff\xff\xff", 9),
    StringView("\xc0\x00\xf0\xff\xff\xff\x7f\x00\x00", 9),
};
constexpr StringView kSyscallSeeds[] = {
    // time, getpid, mem_map(1), mem_unmap(that, 1)
    StringView("\x03\x0b\x05\x01\x06\x3f\x01", 7),
    // ipc_create(4), ipc_send(that, window, 5, 0), ipc_close(1)
    StringView("\x07\x04\x08\x3f\x40\x05\x00\x0a\x01", 9),
    // surface_create, buffer_create(4, 4), buffer_write(that, window, 64), surface_attach(1, 1),
    // surface_commit(1, 0, 0), event_wait(window + 128, 0)
    StringView("\x0c\x0e\x04\x04\x0f\x3f\x40\x80\x40\x00\x00\x00\x11\x01\x01"
               "\x12\x01\x00\x00\x13\x41\x00",
               22),
    // surface_create, drag_start(that, 5), drag_finish(that, 1)
    StringView("\x0c\x14\x3f\x05\x15\x3f\x01", 7),
};

// url: rayos's WHATWG URL parser (os/core/web/, the one WPT campaigns run) on an input and an
// optional base, its result serialized and reparsed (os/core/web/url_round_trip.h). A reparse
// that fails (other than too long for rayos's storage) or serializes differently breaks the URL
// Standard's idempotence: a crash, URL_REPARSE_FAILED or URL_REPARSE_CHANGED.
constinit web::UrlRoundTripScratch url_scratch;

void run_url(const uint8_t* data, size_t size) {
  const uint32_t planted =
      kernel::planted(kBugUrlIpv4Reversed) ? uint32_t{kBugUrlIpv4Reversed} : 0u;
  switch (web::check_url_round_trip(StringView(reinterpret_cast<const char*>(data), size),
                                    url_scratch, planted)) {
    case web::UrlRoundTrip::kReparseFailed:
      kernel::panic("URL_REPARSE_FAILED", "the_serialization_did_not_parse");
    case web::UrlRoundTrip::kChanged:
      kernel::panic("URL_REPARSE_CHANGED", "the_serialization_reparsed_to_another");
    default:
      break;
  }
}

// The parser's state changes: scheme ends, authority, host forms (IPv4 numbers, IPv6, opaque),
// dot segments, percent-encoding, the base separator.
constexpr StringView kUrlWords[] = {
    "http://", "https:", "file:", "ws:",       "blob:", "data:", "sc:", "//", "\\",
    "/./",     "/../",   "%2e",   "%",         "@",     ":",     "?",   "#",  "[",
    "]",       "::",     "0x",    "127.0.0.1", "xn--",  "\n",    "\t",
};
// Inputs of the pinned WPT urltestdata.json (wpt/data/url/resources) and one of their kind (the
// "/." a path starting "//" needs): an input, then a newline and a base. No IPv4 host: the
// planted url_ipv4_reversed is the fuzzer's to find (the dictionary has an address).
constexpr StringView kUrlSeeds[] = {
    "http://example\t.\norg\nhttp://example.org/foo/bar",
    "http://user:pass@foo:21/bar;par?b#c",
    "//server/file\nfile:///tmp/mock/path",
    "/..//localhost//pig\nfile://lion/",
    "http://[1:0::]\nhttp://example.net/",
    "sc://%/",
    "non-spec:/.//p",
    "../i\nsc:/pa/pa",
    "a:\t foo.com",
};

constexpr FuzzTarget kCmdline{"cmdline",
                              {kCmdlineWords, sizeof kCmdlineWords / sizeof kCmdlineWords[0]},
                              kCmdlineSeeds,
                              sizeof kCmdlineSeeds / sizeof kCmdlineSeeds[0],
                              run_cmdline};
constexpr FuzzTarget kIpc{"ipc",
                          {kIpcWords, sizeof kIpcWords / sizeof kIpcWords[0]},
                          kIpcSeeds,
                          sizeof kIpcSeeds / sizeof kIpcSeeds[0],
                          run_ipc};
constexpr FuzzTarget kSyscall{
    "syscall",     {kSyscallWords, sizeof kSyscallWords / sizeof kSyscallWords[0]},
    kSyscallSeeds, sizeof kSyscallSeeds / sizeof kSyscallSeeds[0],
    run_syscalls,  prepare_syscalls};
constexpr FuzzTarget kUrl{"url",
                          {kUrlWords, sizeof kUrlWords / sizeof kUrlWords[0]},
                          kUrlSeeds,
                          sizeof kUrlSeeds / sizeof kUrlSeeds[0],
                          run_url};

}  // namespace

const StringView kFuzzTargetNames[kFuzzTargetCount] = {"cmdline", "ipc",        "syscall",
                                                       "url",     "compositor", "elf"};

const FuzzTarget* const kFuzzTargets[kFuzzTargetCount] = {
    &kCmdline, &kIpc, &kSyscall, &kUrl, &kCompositorFuzzTarget, &kElfFuzzTarget};

HeldMemory held_memory() {
  return HeldMemory{kernel::frames().stats().used() - kernel::kernel_heap().stats().pages,
                    kernel::committed_pages(), kernel::kernel_heap().stats().live_blocks};
}

void panic_on_leak(const HeldMemory& before) {
  const HeldMemory now = held_memory();
  if (now.frames_outside_the_heap != before.frames_outside_the_heap)
    kernel::panic("FUZZ_LEAK", "frames");
  if (now.committed_pages != before.committed_pages) kernel::panic("FUZZ_LEAK", "committed_pages");
  if (now.heap_blocks != before.heap_blocks) kernel::panic("FUZZ_LEAK", "heap_blocks");
}

}  // namespace rayos::workloads
