/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "nns-train-draw"

#include "config.h"

#include "nns-train-draw.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "nns-layout.h"

#define FONT_SIZE 10.0
#define HEADER 22.0             /* the title and legend row */
#define MARGIN_LEFT 42.0        /* y tick labels */
#define MARGIN_RIGHT 12.0
#define MARGIN_BOTTOM 20.0      /* x tick labels */
#define LINE_WIDTH 2.0
#define SURFACE_STRENGTH 0.6    /* of the class colour at probability 0 or 1 */

/* ---- colours ---- */

static void
set_rgba (double out[4], guint32 rgb, double alpha)
{
  out[0] = ((rgb >> 16) & 0xff) / 255.0;
  out[1] = ((rgb >> 8) & 0xff) / 255.0;
  out[2] = (rgb & 0xff) / 255.0;
  out[3] = alpha;
}

void
nns_train_colors_init (NnsTrainColors *colors,
                       gboolean        dark)
{
  g_return_if_fail (colors != NULL);

  if (dark)
    {
      set_rgba (colors->fg, 0xebebeb, 1);
      set_rgba (colors->bg, 0x242424, 1);
      set_rgba (colors->grid, 0xffffff, 0.12);
      set_rgba (colors->train, 0x56b4e9, 1);  /* sky blue */
      set_rgba (colors->test, 0xe69f00, 1);   /* orange */
      set_rgba (colors->class0, 0xe69f00, 1);
      set_rgba (colors->class1, 0x56b4e9, 1);
    }
  else
    {
      set_rgba (colors->fg, 0x2e3436, 1);
      set_rgba (colors->bg, 0xffffff, 1);
      set_rgba (colors->grid, 0x000000, 0.10);
      set_rgba (colors->train, 0x0072b2, 1);  /* blue */
      set_rgba (colors->test, 0xd55e00, 1);   /* vermillion */
      set_rgba (colors->class0, 0xe69f00, 1); /* orange */
      set_rgba (colors->class1, 0x0072b2, 1);
    }
}

static void
source (cairo_t *cr, const double c[4])
{
  cairo_set_source_rgba (cr, c[0], c[1], c[2], c[3]);
}

static void
source_alpha (cairo_t *cr, const double c[4], double alpha)
{
  cairo_set_source_rgba (cr, c[0], c[1], c[2], c[3] * alpha);
}

/* The diverging palette: t −1 … 1 → class0 … bg … class1, at most
 * strength of the class colour; as a premultiplied ARGB32 pixel. Mixing
 * with a grey keeps the class colour's hue. */
static guint32
diverging_pixel (const NnsTrainColors *colors, double t, double strength)
{
  const double *end;
  double rgba[4], a;

  if (isnan (t))
    t = 0;
  t = CLAMP (t, -1, 1);
  end = t < 0 ? colors->class0 : colors->class1;
  a = fabs (t) * strength;
  for (int i = 0; i < 4; i++)
    rgba[i] = colors->bg[i] + (end[i] - colors->bg[i]) * a;
  return ((guint32) lround (rgba[3] * 255) << 24) |
         ((guint32) lround (rgba[0] * rgba[3] * 255) << 16) |
         ((guint32) lround (rgba[1] * rgba[3] * 255) << 8) |
         (guint32) lround (rgba[2] * rgba[3] * 255);
}

/* Palette steps a heatmap looks its pixels up in: t from −1 to 1 in
 * 1/LUT_HALF steps, finer than one of the 255 levels of a channel. */
#define LUT_HALF 256

/* values res × res as an image, each through the palette (value → t). The
 * palette (2 · LUT_HALF + 1 entries) is computed when the colours change,
 * not once a pixel: a tile of the Train pane is 1,024 pixels, and 512 of
 * them are drawn a frame. */
static cairo_surface_t *
heatmap_image (const NnsTrainColors *colors, const float *values, guint res, double scale,
               double offset, double strength)
{
  cairo_surface_t *image = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) res, (int) res);
  guint8 *data = cairo_image_surface_get_data (image);
  int stride = cairo_image_surface_get_stride (image);
  guint32 bg = diverging_pixel (colors, 0, 0);
  /* the last palette made, for this thread: the tiles of a frame share it */
  static _Thread_local struct
  {
    gboolean       valid;
    NnsTrainColors colors;
    double         strength;
    guint32        lut[2 * LUT_HALF + 1];
  } last;
  const guint32 *lut = last.lut;

  if (!last.valid || last.strength != strength || memcmp (&last.colors, colors, sizeof *colors) != 0)
    {
      for (int k = 0; k <= 2 * LUT_HALF; k++)
        last.lut[k] = diverging_pixel (colors, (double) (k - LUT_HALF) / LUT_HALF, strength);
      last.colors = *colors;
      last.strength = strength;
      last.valid = TRUE;
    }
  cairo_surface_flush (image);
  for (guint r = 0; r < res; r++)
    {
      guint32 *row = (guint32 *) (data + (gsize) r * stride);

      for (guint c = 0; c < res; c++)
        {
          float v = values[(gsize) r * res + c];
          double t = v * scale + offset;

          row[c] = isfinite (t) ? lut[(int) lrint (CLAMP (t, -1, 1) * LUT_HALF) + LUT_HALF] : bg;
        }
    }
  cairo_surface_mark_dirty (image);
  return image;
}

/* Paints image over (x, y, w, h), its pixel centres on the grid's points:
 * the first and last at the edges (nns_train_surface_grid). */
static void
paint_grid_image (cairo_t *cr, cairo_surface_t *image, guint res, double x, double y, double w,
                  double h)
{
  cairo_pattern_t *pattern = cairo_pattern_create_for_surface (image);
  cairo_matrix_t m;
  double sx = res > 1 ? (res - 1) / w : res / w, sy = res > 1 ? (res - 1) / h : res / h;

  /* user (x, y) → image (0.5, 0.5); user (x + w, y + h) → (res − 0.5, …) */
  cairo_matrix_init_scale (&m, sx, sy);
  cairo_matrix_translate (&m, -x + (res > 1 ? 0.5 / sx : 0), -y + (res > 1 ? 0.5 / sy : 0));
  cairo_pattern_set_matrix (pattern, &m);
  cairo_pattern_set_filter (pattern, CAIRO_FILTER_BILINEAR);
  cairo_pattern_set_extend (pattern, CAIRO_EXTEND_PAD);
  cairo_save (cr);
  cairo_rectangle (cr, x, y, w, h);
  cairo_clip (cr);
  cairo_set_source (cr, pattern);
  cairo_paint (cr);
  cairo_restore (cr);
  cairo_pattern_destroy (pattern);
}

/* ---- axes ---- */

static void
font (cairo_t *cr, double size)
{
  cairo_select_font_face (cr, NNS_LAYOUT_FONT_FAMILY, CAIRO_FONT_SLANT_NORMAL,
                          CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, size);
}

/* text with its anchor: ax 0 left, 0.5 centre, 1 right; baseline at y. */
static double
show_text (cairo_t *cr, const char *text, double x, double y, double ax)
{
  cairo_text_extents_t ext;

  cairo_text_extents (cr, text, &ext);
  cairo_move_to (cr, x - ax * ext.x_advance, y);
  cairo_show_text (cr, text);
  /* no current point left for the next path */
  cairo_new_path (cr);
  return ext.x_advance;
}

void
nns_train_get_plot_area (double             width,
                         double             height,
                         cairo_rectangle_t *area)
{
  area->x = MARGIN_LEFT;
  area->y = HEADER;
  area->width = MAX (1, width - MARGIN_LEFT - MARGIN_RIGHT);
  area->height = MAX (1, height - HEADER - MARGIN_BOTTOM);
}

/* 1, 2 or 5 × 10^k near range / n. */
static double
nice_step (double range, int n)
{
  double raw = range / MAX (n, 1), mag = pow (10, floor (log10 (raw))), f = raw / mag;

  return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * mag;
}

typedef struct
{
  double lo, hi;                /* the axis (log10 of it when log) */
  gboolean log;
  double pos, len;              /* pixels: lo at pos, hi at pos + len (len < 0 for y) */
} Axis;

static double
axis_map (const Axis *a, double v)
{
  if (a->log)
    v = log10 (v);
  return a->pos + (v - a->lo) / (a->hi - a->lo) * a->len;
}

/* "10", "100", "1k", "10k", "1M": the capacity plot's parameter counts. */
static char *
format_count_short (double v)
{
  double a = fabs (v);

  if (a >= 1e9)
    return g_strdup_printf ("%.3gG", v / 1e9);
  if (a >= 1e6)
    return g_strdup_printf ("%.3gM", v / 1e6);
  if (a >= 1e3)
    return g_strdup_printf ("%.3gk", v / 1e3);
  return g_strdup_printf ("%.3g", v);
}

static char *
format_tick (double v, gboolean percent)
{
  if (fabs (v) < 1e-12)
    v = 0;
  if (percent)
    return g_strdup_printf ("%g %%", round (v * 1000) / 10);
  /* steps: "2k", "40k", not "2e+03" */
  if (fabs (v) >= 1000 && fabs (v) < 1e12)
    return format_count_short (v);
  return g_strdup_printf ("%.3g", v);
}

/* The ticks of an axis, in axis values (not log10). */
static GArray *
axis_ticks (const Axis *a, int n)
{
  GArray *ticks = g_array_new (FALSE, FALSE, sizeof (double));

  if (a->log)
    {
      double first = ceil (a->lo - 1e-9), last = floor (a->hi + 1e-9);
      static const double subs[] = { 1, 2, 5 };
      gboolean few = last - first < 1.5;

      for (double k = floor (a->lo); k <= last; k++)
        for (guint s = 0; s < (few ? 3u : 1u); s++)
          {
            double v = subs[s] * pow (10, k), l = log10 (v);

            if (l >= a->lo - 1e-9 && l <= a->hi + 1e-9)
              g_array_append_val (ticks, v);
          }
    }
  else
    {
      double step = nice_step (a->hi - a->lo, n);

      for (double v = ceil (a->lo / step - 1e-9) * step; v <= a->hi + step * 1e-9; v += step)
        g_array_append_val (ticks, v);
    }
  return ticks;
}

/* Background, grid lines, axis lines and tick labels. */
static void
draw_axes (cairo_t *cr, const NnsTrainColors *colors, const cairo_rectangle_t *area,
           const Axis *ax, const Axis *ay, gboolean x_counts, gboolean y_percent)
{
  g_autoptr (GArray) xt = axis_ticks (ax, MAX (2, (int) (area->width / 70)));
  g_autoptr (GArray) yt = axis_ticks (ay, MAX (2, (int) (area->height / 40)));

  cairo_save (cr);
  cairo_set_line_width (cr, 1);
  source (cr, colors->grid);
  for (guint i = 0; i < xt->len; i++)
    {
      double px = round (axis_map (ax, g_array_index (xt, double, i))) + 0.5;

      cairo_move_to (cr, px, area->y);
      cairo_line_to (cr, px, area->y + area->height);
    }
  for (guint i = 0; i < yt->len; i++)
    {
      double py = round (axis_map (ay, g_array_index (yt, double, i))) + 0.5;

      cairo_move_to (cr, area->x, py);
      cairo_line_to (cr, area->x + area->width, py);
    }
  cairo_stroke (cr);

  source_alpha (cr, colors->fg, 0.6);
  cairo_move_to (cr, area->x + 0.5, area->y);
  cairo_line_to (cr, area->x + 0.5, area->y + area->height + 0.5);
  cairo_line_to (cr, area->x + area->width, area->y + area->height + 0.5);
  cairo_stroke (cr);

  font (cr, FONT_SIZE);
  source (cr, colors->fg);
  for (guint i = 0; i < xt->len; i++)
    {
      double v = g_array_index (xt, double, i);
      g_autofree char *text = x_counts ? format_count_short (v) : format_tick (v, FALSE);

      show_text (cr, text, axis_map (ax, v), area->y + area->height + FONT_SIZE + 4, 0.5);
    }
  for (guint i = 0; i < yt->len; i++)
    {
      double v = g_array_index (yt, double, i);
      g_autofree char *text = format_tick (v, y_percent);

      show_text (cr, text, area->x - 4, axis_map (ay, v) + FONT_SIZE * 0.35, 1);
    }
  cairo_restore (cr);
}

static void
legend_sample (cairo_t *cr, const double colour[4], gboolean dashed, double x, double y)
{
  static const double dash[] = { 4, 3 };

  cairo_save (cr);
  source (cr, colour);
  cairo_set_line_width (cr, LINE_WIDTH);
  if (dashed)
    cairo_set_dash (cr, dash, 2, 0);
  cairo_move_to (cr, x, y);
  cairo_line_to (cr, x + 16, y);
  cairo_stroke (cr);
  cairo_restore (cr);
}

/* The header: title left, "train" and "test" samples right. */
static void
draw_header (cairo_t *cr, const NnsTrainColors *colors, double width, const char *title,
             gboolean with_test)
{
  const char *train_label = _("train"), *test_label = _("test");
  cairo_text_extents_t e1, e2;
  double base = HEADER - 8, x, line = base - 4;

  cairo_save (cr);
  font (cr, FONT_SIZE);
  cairo_text_extents (cr, train_label, &e1);
  cairo_text_extents (cr, test_label, &e2);
  x = round (width - MARGIN_RIGHT - e1.x_advance - 20 - (with_test ? e2.x_advance + 30 : 0));
  /* on whole pixels: 2 px lines crisp */
  legend_sample (cr, colors->train, FALSE, x, line);
  source (cr, colors->fg);
  show_text (cr, train_label, x + 20, base, 0);
  if (with_test)
    {
      x = round (x + 20 + e1.x_advance + 10);
      legend_sample (cr, colors->test, TRUE, x, line);
      source (cr, colors->fg);
      show_text (cr, test_label, x + 20, base, 0);
    }
  if (title != NULL && *title != '\0')
    {
      cairo_select_font_face (cr, NNS_LAYOUT_FONT_FAMILY, CAIRO_FONT_SLANT_NORMAL,
                              CAIRO_FONT_WEIGHT_BOLD);
      source (cr, colors->fg);
      show_text (cr, title, 4, base, 0);
    }
  cairo_restore (cr);
}

static void
fill_background (cairo_t *cr, const NnsTrainColors *colors, double x, double y, double w, double h)
{
  cairo_save (cr);
  source (cr, colors->bg);
  cairo_rectangle (cr, x, y, w, h);
  cairo_fill (cr);
  cairo_restore (cr);
}

/* ---- curves ---- */

static gboolean
usable (double v, gboolean log)
{
  return isfinite (v) && (!log || v > 0);
}

/* One curve's path, its NaNs skipped; more points than about two a pixel
 * column are thinned to each column's first, lowest, highest and last. */
static guint
curve_path (cairo_t *cr, const Axis *ax, const Axis *ay, const double *x, const double *y,
            guint n, gboolean thin, double *lone_x, double *lone_y)
{
  guint drawn = 0;
  long column = G_MINLONG;
  guint first = 0, lo = 0, hi = 0, last = 0;
  gboolean open = FALSE;

  for (guint i = 0; i <= n; i++)
    {
      gboolean ok = i < n && usable (y[i], ay->log) && isfinite (x ? x[i] : i);
      double px = 0, py = 0;
      long c;

      if (i < n && !ok)
        continue;
      if (i < n)
        {
          px = axis_map (ax, x ? x[i] : i);
          py = axis_map (ay, y[i]);
        }
      c = i < n ? (long) floor (px) : G_MAXLONG;
      if (thin && open && c == column)
        {
          if (y[i] < y[lo])
            lo = i;
          if (y[i] > y[hi])
            hi = i;
          last = i;
          continue;
        }
      if (thin && open)
        {
          /* the finished column's points, in their order */
          guint idx[4] = { first, lo, hi, last };

          for (int a = 1; a < 4; a++)
            for (int b = a; b > 0 && idx[b - 1] > idx[b]; b--)
              {
                guint t = idx[b];

                idx[b] = idx[b - 1], idx[b - 1] = t;
              }
          for (int k = 0; k < 4; k++)
            if (k == 0 || idx[k] != idx[k - 1])
              {
                double qx = axis_map (ax, x ? x[idx[k]] : idx[k]), qy = axis_map (ay, y[idx[k]]);

                if (drawn++ == 0)
                  cairo_move_to (cr, qx, qy), *lone_x = qx, *lone_y = qy;
                else
                  cairo_line_to (cr, qx, qy);
              }
        }
      if (i == n)
        break;
      if (thin)
        {
          column = c, first = lo = hi = last = i, open = TRUE;
          continue;
        }
      if (drawn++ == 0)
        cairo_move_to (cr, px, py), *lone_x = px, *lone_y = py;
      else
        cairo_line_to (cr, px, py);
    }
  return drawn;
}

static void
draw_curve (cairo_t *cr, const Axis *ax, const Axis *ay, const double colour[4], gboolean dashed,
            const double *x, const double *y, guint n, gboolean thin)
{
  static const double dash[] = { 5, 3 };
  double lone_x = 0, lone_y = 0;
  guint drawn;

  cairo_save (cr);
  cairo_new_path (cr);
  drawn = curve_path (cr, ax, ay, x, y, n, thin, &lone_x, &lone_y);
  source (cr, colour);
  if (drawn == 1)
    {
      /* one point: a dot */
      cairo_new_path (cr);
      cairo_arc (cr, lone_x, lone_y, LINE_WIDTH * 1.5, 0, 2 * G_PI);
      cairo_fill (cr);
    }
  else if (drawn > 1)
    {
      cairo_set_line_width (cr, LINE_WIDTH);
      cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
      cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
      if (dashed)
        cairo_set_dash (cr, dash, 2, 0);
      cairo_stroke (cr);
    }
  cairo_new_path (cr);
  cairo_restore (cr);
}

static void
data_range (const double *v, guint n, gboolean log, double *lo, double *hi)
{
  if (v == NULL)
    return;
  for (guint i = 0; i < n; i++)
    if (usable (v[i], log))
      {
        *lo = MIN (*lo, v[i]);
        *hi = MAX (*hi, v[i]);
      }
}

void
nns_train_draw_curves (cairo_t              *cr,
                       double                width,
                       double                height,
                       const NnsTrainColors *colors,
                       const char           *title,
                       const double         *x,
                       const double         *train,
                       const double         *test,
                       guint                 n,
                       double                y_min,
                       double                y_max)
{
  nns_train_draw_curves_full (cr, width, height, colors, title, x, train, test, n, y_min, y_max, 0);
}

void
nns_train_draw_curves_full (cairo_t              *cr,
                            double                width,
                            double                height,
                            const NnsTrainColors *colors,
                            const char           *title,
                            const double         *x,
                            const double         *train,
                            const double         *test,
                            guint                 n,
                            double                y_min,
                            double                y_max,
                            NnsCurvesFlags        flags)
{
  gboolean log = (flags & NNS_CURVES_LOG_Y) != 0;
  cairo_rectangle_t area;
  Axis ax = { 0 }, ay = { .log = log };
  double lo = INFINITY, hi = -INFINITY;

  g_return_if_fail (cr != NULL && colors != NULL);
  if (train == NULL)
    n = 0;

  fill_background (cr, colors, 0, 0, width, height);
  nns_train_get_plot_area (width, height, &area);

  /* x: the points' range */
  for (guint i = 0; i < n; i++)
    {
      double v = x ? x[i] : i;

      if (isfinite (v))
        lo = MIN (lo, v), hi = MAX (hi, v);
    }
  if (!(lo < hi))
    {
      double mid = isfinite (lo) ? lo : 0;

      lo = mid - (n > 0 ? 0.5 : 0), hi = mid + (n > 0 ? 0.5 : 1);
    }
  ax.lo = lo, ax.hi = hi, ax.pos = area.x, ax.len = area.width;

  /* y: as given, or the data's */
  if (isnan (y_min) || isnan (y_max) || y_min == y_max || (log && (y_min <= 0 || y_max <= 0)))
    {
      lo = INFINITY, hi = -INFINITY;
      data_range (train, n, log, &lo, &hi);
      data_range (test, n, log, &lo, &hi);
      if (!isfinite (lo))
        lo = log ? 0.1 : 0, hi = 1;
      if (lo == hi)
        {
          double pad = lo != 0 ? fabs (lo) * 0.1 : 0.5;

          lo = log ? lo / 2 : lo - pad, hi = log ? hi * 2 : hi + pad;
        }
      if (log)
        lo = pow (10, floor (log10 (lo))), hi = pow (10, ceil (log10 (hi)));
      else
        {
          double step = nice_step (hi - lo, MAX (2, (int) (area.height / 40)));

          lo = floor (lo / step + 1e-9) * step, hi = ceil (hi / step - 1e-9) * step;
        }
    }
  else
    lo = MIN (y_min, y_max), hi = MAX (y_min, y_max);
  ay.lo = log ? log10 (lo) : lo, ay.hi = log ? log10 (hi) : hi;
  ay.pos = area.y + area.height, ay.len = -area.height;

  draw_axes (cr, colors, &area, &ax, &ay, FALSE, (flags & NNS_CURVES_PERCENT) != 0);
  draw_header (cr, colors, width, title, test != NULL);

  cairo_save (cr);
  cairo_rectangle (cr, area.x - LINE_WIDTH, area.y - LINE_WIDTH, area.width + 2 * LINE_WIDTH,
                   area.height + 2 * LINE_WIDTH);
  cairo_clip (cr);
  {
    gboolean thin = n > 2 * area.width;

    if (test != NULL)
      draw_curve (cr, &ax, &ay, colors->test, TRUE, x, test, n, thin);
    draw_curve (cr, &ax, &ay, colors->train, FALSE, x, train, n, thin);
  }
  cairo_restore (cr);
}

/* ---- the decision surface ---- */

void
nns_train_surface_grid (guint   res,
                        double  x0,
                        double  x1,
                        double  y0,
                        double  y1,
                        float  *xy)
{
  for (guint r = 0; r < res; r++)
    for (guint c = 0; c < res; c++)
      {
        gsize i = (gsize) r * res + c;

        xy[2 * i] = res > 1 ? x0 + c * (x1 - x0) / (res - 1) : (x0 + x1) / 2;
        xy[2 * i + 1] = res > 1 ? y1 - r * (y1 - y0) / (res - 1) : (y0 + y1) / 2;
      }
}

void
nns_train_surface_to_pixel (double  width,
                            double  height,
                            double  x0,
                            double  x1,
                            double  y0,
                            double  y1,
                            double  x,
                            double  y,
                            double *px,
                            double *py)
{
  *px = x1 != x0 ? (x - x0) / (x1 - x0) * width : width / 2;
  *py = y1 != y0 ? (y1 - y) / (y1 - y0) * height : height / 2;
}

/* One point: a dot of its class colour in an fg outline, or a ring (the
 * centre shows the surface), as two fills (a stroke costs more). */
static void
dot (cairo_t *cr, const NnsTrainColors *colors, const double colour[4], gboolean hollow,
     double radius, double px, double py)
{
  double ring = MAX (1.2, radius * 0.35), outline = hollow ? 0.8 : 1;

  cairo_new_path (cr);
  cairo_arc (cr, px, py, radius + outline, 0, 2 * G_PI);
  if (hollow)
    {
      /* the inner circle backwards: a ring */
      cairo_new_sub_path (cr);
      cairo_arc_negative (cr, px, py, radius - ring - outline, 2 * G_PI, 0);
    }
  source_alpha (cr, colors->fg, 0.85);
  cairo_fill (cr);
  cairo_arc (cr, px, py, radius, 0, 2 * G_PI);
  if (hollow)
    {
      cairo_new_sub_path (cr);
      cairo_arc_negative (cr, px, py, radius - ring, 2 * G_PI, 0);
    }
  source (cr, colour);
  cairo_fill (cr);
}

/* The dot drawn once into an image, at scale pixels a unit. */
static cairo_surface_t *
dot_sprite (const NnsTrainColors *colors, const double colour[4], gboolean hollow, double radius,
            int scale, double *half)
{
  int side = (int) ceil (2 * (radius + 2));
  cairo_surface_t *sprite = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, side * scale,
                                                        side * scale);
  cairo_t *cr;

  cairo_surface_set_device_scale (sprite, scale, scale);
  cr = cairo_create (sprite);
  dot (cr, colors, colour, hollow, radius, side / 2.0, side / 2.0);
  cairo_destroy (cr);
  *half = side / 2.0;
  return sprite;
}

/* One class's points. On pixels (an image, or the recording GTK replays) each
 * is a copy of one drawn dot: hundreds of small fills cost ~10 µs each in
 * cairo, a copy a tenth of that. Elsewhere (PDF, SVG) they stay paths. */
static void
draw_points (cairo_t *cr, double width, double height, const NnsTrainColors *colors,
             double x0, double x1, double y0, double y1, const float *xy, const guint8 *y,
             guint n, guint klass, gboolean hollow, double radius)
{
  const double *colour = klass == 0 ? colors->class0 : colors->class1;
  cairo_surface_t *target = cairo_get_target (cr);
  cairo_surface_type_t type = cairo_surface_get_type (target);
  cairo_surface_t *sprite = NULL;
  double half = 0;

  if (xy == NULL || y == NULL || n == 0)
    return;
  cairo_save (cr);
  cairo_set_tolerance (cr, 0.5);
  if (type == CAIRO_SURFACE_TYPE_IMAGE || type == CAIRO_SURFACE_TYPE_RECORDING)
    {
      double sx = 1, sy = 1, dx = 1, dy = 0;
      int scale;

      /* as many sprite pixels a unit as the device has; a recording is
       * replayed at a scale not known yet: 2 */
      cairo_surface_get_device_scale (target, &sx, &sy);
      cairo_user_to_device_distance (cr, &dx, &dy);
      scale = type == CAIRO_SURFACE_TYPE_RECORDING ? 2
              : (int) CLAMP (ceil (hypot (dx, dy) * MAX (sx, sy) - 0.01), 1, 8);
      sprite = dot_sprite (colors, colour, hollow, radius, scale, &half);
    }
  for (guint i = 0; i < n; i++)
    {
      double px, py;

      if ((y[i] != 0) != (klass != 0) || !isfinite (xy[2 * i]) || !isfinite (xy[2 * i + 1]))
        continue;
      nns_train_surface_to_pixel (width, height, x0, x1, y0, y1, xy[2 * i], xy[2 * i + 1], &px, &py);
      if (sprite != NULL)
        {
          cairo_set_source_surface (cr, sprite, px - half, py - half);
          cairo_paint (cr);
        }
      else
        dot (cr, colors, colour, hollow, radius, px, py);
    }
  if (sprite != NULL)
    cairo_surface_destroy (sprite);
  cairo_restore (cr);
}

void
nns_train_draw_surface (cairo_t              *cr,
                        double                width,
                        double                height,
                        const NnsTrainColors *colors,
                        const float          *values,
                        guint                 res,
                        double                x0,
                        double                x1,
                        double                y0,
                        double                y1,
                        const float          *train_x,
                        const guint8         *train_y,
                        guint                 n_train,
                        const float          *test_x,
                        const guint8         *test_y,
                        guint                 n_test)
{
  double radius = CLAMP (MIN (width, height) / 90, 2.5, 5);

  g_return_if_fail (cr != NULL && colors != NULL);

  cairo_save (cr);
  fill_background (cr, colors, 0, 0, width, height);
  if (values != NULL && res > 0)
    {
      /* probability p → t = 2p − 1 */
      cairo_surface_t *image = heatmap_image (colors, values, res, 2, -1, SURFACE_STRENGTH);

      paint_grid_image (cr, image, res, 0, 0, width, height);
      cairo_surface_destroy (image);
    }
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_clip (cr);
  for (guint k = 0; k < 2; k++)
    draw_points (cr, width, height, colors, x0, x1, y0, y1, train_x, train_y, n_train, k, FALSE,
                 radius);
  /* rings a little larger, so their hole shows */
  for (guint k = 0; k < 2; k++)
    draw_points (cr, width, height, colors, x0, x1, y0, y1, test_x, test_y, n_test, k, TRUE,
                 radius + 0.5);
  cairo_restore (cr);
}

/* ---- a neuron's tile ---- */

void
nns_train_draw_tile (cairo_t              *cr,
                     double                x,
                     double                y,
                     double                size,
                     const NnsTrainColors *colors,
                     const float          *values,
                     guint                 res)
{
  double max = 0;

  g_return_if_fail (cr != NULL && colors != NULL);

  fill_background (cr, colors, x, y, size, size);
  if (values != NULL && res > 0)
    {
      cairo_surface_t *image;

      for (gsize i = 0; i < (gsize) res * res; i++)
        if (isfinite (values[i]))
          max = MAX (max, fabsf (values[i]));
      image = heatmap_image (colors, values, res, max > 0 ? 1 / max : 0, 0, 1);
      paint_grid_image (cr, image, res, x, y, size, size);
      cairo_surface_destroy (image);
    }
  cairo_save (cr);
  source (cr, colors->grid);
  cairo_set_line_width (cr, 1);
  cairo_rectangle (cr, x + 0.5, y + 0.5, size - 1, size - 1);
  cairo_stroke (cr);
  cairo_restore (cr);
}

/* ---- capacity ---- */

static gboolean
result_usable (const NnsWidthResult *r)
{
  return r->n_params > 0 && isfinite (r->train_accuracy) && isfinite (r->test_accuracy);
}

static int
by_params (gconstpointer a, gconstpointer b, gpointer user_data)
{
  const NnsWidthResult *ra = *(NnsWidthResult *const *) a, *rb = *(NnsWidthResult *const *) b;

  if (ra->n_params != rb->n_params)
    return ra->n_params < rb->n_params ? -1 : 1;
  return ra->width < rb->width ? -1 : ra->width > rb->width;
}

void
nns_train_draw_capacity (cairo_t              *cr,
                         double                width,
                         double                height,
                         const NnsTrainColors *colors,
                         const NnsWidthResult *results,
                         guint                 n)
{
  static const double dash[] = { 5, 3 };
  g_autoptr (GPtrArray) sorted = g_ptr_array_new ();
  cairo_rectangle_t area;
  Axis ax = { .log = TRUE }, ay = { .lo = 0, .hi = 1 };
  double lo = INFINITY, hi = -INFINITY, marker = 4;

  g_return_if_fail (cr != NULL && colors != NULL);

  for (guint i = 0; results != NULL && i < n; i++)
    if (result_usable (&results[i]))
      {
        g_ptr_array_add (sorted, (gpointer) &results[i]);
        lo = MIN (lo, log10 ((double) results[i].n_params));
        hi = MAX (hi, log10 ((double) results[i].n_params));
      }
  g_ptr_array_sort_with_data (sorted, by_params, NULL);
  if (!isfinite (lo))
    lo = 1, hi = 3;
  /* room for the markers and labels at both ends */
  ax.lo = lo - MAX (0.1, (hi - lo) * 0.08), ax.hi = hi + MAX (0.1, (hi - lo) * 0.08);

  fill_background (cr, colors, 0, 0, width, height);
  nns_train_get_plot_area (width, height, &area);
  ax.pos = area.x, ax.len = area.width;
  ay.pos = area.y + area.height, ay.len = -area.height;
  draw_axes (cr, colors, &area, &ax, &ay, TRUE, TRUE);
  draw_header (cr, colors, width, _("Accuracy by parameters"), TRUE);
  if (sorted->len == 0)
    return;

  cairo_save (cr);
  cairo_new_path (cr);
  /* the gap: train's line forward, test's back */
  for (guint i = 0; i < sorted->len; i++)
    {
      const NnsWidthResult *r = sorted->pdata[i];

      cairo_line_to (cr, axis_map (&ax, r->n_params), axis_map (&ay, r->train_accuracy));
    }
  for (guint i = sorted->len; i-- > 0;)
    {
      const NnsWidthResult *r = sorted->pdata[i];

      cairo_line_to (cr, axis_map (&ax, r->n_params), axis_map (&ay, r->test_accuracy));
    }
  cairo_close_path (cr);
  source_alpha (cr, colors->test, 0.18);
  cairo_fill (cr);

  cairo_set_line_width (cr, 1.5);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  for (guint k = 0; k < 2; k++)
    {
      for (guint i = 0; i < sorted->len; i++)
        {
          const NnsWidthResult *r = sorted->pdata[i];

          cairo_line_to (cr, axis_map (&ax, r->n_params),
                         axis_map (&ay, k == 0 ? r->train_accuracy : r->test_accuracy));
        }
      source (cr, k == 0 ? colors->train : colors->test);
      cairo_set_dash (cr, dash, k == 0 ? 0 : 2, 0);
      cairo_stroke (cr);
    }
  cairo_set_dash (cr, NULL, 0, 0);

  font (cr, FONT_SIZE * 0.9);
  for (guint i = 0; i < sorted->len; i++)
    {
      const NnsWidthResult *r = sorted->pdata[i];
      double px = axis_map (&ax, r->n_params);
      double ptrain = axis_map (&ay, r->train_accuracy), ptest = axis_map (&ay, r->test_accuracy);
      g_autofree char *label = g_strdup_printf ("%u", r->width);

      /* test: a square; train: a dot; each in a bg outline */
      cairo_rectangle (cr, px - marker, ptest - marker, 2 * marker, 2 * marker);
      source (cr, colors->test);
      cairo_fill_preserve (cr);
      source (cr, colors->bg);
      cairo_set_line_width (cr, 1);
      cairo_stroke (cr);
      cairo_arc (cr, px, ptrain, marker + 0.5, 0, 2 * G_PI);
      source (cr, colors->train);
      cairo_fill_preserve (cr);
      source (cr, colors->bg);
      cairo_stroke (cr);

      /* above the markers, or beside the train dot (towards the middle)
       * when the header is in the way */
      source (cr, colors->fg);
      if (MIN (ptrain, ptest) - marker - 4 - FONT_SIZE * 0.9 >= area.y - 2)
        show_text (cr, label, px, MIN (ptrain, ptest) - marker - 4, 0.5);
      else if (px < area.x + area.width / 2)
        show_text (cr, label, px + marker + 3, ptrain + FONT_SIZE * 0.3, 0);
      else
        show_text (cr, label, px - marker - 3, ptrain + FONT_SIZE * 0.3, 1);
    }
  cairo_restore (cr);
}
