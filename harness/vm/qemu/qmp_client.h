#pragma once
// A QMP client over a connected, non-blocking stream socket. Commands carry a unique integer
// "id" and are matched to their return or error; events that arrive meanwhile are queued in
// arrival order for the caller. Lines that are not QMP are reported as synthetic events named
// kProtocolErrorEvent (data: {"error": "..."}), never thrown, so a misbehaving peer cannot crash
// the harness and nothing it sends goes unreported.
#include <chrono>
#include <cstdint>
#include <deque>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "harness/base/errors.h"
#include "harness/vm/qemu/qmp_reader.h"
#include "harness/vm/vm.h"

namespace osh::vm::qemu {

inline constexpr std::string_view kProtocolErrorEvent = "OSH_QMP_PROTOCOL_ERROR";

// QMP answered a command with an error.
struct QmpError : InfraError {
  QmpError(const std::string& command, std::string error_class, std::string desc);
  std::string error_class;  // e.g. "CommandNotFound", "GenericError"
  std::string desc;
};

class QmpClient {
 public:
  static constexpr std::chrono::milliseconds kDefaultTimeout{10'000};

  // `fd` stays owned by the caller and must outlive the client.
  explicit QmpClient(int fd) : fd_(fd) {}

  // Waits for QEMU's greeting and keeps its version.
  const QmpVersion& read_greeting(std::chrono::milliseconds timeout = kDefaultTimeout);
  // read_greeting() + qmp_capabilities: leaves negotiation mode, so events start flowing.
  void handshake(std::chrono::milliseconds timeout = kDefaultTimeout);
  const QmpVersion& version() const { return version_; }

  // Runs a command and returns its "return" value. Throws QmpError when QEMU answers with an
  // error, osh::InfraError on timeout or when the connection closes first.
  nlohmann::json execute(std::string_view command, const nlohmann::json& arguments = nullptr,
                         std::chrono::milliseconds timeout = kDefaultTimeout);
  // Sends a command without waiting; its answer, whatever it is, will be dropped.
  void send(std::string_view command, const nlohmann::json& arguments = nullptr);

  // Reads and processes whatever has arrived, without blocking. Returns false once the peer
  // has closed the connection.
  bool read_available();
  bool closed() const { return closed_; }

  bool has_events() const { return !events_.empty(); }
  std::deque<VmEvent> take_events() { return std::exchange(events_, {}); }

 private:
  uint64_t write_command(std::string_view command, const nlohmann::json& arguments);
  void write_all(std::string_view bytes, int64_t deadline_ns);
  // Reads until `done()` holds; throws InfraError on timeout or close, naming `what`.
  template <typename Done>
  void read_until(Done done, int64_t deadline_ns, std::string_view what);
  void process(QmpParsed parsed);
  void protocol_error(std::string error);

  int fd_;
  uint64_t next_id_ = 1;
  QmpLineReader reader_;
  bool closed_ = false;
  std::optional<QmpMessage> greeting_;
  QmpVersion version_;
  std::set<uint64_t> unawaited_;             // ids sent with send(): answers dropped
  std::optional<uint64_t> awaited_;          // the id execute() waits for
  std::optional<QmpMessage> awaited_reply_;  // its answer, once arrived
  std::deque<VmEvent> events_;
};

}  // namespace osh::vm::qemu
