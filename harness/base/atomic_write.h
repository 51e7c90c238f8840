#pragma once
// Replacing a file so that a reader (another osharness, a browser, CI collecting artifacts)
// finds the old content or the new, never half of it.
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <string_view>

namespace osh {

// Writes `content` to a new file in the folder of `path` (so the rename stays on one file
// system), flushes it to the disk and renames it over `path`. Throws InfraError naming `path`
// and what failed; the temporary file is removed then and `path` is left as it was.
void atomic_write(const std::filesystem::path& path, std::string_view content);

// The same, with the content produced by `write`.
void atomic_write(const std::filesystem::path& path,
                  const std::function<void(std::ostream&)>& write);

// The same for what belongs in a campaign's output folder (reports, bundles, gate and history
// output: harness/base/private_files.h): the file is mode 0600 exactly, whatever the umask.
void atomic_write_private(const std::filesystem::path& path, std::string_view content);
void atomic_write_private(const std::filesystem::path& path,
                          const std::function<void(std::ostream&)>& write);

}  // namespace osh
