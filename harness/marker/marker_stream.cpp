#include "harness/marker/marker_stream.h"

#include <condition_variable>
#include <cstring>
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
      complete_line(without_cr(partial_), host_ns, 0);
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
    complete_line(line, host_ns, key_at);
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
  if (!line_observers_.empty() || discarding_ || !partial_.empty() ||
      bytes.size() <= segment_bytes) {
    feed(bytes, host_ns);
    return;
  }
  counts_.bytes += bytes.size();
  const char* const end = bytes.data() + bytes.size();

  // The splitting thread cuts the buffer into segments that end at a line feed, and hands over
  // per segment the lines that may hold a marker (with their frames) and the number of noise
  // lines around them. A ring of kSlots batches bounds how far it runs ahead.
  struct Candidate {
    std::string_view line;  // without EOL
    MarkerFrame frame;      // worked out on the splitting thread too
    uint64_t noise_before;
  };
  struct Batch {
    std::vector<Candidate> candidates;
    uint64_t noise_after = 0;
    const char* rest = nullptr;  // where the next segment starts
    bool last = false;
  };
  constexpr size_t kSlots = 4;
  Batch batches[kSlots];
  size_t produced = 0, consumed = 0;
  bool stop = false;
  std::mutex mutex;
  std::condition_variable changed;

  std::thread splitter([&] {
    const char* p = bytes.data();
    for (size_t k = 0;; ++k) {
      {
        std::unique_lock lock(mutex);
        changed.wait(lock, [&] { return stop || produced - consumed < kSlots; });
        if (stop) return;
      }
      Batch& batch = batches[k % kSlots];
      batch.candidates.clear();
      const char* segment_end = end;
      if (size_t(end - p) > segment_bytes) {
        const void* lf = std::memchr(p + segment_bytes, '\n', size_t(end - p) - segment_bytes);
        if (lf != nullptr) segment_end = static_cast<const char*>(lf) + 1;
      }
      uint64_t noise = 0;
      batch.rest = split_lines(
          p, segment_end, parser_.key(), [&](const char* begin, const char* lf, size_t key_at) {
            const std::string_view line = without_cr(std::string_view(begin, size_t(lf - begin)));
            if (plain_noise(line, key_at)) {
              ++noise;
            } else {
              batch.candidates.push_back({line, parser_.frame(line, key_at), noise});
              noise = 0;
            }
          });
      batch.noise_after = noise;
      batch.last = segment_end == end;
      {
        std::lock_guard lock(mutex);
        ++produced;
      }
      changed.notify_all();
      if (batch.last) return;
      p = batch.rest;
    }
  });
  const auto join = [&] {
    {
      std::lock_guard lock(mutex);
      stop = true;
    }
    changed.notify_all();
    splitter.join();
  };

  const char* rest = nullptr;
  try {
    for (size_t k = 0;; ++k) {
      {
        std::unique_lock lock(mutex);
        changed.wait(lock, [&] { return produced > consumed; });
      }
      const Batch& batch = batches[k % kSlots];
      for (const Candidate& c : batch.candidates) {
        counts_.lines += c.noise_before;
        counts_.noise_lines += c.noise_before;
        complete_line(c.line, host_ns, 0, &c.frame);
      }
      counts_.lines += batch.noise_after;
      counts_.noise_lines += batch.noise_after;
      rest = batch.rest;
      const bool last = batch.last;
      {
        std::lock_guard lock(mutex);
        ++consumed;
      }
      changed.notify_all();
      if (last) break;
    }
  } catch (...) {
    join();
    throw;
  }
  join();
  keep_tail(rest, end, host_ns);
}

// An overlong line: its first max_line_bytes are the line (the caller skips the rest).
void MarkerStream::cut_partial(const char* more, int64_t host_ns) {
  const size_t keep = options_.max_line_bytes;
  if (partial_.size() < keep) partial_.append(more, keep - partial_.size());
  process_line(std::string_view(partial_).substr(0, keep), host_ns, LineEnd::Cut, MarkerFrame{});
  partial_.clear();
}

void MarkerStream::complete_line(std::string_view line, int64_t host_ns, size_t key_at,
                                 const MarkerFrame* frame) {
  if (line.size() > options_.max_line_bytes) {
    process_line(line.substr(0, options_.max_line_bytes), host_ns, LineEnd::Cut, MarkerFrame{});
  } else {
    process_line(line, host_ns, LineEnd::Complete, frame ? *frame : parser_.frame(line, key_at));
  }
}

void MarkerStream::finish(int64_t host_ns) {
  const std::string_view line = without_cr(partial_);
  if (line.size() > options_.max_line_bytes) {
    process_line(line.substr(0, options_.max_line_bytes), host_ns, LineEnd::Cut, MarkerFrame{});
  } else if (!line.empty() || !partial_.empty()) {
    process_line(line, host_ns, LineEnd::EndOfStream, parser_.frame(line));
  }
  partial_.clear();
  discarding_ = false;
}

void MarkerStream::process_line(std::string_view line, int64_t host_ns, LineEnd end,
                                const MarkerFrame& frame) {
  if (end == LineEnd::Cut || frame.start == std::string_view::npos) {
    deliver_line(line, host_ns, end, LineKind::Noise);
    return;
  }
  const LineResult& result = parser_.parse(line, frame);
  LineKind kind = result.kind;
  if (kind != LineKind::Noise) {
    const uint64_t line_no = counts_.lines + 1;
    const bool in_order = account(result, line_no);
    if (kind == LineKind::Malformed || kind == LineKind::Corrupt || !in_order ||
        end == LineEnd::EndOfStream) {
      std::string reason = parser_.reason();
      const auto add = [&](std::string more) {
        reason = reason.empty() ? std::move(more) : reason + "; " + more;
      };
      if (end == LineEnd::EndOfStream) add("truncated at end of stream (no line feed)");
      if (!in_order) {
        add("sequence went back from " + std::to_string(went_back_from_) + " to " +
            std::to_string(*result.seq));
      }
      if (kind != LineKind::Corrupt) kind = LineKind::Malformed;
      keep_problem(line_no, kind, line, std::move(reason));
    }
  }
  deliver_line(line, host_ns, end, kind);
  if (kind != LineKind::Marker || observers_.empty()) return;
  const MarkerEvent event{counts_.lines,
                          host_ns,
                          result.category,
                          result.event,
                          std::span<const FieldValue>(parser_.fields()),
                          result.seq,
                          line,
                          result.spec};
  for (MarkerObserver* observer : observers_) observer->on_marker(event);
}

void MarkerStream::deliver_line(std::string_view line, int64_t host_ns, LineEnd end,
                                LineKind kind) {
  ++counts_.lines;
  switch (kind) {
    case LineKind::Noise:
      ++counts_.noise_lines;
      break;
    case LineKind::Marker:
      ++counts_.total;
      break;
    case LineKind::Malformed:
      ++counts_.malformed;
      break;
    case LineKind::Corrupt:
      ++counts_.corrupt;
      break;
  }
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
  return {result.kind,     parser.reason(), result.category, result.event,
          parser.fields(), result.seq,      result.spec};
}

}  // namespace osh::marker
