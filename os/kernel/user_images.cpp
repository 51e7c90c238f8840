#include "os/kernel/user_images.h"

namespace {

// One row per program, as the generated user_images.S lays it out.
struct ImageRow {
  const char* name;
  uint64_t name_size;
  const uint8_t* start;
  const uint8_t* end;
};

}  // namespace

extern "C" const ImageRow rayos_user_images[];
extern "C" const uint64_t rayos_user_image_count;

namespace rayos::kernel {

size_t user_image_count() { return rayos_user_image_count; }

UserImage user_image(size_t index) {
  const ImageRow& row = rayos_user_images[index];
  return UserImage{StringView(row.name, row.name_size), row.start,
                   static_cast<size_t>(row.end - row.start)};
}

bool find_user_image(StringView name, UserImage& out) {
  for (size_t i = 0; i < user_image_count(); ++i) {
    if (!(user_image(i).name == name)) continue;
    out = user_image(i);
    return true;
  }
  return false;
}

}  // namespace rayos::kernel
