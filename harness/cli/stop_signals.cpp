#include "harness/cli/stop_signals.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>

#include "harness/base/errors.h"

namespace osh::cli {
namespace {
StopSignals* g_instance = nullptr;
}

StopSignals::StopSignals() {
  if (::pipe2(pipe_, O_CLOEXEC | O_NONBLOCK) != 0) throw InfraError(errno_message("pipe2", errno));
}

StopSignals& StopSignals::install() {
  static StopSignals instance;
  if (!g_instance) {
    g_instance = &instance;
    struct sigaction sa = {};
    sa.sa_handler = &StopSignals::handle;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESETHAND;  // a second Ctrl-C kills for real
    ::sigaction(SIGINT, &sa, nullptr);
    ::sigaction(SIGTERM, &sa, nullptr);
    ::signal(SIGPIPE, SIG_IGN);
  }
  return instance;
}

void StopSignals::handle(int sig) {
  const int saved = errno;
  int expected = 0;
  g_instance->signal_.compare_exchange_strong(expected, sig);
  const char byte = 1;
  [[maybe_unused]] const auto n = ::write(g_instance->pipe_[1], &byte, 1);
  errno = saved;
}

}  // namespace osh::cli
