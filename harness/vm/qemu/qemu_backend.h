#pragma once
// The QEMU backend as the registry sees it: name "qemu", options from guest.qemu.
#include "harness/vm/backend.h"

namespace osh::vm::qemu {

VmBackend qemu_backend();

}  // namespace osh::vm::qemu
