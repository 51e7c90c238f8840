#pragma once
// Planted bugs: `osh.bug=<name>[,<name>...]` on the command line (or a shell `run` line) turns on
// real defects in kernel code paths, so that the in-guest tests can be shown to fail — each knob
// breaks one mechanism and the tests that check it must say so. Off unless asked for.
#include <stdint.h>

#include "os/core/string_view.h"
#include "os/core/text_buffer.h"

namespace rayos {

enum BugKnob : uint32_t {
  kBugLeakOnExit = 1u << 0,    // a process that calls exit() keeps its page-table frames
  kBugNoCycleCheck = 1u << 1,  // workflow validation skips the cycle check
  kBugNoPreempt = 1u << 2,     // the timer never preempts a running task
  // failure_crashes waits for the killed client to register again instead of starting its
  // replacement, so each recovery ends only when that wait times out, past the recovery deadline
  kBugHangClientRecovery = 1u << 3,
  // the DHCP client's REQUEST carries the offer's xid + 1 (RFC 2131: the same xid)
  kBugDhcpWrongXid = 1u << 4,
  // the DHCP client's REQUEST leaves out the server identifier (option 54) it must carry
  kBugDhcpNoServerId = 1u << 5,
  // the desktop places every window one pixel right of where it was asked to be
  kBugWindowOffByOne = 1u << 6,
  // the clipboard answers every 16th copy with a serial but never stores the item
  kBugClipboardLoseItem = 1u << 7,
  // the theme service announces theme_applied as soon as the theme changes, before the windows
  // have been redrawn with it
  kBugThemeAppliedEarly = 1u << 8,
  // the command-line parser reads one byte past an osh.seed value (an off-by-one the in-guest
  // fuzzer finds: past the end of the input it faults; mid-line it rejects a good seed)
  kBugCmdlineSeedOffByOne = 1u << 9,
  // ipc_close frees the queue's ring but leaves the queue reachable until its owner closes it
  // again or ends: a send or receive in between uses the freed (poisoned) buffer
  kBugIpcUseAfterFree = 1u << 10,
  // at an emergency shutdown the storage service acknowledges the last app's save without
  // writing it to the disk (a skipped flush)
  kBugShutdownSkipFlush = 1u << 11,
  // at logout the session manager kills an app that answers "save first" instead of waiting for
  // its save
  kBugLogoutKillUnsaved = 1u << 12,
  // the video decoder drops a frame it finds late by more than 2 ms (to catch up) instead of
  // showing it late
  kBugDropFrames = 1u << 13,
  // drag_finish skips the range check on its drag id: a made-up id indexes the compositor's drag
  // table far past its end (a read out of range that faults for most 32-bit ids)
  kBugSyscallMissingBoundsCheck = 1u << 14,
  // the URL parser stores an IPv4 host with its four numbers in reverse order (a byte-order slip):
  // the serialization of "http://127.0.0.1/" reparses to another URL
  kBugUrlIpv4Reversed = 1u << 15,
  // destroying a compositor buffer leaves it attached to the surfaces it was attached to (not yet
  // committed): their next commit shows a freed slot, or another client's buffer once it is reused
  kBugCompositorStaleAttach = 1u << 16,
  // the ELF loader checks that the program headers start inside the file but not that they end
  // there: a truncated image's last headers are read from past its end
  kBugElfPhdrPastEnd = 1u << 17,
};

struct BugKnobName {
  StringView name;
  BugKnob knob;
};

inline constexpr BugKnobName kBugKnobNames[] = {
    {"leak_on_exit", kBugLeakOnExit},
    {"no_cycle_check", kBugNoCycleCheck},
    {"no_preempt", kBugNoPreempt},
    {"hang_client_recovery", kBugHangClientRecovery},
    {"dhcp_wrong_xid", kBugDhcpWrongXid},
    {"dhcp_no_server_id", kBugDhcpNoServerId},
    {"window_off_by_one", kBugWindowOffByOne},
    {"clipboard_lose_item", kBugClipboardLoseItem},
    {"theme_applied_early", kBugThemeAppliedEarly},
    {"cmdline_seed_off_by_one", kBugCmdlineSeedOffByOne},
    {"ipc_use_after_free", kBugIpcUseAfterFree},
    {"skip_flush", kBugShutdownSkipFlush},
    {"kill_unsaved", kBugLogoutKillUnsaved},
    {"drop_frames", kBugDropFrames},
    {"syscall_missing_bounds_check", kBugSyscallMissingBoundsCheck},
    {"url_ipv4_reversed", kBugUrlIpv4Reversed},
    {"compositor_stale_attach", kBugCompositorStaleAttach},
    {"elf_phdr_past_end", kBugElfPhdrPastEnd},
};

// A comma-separated list of knob names to a mask (empty list: 0). An unknown or empty name is an
// error naming the known ones.
bool parse_bug_knobs(StringView list, uint32_t& mask, TextBuffer& error);

}  // namespace rayos
