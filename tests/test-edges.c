/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-edges"

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
  NnsEdgeBundle opaque = make_bundle (6, 6, 20.5, 250.25, 150, 30, 30, TRUE, 1.0, 1.0);

  check ("10→18 width 0.3", &thin, 300, 300, NULL);
  check ("5→6 width 4", &thick, 300, 300, NULL);
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

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_matches_naive_small),
    cmocka_unit_test (test_matches_naive_transforms),
    cmocka_unit_test (test_matches_naive_widths),
    cmocka_unit_test (test_matches_naive_dense),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
