// Line splitting, classification counts, sequence accounting and observers of MarkerStream.
#include "harness/marker/marker_stream.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "harness/base/errors.h"
#include "harness/marker/console_log_gen.h"
#include "harness/marker/tests/test_support.h"
#include "harness/marker/tests/watcher.h"

namespace osh::marker {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::test_schema;
using testing::with_crc;
using testing::with_seq;

// Records everything the stream delivers, copied (the views die after the callback).
struct Recorder : MarkerObserver {
  struct Line {
    uint64_t line_no;
    int64_t host_ns;
    std::string text;
    LineKind kind;
    bool truncated;
    bool operator==(const Line&) const = default;
  };
  struct Marker {
    uint64_t line_no;
    std::string name;
    std::vector<std::string> fields;
    std::optional<uint64_t> seq;
    std::string raw;
    bool operator==(const Marker&) const = default;
  };
  std::vector<Line> lines;
  std::vector<Marker> markers;

  void on_line(const ConsoleLine& l) override {
    lines.push_back({l.line_no, l.host_ns, std::string(l.text), l.kind, l.truncated});
  }
  void on_marker(const MarkerEvent& e) override {
    std::vector<std::string> fields;
    for (const auto& f : e.fields) fields.emplace_back(f.text);
    markers.push_back({e.line_no, std::string(e.category) + ":" + std::string(e.event), fields,
                       e.seq, std::string(e.raw)});
  }
};

struct Feeder {
  explicit Feeder(StreamOptions options = {}) : stream(test_schema(), options) {
    stream.add_observer(&recorder);
  }
  Feeder& feed(std::string_view bytes, int64_t ns = 0) {
    stream.feed(bytes, ns);
    return *this;
  }
  Feeder& finish(int64_t ns = 0) {
    stream.finish(ns);
    return *this;
  }
  const MarkerCounts& counts() const { return stream.counts(); }
  MarkerStream stream;
  Recorder recorder;
};

std::string join_lines(const std::vector<std::string>& lines, const char* eol = "\n") {
  std::string out;
  for (const auto& l : lines) out += l + eol;
  return out;
}

void expect_consistent(const MarkerCounts& c) {
  EXPECT_EQ(c.lines, c.total + c.noise_lines + c.malformed + c.corrupt);
}

TEST(MarkerStream, ClassifiesAndCountsLines) {
  Feeder run;
  const std::string log = join_lines({
      "SeaBIOS (version 1.16.2-debian-1.16.2-1)",
      with_crc("BOOT:START:0.1", 0),
      "[    0.000000] Linux version 6.1.0",
      with_crc("SYS:HEARTBEAT:1000", 1),
      with_crc("SYS:HEARTBEAT:x", 2),          // malformed, CRC fine
      "RAYOS_SYS:HEARTBEAT:3000 #3*00000000",  // corrupt
      with_crc("SOAK:COMPLETE:pass", 4),
  });
  run.feed(log).finish();
  const MarkerCounts& c = run.counts();
  EXPECT_EQ(c.bytes, log.size());
  EXPECT_EQ(c.lines, 7u);
  EXPECT_EQ(c.total, 3u);
  EXPECT_EQ(c.noise_lines, 2u);
  EXPECT_EQ(c.malformed, 1u);
  EXPECT_EQ(c.corrupt, 1u);
  EXPECT_EQ(c.lost, 0u);  // the corrupt line explains seq 3
  EXPECT_EQ(c.boots, 1u);
  expect_consistent(c);
  ASSERT_EQ(run.stream.problems().size(), 2u);
  EXPECT_EQ(run.stream.problems()[0].line_no, 5u);
  EXPECT_EQ(run.stream.problems()[0].kind, LineKind::Malformed);
  EXPECT_EQ(run.stream.problems()[1].line_no, 6u);
  EXPECT_EQ(run.stream.problems()[1].kind, LineKind::Corrupt);
  EXPECT_EQ(run.stream.problems()[1].text, "RAYOS_SYS:HEARTBEAT:3000 #3*00000000");
  ASSERT_EQ(run.recorder.markers.size(), 3u);
  EXPECT_EQ(run.recorder.markers[1],
            (Recorder::Marker{4, "SYS:HEARTBEAT", {"1000"}, 1, with_crc("SYS:HEARTBEAT:1000", 1)}));
  ASSERT_EQ(run.recorder.lines.size(), 7u);
  EXPECT_EQ(run.recorder.lines[5].kind, LineKind::Corrupt);
}

TEST(MarkerStream, CrLfAndLfGiveTheSameLines) {
  const std::vector<std::string> lines = {"noise", with_crc("BOOT:START:1", 0), "",
                                          with_crc("SYS:HEARTBEAT:5", 1)};
  Feeder lf, crlf;
  lf.feed(join_lines(lines)).finish();
  crlf.feed(join_lines(lines, "\r\n")).finish();
  EXPECT_EQ(crlf.counts().total, 2u);
  EXPECT_EQ(crlf.counts().lines, 4u);
  ASSERT_EQ(crlf.recorder.lines.size(), lf.recorder.lines.size());
  for (size_t i = 0; i < lf.recorder.lines.size(); ++i) {
    EXPECT_EQ(crlf.recorder.lines[i].text, lf.recorder.lines[i].text);
  }
  EXPECT_EQ(crlf.recorder.markers, lf.recorder.markers);
  // Only one CR belongs to the EOL: a second one is part of the line.
  Feeder two_cr;
  two_cr.feed(with_crc("SYS:HEARTBEAT:5", 1) + "\r\r\n").finish();
  EXPECT_EQ(two_cr.counts().malformed, 1u);
  EXPECT_EQ(two_cr.recorder.lines[0].text, with_crc("SYS:HEARTBEAT:5", 1) + "\r");
}

TEST(MarkerStream, SplitAtEveryBytePositionGivesTheSameResult) {
  std::string log = join_lines({"[ 0.1] a", with_crc("BOOT:START:1", 0), "x\r",
                                with_crc("SOAK:METRICS_SNAPSHOT:1.5:2:3:4", 1),
                                "RAYOS_SYS:HEARTBEAT:1 #2*00000000", with_crc("SYS:EXIT:-1", 4)},
                               "\r\n");
  log += "RAYOS_SYS:HEART";  // unterminated
  Feeder whole;
  whole.feed(log, 5).finish(5);
  for (size_t a = 0; a <= log.size(); ++a) {
    for (size_t b = a; b <= log.size(); b += 7) {
      Feeder split;
      split.feed(log.substr(0, a), 5).feed(log.substr(a, b - a), 5).feed(log.substr(b), 5);
      split.finish(5);
      ASSERT_EQ(split.recorder.lines, whole.recorder.lines) << a << " " << b;
      ASSERT_EQ(split.recorder.markers, whole.recorder.markers) << a << " " << b;
      ASSERT_EQ(split.counts().lost, whole.counts().lost);
      ASSERT_EQ(split.counts().bytes, whole.counts().bytes);
    }
  }
  EXPECT_EQ(whole.counts().lost, 1u);  // seq 3 (one corrupt line explains seq 2)
  EXPECT_EQ(whole.counts().malformed, 1u);
}

TEST(MarkerStream, ALineCutByTheReadersStopIsNoiseNotAMalformedMarker) {
  const std::string log = with_crc("BOOT:START:1", 0) + "\nRAYOS_SYS:HEART";
  Feeder ended, stopped;
  ended.feed(log).finish();
  stopped.feed(log);
  stopped.stream.finish_stopped(0);
  EXPECT_EQ(ended.counts().malformed, 1u) << "the writer ended mid-marker";
  EXPECT_EQ(stopped.counts().malformed, 0u);
  EXPECT_EQ(stopped.counts().noise_lines, 1u);
  EXPECT_TRUE(stopped.stream.problems().empty());
  ASSERT_EQ(stopped.recorder.lines.size(), 2u);
  EXPECT_EQ(stopped.recorder.lines[1].text, "RAYOS_SYS:HEART");
  EXPECT_TRUE(stopped.recorder.lines[1].truncated);
  expect_consistent(stopped.counts());
}

// Big chunks take the vectorised splitter, single bytes the partial-line path: both must see
// the same lines, markers and problems, wherever lines and markers fall in 64-byte blocks.
TEST(MarkerStream, WholeBufferAndByteByByteAgreeOnRandomLogs) {
  const std::string pieces[] = {"\n",
                                "\r\n",
                                "noise ",
                                "[ 1.5] ",
                                "RA",
                                "RAYOS",
                                "RAYOS_",
                                "\x1b[2J",
                                "]",
                                with_crc("SYS:HEARTBEAT:12", 3),
                                with_crc("BOOT:START:v1", 0),
                                "RAYOS_SYS:HEARTBEAT:x",
                                std::string(61, 'q')};
  std::mt19937 rng(5);
  for (int round = 0; round < 300; ++round) {
    std::string log;
    const size_t n = rng() % 60;
    for (size_t i = 0; i < n; ++i) log += pieces[rng() % std::size(pieces)];
    Feeder whole, bytes;
    whole.feed(log).finish();
    for (const char c : log) bytes.feed(std::string_view(&c, 1));
    bytes.finish();
    ASSERT_EQ(whole.recorder.lines, bytes.recorder.lines) << round;
    ASSERT_EQ(whole.recorder.markers, bytes.recorder.markers) << round;
    ASSERT_EQ(whole.counts().lost, bytes.counts().lost) << round;
    expect_consistent(whole.counts());
  }
}

// A temporary file holding `bytes`, at its start; gone when closed.
class TempFile {
 public:
  explicit TempFile(std::string_view bytes) : file_(std::tmpfile()) {
    std::fwrite(bytes.data(), 1, bytes.size(), file_);
    std::fflush(file_);
    std::rewind(file_);
  }
  ~TempFile() { std::fclose(file_); }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  int fd() const { return fileno(file_); }

 private:
  std::FILE* file_;
};

// What `got` reports (counts, problems, gaps, markers by kind) is what `want` reports.
void expect_same_report(const MarkerStream& got, const MarkerStream& want, size_t segment) {
  const MarkerCounts& a = got.counts();
  const MarkerCounts& b = want.counts();
  EXPECT_EQ(
      std::tie(a.bytes, a.lines, a.total, a.lost, a.corrupt, a.malformed, a.noise_lines, a.boots),
      std::tie(b.bytes, b.lines, b.total, b.lost, b.corrupt, b.malformed, b.noise_lines, b.boots))
      << segment;
  ASSERT_EQ(got.problems().size(), want.problems().size()) << segment;
  for (size_t i = 0; i < got.problems().size(); ++i) {
    EXPECT_EQ(got.problems()[i].line_no, want.problems()[i].line_no) << segment;
    EXPECT_EQ(got.problems()[i].reason, want.problems()[i].reason) << segment;
  }
  ASSERT_EQ(got.gaps().size(), want.gaps().size()) << segment;
  for (size_t i = 0; i < got.gaps().size(); ++i) {
    const SequenceGap &x = got.gaps()[i], &y = want.gaps()[i];
    EXPECT_EQ(std::tie(x.line_no, x.expected, x.seq, x.lost),
              std::tie(y.line_no, y.expected, y.seq, y.lost))
        << segment;
  }
  EXPECT_EQ(got.gap_count(), want.gap_count()) << segment;
  EXPECT_EQ(got.markers_by_kind(), want.markers_by_kind()) << segment;
}

// feed_file reads and parses on two threads: whatever the segment size, the same markers,
// counts, problems and gaps as feed(). Some lines are longer than the limit and cross segments,
// and the file ends without a line feed.
TEST(MarkerStream, FeedFileMatchesFeed) {
  struct Markers : Recorder {
    bool wants_lines() const override { return false; }
  };
  LogGenOptions gen;
  gen.bytes = 200000;
  gen.fault_rate = 0.02;
  gen.markers_per_boot = 300;
  const std::string generated = testing::generated_log(gen) + std::string(500, 'y') + "\n";
  // The last line: a partial marker, too long, only a CR.
  for (const std::string& end :
       {std::string("RAYOS_SYS:HEARTBEAT:1"), std::string(150, 'x'), std::string("\r")}) {
    const std::string log = generated + end;
    const TempFile file(log);
    StreamOptions options;
    options.max_line_bytes = 100;  // some generated lines are longer: cut
    options.max_problems_kept = 100000;
    MarkerStream reference(test_schema(), options);
    Markers expected;
    reference.add_observer(&expected);
    reference.feed(log, 0);
    reference.finish(0);
    ASSERT_GT(reference.counts().lost, 0u);
    for (const size_t segment : {size_t(1), size_t(7), size_t(64), size_t(1000), size_t(65536)}) {
      MarkerStream stream(test_schema(), options);
      Markers got;
      stream.add_observer(&got);
      stream.feed_file(file.fd(), 0, segment);
      stream.finish(0);
      EXPECT_EQ(got.markers, expected.markers) << segment;
      EXPECT_TRUE(got.lines.empty());
      expect_same_report(stream, reference, segment);

      // Without an observer that wants markers, most markers are counted where they were
      // parsed, without a record: the same counts, problems, gaps and kinds.
      MarkerStream plain(test_schema(), options);
      ASSERT_EQ(::lseek(file.fd(), 0, SEEK_SET), 0);
      plain.feed_file(file.fd(), 0, segment);
      plain.finish(0);
      expect_same_report(plain, reference, segment);
    }
  }
}

// With an observer that waits for words, feed_file still parses on two threads, hands it far
// fewer lines, and it sees what feed() shows it: words in markers, in overlong lines before
// and after the cut, CR LF, reports that cross segments, an unterminated last line.
TEST(MarkerStream, FeedFileHandsWatchersWhatTheyWouldSeeInFeed) {
  std::mt19937 rng(5);
  const std::vector<std::string> kinds = {
      "noise line", "more noise\r",      "[ 1.0] cut here", "x OPEN y",
      "NOTE alone", "CLOSE of it",       "OPENCLOSE",       "",
      "\r",         "NOT a word: OPE N", "trailing NOTE\r"};
  for (int round = 0; round < 6; ++round) {
    std::string log;
    uint64_t seq = 0;
    for (int i = 0; i < 3000; ++i) {
      const unsigned pick = rng() % 100;
      if (pick < kinds.size()) {
        log += kinds[pick];
      } else if (pick < 60) {
        log += with_crc(rng() % 8 ? "SYS:HEARTBEAT:1" : "BOOT:START:1", seq++);
      } else if (pick < 62) {
        log += with_crc("SYS:HEARTBEAT:1", seq++) + " NOTE";  // malformed, with a word
      } else if (pick < 64) {
        log += std::string(rng() % 150, 'a') + "NOTE" + std::string(rng() % 150, 'b');
      } else {
        log += std::string(rng() % 300, 'c');
      }
      log += '\n';
    }
    if (round % 2 == 1) log += round == 1 ? "OPEN at the end" : "unterminated NOTE";
    const TempFile file(log);
    StreamOptions options;
    options.max_line_bytes = 120;
    MarkerStream reference(test_schema(), options);
    testing::Watcher expected;
    reference.add_observer(&expected);
    reference.feed(log, 0);
    reference.finish(0);
    ASSERT_GT(expected.notes.size(), 100u);
    for (const size_t segment : {size_t(1), size_t(7), size_t(64), size_t(1000), size_t(65536)}) {
      MarkerStream stream(test_schema(), options);
      testing::Watcher got;
      stream.add_observer(&got);
      stream.feed_file(file.fd(), 0, segment);
      stream.finish(0);
      EXPECT_EQ(got.notes, expected.notes) << round << " " << segment;
      EXPECT_EQ(got.busy, expected.busy);
      EXPECT_EQ(stream.counts().lines, reference.counts().lines);
      EXPECT_EQ(stream.counts().noise_lines, reference.counts().noise_lines);
      EXPECT_EQ(stream.counts().total, reference.counts().total);
      EXPECT_EQ(stream.counts().malformed, reference.counts().malformed);
      if (segment < log.size()) {
        EXPECT_LT(got.calls, expected.calls * 3 / 4) << segment;
      }
    }
  }
}

// An observer's exception leaves feed_file (after the second thread is joined): no hang, no
// std::terminate, and the markers before it were delivered.
TEST(MarkerStream, FeedFilePassesOnAnObserversException) {
  struct Throwing : MarkerObserver {
    bool wants_lines() const override { return false; }
    void on_marker(const MarkerEvent&) override {
      if (++seen == 500) throw std::runtime_error("observer gave up");
    }
    int seen = 0;
  };
  LogGenOptions gen;
  gen.bytes = 200000;
  const TempFile file(testing::generated_log(gen));
  MarkerStream stream(test_schema());
  Throwing observer;
  stream.add_observer(&observer);
  EXPECT_THROW(stream.feed_file(file.fd(), 0, 1000), std::runtime_error);
  EXPECT_EQ(observer.seen, 500);
  EXPECT_EQ(stream.counts().total, 500u);
}

// A log cut while it is read (its writer truncated it) is an error, whichever of the two
// threads reads next: it leaves feed_file after both are done, and the markers before stay.
TEST(MarkerStream, FeedFileReportsALogThatGotShorter) {
  struct Truncating : MarkerObserver {
    explicit Truncating(int fd) : fd(fd) {}
    bool wants_lines() const override { return false; }
    void on_marker(const MarkerEvent&) override {
      if (++seen == 50) {
        EXPECT_EQ(::ftruncate(fd, 0), 0);
      }
    }
    int fd;
    int seen = 0;
  };
  LogGenOptions gen;
  gen.bytes = 200000;
  const TempFile file(testing::generated_log(gen));
  MarkerStream stream(test_schema());
  Truncating observer(file.fd());
  stream.add_observer(&observer);
  std::string error;
  try {
    stream.feed_file(file.fd(), 0, 1000);
  } catch (const InputError& e) {
    error = e.what();
  }
  EXPECT_THAT(error, HasSubstr("got shorter while it was read"));
  EXPECT_GE(stream.counts().total, 50u);
}

TEST(MarkerStream, FeedFileDeliversLinesWhenAnObserverWantsThem) {
  const std::string log = join_lines({"noise", with_crc("BOOT:START:1", 0), "more noise"});
  const TempFile file(log);
  Feeder whole, large;
  whole.feed(log);
  large.stream.feed_file(file.fd(), 0, 4);
  EXPECT_EQ(large.recorder.lines, whole.recorder.lines);
  EXPECT_EQ(large.recorder.lines.size(), 3u);
}

TEST(MarkerStream, FeedFileReadsFromItsPosition) {
  const std::string log = join_lines({"noise", with_crc("BOOT:START:1", 0), "more noise"});
  const TempFile file("skipped\n" + log);
  ASSERT_EQ(::lseek(file.fd(), 8, SEEK_SET), 8);
  MarkerStream stream(test_schema());
  stream.feed_file(file.fd(), 0, 4);
  EXPECT_EQ(stream.counts().bytes, log.size());
  EXPECT_EQ(stream.counts().lines, 3u);
  EXPECT_EQ(stream.counts().total, 1u);
}

TEST(MarkerStream, ByteByByteFeed) {
  const std::string log =
      join_lines({with_crc("BOOT:START:1", 0), "noise", with_crc("SYS:HEARTBEAT:7", 1)});
  Feeder run;
  for (const char c : log) run.feed(std::string_view(&c, 1));
  run.finish();
  EXPECT_EQ(run.counts().total, 2u);
  EXPECT_EQ(run.counts().noise_lines, 1u);
  EXPECT_EQ(run.recorder.markers[1].fields, std::vector<std::string>{"7"});
}

TEST(MarkerStream, HostTimeOfTheChunkThatEndsTheLine) {
  Feeder run;
  run.feed("RAYOS_BOOT:", 10).feed("READY\nno", 20).feed("ise\n", 30);
  ASSERT_EQ(run.recorder.lines.size(), 2u);
  EXPECT_EQ(run.recorder.lines[0].host_ns, 20);
  EXPECT_EQ(run.recorder.lines[1].host_ns, 30);
}

TEST(MarkerStream, OverlongLinesAreCutAndCountedOnce) {
  StreamOptions options;
  options.max_line_bytes = 16;
  const std::string long_line = std::string(100, 'a');
  const std::string log = "short\n" + long_line + "\n" + with_crc("BOOT:READY", 0).substr(0, 16) +
                          "\n" + std::string(17, 'b') + "\r\n" + std::string(16, 'c') + "\r\n";
  Feeder whole(options);
  whole.feed(log).finish();
  EXPECT_EQ(whole.counts().lines, 5u);
  EXPECT_EQ(whole.counts().noise_lines, 4u);
  EXPECT_EQ(whole.counts().total, 1u);  // "RAYOS_BOOT:READY" is exactly 16 bytes
  EXPECT_EQ(whole.recorder.lines[1],
            (Recorder::Line{2, 0, std::string(16, 'a'), LineKind::Noise, true}));
  EXPECT_TRUE(whole.recorder.lines[3].truncated);   // 17 bytes + CR
  EXPECT_FALSE(whole.recorder.lines[4].truncated);  // 16 bytes + CR fits
  for (size_t chunk = 1; chunk < 40; ++chunk) {
    Feeder split(options);
    for (size_t i = 0; i < log.size(); i += chunk) split.feed(log.substr(i, chunk));
    split.finish();
    ASSERT_EQ(split.recorder.lines, whole.recorder.lines) << chunk;
  }
}

TEST(MarkerStream, OverlongMarkerIsNoiseAndMemoryStaysBounded) {
  StreamOptions options;
  options.max_line_bytes = 32;
  Feeder run(options);
  run.feed("RAYOS_BOOT:START:");
  for (int i = 0; i < 10000; ++i) run.feed(std::string(1000, 'x'));
  run.feed("\n").feed(with_crc("BOOT:READY", 1) + "\n").finish();
  EXPECT_EQ(run.counts().lines, 2u);
  EXPECT_EQ(run.counts().noise_lines, 1u);
  EXPECT_EQ(run.counts().total, 1u);
  EXPECT_EQ(run.recorder.lines[0].text.size(), 32u);
}

TEST(MarkerStream, NulAndInvalidUtf8) {
  Feeder run;
  const std::string log = std::string("a\0b\xff\xfe\n", 6) +
                          std::string("RAYOS_BOOT:START:v\0 #0\n", 23) +
                          "RAYOS_BOOT:START:\xff\xfe\n" + "\xff RAYOS_BOOT:READY\n";
  run.feed(log).finish();
  EXPECT_EQ(run.counts().noise_lines, 1u);
  EXPECT_EQ(run.counts().malformed, 2u);
  EXPECT_EQ(run.counts().total, 1u);
  EXPECT_EQ(run.recorder.lines[0].text, std::string("a\0b\xff\xfe", 5));
  ASSERT_EQ(run.stream.problems().size(), 2u);
  EXPECT_EQ(run.stream.problems()[0].text, "RAYOS_BOOT:START:v\\x00 #0");
  EXPECT_EQ(run.stream.problems()[1].text, "RAYOS_BOOT:START:\\xff\\xfe");
}

TEST(MarkerStream, FinishWithPartialMarkerAndPartialNoise) {
  Feeder run;
  run.feed(with_crc("BOOT:START:1", 0) + "\n" + with_crc("SYS:HEARTBEAT:5", 1)).finish(99);
  EXPECT_EQ(run.counts().total, 1u);
  EXPECT_EQ(run.counts().malformed, 1u);
  ASSERT_EQ(run.stream.problems().size(), 1u);
  EXPECT_THAT(run.stream.problems()[0].reason, HasSubstr("truncated at end of stream"));
  EXPECT_EQ(run.recorder.lines.back(),
            (Recorder::Line{2, 99, with_crc("SYS:HEARTBEAT:5", 1), LineKind::Malformed, true}));
  run.feed("[ 1.0] half a line").finish();
  EXPECT_EQ(run.counts().noise_lines, 1u);
  EXPECT_TRUE(run.recorder.lines.back().truncated);
  // The stream goes on after finish(): line numbers continue, the seq accounting too.
  run.feed(with_crc("SYS:HEARTBEAT:6", 2) + "\n").finish();
  EXPECT_EQ(run.recorder.lines.back().line_no, 4u);
  EXPECT_EQ(run.counts().lost, 0u);
  run.finish();
  EXPECT_EQ(run.counts().lines, 4u);
}

TEST(MarkerStream, SeqGapsAreLost) {
  Feeder run;
  run.feed(join_lines({with_crc("BOOT:START:1", 0), with_crc("SYS:HEARTBEAT:1", 1),
                       with_crc("SYS:HEARTBEAT:4", 4), with_crc("SYS:HEARTBEAT:5", 5),
                       with_crc("SYS:HEARTBEAT:9", 9)}));
  EXPECT_EQ(run.counts().lost, 2u + 3u);
  ASSERT_EQ(run.stream.gaps().size(), 2u);
  EXPECT_EQ(run.stream.gap_count(), 2u);
  const SequenceGap& g = run.stream.gaps()[0];
  EXPECT_EQ(g.line_no, 3u);
  EXPECT_EQ(g.expected, 2u);
  EXPECT_EQ(g.seq, 4u);
  EXPECT_EQ(g.lost, 2u);
}

TEST(MarkerStream, CorruptLinesExplainGapsButNoMore) {
  std::string bad = with_crc("SYS:HEARTBEAT:2", 2);
  bad[bad.size() - 1] = bad.back() == '0' ? '1' : '0';
  Feeder run;
  run.feed(join_lines({with_crc("BOOT:START:1", 0), with_crc("SYS:HEARTBEAT:1", 1), bad,
                       with_crc("SYS:HEARTBEAT:4", 4)}));
  EXPECT_EQ(run.counts().corrupt, 1u);
  EXPECT_EQ(run.counts().lost, 1u);  // 2 and 3 missing, the corrupt line is one of them
  // More corrupt lines than missing numbers: no negative loss, and nothing carried over.
  run.feed(join_lines({bad, bad, with_crc("SYS:HEARTBEAT:6", 6), with_crc("SYS:HEARTBEAT:8", 8)}));
  EXPECT_EQ(run.counts().corrupt, 3u);
  EXPECT_EQ(run.counts().lost, 1u + 0u + 1u);
  expect_consistent(run.counts());
}

TEST(MarkerStream, MalformedWithTrustedSeqAdvancesTheExpectation) {
  Feeder run;
  run.feed(join_lines({with_crc("BOOT:START:1", 0), with_crc("SYS:HEARTBEAT:nope", 1),
                       with_crc("SYS:HEARTBEAT:2", 2)}));
  EXPECT_EQ(run.counts().malformed, 1u);
  EXPECT_EQ(run.counts().lost, 0u);
  // A malformed line without any seq (cut by the guest dying) explains one missing number.
  run.feed(join_lines({"RAYOS_SYS:HEARTB", with_crc("SYS:HEARTBEAT:4", 4)}));
  EXPECT_EQ(run.counts().lost, 0u);
  EXPECT_EQ(run.counts().malformed, 2u);
}

TEST(MarkerStream, RebootRestartsTheSequence) {
  Feeder run;
  run.feed(join_lines({with_crc("BOOT:START:1", 0), with_crc("SYS:HEARTBEAT:1", 1),
                       with_crc("SYS:HEARTBEAT:2", 2), with_crc("BOOT:START:1", 0),
                       with_crc("SYS:HEARTBEAT:1", 1), with_crc("SYS:HEARTBEAT:3", 3)}));
  EXPECT_EQ(run.counts().boots, 2u);
  EXPECT_EQ(run.counts().lost, 1u);
  EXPECT_EQ(run.counts().malformed, 0u);
}

TEST(MarkerStream, ABootStartGluedToACutLineCountsTheBoot) {
  Feeder run;
  run.feed(join_lines({with_crc("BOOT:START:1", 0), with_crc("SYS:HEARTBEAT:1", 1),
                       "RAYOS_SYS:HEART" + with_crc("BOOT:START:1", 0),
                       with_crc("SYS:HEARTBEAT:1", 1)}));
  EXPECT_EQ(run.counts().boots, 2u);
  EXPECT_EQ(run.counts().lost, 0u);
  EXPECT_EQ(run.counts().malformed + run.counts().corrupt, 0u);
  expect_consistent(run.counts());
  ASSERT_EQ(run.recorder.markers.size(), 4u);
  EXPECT_EQ(run.recorder.markers[2].name, "BOOT:START");
  EXPECT_EQ(run.recorder.markers[2].line_no, 3u);
}

TEST(MarkerStream, SequenceGoingBackIsMalformedAndResynchronises) {
  Feeder run;
  run.feed(join_lines({with_crc("BOOT:START:1", 0), with_crc("SYS:HEARTBEAT:1", 5),
                       with_crc("SYS:HEARTBEAT:1", 3), with_crc("SYS:HEARTBEAT:1", 4)}));
  EXPECT_EQ(run.counts().malformed, 1u);
  EXPECT_EQ(run.counts().total, 3u);
  EXPECT_EQ(run.counts().lost, 4u);  // 1..4 before seq 5; after the resync 4 follows 3
  ASSERT_EQ(run.stream.problems().size(), 1u);
  EXPECT_EQ(run.stream.problems()[0].reason, "sequence went back from 6 to 3");
  EXPECT_EQ(run.recorder.markers.size(), 3u);
}

TEST(MarkerStream, MarkersWithoutSeqDoNotTouchTheAccounting) {
  Feeder run;
  run.feed(join_lines({with_crc("BOOT:START:1", 0), "RAYOS_SYS:HEARTBEAT:1",
                       with_crc("SYS:HEARTBEAT:2", 1), "RAYOS_SYS:HEARTBEAT:3",
                       with_seq("SYS:HEARTBEAT:3", 2)}));
  EXPECT_EQ(run.counts().total, 5u);
  EXPECT_EQ(run.counts().lost, 0u);
}

TEST(MarkerStream, FirstSeqWithoutBootStartSetsTheExpectation) {
  Feeder run;
  run.feed(join_lines({with_crc("SYS:HEARTBEAT:1", 40), with_crc("SYS:HEARTBEAT:1", 42)}));
  EXPECT_EQ(run.counts().lost, 1u);
  EXPECT_EQ(run.counts().boots, 0u);
}

TEST(MarkerStream, RequireSeqAndCrc) {
  StreamOptions options;
  options.require_seq = true;
  Feeder seq(options);
  seq.feed(join_lines({"RAYOS_BOOT:READY", with_seq("BOOT:READY", 1), with_crc("BOOT:READY", 2)}));
  EXPECT_EQ(seq.counts().malformed, 1u);
  EXPECT_THAT(seq.stream.problems()[0].reason, HasSubstr("missing sequence number"));
  options.require_crc = true;
  Feeder crc(options);
  crc.feed(join_lines({"RAYOS_BOOT:READY", with_seq("BOOT:READY", 1), with_crc("BOOT:READY", 2)}));
  EXPECT_EQ(crc.counts().malformed, 2u);
  EXPECT_THAT(crc.stream.problems()[1].reason, HasSubstr("missing CRC-32C"));
}

TEST(MarkerStream, ProblemsAreCappedButCounted) {
  StreamOptions options;
  options.max_problems_kept = 3;
  Feeder run(options);
  for (int i = 0; i < 10; ++i) run.feed("RAYOS_SYS:HEARTBEAT:bad\n");
  EXPECT_EQ(run.counts().malformed, 10u);
  EXPECT_EQ(run.stream.problems().size(), 3u);
  EXPECT_EQ(run.stream.problems()[2].line_no, 3u);
}

TEST(MarkerStream, ProblemTextIsEscapedAndCut) {
  Feeder run;
  run.feed("RAYOS_SYS:HEARTBEAT:\x1b[31m" + std::string(300, 'z') + "\n");
  ASSERT_EQ(run.stream.problems().size(), 1u);
  const std::string& text = run.stream.problems()[0].text;
  EXPECT_EQ(text.find('\x1b'), std::string::npos);
  EXPECT_THAT(text, HasSubstr("\\x1b[31m"));
  EXPECT_EQ(text.size(), 200u + 3u /* \x1b takes 4 for 1 */ + 3u /* "…" */);
}

TEST(MarkerStream, FieldByName) {
  struct Check : MarkerObserver {
    void on_marker(const MarkerEvent& e) override {
      ASSERT_NE(e.field("latency_us"), nullptr);
      latency = e.field("latency_us")->u;
      missing = e.field("nope") == nullptr;
      matches = e.is("SOAK", "METRICS_SNAPSHOT");
    }
    uint64_t latency = 0;
    bool missing = false, matches = false;
  } check;
  MarkerStream stream(test_schema());
  stream.add_observer(&check);
  stream.feed("RAYOS_SOAK:METRICS_SNAPSHOT:1:2:345:4\n", 0);
  EXPECT_EQ(check.latency, 345u);
  EXPECT_TRUE(check.missing);
  EXPECT_TRUE(check.matches);
}

}  // namespace
}  // namespace osh::marker
