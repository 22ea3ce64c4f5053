/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-edges"
#define _GNU_SOURCE  /* memmem */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>
#include <cairo.h>
#include <cairo-svg.h>
#include <cairo-pdf.h>
#include <glib.h>

#include "nns-edges.h"

/* The stated tolerance of the fast renderer against per-edge stroking, in
 * alpha (0 … 1), on networks small enough to stroke edge by edge. Measured
 * worst cases are printed by the test; see docs/bench.md. */
#define MAX_TOLERANCE  0.10
#define MEAN_TOLERANCE 0.006
/* Dense bundles, compared in 6 × 6 pixel blocks (see check_dense). */
#define DENSE_MAX_TOLERANCE  0.05
#define DENSE_MEAN_TOLERANCE 0.005

typedef struct
{
  double max_diff;
  double mean_diff;
  double ink_fast;    /* Σ alpha, to check that something was drawn */
  double ink_naive;
} Diff;

/* Columns at major positions a and b, n0 / n1 points centred on `centre`
 * with the given spacings; vertical = columns along y (edges run in x). */
static NnsEdgeBundle
make_bundle (guint n0, guint n1, double a, double b, double centre, double sp0, double sp1,
             gboolean horizontal_edges, double width, double alpha)
{
  NnsEdgeBundle bundle = { 0 };
  double p0 = centre - sp0 * (n0 - 1) / 2.0;
  double p1 = centre - sp1 * (n1 - 1) / 2.0;

  if (horizontal_edges)
    {
      bundle.x0 = a, bundle.y0 = p0, bundle.dy0 = sp0;
      bundle.x1 = b, bundle.y1 = p1, bundle.dy1 = sp1;
    }
  else
    {
      bundle.y0 = a, bundle.x0 = p0, bundle.dx0 = sp0;
      bundle.y1 = b, bundle.x1 = p1, bundle.dx1 = sp1;
    }
  bundle.n0 = n0;
  bundle.n1 = n1;
  bundle.line_width = width;
  bundle.color = (NnsColor) { 0.1, 0.2, 0.6, alpha };
  return bundle;
}

typedef void (*SetupFunc) (cairo_t *cr);

static cairo_surface_t *
draw (const NnsEdgeBundle *bundle, int w, int h, SetupFunc setup, gboolean fast)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
  cairo_t *cr = cairo_create (s);

  if (setup)
    setup (cr);
  if (fast)
    nns_edges_draw_bundle (cr, bundle);
  else
    nns_edges_draw_bundle_naive (cr, bundle);
  assert_int_equal (cairo_status (cr), CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_flush (s);
  return s;
}

static Diff
compare (const NnsEdgeBundle *bundle, int w, int h, SetupFunc setup)
{
  cairo_surface_t *fast = draw (bundle, w, h, setup, TRUE);
  cairo_surface_t *naive = draw (bundle, w, h, setup, FALSE);
  const guint8 *pf = cairo_image_surface_get_data (fast);
  const guint8 *pn = cairo_image_surface_get_data (naive);
  int stride = cairo_image_surface_get_stride (fast);
  Diff d = { 0 };

  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        guint32 vf = *(const guint32 *) (pf + y * stride + 4 * x);
        guint32 vn = *(const guint32 *) (pn + y * stride + 4 * x);
        double af = (vf >> 24) / 255.0, an = (vn >> 24) / 255.0;
        double diff = fabs (af - an);

        if (diff > d.max_diff && g_getenv ("NNS_TEST_VERBOSE"))
          g_printerr ("  worse at %d,%d: fast %.3f naive %.3f\n", x, y, af, an);
        d.max_diff = MAX (d.max_diff, diff);
        d.mean_diff += diff;
        d.ink_fast += af;
        d.ink_naive += an;
      }
  d.mean_diff /= (double) w * h;
  if (g_getenv ("NNS_TEST_WRITE_PNG"))
    {
      static int k;
      g_autofree char *a = g_strdup_printf ("edges-%02d-fast.png", k);
      g_autofree char *b = g_strdup_printf ("edges-%02d-naive.png", k++);

      cairo_surface_write_to_png (fast, a);
      cairo_surface_write_to_png (naive, b);
    }
  cairo_surface_destroy (fast);
  cairo_surface_destroy (naive);
  return d;
}

static void
check (const char *what, const NnsEdgeBundle *bundle, int w, int h, SetupFunc setup)
{
  Diff d = compare (bundle, w, h, setup);

  g_test_message ("%-34s max %.3f mean %.5f ink fast %.1f naive %.1f", what, d.max_diff,
                  d.mean_diff, d.ink_fast, d.ink_naive);
  if (g_getenv ("NNS_TEST_VERBOSE"))
    g_printerr ("%-34s max %.3f mean %.5f ink fast %.1f naive %.1f\n", what, d.max_diff,
                d.mean_diff, d.ink_fast, d.ink_naive);
  assert_true (d.ink_naive > 10);
  assert_true (d.max_diff <= MAX_TOLERANCE);
  assert_true (d.mean_diff <= MEAN_TOLERANCE);
  /* the same amount of ink within 3 % */
  assert_true (fabs (d.ink_fast - d.ink_naive) <= 0.03 * d.ink_naive);
}

static void
setup_scaled (cairo_t *cr)
{
  cairo_translate (cr, 13.37, -7.25);
  cairo_scale (cr, 1.7, 1.7);
}

static void
setup_anisotropic (cairo_t *cr)
{
  cairo_translate (cr, 5.5, 3.25);
  cairo_scale (cr, 1.3, 0.8);
}

static void
setup_clip (cairo_t *cr)
{
  /* pixel-aligned: with a soft clip edge, per-edge stroking clips every
   * edge separately, which a bundle drawn as one mask cannot reproduce */
  cairo_rectangle (cr, 60, 40, 97, 123);
  cairo_clip (cr);
}

/* The bundle's middle, (140, 150), at the middle of the image, k times
 * over (off the pixel grid by a fraction). */
static void
zoom_middle (cairo_t *cr, double k)
{
  cairo_translate (cr, 150 - 140 * k - 0.3, 150 - 150 * k - 0.7);
  cairo_scale (cr, k, k);
}

static void
setup_zoomed (cairo_t *cr)
{
  zoom_middle (cr, 5);
}

/* bands of 60 rows and more: thick profiles */
static void
setup_zoomed_12 (cairo_t *cr)
{
  zoom_middle (cr, 12);
}

/* bands over 100 rows, that cairo was once left to stroke */
static void
setup_zoomed_20 (cairo_t *cr)
{
  zoom_middle (cr, 20);
}

/* bands taller than the image */
static void
setup_zoomed_150 (cairo_t *cr)
{
  zoom_middle (cr, 150);
}

static void
setup_flip (cairo_t *cr)
{
  cairo_translate (cr, 300, 0);
  cairo_scale (cr, -1, 1);
}

static void
test_matches_naive_small (void **state)
{
  struct { guint n0, n1; double sp0, sp1; } nets[] = {
    { 3, 4, 40, 30 }, { 10, 18, 14, 8 }, { 18, 20, 8, 7.3 }, { 1, 7, 0, 20 }, { 7, 1, 20, 0 },
    { 8, 4, 18, 30 }, { 4, 2, 30, 40 }, { 2, 9, 60, 13 },
  };

  for (guint k = 0; k < G_N_ELEMENTS (nets); k++)
    for (int horiz = 0; horiz < 2; horiz++)
      {
        NnsEdgeBundle b = make_bundle (nets[k].n0, nets[k].n1, 40.3, 251.6, 100.25, nets[k].sp0,
                                       nets[k].sp1, horiz, 1.0, 0.6);
        g_autofree char *what = g_strdup_printf ("%u→%u %s", nets[k].n0, nets[k].n1,
                                                 horiz ? "horizontal" : "vertical");

        check (what, &b, 300, 300, NULL);
      }
}

static void
test_matches_naive_transforms (void **state)
{
  NnsEdgeBundle b = make_bundle (10, 18, 20.5, 150.25, 90.5, 14.1, 8.3, TRUE, 1.0, 0.6);
  NnsEdgeBundle v = make_bundle (18, 20, 20.5, 150.25, 90.5, 8.0, 7.3, FALSE, 1.5, 0.5);

  check ("10→18 scaled 1.7", &b, 300, 300, setup_scaled);
  check ("10→18 anisotropic", &b, 300, 300, setup_anisotropic);
  check ("10→18 clipped", &b, 300, 300, setup_clip);
  check ("10→18 mirrored", &b, 300, 300, setup_flip);
  check ("18→20 vertical scaled 1.7", &v, 300, 300, setup_scaled);
  check ("18→20 vertical clipped", &v, 300, 300, setup_clip);
}

static void
test_matches_naive_widths (void **state)
{
  NnsEdgeBundle thin = make_bundle (10, 18, 20.5, 250.25, 150, 14.1, 8.3, TRUE, 0.3, 0.9);
  NnsEdgeBundle thick = make_bundle (5, 6, 20.5, 250.25, 150, 40, 30, TRUE, 4.0, 0.5);
  NnsEdgeBundle b10 = make_bundle (10, 18, 20.5, 250.25, 150, 14.1, 8.3, TRUE, 2.5, 0.6);
  NnsEdgeBundle opaque = make_bundle (6, 6, 20.5, 250.25, 150, 30, 30, TRUE, 1.0, 1.0);
  NnsEdgeBundle faint = make_bundle (10, 18, 20.5, 250.25, 150, 14.1, 8.3, TRUE, 2.5, 0.2);
  NnsEdgeBundle three = make_bundle (1, 3, 20.5, 250.25, 150, 0, 2.0, TRUE, 2.5, 0.3);
  NnsEdgeBundle dark = make_bundle (3, 4, 20.5, 250.25, 150, 40, 30, TRUE, 2.5, 0.9);
  NnsEdgeBundle solid = make_bundle (2, 3, 20.5, 250.25, 150, 60, 40, TRUE, 2.5, 1.0);

  /* a deep network's bundles: short and steep, each edge smeared over up to
   * a dozen rows of a pixel column (slopes up to 10) */
  NnsEdgeBundle steep = make_bundle (16, 16, 120.3, 150.6, 150, 17.3, 18.1, TRUE, 1.0, 0.6);
  NnsEdgeBundle steep_v = make_bundle (12, 10, 130.2, 162.8, 150, 21.7, 24.9, FALSE, 1.5, 0.4);

  check ("16→16 steep", &steep, 300, 300, NULL);
  check ("12→10 steep vertical", &steep_v, 300, 300, NULL);
  check ("10→18 width 0.3", &thin, 300, 300, NULL);
  check ("5→6 width 4", &thick, 300, 300, NULL);
  /* bands of up to 32 rows, as in a view zoomed far in (tables of 32 rows) */
  check ("10→18 zoomed 5×", &b10, 300, 300, setup_zoomed);
  /* thicker: two ends' steps of depth through tables */
  check ("10→18 zoomed 12×", &faint, 300, 300, setup_zoomed_12);
  check ("10→18 zoomed 20×", &faint, 300, 300, setup_zoomed_20);
  check ("10→18 zoomed 150×", &faint, 300, 300, setup_zoomed_150);
  /* rows under every band of the bundle at once */
  check ("1→3 zoomed 20×", &three, 300, 300, setup_zoomed_20);
  /* nearly opaque and opaque: a partial row's factor 1 − a·c is far from
   * (1 − a)^c here */
  check ("3→4 zoomed 12×, opacity 0.9", &dark, 300, 300, setup_zoomed_12);
  check ("2→3 opaque zoomed 20×", &solid, 300, 300, setup_zoomed_20);
  /* too steep for the ends' tables: each crossing computed, whole rows counted */
  check ("16→16 steep zoomed 12×", &steep, 300, 300, setup_zoomed_12);
  check ("6→6 opaque", &opaque, 300, 300, NULL);
}

/* Alpha averaged over BLOCK × BLOCK pixel blocks. */
#define BLOCK 6

static void
block_average (cairo_surface_t *s, double *out, int bw, int bh)
{
  const guint8 *p = cairo_image_surface_get_data (s);
  int stride = cairo_image_surface_get_stride (s);

  for (int by = 0; by < bh; by++)
    for (int bx = 0; bx < bw; bx++)
      {
        double sum = 0;

        for (int y = by * BLOCK; y < (by + 1) * BLOCK; y++)
          for (int x = bx * BLOCK; x < (bx + 1) * BLOCK; x++)
            sum += (*(const guint32 *) (p + y * stride + 4 * x) >> 24) / 255.0;
        out[by * bw + bx] = sum / (BLOCK * BLOCK);
      }
}

/* Per-edge stroking, but composited in double precision: each edge's
 * coverage is rasterised by cairo on its own and the pixel keeps
 * Π (1 − a·c). With thousands of faint edges, compositing on 8 bits drifts
 * (about 4 % less ink in the 60 → 40 case); this is the picture that drift
 * hides. Returned as an ARGB32 surface. */
static cairo_surface_t *
draw_reference (const NnsEdgeBundle *b, int w, int h, SetupFunc setup)
{
  cairo_surface_t *cov = cairo_image_surface_create (CAIRO_FORMAT_A8, w, h);
  cairo_surface_t *out = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
  int cs = cairo_image_surface_get_stride (cov), os = cairo_image_surface_get_stride (out);
  g_autofree double *trans = g_new (double, w * h);
  guint8 *cp = cairo_image_surface_get_data (cov), *op = cairo_image_surface_get_data (out);

  for (int k = 0; k < w * h; k++)
    trans[k] = 1;
  for (guint i = 0; i < b->n0; i++)
    for (guint j = 0; j < b->n1; j++)
      {
        cairo_t *cr;

        memset (cp, 0, cs * h);
        cairo_surface_mark_dirty (cov);
        cr = cairo_create (cov);
        if (setup)
          setup (cr);
        cairo_set_line_width (cr, b->line_width);
        cairo_move_to (cr, b->x0 + i * b->dx0, b->y0 + i * b->dy0);
        cairo_line_to (cr, b->x1 + j * b->dx1, b->y1 + j * b->dy1);
        cairo_stroke (cr);
        cairo_destroy (cr);
        cairo_surface_flush (cov);
        for (int y = 0; y < h; y++)
          for (int x = 0; x < w; x++)
            if (cp[y * cs + x])
              trans[y * w + x] *= 1 - b->color.alpha * cp[y * cs + x] / 255.0;
      }
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        guint32 a = (guint32) ((1 - trans[y * w + x]) * 255 + 0.5);

        *(guint32 *) (op + y * os + 4 * x) = a << 24;
      }
  cairo_surface_mark_dirty (out);
  cairo_surface_destroy (cov);
  return out;
}

/* Dense bundles are where the fast path averages the lattice of crossings
 * (its moiré: the naive picture has stripes and holes a pixel wide where
 * crossings line up). Averaged over 6 × 6 pixel blocks the two pictures must
 * agree: same ink in the same places. */
static void
check_dense (const char *what, const NnsEdgeBundle *b, SetupFunc setup)
{
  enum { W = 300, H = 300, BW = W / BLOCK, BH = H / BLOCK };
  cairo_surface_t *fast = draw (b, W, H, setup, TRUE);
  cairo_surface_t *naive = draw_reference (b, W, H, setup);
  g_autofree double *af = g_new (double, BW * BH);
  g_autofree double *an = g_new (double, BW * BH);
  double max = 0, mean = 0, ink_f = 0, ink_n = 0;

  block_average (fast, af, BW, BH);
  block_average (naive, an, BW, BH);
  for (int k = 0; k < BW * BH; k++)
    {
      max = MAX (max, fabs (af[k] - an[k]));
      mean += fabs (af[k] - an[k]) / (BW * BH);
      ink_f += af[k];
      ink_n += an[k];
    }
  cairo_surface_destroy (fast);
  cairo_surface_destroy (naive);
  g_test_message ("%-34s blocks: max %.3f mean %.5f ink %.1f / %.1f", what, max, mean, ink_f,
                  ink_n);
  if (g_getenv ("NNS_TEST_VERBOSE"))
    g_printerr ("%-34s blocks: max %.3f mean %.5f ink %.1f / %.1f\n", what, max, mean, ink_f,
                ink_n);
  assert_true (ink_n > 10);
  assert_true (max <= DENSE_MAX_TOLERANCE);
  assert_true (mean <= DENSE_MEAN_TOLERANCE);
  assert_true (fabs (ink_f - ink_n) <= 0.03 * ink_n);
}

static void
test_matches_naive_dense (void **state)
{
  NnsEdgeBundle h = make_bundle (60, 40, 10.5, 290.5, 150, 4.6, 7.0, TRUE, 1.0, 0.05);
  NnsEdgeBundle v = make_bundle (90, 70, 10.5, 290.5, 150, 3.1, 4.0, FALSE, 1.0, 0.02);
  NnsEdgeBundle fan = make_bundle (120, 3, 10.5, 290.5, 150, 2.3, 60, TRUE, 1.0, 0.1);

  check_dense ("60→40 dense", &h, NULL);
  check_dense ("90→70 dense vertical", &v, NULL);
  check_dense ("90→70 dense scaled", &v, setup_scaled);
  check_dense ("120→3 fans", &fan, NULL);
}

/* Edge opacity follows density: never above the base, falling as edges
 * per unit of span grow, and such that the densest part of a bundle ends
 * up at 0.75 (1 − (1 − a)^(2d) with d = n0·n1·w / span). */
static void
test_density_opacity (void **state)
{
  double prev = 1.0;

  /* sparse bundles keep the base opacity */
  assert_true (fabs (nns_edges_density_opacity (8, 4, 400, 1, 0.6) - 0.6) < 1e-12);
  assert_true (fabs (nns_edges_density_opacity (3, 4, 400, 1, 0.3) - 0.3) < 1e-12);
  /* degenerate input: the base, clamped */
  assert_true (fabs (nns_edges_density_opacity (0, 4, 400, 1, 0.5) - 0.5) < 1e-12);
  assert_true (fabs (nns_edges_density_opacity (10, 10, 0, 1, 0.5)
                     - nns_edges_density_opacity (10, 10, 1, 1, 0.5)) < 1e-12);
  assert_true (nns_edges_density_opacity (10, 10, 100, NAN, 2.0) == 1.0);

  /* monotonic in the number of edges, the width and the inverse span */
  for (guint n = 1; n <= 2048; n *= 2)
    {
      double a = nns_edges_density_opacity (n, n, 880, 1, 0.8);

      assert_true (a <= prev + 1e-15);
      assert_true (a > 0);
      prev = a;
    }
  assert_true (nns_edges_density_opacity (784, 256, 880, 2, 1)
               < nns_edges_density_opacity (784, 256, 880, 1, 1));
  assert_true (nns_edges_density_opacity (784, 256, 400, 1, 1)
               < nns_edges_density_opacity (784, 256, 880, 1, 1));

  /* the MNIST input bundle: the densest part reaches 0.75 */
  {
    double a = nns_edges_density_opacity (784, 256, 880, 1, 1);
    double d = 2.0 * 784 * 256 / 880;

    assert_true (fabs (1 - pow (1 - a, d) - 0.75) < 1e-9);
    assert_true (a < 0.01);
  }
}

/* The rule in pictures: a dense bundle drawn with the density opacity is
 * shading, not a solid block — its middle is darker than its edges and
 * nowhere opaque. */
static void
test_density_picture (void **state)
{
  NnsEdgeBundle b = make_bundle (200, 120, 10.5, 290.5, 150, 1.4, 2.3, TRUE, 1.0, 1.0);
  cairo_surface_t *s;
  const guint8 *p;
  int stride;
  double centre, rim, max = 0;

  b.color.alpha = nns_edges_density_opacity (200, 120, 280, 1.0, 1.0);
  s = draw (&b, 300, 300, NULL, TRUE);
  p = cairo_image_surface_get_data (s);
  stride = cairo_image_surface_get_stride (s);
  for (int y = 0; y < 300; y++)
    for (int x = 20; x < 280; x++)
      max = MAX (max, (*(const guint32 *) (p + y * stride + 4 * x) >> 24) / 255.0);
  centre = (*(const guint32 *) (p + 150 * stride + 4 * 150) >> 24) / 255.0;
  rim = (*(const guint32 *) (p + 90 * stride + 4 * 150) >> 24) / 255.0;
  g_test_message ("density picture: centre %.3f rim %.3f max %.3f", centre, rim, max);
  assert_true (max < 0.9);
  assert_true (centre > 0.6);
  assert_true (rim < centre - 0.1);
  assert_true (rim > 0.02);
  cairo_surface_destroy (s);
}

static void
draw_both_ways (const NnsEdgeBundle *b, SetupFunc setup)
{
  cairo_surface_t *s = draw (b, 120, 90, setup, TRUE);

  cairo_surface_destroy (s);
  s = draw (b, 120, 90, setup, FALSE);
  cairo_surface_destroy (s);
}

static double
ink_of (const NnsEdgeBundle *b, SetupFunc setup)
{
  cairo_surface_t *s = draw (b, 300, 300, setup, TRUE);
  const guint8 *p = cairo_image_surface_get_data (s);
  int stride = cairo_image_surface_get_stride (s);
  double ink = 0;

  for (int y = 0; y < 300; y++)
    for (int x = 0; x < 300; x++)
      ink += (*(const guint32 *) (p + y * stride + 4 * x) >> 24) / 255.0;
  cairo_surface_destroy (s);
  return ink;
}

static void
setup_zoom (cairo_t *cr)
{
  cairo_translate (cr, -5000, -3000);
  cairo_scale (cr, 40, 40);
}

static void
setup_rotate (cairo_t *cr)
{
  cairo_translate (cr, 150, 0);
  cairo_rotate (cr, 0.3);
}

static void
test_degenerate (void **state)
{
  NnsEdgeBundle b = make_bundle (10, 18, 20.5, 150.25, 90.5, 14.1, 8.3, TRUE, 1.0, 0.6);
  NnsEdgeBundle z;

  /* nothing to draw: no ink, no error */
  z = b, z.n0 = 0;
  assert_true (ink_of (&z, NULL) == 0);
  z = b, z.n1 = 0;
  assert_true (ink_of (&z, NULL) == 0);
  z = b, z.line_width = 0;
  assert_true (ink_of (&z, NULL) == 0);
  z = b, z.line_width = -3;
  assert_true (ink_of (&z, NULL) == 0);
  z = b, z.color.alpha = 0;
  assert_true (ink_of (&z, NULL) == 0);
  z = b, z.x0 = NAN;
  assert_true (ink_of (&z, NULL) == 0);
  z = b, z.dy1 = INFINITY;
  assert_true (ink_of (&z, NULL) == 0);

  /* odd geometry is drawn (by whichever path), without crashing */
  z = b, z.n0 = 1, z.n1 = 1;
  check ("single edge", &z, 300, 300, NULL);
  z = b, z.x1 = z.x0;                      /* zero length across */
  draw_both_ways (&z, NULL);
  z = b, z.x1 = z.x0 + 0.2;                /* almost vertical */
  draw_both_ways (&z, NULL);
  z = b, z.dy0 = 0, z.dy1 = 0;             /* all neurons on one spot */
  draw_both_ways (&z, NULL);
  z = b, z.y1 = z.y0, z.dy1 = z.dy0, z.n1 = z.n0;  /* parallel horizontal edges */
  check ("parallel edges", &z, 300, 300, NULL);
  z = b, z.line_width = 500;               /* huge line width */
  draw_both_ways (&z, NULL);
  z = b, z.x0 = -1e6, z.x1 = 1e6, z.y0 = -1e7; /* far outside the surface */
  draw_both_ways (&z, NULL);
  z = b, z.x0 = 1e12, z.x1 = 1e12 + 5;
  draw_both_ways (&z, NULL);
  z = b, z.dx0 = 3;                        /* columns not straight: per edge */
  check ("slanted column", &z, 300, 300, NULL);
  check ("rotated matrix", &b, 300, 300, setup_rotate);

  /* a big bundle zoomed far in draws only what the clip shows, quickly */
  {
    NnsEdgeBundle big = make_bundle (1000, 1000, 10, 400, 450, 0.88, 0.88, TRUE, 1.0, 0.002);
    gint64 t0 = g_get_monotonic_time ();
    double ink = ink_of (&big, setup_zoom);

    assert_true (ink > 100);
    assert_true (g_get_monotonic_time () - t0 < 2 * G_USEC_PER_SEC);
  }
}

static cairo_status_t
append_bytes (void *closure, const unsigned char *data, unsigned int length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static GByteArray *
draw_svg (const NnsEdgeBundle *b)
{
  GByteArray *bytes = g_byte_array_new ();
  cairo_surface_t *s = cairo_svg_surface_create_for_stream (append_bytes, bytes, 300, 300);
  cairo_t *cr = cairo_create (s);

  nns_edges_draw_bundle (cr, b);
  assert_int_equal (cairo_status (cr), CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_finish (s);
  cairo_surface_destroy (s);
  g_byte_array_append (bytes, (const guint8 *) "", 1);
  return bytes;
}

static guint
count (const char *text, const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (text, needle); p; p = strstr (p + 1, needle))
    n++;
  return n;
}

/* SVG and PDF: real lines for small bundles, vector shading (gradients, no
 * image) for big ones (so the MNIST network's SVG stays small). */
static void
test_vector_targets (void **state)
{
  NnsEdgeBundle small = make_bundle (10, 18, 20.5, 250.25, 150, 14.1, 8.3, TRUE, 1.0, 0.6);
  NnsEdgeBundle big = make_bundle (300, 200, 20.5, 250.25, 150, 0.9, 1.3, TRUE, 1.0, 0.01);
  g_autoptr (GByteArray) a = draw_svg (&small);
  g_autoptr (GByteArray) b = draw_svg (&big);

  /* one path per edge, no image */
  assert_true (count ((const char *) a->data, "<path") >= 180);
  assert_int_equal (count ((const char *) a->data, "<image"), 0);
  /* gradients, no image, not a path per edge (60,000), and small */
  assert_int_equal (count ((const char *) b->data, "<image"), 0);
  assert_true (count ((const char *) b->data, "<linearGradient") >= 10);
  assert_true (count ((const char *) b->data, "<path") <= 500);
  assert_true (b->len < 400 * 1024);

  /* PDF: shading too, no image XObject, and the file stays small */
  {
    g_autoptr (GByteArray) bytes = g_byte_array_new ();
    cairo_surface_t *s = cairo_pdf_surface_create_for_stream (append_bytes, bytes, 300, 300);
    cairo_t *cr = cairo_create (s);

    nns_edges_draw_bundle (cr, &big);
    cairo_destroy (cr);
    cairo_surface_finish (s);
    cairo_surface_destroy (s);
    assert_true (bytes->len > 1000);
    assert_true (bytes->len < 512 * 1024);
    assert_null (memmem (bytes->data, bytes->len, "/Subtype /Image", 15));
    assert_non_null (memmem (bytes->data, bytes->len, "/ShadingType", 12));
  }

  /* the rasterised bundle looks like the image-surface one */
  {
    cairo_surface_t *img = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 300, 300);
    cairo_surface_t *rec = cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA, NULL);
    cairo_t *cr = cairo_create (rec);
    double i_rec = 0, i_img;

    nns_edges_draw_bundle (cr, &big);
    cairo_destroy (cr);
    cr = cairo_create (img);
    cairo_set_source_surface (cr, rec, 0, 0);
    cairo_paint (cr);
    cairo_destroy (cr);
    cairo_surface_flush (img);
    for (int y = 0; y < 300; y++)
      for (int x = 0; x < 300; x++)
        i_rec += (*(const guint32 *) (cairo_image_surface_get_data (img)
                                      + y * cairo_image_surface_get_stride (img) + 4 * x) >> 24)
                 / 255.0;
    i_img = ink_of (&big, NULL);
    assert_true (fabs (i_rec - i_img) < 0.02 * i_img);
    cairo_surface_destroy (img);
    cairo_surface_destroy (rec);
  }
}

/* NNS_NAIVE_EDGES's programmatic twin: the fast entry point then strokes
 * edge by edge, pixel for pixel like the reference. */
static void
test_force_naive (void **state)
{
  NnsEdgeBundle b = make_bundle (10, 18, 20.5, 150.25, 90.5, 14.1, 8.3, TRUE, 1.0, 0.6);
  cairo_surface_t *n = draw (&b, 200, 200, NULL, FALSE);
  cairo_surface_t *f;

  nns_edges_set_force_naive (TRUE);
  f = draw (&b, 200, 200, NULL, TRUE);
  nns_edges_set_force_naive (FALSE);
  assert_memory_equal (cairo_image_surface_get_data (n), cairo_image_surface_get_data (f),
                       cairo_image_surface_get_stride (n) * 200);
  cairo_surface_destroy (f);
  f = draw (&b, 200, 200, NULL, TRUE);
  assert_memory_not_equal (cairo_image_surface_get_data (n), cairo_image_surface_get_data (f),
                           cairo_image_surface_get_stride (n) * 200);
  cairo_surface_destroy (f);
  cairo_surface_destroy (n);
}

/* A deep network's bundles are alike: the crossing tables built once the
 * columns drawn in one shape reach 128 are kept for the next bundles of that
 * shape (at other places, fractional ones), and for the next frame; the
 * pictures stay those of per-edge stroking. A bundle of another shape after
 * them gets its own. */
static void
test_kept_profiles (void **state)
{
  nns_edges_forget ();
  for (int frame = 0; frame < 2; frame++)
    for (guint k = 0; k < 9; k++)
      {
        /* 16 → 16 over 30 px, slopes up to 3.2 (the 32 layers of 16), then
         * one of more spread */
        double sp = k == 8 ? 7.7 : 6.9;
        NnsEdgeBundle b = make_bundle (16, 16, 10.37 + 33.61 * (k % 8), 40.57 + 33.61 * (k % 8),
                                       150.3, sp, sp, TRUE, 0.8, 0.75);
        Diff d = compare (&b, 320, 300, NULL);

        g_test_message ("frame %d bundle %u: max %.3f mean %.5f", frame, k, d.max_diff,
                        d.mean_diff);
        assert_true (d.ink_fast > 100);
        assert_true (d.max_diff <= MAX_TOLERANCE);
        assert_true (d.mean_diff <= MEAN_TOLERANCE);
      }
  nns_edges_forget ();
  (void) state;
}

/* Bundles of many columns are drawn with helper threads when the machine has
 * more than one core: pixel for pixel what the calling thread alone draws
 * (exact, tabulated, dense and end columns; either orientation; clipped). */
static void
test_threads_same_picture (void **state)
{
  const NnsEdgeBundle bundles[] = {
    make_bundle (128, 10, 10.5, 590.5, 300, 4.4, 30.2, TRUE, 1.0, 0.35),   /* tabulated */
    make_bundle (300, 200, 12.25, 588.5, 300, 1.9, 2.7, TRUE, 0.5, 0.01),  /* dense */
    make_bundle (16, 16, 20.5, 580.5, 300, 30.1, 33.3, FALSE, 1.0, 0.8),   /* exact, vertical */
    make_bundle (60, 40, 10.5, 590.5, 300, 9.2, 14.0, TRUE, 2.0, 0.05),
  };
  guint before = nns_edges_get_helped_columns ();

  for (guint k = 0; k < G_N_ELEMENTS (bundles); k++)
    for (int clip = 0; clip < 2; clip++)
      {
        SetupFunc setup = clip ? setup_clip : NULL;
        cairo_surface_t *many, *one;

        many = draw (&bundles[k], 600, 600, setup, TRUE);
        nns_edges_set_single_thread (TRUE);
        one = draw (&bundles[k], 600, 600, setup, TRUE);
        nns_edges_set_single_thread (FALSE);
        assert_memory_equal (cairo_image_surface_get_data (many), cairo_image_surface_get_data (one),
                             cairo_image_surface_get_stride (one) * 600);
        cairo_surface_destroy (many);
        cairo_surface_destroy (one);
      }
  /* the helpers really drew (a helper starts within a fraction of the
   * milliseconds these bundles take) */
  if (g_get_num_processors () > 1)
    assert_true (nns_edges_get_helped_columns () > before);
  (void) state;
}

/* A batch draws what its bundles drawn one by one on one thread draw, pixel
 * for pixel, in the same order: a deep network's narrow bundles (whose
 * columns are shared out across bundles, a chunk spanning two), in two
 * colours that overlap where they meet, with a bundle the fast path declines
 * (a steep small one, stroked edge by edge) in the middle, and one outside
 * the clip. */
static void
test_batch_same_picture (void **state)
{
  NnsEdgeBundle bundles[12];
  guint n = 0;

  for (guint k = 0; k < 10; k++, n++)
    {
      bundles[n] = make_bundle (16, 16, 10.37 + 29.3 * k, 39.67 + 29.3 * k, 150.3, 6.9, 6.9, TRUE,
                                0.8, 0.75);
      if (k % 2)
        bundles[n].color = (NnsColor) { 0.8, 0.3, 0.1, 0.6 };
      if (k == 4)
        bundles[++n] = make_bundle (3, 3, 160.2, 162.1, 150.3, 40, 35, TRUE, 1.0, 0.9);
    }
  bundles[n++] = make_bundle (16, 16, 900.5, 950.5, 150.3, 6.9, 6.9, TRUE, 0.8, 0.75);

  for (int clip = 0; clip < 2; clip++)
    {
      cairo_surface_t *batched = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 320, 300);
      cairo_surface_t *alone = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 320, 300);
      cairo_t *cr = cairo_create (batched);
      NnsEdgeBatch *batch;

      if (clip)
        setup_clip (cr);
      batch = nns_edges_batch_new (cr);
      for (guint k = 0; k < n; k++)
        nns_edges_batch_add (batch, &bundles[k]);
      nns_edges_batch_free (batch);
      assert_int_equal (cairo_status (cr), CAIRO_STATUS_SUCCESS);
      cairo_destroy (cr);

      nns_edges_set_single_thread (TRUE);
      cr = cairo_create (alone);
      if (clip)
        setup_clip (cr);
      for (guint k = 0; k < n; k++)
        nns_edges_draw_bundle (cr, &bundles[k]);
      cairo_destroy (cr);
      nns_edges_set_single_thread (FALSE);

      cairo_surface_flush (batched);
      cairo_surface_flush (alone);
      assert_memory_equal (cairo_image_surface_get_data (batched),
                           cairo_image_surface_get_data (alone),
                           cairo_image_surface_get_stride (alone) * 300);
      {
        /* and it drew something */
        const guint8 *p = cairo_image_surface_get_data (alone);
        guint inked = 0;

        for (int i = 0; i < cairo_image_surface_get_stride (alone) * 300; i += 4)
          inked += p[i + 3] > 0;
        assert_true (inked > (clip ? 3000u : 20000u));
      }
      cairo_surface_destroy (batched);
      cairo_surface_destroy (alone);
    }
  (void) state;
}

/* Masks past the batch's memory limit are drawn before more are queued:
 * three bundles over a 6000 × 3000 image (18 MB of mask each) come out as
 * drawn one by one. */
static void
test_batch_big_masks (void **state)
{
  const int w = 6000, h = 3000;
  const NnsEdgeBundle bundles[] = {
    make_bundle (100, 120, 10.5, 5990.5, 1500, 29.1, 24.7, TRUE, 1.0, 0.05),
    make_bundle (80, 60, 20.5, 5980.5, 1500, 36.3, 48.1, TRUE, 2.0, 0.08),
    make_bundle (30, 40, 5.5, 5995.5, 1500, 97.7, 71.3, TRUE, 1.0, 0.3),
  };
  cairo_surface_t *batched = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
  cairo_surface_t *alone = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
  cairo_t *cr = cairo_create (batched);
  NnsEdgeBatch *batch = nns_edges_batch_new (cr);

  for (guint k = 0; k < G_N_ELEMENTS (bundles); k++)
    nns_edges_batch_add (batch, &bundles[k]);
  nns_edges_batch_free (batch);
  cairo_destroy (cr);
  cr = cairo_create (alone);
  for (guint k = 0; k < G_N_ELEMENTS (bundles); k++)
    nns_edges_draw_bundle (cr, &bundles[k]);
  cairo_destroy (cr);
  cairo_surface_flush (batched);
  cairo_surface_flush (alone);
  assert_memory_equal (cairo_image_surface_get_data (batched), cairo_image_surface_get_data (alone),
                       (gsize) cairo_image_surface_get_stride (alone) * h);
  cairo_surface_destroy (batched);
  cairo_surface_destroy (alone);
  (void) state;
}

/* A fan (the selected neuron's edges) drawn into one mask looks like one
 * cairo stroke of its lines: the same ink within 3 %, the same pixels within
 * a few levels but where many lines cross; on a vector surface it declines. */
static void
test_fan (void **state)
{
  double xy[2 * 460];
  guint n = 0;
  NnsColor color = { 0.2, 0.4, 0.9, 1 };
  static const double zooms[] = { 1.0, 1.3, 0.7 };

  /* sparse ends (lines), and a dense run (a wedge) */
  for (guint i = 0; i < 40; i++, n++)
    xy[2 * n] = 20, xy[2 * n + 1] = 10 + i * 9.7;
  for (guint i = 0; i < 20; i++, n++)
    xy[2 * n] = 380 - i * 7, xy[2 * n + 1] = 390 - i * 3;
  for (guint i = 0; i < 400; i++, n++)
    xy[2 * n] = 400, xy[2 * n + 1] = 20 + i * 0.6;
  for (guint z = 0; z < G_N_ELEMENTS (zooms); z++)
    {
      cairo_surface_t *s[2];
      const guint8 *a, *b;
      int w = 420, h = 420, stride, far = 0;
      double sum = 0, ink[2] = { 0, 0 };

      for (int k = 0; k < 2; k++)
        {
          cairo_t *cr;

          s[k] = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
          cr = cairo_create (s[k]);
          cairo_scale (cr, zooms[z], zooms[z]);
          cairo_translate (cr, 3.3, 1.6);
          if (k == 0)
            assert_true (nns_edges_draw_fan (cr, 150.3, 160.7, xy, n, 2, &color));
          else
            {
              cairo_set_source_rgb (cr, color.red, color.green, color.blue);
              cairo_set_line_width (cr, 2);
              for (guint i = 0; i < n; i++)
                {
                  cairo_move_to (cr, 150.3, 160.7);
                  cairo_line_to (cr, xy[2 * i], xy[2 * i + 1]);
                }
              cairo_stroke (cr);
            }
          cairo_destroy (cr);
          cairo_surface_flush (s[k]);
        }
      a = cairo_image_surface_get_data (s[0]);
      b = cairo_image_surface_get_data (s[1]);
      stride = cairo_image_surface_get_stride (s[0]);
      for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
          {
            int pa = a[y * stride + 4 * x + 3], pb = b[y * stride + 4 * x + 3];

            sum += abs (pa - pb);
            far += abs (pa - pb) > 32;
            ink[0] += pa;
            ink[1] += pb;
          }
      /* Where lines cross the mask keeps the larger cover, a stroke the
       * union: a little less ink near the meeting point. */
      if (sum / (w * h) > 1.5 || far > w * h / 100 || fabs (ink[0] / ink[1] - 1) > 0.03)
        fail_msg ("zoom %g: mean difference %.3f, %d pixels off by more than 32, ink %.0f vs %.0f",
                  zooms[z], sum / (w * h), far, ink[0], ink[1]);
      cairo_surface_destroy (s[0]);
      cairo_surface_destroy (s[1]);
    }
  {
    cairo_surface_t *svg = cairo_svg_surface_create_for_stream (NULL, NULL, 100, 100);
    cairo_t *cr = cairo_create (svg);

    assert_false (nns_edges_draw_fan (cr, 10, 10, xy, n, 2, &color));
    cairo_destroy (cr);
    cairo_surface_destroy (svg);
  }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_matches_naive_small),
    cmocka_unit_test (test_matches_naive_transforms),
    cmocka_unit_test (test_matches_naive_widths),
    cmocka_unit_test (test_matches_naive_dense),
    cmocka_unit_test (test_density_opacity),
    cmocka_unit_test (test_density_picture),
    cmocka_unit_test (test_degenerate),
    cmocka_unit_test (test_vector_targets),
    cmocka_unit_test (test_force_naive),
    cmocka_unit_test (test_fan),
    cmocka_unit_test (test_threads_same_picture),
    cmocka_unit_test (test_kept_profiles),
    cmocka_unit_test (test_batch_same_picture),
    cmocka_unit_test (test_batch_big_masks),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
