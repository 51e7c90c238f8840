#include "harness/vm/qemu/qmp_client.h"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include "harness/vm/qemu/tests/qmp_transcript.h"

namespace osh::vm::qemu {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::load_transcript;
using testing::TranscriptLine;

// A socketpair: the client's end is non-blocking (as QemuVm's), the server's end blocking.
struct Connection {
  Connection() {
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
      throw std::runtime_error("socketpair");
    client = fds[0];
    server = fds[1];
    ::fcntl(client, F_SETFL, O_NONBLOCK);
  }
  ~Connection() {
    ::close(client);
    if (server >= 0) ::close(server);
  }
  void send(std::string_view bytes) const {
    while (!bytes.empty()) {
      const ssize_t n = ::write(server, bytes.data(), bytes.size());
      if (n <= 0) return;
      bytes.remove_prefix(size_t(n));
    }
  }
  // One line the client sent, without its LF; empty at EOF.
  std::string receive_line() const {
    std::string line;
    char c;
    while (::read(server, &c, 1) == 1) {
      if (c == '\n') return line;
      line += c;
    }
    return line;
  }
  int client = -1;
  int server = -1;
};

// Plays QEMU's side of the recorded session: for each command the client sends, checks it
// against the recorded command with the same id, then sends everything QEMU sent up to and
// including the answer to that id (events that came first included), in recorded order.
class TranscriptServer {
 public:
  TranscriptServer(const Connection& connection, std::vector<std::string>& mismatches)
      : connection_(connection), mismatches_(mismatches), lines_(load_transcript()) {
    thread_ = std::thread([this] { run(); });
  }
  ~TranscriptServer() { thread_.join(); }

 private:
  void send_through(size_t last) {
    for (; next_ <= last && next_ < lines_.size(); ++next_) {
      if (lines_[next_].from_qemu) connection_.send(lines_[next_].text + "\r\n");
    }
  }
  void run() {
    size_t first_command = 0;
    while (lines_[first_command].from_qemu) ++first_command;
    send_through(first_command - 1);  // the greeting
    for (;;) {
      const std::string line = connection_.receive_line();
      if (line.empty()) return;
      const json sent = json::parse(line);
      size_t command = 0, answer = 0;
      for (size_t i = 0; i < lines_.size(); ++i) {
        const json recorded = json::parse(lines_[i].text);
        if (recorded.value("id", json()) != sent["id"]) continue;
        (lines_[i].from_qemu ? answer : command) = i;
      }
      if (json::parse(lines_[command].text) != sent) {
        mismatches_.push_back("sent " + line + ", recorded " + lines_[command].text);
      }
      send_through(answer);
      if (sent["execute"] == "quit") return;
    }
  }

  const Connection& connection_;
  std::vector<std::string>& mismatches_;
  std::vector<TranscriptLine> lines_;
  size_t next_ = 0;
  std::thread thread_;
};

std::string error_class_of(QmpClient& client, std::string_view command,
                           const json& arguments = nullptr) {
  try {
    client.execute(command, arguments, 5s);
  } catch (const QmpError& e) {
    return e.error_class + ": " + e.desc;
  }
  return "no error";
}

TEST(QmpClient, ReplaysTheRecordedQemuSession) {
  Connection connection;
  QmpClient client(connection.client);
  std::vector<std::string> mismatches;
  {
    TranscriptServer server(connection, mismatches);
    EXPECT_EQ(client.read_greeting(5s).text(), "7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)");
    EXPECT_EQ(error_class_of(client, "query-status"),
              "CommandNotFound: Expecting capabilities negotiation with 'qmp_capabilities'");
    EXPECT_EQ(client.execute("qmp_capabilities"), json::object());
    EXPECT_EQ(client.execute("query-status"),
              json({{"status", "prelaunch"}, {"singlestep", false}, {"running", false}}));
    EXPECT_EQ(client.execute("cont"), json::object());
    EXPECT_EQ(client.execute("query-status")["status"], "running");
    EXPECT_EQ(client.execute("stop"), json::object());
    EXPECT_EQ(client.execute("query-status")["status"], "paused");
    EXPECT_EQ(client.execute("set_link", {{"name", "nic0"}, {"up", false}}), json::object());
    EXPECT_EQ(error_class_of(client, "set_link", {{"name", "nosuchdev"}, {"up", true}}),
              "DeviceNotFound: Device 'nosuchdev' not found");
    EXPECT_EQ(error_class_of(client, "no-such-command"),
              "CommandNotFound: The command no-such-command has not been found");
    EXPECT_EQ(client.execute("system_reset"), json::object());
    EXPECT_EQ(client.execute("system_powerdown"), json::object());
    EXPECT_EQ(client.execute("query-version")["qemu"]["minor"], 2);
    EXPECT_EQ(client.execute("quit"), json::object());
  }
  EXPECT_THAT(mismatches, ::testing::IsEmpty());

  std::vector<std::string> names;
  const auto events = client.take_events();
  for (const auto& event : events) names.push_back(event.name);
  EXPECT_THAT(names, ElementsAre("RESUME", "STOP", "RESET", "POWERDOWN", "SHUTDOWN"));
  EXPECT_EQ(events[2].data, json({{"guest", false}, {"reason", "host-qmp-system-reset"}}));
  EXPECT_EQ(events[1].data, json::object()) << "an event without data gets an empty object";
  EXPECT_FALSE(client.has_events());
}

TEST(QmpClient, HandshakeNegotiatesCapabilities) {
  Connection connection;
  std::thread server([&] {
    connection.send(load_transcript().front().text + "\r\n");
    const json command = json::parse(connection.receive_line());
    EXPECT_EQ(command["execute"], "qmp_capabilities");
    connection.send(R"({"return": {}, "id": )" + command["id"].dump() + "}\r\n");
  });
  QmpClient client(connection.client);
  client.handshake(5s);
  server.join();
  EXPECT_EQ(client.version().major, 7);
}

TEST(QmpClient, SurvivesByteByByteDeliveryAndManyMessagesInOneWrite) {
  Connection connection;
  std::thread server([&] {
    const std::string greeting = load_transcript().front().text + "\r\n";
    for (char c : greeting) {
      connection.send(std::string_view(&c, 1));
      std::this_thread::sleep_for(20us);
    }
    const json command = json::parse(connection.receive_line());
    connection.send(
        R"({"event": "A", "timestamp": {"seconds": 1, "microseconds": 2}})"
        "\r\n"
        R"({"event": "B", "data": {"n": 1}, "timestamp": {"seconds": 1, "microseconds": 3}})"
        "\r\n"
        R"({"return": {"ok": true}, "id": )" +
        command["id"].dump() + "}\r\n");
  });
  QmpClient client(connection.client);
  client.read_greeting(5s);
  EXPECT_EQ(client.execute("query-x"), json({{"ok", true}}));
  server.join();
  const auto events = client.take_events();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].name, "A");
  EXPECT_EQ(events[1].data, json({{"n", 1}}));
}

TEST(QmpClient, ReportsGarbageAndStrayAnswersAsProtocolErrorEvents) {
  Connection connection;
  std::thread server([&] {
    connection.send(load_transcript().front().text + "\r\n");
    const json command = json::parse(connection.receive_line());
    connection.send("this is not QMP\r\n");
    connection.send(R"({"return": {}, "id": 999})"
                    "\r\n");
    connection.send(R"({"return": {}, "id": )" + command["id"].dump() + "}\r\n");
  });
  QmpClient client(connection.client);
  client.read_greeting(5s);
  EXPECT_EQ(client.execute("stop"), json::object());
  server.join();
  const auto events = client.take_events();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].name, kProtocolErrorEvent);
  EXPECT_EQ(events[0].data["error"], "QMP line 2: not valid JSON: this is not QMP");
  EXPECT_EQ(events[1].name, kProtocolErrorEvent);
  EXPECT_THAT(events[1].data["error"].get<std::string>(),
              HasSubstr("return for no pending command: {\"return\": {}, \"id\": 999}"));
}

TEST(QmpClient, TimesOutAndThenDropsTheLateAnswer) {
  Connection connection;
  connection.send(load_transcript().front().text + "\r\n");
  QmpClient client(connection.client);
  client.read_greeting(5s);
  try {
    client.execute("stop", nullptr, 50ms);
    FAIL() << "no timeout";
  } catch (const InfraError& e) {
    EXPECT_THAT(e.what(), HasSubstr("QMP: no answer to stop from QEMU within"));
  }
  const json stop = json::parse(connection.receive_line());
  connection.send(R"({"return": {}, "id": )" + stop["id"].dump() + "}\r\n");
  std::thread server([&] {
    const json next = json::parse(connection.receive_line());
    connection.send(R"({"return": 5, "id": )" + next["id"].dump() + "}\r\n");
  });
  EXPECT_EQ(client.execute("query-y", nullptr, 5s), 5);
  server.join();
  EXPECT_FALSE(client.has_events()) << "the late answer to stop is no protocol error";
}

TEST(QmpClient, ClosedConnectionIsAnInfraErrorNotAHang) {
  Connection connection;
  connection.send(load_transcript().front().text + "\r\n");
  QmpClient client(connection.client);
  client.read_greeting(5s);
  std::thread server([&] {
    connection.receive_line();
    ::close(connection.server);
    connection.server = -1;
  });
  try {
    client.execute("quit", nullptr, 5s);
    FAIL() << "no error";
  } catch (const InfraError& e) {
    EXPECT_THAT(e.what(),
                HasSubstr("QEMU closed the connection while we waited for the answer to quit"));
  }
  server.join();
  EXPECT_TRUE(client.closed());
  EXPECT_FALSE(client.read_available());
  EXPECT_THROW(client.execute("cont", nullptr, 1s), InfraError);
}

TEST(QmpClient, SendDoesNotWaitAndItsAnswerIsDropped) {
  Connection connection;
  connection.send(load_transcript().front().text + "\r\n");
  QmpClient client(connection.client);
  client.read_greeting(5s);
  client.send("quit");
  const json quit = json::parse(connection.receive_line());
  EXPECT_EQ(quit["execute"], "quit");
  connection.send(R"({"return": {}, "id": )" + quit["id"].dump() + "}\r\n");
  ::close(connection.server);
  connection.server = -1;
  while (client.read_available()) {
  }
  EXPECT_FALSE(client.has_events());
}

}  // namespace
}  // namespace osh::vm::qemu
