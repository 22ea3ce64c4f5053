/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <cairo.h>
#include <cairo-svg.h>
#include <glib.h>
#include "nns-dots.h"

/* A run of neurons drawn through nns_dots_draw() against cairo filling and
 * stroking the same path of circles: per-pixel alpha within MAX_DIFF, and
 * the ink within INK_TOLERANCE of the discs' and rings' true area (of
 * cairo's, where they overlap), for radii from under half a pixel to 7
 * pixels, with and without a border, at fractional positions and under a
 * scale. (cairo's own rasteriser loses 8 % of the ink of discs under a
 * pixel across; where rings overlap, they add up a little more ink than
 * cairo's union.) */
#define MAX_DIFF      0.12
#define MEAN_DIFF     0.004
#define INK_TOLERANCE 0.03
/* overlapping rings add up where they cross (cairo takes their union) */
#define INK_OVERLAP_TOLERANCE 0.08

#define W 200
#define H 300

static const NnsColor FILL = { 0.9, 0.9, 0.95, 1.0 };
static const NnsColor RING = { 0.1, 0.1, 0.2, 1.0 };

typedef struct
{
  double x0, y0, dx, dy, radius, border, scale;
  guint  n;
  gboolean overlap;
  int    clip_x, clip_y, clip_w, clip_h;   /* device pixels; no clip when clip_w is 0 */
} Run;

/* the alpha of a transparent image with the run drawn: fill and ring each
 * alone, so both masks are compared */
static cairo_surface_t *
draw (const Run *run, gboolean dots, gboolean ring_only)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, W, H);
  cairo_t *cr = cairo_create (s);
  NnsColor clear = { 0, 0, 0, 0 };
  const NnsColor *fill = ring_only ? &clear : &FILL, *ring = ring_only ? &RING : &clear;

  if (run->clip_w > 0)
    {
      cairo_rectangle (cr, run->clip_x, run->clip_y, run->clip_w, run->clip_h);
      cairo_clip (cr);
    }
  cairo_scale (cr, run->scale, run->scale);
  if (dots)
    assert_true (nns_dots_draw (cr, run->x0, run->y0, run->dx, run->dy, 0, run->n - 1,
                                run->radius, run->border, fill, ring));
  else
    {
      for (guint k = 0; k < run->n; k++)
        {
          cairo_new_sub_path (cr);
          cairo_arc (cr, run->x0 + k * run->dx, run->y0 + k * run->dy, run->radius, 0, 2 * G_PI);
        }
      cairo_set_source_rgba (cr, fill->red, fill->green, fill->blue, fill->alpha);
      cairo_fill_preserve (cr);
      if (run->border > 0)
        {
          cairo_set_source_rgba (cr, ring->red, ring->green, ring->blue, ring->alpha);
          cairo_set_line_width (cr, run->border);
          cairo_stroke (cr);
        }
      cairo_new_path (cr);
    }
  cairo_destroy (cr);
  cairo_surface_flush (s);
  return s;
}

static void
check (const char *name, const Run *run)
{
  for (int ring_only = 0; ring_only < 2; ring_only++)
    {
      cairo_surface_t *a = draw (run, TRUE, ring_only), *b = draw (run, FALSE, ring_only);
      const guint8 *pa = cairo_image_surface_get_data (a), *pb = cairo_image_surface_get_data (b);
      int stride = cairo_image_surface_get_stride (a);
      double max = 0, mean = 0, ink_a = 0, ink_b = 0;

      if (ring_only && run->border <= 0)
        {
          cairo_surface_destroy (a);
          cairo_surface_destroy (b);
          continue;
        }
      for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
          {
            double va = pa[y * stride + 4 * x + 3] / 255.0, vb = pb[y * stride + 4 * x + 3] / 255.0;

            max = MAX (max, fabs (va - vb));
            mean += fabs (va - vb);
            ink_a += va;
            ink_b += vb;
          }
      mean /= (double) W * H;
      g_test_message ("%-28s %s max %.3f mean %.4f ink %.1f cairo %.1f", name,
                      ring_only ? "ring" : "fill", max, mean, ink_a, ink_b);
      assert_true (ink_b > 0);
      assert_true (max <= MAX_DIFF);
      assert_true (mean <= MEAN_DIFF);
      if (!run->overlap && run->clip_w == 0)
        {
          double r = run->radius * run->scale, b = run->border * run->scale;
          double area = ring_only ? G_PI * ((r + b / 2) * (r + b / 2) - (r - b / 2) * (r - b / 2))
                                  : G_PI * r * r;

          ink_b = run->n * area;
        }
      assert_true (fabs (ink_a - ink_b)
                   <= (run->overlap ? INK_OVERLAP_TOLERANCE : INK_TOLERANCE) * ink_b + 1.0);
      cairo_surface_destroy (a);
      cairo_surface_destroy (b);
    }
}

static void
test_matches_cairo (void **state)
{
  const Run runs[] = {
    { 100.3, 20.7, 0, 16.1, 6.2, 1.5, 1, 17 },      /* medium, bordered */
    { 50.5, 10.25, 0, 3.1, 1.3, 0.3, 1, 90 },       /* small, apart */
    { 20.2, 5.6, 0.9, 0.95, 0.45, 0.1, 1, 190 },    /* sub-pixel, diagonal */
    { 100, 3, 0, 1.7, 1.2, 0.2, 1, 170, TRUE },     /* overlapping */
    { 10.4, 40.1, 11.3, 0, 4.6, 0, 1, 17 },         /* a row, no border */
    { 30.2, 10.7, 0, 6.1, 1.4, 0.5, 2.5, 18 },      /* scaled */
    { 50.2, 5.3, 0, 9.3, 4.0, 1.0, 2, 16 },         /* big: 9 px, a zoomed-in view's */
    { 10.3, 3.7, 0, 4.5, 1.9, 0.5, 8, 16, FALSE, 0, 0, W, H }, /* bigger: 17.2 px, past the image */
  };
  const char *names[] = { "medium", "small", "sub-pixel diagonal", "overlapping", "row", "scaled",
                          "big", "bigger" };

  for (guint k = 0; k < G_N_ELEMENTS (runs); k++)
    check (names[k], &runs[k]);
  (void) state;
}

/* Discs the clip cuts through, on each side of it, keep only what is
 * inside, as cairo's do (the masks cover the clip, not the discs). */
static void
test_clipped (void **state)
{
  const Run runs[] = {
    { 50.3, 20.7, 0, 16.1, 6.2, 1.5, 1, 17, FALSE, 47, 0, 100, H },    /* cut on the left */
    { 140.6, 20.2, 0, 15.3, 5.1, 1.0, 1, 17, FALSE, 0, 0, 143, H },    /* cut on the right */
    { 10.4, 40.1, 11.3, 0, 4.6, 0.8, 1, 17, FALSE, 0, 38, W, 100 },    /* a row cut on top */
    { 10.4, 96.9, 11.3, 0, 4.6, 0.8, 1, 17, FALSE, 0, 0, W, 99 },      /* and below */
  };
  const char *names[] = { "clipped left", "clipped right", "clipped top", "clipped bottom" };

  for (guint k = 0; k < G_N_ELEMENTS (runs); k++)
    check (names[k], &runs[k]);
  (void) state;
}

/* Tiny discs keep their area: a tenth of a pixel still shows. */
static void
test_tiny (void **state)
{
  Run run = { 10.3, 10.6, 0, 5.05, 0.1, 0, 1, 50 };
  cairo_surface_t *s = draw (&run, TRUE, FALSE);
  const guint8 *p = cairo_image_surface_get_data (s);
  int stride = cairo_image_surface_get_stride (s);
  double ink = 0;

  for (int y = 0; y < H; y++)
    for (int x = 0; x < W; x++)
      ink += p[y * stride + 4 * x + 3] / 255.0;
  /* 50 discs of area π · 0.01, within what 8-bit rounding loses */
  assert_true (fabs (ink - 50 * G_PI * 0.01) < 0.35);
  cairo_surface_destroy (s);
  (void) state;
}

/* Where it cannot draw the masks (a vector surface, a rotation) or they
 * would not pay (circles too big or too few), it declines. */
static void
test_declines (void **state)
{
  cairo_surface_t *svg = cairo_svg_surface_create (NULL, 100, 100);
  cairo_surface_t *img = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 100, 100);
  cairo_t *cr = cairo_create (svg);

  assert_false (nns_dots_draw (cr, 10, 10, 0, 5, 0, 20, 2, 0.5, &FILL, &RING));
  cairo_destroy (cr);
  cr = cairo_create (img);
  cairo_rotate (cr, 0.3);
  assert_false (nns_dots_draw (cr, 10, 10, 0, 5, 0, 20, 2, 0.5, &FILL, &RING));
  cairo_identity_matrix (cr);
  cairo_scale (cr, 1, 2);
  assert_false (nns_dots_draw (cr, 10, 10, 0, 5, 0, 20, 2, 0.5, &FILL, &RING));
  cairo_identity_matrix (cr);
  assert_false (nns_dots_draw (cr, 50, 50, 0, 5, 0, 20, 50, 0.5, &FILL, &RING));
  /* big discs that overlap */
  assert_false (nns_dots_draw (cr, 50, 50, 0, 15, 0, 20, 9, 0.5, &FILL, &RING));
  assert_false (nns_dots_draw (cr, 50, 50, 0, 5, 0, 14, 2, 0.5, &FILL, &RING));
  cairo_destroy (cr);
  cairo_surface_destroy (svg);
  cairo_surface_destroy (img);
  (void) state;
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_matches_cairo),
    cmocka_unit_test (test_clipped),
    cmocka_unit_test (test_tiny),
    cmocka_unit_test (test_declines),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
