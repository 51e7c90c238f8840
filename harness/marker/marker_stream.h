#pragma once
// The streaming side of the marker protocol (docs/schema.md): bytes from a console in, lines split
// (also across reads), each line classified as a marker, noise, a malformed or a corrupt marker,
// and markers checked against the schema, their sequence numbers and their CRC-32C.
// Nothing is dropped silently: every class of line is counted, malformed and corrupt lines are
// kept (capped) with their line numbers, and every line reaches the line observers.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "harness/base/word_sieve.h"
#include "harness/marker/line_parser.h"
#include "harness/marker/marker_event.h"
#include "harness/marker/schema.h"
#include "harness/marker/stream_types.h"

namespace osh::marker {

struct ConsoleLine {
  uint64_t line_no = 0;
  int64_t host_ns = 0;
  std::string_view text;  // without EOL; may hold any bytes
  LineKind kind = LineKind::Noise;
  bool truncated = false;  // cut at the line-length limit, or unterminated at end of stream
};

struct MarkerCounts {
  uint64_t bytes = 0;
  uint64_t lines = 0;
  uint64_t total = 0;        // valid markers
  uint64_t lost = 0;         // sequence numbers never seen (gaps)
  uint64_t corrupt = 0;      // CRC mismatches
  uint64_t malformed = 0;    // grammar or schema violations, markers truncated at EOF
  uint64_t noise_lines = 0;  // lines without a marker
  uint64_t boots = 0;        // BOOT:START markers (sequence numbering restarts at each)
};

// A line that was not a valid marker, kept for the report.
struct LineProblem {
  uint64_t line_no = 0;
  LineKind kind = LineKind::Malformed;
  std::string reason;  // "field 2 (cpu_pct) of SOAK:METRICS_SNAPSHOT: expected u32, got \"x1\""
  std::string text;    // the line, escaped (escape_text) and cut to 200 bytes
};

// Sequence numbers that never arrived: `lost` of them between `expected` and `seq`.
struct SequenceGap {
  uint64_t line_no = 0;  // the line whose seq revealed the gap
  uint64_t expected = 0;
  uint64_t seq = 0;
  uint64_t lost = 0;
};

class MarkerObserver {
 public:
  virtual ~MarkerObserver() = default;
  virtual void on_marker(const MarkerEvent& event) = 0;
  // False: on_marker is never called (asked once, in add_observer). When no observer wants
  // markers, feed_file keeps no record of a valid marker whose seq follows the one before it:
  // it is counted where it was parsed, on either thread (ParsedSegment::plain_lines).
  virtual bool wants_markers() const { return true; }
  // Every line, markers included, in arrival order. Default: ignore.
  virtual void on_line(const ConsoleLine& /*line*/) {}
  // False: on_line is never called (asked once, in add_observer). Saves a call per line, and
  // lets feed_file parse on two threads.
  virtual bool wants_lines() const { return true; }
  // Words the observer waits for (asked once, in add_observer), when it promises that, while
  // quiet(), a line holding none of them changes nothing in it but which noise line it saw
  // last. feed_file then still parses on two threads and, while every observer is quiet, hands
  // it only the lines that hold a word, each after the last noise line before it (unless that
  // one was handed already); every line while one is not quiet. Empty: every line, one thread.
  virtual std::vector<std::string> line_words() const { return {}; }
  virtual bool quiet() const { return false; }
};

class MarkerStream {
 public:
  explicit MarkerStream(const Schema& schema, StreamOptions options = {});
  MarkerStream(const MarkerStream&) = delete;
  MarkerStream& operator=(const MarkerStream&) = delete;

  void add_observer(MarkerObserver* observer);

  // Bytes as they arrive; `host_ns` stamps every line completed by this chunk.
  void feed(std::string_view bytes, int64_t host_ns);
  // What `fd` holds from its position to its end, as feed() would take it in pieces. A regular
  // file that no observer wants lines of is parsed on two threads: each takes the next segment
  // (the lines that start in the next `segment_bytes` of the file), reads it with pread into a
  // buffer of its own, parses it and settles it when its turn comes: in order, so sequence
  // numbers are checked across the seams and observers are called in order, one call at a
  // time, from either thread (each call after the last has returned). Read, not mapped: on a
  // virtual machine with nested paging, the page walks of a large mapping cost more than the
  // kernel's copy (docs/performance.md). Anything else is read in 256 KiB pieces and fed.
  // Throws osh::InputError when a read fails or the file shrinks.
  // 128 KiB segments measured fastest: 256 KiB ones were 3% slower, 512 KiB ones 12% (their
  // buffers and vectors take more page faults), 64 KiB ones 1% (docs/performance.md).
  void feed_file(int fd, int64_t host_ns, size_t segment_bytes = 128 << 10);
  // End of stream: an unterminated last line is classified (a partial marker is malformed,
  // "truncated at end of stream"); the stream can take a new boot's bytes afterwards.
  void finish(int64_t host_ns);
  // End of stream because the reader stopped its source (killed the VM): an unterminated last
  // line was cut by that stop, not by the writer, so it counts as a cut noise line, never as a
  // malformed marker. The stream can take a new boot's bytes afterwards.
  void finish_stopped(int64_t host_ns);

  const MarkerCounts& counts() const { return counts_; }
  const std::vector<LineProblem>& problems() const { return problems_; }
  // Where sequence numbers went missing (capped like problems()), and how many gaps in all.
  const std::vector<SequenceGap>& gaps() const { return gaps_; }
  uint64_t gap_count() const { return gap_count_; }
  // Valid markers per "CATEGORY:EVENT", sorted by name; kinds never seen are left out.
  std::vector<std::pair<std::string, uint64_t>> markers_by_kind() const;

 private:
  enum class LineEnd : uint8_t { Complete, Cut, EndOfStream };
  // One segment of feed_file: read and parsed (on either thread), not yet settled.
  struct ParsedSegment {
    struct Attempt {  // a line that holds a marker, valid or not
      Attempt() {}    // no zeroing: the parser writes every member of `result`, feed_file the rest
      std::string_view line;
      uint64_t line_in_segment;  // 1 for the segment's first line
      LineResult result;
      uint32_t first_field, field_count;  // in `fields`
      uint32_t reason;                    // in `reasons`, for Malformed and Corrupt
      // The seq of the last plain marker before it, when one of them was the last to move the
      // sequence on: the stream expects the seq after it (see `plain_lines`).
      std::optional<uint64_t> resume;
    };
    uint64_t index = 0;  // its lines start in [index, index + 1) * segment_bytes of the file
    std::unique_ptr<char[]> buffer;  // its bytes, from one before the segment on
    size_t capacity = 0;
    const char* begin = nullptr;  // its first line, in `buffer`
    const char* end = nullptr;    // just past the line feed of its last whole line
    // The line after `end` starts in the segment but is longer than a line may be: it counts,
    // cut (as noise), and the next segments skip its rest.
    bool cut = false;
    std::string_view rest;  // the file's unterminated last line, when it starts in the segment
    uint64_t lines = 0;     // whole lines and the cut one
    std::vector<Attempt> attempts;
    std::vector<FieldValue> fields;
    std::vector<std::string> reasons;  // the parser's: kept apart, valid markers have none
    // Plain markers, when no observer wants markers: valid, known to the schema, not a boot,
    // and in sequence (their seq follows the last one before them in the segment, or they have
    // none to check). Settling one would only count it, so they have no Attempt: their lines
    // (for the line observers), how many there are of each schema marker, and where the
    // sequence stands after the segment's last one, when nothing after it moved it on.
    std::vector<uint64_t> plain_lines;
    std::vector<uint32_t> plain_per_spec;
    std::optional<uint64_t> resume_end;
    struct Pick {  // a line that holds one of the line observers' words
      uint64_t line_in_segment;
      std::string_view text;  // as feed() hands it: cut at max_line_bytes
      bool cut;
    };
    std::vector<Pick> picks;
  };
  // A noise line of a segment, found by noise_before().
  struct NoiseLine {
    uint64_t line_in_segment = 0;
    std::string_view text;
    bool cut = false;
  };
  // Thread-safe but for `parser` and `segment`: read only options_. `offset`: where the file's
  // `size` bytes start.
  void read_segment(int fd, uint64_t offset, uint64_t size, size_t segment_bytes,
                    ParsedSegment& segment) const;
  void parse_segment(LineParser& parser, ParsedSegment& segment) const;
  void pick_lines(ParsedSegment& segment) const;
  void settle_segment(const ParsedSegment& segment, int64_t host_ns);
  // settle() for an attempt of a segment, after what its plain markers left of the sequence.
  void settle_attempt(const ParsedSegment& segment, const ParsedSegment::Attempt& attempt,
                      int64_t host_ns);
  // A segment's plain markers counted: `handed` of them were handed to the line observers as
  // lines (deliver_line counted those), the rest among the noise lines; and the sequence left
  // where the last one put it.
  void settle_plain(const ParsedSegment& segment, uint64_t handed);
  // The sequence as account() leaves it after a plain marker with this seq, if one is given.
  void resume_sequence(std::optional<uint64_t> last_plain_seq);
  // settle_segment for line observers that named words: see MarkerObserver::line_words.
  void settle_sieved(const ParsedSegment& segment, int64_t host_ns);
  // The last noise line of `segment` before its line `line_in_segment`, walking back from
  // `start` (where that line starts); `attempts_before`: how many attempts come before it.
  NoiseLine noise_before(const ParsedSegment& segment, uint64_t line_in_segment, const char* start,
                         size_t attempts_before) const;
  bool lines_quiet() const;

  // A line without prefix candidate and within the length limit: counted as noise, no parse.
  bool plain_noise(std::string_view line, size_t key_at) const {
    return key_at >= line.size() && line.size() <= options_.max_line_bytes;
  }
  // The unterminated end of a chunk: kept for the next feed(), or cut when already too long.
  void keep_tail(const char* p, const char* end, int64_t host_ns);
  void cut_partial(const char* more, int64_t host_ns);
  // finish() (EndOfStream: the partial line is judged) or finish_stopped() (Cut: it is noise).
  void end_stream(int64_t host_ns, LineEnd end);
  // A line without its EOL (LF or CR LF), cut when too long, else parsed and settled. `key_at`:
  // no "<prefix>_" starts before it in the line.
  void process_line(std::string_view line, int64_t host_ns, LineEnd end, size_t key_at);
  // The bookkeeping after the parse: sequence, counts, problems, observers.
  void settle(std::string_view line, int64_t host_ns, LineEnd end, const LineResult& result,
              std::span<const FieldValue> fields, std::string_view parser_reason);
  // A marker attempt that is a problem (malformed, corrupt, out of order, cut off by the end of
  // the stream) is kept with its reasons; returns its kind. Apart from settle(): rare, and its
  // strings would weigh on the common case.
  LineKind keep_attempt_problem(std::string_view line, LineEnd end, const LineResult& result,
                                bool in_order, std::string_view parser_reason);
  // Counts the line and hands it to the line observers.
  void deliver_line(std::string_view line, int64_t host_ns, LineEnd end, LineKind kind);
  void notify_line(std::string_view line, int64_t host_ns, LineKind kind, bool truncated);
  void hand_line(uint64_t line_no, std::string_view line, int64_t host_ns, LineKind kind,
                 bool truncated);
  // Sequence bookkeeping for a marker attempt; false when its seq went back (then malformed).
  bool account(const LineResult& result, uint64_t line_no);
  // One more valid marker of its kind (markers_by_kind).
  void count_kind(const LineResult& result);
  void keep_problem(uint64_t line_no, LineKind kind, std::string_view line, std::string reason);

  const Schema& schema_;
  StreamOptions options_;
  LineParser parser_;
  std::vector<MarkerObserver*> marker_observers_;  // those that want on_marker
  std::vector<MarkerObserver*> line_observers_;    // those that want on_line
  bool every_line_ = false;  // a line observer named no words: it needs every line
  WordSieve line_words_;     // the words the line observers named
  // While settle_sieved holds lines back from the line observers: the last line they were
  // handed, and the last noise line settled (a copy, for the next segment).
  bool hold_lines_ = false;
  uint64_t handed_through_ = 0;
  std::string last_noise_;
  uint64_t last_noise_no_ = 0;
  bool last_noise_cut_ = false;
  std::string partial_;      // bytes of the current line not yet terminated
  bool discarding_ = false;  // inside an overlong line, after its first max_line_bytes
  MarkerCounts counts_;
  std::vector<LineProblem> problems_;
  std::vector<SequenceGap> gaps_;
  std::vector<uint64_t> per_spec_;                        // valid markers of each schema marker
  std::map<std::string, uint64_t, std::less<>> unknown_;  // of a permissive schema, by name
  uint64_t gap_count_ = 0;
  std::optional<uint64_t> expected_seq_;
  // Corrupt or malformed attempts without a trusted seq since the last trusted one: each may
  // explain one missing sequence number.
  uint64_t untrusted_since_trusted_ = 0;
  uint64_t went_back_from_ = 0;  // the expected seq when account() last returned false
};

// Parses one line on its own, without sequence bookkeeping (for tools, tests and fuzzing).
struct ParsedLine {
  LineKind kind = LineKind::Noise;
  std::string reason;  // for Malformed / Corrupt
  std::string_view category, event;
  std::vector<FieldValue> fields;
  std::optional<uint64_t> seq;
  const MarkerSpec* spec = nullptr;
};
ParsedLine parse_line(std::string_view line, const Schema& schema);

}  // namespace osh::marker
