/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-render"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fontconfig/fontconfig.h>
#include <math.h>

#include "nns-render.h"
#include "nns-render-private.h"

typedef struct
{
  int r, g, b, a;   /* 0 … 255, not premultiplied */
} Pixel;

static NnsNetwork *
net (const char *widths)
{
  g_autoptr (GError) error = NULL;
  NnsNetwork *network = nns_network_new_from_string (widths, &error);

  assert_null (error);
  return network;
}

static cairo_surface_t *
render (NnsNetwork *network, const NnsLayout *layout, const NnsStyle *style,
        gboolean background, const NnsSelection *selection)
{
  NnsRenderOptions options = { background, selection };
  cairo_surface_t *surface =
    cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) ceil (nns_layout_get_width (layout)),
                                (int) ceil (nns_layout_get_height (layout)));
  cairo_t *cr = cairo_create (surface);

  nns_render (cr, network, layout, style, &options);
  assert_int_equal (cairo_status (cr), CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  return surface;
}

static Pixel
pixel_at (cairo_surface_t *surface, double x, double y)
{
  int ix = (int) floor (x), iy = (int) floor (y);
  const guint8 *data = cairo_image_surface_get_data (surface);
  guint32 v;
  Pixel p;

  assert_true (ix >= 0 && ix < cairo_image_surface_get_width (surface));
  assert_true (iy >= 0 && iy < cairo_image_surface_get_height (surface));
  v = *(const guint32 *) (data + iy * cairo_image_surface_get_stride (surface) + ix * 4);
  p.a = v >> 24;
  p.r = (v >> 16) & 0xff;
  p.g = (v >> 8) & 0xff;
  p.b = v & 0xff;
  if (p.a > 0 && p.a < 255)
    {
      p.r = p.r * 255 / p.a;
      p.g = p.g * 255 / p.a;
      p.b = p.b * 255 / p.a;
    }
  return p;
}

static int
byte (double v)
{
  return (int) lround (v * 255);
}

/* Within tol of the colour in every channel, and opaque. */
static void
assert_pixel (Pixel p, const NnsColor *c, int tol)
{
  if (abs (p.r - byte (c->red)) > tol || abs (p.g - byte (c->green)) > tol ||
      abs (p.b - byte (c->blue)) > tol || p.a != 255)
    fail_msg ("pixel (%d, %d, %d, %d), expected (%d, %d, %d, 255) ± %d", p.r, p.g, p.b, p.a,
              byte (c->red), byte (c->green), byte (c->blue), tol);
}

static void
test_node_fill_and_background (void **state)
{
  g_autoptr (NnsNetwork) network = net ("10,18,20,5");
  g_autoptr (NnsLayout) layout = NULL;
  cairo_surface_t *surface;
  NnsStyle style;
  NnsPalette palette;
  NnsNode node;

  for (int theme = 0; theme <= 1; theme++)
    {
      nns_style_init_default (&style);
      style.theme = theme ? NNS_THEME_DARK : NNS_THEME_LIGHT;
      nns_style_get_palette (&style, &palette);
      layout = nns_layout_new (network, &style, 0, 0);
      surface = render (network, layout, &style, TRUE, NULL);

      /* Every drawn neuron's centre has the node fill. */
      for (guint c = 0; c < nns_layout_get_n_columns (layout); c++)
        for (guint i = 0; i < nns_layout_get_n_drawn (layout, c); i++)
          {
            nns_layout_get_drawn_node (layout, c, i, &node);
            assert_pixel (pixel_at (surface, node.x, node.y), &palette.node_fill, 1);
          }
      /* The corners are the theme's background. */
      assert_pixel (pixel_at (surface, 1, 1), &palette.background, 0);
      assert_pixel (pixel_at (surface, nns_layout_get_width (layout) - 1,
                              nns_layout_get_height (layout) - 1),
                    &palette.background, 0);
      if (theme)
        {
          Pixel p = pixel_at (surface, 1, 1);

          /* GNOME dark, #242424. */
          assert_int_equal (p.r, 0x24);
          assert_int_equal (p.g, 0x24);
          assert_int_equal (p.b, 0x24);
        }
      else
        {
          Pixel p = pixel_at (surface, 1, 1);

          assert_true (p.r >= 250 && p.g >= 250 && p.b >= 250);
        }
      cairo_surface_destroy (surface);
      nns_layout_free (g_steal_pointer (&layout));
    }
}

/* A view zoomed far in: neurons far bigger than the dot masks take, drawn
 * by cairo; each keeps its fill inside and its border ring around it. */
static void
test_big_discs (void **state)
{
  g_autoptr (NnsNetwork) network = net ("2,3,2");
  g_autoptr (NnsLayout) layout = NULL;
  const double k = 12;
  NnsStyle style;
  NnsPalette palette;
  NnsNode node;

  for (int theme = 0; theme <= 1; theme++)
    {
      NnsRenderOptions options = { TRUE, NULL };
      cairo_surface_t *surface;
      cairo_t *cr;
      double ring;

      nns_style_init_default (&style);
      style.theme = theme ? NNS_THEME_DARK : NNS_THEME_LIGHT;
      nns_style_get_palette (&style, &palette);
      layout = nns_layout_new (network, &style, 0, 0);
      surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32,
                                            (int) ceil (k * nns_layout_get_width (layout)),
                                            (int) ceil (k * nns_layout_get_height (layout)));
      cr = cairo_create (surface);
      cairo_scale (cr, k, k);
      nns_render (cr, network, layout, &style, &options);
      cairo_destroy (cr);
      cairo_surface_flush (surface);

      for (guint c = 0; c < nns_layout_get_n_columns (layout); c++)
        for (guint i = 0; i < nns_layout_get_n_drawn (layout, c); i++)
          {
            nns_layout_get_drawn_node (layout, c, i, &node);
            /* the ring's middle: the border lies inside the radius */
            ring = node.radius - MIN (style.node_border_width, node.radius * 0.4) / 2;
            assert_true (k * node.radius > 48);
            assert_pixel (pixel_at (surface, k * node.x, k * node.y), &palette.node_fill, 1);
            assert_pixel (pixel_at (surface, k * node.x, k * (node.y - ring)),
                          &palette.node_border, 1);
            assert_pixel (pixel_at (surface, k * (node.x - ring), k * node.y),
                          &palette.node_border, 1);
          }
      cairo_surface_destroy (surface);
      nns_layout_free (g_steal_pointer (&layout));
    }
}

static void
test_transparent (void **state)
{
  g_autoptr (NnsNetwork) network = net ("8,4,2");
  g_autoptr (NnsLayout) layout = NULL;
  cairo_surface_t *surface;
  NnsStyle style;
  NnsPalette palette;
  NnsNode node;

  nns_style_init_default (&style);
  nns_style_get_palette (&style, &palette);
  layout = nns_layout_new (network, &style, 0, 0);
  surface = render (network, layout, &style, FALSE, NULL);
  assert_int_equal (pixel_at (surface, 1, 1).a, 0);
  assert_int_equal (pixel_at (surface, nns_layout_get_width (layout) - 2, 1).a, 0);
  /* The nodes are still opaque. */
  nns_layout_get_drawn_node (layout, 1, 2, &node);
  assert_pixel (pixel_at (surface, node.x, node.y), &palette.node_fill, 1);
  cairo_surface_destroy (surface);
}

/* A drawn node of column c + 1 level with node i of column c (same y), if any. */
static gboolean
level_partner (const NnsLayout *layout, guint c, const NnsNode *a, NnsNode *out)
{
  for (guint j = 0; j < nns_layout_get_n_drawn (layout, c + 1); j++)
    {
      nns_layout_get_drawn_node (layout, c + 1, j, out);
      if (fabs (out->y - a->y) < 1e-6)
        return TRUE;
    }
  return FALSE;
}

static void
test_selection (void **state)
{
  g_autoptr (NnsNetwork) network = net ("10,18,20,5");
  g_autoptr (NnsLayout) layout = NULL;
  cairo_surface_t *plain, *selected;
  NnsStyle style;
  NnsPalette palette;
  NnsNode sel, next, prev, far;
  NnsSelection selection = { TRUE, 1, 3 };
  Pixel p, q;

  for (int theme = 0; theme <= 1; theme++)
    {
      nns_style_init_default (&style);
      style.theme = theme ? NNS_THEME_DARK : NNS_THEME_LIGHT;
      /* 18 and 20 collapse to 12 (neuron 9 hidden). */
      style.collapse_limit = 12;
      nns_style_get_palette (&style, &palette);
      layout = nns_layout_new (network, &style, 0, 0);
      plain = render (network, layout, &style, TRUE, NULL);
      selected = render (network, layout, &style, TRUE, &selection);

      /* The accent is GNOME blue. */
      assert_int_equal (byte (palette.accent.red), theme ? 0x78 : 0x35);
      assert_int_equal (byte (palette.accent.blue), theme ? 0xed : 0xe4);

      /* Hidden 1, neuron 3: level with a neuron of Hidden 2; the middle of that
       * outgoing edge is the accent colour, and was the edge colour before. */
      assert_true (nns_layout_get_node (layout, 1, 3, &sel));
      assert_true (level_partner (layout, 1, &sel, &next));
      p = pixel_at (selected, (sel.x + next.x) / 2, sel.y);
      assert_pixel (p, &palette.accent, 2);
      q = pixel_at (plain, (sel.x + next.x) / 2, sel.y);
      assert_true (abs (q.b - byte (palette.accent.blue)) > 20 ||
                   abs (q.r - byte (palette.accent.red)) > 20);

      /* An incoming edge too: from the input neuron level with it. */
      nns_layout_get_drawn_node (layout, 0, 0, &prev);
      {
        NnsSelection in_sel;
        NnsNode target;

        assert_true (level_partner (layout, 0, &prev, &target));
        in_sel = (NnsSelection) { TRUE, 1, target.neuron };
        cairo_surface_destroy (selected);
        selected = render (network, layout, &style, TRUE, &in_sel);
        assert_pixel (pixel_at (selected, (prev.x + target.x) / 2, prev.y), &palette.accent, 2);
        assert_pixel (pixel_at (selected, target.x, target.y), &palette.accent, 2);
        cairo_surface_destroy (selected);
        selected = render (network, layout, &style, TRUE, &selection);
      }

      /* The selected neuron is filled with the accent. */
      assert_pixel (pixel_at (selected, sel.x, sel.y), &palette.accent, 2);
      /* Neighbours stay full strength. */
      assert_pixel (pixel_at (selected, next.x, next.y), &palette.node_fill, 1);
      /* Not connected (the output layer, two columns away): dimmed to 25 % over
       * the background. */
      nns_layout_get_drawn_node (layout, 3, 0, &far);
      p = pixel_at (selected, far.x, far.y);
      {
        NnsColor dim = {
          0.25 * palette.node_fill.red + 0.75 * palette.background.red,
          0.25 * palette.node_fill.green + 0.75 * palette.background.green,
          0.25 * palette.node_fill.blue + 0.75 * palette.background.blue, 1
        };

        assert_pixel (p, &dim, 2);
      }
      /* A selection hidden by collapsing draws as no selection. */
      {
        NnsSelection hidden = { TRUE, 1, 9 };
        cairo_surface_t *none = render (network, layout, &style, TRUE, &hidden);

        assert_false (nns_layout_get_node (layout, 1, 9, &far));
        assert_int_equal (memcmp (cairo_image_surface_get_data (none),
                                  cairo_image_surface_get_data (plain),
                                  cairo_image_surface_get_stride (plain) *
                                    cairo_image_surface_get_height (plain)),
                          0);
        cairo_surface_destroy (none);
      }
      cairo_surface_destroy (plain);
      cairo_surface_destroy (selected);
      nns_layout_free (g_steal_pointer (&layout));
    }
}

/* The canvas's two-step frame — the edges and nodes drawn once into an image,
 * then the diagram drawn over that image with a selection (and a ghost) —
 * equals one nns_render() of the same frame, which dims the body its own way
 * over a painted background. */
static void
test_cached_body (void **state)
{
  g_autoptr (NnsNetwork) network = net ("30,20,12,4");
  g_autoptr (NnsNetwork) reference = net ("30,16,4");
  g_autoptr (NnsLayout) layout = NULL;
  NnsStyle style;

  nns_style_init_default (&style);
  style.show_all_neurons = TRUE;
  layout = nns_layout_new (network, &style, 0, 0);
  for (int k = 0; k < 5; k++)
    {
      NnsSelection selection = k == 4 ? (NnsSelection) { TRUE, 2, 3 }
                                      : (NnsSelection) { k != 3, 1 + k % 3, 2 * k + 1 };
      NnsRenderOptions options = { k % 2 == 0, &selection };
      int w = (int) ceil (nns_layout_get_width (layout)) * 2;
      int h = (int) ceil (nns_layout_get_height (layout)) * 2;
      cairo_surface_t *whole = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
      cairo_surface_t *body = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
      cairo_surface_t *over = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
      cairo_pattern_t *pattern = cairo_pattern_create_for_surface (body);
      cairo_t *cr;
      const guint8 *a, *b;
      int stride = cairo_image_surface_get_stride (whole), worst = 0;
      guint64 differing = 0, inked = 0;

      options.reference = k == 1 ? reference : NULL;
      /* (a selection dims every colour of the body, the layers' too, toward
       * the background of either theme) */
      style.layer_colors = k == 4;
      style.theme = k == 4 ? NNS_THEME_DARK : NNS_THEME_LIGHT;
      cr = cairo_create (whole);
      cairo_scale (cr, 2, 2);
      nns_render (cr, network, layout, &style, &options);
      cairo_destroy (cr);
      cr = cairo_create (body);
      cairo_scale (cr, 2, 2);
      nns_render_body (cr, network, layout, &style, &options);
      cairo_destroy (cr);
      cairo_surface_flush (body);
      cr = cairo_create (over);
      cairo_scale (cr, 2, 2);
      nns_render_over_body (cr, network, layout, &style, &options, pattern);
      assert_int_equal (cairo_status (cr), CAIRO_STATUS_SUCCESS);
      cairo_destroy (cr);
      cairo_surface_flush (whole);
      cairo_surface_flush (over);
      a = cairo_image_surface_get_data (whole);
      b = cairo_image_surface_get_data (over);
      for (int y = 0; y < h; y++)
        for (int x = 0; x < 4 * w; x++)
          {
            int d = abs (a[y * stride + x] - b[y * stride + x]);

            worst = MAX (worst, d);
            differing += d > 0;
            inked += a[y * stride + x] != a[x];
          }
      /* Rounding of one composite against another: a level or two. */
      if (worst > 2)
        fail_msg ("case %d: a pixel differs by %d levels (%" G_GUINT64_FORMAT " bytes differ)",
                  k, worst, differing);
      assert_true (inked > (guint64) w * h / 50);
      cairo_pattern_destroy (pattern);
      cairo_surface_destroy (whole);
      cairo_surface_destroy (body);
      cairo_surface_destroy (over);
    }
}

static void
test_edges_drawn (void **state)
{
  g_autoptr (NnsNetwork) network = net ("3,3");
  g_autoptr (NnsLayout) layout = NULL;
  cairo_surface_t *surface;
  NnsStyle style;
  NnsPalette palette;
  NnsNode a, b;
  Pixel p;

  nns_style_init_default (&style);
  style.edge_width = 3;
  style.edge_opacity = 1;
  nns_style_get_palette (&style, &palette);
  layout = nns_layout_new (network, &style, 0, 0);
  surface = render (network, layout, &style, TRUE, NULL);
  /* The middle of the level edge between neuron 1 and neuron 1: the edge colour
   * (other edges cross there too, all the same colour). */
  nns_layout_get_drawn_node (layout, 0, 1, &a);
  nns_layout_get_drawn_node (layout, 1, 1, &b);
  p = pixel_at (surface, (a.x + b.x) / 2, a.y);
  assert_pixel (p, &palette.edge, 3);
  /* Halfway between two level edges, away from the crossing: background. */
  p = pixel_at (surface, a.x + 2 * a.radius, (a.y + a.y + nns_layout_get_step (layout)) / 2);
  assert_true (p.r > 200);
  cairo_surface_destroy (surface);
}

static void
test_styles (void **state)
{
  g_autoptr (NnsNetwork) network = net ("4,6,3");
  NnsStyle style;
  NnsNode node;

  /* Every option renders, and nodes keep their colour on top of the edges. */
  for (int v = 0; v < 6; v++)
    {
      g_autoptr (NnsLayout) layout = NULL;
      cairo_surface_t *surface;
      NnsPalette palette;
      NnsSelection selection = { TRUE, 1, 2 };

      nns_style_init_default (&style);
      style.direction = v % 2 ? NNS_DIRECTION_VERTICAL : NNS_DIRECTION_HORIZONTAL;
      style.edge_shape = v >= 2 ? NNS_EDGE_BEZIER : NNS_EDGE_STRAIGHT;
      style.arrowheads = v >= 3;
      style.weight_colors = v >= 4;
      style.show_bias_nodes = v >= 4;
      style.layer_colors = v == 5;
      nns_style_get_palette (&style, &palette);
      layout = nns_layout_new (network, &style, 0, 0);
      surface = render (network, layout, &style, TRUE, v == 3 ? &selection : NULL);
      for (guint c = 0; c < 3; c++)
        {
          NnsColor fill = style.layer_colors ? nns_style_get_layer_color (&style, c)
                                             : palette.node_fill;

          nns_layout_get_drawn_node (layout, c, 0, &node);
          if (v != 3 || c != 1)
            assert_pixel (pixel_at (surface, node.x, node.y), &fill, 1);
        }
      cairo_surface_destroy (surface);
    }

  /* Layer colours differ between neighbours. */
  nns_style_init_default (&style);
  {
    NnsColor a = nns_style_get_layer_color (&style, 0), b = nns_style_get_layer_color (&style, 1);

    assert_true (a.red != b.red || a.green != b.green || a.blue != b.blue);
  }
  /* Set colours override the theme's. */
  style.node_fill_set = TRUE;
  style.node_fill = (NnsColor) { 1, 0, 0, 1 };
  {
    NnsPalette palette;

    nns_style_get_palette (&style, &palette);
    assert_true (palette.node_fill.red == 1 && palette.node_fill.green == 0);
  }
}

static void
test_huge_clipped (void **state)
{
  g_autoptr (NnsNetwork) network = net ("1000000,3");
  g_autoptr (NnsLayout) layout = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  NnsStyle style;
  NnsRenderOptions options = { TRUE, NULL };
  NnsPalette palette;
  NnsNode node;
  gint64 start;

  nns_style_init_default (&style);
  style.show_all_neurons = TRUE;
  nns_style_get_palette (&style, &palette);
  layout = nns_layout_new (network, &style, 0, 0);
  /* A window onto neuron 500,000 draws only what it shows, quickly. */
  nns_layout_get_node (layout, 0, 500000, &node);
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 200, 200);
  cr = cairo_create (surface);
  cairo_translate (cr, 100 - node.x, 100 - node.y);
  start = g_get_monotonic_time ();
  nns_render (cr, network, layout, &style, &options);
  assert_int_equal (cairo_status (cr), CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  /* Nodes at the floor size: a neuron is drawn there, and one step down. */
  assert_true (pixel_at (surface, 100, 100).r < byte (palette.background.red) - 40);
  assert_true (pixel_at (surface, 100, 100 + nns_layout_get_step (layout)).r
               < byte (palette.background.red) - 40);
  assert_true (g_get_monotonic_time () - start < 20 * G_USEC_PER_SEC);
  cairo_surface_destroy (surface);
}

/* The shading of a dense bundle is smooth: on MNIST's input fan as the
 * window shows it (1029 × 824, every neuron shown), along vertical lines a
 * few pixels past the input column, neighbouring pixel rows differ by at
 * most one grey level — no seam where the bundle is split into blocks of
 * similar slope — between the fan's two fading sides (the edges of the
 * first input neuron above, the last one's below). */
static void
test_smooth_shading (void **state)
{
  enum { W = 1029, H = 824, PAD = 24 };
  g_autoptr (NnsNetwork) network = net ("784,256,128,10");
  NnsStyle style;
  NnsLayout *layout;
  NnsRenderOptions options = { TRUE };
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, W, H);
  cairo_t *cr = cairo_create (surface);
  NnsNode first, last, next_first, next_last;
  double fit, x0, y0, y1, x1, z0, z1, unused = 0;
  int worst = 0, worst_x = 0, worst_y = 0;

  nns_style_init_default (&style);
  style.show_all_neurons = TRUE;
  layout = nns_layout_new (network, &style, W - 2 * PAD, H - 2 * PAD);
  fit = nns_layout_get_fit_scale (layout);
  cairo_translate (cr, (W - nns_layout_get_width (layout) * fit) / 2,
                   (H - nns_layout_get_height (layout) * fit) / 2);
  cairo_scale (cr, fit, fit);
  nns_render (cr, network, layout, &style, &options);
  nns_layout_get_drawn_node (layout, 0, 0, &first);
  nns_layout_get_drawn_node (layout, 0, nns_layout_get_n_drawn (layout, 0) - 1, &last);
  nns_layout_get_drawn_node (layout, 1, 0, &next_first);
  nns_layout_get_drawn_node (layout, 1, nns_layout_get_n_drawn (layout, 1) - 1, &next_last);
  x0 = first.x, y0 = first.y, y1 = last.y, x1 = next_first.x, z0 = next_first.y;
  z1 = next_last.y;
  cairo_user_to_device (cr, &x0, &y0);
  cairo_user_to_device (cr, &unused, &y1);
  cairo_user_to_device (cr, &x1, &z0);
  cairo_user_to_device (cr, &unused, &z1);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  for (int dx = 5; dx <= 40; dx += dx < 12 ? 1 : 7)
    for (int y = (int) (y0 + dx * (z1 - y0) / (x1 - x0)) + 4;
         y < (int) (y1 - dx * (y1 - z0) / (x1 - x0)) - 4; y++)
      {
        int step = abs (pixel_at (surface, x0 + dx, y + 1).g - pixel_at (surface, x0 + dx, y).g);

        if (step > worst)
          worst = step, worst_x = (int) x0 + dx, worst_y = y;
      }
  g_test_message ("largest step between rows: %d grey levels at (%d, %d)", worst, worst_x,
                  worst_y);
  if (worst > 1)
    fail_msg ("a seam: %d grey levels between rows %d and %d at x = %d", worst, worst_y,
              worst_y + 1, worst_x);
  cairo_surface_destroy (surface);
  nns_layout_free (layout);
}

/* The selected fan's far ends, walked run by run, are the ends a filter
 * over every drawn neuron keeps (drop an end closer than the gap to the
 * last kept, keep the last): columns of 1 … 1,000,000 neurons, shown whole or
 * collapsed, with and without the bias node, gaps below and above the
 * spacing. */
static void
test_fan_ends (void **state)
{
  const char *networks[] = { "1,3", "7,5", "1000000,10", "100000,1000", "5000,30", "3000,7,2" };
  const double gaps[] = { 0, 1e-4, 0.01, 0.25, 1, 7.5, 40, 250, 5000, 1e6 };

  for (guint k = 0; k < G_N_ELEMENTS (networks); k++)
    for (int all = 0; all < 2; all++)
      {
        g_autoptr (NnsNetwork) network = nns_network_new_from_string (networks[k], NULL);
        NnsStyle style;
        NnsLayout *layout;

        nns_style_init_default (&style);
        style.show_all_neurons = all;
        style.show_bias_nodes = TRUE;
        layout = nns_layout_new (network, &style, 0, 0);
        for (guint c = 0; c < nns_layout_get_n_columns (layout); c++)
          for (int bias = 0; bias < 2; bias++)
            for (guint g = 0; g < G_N_ELEMENTS (gaps); g++)
              {
                g_autoptr (GArray) nodes = nns_layout_dup_column_nodes (layout, c, bias);
                g_autofree double *want = g_new (double, 2 * nodes->len);
                g_autofree double *got = NULL;
                guint n_want = 0, n_got;

                for (guint i = 0; i < nodes->len; i++)
                  {
                    const NnsNode *p = &g_array_index (nodes, NnsNode, i);

                    if (n_want > 0 && i + 1 < nodes->len
                        && fabs (p->x - want[2 * n_want - 2]) + fabs (p->y - want[2 * n_want - 1])
                             < gaps[g])
                      continue;
                    want[2 * n_want] = p->x;
                    want[2 * n_want + 1] = p->y;
                    n_want++;
                  }
                got = _nns_render_fan_ends (layout, c, bias, gaps[g], &n_got);
                assert_int_equal (n_got, n_want);
                for (guint i = 0; i < 2 * n_want; i++)
                  assert_true (fabs (got[i] - want[i]) < 1e-9 * MAX (1.0, fabs (want[i])));
              }
        nns_layout_free (layout);
      }
  (void) state;
}

/* A render under a clip draws what the whole render draws there: labels
 * cut by the clip's edge, and ones just outside their boxes (where the
 * renderer skips a label outside the clip, a pixel of antialiasing must
 * not go missing). */
static void
test_labels_clipped (void **state)
{
  g_autoptr (NnsNetwork) network = net ("10,18,20,5");
  g_autoptr (NnsLayout) layout = NULL;
  NnsStyle style;
  cairo_surface_t *whole;
  guint n;
  int w, h, checked = 0;

  nns_style_init_default (&style);
  layout = nns_layout_new (network, &style, 0, 0);
  whole = render (network, layout, &style, TRUE, NULL);
  w = cairo_image_surface_get_width (whole);
  h = cairo_image_surface_get_height (whole);
  n = nns_layout_get_n_labels (layout);
  assert_true (n >= 4);
  for (guint i = 0; i < n; i++)
    {
      NnsLabel label;

      nns_layout_get_label (layout, i, &label);
      /* the clip's left edge through the middle of the label; the box's
       * pixel column and row just outside each side */
      const double rects[][4] = {
        { floor (label.left + label.width / 2), floor (label.top), ceil (label.width), ceil (label.height) + 1 },
        { floor (label.left) - 1, floor (label.top) - 1, 1, ceil (label.height) + 2 },
        { ceil (label.left + label.width), floor (label.top) - 1, 1, ceil (label.height) + 2 },
        { floor (label.left) - 1, floor (label.top) - 1, ceil (label.width) + 2, 1 },
        { floor (label.left) - 1, ceil (label.top + label.height), ceil (label.width) + 2, 1 },
      };

      for (guint k = 0; k < G_N_ELEMENTS (rects); k++)
        {
          NnsRenderOptions options = { TRUE, NULL };
          cairo_surface_t *part = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
          cairo_t *cr = cairo_create (part);
          int x0 = MAX ((int) rects[k][0], 0), y0 = MAX ((int) rects[k][1], 0);
          int x1 = MIN ((int) (rects[k][0] + rects[k][2]), w);
          int y1 = MIN ((int) (rects[k][1] + rects[k][3]), h);

          cairo_rectangle (cr, rects[k][0], rects[k][1], rects[k][2], rects[k][3]);
          cairo_clip (cr);
          nns_render (cr, network, layout, &style, &options);
          cairo_destroy (cr);
          cairo_surface_flush (part);
          for (int y = y0; y < y1; y++)
            for (int x = x0; x < x1; x++)
              {
                Pixel a = pixel_at (whole, x, y), b = pixel_at (part, x, y);

                if (a.r != b.r || a.g != b.g || a.b != b.b || a.a != b.a)
                  fail_msg ("label %u, clip %u: pixel (%d, %d) is (%d, %d, %d, %d), the whole "
                            "render has (%d, %d, %d, %d)", i, k, x, y, b.r, b.g, b.b, b.a, a.r,
                            a.g, a.b, a.a);
                checked++;
              }
          cairo_surface_destroy (part);
        }
    }
  assert_true (checked > 1000);
  cairo_surface_destroy (whole);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_node_fill_and_background),
    cmocka_unit_test (test_big_discs),
    cmocka_unit_test (test_transparent),
    cmocka_unit_test (test_selection),
    cmocka_unit_test (test_cached_body),
    cmocka_unit_test (test_edges_drawn),
    cmocka_unit_test (test_styles),
    cmocka_unit_test (test_huge_clipped),
    cmocka_unit_test (test_smooth_shading),
    cmocka_unit_test (test_fan_ends),
    cmocka_unit_test (test_labels_clipped),
  };

  int failed = cmocka_run_group_tests (tests, NULL, NULL);

  /* Let LeakSanitizer see only our own leaks, not cairo's and fontconfig's caches. */
  cairo_debug_reset_static_data ();
  FcFini ();
  return failed;
}
