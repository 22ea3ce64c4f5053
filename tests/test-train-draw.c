/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Train pane's drawings (nns-train-draw), seen in pixels: a falling
 * curve is higher on the left, the y range follows the data when none is
 * given, the legend names test only when there is one; the surface is
 * class 1's hue where the probability is 1 and class 0's where it is 0,
 * row 0 at the top, points at their coordinates (test points hollow, NaN
 * points skipped); a tile's colour follows its values' sign whatever
 * their scale; the capacity plot puts a larger parameter count further
 * right on a log axis, labels each width and shades the gap; dark colours
 * are not light ones; empty and degenerate input draws. Set
 * NNS_TEST_DUMP=dir to write the drawings as PNG files. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fontconfig/fontconfig.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "nns-train-draw.h"

typedef struct
{
  cairo_surface_t *surface;
  cairo_t         *cr;
  int              width, height;
} Canvas;

static Canvas
canvas_new (int width, int height)
{
  Canvas c = { .width = width, .height = height };

  c.surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  c.cr = cairo_create (c.surface);
  return c;
}

/* Checks the drawing left cairo well, flushes it, writes it when asked. */
static void
canvas_done (Canvas *c, const char *name)
{
  const char *dir = g_getenv ("NNS_TEST_DUMP");

  assert_int_equal (cairo_status (c->cr), CAIRO_STATUS_SUCCESS);
  cairo_surface_flush (c->surface);
  if (dir != NULL)
    {
      g_autofree char *file = g_strconcat (name, ".png", NULL);
      g_autofree char *path = g_build_filename (dir, file, NULL);

      cairo_surface_write_to_png (c->surface, path);
    }
}

static void
canvas_free (Canvas *c)
{
  cairo_destroy (c->cr);
  cairo_surface_destroy (c->surface);
}

/* Pixel (x, y) as RGB 0 … 255, unpremultiplied. */
static void
pixel (Canvas *c, int x, int y, double rgb[3])
{
  const guint8 *data = cairo_image_surface_get_data (c->surface);
  int stride = cairo_image_surface_get_stride (c->surface);
  guint32 p;
  double a;

  assert_true (x >= 0 && y >= 0 && x < c->width && y < c->height);
  p = *(const guint32 *) (data + (gsize) y * stride + 4 * x);
  a = (p >> 24) / 255.0;
  for (int i = 0; i < 3; i++)
    rgb[i] = a > 0 ? ((p >> (16 - 8 * i)) & 0xff) / a : 0;
}

static double
distance (const double rgb[3], const double colour[4])
{
  double d = 0;

  for (int i = 0; i < 3; i++)
    d += (rgb[i] - 255 * colour[i]) * (rgb[i] - 255 * colour[i]);
  return sqrt (d);
}

static double
pixel_distance (Canvas *c, int x, int y, const double colour[4])
{
  double rgb[3];

  pixel (c, x, y, rgb);
  return distance (rgb, colour);
}

/* Hue in degrees and saturation (max − min, 0 … 255) of RGB 0 … 255. */
static double
hue (const double rgb[3], double *saturation)
{
  double max = MAX (rgb[0], MAX (rgb[1], rgb[2])), min = MIN (rgb[0], MIN (rgb[1], rgb[2]));
  double d = max - min, h;

  if (saturation != NULL)
    *saturation = d;
  if (d < 1e-9)
    return 0;
  if (max == rgb[0])
    h = fmod ((rgb[1] - rgb[2]) / d, 6);
  else if (max == rgb[1])
    h = (rgb[2] - rgb[0]) / d + 2;
  else
    h = (rgb[0] - rgb[1]) / d + 4;
  h *= 60;
  return h < 0 ? h + 360 : h;
}

static double
colour_hue (const double colour[4])
{
  double rgb[3] = { 255 * colour[0], 255 * colour[1], 255 * colour[2] };

  return hue (rgb, NULL);
}

static double
hue_difference (double a, double b)
{
  double d = fabs (a - b);

  return MIN (d, 360 - d);
}

/* The pixel has colour's hue and is clearly coloured. */
static void
assert_hue (Canvas *c, int x, int y, const double colour[4])
{
  double rgb[3], saturation, h;

  pixel (c, x, y, rgb);
  h = hue (rgb, &saturation);
  if (saturation < 60 || hue_difference (h, colour_hue (colour)) > 6)
    fail_msg ("pixel (%d, %d) = (%.0f, %.0f, %.0f): hue %.0f° saturation %.0f, want hue %.0f°",
              x, y, rgb[0], rgb[1], rgb[2], h, saturation, colour_hue (colour));
}

/* Mean row of the pixels of column x (rows top … bottom) within tolerance
 * of colour; −1 when none. */
static double
column_find (Canvas *c, int x, int top, int bottom, const double colour[4], double tolerance)
{
  double sum = 0;
  int count = 0;

  for (int y = top; y < bottom; y++)
    if (pixel_distance (c, x, y, colour) < tolerance)
      sum += y, count++;
  return count > 0 ? sum / count : -1;
}

/* ---- curves ---- */

static void
test_curve_falls (void **state)
{
  NnsTrainColors colors;
  double x[50], train[50], test[50], left, right, test_left;
  cairo_rectangle_t area;
  Canvas c = canvas_new (300, 200);
  int xl, xr;

  nns_train_colors_init (&colors, FALSE);
  for (guint i = 0; i < 50; i++)
    {
      x[i] = 10 * i;
      train[i] = 1 - i / 49.0;
      test[i] = 0.5;
    }
  nns_train_draw_curves (c.cr, c.width, c.height, &colors, "Loss", x, train, test, 50, 0, 1);
  canvas_done (&c, "curve-falls");
  nns_train_get_plot_area (c.width, c.height, &area);
  xl = (int) (area.x + 0.2 * area.width);
  xr = (int) (area.x + 0.8 * area.width);
  left = column_find (&c, xl, (int) area.y, (int) (area.y + area.height), colors.train, 40);
  right = column_find (&c, xr, (int) area.y, (int) (area.y + area.height), colors.train, 40);
  assert_true (left >= 0 && right >= 0);
  /* y = 0.8 and 0.2 of the range: 60 % of the plot's height apart */
  assert_true (right - left > 0.5 * area.height);
  assert_true (fabs (left - (area.y + 0.2 * area.height)) < 4);
  /* the test line: flat at 0.5 */
  test_left = column_find (&c, xl + 2, (int) area.y, (int) (area.y + area.height), colors.test, 60);
  assert_true (fabs (test_left - (area.y + 0.5 * area.height)) < 4);
  canvas_free (&c);
}

/* y_min == y_max: the data's range, so a curve from 0.4 to 0.6 spans the
 * plot instead of a fifth of it; NaNs are skipped, not drawn as gaps. */
static void
test_curve_auto_range (void **state)
{
  NnsTrainColors colors;
  double train[40], top, bottom, middle;
  cairo_rectangle_t area;
  Canvas c = canvas_new (300, 200);

  nns_train_colors_init (&colors, FALSE);
  for (guint i = 0; i < 40; i++)
    train[i] = 0.6 - 0.2 * i / 39.0;
  for (guint i = 15; i < 25; i++)
    train[i] = NAN;
  nns_train_draw_curves (c.cr, c.width, c.height, &colors, NULL, NULL, train, NULL, 40, 0, 0);
  canvas_done (&c, "curve-auto-range");
  nns_train_get_plot_area (c.width, c.height, &area);
  top = column_find (&c, (int) area.x + 3, (int) area.y - 3, (int) (area.y + area.height) + 3,
                     colors.train, 60);
  bottom = column_find (&c, (int) (area.x + area.width) - 3, (int) area.y - 3,
                        (int) (area.y + area.height) + 3, colors.train, 60);
  assert_true (top >= 0 && bottom >= 0);
  assert_true (bottom - top > 0.8 * area.height);
  /* over the NaNs the line goes on */
  middle = column_find (&c, (int) (area.x + area.width / 2), (int) area.y,
                        (int) (area.y + area.height), colors.train, 60);
  assert_true (middle > 0);
  canvas_free (&c);
}

/* A log y axis puts 10 → 1 → 0.1 at equal steps. */
static void
test_curve_log (void **state)
{
  NnsTrainColors colors;
  double train[3] = { 10, 1, 0.1 }, y[3];
  cairo_rectangle_t area;
  Canvas c = canvas_new (300, 200);

  nns_train_colors_init (&colors, FALSE);
  nns_train_draw_curves_full (c.cr, c.width, c.height, &colors, "Loss", NULL, train, NULL, 3, 0.1,
                              10, NNS_CURVES_LOG_Y);
  canvas_done (&c, "curve-log");
  nns_train_get_plot_area (c.width, c.height, &area);
  for (guint i = 0; i < 3; i++)
    {
      int x = (int) (area.x + CLAMP (i * area.width / 2, 3, area.width - 3));

      y[i] = column_find (&c, x, (int) area.y - 3, (int) (area.y + area.height) + 3,
                          colors.train, 60);
      assert_true (y[i] >= 0);
    }
  assert_true (fabs (y[1] - (area.y + area.height / 2)) < 4);
  canvas_done (&c, "curve-log");
  canvas_free (&c);
}

/* The legend in the header: a train sample always, a test one only with a
 * test curve. */
static void
test_curve_legend (void **state)
{
  NnsTrainColors colors;
  double train[2] = { 1, 0 };
  cairo_rectangle_t area;

  nns_train_colors_init (&colors, FALSE);
  for (guint with_test = 0; with_test < 2; with_test++)
    {
      Canvas c = canvas_new (300, 200);
      guint n_train = 0, n_test = 0;

      nns_train_draw_curves (c.cr, c.width, c.height, &colors, "Accuracy", NULL, train,
                             with_test ? train : NULL, 2, 0, 1);
      canvas_done (&c, with_test ? "legend-test" : "legend");
      nns_train_get_plot_area (c.width, c.height, &area);
      for (int y = 0; y < (int) area.y - 2; y++)
        for (int x = c.width / 2; x < c.width; x++)
          {
            n_train += pixel_distance (&c, x, y, colors.train) < 40;
            n_test += pixel_distance (&c, x, y, colors.test) < 40;
          }
      assert_true (n_train > 10);
      if (with_test)
        assert_true (n_test > 10);
      else
        assert_int_equal (n_test, 0);
      canvas_free (&c);
    }
}

/* ---- the surface ---- */

static void
test_surface_classes (void **state)
{
  enum { RES = 64 };
  NnsTrainColors colors;
  static float values[RES * RES];

  for (guint dark = 0; dark < 2; dark++)
    {
      Canvas c = canvas_new (300, 300);

      nns_train_colors_init (&colors, dark);
      /* probability of class 1: 0 at the left, 1 at the right */
      for (guint r = 0; r < RES; r++)
        for (guint k = 0; k < RES; k++)
          values[r * RES + k] = k / (RES - 1.0);
      nns_train_draw_surface (c.cr, c.width, c.height, &colors, values, RES, -1, 1, -1, 1,
                              NULL, NULL, 0, NULL, NULL, 0);
      canvas_done (&c, dark ? "surface-dark" : "surface");
      assert_hue (&c, 1, 150, colors.class0);
      assert_hue (&c, 298, 150, colors.class1);
      /* 0.5 is the background */
      assert_true (pixel_distance (&c, 150, 150, colors.bg) < 8);

      /* row 0 is the top (y1) */
      for (guint r = 0; r < RES; r++)
        for (guint k = 0; k < RES; k++)
          values[r * RES + k] = r < RES / 2 ? 1 : 0;
      nns_train_draw_surface (c.cr, c.width, c.height, &colors, values, RES, -1, 1, -1, 1,
                              NULL, NULL, 0, NULL, NULL, 0);
      canvas_done (&c, "surface-rows");
      assert_hue (&c, 150, 2, colors.class1);
      assert_hue (&c, 150, 297, colors.class0);
      canvas_free (&c);
    }
}

static void
test_surface_points (void **state)
{
  enum { RES = 8 };
  NnsTrainColors colors;
  float values[RES * RES];
  const float train_x[] = { 0.5f, -0.5f, -0.5f, 0.5f, NAN, 0.25f };
  const guint8 train_y[] = { 1, 0, 0 };
  const float test_x[] = { -0.5f, -0.5f };
  const guint8 test_y[] = { 1 };
  double px, py, ring = 0;
  Canvas c = canvas_new (300, 300);

  nns_train_colors_init (&colors, FALSE);
  for (guint i = 0; i < RES * RES; i++)
    values[i] = 0.5f;
  nns_train_draw_surface (c.cr, c.width, c.height, &colors, values, RES, -1, 1, -1, 1,
                          train_x, train_y, 3, test_x, test_y, 1);
  canvas_done (&c, "surface-points");

  /* class 1 at (0.5, −0.5): right, low */
  nns_train_surface_to_pixel (c.width, c.height, -1, 1, -1, 1, 0.5, -0.5, &px, &py);
  assert_true (fabs (px - 225) < 1e-9 && fabs (py - 225) < 1e-9);
  assert_true (pixel_distance (&c, 225, 225, colors.class1) < 10);
  assert_true (pixel_distance (&c, 225, 75, colors.bg) < 8);
  /* class 0 at (−0.5, 0.5): left, high */
  assert_true (pixel_distance (&c, 75, 75, colors.class0) < 10);
  assert_true (pixel_distance (&c, 225, 75, colors.bg) < 8);
  /* the NaN points are not drawn, and cairo is fine (canvas_done) */
  assert_true (pixel_distance (&c, 150, 150, colors.bg) < 8);
  /* the test point at (−0.5, −0.5): hollow, a class-1 ring round the
   * background */
  assert_true (pixel_distance (&c, 75, 225, colors.bg) < 8);
  for (int dx = 1; dx < 8; dx++)
    ring = MAX (ring, 255 * sqrt (3) - pixel_distance (&c, 75 + dx, 225, colors.class1));
  assert_true (255 * sqrt (3) - ring < 40);
  canvas_free (&c);
}

static void
test_tile_sign (void **state)
{
  enum { RES = 16 };
  NnsTrainColors colors;
  float values[RES * RES], small[RES * RES];
  Canvas c = canvas_new (68, 68), d = canvas_new (68, 68);

  nns_train_colors_init (&colors, FALSE);
  for (guint r = 0; r < RES; r++)
    for (guint k = 0; k < RES; k++)
      {
        values[r * RES + k] = 1000 * (k - 7.5f);
        small[r * RES + k] = 0.001f * (k - 7.5f);
      }
  nns_train_draw_tile (c.cr, 10, 10, 48, &colors, values, RES);
  canvas_done (&c, "tile");
  /* negative: class 0 at full strength; positive: class 1 */
  assert_true (pixel_distance (&c, 11, 34, colors.class0) < 25);
  assert_true (pixel_distance (&c, 56, 34, colors.class1) < 25);
  assert_hue (&c, 20, 34, colors.class0);
  assert_hue (&c, 47, 34, colors.class1);
  /* symmetric around 0: the middle is the background */
  assert_true (pixel_distance (&c, 34, 34, colors.bg) < 20);

  /* scaled by the largest |v|: a thousandth of the values, the same tile */
  nns_train_draw_tile (d.cr, 10, 10, 48, &colors, small, RES);
  canvas_done (&d, "tile-small");
  for (int y = 10; y < 58; y += 3)
    for (int x = 10; x < 58; x += 3)
      {
        double a[3], b[3];

        pixel (&c, x, y, a);
        pixel (&d, x, y, b);
        for (int i = 0; i < 3; i++)
          assert_true (fabs (a[i] - b[i]) <= 2);
      }

  /* all 0: the background */
  memset (values, 0, sizeof values);
  nns_train_draw_tile (c.cr, 10, 10, 48, &colors, values, RES);
  canvas_done (&c, "tile-zero");
  assert_true (pixel_distance (&c, 20, 34, colors.bg) < 8);
  canvas_free (&c);
  canvas_free (&d);
}

/* ---- capacity ---- */

typedef struct
{
  double x, y;
  guint  n;
} Blob;

/* Centres of the clusters of 5 × 5 squares wholly of colour: markers, not
 * lines (1.5 px) or the shading (translucent). */
static GArray *
find_blobs (Canvas *c, const double colour[4])
{
  GArray *blobs = g_array_new (FALSE, TRUE, sizeof (Blob));

  for (int y = 2; y < c->height - 2; y++)
    for (int x = 2; x < c->width - 2; x++)
      {
        gboolean all = TRUE;
        guint b;

        for (int dy = -2; dy <= 2 && all; dy++)
          for (int dx = -2; dx <= 2 && all; dx++)
            all = pixel_distance (c, x + dx, y + dy, colour) < 30;
        if (!all)
          continue;
        for (b = 0; b < blobs->len; b++)
          {
            Blob *blob = &g_array_index (blobs, Blob, b);

            if (fabs (blob->x / blob->n - x) < 8 && fabs (blob->y / blob->n - y) < 8)
              {
                blob->x += x, blob->y += y, blob->n++;
                break;
              }
          }
        if (b == blobs->len)
          {
            Blob blob = { x, y, 1 };

            g_array_append_val (blobs, blob);
          }
      }
  for (guint b = 0; b < blobs->len; b++)
    {
      Blob *blob = &g_array_index (blobs, Blob, b);

      blob->x /= blob->n, blob->y /= blob->n;
    }
  return blobs;
}

static int
by_y (gconstpointer a, gconstpointer b)
{
  return ((const Blob *) a)->y < ((const Blob *) b)->y ? -1 : 1;
}

static void
test_capacity (void **state)
{
  /* not in parameter order: the plot sorts */
  const NnsWidthResult results[] = {
    { .width = 300, .n_params = 100000, .train_accuracy = 0.3, .test_accuracy = 0.1 },
    { .width = 3, .n_params = 10, .train_accuracy = 0.9, .test_accuracy = 0.7 },
    { .width = 30, .n_params = 1000, .train_accuracy = 0.6, .test_accuracy = 0.4 },
    { .width = 7, .n_params = 0, .train_accuracy = 1, .test_accuracy = 1 },  /* failed: left out */
  };
  NnsTrainColors colors;
  g_autoptr (GArray) blobs = NULL;
  Blob *b;
  Canvas c = canvas_new (360, 240);
  double mx, my, rgb[3];
  guint dark_pixels;

  nns_train_colors_init (&colors, FALSE);
  nns_train_draw_capacity (c.cr, c.width, c.height, &colors, results, G_N_ELEMENTS (results));
  canvas_done (&c, "capacity");
  blobs = find_blobs (&c, colors.train);
  assert_int_equal (blobs->len, 3);
  g_array_sort (blobs, by_y);
  b = (Blob *) blobs->data;
  /* top (accuracy 0.9, 10 parameters) … bottom (0.3, 100,000): left … right */
  assert_true (b[0].x + 40 < b[1].x && b[1].x + 40 < b[2].x);
  /* log: 1,000 halfway between 10 and 100,000 */
  assert_true (fabs (b[1].x - (b[0].x + b[2].x) / 2) < 3);

  /* each marker labelled (fg text just above it) */
  for (guint i = 0; i < 3; i++)
    {
      dark_pixels = 0;
      for (int y = (int) b[i].y - 22; y < (int) b[i].y - 6; y++)
        for (int x = (int) b[i].x - 10; x <= (int) b[i].x + 10; x++)
          dark_pixels += pixel_distance (&c, x, y, colors.fg) < 120;
      assert_true (dark_pixels > 5);
    }

  /* the gap between the train and test lines is shaded */
  mx = (b[0].x + b[1].x) / 2;
  my = (b[0].y + b[1].y) / 2 + 0.1 * (c.height - 42);
  pixel (&c, (int) mx, (int) my, rgb);
  assert_true (distance (rgb, colors.bg) > 15);
  /* and below the test line it is not */
  assert_true (pixel_distance (&c, (int) mx, (int) (my + 0.2 * (c.height - 42)) + 4,
                               colors.bg) < 2);
  canvas_free (&c);
}

/* ---- colours, empty input ---- */

static double
luminance (const double c[4])
{
  double l[3];

  for (int i = 0; i < 3; i++)
    l[i] = c[i] <= 0.03928 ? c[i] / 12.92 : pow ((c[i] + 0.055) / 1.055, 2.4);
  return 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2];
}

static void
test_dark (void **state)
{
  NnsTrainColors light, dark;
  double train[2] = { 1, 0 };

  nns_train_colors_init (&light, FALSE);
  nns_train_colors_init (&dark, TRUE);
  assert_true (memcmp (light.bg, dark.bg, sizeof light.bg) != 0);
  assert_true (memcmp (light.fg, dark.fg, sizeof light.fg) != 0);
  assert_true (luminance (dark.bg) < 0.1 && luminance (light.bg) > 0.8);
  for (guint k = 0; k < 2; k++)
    {
      const NnsTrainColors *c = k ? &dark : &light;
      double hi = MAX (luminance (c->fg), luminance (c->bg));
      double lo = MIN (luminance (c->fg), luminance (c->bg));

      /* text contrast (WCAG AA), classes told apart by hue */
      assert_true ((hi + 0.05) / (lo + 0.05) >= 4.5);
      assert_true (hue_difference (colour_hue (c->class0), colour_hue (c->class1)) > 90);
      assert_true (hue_difference (colour_hue (c->train), colour_hue (c->test)) > 90);
    }
  /* drawn: the background is each one's */
  for (guint k = 0; k < 2; k++)
    {
      Canvas c = canvas_new (200, 120);

      nns_train_draw_curves (c.cr, c.width, c.height, k ? &dark : &light, "Loss", NULL, train,
                             NULL, 2, 0, 1);
      canvas_done (&c, k ? "curves-dark" : "curves-light");
      assert_true (pixel_distance (&c, 1, c.height - 2, k ? dark.bg : light.bg) < 2);
      assert_true (pixel_distance (&c, 1, c.height - 2, k ? light.bg : dark.bg) > 100);
      canvas_free (&c);
    }
}

static void
test_empty (void **state)
{
  NnsTrainColors colors;
  double one = 0.5, nan = NAN, xs[3] = { 1, 1, 1 }, same[3] = { 2, 2, 2 };
  float value = 0.9f, nans[4] = { NAN, NAN, NAN, NAN };
  const NnsWidthResult results[1] = { { .width = 4, .n_params = 42, .train_accuracy = 0.5,
                                        .test_accuracy = 0.5 } };
  Canvas c = canvas_new (120, 90);

  nns_train_colors_init (&colors, TRUE);
  nns_train_draw_curves (c.cr, c.width, c.height, &colors, "Loss", NULL, NULL, NULL, 0, 0, 1);
  nns_train_draw_curves (c.cr, c.width, c.height, &colors, NULL, NULL, &one, &one, 1, 0, 0);
  nns_train_draw_curves (c.cr, c.width, c.height, &colors, NULL, NULL, &nan, &nan, 1, 1, 1);
  nns_train_draw_curves (c.cr, c.width, c.height, &colors, NULL, xs, same, same, 3, 2, 2);
  nns_train_draw_curves_full (c.cr, c.width, c.height, &colors, NULL, NULL, &one, NULL, 1, 0, 0,
                              NNS_CURVES_LOG_Y | NNS_CURVES_PERCENT);
  nns_train_draw_curves (c.cr, 0, 0, &colors, "tiny", NULL, same, NULL, 3, 0, 1);
  nns_train_draw_surface (c.cr, c.width, c.height, &colors, NULL, 0, -1, 1, -1, 1,
                          NULL, NULL, 0, NULL, NULL, 0);
  nns_train_draw_surface (c.cr, c.width, c.height, &colors, &value, 1, 0, 0, 0, 0,
                          NULL, NULL, 0, NULL, NULL, 0);
  assert_hue (&c, 60, 45, colors.class1);
  nns_train_draw_surface (c.cr, c.width, c.height, &colors, nans, 2, -1, 1, -1, 1,
                          NULL, NULL, 0, NULL, NULL, 0);
  nns_train_draw_tile (c.cr, 0, 0, 30, &colors, nans, 2);
  nns_train_draw_tile (c.cr, 0, 0, 30, &colors, NULL, 0);
  nns_train_draw_capacity (c.cr, c.width, c.height, &colors, NULL, 0);
  nns_train_draw_capacity (c.cr, c.width, c.height, &colors, results, 1);
  canvas_done (&c, "empty");
  canvas_free (&c);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_curve_falls),
    cmocka_unit_test (test_curve_auto_range),
    cmocka_unit_test (test_curve_log),
    cmocka_unit_test (test_curve_legend),
    cmocka_unit_test (test_surface_classes),
    cmocka_unit_test (test_surface_points),
    cmocka_unit_test (test_tile_sign),
    cmocka_unit_test (test_capacity),
    cmocka_unit_test (test_dark),
    cmocka_unit_test (test_empty),
  };
  int failed = cmocka_run_group_tests (tests, NULL, NULL);

  /* Let LeakSanitizer see only our own leaks, not cairo's and fontconfig's caches. */
  cairo_debug_reset_static_data ();
  FcFini ();
  return failed;
}
