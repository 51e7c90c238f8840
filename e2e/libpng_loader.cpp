// libpng's functions, loaded the first time one is called (harness/base/lazy_library.h): only
// screenshots (png_image.cpp) read and write PNG, and linked it slowed every osharness process's
// start (docs/performance.md, "A short start"). Each function here has the name and the
// signature <png.h> declares, so callers (and png_jmpbuf) are unchanged.
#include <png.h>

#include "harness/base/lazy_library.h"

namespace {

#define OSH_LIBPNG_FUNCTIONS(X) \
  X(png_create_info_struct)     \
  X(png_create_read_struct)     \
  X(png_create_write_struct)    \
  X(png_destroy_read_struct)    \
  X(png_destroy_write_struct)   \
  X(png_get_error_ptr)          \
  X(png_get_image_height)       \
  X(png_get_image_width)        \
  X(png_get_rowbytes)           \
  X(png_init_io)                \
  X(png_longjmp)                \
  X(png_read_end)               \
  X(png_read_image)             \
  X(png_read_info)              \
  X(png_read_update_info)       \
  X(png_set_IHDR)               \
  X(png_set_expand)             \
  X(png_set_gray_to_rgb)        \
  X(png_set_longjmp_fn)         \
  X(png_set_strip_16)           \
  X(png_set_strip_alpha)        \
  X(png_write_end)              \
  X(png_write_info)             \
  X(png_write_row)
OSH_LAZY_LIBRARY(api, "libpng16.so.16", "screenshots need it: scripts/setup installs libpng-dev",
                 OSH_LIBPNG_FUNCTIONS)

}  // namespace

// The definitions <png.h> declares, each forwarding to the loaded function.
extern "C" {
png_infop png_create_info_struct(png_const_structrp png) {
  return api().png_create_info_struct(png);
}
png_structp png_create_read_struct(png_const_charp version, png_voidp error_ptr,
                                   png_error_ptr error_fn, png_error_ptr warn_fn) {
  return api().png_create_read_struct(version, error_ptr, error_fn, warn_fn);
}
png_structp png_create_write_struct(png_const_charp version, png_voidp error_ptr,
                                    png_error_ptr error_fn, png_error_ptr warn_fn) {
  return api().png_create_write_struct(version, error_ptr, error_fn, warn_fn);
}
void png_destroy_read_struct(png_structpp png, png_infopp info, png_infopp end_info) {
  api().png_destroy_read_struct(png, info, end_info);
}
void png_destroy_write_struct(png_structpp png, png_infopp info) {
  api().png_destroy_write_struct(png, info);
}
png_voidp png_get_error_ptr(png_const_structrp png) { return api().png_get_error_ptr(png); }
png_uint_32 png_get_image_height(png_const_structrp png, png_const_inforp info) {
  return api().png_get_image_height(png, info);
}
png_uint_32 png_get_image_width(png_const_structrp png, png_const_inforp info) {
  return api().png_get_image_width(png, info);
}
size_t png_get_rowbytes(png_const_structrp png, png_const_inforp info) {
  return api().png_get_rowbytes(png, info);
}
void png_init_io(png_structrp png, png_FILE_p file) { api().png_init_io(png, file); }
void png_longjmp(png_const_structrp png, int value) {
  api().png_longjmp(png, value);
  __builtin_unreachable();  // png_longjmp is declared noreturn
}
void png_read_end(png_structrp png, png_inforp info) { api().png_read_end(png, info); }
void png_read_image(png_structrp png, png_bytepp image) { api().png_read_image(png, image); }
void png_read_info(png_structrp png, png_inforp info) { api().png_read_info(png, info); }
void png_read_update_info(png_structrp png, png_inforp info) {
  api().png_read_update_info(png, info);
}
void png_set_IHDR(png_const_structrp png, png_inforp info, png_uint_32 width, png_uint_32 height,
                  int bit_depth, int color_type, int interlace_method, int compression_method,
                  int filter_method) {
  api().png_set_IHDR(png, info, width, height, bit_depth, color_type, interlace_method,
                     compression_method, filter_method);
}
void png_set_expand(png_structrp png) { api().png_set_expand(png); }
void png_set_gray_to_rgb(png_structrp png) { api().png_set_gray_to_rgb(png); }
jmp_buf* png_set_longjmp_fn(png_structrp png, png_longjmp_ptr longjmp_fn, size_t jmp_buf_size) {
  return api().png_set_longjmp_fn(png, longjmp_fn, jmp_buf_size);
}
void png_set_strip_16(png_structrp png) { api().png_set_strip_16(png); }
void png_set_strip_alpha(png_structrp png) { api().png_set_strip_alpha(png); }
void png_write_end(png_structrp png, png_inforp info) { api().png_write_end(png, info); }
void png_write_info(png_structrp png, png_const_inforp info) { api().png_write_info(png, info); }
void png_write_row(png_structrp png, png_const_bytep row) { api().png_write_row(png, row); }
}
