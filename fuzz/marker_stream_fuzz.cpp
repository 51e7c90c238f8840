// MarkerStream on arbitrary console bytes, fed in chunks whose sizes come from the input.
// Invariants: no crash; every line is exactly one kind; line numbers run 1, 2, 3...; markers
// carry the fields their spec asks for; kept problems are bounded; and the chunking does not
// change anything (the same bytes in one chunk give the same lines, markers and counts); and the
// parser's fast way gives what its precise way gives, line by line; an observer that waits for
// words is handed by feed_file what feed() hands it; and feed_file without an observer that
// wants markers (which keeps no record of most) counts and reports what feed() does.
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "harness/marker/line_parser.h"
#include "harness/marker/marker_stream.h"
#include "harness/marker/tests/watcher.h"

namespace {

using namespace osh::marker;

void check(bool ok) {
  if (!ok) std::abort();
}

const Schema& schema() {
  static const Schema s = Schema::parse(R"({"prefix": "RAYOS", "markers": [
    {"marker": "BOOT:START", "fields": [{"name": "version", "type": "word"}]},
    {"marker": "SYS:HEARTBEAT", "fields": [{"name": "uptime_ms", "type": "u64"}]},
    {"marker": "SYS:EXIT", "fields": [{"name": "code", "type": "i64"}]},
    {"marker": "A:B", "fields": [{"name": "n", "type": "u32"}, {"name": "f", "type": "f64"},
                                {"name": "e", "type": "enum", "values": ["pass", "fail"]},
                                {"name": "i", "type": "id"}]},
    {"marker": "P:H", "fields": [{"name": "op", "type": "id"}], "rest": {"name": "c", "type": "u64"}}
  ]})",
                                        "fuzz schema");
  return s;
}

struct Recorder : MarkerObserver {
  struct Item {
    uint64_t line_no;
    LineKind kind;
    std::string text;
    bool operator==(const Item&) const = default;
  };
  std::vector<Item> lines;
  uint64_t markers = 0;

  void on_line(const ConsoleLine& line) override {
    check(line.line_no == lines.size() + 1);
    lines.push_back({line.line_no, line.kind, std::string(line.text)});
  }
  void on_marker(const MarkerEvent& e) override {
    ++markers;
    check(e.line_no == lines.size());  // on_line came first
    check(!e.category.empty() && !e.event.empty());
    check(e.raw.size() <= lines.back().text.size());
    if (e.spec != nullptr) {
      check(e.fields.size() >= e.spec->fields.size());
      check(e.spec->rest || e.fields.size() == e.spec->fields.size());
      for (size_t i = 0; i < e.spec->fields.size(); ++i) {
        check(e.field(e.spec->fields[i].name) != nullptr);
      }
    }
  }
};

struct Run {
  explicit Run(const StreamOptions& options) : stream(schema(), options) {
    stream.add_observer(&recorder);
  }
  MarkerStream stream;
  Recorder recorder;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  StreamOptions options;
  options.max_line_bytes = 8 + data[0] % 200;  // short limits exercise cutting
  options.max_problems_kept = data[1] % 8;
  options.require_seq = data[0] & 0x40;
  options.require_crc = data[0] & 0x80;
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 2, size - 2);

  Run chunked(options);
  size_t chunk_seed = data[1];
  for (size_t i = 0; i < bytes.size();) {
    const size_t n = 1 + (chunk_seed * 31 + i) % 97;
    chunk_seed = static_cast<uint8_t>(bytes[i]);
    chunked.stream.feed(bytes.substr(i, n), int64_t(i));
    i += n;
  }
  chunked.stream.finish(0);

  Run whole(options);
  whole.stream.feed(bytes, 0);
  whole.stream.finish(0);

  const MarkerCounts& c = chunked.stream.counts();
  check(c.bytes == bytes.size());
  check(c.lines == c.total + c.noise_lines + c.malformed + c.corrupt);
  check(c.lines == chunked.recorder.lines.size());
  check(c.total == chunked.recorder.markers);
  check(chunked.stream.problems().size() <= options.max_problems_kept);
  check(chunked.stream.problems().size() <= c.malformed + c.corrupt);
  for (const auto& p : chunked.stream.problems()) {
    check(p.line_no >= 1 && p.line_no <= c.lines && !p.reason.empty());
    check(chunked.recorder.lines[p.line_no - 1].kind == p.kind);
  }
  for (const auto& item : chunked.recorder.lines) {
    check(item.text.size() <= options.max_line_bytes);
  }
  check(chunked.recorder.lines == whole.recorder.lines);
  const MarkerCounts& w = whole.stream.counts();
  check(w.lost == c.lost && w.boots == c.boots && w.total == c.total);

  // The same bytes from a file through feed_file (two threads, segment size from the input).
  struct Quiet : MarkerObserver {
    void on_marker(const MarkerEvent&) override { ++markers; }
    bool wants_lines() const override { return false; }
    uint64_t markers = 0;
  } quiet;
  const int fd = memfd_create("marker_stream_fuzz", MFD_CLOEXEC);
  check(fd >= 0 && write(fd, bytes.data(), bytes.size()) == ssize_t(bytes.size()) &&
        lseek(fd, 0, SEEK_SET) == 0);
  MarkerStream large(schema(), options);
  large.add_observer(&quiet);
  large.feed_file(fd, 0, 1 + data[1] % 64);
  large.finish(0);
  const MarkerCounts& l = large.counts();
  check(l.lines == c.lines && l.total == c.total && l.lost == c.lost &&
        l.malformed == c.malformed && l.corrupt == c.corrupt && quiet.markers == c.total);

  // And with no observer that wants markers: most are counted without a record (plain).
  check(lseek(fd, 0, SEEK_SET) == 0);
  MarkerStream plain(schema(), options);
  plain.feed_file(fd, 0, 1 + data[1] % 64);
  plain.finish(0);
  const MarkerCounts& p = plain.counts();
  check(p.lines == c.lines && p.total == c.total && p.lost == c.lost &&
        p.malformed == c.malformed && p.corrupt == c.corrupt && p.boots == c.boots &&
        p.noise_lines == c.noise_lines && plain.gap_count() == chunked.stream.gap_count() &&
        plain.markers_by_kind() == chunked.stream.markers_by_kind());
  check(plain.problems().size() == chunked.stream.problems().size());
  for (size_t i = 0; i < plain.problems().size(); ++i) {
    check(plain.problems()[i].line_no == chunked.stream.problems()[i].line_no &&
          plain.problems()[i].reason == chunked.stream.problems()[i].reason);
  }

  // With an observer that waits for words, feed_file hands it what feed() hands it.
  testing::Watcher fed, filed;
  MarkerStream with_words(schema(), options);
  with_words.add_observer(&fed);
  with_words.feed(bytes, 0);
  with_words.finish(0);
  check(lseek(fd, 0, SEEK_SET) == 0);
  MarkerStream sieved(schema(), options);
  sieved.add_observer(&filed);
  sieved.feed_file(fd, 0, 1 + data[1] % 64);
  sieved.finish(0);
  close(fd);
  check(filed.notes == fed.notes && filed.busy == fed.busy && sieved.counts().lines == c.lines);

  // The same bytes as one line on their own.
  const ParsedLine parsed = parse_line(bytes.substr(0, bytes.find('\n')), schema());
  check(parsed.kind == LineKind::Noise || parsed.kind == LineKind::Marker ||
        !parsed.reason.empty());

  // Every line through both ways of the parser: the fast way gives what the precise way gives.
  LineParser fast(schema(), options), precise(schema(), options, /*fast=*/false);
  for (size_t at = 0; at <= bytes.size();) {
    const size_t lf = std::min(bytes.find('\n', at), bytes.size());
    const std::string_view line = bytes.substr(at, lf - at);
    const LineResult a = fast.parse(line);
    const LineResult& b = precise.parse(line);
    check(a.kind == b.kind && a.category == b.category && a.event == b.event && a.spec == b.spec &&
          a.seq == b.seq && a.seq_trusted == b.seq_trusted && a.boot_start == b.boot_start &&
          fast.reason() == precise.reason());
    check(fast.fields().size() == precise.fields().size());
    for (size_t i = 0; i < fast.fields().size(); ++i) {
      const FieldValue &x = fast.fields()[i], &y = precise.fields()[i];
      check(x.kind == y.kind && x.u == y.u && x.i == y.i && x.text == y.text &&
            std::memcmp(&x.f, &y.f, sizeof x.f) == 0);
    }
    at = lf + 1;
  }
  return 0;
}
