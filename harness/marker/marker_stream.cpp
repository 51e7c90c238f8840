#include "harness/marker/marker_stream.h"

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <exception>
#include <mutex>
#include <thread>

#include "harness/base/escape.h"
#include "harness/marker/line_splitter.h"

namespace osh::marker {
namespace {

constexpr size_t kProblemTextBytes = 200;

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
      parser_(schema_, options_) {
  if (options_.max_line_bytes == 0) options_.max_line_bytes = 1;
}

void MarkerStream::add_observer(MarkerObserver* observer) {
  observers_.push_back(observer);
  if (observer->wants_lines()) line_observers_.push_back(observer);
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

void MarkerStream::feed_large(std::string_view bytes, int64_t host_ns, size_t segment_bytes) {
  segment_bytes = std::max<size_t>(segment_bytes, 1);
  if (!line_observers_.empty() || discarding_ || !partial_.empty() ||
      bytes.size() <= segment_bytes) {
    feed(bytes, host_ns);
    return;
  }
  counts_.bytes += bytes.size();
  const char* const end = bytes.data() + bytes.size();

  // Both threads take the next segment (cut after a line feed) and parse it into a slot; this
  // thread also settles the parsed slots in order, so sequence numbers, counts, problems and
  // observers see one stream, as feed() gives it. kSlots bounds how far parsing runs ahead.
  constexpr size_t kSlots = 4;
  ParsedSegment slots[kSlots];
  size_t claimed = 0, settled = 0;
  const char* next = bytes.data();
  bool all_claimed = false, stop = false;
  std::exception_ptr helper_error;
  std::mutex mutex;
  std::condition_variable changed;

  // With the lock held and a slot free.
  const auto claim = [&]() -> ParsedSegment& {
    ParsedSegment& segment = slots[claimed++ % kSlots];
    segment.begin = next;
    segment.end = end;
    if (size_t(end - next) > segment_bytes) {
      const char* from = next + segment_bytes - 1;
      if (const void* lf = std::memchr(from, '\n', size_t(end - from))) {
        segment.end = static_cast<const char*>(lf) + 1;
      }
    }
    segment.ready = false;
    next = segment.end;
    all_claimed = next == end;
    return segment;
  };
  const auto can_claim = [&] { return !all_claimed && claimed - settled < kSlots; };

  std::thread helper([&] {
    LineParser parser(schema_, options_);
    std::unique_lock lock(mutex);
    for (;;) {
      changed.wait(lock, [&] { return stop || all_claimed || can_claim(); });
      if (stop || all_claimed) return;
      ParsedSegment& segment = claim();
      lock.unlock();
      try {
        parse_segment(parser, segment);
      } catch (...) {
        lock.lock();
        helper_error = std::current_exception();
        changed.notify_all();
        return;
      }
      lock.lock();
      segment.ready = true;
      changed.notify_all();
    }
  });
  const auto join = [&] {
    {
      std::lock_guard lock(mutex);
      stop = true;
    }
    changed.notify_all();
    helper.join();
  };

  const char* tail = end;  // the unterminated rest, in the last segment
  try {
    std::unique_lock lock(mutex);
    while (!(all_claimed && settled == claimed)) {
      ParsedSegment& head = slots[settled % kSlots];
      if (settled < claimed && head.ready) {
        lock.unlock();
        settle_segment(head, host_ns);
        if (head.rest != head.end) tail = head.rest;
        lock.lock();
        ++settled;
        changed.notify_all();
      } else if (helper_error) {
        std::rethrow_exception(helper_error);
      } else if (can_claim()) {
        ParsedSegment& segment = claim();
        lock.unlock();
        parse_segment(parser_, segment);
        lock.lock();
        segment.ready = true;
      } else {
        changed.wait(lock);
      }
    }
  } catch (...) {
    join();
    throw;
  }
  join();
  keep_tail(tail, end, host_ns);
}

void MarkerStream::parse_segment(LineParser& parser, ParsedSegment& segment) const {
  segment.attempts.clear();
  segment.fields.clear();
  segment.reasons.clear();
  uint64_t lines = 0;  // so far, the current one included
  segment.rest = split_key_lines(
      segment.begin, segment.end, parser.key(), lines,
      [&](const char* begin, const char* lf, size_t key_at) {
        const std::string_view line = without_cr(std::string_view(begin, size_t(lf - begin)));
        if (line.size() > options_.max_line_bytes) return;  // cut, and a cut line is noise
        const LineResult& result = parser.parse(line, key_at);
        if (result.kind == LineKind::Noise) return;
        const std::span<const FieldValue> fields = parser.fields();
        segment.attempts.push_back({line, lines, result, uint32_t(segment.fields.size()),
                                    uint32_t(fields.size()), uint32_t(segment.reasons.size())});
        if (result.kind != LineKind::Marker) segment.reasons.push_back(parser.reason());
        segment.fields.insert(segment.fields.end(), fields.begin(), fields.end());
      });
  segment.lines = lines;
}

void MarkerStream::settle_segment(const ParsedSegment& segment, int64_t host_ns) {
  const uint64_t before = counts_.lines;
  const auto noise_until = [&](uint64_t line_in_segment) {
    const uint64_t noise = before + line_in_segment - counts_.lines;
    counts_.lines += noise;
    counts_.noise_lines += noise;
  };
  const std::span<const FieldValue> fields(segment.fields);
  for (const ParsedSegment::Attempt& attempt : segment.attempts) {
    noise_until(attempt.line_in_segment - 1);
    settle(attempt.line, host_ns, LineEnd::Complete, attempt.result,
           fields.subspan(attempt.first_field, attempt.field_count),
           attempt.result.kind == LineKind::Marker ? std::string_view()
                                                   : segment.reasons[attempt.reason]);
  }
  noise_until(segment.lines);
}

// An overlong line: its first max_line_bytes are the line (the caller skips the rest).
void MarkerStream::cut_partial(const char* more, int64_t host_ns) {
  const size_t keep = options_.max_line_bytes;
  if (partial_.size() < keep) partial_.append(more, keep - partial_.size());
  deliver_line(std::string_view(partial_).substr(0, keep), host_ns, LineEnd::Cut, LineKind::Noise);
  partial_.clear();
}

void MarkerStream::finish(int64_t host_ns) {
  const std::string_view line = without_cr(partial_);
  if (!line.empty() || !partial_.empty()) process_line(line, host_ns, LineEnd::EndOfStream, 0);
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
  if (kind != LineKind::Marker || observers_.empty()) return;
  const MarkerEvent event{counts_.lines, host_ns, result.category, result.event, fields,
                          result.seq,    line,    result.spec};
  for (MarkerObserver* observer : observers_) observer->on_marker(event);
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
  if (!line_observers_.empty()) notify_line(line, host_ns, kind, end != LineEnd::Complete);
}

void MarkerStream::notify_line(std::string_view line, int64_t host_ns, LineKind kind,
                               bool truncated) {
  const ConsoleLine console_line{counts_.lines, host_ns, line, kind, truncated};
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
