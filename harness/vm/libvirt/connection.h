#pragma once
// The libvirt C API as the backend uses it: one event loop thread per process (libvirt delivers
// domain events and keepalives only while someone runs its loop), one connection per URI shared
// by every VM of the process, and events of one domain collected for the thread that pumps it.
//
// One connection per URI, not per VM: 64 VMs are one socket to libvirtd, and every domain is
// started with AUTODESTROY on it, so that a harness that dies (even by SIGKILL) closes it and
// libvirtd destroys every domain the harness had.
#include <libvirt/libvirt.h>

#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "harness/base/unique_fd.h"
#include "harness/vm/vm.h"

namespace osh::vm::libvirt {

// libvirt's last error on this thread, for messages ("no error" when there is none).
std::string last_error();

// Starts the event loop thread once per process (before the first connection: libvirt needs
// the loop registered first). libvirt's own printing of errors to stderr is switched off:
// every error reaches the user through an exception that says what failed.
void ensure_event_loop();

class Connection {
 public:
  // The process's connection to `uri`, opened on first use. Throws osh::InfraError naming the
  // URI, libvirt's complaint and what to do.
  static std::shared_ptr<Connection> shared(const std::string& uri);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  virConnectPtr get() const { return conn_; }
  const std::string& uri() const { return uri_; }
  // True when libvirtd runs on this host (no host part in the URI): then the domain's files
  // (pid file, log) can be read here.
  bool local() const { return local_; }

 private:
  Connection(virConnectPtr conn, std::string uri, bool local)
      : conn_(conn), uri_(std::move(uri)), local_(local) {}
  virConnectPtr conn_;
  std::string uri_;
  bool local_;
};

// Whether a libvirt URI names this host: no host part ("qemu:///system", "test:///default").
bool is_local_uri(std::string_view uri);

// What libvirt said about one domain, from the event loop thread to the thread that pumps the
// VM: QEMU's monitor events (STOP, RESUME, RESET, SHUTDOWN, ...) in order, and the domain's
// end. wake_fd() becomes readable when something arrived.
class DomainEvents {
 public:
  // Registers for `domain`'s lifecycle events and, unless `qemu_events` is false (drivers other
  // than QEMU have none), its QEMU monitor events. Throws osh::InfraError.
  DomainEvents(std::shared_ptr<Connection> connection, virDomainPtr domain, bool qemu_events);
  ~DomainEvents();
  DomainEvents(const DomainEvents&) = delete;
  DomainEvents& operator=(const DomainEvents&) = delete;

  int wake_fd() const;
  // Takes what arrived since the last call and clears wake_fd().
  std::deque<VmEvent> take_events();
  // VIR_DOMAIN_EVENT_STOPPED_* once the domain stopped.
  std::optional<int> stopped() const;

  struct State;  // shared with the callbacks, which may outlive this object briefly

 private:
  std::shared_ptr<Connection> connection_;
  std::shared_ptr<State> state_;
  int lifecycle_id_ = -1;
  int qemu_id_ = -1;
};

// "shutdown", "destroyed", "crashed", "failed", ... for VIR_DOMAIN_EVENT_STOPPED_*.
std::string_view stopped_detail_name(int detail);

}  // namespace osh::vm::libvirt
