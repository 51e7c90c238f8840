#pragma once
// SIGINT and SIGTERM ask the harness to stop: the running VMs are killed, their runs are
// recorded as interrupted, the journal and the reports are written, and the process exits
// with 128 + the signal. A second signal while stopping is left to its default action.
#include <atomic>

namespace osh::cli {

class StopSignals {
 public:
  // Installs the handlers (once per process).
  static StopSignals& install();

  // The signal that asked us to stop, or 0.
  const std::atomic<int>& signal() const { return signal_; }
  // Readable once a stop was asked for (a self-pipe; never drained, so every poller sees it).
  int wake_fd() const { return pipe_[0]; }

 private:
  StopSignals();
  static void handle(int sig);

  std::atomic<int> signal_{0};
  int pipe_[2] = {-1, -1};
};

}  // namespace osh::cli
