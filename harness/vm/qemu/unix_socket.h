#pragma once
// The harness's side of the VM sockets: it listens, QEMU connects (chardev server=off). The
// listening socket exists before QEMU starts, so QEMU's connect() cannot race with us.
#include <filesystem>

#include "harness/base/unique_fd.h"

namespace osh::vm::qemu {

// A non-blocking, close-on-exec unix stream socket bound to `path` and listening.
UniqueFd listen_unix(const std::filesystem::path& path);

// Accepts one pending connection as a non-blocking, close-on-exec socket; an empty UniqueFd
// when none is pending.
UniqueFd accept_unix(int listen_fd);

}  // namespace osh::vm::qemu
