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

#include "nns-caption.h"
#include "nns-export.h"
#include "nns-png.h"
#include "nns-file.h"
#include "nns-layout.h"
#include "nns-params.h"
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
  double capped;          /* > 0: the page was scaled down by this to stay within the limit */
  int    scale;           /* PNG pixel density */
  double wanted_width, wanted_height;   /* the size before that, scale included */
  NnsCaptionBox caption;  /* with options->table: the counts table under the drawing */
} Page;

/* The one layout, scaled: into the box when one is given, else at its
 * natural size; then, if a side of the file would pass what viewers open,
 * the whole page scaled down to that limit. */
static void
page_for (const NnsLayout *layout, const NnsExportOptions *options, NnsExportFormat format,
          Page *page)
{
  double lw = nns_layout_get_width (layout), lh = nns_layout_get_height (layout);
  int scale = format == NNS_EXPORT_PNG ? CLAMP (options->scale, 1, 8) : 1;
  double limit = format == NNS_EXPORT_PNG ? NNS_EXPORT_MAX_PNG_SIDE : NNS_EXPORT_MAX_PAGE_SIDE;
  double side;

  page->layout_width = lw;
  page->layout_height = lh;
  page->capped = 0;
  page->scale = scale;
  if (options->width > 0 || options->height > 0)
    {
      /* Fit into the box keeping the aspect; the file is the box. */
      page->zoom = nns_layout_get_fit_scale (layout);
      page->width = options->width > 0 ? options->width : MAX (1, ceil (lw * page->zoom));
      page->height = options->height > 0 ? options->height : MAX (1, ceil (lh * page->zoom));
    }
  else
    {
      page->zoom = 1;
      page->width = ceil (lw);
      page->height = ceil (lh);
    }
  page->wanted_width = page->width * scale;
  page->wanted_height = page->height * scale;
  side = MAX (page->width, page->height) * scale;
  if (side > limit || (format == NNS_EXPORT_PNG
                       && page->wanted_width * page->wanted_height > NNS_EXPORT_MAX_PNG_PIXELS))
    {
      double k = MIN (1.0, limit / side);

      if (format == NNS_EXPORT_PNG)
        k = MIN (k, sqrt (NNS_EXPORT_MAX_PNG_PIXELS / (page->wanted_width * page->wanted_height)));

      page->capped = k;
      page->zoom *= k;
      page->width = MAX (1, floor (page->width * k + 1e-6));
      page->height = MAX (1, floor (page->height * k + 1e-6));
    }
  page->x = (page->width - lw * page->zoom) / 2;
  page->y = (page->height - lh * page->zoom) / 2;
}

/* With options->table the page grows to hold the counts table under the drawing. */
static void
add_caption (NnsNetwork *network, const NnsExportOptions *options, Page *page)
{
  double width = page->width;

  if (options->table)
    {
      nns_caption_place (network, page->width, page->height, &page->caption, &page->width,
                         &page->height);
      page->x += (page->width - width) / 2;
    }
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

  page_for (layout, options, format, &page);
  add_caption (network, options, &page);
  *width = page.width * scale;
  *height = page.height * scale;
}

void
nns_export_get_background (const NnsStyle *style, const NnsExportOptions *options,
                           NnsColor *out)
{
  NnsPalette palette;

  if (options->transparent)
    *out = (NnsColor) { 0, 0, 0, 0 };
  else if (options->white)
    *out = (NnsColor) { 1, 1, 1, 1 };
  else
    {
      nns_style_get_palette (style, &palette);
      *out = palette.background;
    }
}

static void
draw_page (cairo_t *cr, NnsNetwork *network, const NnsLayout *layout, const NnsStyle *style,
           const NnsExportOptions *options, const Page *page, gboolean with_labels)
{
  NnsRenderOptions render = { FALSE, NULL };
  NnsColor background;

  /* The background fills the whole page, also around a drawing fitted into a
   * box; the palette follows the colour painted, so text always shows. */
  nns_export_get_background (style, options, &background);
  if (!options->transparent)
    {
      cairo_set_source_rgb (cr, background.red, background.green, background.blue);
      cairo_paint (cr);
      render.background = &background;
    }
  render.skip_labels = !with_labels;
  render.weights = options->weights;
  cairo_save (cr);
  cairo_translate (cr, page->x, page->y);
  cairo_scale (cr, page->zoom, page->zoom);
  cairo_rectangle (cr, 0, 0, page->layout_width, page->layout_height);
  cairo_clip (cr);
  nns_render (cr, network, layout, style, &render);
  cairo_restore (cr);
  if (options->table)
    nns_caption_draw (cr, network, style, &page->caption);
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

static void
append_svg_number (GString *out, const char *name, double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append_printf (out, " %s=\"%s\"", name, g_ascii_formatd (buf, sizeof buf, "%.2f", value));
}

static const char *
label_class (NnsLabelKind kind)
{
  switch (kind)
    {
    case NNS_LABEL_TITLE: return "title";
    case NNS_LABEL_WIDTH: return "width";
    case NNS_LABEL_ACTIVATION: return "activation";
    case NNS_LABEL_PARAMS: return "params";
    case NNS_LABEL_TOTAL:
    default: return "total";
    }
}

static void
append_svg_label (GString *out, const NnsLabel *label, const Page *page, const NnsColor *color,
                  guint index)
{
  g_autofree char *fill = nns_color_to_string (&(NnsColor) { color->red, color->green, color->blue, 1 });
  g_autofree char *text = g_markup_escape_text (label->text, -1);

  g_string_append_printf (out, "    <text id=\"%s-%u\" class=\"%s\"", label_class (label->kind),
                          index, label_class (label->kind));
  append_svg_number (out, "x", page->x + label->x * page->zoom);
  append_svg_number (out, "y", page->y + label->y * page->zoom);
  append_svg_number (out, "font-size", label->font_size * page->zoom);
  g_string_append_printf (out, " fill=\"%s\"", fill);
  if (label->kind == NNS_LABEL_PARAMS)
    g_string_append_printf (out, " fill-opacity=\"%.2f\"", NNS_RENDER_PARAMS_ALPHA);
  if (label->bold)
    g_string_append (out, " font-weight=\"bold\"");
  g_string_append_printf (out, ">%s</text>\n", text);
}

/* cairo 1.16 writes text as glyph outlines; the labels go in as real <text>
 * instead, one group per column, so a figure stays editable and searchable. */
static GString *
svg_labels (const NnsLayout *layout, const NnsStyle *style, const NnsExportOptions *options,
            const Page *page)
{
  GString *out = g_string_new ("<g id=\"labels\" font-family=\"" NNS_LAYOUT_FONT_FAMILY
                                          ", 'Noto Sans', 'DejaVu Sans', sans-serif\">\n");
  guint n = nns_layout_get_n_labels (layout), n_columns = nns_layout_get_n_columns (layout);
  NnsColor background;
  NnsPalette palette;

  nns_export_get_background (style, options, &background);
  nns_style_get_palette_on (style, options->transparent ? NULL : &background, &palette);
  for (guint c = 0; c <= n_columns; c++)
    {
      gboolean opened = FALSE;

      /* c == n_columns: the total. */
      for (guint i = 0; i < n; i++)
        {
          NnsLabel label;

          nns_layout_get_label (layout, i, &label);
          if ((label.kind == NNS_LABEL_TOTAL) != (c == n_columns)
              || (label.kind != NNS_LABEL_TOTAL && label.column != c))
            continue;
          if (!opened)
            {
              if (c == n_columns)
                g_string_append (out, "  <g id=\"total\">\n");
              else
                g_string_append_printf (out, "  <g id=\"column-%u\">\n", c);
              opened = TRUE;
            }
          append_svg_label (out, &label, page, &palette.text, i);
        }
      if (opened)
        g_string_append (out, "  </g>\n");
    }
  g_string_append (out, "</g>\n");
  return out;
}

/* Cairo's SVG on its way to the file, its last bytes held back: the labels go
 * in just before the closing </svg>, which cairo writes when finished. */
typedef struct
{
  NnsFileWriter *writer;
  GByteArray    *held;
} SvgStream;

#define SVG_HELD 64

static cairo_status_t
write_svg (void *closure, const unsigned char *data, unsigned int length)
{
  SvgStream *stream = closure;

  g_byte_array_append (stream->held, data, length);
  if (stream->held->len > 16 * 1024)
    {
      guint out = stream->held->len - SVG_HELD;

      if (!nns_file_writer_write (stream->writer, stream->held->data, out))
        return CAIRO_STATUS_WRITE_ERROR;
      g_byte_array_remove_range (stream->held, 0, out);
    }
  return CAIRO_STATUS_SUCCESS;
}

static gboolean
finish_svg (SvgStream *stream, GString *labels)
{
  const char *data = (const char *) stream->held->data;
  const char *end = g_strrstr_len (data, stream->held->len, "</svg>");
  gsize at;

  if (end == NULL)
    return FALSE;
  at = end - data;
  return nns_file_writer_write (stream->writer, data, at) &&
         nns_file_writer_write (stream->writer, labels->str, labels->len) &&
         nns_file_writer_write (stream->writer, end, stream->held->len - at);
}

static char *
describe_cap (const Page *page, NnsExportFormat format)
{
  const char *unit = format == NNS_EXPORT_PNG ? "px" : "pt";
  g_autofree char *w0 = NULL, *h0 = NULL, *w1 = NULL, *h1 = NULL, *side = NULL, *limit = NULL;

  if (page->capped <= 0)
    return NULL;
  w0 = nns_format_count ((guint64) ceil (page->wanted_width));
  h0 = nns_format_count ((guint64) ceil (page->wanted_height));
  w1 = nns_format_count ((guint64) page->width * page->scale);
  h1 = nns_format_count ((guint64) page->height * page->scale);
  side = nns_format_count (format == NNS_EXPORT_PNG ? NNS_EXPORT_MAX_PNG_SIDE
                                                    : NNS_EXPORT_MAX_PAGE_SIDE);
  if (format == NNS_EXPORT_PNG)
    /* Translators: "16,384 px a side, 134 megapixels" */
    limit = g_strdup_printf (_("%s px a side, %.0f megapixels"), side,
                             NNS_EXPORT_MAX_PNG_PIXELS / 1e6);
  else
    /* Translators: "14,400 pt a side" */
    limit = g_strdup_printf (_("%s pt a side"), side);
  /* Translators: "Scaled down from 3,035 × 26,761 pt to 1,633 × 14,400 pt, the most viewers
   * open (14,400 pt a side)". */
  return g_strdup_printf (_("Scaled down from %s × %s %s to %s × %s %s, the most viewers open "
                            "(%s)"),
                          w0, h0, unit, w1, h1, unit, limit);
}

gboolean
nns_export_image (NnsNetwork *network, const NnsStyle *style, const NnsExportOptions *options,
                  NnsExportFormat format, const char *path, GError **error)
{
  return nns_export_image_with_note (network, style, options, format, path, NULL, error);
}

gboolean
nns_export_image_with_note (NnsNetwork *network, const NnsStyle *style,
                            const NnsExportOptions *options, NnsExportFormat format,
                            const char *path, char **note, GError **error)
{
  g_autoptr (NnsLayout) layout = NULL;
  g_autoptr (NnsFileWriter) writer = NULL;
  g_autoptr (GByteArray) held = g_byte_array_new ();
  SvgStream svg = { NULL, held };
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;
  Page page;
  int scale;

  g_return_val_if_fail (NNS_IS_NETWORK (network), FALSE);
  g_return_val_if_fail (style != NULL && options != NULL && path != NULL, FALSE);

  if (note != NULL)
    *note = NULL;
  if (format != NNS_EXPORT_PNG && format != NNS_EXPORT_SVG && format != NNS_EXPORT_PDF)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("%s: not an image format; use .png .svg or .pdf"), path);
      return FALSE;
    }
  if (!check_folder (path, error))
    return FALSE;

  layout = layout_for (network, style, options);
  page_for (layout, options, format, &page);
  add_caption (network, options, &page);
  scale = format == NNS_EXPORT_PNG ? CLAMP (options->scale, 1, 8) : 1;
  if (!check_size (path, format, page.width * scale, page.height * scale, error))
    return FALSE;

  writer = nns_file_writer_new (path, error);
  if (writer == NULL)
    return FALSE;
  switch (format)
    {
    case NNS_EXPORT_SVG:
      svg.writer = writer;
      surface = cairo_svg_surface_create_for_stream (write_svg, &svg, page.width, page.height);
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
  draw_page (cr, network, layout, style, options, &page, format != NNS_EXPORT_SVG);
  status = cairo_status (cr);
  cairo_destroy (cr);
  if (format == NNS_EXPORT_PNG && status == CAIRO_STATUS_SUCCESS)
    status = nns_png_write (surface, write_to_file, writer);
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
  if (format == NNS_EXPORT_SVG)
    {
      g_autoptr (GString) labels = svg_labels (layout, style, options, &page);

      if (!finish_svg (&svg, labels) && nns_file_writer_write (writer, NULL, 0))
        return check_cairo (path, CAIRO_STATUS_WRITE_ERROR, error);
    }
  if (!nns_file_writer_commit (g_steal_pointer (&writer), error))
    return FALSE;
  if (note != NULL)
    *note = describe_cap (&page, format);
  return TRUE;
}
