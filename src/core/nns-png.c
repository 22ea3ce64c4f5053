/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "nns-png"

#include "config.h"

#include <png.h>
#include <setjmp.h>
#include <string.h>

#include "nns-png.h"

/* zlib's fastest level; the filters' search costs more than it saves here. */
#define PNG_LEVEL 1

typedef struct
{
  cairo_write_func_t write_func;
  void              *closure;
  cairo_status_t     status;
} Sink;

static void
on_write (png_structp png, png_bytep data, png_size_t length)
{
  Sink *sink = png_get_io_ptr (png);

  if (sink->write_func (sink->closure, data, (unsigned int) length) != CAIRO_STATUS_SUCCESS)
    {
      sink->status = CAIRO_STATUS_WRITE_ERROR;
      png_error (png, "write error");
    }
}

static void
on_flush (png_structp png)
{
}

static void
on_error (png_structp png, png_const_charp message)
{
  png_longjmp (png, 1);
}

static void
on_warning (png_structp png, png_const_charp message)
{
}

static gboolean
is_opaque (const guint8 *data, int stride, int width, int height)
{
  for (int y = 0; y < height; y++)
    {
      const guint32 *row = (const guint32 *) (data + (gsize) y * stride);

      for (int x = 0; x < width; x++)
        if (row[x] < 0xff000000u)
          return FALSE;
    }
  return TRUE;
}

cairo_status_t
nns_png_write (cairo_surface_t *surface, cairo_write_func_t write_func, void *closure)
{
  Sink sink = { write_func, closure, CAIRO_STATUS_SUCCESS };
  int width, height, stride, channels;
  const guint8 *data;
  png_structp png;
  png_infop info;
  guint8 *volatile row = NULL;
  gboolean opaque;

  g_return_val_if_fail (cairo_image_surface_get_format (surface) == CAIRO_FORMAT_ARGB32,
                        CAIRO_STATUS_INVALID_FORMAT);

  cairo_surface_flush (surface);
  width = cairo_image_surface_get_width (surface);
  height = cairo_image_surface_get_height (surface);
  stride = cairo_image_surface_get_stride (surface);
  data = cairo_image_surface_get_data (surface);
  opaque = is_opaque (data, stride, width, height);
  channels = opaque ? 3 : 4;

  png = png_create_write_struct (PNG_LIBPNG_VER_STRING, &sink, on_error, on_warning);
  if (png == NULL)
    return CAIRO_STATUS_NO_MEMORY;
  info = png_create_info_struct (png);
  row = g_try_malloc ((gsize) width * channels + 1);
  if (info == NULL || row == NULL)
    {
      png_destroy_write_struct (&png, info ? &info : NULL);
      g_free (row);
      return CAIRO_STATUS_NO_MEMORY;
    }
  if (setjmp (png_jmpbuf (png)))
    {
      png_destroy_write_struct (&png, &info);
      g_free (row);
      return sink.status != CAIRO_STATUS_SUCCESS ? sink.status : CAIRO_STATUS_NO_MEMORY;
    }
  png_set_write_fn (png, &sink, on_write, on_flush);
  png_set_IHDR (png, info, (png_uint_32) width, (png_uint_32) height, 8,
                opaque ? PNG_COLOR_TYPE_RGB : PNG_COLOR_TYPE_RGB_ALPHA, PNG_INTERLACE_NONE,
                PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_set_compression_level (png, PNG_LEVEL);
  png_set_filter (png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
  png_write_info (png, info);
  for (int y = 0; y < height; y++)
    {
      const guint32 *src = (const guint32 *) (data + (gsize) y * stride);
      guint8 *out = row;

      /* Cairo's pixels are native-endian premultiplied ARGB. */
      for (int x = 0; x < width; x++)
        {
          guint32 v = src[x], a = v >> 24, r = (v >> 16) & 0xff, g = (v >> 8) & 0xff, b = v & 0xff;

          if (a != 0xff && a != 0)
            {
              r = (r * 255 + a / 2) / a;
              g = (g * 255 + a / 2) / a;
              b = (b * 255 + a / 2) / a;
            }
          *out++ = (guint8) r;
          *out++ = (guint8) g;
          *out++ = (guint8) b;
          if (!opaque)
            *out++ = (guint8) a;
        }
      png_write_row (png, row);
    }
  png_write_end (png, info);
  png_destroy_write_struct (&png, &info);
  g_free (row);
  return CAIRO_STATUS_SUCCESS;
}
