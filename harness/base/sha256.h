#pragma once
#include <filesystem>
#include <string>

namespace osh {

// Lower-case hex SHA-256 of a file's contents (OpenSSL). InputError when unreadable.
std::string sha256_file(const std::filesystem::path& path);

}  // namespace osh
