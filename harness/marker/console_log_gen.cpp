#include "harness/marker/console_log_gen.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <map>
#include <random>

#include "harness/base/errors.h"
#include "os/core/crc32c.h"

namespace osh::marker {
namespace {

// printk-style lines as a Linux or rayos console shows them; %T is the timestamp.
constexpr const char* kNoise[] = {
    "pci 0000:00:%02x.%u: [8086:%04x] type 00 class 0x%06x",
    "virtio_net virtio%u eth%u: link up, 1000Mbps, full-duplex",
    "EXT4-fs (vda%u): mounted filesystem with ordered data mode. Quota mode: none.",
    ("audit: type=1400 audit(%u.%03u:%u): apparmor=\"STATUS\" operation=\"profile_load\" "
     "profile=\"unconfined\" name=\"/usr/bin/man\" pid=%u comm=\"apparmor_parser\""),
    "rayos: sched: tick %u runq=%u idle=%u%%",
    "rayos: alloc: slab kmalloc-%u: %u objects, %u KiB",
    "Call Trace:",
    " <TASK>",
    "  ? __schedule+0x%x/0x%x",
    "  worker_thread+0x%x/0x%x",
    "RAYOS kernel 0.%u (gcc 12.2.0) #%u SMP PREEMPT_DYNAMIC",
    "Memory: %uK/%uK available (%uK kernel code, %uK rwdata, %uK rodata, %uK init)",
    "clocksource: tsc: mask: 0xffffffffffffffff max_cycles: 0x%x, max_idle_ns: %u ns",
    "%08x: %02x %02x %02x %02x %02x %02x %02x %02x  %02x %02x %02x %02x %02x %02x %02x %02x",
    "random: crng init done",
    "systemd[1]: Started Journal Service.",
    "",
};

class Generator {
 public:
  Generator(const Schema& schema, const LogGenOptions& options, std::ostream& out)
      : schema_(schema),
        options_(options),
        out_(out),
        rng_(options.seed),
        marker_fraction_(std::clamp(options.marker_fraction, 0.001, 1.0)) {
    for (const auto& spec : schema.markers()) {
      if (spec.category == "BOOT" && spec.event == "START") {
        boot_ = &spec;
      } else {
        others_.push_back(&spec);
      }
    }
    if (boot_ == nullptr || others_.empty()) {
      throw InputError(schema.origin() +
                       ": the log generator needs a BOOT:START marker and at least one other");
    }
  }

  LogGenResult run() {
    while (written_ < options_.bytes) boot();
    flush();
    LogGenResult result{expected_, {}, std::move(faults_)};
    result.markers.assign(per_marker_.begin(), per_marker_.end());
    return result;
  }

 private:
  uint64_t below(uint64_t n) { return std::uniform_int_distribution<uint64_t>(0, n - 1)(rng_); }
  bool chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }

  // One boot: firmware noise, BOOT:START on the line where the firmware cleared the screen,
  // then markers and noise; its last marker is always valid so that every loss is detectable.
  void boot() {
    line("SeaBIOS (version 1.16.2-debian-1.16.2-1)");
    ++expected_.noise_lines;
    line(
        "Booting from ROM..\x1b"
        "c\x1b[?7l\x1b[2J" +
        marker(*boot_, 0));
    count_valid(*boot_);
    ++expected_.boots;
    uint64_t seq = 1;
    bool last_was_fault = false;
    for (; seq < options_.markers_per_boot && written_ < options_.bytes; ++seq) {
      while (chance(1.0 - marker_fraction_)) noise();
      const MarkerSpec& spec = *others_[below(others_.size())];
      last_was_fault = chance(options_.fault_rate);
      if (last_was_fault) {
        fault(spec, seq);
      } else {
        valid(spec, seq);
      }
    }
    if (last_was_fault) valid(*others_[0], seq);
  }

  void valid(const MarkerSpec& spec, uint64_t seq) {
    line(timestamped(marker(spec, seq)));
    count_valid(spec);
  }

  void fault(const MarkerSpec& spec, uint64_t seq) {
    switch (below(3)) {
      case 0:
        faults_.push_back({expected_.lines + 1, "lost"});
        ++expected_.lost;
        return;
      case 1: {
        std::string text = marker(spec, seq);
        const size_t body = schema_.prefix().size() + 2;  // keep "<prefix>_" and a letter
        const size_t hash = text.rfind(" #");
        if (chance(0.5)) {  // a byte changed
          const size_t at = body + below(hash - body);
          text[at] = text[at] == 'Z' ? 'Y' : 'Z';
        } else {  // another writer's output interleaved
          text.insert(body + below(hash - body), "[   12.000001] eth0: link up ");
        }
        line(text);
        faults_.push_back({expected_.lines, "corrupt"});
        ++expected_.corrupt;
        return;
      }
      default: {
        // A grammar error the guest itself made: the CRC is right, so the seq counts.
        line(stamp(schema_.prefix() + "_" + spec.category + ":bad_event", seq));
        faults_.push_back({expected_.lines, "malformed"});
        ++expected_.malformed;
        return;
      }
    }
  }

  void count_valid(const MarkerSpec& spec) {
    ++expected_.total;
    ++per_marker_[spec.category + ":" + spec.event];
  }

  std::string value(const FieldSpec& field) {
    char buf[64];
    switch (field.type) {
      case FieldType::U32:
        return std::to_string(below(100000));
      case FieldType::U64:
        return std::to_string(below(uint64_t(1) << (4 * (1 + below(10)))));
      case FieldType::I64:
        return std::to_string(int64_t(below(2000000)) - 1000000);
      case FieldType::F64:
        std::snprintf(buf, sizeof buf, "%" PRIu64 ".%02" PRIu64, below(1000), below(100));
        return buf;
      case FieldType::Enum:
        return field.enum_values[below(field.enum_values.size())];
      case FieldType::Id:
      case FieldType::Word:
        break;
    }
    static constexpr char kChars[] = "abcdefghijklmnopqrstuvwxyz0123456789_.-";
    std::string word(1 + below(12), 'x');
    for (char& c : word) c = kChars[below(sizeof kChars - 1)];
    return word;
  }

  std::string stamp(std::string text, uint64_t seq) {
    const uint32_t crc = rayos::crc32c(text.data(), text.size());
    char suffix[48];
    std::snprintf(suffix, sizeof suffix, " #%" PRIu64 "*%08x", seq, crc);
    return text + suffix;
  }

  std::string marker(const MarkerSpec& spec, uint64_t seq) {
    std::string text = schema_.prefix() + "_" + spec.category + ":" + spec.event;
    for (const auto& field : spec.fields) text += ":" + value(field);
    if (spec.rest) {
      for (uint64_t n = below(12); n > 0; --n) text += ":" + value(*spec.rest);
    }
    return stamp(std::move(text), seq);
  }

  std::string timestamped(std::string text) {
    if (!chance(0.3)) return text;
    return timestamp() + " " + text;
  }

  std::string timestamp() {
    uptime_us_ += 1 + below(5000);
    char buf[32];
    std::snprintf(buf, sizeof buf, "[%5" PRIu64 ".%06" PRIu64 "]", uptime_us_ / 1000000,
                  uptime_us_ % 1000000);
    return buf;
  }

  void noise() {
    const char* format = kNoise[below(std::size(kNoise))];
    // Small numbers mostly, now and then a large one, as in real logs; bytes for the hex dump.
    uint32_t a[17];
    a[0] = static_cast<uint32_t>(below(1u << (4 + below(20))));
    for (size_t i = 1; i < std::size(a); ++i) a[i] = static_cast<uint32_t>(below(256));
    if (chance(0.5)) a[1] = static_cast<uint32_t>(below(1u << (8 + below(16))));
    char buf[512];
    std::snprintf(buf, sizeof buf, format, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8],
                  a[9], a[10], a[11], a[12], a[13], a[14], a[15], a[16]);
    line(timestamp() + " " + buf);
    ++expected_.noise_lines;
  }

  void line(const std::string& text) {
    buffer_ += text;
    buffer_ += options_.crlf ? "\r\n" : "\n";
    written_ += text.size() + (options_.crlf ? 2 : 1);
    ++expected_.lines;
    expected_.bytes = written_;
    if (buffer_.size() >= (1u << 20)) flush();
  }

  void flush() {
    out_.write(buffer_.data(), std::streamsize(buffer_.size()));
    buffer_.clear();
  }

  const Schema& schema_;
  const LogGenOptions& options_;
  std::ostream& out_;
  std::mt19937_64 rng_;
  double marker_fraction_;
  const MarkerSpec* boot_ = nullptr;
  std::vector<const MarkerSpec*> others_;
  MarkerCounts expected_;
  std::map<std::string, uint64_t> per_marker_;
  std::vector<LogGenFault> faults_;
  uint64_t written_ = 0;
  uint64_t uptime_us_ = 0;
  std::string buffer_;
};

}  // namespace

LogGenResult generate_console_log(const Schema& schema, const LogGenOptions& options,
                                  std::ostream& out) {
  return Generator(schema, options, out).run();
}

}  // namespace osh::marker
