// node work_ms exit_code index: one node of a workflow: works (sleeps) for `work_ms`, logs its
// index, exits with `exit_code`.
#include "os/user/runtime/runtime.h"

using namespace rayos::user;

extern "C" uint64_t rayos_main(uint64_t work_ms, uint64_t exit_code, uint64_t index, uint64_t) {
  if (work_ms != 0 && sleep_ms(work_ms) != 0) return 100;
  log_value("node", index);
  return exit_code;
}
