// prober foreign_queue: calls the kernel with every kind of bad argument and checks that each
// call fails with the right error (and that the process is still alive to check). Exit 0 when
// all checks hold, otherwise the number of the first one that did not. `foreign_queue` is a
// queue some other owner created.
#include "os/user/runtime/runtime.h"

using namespace rayos::user;
namespace abi = rayos::abi;

namespace {

constexpr uint64_t kKernelAddress = 0xffffffff80100000;
constexpr uint64_t kNonCanonical = 0x0000800000000000;
const char kReadOnly[abi::kMaxMessage] = "read-only data";  // in the read-only segment

}  // namespace

extern "C" uint64_t rayos_main(uint64_t foreign_queue, uint64_t, uint64_t, uint64_t) {
  char buffer[abi::kMaxMessage + 8] = "probe";
  uint64_t n = 0;
#define CHECK(expression, expected)           \
  do {                                        \
    ++n;                                      \
    if ((expression) != (expected)) return n; \
  } while (0)

  // 1-2: no such call.
  CHECK(syscall(abi::kSyscallCount), abi::kErrNoSys);
  CHECK(syscall(~uint64_t{0}), abi::kErrNoSys);
  // 3-7: log with bad pointers and sizes.
  CHECK(log(reinterpret_cast<const void*>(kKernelAddress), 8), abi::kErrFault);
  CHECK(log(nullptr, 8), abi::kErrFault);
  CHECK(log(reinterpret_cast<const void*>(kNonCanonical), 8), abi::kErrFault);
  CHECK(log(buffer, abi::kMaxLogBytes + 1), abi::kErrInvalid);
  CHECK(log(buffer, 5), 0);
  // 8-9: sleep out of range.
  CHECK(sleep_ms(abi::kMaxSleepMs + 1), abi::kErrInvalid);
  CHECK(sleep_ms(~uint64_t{0}), abi::kErrInvalid);
  // 10-14: memory.
  CHECK(mem_map(0), abi::kErrInvalid);
  CHECK(mem_map(abi::kMaxMapPages + 1), abi::kErrInvalid);
  int64_t region = mem_map(2);
  CHECK(region > 0, true);
  CHECK(mem_unmap(static_cast<uint64_t>(region), 1), abi::kErrNoEntry);
  CHECK(mem_unmap(0x400000, 1), abi::kErrNoEntry);  // the image is not a mem_map region
  // 15-17: queue creation.
  CHECK(ipc_create(0), abi::kErrInvalid);
  CHECK(ipc_create(abi::kMaxQueueCapacity + 1), abi::kErrInvalid);
  int64_t queue = ipc_create(2);
  CHECK(queue > 0, true);
  // 18-24: sending and receiving with bad arguments.
  CHECK(ipc_send(0x7fffffff, buffer, 4), abi::kErrNoEntry);
  CHECK(ipc_send(queue, buffer, abi::kMaxMessage + 1), abi::kErrTooBig);
  CHECK(ipc_send(queue, reinterpret_cast<const void*>(kKernelAddress), 8), abi::kErrFault);
  CHECK(ipc_send(queue, buffer, 4, 0x80), abi::kErrInvalid);
  CHECK(ipc_recv(queue, buffer, sizeof buffer, abi::kIpcNonBlocking), abi::kErrAgain);
  CHECK(ipc_recv(queue, reinterpret_cast<void*>(kKernelAddress), 8), abi::kErrFault);
  CHECK(ipc_recv(queue, const_cast<char*>(kReadOnly), 8), abi::kErrFault);
  // 25-28: a full queue, and a buffer too small for the message (which stays queued).
  CHECK(ipc_send(queue, "0123456789", 10), 0);
  CHECK(ipc_send(queue, "x", 1), 0);
  CHECK(ipc_send(queue, "y", 1, abi::kIpcNonBlocking), abi::kErrAgain);
  CHECK(ipc_recv(queue, buffer, 4), abi::kErrTooBig);
  // 29: ... and it is still there, whole.
  CHECK(ipc_recv(queue, buffer, sizeof buffer), 10);
  // 30-31: closing what is not ours, or not there.
  CHECK(ipc_close(foreign_queue), abi::kErrPerm);
  CHECK(ipc_close(0x7fffffff), abi::kErrNoEntry);
  // 32-35: the queue quota (4 per process; one is held already).
  CHECK(ipc_create(1) > 0, true);
  CHECK(ipc_create(1) > 0, true);
  CHECK(ipc_create(1) > 0, true);
  CHECK(ipc_create(1), abi::kErrQuota);
  // 36-37: closing our own works once.
  CHECK(ipc_close(queue), 0);
  CHECK(ipc_close(queue), abi::kErrNoEntry);
  // 38: still alive and served.
  CHECK(getpid() > 0, true);
#undef CHECK
  return 0;
}
