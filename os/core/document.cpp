#include "os/core/document.h"

#include "os/core/crc32c.h"
#include "os/core/prng.h"

namespace rayos::document {

Doc initial(uint64_t seed, uint32_t app) {
  uint64_t state = seed ^ (uint64_t{app} + 1) * 0x9e3779b97f4a7c15ull;
  Doc doc{};
  for (uint64_t& w : doc.words) w = splitmix64(state);
  return doc;
}

void edit(Doc& doc) {
  // Every word feeds the new one, so a lost or repeated edit changes everything after it.
  uint64_t state = doc.words[0] ^ doc.words[1] ^ doc.words[2] ^ doc.words[3] ^ doc.version;
  doc.words[doc.version % 4] = splitmix64(state);
  ++doc.version;
}

Doc at_version(uint64_t seed, uint32_t app, uint32_t version) {
  Doc doc = initial(seed, app);
  while (doc.version < version) edit(doc);
  return doc;
}

Message make(Kind kind, uint32_t app, const Doc& doc) {
  Message m{};
  m.kind = kind;
  m.app = app;
  m.version = doc.version;
  for (int i = 0; i < 4; ++i) m.words[i] = doc.words[i];
  m.crc = crc32c(&m, offsetof(Message, crc));
  return m;
}

bool intact(const Message& m, int64_t size) {
  return size == static_cast<int64_t>(sizeof(Message)) &&
         m.crc == crc32c(&m, offsetof(Message, crc));
}

bool holds(const Message& m, const Doc& doc) {
  for (int i = 0; i < 4; ++i)
    if (m.words[i] != doc.words[i]) return false;
  return m.version == doc.version;
}

}  // namespace rayos::document
