#pragma once
// The documents the integration scenarios' ring-3 apps edit (os/user/programs/docapp.cpp) and
// the messages they exchange with the kernel's session and storage service
// (os/workloads/doc_apps.h). A document is four words changed by seeded edits: its content at
// any version can be computed again from the seed, so that whoever reads a saved copy back (after
// a reboot, after a logout) can check it holds exactly what the app had, not just a valid CRC.
#include <stddef.h>
#include <stdint.h>

namespace rayos::document {

struct Doc {
  uint64_t words[4];
  uint32_t version;  // edits made since the initial content
};

// The content app `app` starts with under `seed` (version 0).
Doc initial(uint64_t seed, uint32_t app);
// One edit: changes a word from all four and the version, and counts the version up.
void edit(Doc& doc);
// The content of app `app`'s document after `version` edits.
Doc at_version(uint64_t seed, uint32_t app, uint32_t version);

enum Kind : uint32_t {
  // service -> app
  kQuitRequest = 1,  // the session ends (logout, shutdown): save unsaved work, then exit
  kSaved = 2,        // the save of `version` is stored
  // app -> service
  kSave = 3,          // the document (words, version): store it
  kSaveFirst = 4,     // asked to quit with unsaved work up to `version`: saving before it exits
  kNothingToSave = 5  // asked to quit with nothing unsaved: exiting now
};

// One IPC message either way (abi::kMaxMessage is 64 bytes).
struct Message {
  uint32_t kind;
  uint32_t app;
  uint32_t version;
  uint32_t reserved;
  uint64_t words[4];
  uint32_t crc;  // CRC-32C of everything before it
  uint32_t pad;
};
static_assert(sizeof(Message) == 56);

// A message of `kind` about `doc` (its words and version) from or to app `app`.
Message make(Kind kind, uint32_t app, const Doc& doc);
// Whether `size` bytes received are a whole message with a good CRC.
bool intact(const Message& m, int64_t size);
// Whether the message carries exactly `doc`'s content and version.
bool holds(const Message& m, const Doc& doc);

}  // namespace rayos::document
