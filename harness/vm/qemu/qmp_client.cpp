#include "harness/vm/qemu/qmp_client.h"

#include <fmt/format.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "harness/base/clock.h"
#include "harness/vm/qemu/deadline.h"

namespace osh::vm::qemu {

namespace {}  // namespace

QmpError::QmpError(const std::string& command, std::string error_class_, std::string desc_)
    : InfraError(fmt::format("QMP command {} failed: {}: {}", command, error_class_, desc_)),
      error_class(std::move(error_class_)),
      desc(std::move(desc_)) {}

const QmpVersion& QmpClient::read_greeting(std::chrono::milliseconds timeout) {
  read_until([this] { return greeting_.has_value(); }, deadline_after(timeout), "greeting");
  if (auto version = greeting_version(*greeting_)) {
    version_ = std::move(*version);
  } else {
    protocol_error("greeting without a version: " + greeting_->excerpt);
  }
  return version_;
}

void QmpClient::handshake(std::chrono::milliseconds timeout) {
  const int64_t deadline = deadline_after(timeout);
  read_greeting(timeout);
  const auto left = std::chrono::milliseconds(std::max(1, poll_ms_until(deadline)));
  execute("qmp_capabilities", nullptr, left);
}

nlohmann::json QmpClient::execute(std::string_view command, const nlohmann::json& arguments,
                                  std::chrono::milliseconds timeout) {
  const int64_t deadline = deadline_after(timeout);
  const uint64_t id = next_id_;
  awaited_ = id;
  awaited_reply_.reset();
  try {
    write_command(command, arguments);
    read_until([this] { return awaited_reply_.has_value(); }, deadline,
               fmt::format("answer to {}", command));
  } catch (...) {
    awaited_.reset();
    unawaited_.insert(id);  // a late answer is then dropped, not reported as unknown
    throw;
  }
  QmpMessage reply = std::move(*awaited_reply_);
  awaited_.reset();
  awaited_reply_.reset();
  if (reply.kind == QmpMessage::Kind::Error) {
    const auto& error = reply.json["error"];
    throw QmpError(std::string(command), error["class"].get<std::string>(),
                   error["desc"].get<std::string>());
  }
  return std::move(reply.json["return"]);
}

void QmpClient::send(std::string_view command, const nlohmann::json& arguments) {
  unawaited_.insert(write_command(command, arguments));
}

uint64_t QmpClient::write_command(std::string_view command, const nlohmann::json& arguments) {
  const uint64_t id = next_id_++;
  nlohmann::json message = {{"execute", command}, {"id", id}};
  if (!arguments.is_null()) message["arguments"] = arguments;
  write_all(message.dump() + "\n", deadline_after(kDefaultTimeout));
  return id;
}

void QmpClient::write_all(std::string_view bytes, int64_t deadline_ns) {
  while (!bytes.empty()) {
    // MSG_NOSIGNAL: a QEMU that died must give EPIPE here, not SIGPIPE the harness.
    const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n > 0) {
      bytes.remove_prefix(size_t(n));
    } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
      pollfd pfd{fd_, POLLOUT, 0};
      if (::poll(&pfd, 1, poll_ms_until(deadline_ns)) == 0) {
        throw InfraError("QMP: QEMU did not take a command within its timeout");
      }
    } else {
      closed_ = true;
      throw InfraError(errno_message("QMP: cannot send a command to QEMU", errno));
    }
  }
}

template <typename Done>
void QmpClient::read_until(Done done, int64_t deadline_ns, std::string_view what) {
  const int64_t start = monotonic_ns();
  while (!done()) {
    if (closed_) {
      throw InfraError(
          fmt::format("QMP: QEMU closed the connection while we waited for the {}", what));
    }
    const int wait_ms = poll_ms_until(deadline_ns);
    if (wait_ms == 0) {
      throw InfraError(fmt::format("QMP: no {} from QEMU within {} ms", what,
                                   (monotonic_ns() - start) / 1'000'000));
    }
    pollfd pfd{fd_, POLLIN, 0};
    const int rc = ::poll(&pfd, 1, wait_ms);
    if (rc < 0 && errno != EINTR) throw InfraError(errno_message("QMP: poll", errno));
    if (rc > 0) read_available();
  }
}

bool QmpClient::read_available() {
  char buffer[64 * 1024];
  while (!closed_) {
    const ssize_t n = ::read(fd_, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) break;
    if (n > 0) {
      reader_.feed(std::string_view(buffer, size_t(n)));
    } else {
      // ECONNRESET is how a peer that exits with our bytes unread closes: an ordinary end.
      if (n < 0 && errno != ECONNRESET) {
        protocol_error(errno_message("read from the QMP socket", errno));
      }
      closed_ = true;
      reader_.finish();
    }
    while (auto parsed = reader_.next()) process(std::move(*parsed));
  }
  return !closed_;
}

void QmpClient::process(QmpParsed parsed) {
  if (!parsed.message) return protocol_error(std::move(parsed.error));
  QmpMessage& message = *parsed.message;
  switch (message.kind) {
    case QmpMessage::Kind::Greeting:
      if (greeting_) return protocol_error("a second greeting: " + message.excerpt);
      greeting_ = std::move(message);
      return;
    case QmpMessage::Kind::Event: {
      auto data = message.json.find("data");
      events_.push_back(
          VmEvent{monotonic_ns(), message.json["event"].get<std::string>(),
                  data != message.json.end() ? std::move(*data) : nlohmann::json::object()});
      return;
    }
    case QmpMessage::Kind::Return:
    case QmpMessage::Kind::Error: {
      const nlohmann::json* id = message.id();
      if (id != nullptr && id->is_number_unsigned()) {
        const uint64_t value = id->get<uint64_t>();
        if (awaited_ == value) {
          awaited_reply_ = std::move(message);
          return;
        }
        if (unawaited_.erase(value) == 1) return;
      }
      return protocol_error(
          fmt::format("{} for no pending command: {}", to_string(message.kind), message.excerpt));
    }
    case QmpMessage::Kind::Command:
      return protocol_error("QEMU sent a command: " + message.excerpt);
  }
}

void QmpClient::protocol_error(std::string error) {
  events_.push_back(
      VmEvent{monotonic_ns(), std::string(kProtocolErrorEvent), {{"error", std::move(error)}}});
}

}  // namespace osh::vm::qemu
