#include "harness/vm/qemu/qemu_exit.h"

#include <gtest/gtest.h>
#include <signal.h>

namespace osh::vm::qemu {
namespace {

ExitEvidence exited(int code, std::string stderr_text = "",
                    std::optional<std::string> reason = std::nullopt) {
  ExitEvidence evidence;
  evidence.status = ExitStatus{.signaled = false, .code = code};
  evidence.stderr_text = std::move(stderr_text);
  evidence.shutdown_reason = std::move(reason);
  evidence.host_ns = 1234;
  return evidence;
}

TEST(QemuExit, OddStatusWithoutShutdownIsTheGuestsIsaDebugExitValue) {
  for (int value : {1, 2, 5, 42, 125, 127}) {
    const VmExit exit = decode_exit(exited(2 * value + 1));
    EXPECT_EQ(exit.how, VmExit::How::Exited);
    EXPECT_EQ(exit.status, 2 * value + 1);
    EXPECT_EQ(exit.guest_exit_code, value);
    EXPECT_EQ(exit.host_ns, 1234);
  }
}

TEST(QemuExit, StatusOneIsGuestZeroUnlessQemuPrintedAnError) {
  EXPECT_EQ(decode_exit(exited(1)).guest_exit_code, 0);
  EXPECT_EQ(decode_exit(exited(1,
                               "qemu-system-x86_64: warning: host doesn't support requested "
                               "feature: CPUID.01H:ECX.pni [bit 0]\n"))
                .guest_exit_code,
            0);
  const VmExit failed =
      decode_exit(exited(1,
                         "qemu-system-x86_64: -M bogus: unsupported machine type\n"
                         "Use -machine help to list supported machines\n"));
  EXPECT_EQ(failed.guest_exit_code, std::nullopt);
  EXPECT_EQ(failed.status, 1);
  EXPECT_EQ(failed.stderr_tail,
            "qemu-system-x86_64: -M bogus: unsupported machine type\n"
            "Use -machine help to list supported machines");
  // Other odd statuses are not QEMU's own, whatever stderr says.
  EXPECT_EQ(decode_exit(exited(7, "qemu-system-x86_64: something\n")).guest_exit_code, 3);
}

TEST(QemuExit, ShutdownMeansQemuEndedItselfNotTheGuestPort) {
  const VmExit triple = decode_exit(exited(0, "", "guest-reset"));
  EXPECT_EQ(triple.how, VmExit::How::Exited);
  EXPECT_EQ(triple.status, 0);
  EXPECT_EQ(triple.guest_exit_code, std::nullopt);
  EXPECT_EQ(triple.shutdown_reason, "guest-reset");
  EXPECT_EQ(decode_exit(exited(1, "", "host-qmp-quit")).guest_exit_code, std::nullopt);
  EXPECT_EQ(decode_exit(exited(0)).guest_exit_code, std::nullopt) << "even status";
}

TEST(QemuExit, SignalsAreKilledWhenWeSentThemAndSignaledOtherwise) {
  ExitEvidence evidence;
  evidence.status = ExitStatus{.signaled = true, .signal = SIGKILL};
  evidence.killed_by_harness = true;
  VmExit exit = decode_exit(evidence);
  EXPECT_EQ(exit.how, VmExit::How::Killed);
  EXPECT_EQ(exit.signal, SIGKILL);
  EXPECT_EQ(exit.guest_exit_code, std::nullopt);
  evidence.killed_by_harness = false;
  evidence.status.signal = SIGSEGV;
  exit = decode_exit(evidence);
  EXPECT_EQ(exit.how, VmExit::How::Signaled);
  EXPECT_EQ(exit.signal, SIGSEGV);
  // We sent SIGKILL but QEMU had already exited by itself: its own status is what counts.
  ExitEvidence raced = exited(9);
  raced.killed_by_harness = true;
  EXPECT_EQ(decode_exit(raced).how, VmExit::How::Exited);
  EXPECT_EQ(decode_exit(raced).guest_exit_code, 4);
}

TEST(QemuExit, StderrErrorDetection) {
  EXPECT_FALSE(stderr_has_error(""));
  EXPECT_FALSE(stderr_has_error("\n  \n\r\n"));
  EXPECT_FALSE(stderr_has_error("qemu-system-x86_64: warning: a\nqemu-system-x86_64: warning: b"));
  EXPECT_TRUE(stderr_has_error("qemu-system-x86_64: warning: a\nqemu: fatal"));
}

TEST(QemuExit, TailKeepsTheLastLinesEscaped) {
  std::string text;
  for (int i = 0; i < 25; ++i) text += "line " + std::to_string(i) + "\n";
  const std::string tail = tail_lines(text, 3);
  EXPECT_EQ(tail, "line 22\nline 23\nline 24");
  EXPECT_EQ(tail_lines("only\r\n"), "only");
  EXPECT_EQ(tail_lines("a\x1b[31mred\n"), "a\\x1b[31mred");
  EXPECT_EQ(tail_lines("0123456789\nabcdef\n", 20, 8), "9\nabcdef");
  EXPECT_EQ(tail_lines(""), "");
  EXPECT_EQ(tail_lines("x", 0), "");
}

}  // namespace
}  // namespace osh::vm::qemu
