/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-features"

/* Each drawing feature a style option turns on, seen in the pixels the one
 * renderer draws: each test fails when its feature is taken out. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <math.h>

#include "nns-render.h"

typedef struct
{
  cairo_surface_t *surface;
  NnsLayout       *layout;
} Picture;

static void
picture_clear (Picture *p)
{
  cairo_surface_destroy (p->surface);
  nns_layout_free (p->layout);
}

/* A plain style: white background, no labels, wide edges so a sample on an
 * edge's centre line is ink. */
static void
plain_style (NnsStyle *style)
{
  nns_style_init_default (style);
  style->show_labels = FALSE;
  style->edge_width = 3;
  style->edge_opacity = 1;
}

static Picture
draw (const guint *widths, guint n, const NnsStyle *style)
{
  g_autoptr (NnsNetwork) network = nns_network_new (widths, n, NULL);
  NnsRenderOptions options = { TRUE, NULL };
  Picture p;
  cairo_t *cr;

  assert_non_null (network);
  p.layout = nns_layout_new (network, style, 0, 0);
  p.surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24,
                                          (int) ceil (nns_layout_get_width (p.layout)),
                                          (int) ceil (nns_layout_get_height (p.layout)));
  cr = cairo_create (p.surface);
  nns_render (cr, network, p.layout, style, &options);
  cairo_destroy (cr);
  cairo_surface_flush (p.surface);
  return p;
}

static guint32
pixel (const Picture *p, double x, double y)
{
  int ix = (int) floor (x), iy = (int) floor (y);
  int w = cairo_image_surface_get_width (p->surface);
  int h = cairo_image_surface_get_height (p->surface);
  const guchar *data = cairo_image_surface_get_data (p->surface);

  if (ix < 0 || iy < 0 || ix >= w || iy >= h)
    return 0xffffff;
  return *(const guint32 *) (data + iy * cairo_image_surface_get_stride (p->surface) + 4 * ix)
         & 0xffffff;
}

/* Clearly not the white background. */
static gboolean
is_ink (guint32 rgb)
{
  return ((rgb >> 16) & 0xff) < 0xd0 || ((rgb >> 8) & 0xff) < 0xd0 || (rgb & 0xff) < 0xd0;
}

static guint
count_ink (const Picture *p, double x0, double y0, double x1, double y1)
{
  guint n = 0;

  for (double y = y0; y < y1; y++)
    for (double x = x0; x < x1; x++)
      n += is_ink (pixel (p, x, y));
  return n;
}

/* Bézier edges leave the straight line between their ends: a quarter of the
 * way along it is ink for a straight edge and empty for the curve. */
static void
test_bezier (void **state)
{
  const guint widths[] = { 1, 3 };
  NnsStyle style;
  NnsNode from, to;
  Picture straight, curved;
  double qx, qy;

  plain_style (&style);
  straight = draw (widths, 2, &style);
  style.edge_shape = NNS_EDGE_BEZIER;
  curved = draw (widths, 2, &style);

  assert_true (nns_layout_get_node (straight.layout, 0, 0, &from));
  assert_true (nns_layout_get_node (straight.layout, 1, 0, &to));
  assert_true (fabs (from.y - to.y) > 20);   /* a slanted edge */
  qx = from.x + 0.25 * (to.x - from.x);
  qy = from.y + 0.25 * (to.y - from.y);
  assert_true (is_ink (pixel (&straight, qx, qy)));
  assert_false (is_ink (pixel (&curved, qx, qy)));
  /* The curve is drawn, off the line: as much ink, elsewhere. */
  assert_true (count_ink (&curved, from.x + 20, 0, to.x - 20,
                          cairo_image_surface_get_height (curved.surface)) > 100);
  picture_clear (&straight);
  picture_clear (&curved);
}

/* Arrowheads: ink just before each target neuron that a bare edge lacks. */
static void
test_arrowheads (void **state)
{
  const guint widths[] = { 1, 1 };
  NnsStyle style;
  NnsNode to;
  Picture bare, arrows;
  double r;
  guint n_bare, n_arrows;

  plain_style (&style);
  bare = draw (widths, 2, &style);
  style.arrowheads = TRUE;
  arrows = draw (widths, 2, &style);
  assert_true (nns_layout_get_node (bare.layout, 1, 0, &to));
  r = nns_layout_get_radius (bare.layout);
  /* Bands above and below the edge's end, outside its 3 px width: only a
   * head is that wide. */
  n_bare = count_ink (&bare, to.x - r - 12, to.y + 2.5, to.x - r, to.y + 7)
           + count_ink (&bare, to.x - r - 12, to.y - 7, to.x - r, to.y - 2.5);
  n_arrows = count_ink (&arrows, to.x - r - 12, to.y + 2.5, to.x - r, to.y + 7)
             + count_ink (&arrows, to.x - r - 12, to.y - 7, to.x - r, to.y - 2.5);
  if (n_arrows < n_bare + 8)
    fail_msg ("arrowheads add %u ink pixels to %u", n_arrows - n_bare, n_bare);
  picture_clear (&bare);
  picture_clear (&arrows);
}

/* A collapsed column draws dots in the gap between its two groups. */
static void
test_ellipsis_dots (void **state)
{
  const guint widths[] = { 40, 1 };
  NnsStyle style;
  Picture p;
  double x, y, dx, dy;

  plain_style (&style);
  style.edge_width = 0.5;
  p = draw (widths, 2, &style);
  assert_true (nns_layout_is_collapsed (p.layout, 0));
  assert_true (nns_layout_get_ellipsis (p.layout, 0, &x, &y, &dx, &dy));
  /* The middle dot, and empty space between the dots. */
  assert_true (count_ink (&p, x - 2, y - 2, x + 2, y + 2) >= 8);
  picture_clear (&p);

  /* Drawn in full, there is no gap and no ellipsis. */
  style.show_all_neurons = TRUE;
  p = draw (widths, 2, &style);
  assert_false (nns_layout_get_ellipsis (p.layout, 0, &x, &y, &dx, &dy));
  picture_clear (&p);
}

/* Bias nodes: a "+1" node after each column whose next layer has a bias. */
static void
test_bias_nodes (void **state)
{
  const guint widths[] = { 2, 2 };
  NnsStyle style;
  NnsNode bias;
  Picture without, with;
  double r;
  guint n_without, n_with;

  plain_style (&style);
  style.show_bias_nodes = TRUE;
  with = draw (widths, 2, &style);
  assert_true (nns_layout_get_bias_node (with.layout, 0, &bias));
  r = nns_layout_get_radius (with.layout);
  style.show_bias_nodes = FALSE;
  without = draw (widths, 2, &style);
  /* The node's left half: its edges leave to the right. */
  n_with = count_ink (&with, bias.x - r - 1, bias.y - r - 1, bias.x - 2, bias.y + r + 1);
  n_without = count_ink (&without, bias.x - r - 1, bias.y - r - 1, bias.x - 2, bias.y + r + 1);
  if (n_with < n_without + 30)
    fail_msg ("the bias node adds %u ink pixels to %u", n_with - n_without, n_without);
  picture_clear (&with);
  picture_clear (&without);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_bezier),
    cmocka_unit_test (test_arrowheads),
    cmocka_unit_test (test_ellipsis_dots),
    cmocka_unit_test (test_bias_nodes),
  };

  int failed = cmocka_run_group_tests (tests, NULL, NULL);

  /* Let LeakSanitizer see only our own leaks, not cairo's and fontconfig's caches. */
  cairo_debug_reset_static_data ();
  FcFini ();
  return failed;
}
