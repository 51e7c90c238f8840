#include "os/core/garbage.h"

#include "os/core/format.h"
#include "os/core/marker_catalog.h"
#include "os/core/marker_writer.h"

namespace rayos {
namespace {

size_t copy(StringView text, char* out) {
  for (size_t i = 0; i < text.size(); ++i) out[i] = text[i];
  return text.size();
}

// Complete terminal sequences of the kinds a real console shows (colour, clear screen, cursor
// home, window title, reset).
constexpr StringView kEscapes[] = {"\x1b[0;31m", "\x1b[2J", "\x1b[H", "\x1b]0;t\x07",
                                   "\x1b"
                                   "c"};

}  // namespace

GarbageLine GarbageGenerator::next(uint64_t seq, char* out) {
  uint64_t roll = prng_.below(10);
  GarbageLine line;
  if (roll < 4) {
    MarkerWriter writer(markers::kGarbageLine);  // the finished line lives in the writer
    StringView text = writer.field(index_).finish(seq);
    line = GarbageLine{GarbageKind::kValid, copy(text, out), true};
  } else if (roll < 7) {
    line = GarbageLine{GarbageKind::kNoise, noise(out), false};
  } else if (roll < 9) {
    line = malformed(seq, out);
  } else {
    line = GarbageLine{GarbageKind::kCorrupt, corrupt(seq, out), true};
  }
  ++index_;
  return line;
}

size_t GarbageGenerator::noise(char* out) {
  size_t target = 1 + prng_.below(120);
  size_t n = 0;
  while (n < target) {
    uint64_t roll = prng_.below(16);
    if (roll == 0) {
      n += copy(kEscapes[prng_.below(sizeof(kEscapes) / sizeof(kEscapes[0]))], out + n);
    } else if (roll == 1) {
      out[n++] = '\r';
    } else if (roll == 2) {
      out[n++] = '\0';
    } else {
      char c = static_cast<char>(prng_.below(256));
      out[n++] = (c == '\n' || c == 'R') ? '.' : c;
    }
  }
  // A trailing CR would make the line end in CR LF, which a parser strips as the line ending.
  if (out[n - 1] == '\r') out[n - 1] = '.';
  out[n++] = '\n';
  return n;
}

GarbageLine GarbageGenerator::malformed(uint64_t seq, char* out) {
  MarkerWriter line(markers::kGarbageLine);
  switch (prng_.below(4)) {
    case 0: {  // cut short: some prefix of the body, at least "RAYOS_G", and no trailer
      StringView body = line.field(index_).body();
      size_t cut = 7 + prng_.below(body.size() - 7 + 1);
      size_t n = copy(body.substr(0, cut), out);
      out[n++] = '\n';
      return GarbageLine{GarbageKind::kMalformed, n, false};
    }
    case 1:  // wrong field count: none, or two
      if (prng_.chance(1, 2)) line.field(index_).field(index_);
      break;
    case 2: {  // a word where the schema wants a u64
      char word[8];
      size_t len = 1 + prng_.below(sizeof(word));
      for (size_t i = 0; i < len; ++i) word[i] = static_cast<char>('a' + prng_.below(26));
      line.field(StringView(word, len));
      break;
    }
    default: {  // an event the schema does not list
      char event[8 + kMaxIntChars] = "UNKNOWN_";
      size_t len = 8 + format_u64(prng_.below(1000), event + 8);
      line = MarkerWriter(markers::kGarbageLine.category, StringView(event, len));
      line.field(index_);
      break;
    }
  }
  return GarbageLine{GarbageKind::kMalformed, copy(line.finish(seq), out), true};
}

size_t GarbageGenerator::corrupt(uint64_t seq, char* out) {
  MarkerWriter writer(markers::kGarbageLine);
  size_t field_start = writer.body().size() + 1;  // after the ':'
  size_t n = copy(writer.field(index_).finish(seq), out);
  size_t digits = 0;
  while (out[field_start + digits] >= '0' && out[field_start + digits] <= '9') ++digits;
  size_t pos = field_start + prng_.below(digits);
  // A different digit; never a leading zero, which would make a multi-digit u64 look odd.
  char lowest = (pos == field_start && digits > 1) ? '1' : '0';
  char replacement;
  do {
    replacement = static_cast<char>(lowest + prng_.below(static_cast<uint64_t>('9' - lowest + 1)));
  } while (replacement == out[pos]);
  out[pos] = replacement;
  return n;
}

}  // namespace rayos
