#include "harness/vm/qemu/qmp_reader.h"

#include <fmt/format.h>

#include "harness/base/escape.h"
#include "harness/base/json_reader.h"

namespace osh::vm::qemu {

namespace {

constexpr size_t kExcerptBytes = 120;

QmpParsed invalid(std::string reason) { return QmpParsed{std::nullopt, std::move(reason)}; }

QmpParsed classify(nlohmann::json json) {
  using Kind = QmpMessage::Kind;
  if (!json.is_object()) return invalid("not a JSON object");
  if (json.contains("QMP")) {
    if (!json["QMP"].is_object()) return invalid("greeting whose \"QMP\" is not an object");
    return {QmpMessage{Kind::Greeting, std::move(json), {}}, {}};
  }
  if (json.contains("return")) return {QmpMessage{Kind::Return, std::move(json), {}}, {}};
  if (json.contains("error")) {
    const auto& error = json["error"];
    if (!error.is_object() || !error.contains("class") || !error["class"].is_string() ||
        !error.contains("desc") || !error["desc"].is_string()) {
      return invalid("error reply without string \"class\" and \"desc\"");
    }
    return {QmpMessage{Kind::Error, std::move(json), {}}, {}};
  }
  if (json.contains("event")) {
    if (!json["event"].is_string()) return invalid("event whose name is not a string");
    if (json.contains("data") && !json["data"].is_object()) {
      return invalid("event whose \"data\" is not an object");
    }
    return {QmpMessage{Kind::Event, std::move(json), {}}, {}};
  }
  for (const char* key : {"execute", "exec-oob"}) {
    if (json.contains(key)) {
      if (!json[key].is_string()) return invalid(std::string("\"") + key + "\" is not a string");
      return {QmpMessage{Kind::Command, std::move(json), {}}, {}};
    }
  }
  return invalid("no \"return\", \"error\", \"event\", \"execute\" or \"QMP\" member");
}

int version_part(const nlohmann::json& qemu, const char* key) {
  const auto it = qemu.find(key);
  return it != qemu.end() && it->is_number_integer() ? it->get<int>() : -1;
}

}  // namespace

const nlohmann::json* QmpMessage::id() const {
  const auto it = json.find("id");
  return it == json.end() ? nullptr : &*it;
}

std::string_view to_string(QmpMessage::Kind kind) {
  switch (kind) {
    case QmpMessage::Kind::Greeting:
      return "greeting";
    case QmpMessage::Kind::Return:
      return "return";
    case QmpMessage::Kind::Error:
      return "error";
    case QmpMessage::Kind::Event:
      return "event";
    case QmpMessage::Kind::Command:
      return "command";
  }
  return "unknown";
}

QmpParsed parse_qmp_message(std::string_view text) {
  // As every other JSON osharness reads (harness/base/json_reader.h): QEMU's replies nest a few
  // levels, and a line nested 100,000 deep cost the fuzzer's three passes 0.4 s more to parse
  // than a flat line of the same size.
  if (json_too_deep_at(text)) return invalid("not valid JSON: " + json_too_deep_problem());
  auto json = nlohmann::json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return invalid("not valid JSON");
  QmpParsed parsed = classify(std::move(json));
  if (parsed.message) parsed.message->excerpt = escape_text_truncated(text, kExcerptBytes);
  return parsed;
}

std::string QmpVersion::text() const {
  std::string out = fmt::format("{}.{}.{}", major, minor, micro);
  if (!package.empty()) out += " (" + package + ")";
  return out;
}

std::optional<QmpVersion> greeting_version(const QmpMessage& greeting) {
  if (greeting.kind != QmpMessage::Kind::Greeting) return std::nullopt;
  const auto& qmp = greeting.json["QMP"];
  const auto version = qmp.find("version");
  if (version == qmp.end() || !version->is_object()) return std::nullopt;
  const auto qemu = version->find("qemu");
  if (qemu == version->end() || !qemu->is_object()) return std::nullopt;
  QmpVersion v;
  v.major = version_part(*qemu, "major");
  v.minor = version_part(*qemu, "minor");
  v.micro = version_part(*qemu, "micro");
  if (v.major < 0 || v.minor < 0 || v.micro < 0) return std::nullopt;
  const auto package = version->find("package");
  if (package != version->end() && package->is_string()) v.package = package->get<std::string>();
  return v;
}

void QmpLineReader::feed(std::string_view bytes) {
  while (!bytes.empty()) {
    const size_t lf = bytes.find('\n');
    const std::string_view chunk = bytes.substr(0, lf);
    if (discarding_) {
      if (lf != std::string_view::npos) discarding_ = false;
    } else if (partial_.size() + chunk.size() > max_line_) {
      ++line_number_;
      ready_.push_back(invalid(
          fmt::format("QMP line {}: longer than {} bytes, discarded: {}", line_number_, max_line_,
                      escape_text_truncated(partial_.empty() ? chunk : partial_, kExcerptBytes))));
      partial_.clear();
      discarding_ = lf == std::string_view::npos;
    } else if (lf == std::string_view::npos) {
      partial_.append(chunk);
    } else if (partial_.empty()) {
      complete_line(chunk);
    } else {
      partial_.append(chunk);
      complete_line(partial_);
      partial_.clear();
    }
    if (lf == std::string_view::npos) break;
    bytes.remove_prefix(lf + 1);
  }
}

void QmpLineReader::complete_line(std::string_view line) {
  ++line_number_;
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.find_first_not_of(" \t\r") == std::string_view::npos) return;  // blank: not an error
  QmpParsed parsed = parse_qmp_message(line);
  if (!parsed.message) {
    parsed.error = fmt::format("QMP line {}: {}: {}", line_number_, parsed.error,
                               escape_text_truncated(line, kExcerptBytes));
  }
  ready_.push_back(std::move(parsed));
}

std::optional<QmpParsed> QmpLineReader::next() {
  if (ready_.empty()) return std::nullopt;
  QmpParsed front = std::move(ready_.front());
  ready_.pop_front();
  return front;
}

void QmpLineReader::finish() {
  if (!partial_.empty()) {
    ++line_number_;
    ready_.push_back(
        invalid(fmt::format("QMP line {}: cut off by the end of the stream: {}", line_number_,
                            escape_text_truncated(partial_, kExcerptBytes))));
    partial_.clear();
  }
  discarding_ = false;
}

}  // namespace osh::vm::qemu
