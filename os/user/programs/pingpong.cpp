// pingpong role in out count: IPC round trips with checked payloads.
//   role 0 (ping): sends `count` messages on `out`, expects each reply on `in`;
//   role 1 (pong): answers each message from `in` on `out`;
//   role 2 (expect): one blocking receive on `in`; exit 0 if its result is `out` taken as a
//                    (negative) error code — a receiver waiting on a queue that goes bad.
// A message carries a sequence number, a value and a CRC-32C of both; pong replies value + 1.
// Exit 0, or 1 for a failed system call, 2 for a wrong or damaged message.
#include "os/core/crc32c.h"
#include "os/core/prng.h"
#include "os/user/runtime/runtime.h"

using namespace rayos::user;

namespace {

struct Message {
  uint64_t seq;
  uint64_t value;
  uint32_t crc;
};

Message make(uint64_t seq, uint64_t value) {
  Message m{seq, value, 0};
  m.crc = rayos::crc32c(&m, 16);
  return m;
}

bool intact(const Message& m, int64_t size) {
  return size == static_cast<int64_t>(sizeof(Message)) && m.crc == rayos::crc32c(&m, 16);
}

uint64_t ping(uint64_t in, uint64_t out, uint64_t count) {
  uint64_t state = static_cast<uint64_t>(getpid());
  for (uint64_t i = 0; i < count; ++i) {
    Message sent = make(i, rayos::splitmix64(state));
    if (ipc_send(out, &sent, sizeof sent) != 0) return 1;
    Message reply{};
    int64_t size = ipc_recv(in, &reply, sizeof reply);
    if (size < 0) return 1;
    if (!intact(reply, size) || reply.seq != i || reply.value != sent.value + 1) return 2;
  }
  return 0;
}

uint64_t pong(uint64_t in, uint64_t out, uint64_t count) {
  for (uint64_t i = 0; i < count; ++i) {
    Message got{};
    int64_t size = ipc_recv(in, &got, sizeof got);
    if (size < 0) return 1;
    if (!intact(got, size) || got.seq != i) return 2;
    Message reply = make(got.seq, got.value + 1);
    if (ipc_send(out, &reply, sizeof reply) != 0) return 1;
  }
  return 0;
}

}  // namespace

extern "C" uint64_t rayos_main(uint64_t role, uint64_t in, uint64_t out, uint64_t count) {
  switch (role) {
    case 0:
      return ping(in, out, count);
    case 1:
      return pong(in, out, count);
    case 2: {
      Message m{};
      return ipc_recv(in, &m, sizeof m) == static_cast<int64_t>(out) ? 0 : 1;
    }
  }
  return 1;
}
