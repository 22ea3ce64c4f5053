/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "nns-png"

#include "config.h"

#include <libdeflate.h>
#include <png.h>
#include <setjmp.h>
#include <string.h>

#include "nns-png.h"

/* Images up to this many bytes of pixels are compressed in one piece by
 * libdeflate (its level 2: the file zlib's level 1 writes, in less than
 * half the time); larger ones stream row by row through libpng, so an
 * export never needs the whole image twice over in memory. */
#define WHOLE_MAX_BYTES (64 << 20)
#define WHOLE_LEVEL     2
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

/* One row of cairo's native-endian premultiplied ARGB as PNG's RGB or
 * RGBA, straight alpha. */
static void
pack_row (const guint32 *src, guint8 *out, int width, gboolean opaque)
{
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
}

static void
put_be32 (guint8 *p, guint32 v)
{
  p[0] = (guint8) (v >> 24);
  p[1] = (guint8) (v >> 16);
  p[2] = (guint8) (v >> 8);
  p[3] = (guint8) v;
}

/* A PNG chunk: length, type, data, CRC of type and data. */
static gboolean
write_chunk (Sink *sink, const char *type, const guint8 *data, gsize length)
{
  guint8 head[8], tail[4];
  guint32 crc;

  put_be32 (head, (guint32) length);
  memcpy (head + 4, type, 4);
  crc = libdeflate_crc32 (0, head + 4, 4);
  /* (libdeflate_crc32() of a NULL buffer starts over) */
  if (length > 0)
    crc = libdeflate_crc32 (crc, data, length);
  put_be32 (tail, crc);
  if (sink->write_func (sink->closure, head, 8) != CAIRO_STATUS_SUCCESS
      || (length > 0 && sink->write_func (sink->closure, data, (unsigned int) length)
                          != CAIRO_STATUS_SUCCESS)
      || sink->write_func (sink->closure, tail, 4) != CAIRO_STATUS_SUCCESS)
    {
      sink->status = CAIRO_STATUS_WRITE_ERROR;
      return FALSE;
    }
  return TRUE;
}

/* The whole image as one zlib stream in one IDAT chunk (no row filter, as
 * the streamed path). */
static cairo_status_t
write_whole (Sink *sink, const guint8 *data, int stride, int width, int height,
             gboolean opaque)
{
  static const guint8 signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  int channels = opaque ? 3 : 4;
  gsize row_bytes = (gsize) width * channels + 1, raw_size = row_bytes * height, size;
  struct libdeflate_compressor *compressor;
  g_autofree guint8 *raw = g_try_malloc (raw_size);
  g_autofree guint8 *packed = NULL;
  guint8 ihdr[13];

  compressor = raw != NULL ? libdeflate_alloc_compressor (WHOLE_LEVEL) : NULL;
  if (compressor == NULL)
    return CAIRO_STATUS_NO_MEMORY;
  for (int y = 0; y < height; y++)
    {
      guint8 *row = raw + (gsize) y * row_bytes;

      row[0] = 0;   /* filter: none */
      pack_row ((const guint32 *) (data + (gsize) y * stride), row + 1, width, opaque);
    }
  size = libdeflate_zlib_compress_bound (compressor, raw_size);
  packed = g_try_malloc (size);
  if (packed != NULL)
    size = libdeflate_zlib_compress (compressor, raw, raw_size, packed, size);
  libdeflate_free_compressor (compressor);
  if (packed == NULL || size == 0)
    return CAIRO_STATUS_NO_MEMORY;

  put_be32 (ihdr, (guint32) width);
  put_be32 (ihdr + 4, (guint32) height);
  ihdr[8] = 8;                  /* bits per sample */
  ihdr[9] = opaque ? 2 : 6;     /* RGB : RGBA */
  ihdr[10] = ihdr[11] = ihdr[12] = 0;   /* deflate, adaptive filters, no interlace */
  if (sink->write_func (sink->closure, signature, sizeof signature) != CAIRO_STATUS_SUCCESS)
    return CAIRO_STATUS_WRITE_ERROR;
  if (!write_chunk (sink, "IHDR", ihdr, sizeof ihdr) || !write_chunk (sink, "IDAT", packed, size)
      || !write_chunk (sink, "IEND", NULL, 0))
    return sink->status;
  return CAIRO_STATUS_SUCCESS;
}

static cairo_status_t
write_png (cairo_surface_t *surface, cairo_write_func_t write_func, void *closure,
           gboolean may_whole)
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
  if (may_whole && (guint64) width * channels * height <= WHOLE_MAX_BYTES)
    return write_whole (&sink, data, stride, width, height, opaque);

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
      pack_row ((const guint32 *) (data + (gsize) y * stride), row, width, opaque);
      png_write_row (png, row);
    }
  png_write_end (png, info);
  png_destroy_write_struct (&png, &info);
  g_free (row);
  return CAIRO_STATUS_SUCCESS;
}

cairo_status_t
nns_png_write (cairo_surface_t *surface, cairo_write_func_t write_func, void *closure)
{
  return write_png (surface, write_func, closure, TRUE);
}

cairo_status_t
nns_png_write_streamed (cairo_surface_t *surface, cairo_write_func_t write_func, void *closure)
{
  return write_png (surface, write_func, closure, FALSE);
}
