#pragma once
// The session's side of the docapp protocol (os/core/document.h, os/user/programs/docapp.cpp):
// starts the ring-3 apps, hands each save to the scenario's storage (the disk, a table in
// memory) and acknowledges it once stored, asks the apps to quit and collects them. The serve
// loop is the session manager that waits for every app to save and exit.
#include <stdint.h>

#include "os/core/document.h"
#include "os/kernel/process.h"

namespace rayos::workloads {

struct DocApps {
  static constexpr uint32_t kMax = 16;
  uint32_t count = 0;
  uint64_t seed = 0;  // the documents' seed, as the apps got it (32 bits)
  uint32_t pids[kMax] = {};
  int64_t in[kMax] = {};  // service -> app
  int64_t out = -1;       // apps -> service
  // What each app said when asked to quit (document::Kind, 0: nothing) and the version it
  // named, how it ended, and the last version the storage took from it.
  uint32_t answer[kMax] = {};
  uint32_t answered_version[kMax] = {};
  bool ended[kMax] = {};
  kernel::ExitStatus status[kMax] = {};
  uint32_t stored_version[kMax] = {};
  uint32_t damaged = 0;  // messages that failed their CRC or named no app
};

// Stores one save; false when it could not (the app then gets no acknowledgement).
struct DocStorage {
  bool (*store)(void* context, const document::Message& save);
  void* context;
};

// Starts `count` apps (at most kMax) with documents from `seed`; each makes `edits` edits (0:
// until asked to quit), and those whose bit is set in `autosave` save once they are done.
// How many started.
uint32_t doc_apps_start(DocApps& apps, uint32_t count, uint64_t seed, uint32_t edits,
                        uint32_t autosave);
// Asks every app that has not ended to save its work and quit.
void doc_apps_ask_quit(DocApps& apps);
// Stores saves and records answers until `until_ns` (uptime), or until every app has ended
// when `until_all_ended`.
void doc_apps_serve(DocApps& apps, const DocStorage& storage, uint64_t until_ns,
                    bool until_all_ended);
// Apps that ended with exit 0.
uint32_t doc_apps_exited_cleanly(const DocApps& apps);
// Kills what still runs, collects it and closes the queues.
void doc_apps_close(DocApps& apps);

}  // namespace rayos::workloads
