/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "nns-render-reference"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "nns-params.h"

#include "nns-render-reference.h"

/* Circles are drawn for columns of at most this many drawn neurons (show all
 * neurons of a huge layer); past it the dashed outline says enough. */
#define MAX_GHOST_CIRCLES 4096
#define GHOST_ALPHA 0.45

/* Along (the column's axis) and across coordinates of a node. */
static void
split (const NnsLayout *layout, const NnsNode *node, double *across, double *along)
{
  gboolean vertical = nns_layout_get_direction (layout) == NNS_DIRECTION_VERTICAL;

  *across = vertical ? node->y : node->x;
  *along = vertical ? node->x : node->y;
}

static void
column_ends (const NnsLayout *layout, guint column, double *across, double *first, double *last)
{
  NnsNode a, b;
  double unused;

  nns_layout_get_drawn_node (layout, column, 0, &a);
  nns_layout_get_drawn_node (layout, column, nns_layout_get_n_drawn (layout, column) - 1, &b);
  split (layout, &a, across, first);
  split (layout, &b, &unused, last);
}

static void
point (gboolean vertical, double across, double along, double *x, double *y)
{
  *x = vertical ? along : across;
  *y = vertical ? across : along;
}

/* A column whose width differs from the reference's says what it was, after
 * its width label ("18" then "was 16"): a collapsed column draws the same
 * few neurons at either width, so the outline alone would not show the
 * change. The note goes right of the label when the row has room up to the
 * next column's label, else under the column's outline at along. */
static void
width_note (cairo_t *cr, const NnsLayout *layout, guint column, guint was, gboolean vertical,
            double across, double along)
{
  g_autofree char *count = nns_format_count (was);
  g_autofree char *text = g_strdup_printf (_("was %s"), count);
  guint n = nns_layout_get_n_labels (layout);
  cairo_text_extents_t ext;
  NnsLabel label = { 0 }, next = { 0 };
  gboolean found = FALSE, has_next = FALSE;
  double x, y, gap;

  for (guint i = 0; i < n; i++)
    {
      NnsLabel l;

      nns_layout_get_label (layout, i, &l);
      if (l.kind != NNS_LABEL_WIDTH)
        continue;
      if (l.column == column)
        label = l, found = TRUE;
      else if (found && !has_next && l.column == column + 1)
        next = l, has_next = TRUE;
    }
  if (!found)
    return;
  cairo_select_font_face (cr, NNS_LAYOUT_FONT_FAMILY, CAIRO_FONT_SLANT_NORMAL,
                          CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, label.font_size);
  cairo_text_extents (cr, text, &ext);
  gap = label.font_size * 0.4;
  x = label.left + label.width + gap;
  y = label.y;
  if (vertical || (has_next && fabs (next.y - label.y) < 0.5 && x + ext.x_advance + gap > next.left))
    {
      /* Under (right of, top to bottom) the column's outline. */
      double ax, ay;

      point (vertical, across, along + label.font_size * 1.2, &ax, &ay);
      x = vertical ? ax : ax - ext.x_advance / 2;
      y = ay;
    }
  cairo_move_to (cr, x, y);
  cairo_show_text (cr, text);
}

void
nns_render_reference (cairo_t *cr, NnsNetwork *reference, const NnsLayout *layout,
                      const NnsStyle *style)
{
  g_autoptr (NnsLayout) ghost = NULL;
  gboolean vertical = nns_layout_get_direction (layout) == NNS_DIRECTION_VERTICAL;
  guint n_cols = nns_layout_get_n_columns (layout);
  double radius = nns_layout_get_radius (layout);
  double pad = radius * 0.6 + 2;
  double hairline = 1.25, unused = 0;
  double last_across, prev_across, first, last, column_gap, dash[2];
  NnsPalette palette;

  g_return_if_fail (NNS_IS_NETWORK (reference));
  g_return_if_fail (n_cols >= 2);

  /* The reference at its natural size: only the shape of each column is used,
   * rescaled to the current layout's neuron spacing. */
  ghost = nns_layout_new (reference, style, 0, 0);
  nns_style_get_palette (style, &palette);
  column_ends (layout, n_cols - 1, &last_across, &first, &last);
  column_ends (layout, n_cols - 2, &prev_across, &first, &last);
  column_gap = last_across - prev_across;

  cairo_save (cr);
  cairo_device_to_user_distance (cr, &hairline, &unused);
  hairline = fabs (hairline);
  dash[0] = 4 * hairline;
  dash[1] = 3 * hairline;
  cairo_set_source_rgba (cr, palette.text.red, palette.text.green, palette.text.blue,
                         GHOST_ALPHA);
  for (guint c = 0; c < nns_layout_get_n_columns (ghost); c++)
    {
      guint here = MIN (c, n_cols - 1);
      guint n = nns_layout_get_n_drawn (ghost, c);
      double across, centre, g_first, g_last, g_across, k, x0, y0, x1, y1, lo, hi;

      column_ends (layout, here, &across, &first, &last);
      if (c >= n_cols)
        across += (c - here) * column_gap;
      centre = (first + last) / 2;
      column_ends (ghost, c, &g_across, &g_first, &g_last);
      k = nns_layout_get_step (ghost) > 0
            ? nns_layout_get_step (layout) / nns_layout_get_step (ghost) : 1;
      lo = centre + (g_first - (g_first + g_last) / 2) * k - radius - pad;
      hi = centre + (g_last - (g_first + g_last) / 2) * k + radius + pad;

      /* The column's extent, a dashed capsule. */
      point (vertical, across - radius - pad, lo, &x0, &y0);
      point (vertical, across + radius + pad, hi, &x1, &y1);
      {
        double w = x1 - x0, h = y1 - y0, r = MIN (w, h) / 2;

        cairo_new_sub_path (cr);
        cairo_arc (cr, x0 + r, y0 + r, r, G_PI, 1.5 * G_PI);
        cairo_arc (cr, x1 - r, y0 + r, r, 1.5 * G_PI, 2 * G_PI);
        cairo_arc (cr, x1 - r, y1 - r, r, 0, 0.5 * G_PI);
        cairo_arc (cr, x0 + r, y1 - r, r, 0.5 * G_PI, G_PI);
        cairo_close_path (cr);
      }
      cairo_set_line_width (cr, 1.5 * hairline);
      cairo_set_dash (cr, dash, 2, 0);
      cairo_stroke (cr);
      if (c < n_cols && nns_layout_get_column_width (ghost, c) != nns_layout_get_column_width (layout, c))
        width_note (cr, layout, c, nns_layout_get_column_width (ghost, c), vertical, across,
                    MAX (hi, centre + (last - first) / 2 + radius + pad));

      if (n > MAX_GHOST_CIRCLES)
        continue;
      cairo_set_dash (cr, NULL, 0, 0);
      cairo_set_line_width (cr, hairline);
      for (guint i = 0; i < n; i++)
        {
          NnsNode node;
          double a, along, x, y;

          nns_layout_get_drawn_node (ghost, c, i, &node);
          split (ghost, &node, &a, &along);
          point (vertical, across, centre + (along - (g_first + g_last) / 2) * k, &x, &y);
          cairo_new_sub_path (cr);
          cairo_arc (cr, x, y, radius, 0, 2 * G_PI);
        }
      cairo_stroke (cr);
    }
  cairo_restore (cr);
}
