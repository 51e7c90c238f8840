#include "harness/marker/marker_stream.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <exception>
#include <mutex>
#include <thread>

#include "harness/base/errors.h"
#include "harness/base/escape.h"
#include "harness/marker/line_splitter.h"

namespace osh::marker {
namespace {

constexpr size_t kProblemTextBytes = 200;
// For pipes and devices: large enough that system calls cost nothing next to parsing, small
// enough to stay in L2.
constexpr size_t kReadBytes = 256 * 1024;
// How far feed_file reads past a segment's end at first, and then on at a time while the line
// that crosses it goes on.
constexpr size_t kLookahead = 4096;

// Reads [offset, offset + n) of `fd` in full.
void read_at(int fd, char* into, size_t n, uint64_t offset) {
  while (n > 0) {
    const ssize_t got = ::pread(fd, into, n, off_t(offset));
    if (got > 0) {
      into += got;
      n -= size_t(got);
      offset += uint64_t(got);
    } else if (got == 0) {
      throw InputError("the console log got shorter while it was read");
    } else if (errno != EINTR) {
      throw InputError(errno_message("cannot read the console log", errno));
    }
  }
}

std::string_view without_cr(std::string_view line) {
  return !line.empty() && line.back() == '\r' ? line.substr(0, line.size() - 1) : line;
}

// A schema can make seq and CRC mandatory for its guest; options can only add to that.
StreamOptions with_schema_requirements(StreamOptions options, const Schema& schema) {
  options.require_seq = options.require_seq || schema.requires_seq();
  options.require_crc = options.require_crc || schema.requires_crc();
  return options;
}

}  // namespace

MarkerStream::MarkerStream(const Schema& schema, StreamOptions options)
    : schema_(schema),
      options_(with_schema_requirements(options, schema)),
      parser_(schema_, options_),
      per_spec_(schema.markers().size(), 0) {
  if (options_.max_line_bytes == 0) options_.max_line_bytes = 1;
}

void MarkerStream::add_observer(MarkerObserver* observer) {
  if (observer->wants_markers()) marker_observers_.push_back(observer);
  if (!observer->wants_lines()) return;
  line_observers_.push_back(observer);
  std::vector<std::string> words = observer->line_words();
  if (words.empty()) {
    every_line_ = true;
    return;
  }
  words.insert(words.begin(), line_words_.words().begin(), line_words_.words().end());
  line_words_ = WordSieve(std::move(words));
}

void MarkerStream::feed(std::string_view bytes, int64_t host_ns) {
  counts_.bytes += bytes.size();
  // A line may hold its content plus a CR before we know whether the CR ends it.
  const size_t limit = options_.max_line_bytes + 1;
  const char* p = bytes.data();
  const char* const end = p + bytes.size();
  const auto next_lf = [&] { return static_cast<const char*>(std::memchr(p, '\n', end - p)); };

  // The rest of a line that an earlier chunk started.
  if (discarding_ || !partial_.empty()) {
    const char* lf = next_lf();
    if (discarding_) {  // the rest of an overlong line, already counted
      if (lf == nullptr) return;
      discarding_ = false;
    } else if (partial_.size() + ((lf ? lf : end) - p) > limit) {
      cut_partial(p, host_ns);
      discarding_ = lf == nullptr;
      if (lf == nullptr) return;
    } else if (lf == nullptr) {
      partial_.append(p, end - p);
      return;
    } else {
      partial_.append(p, lf - p);
      process_line(without_cr(partial_), host_ns, LineEnd::Complete, 0);
      partial_.clear();
    }
    p = lf + 1;
  }

  // Lines wholly inside `bytes`: zero-copy views.
  p = split_lines(p, end, parser_.key(), [&](const char* begin, const char* lf, size_t key_at) {
    const std::string_view line = without_cr(std::string_view(begin, size_t(lf - begin)));
    if (plain_noise(line, key_at)) {  // most lines: counted here without further calls
      ++counts_.lines;
      ++counts_.noise_lines;
      if (!line_observers_.empty()) notify_line(line, host_ns, LineKind::Noise, false);
      return;
    }
    process_line(line, host_ns, LineEnd::Complete, key_at);
  });
  keep_tail(p, end, host_ns);
}

void MarkerStream::keep_tail(const char* p, const char* end, int64_t host_ns) {
  if (size_t(end - p) > options_.max_line_bytes + 1) {
    cut_partial(p, host_ns);
    discarding_ = true;
  } else {
    partial_.assign(p, size_t(end - p));
  }
}

void MarkerStream::feed_file(int fd, int64_t host_ns, size_t segment_bytes) {
  segment_bytes = std::max<size_t>(segment_bytes, 1);
  struct stat st {};
  const off_t offset = ::lseek(fd, 0, SEEK_CUR);
  const bool regular = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && offset >= 0;
  const uint64_t size = regular && st.st_size > offset ? uint64_t(st.st_size - offset) : 0;
  if (regular) ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  if (every_line_ || discarding_ || !partial_.empty() || size <= segment_bytes) {
    const auto buffer = std::make_unique_for_overwrite<char[]>(kReadBytes);
    for (;;) {
      const ssize_t n = ::read(fd, buffer.get(), kReadBytes);
      if (n == 0) return;
      if (n > 0) {
        feed(std::string_view(buffer.get(), size_t(n)), host_ns);
      } else if (errno != EINTR) {
        throw InputError(errno_message("cannot read the console log", errno));
      }
    }
  }
  counts_.bytes += size;

  // Both threads take the next segment, read and parse it, wait for their turn and settle it:
  // in order, so that sequence numbers, counts, problems and observers see one stream, as
  // feed() gives it. The thread that parsed a segment settles it because its attempts are
  // still in that core's cache: when one thread settled every segment, half of them parsed on
  // the other core, `osharness parse` took 9% more CPU time (docs/performance.md). A thread
  // holds one segment at a time, so at most two are read and not settled, one after the
  // other: two slots, taken in turn.
  ParsedSegment slots[2];
  // Room for a segment of typical markers from the start: growing step by step would copy, and
  // touch fresh pages at every step (page faults cost much on a virtual machine). A 128 KiB
  // segment of the 75%-marker log holds about 4,100 fields.
  for (ParsedSegment& slot : slots) {
    slot.attempts.reserve(segment_bytes / 64);
    slot.fields.reserve(segment_bytes / 24);
  }
  const uint64_t segments = (size + segment_bytes - 1) / segment_bytes;
  uint64_t claimed = 0, settled = 0;
  std::exception_ptr error;  // the first thread's to fail; both stop
  std::mutex mutex;
  std::condition_variable changed;

  const auto work = [&](LineParser& parser) {
    std::unique_lock lock(mutex);
    while (!error && claimed < segments) {
      ParsedSegment& segment = slots[claimed % 2];
      segment.index = claimed++;
      lock.unlock();
      try {
        read_segment(fd, uint64_t(offset), size, segment_bytes, segment);
        parse_segment(parser, segment);
        lock.lock();
        changed.wait(lock, [&] { return error || settled == segment.index; });
        if (error) return;
        lock.unlock();
        if (line_observers_.empty()) {
          settle_segment(segment, host_ns);
        } else {
          settle_sieved(segment, host_ns);
        }
        // The file's last line, unterminated, waits in partial_ as feed() leaves it.
        if (!segment.rest.empty())
          keep_tail(segment.rest.data(), segment.rest.data() + segment.rest.size(), host_ns);
        lock.lock();
        ++settled;
      } catch (...) {
        if (!lock.owns_lock()) lock.lock();
        if (!error) error = std::current_exception();
      }
      changed.notify_all();
    }
  };
  std::thread helper([&] {
    LineParser parser(schema_, options_);
    work(parser);
  });
  work(parser_);
  helper.join();
  if (error) std::rethrow_exception(error);
}

void MarkerStream::read_segment(int fd, uint64_t offset, uint64_t size, size_t segment_bytes,
                                ParsedSegment& segment) const {
  const uint64_t start = segment.index * segment_bytes;
  const uint64_t stop = std::min(size, start + segment_bytes);
  // From the byte before the segment on: a line starts at `start` when that byte is a line feed.
  const uint64_t from = start == 0 ? 0 : start - 1;
  // A line that starts before `stop` is read to its line feed, or until it is longer than a
  // line may be (then it is cut). The first read takes a little more than the segment, enough
  // for most lines that cross its end, so that they need no second read.
  const size_t capacity = size_t(stop - from) + std::max(options_.max_line_bytes + 2, kLookahead);
  if (segment.capacity < capacity) {
    segment.buffer = std::make_unique_for_overwrite<char[]>(capacity);
    segment.capacity = capacity;
  }
  char* const data = segment.buffer.get();
  size_t held = size_t(std::min(size, stop + std::min(segment_bytes, kLookahead)) - from);
  read_at(fd, data, held, offset + from);
  segment.begin = segment.end = data;
  segment.cut = false;
  segment.rest = {};

  size_t first = 0;  // where the segment's first line starts
  if (start != 0) {
    const void* lf = std::memchr(data, '\n', size_t(stop - from));
    first = lf ? size_t(static_cast<const char*>(lf) - data) + 1 : size_t(stop - from);
    if (first == stop - from) return;  // no line starts here: it is inside an earlier one
  }
  segment.begin = data + first;
  // The last line that starts before `stop` ends at the first line feed from stop - 1 on.
  size_t searched = size_t(stop - from) - 1;
  for (;;) {
    if (const void* lf = std::memchr(data + searched, '\n', held - searched)) {
      segment.end = static_cast<const char*>(lf) + 1;
      return;
    }
    const void* lf_before = memrchr(segment.begin, '\n', size_t(stop - from) - 1 - first);
    const char* const line = lf_before ? static_cast<const char*>(lf_before) + 1 : segment.begin;
    segment.end = line;
    if (from + held == size) {
      segment.rest = std::string_view(line, size_t(data + held - line));
      return;
    }
    if (size_t(data + held - line) >= options_.max_line_bytes + 2) {
      segment.cut = true;
      return;
    }
    searched = held;
    const size_t more = std::min<size_t>(size_t(size - from), capacity) - held;
    read_at(fd, data + held, std::min(more, kLookahead), offset + from + held);
    held += std::min(more, kLookahead);
  }
}

void MarkerStream::parse_segment(LineParser& parser, ParsedSegment& segment) const {
  segment.attempts.clear();
  segment.fields.clear();
  segment.reasons.clear();
  segment.plain_lines.clear();
  // Without an observer that wants markers, most markers need no Attempt (ParsedSegment::
  // plain_lines): skipping their records, and settling only the rest, took 17% off the time of
  // `osharness parse` on the 75% log and 10% on the 30% log (docs/performance.md).
  const bool plain_ok = marker_observers_.empty();
  segment.plain_per_spec.assign(plain_ok ? schema_.markers().size() : 0, 0);
  // Where the sequence stands after the last attempt so far, as account() will see it: the
  // seq that the next in order follows, or none when the next trusted seq needs the full check.
  std::optional<uint64_t> last_seq;
  bool last_plain = false;  // last_seq is a plain marker's
  uint64_t lines = 0;       // so far, the current one included
  split_key_lines(
      segment.begin, segment.end, parser.key(), lines,
      [&](const char* begin, const char* lf, size_t key_at) {
        const std::string_view line = without_cr(std::string_view(begin, size_t(lf - begin)));
        if (line.size() > options_.max_line_bytes) return;  // cut: noise
        // Parsed into its place: a copy of the parser's result would stall (see
        // parse()).
        ParsedSegment::Attempt& attempt = segment.attempts.emplace_back();
        const size_t first_field = segment.fields.size();
        if (plain_ok) {  // no observer reads a marker's fields
          parser.check(line, key_at, attempt.result);
        } else {
          parser.parse(line, key_at, attempt.result, segment.fields);
        }
        const LineResult& result = attempt.result;
        if (result.kind == LineKind::Noise) {
          segment.attempts.pop_back();
          return;
        }
        const bool trusted = result.seq && result.seq_trusted;
        if (plain_ok && result.kind == LineKind::Marker && result.spec != nullptr &&
            !result.boot_start && (!trusted || (last_seq && *result.seq == *last_seq + 1))) {
          ++segment.plain_per_spec[size_t(result.spec - schema_.markers().data())];
          segment.plain_lines.push_back(lines);
          if (trusted) {
            last_seq = result.seq;
            last_plain = true;
          }
          segment.attempts.pop_back();
          return;
        }
        attempt.resume = last_plain ? last_seq : std::nullopt;
        last_plain = false;
        if (trusted) {
          last_seq = result.seq;
        } else if (result.boot_start || result.kind != LineKind::Marker) {
          last_seq.reset();  // a boot without a seq, or one more untrusted attempt
        }
        attempt.line = line;
        attempt.line_in_segment = lines;
        attempt.first_field = uint32_t(first_field);
        attempt.field_count = uint32_t(segment.fields.size() - first_field);
        attempt.reason = uint32_t(segment.reasons.size());
        if (attempt.result.kind != LineKind::Marker) segment.reasons.push_back(parser.reason());
      });
  segment.resume_end = last_plain ? last_seq : std::nullopt;
  segment.lines = lines + (segment.cut ? 1 : 0);
  pick_lines(segment);
}

void MarkerStream::pick_lines(ParsedSegment& segment) const {
  segment.picks.clear();
  if (line_words_.empty()) return;
  const size_t max = options_.max_line_bytes;
  // The cut line after `end` is searched only in what feed() hands of it.
  const char* const until = segment.cut ? segment.end + max : segment.end;
  const char* counted = segment.begin;  // lines before it are counted in `line`
  uint64_t line = 1;
  for (const char* p = segment.begin; p < until;) {
    const char* const hit = line_words_.find(p, until);
    if (hit == nullptr) return;
    const void* lf_before = memrchr(counted, '\n', size_t(hit - counted));
    const char* const start = lf_before ? static_cast<const char*>(lf_before) + 1 : counted;
    line += uint64_t(std::count(counted, start, '\n'));
    counted = start;
    const void* lf = std::memchr(hit, '\n', size_t(until - hit));
    const char* const stop = lf ? static_cast<const char*>(lf) : until;
    p = lf ? stop + 1 : until;
    const std::string_view text = without_cr(std::string_view(start, size_t(stop - start)));
    if (start == segment.end) {  // the cut line: its first max bytes as they are
      segment.picks.push_back({line, std::string_view(start, max), true});
    } else if (text.size() <= max) {
      segment.picks.push_back({line, text, false});
    } else if (line_words_.find(start, start + max) != nullptr) {
      segment.picks.push_back({line, text.substr(0, max), true});
    }
  }
}

void MarkerStream::settle_segment(const ParsedSegment& segment, int64_t host_ns) {
  const uint64_t before = counts_.lines;
  const auto noise_until = [&](uint64_t line_in_segment) {
    const uint64_t noise = before + line_in_segment - counts_.lines;
    counts_.lines += noise;
    counts_.noise_lines += noise;
  };
  for (const ParsedSegment::Attempt& attempt : segment.attempts) {
    noise_until(attempt.line_in_segment - 1);
    settle_attempt(segment, attempt, host_ns);
  }
  noise_until(segment.lines);
  settle_plain(segment, 0);
}

void MarkerStream::settle_attempt(const ParsedSegment& segment,
                                  const ParsedSegment::Attempt& attempt, int64_t host_ns) {
  resume_sequence(attempt.resume);  // what account() did for the plain markers before it
  settle(
      attempt.line, host_ns, LineEnd::Complete, attempt.result,
      std::span<const FieldValue>(segment.fields).subspan(attempt.first_field, attempt.field_count),
      attempt.result.kind == LineKind::Marker ? std::string_view()
                                              : segment.reasons[attempt.reason]);
}

void MarkerStream::settle_plain(const ParsedSegment& segment, uint64_t delivered) {
  const uint64_t counted_as_noise = segment.plain_lines.size() - delivered;
  counts_.noise_lines -= counted_as_noise;
  counts_.total += counted_as_noise;
  for (size_t i = 0; i < segment.plain_per_spec.size(); ++i)
    per_spec_[i] += segment.plain_per_spec[i];
  resume_sequence(segment.resume_end);
}

void MarkerStream::resume_sequence(std::optional<uint64_t> last_plain_seq) {
  if (!last_plain_seq) return;
  expected_seq_ = *last_plain_seq + 1;
  untrusted_since_trusted_ = 0;
}

bool MarkerStream::lines_quiet() const {
  for (const MarkerObserver* observer : line_observers_)
    if (!observer->quiet()) return false;
  return true;
}

MarkerStream::NoiseLine MarkerStream::noise_before(const ParsedSegment& segment,
                                                   uint64_t line_in_segment, const char* start,
                                                   size_t attempts_before) const {
  const size_t max = options_.max_line_bytes;
  for (uint64_t j = line_in_segment - 1; j >= 1; --j) {
    // Line j ends just before `start`.
    const void* lf = start - 1 > segment.begin
                         ? memrchr(segment.begin, '\n', size_t(start - 1 - segment.begin))
                         : nullptr;
    const char* const begin = lf ? static_cast<const char*>(lf) + 1 : segment.begin;
    while (attempts_before > 0 && segment.attempts[attempts_before - 1].line_in_segment > j)
      --attempts_before;
    if ((attempts_before == 0 || segment.attempts[attempts_before - 1].line_in_segment != j) &&
        !std::binary_search(segment.plain_lines.begin(), segment.plain_lines.end(), j)) {
      const std::string_view text = without_cr(std::string_view(begin, size_t(start - 1 - begin)));
      return {j, text.substr(0, max), text.size() > max};
    }
    start = begin;
  }
  return {};
}

void MarkerStream::settle_sieved(const ParsedSegment& segment, int64_t host_ns) {
  const uint64_t before = counts_.lines;
  const size_t max = options_.max_line_bytes;
  const auto& attempts = segment.attempts;
  const auto& picks = segment.picks;
  const auto& plain = segment.plain_lines;
  size_t a = 0, k = 0, p = 0;        // the next attempt, pick and plain marker
  uint64_t plain_handed = 0;         // plain markers handed to the line observers
  uint64_t done = 0;                 // lines of the segment settled
  const char* next = segment.begin;  // where line done + 1 starts
  const auto noise_until = [&](uint64_t line_in_segment) {
    const uint64_t noise = before + line_in_segment - counts_.lines;
    counts_.lines += noise;
    counts_.noise_lines += noise;
  };
  const auto settle_next = [&] { settle_attempt(segment, attempts[a++], host_ns); };
  // The kind of a line that is no attempt, asked in the order of the lines.
  const auto kind_of = [&](uint64_t line) {
    while (p < plain.size() && plain[p] < line) ++p;
    const bool marker = p < plain.size() && plain[p] == line;
    plain_handed += marker;
    return marker ? LineKind::Marker : LineKind::Noise;
  };
  const auto past = [&](std::string_view line) {  // the start of the line after `line`
    const char* const from = line.data() + line.size();
    const void* lf =
        from < segment.end ? std::memchr(from, '\n', size_t(segment.end - from)) : nullptr;
    return lf ? static_cast<const char*>(lf) + 1 : segment.end;
  };
  struct Hold {
    bool& held;
    explicit Hold(bool& h) : held(h) { held = true; }
    ~Hold() { held = false; }
  } hold(hold_lines_);

  bool quiet = lines_quiet();
  while (done < segment.lines) {
    const uint64_t line = done + 1;
    if (!quiet) {  // every line, handed
      hold_lines_ = false;
      if (a < attempts.size() && attempts[a].line_in_segment == line) {
        next = past(attempts[a].line);
        settle_next();
      } else if (line == segment.lines && segment.cut) {
        deliver_line(std::string_view(segment.end, max), host_ns, LineEnd::Cut, LineKind::Noise);
      } else {
        const auto* lf =
            static_cast<const char*>(std::memchr(next, '\n', size_t(segment.end - next)));
        const std::string_view text = without_cr(std::string_view(next, size_t(lf - next)));
        next = lf + 1;
        const bool cut = text.size() > max;
        deliver_line(text.substr(0, max), host_ns, cut ? LineEnd::Cut : LineEnd::Complete,
                     kind_of(line));
      }
      hold_lines_ = true;
      while (k < picks.size() && picks[k].line_in_segment <= line) ++k;
      done = line;
      quiet = lines_quiet();
      continue;
    }
    const uint64_t attempt_at = a < attempts.size() ? attempts[a].line_in_segment : UINT64_MAX;
    const uint64_t pick_at = k < picks.size() ? picks[k].line_in_segment : UINT64_MAX;
    const uint64_t at = std::min(attempt_at, pick_at);
    if (at == UINT64_MAX) break;
    noise_until(at - 1);
    if (pick_at == at) {
      const ParsedSegment::Pick& pick = picks[k++];
      const NoiseLine noise = noise_before(segment, at, pick.text.data(), a);
      if (noise.line_in_segment != 0 && before + noise.line_in_segment > handed_through_)
        hand_line(before + noise.line_in_segment, noise.text, host_ns, LineKind::Noise, noise.cut);
      hold_lines_ = false;
      if (attempt_at == at) {
        settle_next();
      } else {
        deliver_line(pick.text, host_ns, pick.cut ? LineEnd::Cut : LineEnd::Complete, kind_of(at));
      }
      hold_lines_ = true;
      quiet = lines_quiet();
      // `next` matters only to the loop's every-line way; finding it for every marker was 7%
      // of the CPU time of `osharness parse` on the 30% log, all in settling, which takes one
      // segment at a time.
      if (!quiet) next = past(pick.text);
    } else {
      // Every attempt before the next pick, in one tight loop: lines without a trigger word
      // leave the observers quiet. Going round the whole loop for each took 66 instructions a
      // marker (callgrind), in settling, one segment at a time.
      do {
        noise_until(attempts[a].line_in_segment - 1);
        done = attempts[a].line_in_segment;
        settle_next();
      } while (a < attempts.size() && attempts[a].line_in_segment < pick_at);
      continue;
    }
    done = at;
  }
  noise_until(segment.lines);
  settle_plain(segment, plain_handed);
  // The segment's last noise line, for a pick in the next segments.
  const NoiseLine noise =
      segment.cut ? NoiseLine{segment.lines, std::string_view(segment.end, max), true}
                  : noise_before(segment, segment.lines + 1, segment.end, attempts.size());
  if (noise.line_in_segment != 0 && before + noise.line_in_segment > handed_through_) {
    last_noise_.assign(noise.text);
    last_noise_no_ = before + noise.line_in_segment;
    last_noise_cut_ = noise.cut;
  }
}

// An overlong line: its first max_line_bytes are the line (the caller skips the rest).
void MarkerStream::cut_partial(const char* more, int64_t host_ns) {
  const size_t keep = options_.max_line_bytes;
  if (partial_.size() < keep) partial_.append(more, keep - partial_.size());
  deliver_line(std::string_view(partial_).substr(0, keep), host_ns, LineEnd::Cut, LineKind::Noise);
  partial_.clear();
}

void MarkerStream::finish(int64_t host_ns) { end_stream(host_ns, LineEnd::EndOfStream); }

void MarkerStream::finish_stopped(int64_t host_ns) { end_stream(host_ns, LineEnd::Cut); }

void MarkerStream::end_stream(int64_t host_ns, LineEnd end) {
  const std::string_view line = without_cr(partial_);
  if (!partial_.empty()) {
    if (end == LineEnd::Cut) {
      deliver_line(line.substr(0, options_.max_line_bytes), host_ns, end, LineKind::Noise);
    } else {
      process_line(line, host_ns, end, 0);
    }
  }
  partial_.clear();
  discarding_ = false;
}

void MarkerStream::process_line(std::string_view line, int64_t host_ns, LineEnd end,
                                size_t key_at) {
  if (line.size() > options_.max_line_bytes) {  // cut, and a cut line is noise
    deliver_line(line.substr(0, options_.max_line_bytes), host_ns, LineEnd::Cut, LineKind::Noise);
    return;
  }
  const LineResult& result = parser_.parse(line, key_at);  // before fields() and reason()
  settle(line, host_ns, end, result, parser_.fields(), parser_.reason());
}

void MarkerStream::settle(std::string_view line, int64_t host_ns, LineEnd end,
                          const LineResult& result, std::span<const FieldValue> fields,
                          std::string_view parser_reason) {
  LineKind kind = result.kind;
  if (kind != LineKind::Noise) {
    const bool in_order = account(result, counts_.lines + 1);
    if (kind != LineKind::Marker || !in_order || end == LineEnd::EndOfStream) [[unlikely]] {
      kind = keep_attempt_problem(line, end, result, in_order, parser_reason);
    }
  }
  deliver_line(line, host_ns, end, kind);
  if (kind != LineKind::Marker) return;
  count_kind(result);
  if (marker_observers_.empty()) return;
  const MarkerEvent event{counts_.lines, host_ns, result.category, result.event, fields,
                          result.seq,    line,    result.spec};
  for (MarkerObserver* observer : marker_observers_) observer->on_marker(event);
}

void MarkerStream::count_kind(const LineResult& result) {
  if (result.spec != nullptr) {
    ++per_spec_[size_t(result.spec - schema_.markers().data())];
    return;
  }
  // An unknown marker of a permissive schema; "CAT:EVENT" is contiguous in the line.
  const std::string_view key(result.category.data(),
                             result.event.data() + result.event.size() - result.category.data());
  const auto it = unknown_.find(key);
  if (it != unknown_.end()) {
    ++it->second;
  } else {
    unknown_.emplace(std::string(key), 1);
  }
}

std::vector<std::pair<std::string, uint64_t>> MarkerStream::markers_by_kind() const {
  std::map<std::string, uint64_t> all(unknown_.begin(), unknown_.end());
  for (size_t i = 0; i < per_spec_.size(); ++i) {
    const MarkerSpec& spec = schema_.markers()[i];
    if (per_spec_[i] != 0) all[spec.category + ":" + spec.event] += per_spec_[i];
  }
  return {all.begin(), all.end()};
}

LineKind MarkerStream::keep_attempt_problem(std::string_view line, LineEnd end,
                                            const LineResult& result, bool in_order,
                                            std::string_view parser_reason) {
  std::string reason(parser_reason);
  const auto add = [&](std::string more) {
    reason = reason.empty() ? std::move(more) : reason + "; " + more;
  };
  if (end == LineEnd::EndOfStream) add("truncated at end of stream (no line feed)");
  if (!in_order) {
    add("sequence went back from " + std::to_string(went_back_from_) + " to " +
        std::to_string(*result.seq));
  }
  const LineKind kind = result.kind == LineKind::Corrupt ? LineKind::Corrupt : LineKind::Malformed;
  keep_problem(counts_.lines + 1, kind, line, std::move(reason));
  return kind;
}

void MarkerStream::deliver_line(std::string_view line, int64_t host_ns, LineEnd end,
                                LineKind kind) {
  // Indexed by LineKind: a table, not a switch, so that mixed kinds cost no mispredictions.
  static constexpr uint64_t MarkerCounts::*kCount[] = {
      &MarkerCounts::noise_lines, &MarkerCounts::total, &MarkerCounts::malformed,
      &MarkerCounts::corrupt};
  ++counts_.lines;
  ++(counts_.*kCount[size_t(kind)]);
  if (!line_observers_.empty() && !hold_lines_)
    notify_line(line, host_ns, kind, end != LineEnd::Complete);
}

void MarkerStream::notify_line(std::string_view line, int64_t host_ns, LineKind kind,
                               bool truncated) {
  // A noise line that settle_sieved held back, and the observers have not seen since.
  if (last_noise_no_ > handed_through_ && last_noise_no_ < counts_.lines) [[unlikely]]
    hand_line(last_noise_no_, last_noise_, host_ns, LineKind::Noise, last_noise_cut_);
  hand_line(counts_.lines, line, host_ns, kind, truncated);
}

void MarkerStream::hand_line(uint64_t line_no, std::string_view line, int64_t host_ns,
                             LineKind kind, bool truncated) {
  const ConsoleLine console_line{line_no, host_ns, line, kind, truncated};
  handed_through_ = line_no;
  for (MarkerObserver* observer : line_observers_) observer->on_line(console_line);
}

bool MarkerStream::account(const LineResult& result, uint64_t line_no) {
  const bool trusted = result.seq && result.seq_trusted;
  if (result.boot_start) {  // a reboot numbers its markers from 0 again
    ++counts_.boots;
    expected_seq_.reset();
    if (trusted) expected_seq_ = *result.seq + 1;
    untrusted_since_trusted_ = 0;
    return true;
  }
  if (!trusted) {
    if (result.kind != LineKind::Marker) ++untrusted_since_trusted_;
    return true;
  }
  const uint64_t seq = *result.seq;
  const std::optional<uint64_t> expected = expected_seq_;
  expected_seq_ = seq + 1;
  const uint64_t explained = untrusted_since_trusted_;
  untrusted_since_trusted_ = 0;
  if (!expected || seq == *expected) return true;
  if (seq < *expected) {
    went_back_from_ = *expected;
    return false;
  }
  const uint64_t gap = seq - *expected;
  if (gap > explained) {
    counts_.lost += gap - explained;
    ++gap_count_;
    if (gaps_.size() < options_.max_problems_kept) {
      gaps_.push_back({line_no, *expected, seq, gap - explained});
    }
  }
  return true;
}

void MarkerStream::keep_problem(uint64_t line_no, LineKind kind, std::string_view line,
                                std::string reason) {
  if (problems_.size() >= options_.max_problems_kept) return;
  problems_.push_back(
      {line_no, kind, std::move(reason), escape_text_truncated(line, kProblemTextBytes)});
}

ParsedLine parse_line(std::string_view line, const Schema& schema) {
  LineParser parser(schema, with_schema_requirements(StreamOptions{}, schema));
  const LineResult& result = parser.parse(line);
  const std::span<const FieldValue> fields = parser.fields();
  return {
      result.kind, parser.reason(), result.category, result.event, {fields.begin(), fields.end()},
      result.seq,  result.spec};
}

}  // namespace osh::marker
