/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "nns-export"

#include "config.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>
#include <errno.h>
#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "nns-export.h"
#include "nns-file.h"
#include "nns-layout.h"
#include "nns-render.h"

/* An ARGB32 image this large would need more than 1 GiB. */
#define MAX_IMAGE_BYTES ((guint64) 1 << 30)

static const struct
{
  const char     *extension;
  NnsExportFormat format;
} formats[] = {
  { ".png", NNS_EXPORT_PNG },
  { ".svg", NNS_EXPORT_SVG },
  { ".pdf", NNS_EXPORT_PDF },
  { ".nnsketch", NNS_EXPORT_NNSKETCH },
  { ".py", NNS_EXPORT_PYTORCH },
};

void
nns_export_options_init (NnsExportOptions *options)
{
  *options = (NnsExportOptions) { 0, 0, 1, FALSE, FALSE };
}

gboolean
nns_export_format_from_path (const char *path, NnsExportFormat *out, GError **error)
{
  g_autofree char *base = NULL;
  const char *dot;

  g_return_val_if_fail (path != NULL, FALSE);

  base = g_path_get_basename (path);
  dot = strrchr (base, '.');
  for (guint i = 0; dot != NULL && i < G_N_ELEMENTS (formats); i++)
    if (g_ascii_strcasecmp (dot, formats[i].extension) == 0)
      {
        *out = formats[i].format;
        return TRUE;
      }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
               _("%s: unknown file type; use one of .png .svg .pdf .nnsketch .py"), path);
  return FALSE;
}

typedef struct
{
  double layout_width, layout_height;
  double width, height;   /* of the page, px or pt, before the PNG scale */
  double zoom;            /* layout units to page units */
  double x, y;            /* where the drawing starts on the page */
} Page;

static void
page_for (const NnsLayout *layout, const NnsExportOptions *options, Page *page)
{
  double lw = nns_layout_get_width (layout), lh = nns_layout_get_height (layout);

  page->layout_width = lw;
  page->layout_height = lh;
  if (options->width > 0 || options->height > 0)
    {
      /* Fit into the box keeping the aspect; the file is the box. The layout
       * sized its labels so that at this scale they come out nominal. */
      page->zoom = nns_layout_get_fit_scale (layout);
      page->width = options->width > 0 ? options->width : ceil (lw * page->zoom);
      page->height = options->height > 0 ? options->height : ceil (lh * page->zoom);
    }
  else
    {
      page->zoom = 1;
      page->width = ceil (lw);
      page->height = ceil (lh);
    }
  page->x = (page->width - lw * page->zoom) / 2;
  page->y = (page->height - lh * page->zoom) / 2;
}

static NnsLayout *
layout_for (NnsNetwork *network, const NnsStyle *style, const NnsExportOptions *options)
{
  return nns_layout_new (network, style, MAX (options->width, 0), MAX (options->height, 0));
}

void
nns_export_get_size (NnsNetwork *network, const NnsStyle *style, const NnsExportOptions *options,
                     NnsExportFormat format, double *width, double *height)
{
  g_autoptr (NnsLayout) layout = layout_for (network, style, options);
  Page page;
  int scale = format == NNS_EXPORT_PNG ? CLAMP (options->scale, 1, 8) : 1;

  page_for (layout, options, &page);
  *width = page.width * scale;
  *height = page.height * scale;
}

static void
draw_page (cairo_t *cr, NnsNetwork *network, const NnsLayout *layout, const NnsStyle *style,
           const NnsExportOptions *options, const Page *page)
{
  NnsRenderOptions render = { FALSE, NULL };

  /* The background fills the whole page, also around a drawing fitted into a box. */
  if (!options->transparent)
    {
      NnsPalette palette;

      nns_style_get_palette (style, &palette);
      if (options->white)
        cairo_set_source_rgb (cr, 1, 1, 1);
      else
        cairo_set_source_rgb (cr, palette.background.red, palette.background.green,
                              palette.background.blue);
      cairo_paint (cr);
    }
  cairo_translate (cr, page->x, page->y);
  cairo_scale (cr, page->zoom, page->zoom);
  cairo_rectangle (cr, 0, 0, page->layout_width, page->layout_height);
  cairo_clip (cr);
  nns_render (cr, network, layout, style, &render);
}

/* Cairo streams straight into the file being saved, never a named copy. */
static cairo_status_t
write_to_file (void *closure, const unsigned char *data, unsigned int length)
{
  return nns_file_writer_write (closure, data, length) ? CAIRO_STATUS_SUCCESS
                                                       : CAIRO_STATUS_WRITE_ERROR;
}

/* "PATH: reason", as nns_file_write_atomic() says it. */
static void
set_file_error (GError **error, const char *path, int errnum)
{
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errnum), "%s: %s", path,
               g_strerror (errnum));
}

/* Fails early, before any drawing, when the folder cannot take the file. */
static gboolean
check_folder (const char *path, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (path);

  if (!g_file_test (dir, G_FILE_TEST_EXISTS))
    {
      set_file_error (error, path, ENOENT);
      return FALSE;
    }
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      set_file_error (error, path, ENOTDIR);
      return FALSE;
    }
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      set_file_error (error, path, EISDIR);
      return FALSE;
    }
  if (access (dir, W_OK) != 0)
    {
      set_file_error (error, path, errno);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_size (const char *path, NnsExportFormat format, double width, double height, GError **error)
{
  const char *unit = format == NNS_EXPORT_PNG ? "px" : "pt";

  if (width > NNS_EXPORT_MAX_SIDE || height > NNS_EXPORT_MAX_SIDE ||
      (format == NNS_EXPORT_PNG && width * height * 4 > MAX_IMAGE_BYTES))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                   _("%s: the picture would be %.0f × %.0f %s, more than cairo can make "
                     "(%d a side, 1 GiB an image); fit it into a box with --export-width and "
                     "--export-height"),
                   path, width, height, unit, NNS_EXPORT_MAX_SIDE);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_cairo (const char *path, cairo_status_t status, GError **error)
{
  if (status == CAIRO_STATUS_SUCCESS)
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("%s: drawing failed: %s"), path,
               cairo_status_to_string (status));
  return FALSE;
}

gboolean
nns_export_image (NnsNetwork *network, const NnsStyle *style, const NnsExportOptions *options,
                  NnsExportFormat format, const char *path, GError **error)
{
  g_autoptr (NnsLayout) layout = NULL;
  g_autoptr (NnsFileWriter) writer = NULL;
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;
  Page page;
  int scale;

  g_return_val_if_fail (NNS_IS_NETWORK (network), FALSE);
  g_return_val_if_fail (style != NULL && options != NULL && path != NULL, FALSE);

  if (format != NNS_EXPORT_PNG && format != NNS_EXPORT_SVG && format != NNS_EXPORT_PDF)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("%s: not an image format; use .png .svg or .pdf"), path);
      return FALSE;
    }
  if (!check_folder (path, error))
    return FALSE;

  layout = layout_for (network, style, options);
  page_for (layout, options, &page);
  scale = format == NNS_EXPORT_PNG ? CLAMP (options->scale, 1, 8) : 1;
  if (!check_size (path, format, page.width * scale, page.height * scale, error))
    return FALSE;

  writer = nns_file_writer_new (path, error);
  if (writer == NULL)
    return FALSE;
  switch (format)
    {
    case NNS_EXPORT_SVG:
      surface = cairo_svg_surface_create_for_stream (write_to_file, writer, page.width, page.height);
      break;
    case NNS_EXPORT_PDF:
      surface = cairo_pdf_surface_create_for_stream (write_to_file, writer, page.width, page.height);
      break;
    case NNS_EXPORT_PNG:
    default:
      surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) page.width * scale,
                                            (int) page.height * scale);
      break;
    }
  cr = cairo_create (surface);
  cairo_scale (cr, scale, scale);
  draw_page (cr, network, layout, style, options, &page);
  status = cairo_status (cr);
  cairo_destroy (cr);
  if (format == NNS_EXPORT_PNG && status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_write_to_png_stream (surface, write_to_file, writer);
  /* Vector surfaces write their last bytes when finished. */
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  /* A failed write (a full disk) is the writer's to report, by its errno. */
  if (status == CAIRO_STATUS_WRITE_ERROR && !nns_file_writer_write (writer, NULL, 0))
    return nns_file_writer_commit (g_steal_pointer (&writer), error);
  if (!check_cairo (path, status, error))
    return FALSE;
  return nns_file_writer_commit (g_steal_pointer (&writer), error);
}
