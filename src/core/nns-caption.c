/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "nns-caption"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "nns-caption.h"
#include "nns-layout.h"
#include "nns-params.h"

#define FONT_SIZE   11.0
#define ROW_HEIGHT  (FONT_SIZE * 1.6)
#define COLUMN_GAP  16.0
#define MARGIN      16.0
/* Narrower than this the table would be unreadable: the page widens instead. */
#define MIN_SCALE   0.6

enum { COL_LAYER, COL_SHAPE, COL_WEIGHTS, COL_BIASES, COL_PARAMS, COL_SHARE, N_COLS };

typedef struct
{
  GPtrArray *cells;            /* (n_layers + 2) rows × N_COLS: header, layers, total */
  double     widths[N_COLS];
  double     width, height;    /* natural */
} Table;

static void
table_clear (Table *table)
{
  g_clear_pointer (&table->cells, g_ptr_array_unref);
}

static char *
share_text (guint64 part, guint64 whole)
{
  guint64 tenths = whole ? (part * 1000 + whole / 2) / whole : 0;

  return g_strdup_printf ("%" G_GUINT64_FORMAT ".%" G_GUINT64_FORMAT " %%", tenths / 10,
                          tenths % 10);
}

static void
set_font (cairo_t *cr, gboolean bold)
{
  cairo_select_font_face (cr, NNS_LAYOUT_FONT_FAMILY, CAIRO_FONT_SLANT_NORMAL,
                          bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, FONT_SIZE);
}

static gboolean
is_bold_row (const Table *table, guint row)
{
  return row == 0 || row + 1 == table->cells->len / N_COLS;
}

/* Cells, and their widths measured with cr (any surface: the toy font API
 * measures the same everywhere). */
static void
table_build (Table *table, NnsNetwork *network, cairo_t *cr)
{
  const char *headers[N_COLS] = { _("Layer"), _("In → Out"), _("Weights"), _("Biases"),
                                  _("Parameters"), _("Share") };
  guint n = nns_network_get_n_layers (network);
  guint64 total = nns_network_count_total (network), weights = 0, biases = 0;

  table->cells = g_ptr_array_new_with_free_func (g_free);
  for (guint c = 0; c < N_COLS; c++)
    g_ptr_array_add (table->cells, g_strdup (headers[c]));
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *in = nns_format_count (nns_network_get_in_features (network, i));
      g_autofree char *out = nns_format_count (nns_network_get_layer (network, i)->units);

      weights += nns_network_count_weights (network, i);
      biases += nns_network_count_biases (network, i);
      g_ptr_array_add (table->cells, nns_network_dup_column_title (network, i + 1));
      g_ptr_array_add (table->cells, g_strdup_printf ("%s → %s", in, out));
      g_ptr_array_add (table->cells, nns_format_count (nns_network_count_weights (network, i)));
      g_ptr_array_add (table->cells, nns_format_count (nns_network_count_biases (network, i)));
      g_ptr_array_add (table->cells, nns_format_count (nns_network_count_layer (network, i)));
      g_ptr_array_add (table->cells, share_text (nns_network_count_layer (network, i), total));
    }
  g_ptr_array_add (table->cells, g_strdup (_("Total")));
  g_ptr_array_add (table->cells, g_strdup (""));
  g_ptr_array_add (table->cells, nns_format_count (weights));
  g_ptr_array_add (table->cells, nns_format_count (biases));
  g_ptr_array_add (table->cells, nns_format_count (total));
  g_ptr_array_add (table->cells, g_strdup ("100.0 %"));

  for (guint k = 0; k < table->cells->len; k++)
    {
      cairo_text_extents_t ext;

      set_font (cr, is_bold_row (table, k / N_COLS));
      cairo_text_extents (cr, table->cells->pdata[k], &ext);
      table->widths[k % N_COLS] = MAX (table->widths[k % N_COLS], ext.x_advance);
    }
  table->width = COLUMN_GAP * (N_COLS - 1);
  for (guint c = 0; c < N_COLS; c++)
    table->width += table->widths[c];
  table->height = ROW_HEIGHT * (table->cells->len / N_COLS) + ROW_HEIGHT * 0.5;
}

static void
measure (NnsNetwork *network, Table *table)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_A8, 1, 1);
  cairo_t *cr = cairo_create (surface);

  table_build (table, network, cr);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

void
nns_caption_place (NnsNetwork *network, double page_width, double page_height,
                   NnsCaptionBox *box, double *new_width, double *new_height)
{
  Table table = { 0 };
  double room;

  measure (network, &table);
  *new_width = MAX (page_width, ceil (table.width * MIN_SCALE + 2 * MARGIN));
  room = *new_width - 2 * MARGIN;
  box->scale = MIN (1.0, room / table.width);
  box->width = table.width * box->scale;
  box->height = table.height * box->scale;
  box->x = (*new_width - box->width) / 2;
  box->y = page_height;
  *new_height = ceil (page_height + box->height + MARGIN);
  table_clear (&table);
}

static void
rule (cairo_t *cr, double y, double width, double line)
{
  cairo_set_line_width (cr, line);
  cairo_move_to (cr, 0, y);
  cairo_line_to (cr, width, y);
  cairo_stroke (cr);
}

void
nns_caption_draw (cairo_t *cr, NnsNetwork *network, const NnsStyle *style,
                  const NnsCaptionBox *box)
{
  Table table = { 0 };
  NnsPalette palette;
  guint rows;

  nns_style_get_palette (style, &palette);
  cairo_save (cr);
  cairo_translate (cr, box->x, box->y);
  cairo_scale (cr, box->scale, box->scale);
  table_build (&table, network, cr);
  rows = table.cells->len / N_COLS;
  cairo_set_source_rgba (cr, palette.text.red, palette.text.green, palette.text.blue, 1);

  rule (cr, 0.5, table.width, 1.0);
  rule (cr, ROW_HEIGHT + 0.25 * ROW_HEIGHT, table.width, 0.5);
  rule (cr, ROW_HEIGHT * (rows - 1) + 0.25 * ROW_HEIGHT, table.width, 0.5);
  rule (cr, ROW_HEIGHT * rows + 0.25 * ROW_HEIGHT, table.width, 1.0);
  for (guint r = 0; r < rows; r++)
    {
      double x = 0, baseline = ROW_HEIGHT * r + ROW_HEIGHT * 0.95;

      set_font (cr, is_bold_row (&table, r));
      for (guint c = 0; c < N_COLS; c++)
        {
          const char *text = table.cells->pdata[r * N_COLS + c];
          cairo_text_extents_t ext;

          cairo_text_extents (cr, text, &ext);
          /* Names left, numbers right. */
          cairo_move_to (cr, c == COL_LAYER ? x : x + table.widths[c] - ext.x_advance, baseline);
          cairo_show_text (cr, text);
          x += table.widths[c] + COLUMN_GAP;
        }
    }
  cairo_restore (cr);
  table_clear (&table);
}
