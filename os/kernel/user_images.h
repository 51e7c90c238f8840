#pragma once
// The ring-3 programs (os/user/programs) linked into the kernel image as ELF files: the build
// generates a table of them (user_images.S, from os/user/CMakeLists.txt).
#include <stddef.h>
#include <stdint.h>

#include "os/core/string_view.h"

namespace rayos::kernel {

struct UserImage {
  StringView name;
  const uint8_t* data;
  size_t size;
};

// False if no program has that name.
bool find_user_image(StringView name, UserImage& out);
size_t user_image_count();
UserImage user_image(size_t index);

}  // namespace rayos::kernel
