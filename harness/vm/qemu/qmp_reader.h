#pragma once
// QMP wire format: one JSON object per line, in both directions. This file turns untrusted
// bytes from the QMP socket into classified messages; it never throws on bad input, and
// reports every line it cannot use with the reason and an escaped excerpt.
#include <cstdint>
#include <deque>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace osh::vm::qemu {

struct QmpMessage {
  enum class Kind : uint8_t {
    Greeting,  // {"QMP": {"version": ..., "capabilities": [...]}}
    Return,    // {"return": <any>, "id": ...}
    Error,     // {"error": {"class": "...", "desc": "..."}, "id": ...}
    Event,     // {"event": "NAME", "data": {...}, "timestamp": {...}}
    Command,   // {"execute" | "exec-oob": "...", ...} (client to server)
  };
  Kind kind;
  nlohmann::json json;  // the whole message
  std::string excerpt;  // its text, escaped and cut short: for messages about it

  const nlohmann::json* id() const;  // nullptr when the message has none
};

std::string_view to_string(QmpMessage::Kind kind);

// A message, or why the text is not one.
struct QmpParsed {
  std::optional<QmpMessage> message;
  std::string error;
};

// Parses and classifies one JSON text (one line on the wire; may span lines in documentation).
QmpParsed parse_qmp_message(std::string_view text);

// QEMU's version from a greeting, e.g. 7.2.22, plus the distribution's package string.
struct QmpVersion {
  int major = 0;
  int minor = 0;
  int micro = 0;
  std::string package;
  std::string text() const;  // "7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)"
};
std::optional<QmpVersion> greeting_version(const QmpMessage& greeting);

// Splits a byte stream into lines (LF or CR LF) and parses each. Robust to any split of the
// stream into reads, several messages per read, and garbage.
class QmpLineReader {
 public:
  // Lines longer than this are discarded and reported (QEMU's longest reply, query-qmp-schema,
  // is about 200 KB).
  static constexpr size_t kDefaultMaxLine = 16 << 20;

  explicit QmpLineReader(size_t max_line = kDefaultMaxLine) : max_line_(max_line) {}

  void feed(std::string_view bytes);
  // The next complete line's result, in stream order; error texts read
  // "QMP line <n>: <reason>: <escaped excerpt>".
  std::optional<QmpParsed> next();
  // Bytes of an incomplete last line (reported by finish()).
  size_t buffered() const { return partial_.size(); }
  // At end of stream: reports a non-empty unterminated last line as an error.
  void finish();

 private:
  void complete_line(std::string_view line);

  size_t max_line_;
  std::string partial_;
  bool discarding_ = false;  // inside an overlong line, dropping bytes up to its LF
  uint64_t line_number_ = 0;
  std::deque<QmpParsed> ready_;
};

}  // namespace osh::vm::qemu
