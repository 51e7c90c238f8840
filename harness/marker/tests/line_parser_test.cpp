// Grammar, start detection, suffix and field types of single lines (parse_line), and the fast
// and precise ways of LineParser against each other.
#include "harness/marker/line_parser.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdio>
#include <limits>
#include <random>
#include <sstream>
#include <tuple>

#include "harness/marker/console_log_gen.h"
#include "harness/marker/marker_stream.h"
#include "harness/marker/tests/test_support.h"

namespace osh::marker {
namespace {

using ::testing::HasSubstr;
using testing::test_schema;
using testing::with_crc;
using testing::with_seq;

ParsedLine parse(std::string_view line) { return parse_line(line, test_schema()); }

TEST(LineParser, ValidMarkerWithSeqAndCrc) {
  const std::string line = with_crc("SOAK:METRICS_SNAPSHOT:12.5:2048:350:59.9", 7);
  const ParsedLine p = parse(line);
  ASSERT_EQ(p.kind, LineKind::Marker) << p.reason;
  EXPECT_EQ(p.category, "SOAK");
  EXPECT_EQ(p.event, "METRICS_SNAPSHOT");
  ASSERT_EQ(p.fields.size(), 4u);
  EXPECT_EQ(p.fields[0].kind, FieldValue::Kind::Float);
  EXPECT_DOUBLE_EQ(p.fields[0].f, 12.5);
  EXPECT_EQ(p.fields[1].kind, FieldValue::Kind::Unsigned);
  EXPECT_EQ(p.fields[1].u, 2048u);
  EXPECT_EQ(p.fields[2].u, 350u);
  EXPECT_DOUBLE_EQ(p.fields[3].f, 59.9);
  EXPECT_EQ(p.fields[3].text, "59.9");
  EXPECT_EQ(p.seq, 7u);
  ASSERT_NE(p.spec, nullptr);
  EXPECT_EQ(p.spec->fields[1].name, "mem_kb");
}

TEST(LineParser, ValidWithoutSuffixAndWithSeqOnly) {
  EXPECT_EQ(parse("RAYOS_BOOT:READY").kind, LineKind::Marker);
  const ParsedLine p = parse(with_seq("SYS:HEARTBEAT:1500", 3));
  EXPECT_EQ(p.kind, LineKind::Marker) << p.reason;
  EXPECT_EQ(p.seq, 3u);
  EXPECT_FALSE(parse("RAYOS_BOOT:READY").seq.has_value());
}

TEST(LineParser, CrcAcceptsEitherCaseAndDetectsCorruption) {
  EXPECT_EQ(parse(with_crc("SYS:HEARTBEAT:1500", 3, /*upper=*/true)).kind, LineKind::Marker);
  EXPECT_EQ(parse(with_crc("SYS:HEARTBEAT:1500", 3, /*upper=*/false)).kind, LineKind::Marker);
  std::string line = with_crc("SYS:HEARTBEAT:1500", 3);
  line[line.find("1500")] = '2';  // still a valid u64: only the CRC can tell
  const ParsedLine p = parse(line);
  EXPECT_EQ(p.kind, LineKind::Corrupt);
  EXPECT_THAT(p.reason, HasSubstr("CRC-32C mismatch"));
  // The CRC covers the seq-less bytes only: a different seq with the same CRC is fine.
  const std::string other_seq = with_crc("SYS:HEARTBEAT:1500", 3);
  std::string changed = other_seq;
  changed.replace(changed.find(" #3*"), 4, " #4*");
  EXPECT_EQ(parse(changed).kind, LineKind::Marker);
}

TEST(LineParser, DamagedBodyWithIntactSuffixIsCorrupt) {
  std::string line = with_crc("SOAK:METRICS_SNAPSHOT:12.5:2048:350:59.9", 7);
  line.insert(line.find("2048"), "[ 1.000] eth0 up ");
  EXPECT_EQ(parse(line).kind, LineKind::Corrupt);
}

TEST(LineParser, NoiseLines) {
  for (const char* line :
       {"", "hello", "RAYOS", "RAYOS_", "RAYOS_lower:CASE", "RAYOS_1:X", "xRAYOS_BOOT:READY",
        "RAYOS kernel 0.1 booting", "[ 1.0]RAYO_S", "RAYOS-BOOT:READY", "RAYOS_:READY"}) {
    EXPECT_EQ(parse(line).kind, LineKind::Noise) << line;
  }
}

TEST(LineParser, MarkerStartPositions) {
  const std::string m = with_crc("BOOT:READY", 1);
  EXPECT_EQ(parse("[    1.234567] " + m).kind, LineKind::Marker);
  EXPECT_EQ(parse("[    1.234567]" + m).kind, LineKind::Marker);
  EXPECT_EQ(parse("\t" + m).kind, LineKind::Marker);
  EXPECT_EQ(parse("<6>[ 0.5] console: " + m).kind, LineKind::Marker);
  EXPECT_EQ(parse("prefix:" + m).kind, LineKind::Noise);
  EXPECT_EQ(parse("foo" + m).kind, LineKind::Noise);
  // The first marker start wins; an earlier non-start occurrence is skipped.
  const std::string line = "xRAYOS_SYS:HEARTBEAT:1 " + m;  // the views point into it
  const ParsedLine p = parse(line);
  EXPECT_EQ(p.kind, LineKind::Marker) << p.reason;
  EXPECT_EQ(p.event, "READY");
}

TEST(LineParser, EscapeSequencesBeforeMarker) {
  const std::string m = with_crc("BOOT:START:0.1", 0);
  // SeaBIOS: reset, wrap off, clear screen, on the same line as the guest's first output.
  EXPECT_EQ(parse("Booting from ROM..\x1b"
                  "c\x1b[?7l\x1b[2J" +
                  m)
                .kind,
            LineKind::Marker);
  EXPECT_EQ(parse("\x1b[0m\x1b[1;1H" + m).kind, LineKind::Marker);
  EXPECT_EQ(parse("\x1b]0;title\x07" + m).kind, LineKind::Marker);
  EXPECT_EQ(parse("\x1b]0;title\x1b\\" + m).kind, LineKind::Marker);
  EXPECT_EQ(parse("] \x1b[0m" + m).kind, LineKind::Marker);
  // Inside an unterminated OSC string it is not a marker start, even after a space.
  const std::string ready = with_crc("BOOT:READY", 1);
  EXPECT_EQ(parse("\x1b]0;window " + ready).kind, LineKind::Noise);
  // A letter after the sequence is still no start.
  EXPECT_EQ(parse("\x1b[0mx" + ready).kind, LineKind::Noise);
}

// A reset cuts the guest's output mid-line; without firmware output between, the new boot's
// BOOT:START is glued to the cut text (seen in CI: "RAYOS_PROC:EXITRAYOS_BOOT:START:0.1.0 #0*..").
TEST(LineParser, BootStartGluedToACutLineStartsTheMarker) {
  const std::string boot = with_crc("BOOT:START:0.1", 0);
  for (const std::string& line :
       {"RAYOS_PROC:EXIT" + boot, "RAYOS_SOAK:METRICS_SNAPSHOT:12.5:20" + boot,
        "[ 1.0] mounting wit" + boot, "RAYOS_BOOT:STA" + boot,
        with_crc("SYS:HEARTBEAT:1", 5).substr(0, 20) + boot}) {
    const ParsedLine p = parse(line);
    ASSERT_EQ(p.kind, LineKind::Marker) << line << ": " << p.reason;
    EXPECT_EQ(p.category, "BOOT");
    EXPECT_EQ(p.event, "START");
    ASSERT_EQ(p.fields.size(), 1u);
    EXPECT_EQ(p.fields[0].text, "0.1");
    EXPECT_EQ(p.seq, 0u);
  }
  // Only a BOOT:START whose CRC proves it whole: without one, or with a wrong one, the line
  // stays what it was.
  EXPECT_EQ(parse("foo=" + with_seq("BOOT:START:0.1", 0)).kind, LineKind::Noise);
  EXPECT_EQ(parse("foo=RAYOS_BOOT:START:0.1").kind, LineKind::Noise);
  const ParsedLine unknown = parse("RAYOS_PROC:EXIT" + with_seq("BOOT:START:0.1", 0));
  EXPECT_EQ(unknown.kind, LineKind::Malformed);
  EXPECT_THAT(unknown.reason, HasSubstr("unknown marker PROC:EXITRAYOS_BOOT"));
  std::string damaged = boot;
  damaged[damaged.find("0.1")] = '9';
  const ParsedLine corrupt = parse("RAYOS_PROC:EXIT" + damaged);
  EXPECT_EQ(corrupt.kind, LineKind::Corrupt);
  EXPECT_EQ(parse("foo=" + damaged).kind, LineKind::Noise);
  // Any other marker glued to a cut line is no reset: the line is one corrupt attempt.
  EXPECT_EQ(parse("RAYOS_PROC:EXIT" + with_crc("SYS:HEARTBEAT:1", 5)).kind, LineKind::Corrupt);
  EXPECT_EQ(parse("foo=" + with_crc("SYS:HEARTBEAT:1", 5)).kind, LineKind::Noise);
}

TEST(LineParser, GrammarViolationsAreMalformedWithReasons) {
  const struct {
    std::string line;
    const char* reason;
  } cases[] = {
      {"RAYOS_BOOT", "missing \":<EVENT>\" after category BOOT"},
      {"RAYOS_BO-OT:START:x", "bad character '-' in category"},
      {"RAYOS_BOOT:", "the event after BOOT: must start with an uppercase letter"},
      {"RAYOS_BOOT:start:x", "the event after BOOT: must start with an uppercase letter"},
      {"RAYOS_BOOT:READY!", "bad character '!' in event"},
      {"RAYOS_SYS:HEARTBEAT:1 2", "field 1 (uptime_ms) of SYS:HEARTBEAT: bad character ' '"},
      {"RAYOS_SYS:HEARTBEAT:1\x01", "bad character '\\x01'"},
      {"RAYOS_SYS:HEARTBEAT:\xc3\xa9", "bad character '\\xc3'"},
      {"RAYOS_SYS:HEARTBEAT:1#2", "bad character '#'"},
      {"RAYOS_SYS:HEARTBEAT:1 #", "bad sequence suffix"},
      {"RAYOS_SYS:HEARTBEAT:1 #x", "bad sequence suffix"},
      {"RAYOS_SYS:HEARTBEAT:1 #12*", "bad sequence suffix"},
      {"RAYOS_SYS:HEARTBEAT:1 #12*1234567", "bad sequence suffix"},
      {"RAYOS_SYS:HEARTBEAT:1 #12*123456789", "bad sequence suffix"},
      {"RAYOS_SYS:HEARTBEAT:1 #12*1234567g", "bad sequence suffix"},
      {"RAYOS_SYS:HEARTBEAT:1 #-1", "bad sequence suffix"},
      {"RAYOS_SYS:HEARTBEAT:1 #18446744073709551616", "bad sequence suffix"},
      {"RAYOS_SYS:HEARTBEAT:1 #3 ", "bad sequence suffix"},
      {"RAYOS_SYS:HEARTBEAT", "SYS:HEARTBEAT takes 1 field (uptime_ms), got 0"},
      {"RAYOS_SYS:HEARTBEAT:1:2", "SYS:HEARTBEAT takes 1 field (uptime_ms), got 2"},
      {"RAYOS_BOOT:READY:x", "BOOT:READY takes 0 fields, got 1"},
      {"RAYOS_PERF:HIST", "PERF:HIST takes at least 1 field (operation:count...), got 0"},
      {"RAYOS_SOAK:NEW_THING:1", "unknown marker SOAK:NEW_THING"},
  };
  for (const auto& c : cases) {
    const ParsedLine p = parse(c.line);
    EXPECT_EQ(p.kind, LineKind::Malformed) << c.line;
    EXPECT_THAT(p.reason, HasSubstr(c.reason)) << c.line;
  }
  EXPECT_THAT(parse("RAYOS_SOAK:NEW_THING:1").reason, HasSubstr("test.schema.json"));
}

TEST(LineParser, MaxSeqFits) {
  EXPECT_EQ(parse("RAYOS_BOOT:READY #18446744073709551615").seq, UINT64_MAX);
}

// The fast way reads a seq of up to 7 digits from one word and longer ones digit by digit.
TEST(LineParser, SeqOfEveryLengthWithCrc) {
  // The smallest and the largest seq of 1 to 20 digits.
  uint64_t smallest = 1;
  for (int digits = 1; digits <= 20; ++digits, smallest *= 10) {
    const uint64_t largest = digits == 20 ? UINT64_MAX : smallest * 10 - 1;
    for (const uint64_t value : {digits == 1 ? 0 : smallest, largest}) {
      const ParsedLine p = parse(with_crc("SYS:HEARTBEAT:1500", value));
      ASSERT_EQ(p.kind, LineKind::Marker) << value << ": " << p.reason;
      EXPECT_EQ(p.seq, value);
    }
  }
  // Leading zeros, up to 21 digits: still the seq's value.
  for (const std::string zeros : {"0", "0000000", "00000000", "000000000000000000000"}) {
    std::string line = with_crc("SYS:HEARTBEAT:1500", 7);
    line.replace(line.find(" #7*"), 4, " #" + zeros.substr(1) + "7*");
    const ParsedLine p = parse(line);
    ASSERT_EQ(p.kind, LineKind::Marker) << line << ": " << p.reason;
    EXPECT_EQ(p.seq, 7u) << line;
  }
}

// Each type at and beyond its limits: {type's marker, text, valid?}.
struct TypeCase {
  const char* marker;
  std::string text;
  bool valid;
};

TEST(LineParser, FieldTypesAtTheirLimits) {
  const TypeCase cases[] = {
      // u32 (SOAK:START clients)
      {"SOAK:START:%s:1", "0", true},
      {"SOAK:START:%s:1", "4294967295", true},
      {"SOAK:START:%s:1", "4294967296", false},
      {"SOAK:START:%s:1", "007", true},
      {"SOAK:START:%s:1", "+1", false},
      {"SOAK:START:%s:1", "-1", false},
      {"SOAK:START:%s:1", "", false},
      {"SOAK:START:%s:1", "1.0", false},
      // u64
      {"SYS:HEARTBEAT:%s", "18446744073709551615", true},
      {"SYS:HEARTBEAT:%s", "18446744073709551616", false},
      {"SYS:HEARTBEAT:%s", "99999999999999999999999", false},
      // i64
      {"SYS:EXIT:%s", "-9223372036854775808", true},
      {"SYS:EXIT:%s", "9223372036854775807", true},
      {"SYS:EXIT:%s", "9223372036854775808", false},
      {"SYS:EXIT:%s", "-9223372036854775809", false},
      {"SYS:EXIT:%s", "-0", true},
      {"SYS:EXIT:%s", "-", false},
      {"SYS:EXIT:%s", "+5", false},
      // f64
      {"SOAK:METRICS_SNAPSHOT:%s:1:1:1", "-1.25", true},
      {"SOAK:METRICS_SNAPSHOT:%s:1:1:1", "3", true},
      {"SOAK:METRICS_SNAPSHOT:%s:1:1:1", "0.000001", true},
      {"SOAK:METRICS_SNAPSHOT:%s:1:1:1", "1e5", false},
      {"SOAK:METRICS_SNAPSHOT:%s:1:1:1", "inf", false},
      {"SOAK:METRICS_SNAPSHOT:%s:1:1:1", "nan", false},
      {"SOAK:METRICS_SNAPSHOT:%s:1:1:1", ".5", false},
      {"SOAK:METRICS_SNAPSHOT:%s:1:1:1", "5.", false},
      {"SOAK:METRICS_SNAPSHOT:%s:1:1:1", "+5", false},
      {"SOAK:METRICS_SNAPSHOT:%s:1:1:1", "1.2.3", false},
      {"SOAK:METRICS_SNAPSHOT:%s:1:1:1", std::string(400, '9'), false},
      // enum
      {"SOAK:COMPLETE:%s", "pass", true},
      {"SOAK:COMPLETE:%s", "fail", true},
      {"SOAK:COMPLETE:%s", "PASS", false},
      {"SOAK:COMPLETE:%s", "", false},
      // id
      {"SYS:PANIC:%s:x", "page_fault.v2-a", true},
      {"SYS:PANIC:%s:x", std::string(64, 'a'), true},
      {"SYS:PANIC:%s:x", std::string(65, 'a'), false},
      {"SYS:PANIC:%s:x", "", false},
      {"SYS:PANIC:%s:x", "a/b", false},
      // word: anything printable, also empty
      {"BOOT:START:%s", "", true},
      {"BOOT:START:%s", "v0.1-rc2+g1234/x", true},
  };
  for (const auto& c : cases) {
    std::string body = c.marker;
    body.replace(body.find("%s"), 2, c.text);
    // Without a suffix the precise way parses the line, with seq and CRC the fast way.
    for (const std::string& line : {"RAYOS_" + body, with_crc(body, 1)}) {
      const ParsedLine p = parse(line);
      EXPECT_EQ(p.kind, c.valid ? LineKind::Marker : LineKind::Malformed)
          << line << ": " << p.reason;
      if (!c.valid) {
        EXPECT_THAT(p.reason, HasSubstr("got \"" + c.text.substr(0, 40))) << line;
      }
    }
  }
}

TEST(LineParser, TypedValues) {
  ParsedLine p = parse("RAYOS_SYS:EXIT:-9223372036854775808");
  ASSERT_EQ(p.kind, LineKind::Marker);
  EXPECT_EQ(p.fields[0].kind, FieldValue::Kind::Signed);
  EXPECT_EQ(p.fields[0].i, std::numeric_limits<int64_t>::min());
  EXPECT_DOUBLE_EQ(p.fields[0].number(), -9223372036854775808.0);
  p = parse("RAYOS_SOAK:START:4294967295:60");
  EXPECT_EQ(p.fields[0].u, 4294967295u);
  EXPECT_DOUBLE_EQ(p.fields[1].number(), 60.0);
  p = parse("RAYOS_SOAK:COMPLETE:pass");
  EXPECT_EQ(p.fields[0].kind, FieldValue::Kind::Text);
  EXPECT_TRUE(std::isnan(p.fields[0].number()));
}

TEST(LineParser, ReasonsNameFieldTypeAndText) {
  EXPECT_EQ(parse("RAYOS_SOAK:METRICS_SNAPSHOT:1:x1:3:4").reason,
            "field 2 (mem_kb) of SOAK:METRICS_SNAPSHOT: expected u64 (decimal digits, no sign), "
            "got \"x1\"");
  EXPECT_EQ(parse("RAYOS_SOAK:START:4294967296:1").reason,
            "field 1 (clients) of SOAK:START: expected u32 (at most 4294967295), got "
            "\"4294967296\"");
  EXPECT_EQ(parse("RAYOS_SOAK:COMPLETE:maybe").reason,
            "field 1 (result) of SOAK:COMPLETE: expected one of pass|fail, got \"maybe\"");
}

TEST(LineParser, RestFields) {
  ParsedLine p = parse("RAYOS_PERF:HIST:alloc");
  EXPECT_EQ(p.kind, LineKind::Marker) << p.reason;
  p = parse("RAYOS_PERF:HIST:alloc:1:2:3:18446744073709551615");
  ASSERT_EQ(p.kind, LineKind::Marker) << p.reason;
  ASSERT_EQ(p.fields.size(), 5u);
  EXPECT_EQ(p.fields[4].u, UINT64_MAX);
  p = parse("RAYOS_PERF:HIST:alloc:1:x:3");
  EXPECT_EQ(p.reason,
            "field 3 (count) of PERF:HIST: expected u64 (decimal digits, no sign), "
            "got \"x\"");
}

TEST(LineParser, PermissiveSchemaTakesAnyMarkerAsWords) {
  const Schema schema = Schema::permissive("MYOS");
  const ParsedLine p = parse_line("MYOS_ANY_THING:HAPPENED:1:two::x.y", schema);
  ASSERT_EQ(p.kind, LineKind::Marker) << p.reason;
  EXPECT_EQ(p.spec, nullptr);
  ASSERT_EQ(p.fields.size(), 4u);
  EXPECT_EQ(p.fields[2].text, "");
  EXPECT_EQ(p.fields[1].kind, FieldValue::Kind::Text);
  EXPECT_EQ(parse_line("RAYOS_BOOT:READY", schema).kind, LineKind::Noise);
  EXPECT_EQ(parse_line("MYOS_X:Y:a b", schema).kind, LineKind::Malformed);
}

TEST(LineParser, AllowUnknownKeepsKnownMarkersTyped) {
  const Schema schema = Schema::parse(
      R"({"prefix": "RAYOS", "allow_unknown": true,
          "markers": [{"marker": "SYS:HEARTBEAT", "fields": [{"name": "t", "type": "u64"}]}]})",
      "inline");
  EXPECT_EQ(parse_line("RAYOS_NEW:THING:x:y", schema).kind, LineKind::Marker);
  EXPECT_EQ(parse_line("RAYOS_NEW:THING:x:y", schema).spec, nullptr);
  EXPECT_EQ(parse_line("RAYOS_SYS:HEARTBEAT:x", schema).kind, LineKind::Malformed);
}

// Everything the fast way of LineParser returns, by parse() or check(), must be what the
// precise way returns.
void expect_same_parse(LineParser& fast, LineParser& precise, std::string_view line) {
  const LineResult a = fast.parse(line);
  const LineResult b = precise.parse(line);
  ASSERT_EQ(a.kind, b.kind) << line << ": " << precise.reason();
  EXPECT_EQ(a.category, b.category) << line;
  EXPECT_EQ(a.event, b.event) << line;
  EXPECT_EQ(a.spec, b.spec) << line;
  EXPECT_EQ(a.seq, b.seq) << line;
  EXPECT_EQ(a.seq_trusted, b.seq_trusted) << line;
  EXPECT_EQ(a.boot_start, b.boot_start) << line;
  EXPECT_EQ(fast.reason(), precise.reason()) << line;
  ASSERT_EQ(fast.fields().size(), precise.fields().size()) << line;
  for (size_t i = 0; i < fast.fields().size(); ++i) {
    const FieldValue &x = fast.fields()[i], &y = precise.fields()[i];
    EXPECT_EQ(std::tie(x.kind, x.u, x.i, x.text), std::tie(y.kind, y.u, y.i, y.text)) << line;
    EXPECT_EQ(std::bit_cast<uint64_t>(x.f), std::bit_cast<uint64_t>(y.f)) << line;
  }
  // check() decides as parse() does, the fields checked and not kept.
  LineResult c;
  fast.check(line, 0, c);
  EXPECT_EQ(std::tie(c.kind, c.category, c.event, c.spec, c.seq, c.seq_trusted, c.boot_start),
            std::tie(b.kind, b.category, b.event, b.spec, b.seq, b.seq_trusted, b.boot_start))
      << line;
  EXPECT_EQ(fast.reason(), precise.reason()) << line;
}

// `line` with the CRC of its marker (from "RAYOS_" to " #") made right again, when it has one:
// a changed byte then reaches the checks of the fields instead of failing the CRC.
std::string with_crc_fixed(std::string line) {
  const size_t key = line.find("RAYOS_"), hash = line.rfind(" #");
  if (key == std::string::npos || hash == std::string::npos || hash < key ||
      line.size() < hash + 11 || line[line.size() - 9] != '*')
    return line;
  char crc[9];
  std::snprintf(crc, sizeof crc, "%08x", crc32c(line.data() + key, hash - key));
  return line.replace(line.size() - 8, 8, crc);
}

// The generator's markers (every field type of the test schema, lost, corrupt and malformed
// ones among them), each also cut at every length and with one byte changed at every place,
// its CRC as it was and made right again.
TEST(LineParser, FastAndPreciseWaysAgree) {
  StreamOptions options;
  options.require_crc = true;  // makes the fast way's lines fail later checks of the precise way
  for (const StreamOptions& o : {StreamOptions{}, options}) {
    LineParser fast(test_schema(), o), precise(test_schema(), o, /*fast=*/false);
    LogGenOptions gen;
    gen.bytes = 60000;
    gen.marker_fraction = 1;
    gen.fault_rate = 0.05;
    std::istringstream in(testing::generated_log(gen));
    std::mt19937 rng(3);
    const char kBytes[] = {':', '#', ' ', '*', '-', '.', '0', '9', 'a', 'Z', '_', '\x80', '\0'};
    int lines = 0;
    for (std::string line; std::getline(in, line) && lines < 300; ++lines) {
      expect_same_parse(fast, precise, line);
      for (size_t n = 0; n < line.size(); ++n) {
        expect_same_parse(fast, precise, std::string_view(line).substr(0, n));
        std::string changed = line;
        changed[n] = kBytes[rng() % std::size(kBytes)];
        expect_same_parse(fast, precise, changed);
        expect_same_parse(fast, precise, with_crc_fixed(changed));
      }
    }
  }
}

// Fields at the edges of what their type takes, each decided by check() (which takes short
// markers a field at a time from bit masks on CPUs with AVX-512BW) as the precise way decides.
TEST(LineParser, CheckDecidesFieldsAtTheirLimitsAsThePreciseWay) {
  LineParser fast(test_schema(), {}), precise(test_schema(), {}, /*fast=*/false);
  const std::string id64(64, 'a'), id65(65, 'a');
  for (const std::string& body : std::vector<std::string>{"SOAK:START:4294967295:0",
                                                          "SOAK:START:4294967296:0",
                                                          "SOAK:START:999999999:1",
                                                          "SOAK:START:0000000001:1",
                                                          "SOAK:START::1",
                                                          "SOAK:START:1:",
                                                          "SOAK:START:1:2:3",
                                                          "SOAK:START:1",
                                                          "SYS:HEARTBEAT:18446744073709551615",
                                                          "SYS:HEARTBEAT:18446744073709551616",
                                                          "SYS:HEARTBEAT:9999999999999999999",
                                                          "SYS:HEARTBEAT:1x",
                                                          "SYS:PANIC:" + id64 + ":w",
                                                          "SYS:PANIC:" + id65 + ":w",
                                                          "SYS:PANIC:a-b.c_D9:",
                                                          "SYS:PANIC:a/b:w",
                                                          "SYS:PANIC::w",
                                                          "SYS:PANIC:a:w!~",
                                                          "PERF:HIST:op",
                                                          "PERF:HIST:op:1:2:3:x",
                                                          "SOAK:COMPLETE:pass",
                                                          "SOAK:COMPLETE:nope",
                                                          "SYS:EXIT:-9",
                                                          "SYS:EXIT:9-"}) {
    SCOPED_TRACE(body);
    const std::string line = testing::with_crc(body, 7);
    const LineResult want = precise.parse(line);
    LineResult got;
    fast.check(line, 0, got);
    EXPECT_EQ(got.kind, want.kind) << precise.reason();
    EXPECT_EQ(got.spec, want.spec);
    EXPECT_EQ(fast.reason(), precise.reason());
  }
}

TEST(LineParser, OtherPrefixes) {
  const Schema schema = Schema::permissive("OS2");
  EXPECT_EQ(parse_line("OS2_A:B", schema).kind, LineKind::Marker);
  EXPECT_EQ(parse_line("OS2A:B", schema).kind, LineKind::Noise);
}

}  // namespace
}  // namespace osh::marker
