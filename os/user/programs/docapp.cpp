// docapp index in out config: an app with a document (os/core/document.h) that the session and
// storage service (os/workloads/doc_apps.h) asks to quit. config: seed << 32 | autosave << 31 |
// edits. It makes one edit a millisecond (all of them while `edits` is 0, else that many, then
// it idles), and with autosave saves once its edits are done. Asked to quit (kQuitRequest on
// `in`) with unsaved work it answers kSaveFirst, sends the document (kSave on `out`), waits for
// kSaved of that version and exits 0; with nothing unsaved it answers kNothingToSave and exits 0.
// Exit 1: a failed system call; 2: a damaged message; 3: a save acknowledged for another version.
#include "os/core/document.h"
#include "os/user/runtime/runtime.h"

using namespace rayos::user;
namespace doc = rayos::document;

namespace {

struct App {
  uint32_t index;
  uint64_t in, out;
  doc::Doc document;
  uint32_t saved_version = 0;  // version 0 is the initial content: nothing to save
  bool quit_asked = false;

  bool send(doc::Kind kind) {
    const doc::Message m = doc::make(kind, index, document);
    return ipc_send(out, &m, sizeof m) == 0;
  }

  // Waits for a message on `in`; 0 or an exit code.
  uint64_t receive(doc::Message& m, uint64_t flags, bool& got) {
    const int64_t size = ipc_recv(in, &m, sizeof m, flags);
    got = size >= 0;
    if (size == rayos::abi::kErrAgain) return 0;
    if (size < 0) return 1;
    return doc::intact(m, size) ? 0 : 2;
  }

  uint64_t save() {
    if (!send(doc::kSave)) return 1;
    for (;;) {
      doc::Message m{};
      bool got = false;
      if (const uint64_t error = receive(m, 0, got)) return error;
      if (m.kind == doc::kQuitRequest) {
        quit_asked = true;  // answered once this save is stored
        continue;
      }
      if (m.kind != doc::kSaved || m.version != document.version) return 3;
      saved_version = m.version;
      return 0;
    }
  }

  uint64_t quit() {
    if (saved_version == document.version) return send(doc::kNothingToSave) ? 0 : 1;
    if (!send(doc::kSaveFirst)) return 1;
    // Writing a document out takes a while: a session that took "save first" for done would end
    // the app in the middle of it.
    if (sleep_ms(2) != 0) return 1;
    return save();
  }
};

}  // namespace

extern "C" uint64_t rayos_main(uint64_t index, uint64_t in, uint64_t out, uint64_t config) {
  const uint32_t edits = static_cast<uint32_t>(config & 0x7fffffff);
  const bool autosave = (config >> 31) & 1;
  App app{static_cast<uint32_t>(index), in, out,
          doc::initial(config >> 32, static_cast<uint32_t>(index))};
  for (;;) {
    if (app.quit_asked) return app.quit();
    doc::Message m{};
    bool got = false;
    if (const uint64_t error = app.receive(m, rayos::abi::kIpcNonBlocking, got)) return error;
    if (got) {
      if (m.kind != doc::kQuitRequest) return 2;
      app.quit_asked = true;
      continue;
    }
    if (edits == 0 || app.document.version < edits) {
      doc::edit(app.document);
    } else if (autosave && app.saved_version != app.document.version) {
      if (const uint64_t error = app.save()) return error;
    }
    if (sleep_ms(1) != 0) return 1;
  }
}
