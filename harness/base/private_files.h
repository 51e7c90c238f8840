#pragma once
// A campaign's folders and logs hold what the guest printed and how the host ran it (command
// lines, paths): they are the user's alone, whatever the umask, like the VM run directories.
#include <filesystem>

namespace osh {

// create_directories, then mode 0700 on `dir` itself (its parents keep theirs). Throws
// osh::InfraError naming the folder.
void make_private_directory(const std::filesystem::path& dir);

// open(path, flags | O_CREAT | O_CLOEXEC) with mode exactly 0600: an existing file is set to it
// too. -1 with errno on failure, like open().
int open_private_file(const std::filesystem::path& path, int flags);

}  // namespace osh
