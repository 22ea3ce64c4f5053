/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-render-weights"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <fontconfig/fontconfig.h>

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "nns-export.h"
#include "nns-render.h"

/* A network with weights the test writes: every layer's matrix and bias. */
typedef struct
{
  NnsNetwork      *network;
  NnsWeightMatrix  layers[4];
  NnsWeightSource  source;
  NnsStyle         style;
  NnsLayout       *layout;
} Fixture;

static void
fixture_init (Fixture *f, const char *widths)
{
  g_autoptr (GError) error = NULL;

  memset (f, 0, sizeof *f);
  f->network = nns_network_new_from_string (widths, &error);
  assert_null (error);
  for (guint l = 0; l < nns_network_get_n_layers (f->network); l++)
    {
      NnsWeightMatrix *m = &f->layers[l];

      m->n_in = nns_network_get_column_width (f->network, l);
      m->n_out = nns_network_get_column_width (f->network, l + 1);
      m->weight = g_new0 (float, (gsize) m->n_in * m->n_out);
      m->bias = g_new0 (float, m->n_out);
    }
  f->source = (NnsWeightSource) { nns_network_get_n_layers (f->network), f->layers, 1 };
  nns_style_init_default (&f->style);
  f->style.weight_colors = TRUE;
  f->style.show_labels = FALSE;
  f->style.show_all_neurons = TRUE;
  f->style.edge_width = 4;
  f->style.edge_opacity = 1;
}

static float *
W (Fixture *f, guint layer, guint to, guint from)
{
  return (float *) &f->layers[layer].weight[to * f->layers[layer].n_in + from];
}

static void
fixture_layout (Fixture *f)
{
  g_clear_pointer (&f->layout, nns_layout_free);
  f->layout = nns_layout_new (f->network, &f->style, 0, 0);
}

static void
fixture_clear (Fixture *f)
{
  for (guint l = 0; l < f->source.n_layers; l++)
    {
      g_free ((float *) f->layers[l].weight);
      g_free ((float *) f->layers[l].bias);
    }
  g_clear_pointer (&f->layout, nns_layout_free);
  g_clear_object (&f->network);
}

static cairo_surface_t *
render_with (Fixture *f, NnsWeightEdgeCache *cache, double tx, double ty,
             const NnsSelection *selection)
{
  NnsRenderOptions options = { TRUE, selection };
  cairo_surface_t *surface =
    cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) ceil (nns_layout_get_width (f->layout)),
                                (int) ceil (nns_layout_get_height (f->layout)));
  cairo_t *cr = cairo_create (surface);

  options.weights = &f->source;
  options.weight_cache = cache;
  cairo_translate (cr, tx, ty);
  nns_render (cr, f->network, f->layout, &f->style, &options);
  assert_int_equal (cairo_status (cr), CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  return surface;
}

static cairo_surface_t *
render (Fixture *f)
{
  fixture_layout (f);
  return render_with (f, NULL, 0, 0, NULL);
}

typedef struct
{
  int r, g, b;
} Rgb;

static Rgb
rgb_at (cairo_surface_t *s, double x, double y)
{
  int ix = (int) floor (x), iy = (int) floor (y);
  guint32 v;

  assert_true (ix >= 0 && ix < cairo_image_surface_get_width (s));
  assert_true (iy >= 0 && iy < cairo_image_surface_get_height (s));
  v = *(const guint32 *) (cairo_image_surface_get_data (s) + iy * cairo_image_surface_get_stride (s)
                          + ix * 4);
  return (Rgb) { (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff };
}

/* Blue: the positive colour (light #1c71d8); orange: the negative (#e66100). */
static gboolean
is_blue (Rgb p)
{
  return p.b > p.r + 60;
}

static gboolean
is_orange (Rgb p)
{
  return p.r > p.b + 60;
}

static gboolean
is_white (Rgb p)
{
  return p.r > 245 && p.g > 245 && p.b > 245;
}

static void
along (Fixture *f, guint column, guint from, guint to, double t, double *x, double *y)
{
  NnsNode a, b;

  assert_true (nns_layout_get_node (f->layout, column, from, &a));
  assert_true (nns_layout_get_node (f->layout, column + 1, to, &b));
  *x = a.x + t * (b.x - a.x);
  *y = a.y + t * (b.y - a.y);
}

static void
midpoint (Fixture *f, guint column, guint from, guint to, double *x, double *y)
{
  along (f, column, from, to, 0.5, x, y);
}

/* A positive weight draws its edge in the positive colour, a negative one in
 * the negative colour, a zero weight not at all. */
static void
test_sign_colors (void **state)
{
  Fixture f;
  cairo_surface_t *s;
  double x, y;

  fixture_init (&f, "1,1");
  *W (&f, 0, 0, 0) = 0.5f;
  s = render (&f);
  midpoint (&f, 0, 0, 0, &x, &y);
  assert_true (is_blue (rgb_at (s, x, y)));
  cairo_surface_destroy (s);

  *W (&f, 0, 0, 0) = -0.5f;
  s = render (&f);
  assert_true (is_orange (rgb_at (s, x, y)));
  cairo_surface_destroy (s);

  /* the palette is blue / orange in the dark style too */
  f.style.theme = NNS_THEME_DARK;
  s = render (&f);
  assert_true (is_orange (rgb_at (s, x, y)));
  cairo_surface_destroy (s);
  *W (&f, 0, 0, 0) = 0.5f;
  s = render (&f);
  assert_true (is_blue (rgb_at (s, x, y)));
  cairo_surface_destroy (s);
  fixture_clear (&f);
}

/* Opacity follows |w| / the layer's max |w|: the weaker edge is paler. */
static void
test_opacity_by_size (void **state)
{
  Fixture f;
  cairo_surface_t *s;
  double x0, y0, x1, y1;
  Rgb strong, weak;

  fixture_init (&f, "1,2");
  f.style.edge_opacity = 0.8;
  *W (&f, 0, 0, 0) = 1.0f;
  *W (&f, 0, 1, 0) = 0.25f;
  s = render (&f);
  midpoint (&f, 0, 0, 0, &x0, &y0);
  midpoint (&f, 0, 0, 1, &x1, &y1);
  strong = rgb_at (s, x0, y0);
  weak = rgb_at (s, x1, y1);
  /* white under the edge: red shows how much of it is left (0x1c at full) */
  assert_in_range (strong.r, 255 - 0.8 * (255 - 0x1c) - 6, 255 - 0.8 * (255 - 0x1c) + 6);
  assert_in_range (weak.r, 255 - 0.2 * (255 - 0x1c) - 6, 255 - 0.2 * (255 - 0x1c) + 6);
  cairo_surface_destroy (s);
  fixture_clear (&f);
}

/* The threshold hides edges whose |w| is below its share of the layer's max. */
static void
test_threshold (void **state)
{
  Fixture f;
  cairo_surface_t *s;
  double x0, y0, x1, y1;

  fixture_init (&f, "1,2");
  *W (&f, 0, 0, 0) = 1.0f;
  *W (&f, 0, 1, 0) = -0.3f;
  fixture_layout (&f);
  midpoint (&f, 0, 0, 0, &x0, &y0);
  midpoint (&f, 0, 0, 1, &x1, &y1);
  s = render (&f);
  assert_true (is_blue (rgb_at (s, x0, y0)));
  assert_true (is_orange (rgb_at (s, x1, y1)));
  cairo_surface_destroy (s);

  f.style.weight_threshold = 0.5;
  s = render (&f);
  assert_true (is_blue (rgb_at (s, x0, y0)));
  assert_true (is_white (rgb_at (s, x1, y1)));
  cairo_surface_destroy (s);
  fixture_clear (&f);
}

/* A pair of more edges than are stroked one by one goes through the
 * accumulated image: the colours still follow each edge's sign. Neurons
 * 0 … 29 of the output get positive weights, 30 … 59 negative. */
static void
fill_halves (Fixture *f)
{
  for (guint j = 0; j < 60; j++)
    for (guint i = 0; i < 60; i++)
      *W (f, 0, j, i) = (j < 30 ? 1.0f : -1.0f) * (0.5f + (i % 5) * 0.1f);
}

static void
test_accumulated_colors (void **state)
{
  Fixture f;
  cairo_surface_t *s;
  NnsNode top, bottom, src;
  guint blue = 0, orange = 0;

  fixture_init (&f, "60,60");
  f.style.edge_width = 1;
  f.style.node_spacing = 4;
  f.style.node_diameter = 6;
  fill_halves (&f);
  s = render (&f);
  assert_true ((guint64) 60 * 60 > NNS_WEIGHT_EDGES_ACCUMULATE);
  /* near the output column, above its middle edges arrive at positive
   * neurons only, below at negative ones */
  assert_true (nns_layout_get_node (f.layout, 1, 5, &top));
  assert_true (nns_layout_get_node (f.layout, 1, 54, &bottom));
  assert_true (nns_layout_get_node (f.layout, 0, 0, &src));
  for (int k = -2; k <= 2; k++)
    {
      double x = top.x - (top.x - src.x) * 0.1;

      blue += is_blue (rgb_at (s, x, top.y + k));
      orange += is_orange (rgb_at (s, x, bottom.y + k));
      assert_false (is_orange (rgb_at (s, x, top.y + k)));
      assert_false (is_blue (rgb_at (s, x, bottom.y + k)));
    }
  assert_true (blue >= 4);
  assert_true (orange >= 4);
  cairo_surface_destroy (s);
  fixture_clear (&f);
}

/* The cache: a frame that pans by whole pixels or selects a neuron reuses the
 * drawn edge layers and paints what drawing afresh paints; new weights (a new
 * stamp) draw again. */
static void
test_cache (void **state)
{
  Fixture f;
  g_autoptr (NnsWeightEdgeCache) cache = nns_weight_edge_cache_new ();
  cairo_surface_t *fresh, *cached;
  NnsSelection selection = { TRUE, 1, 3 };
  int n, differ = 0;

  fixture_init (&f, "60,60");
  f.style.edge_width = 1;
  fill_halves (&f);
  fixture_layout (&f);
  cached = render_with (&f, cache, 0, 0, NULL);
  cairo_surface_destroy (cached);
  assert_int_equal (nns_weight_edge_cache_get_n_drawn (cache), 1);
  cached = render_with (&f, cache, -7, 3, NULL);
  assert_int_equal (nns_weight_edge_cache_get_n_drawn (cache), 1);
  fresh = render_with (&f, NULL, -7, 3, NULL);
  n = cairo_image_surface_get_stride (fresh) * cairo_image_surface_get_height (fresh);
  for (int k = 0; k < n; k++)
    differ += abs (cairo_image_surface_get_data (fresh)[k] - cairo_image_surface_get_data (cached)[k]) > 2;
  assert_int_equal (differ, 0);
  cairo_surface_destroy (fresh);
  cairo_surface_destroy (cached);

  cached = render_with (&f, cache, 0, 0, &selection);
  cairo_surface_destroy (cached);
  assert_int_equal (nns_weight_edge_cache_get_n_drawn (cache), 1);

  *W (&f, 0, 0, 0) = -1;
  f.source.stamp++;
  cached = render_with (&f, cache, 0, 0, NULL);
  cairo_surface_destroy (cached);
  assert_int_equal (nns_weight_edge_cache_get_n_drawn (cache), 2);
  fixture_clear (&f);
}

/* A selected neuron's fan of more than NNS_WEIGHT_FAN_ACCUMULATE edges (the
 * float buffer's path): each edge over the dimmed body at opacity
 * 0.25 + 0.75 · r in its sign's colour, a zero weight not drawn. */
static void
test_selected_fan (void **state)
{
  Fixture f;
  NnsSelection selection = { TRUE, 1, 0 };
  NnsPalette palette;
  cairo_surface_t *plain, *selected;
  struct { guint from; double r; } edges[] = { { 10, 0.5 }, { 60, 1.0 }, { 80, 0.2 }, { 30, 0 } };

  fixture_init (&f, "100,1");
  *W (&f, 0, 0, 10) = 0.5f;
  *W (&f, 0, 0, 60) = -1.0f;
  *W (&f, 0, 0, 80) = 0.2f;
  fixture_layout (&f);
  nns_style_get_palette (&f.style, &palette);
  plain = render_with (&f, NULL, 0, 0, NULL);
  selected = render_with (&f, NULL, 0, 0, &selection);
  for (guint e = 0; e < G_N_ELEMENTS (edges); e++)
    {
      double x, y, a = edges[e].r > 0 ? MIN (0.25 + 0.75 * edges[e].r, 0.999) : 0;
      const NnsColor *c = e == 1 ? &palette.negative : &palette.positive;
      Rgb body, got;
      double under[3], want[3], end[3] = { c->red * 255, c->green * 255, c->blue * 255 };

      along (&f, 0, edges[e].from, 0, 0.4, &x, &y);
      body = rgb_at (plain, x, y);
      got = rgb_at (selected, x, y);
      /* the body dimmed to a quarter over the white background */
      under[0] = 0.75 * 255 + 0.25 * body.r;
      under[1] = 0.75 * 255 + 0.25 * body.g;
      under[2] = 0.75 * 255 + 0.25 * body.b;
      for (int k = 0; k < 3; k++)
        want[k] = under[k] * (1 - a) + end[k] * a;
      if (fabs (got.r - want[0]) > 3 || fabs (got.g - want[1]) > 3 || fabs (got.b - want[2]) > 3)
        fail_msg ("edge from %u: got %d %d %d, want %.0f %.0f %.0f", edges[e].from, got.r, got.g,
                  got.b, want[0], want[1], want[2]);
    }
  cairo_surface_destroy (plain);
  cairo_surface_destroy (selected);
  fixture_clear (&f);
}

/* The bias is a ring on the neuron in its sign's colour. */
static void
test_bias_ring (void **state)
{
  Fixture f;
  cairo_surface_t *s;
  NnsNode a, b;
  double ring;

  fixture_init (&f, "1,2");
  f.style.node_diameter = 40;
  *W (&f, 0, 0, 0) = 1;
  *W (&f, 0, 1, 0) = 1;
  ((float *) f.layers[0].bias)[0] = 0.5f;
  ((float *) f.layers[0].bias)[1] = -0.5f;
  s = render (&f);
  assert_true (nns_layout_get_node (f.layout, 1, 0, &a));
  assert_true (nns_layout_get_node (f.layout, 1, 1, &b));
  ring = MAX (1.0, a.radius * 0.3);
  /* the ring's middle, on the side away from the edges */
  assert_true (is_blue (rgb_at (s, a.x + a.radius - ring / 2, a.y)));
  assert_true (is_orange (rgb_at (s, b.x + b.radius - ring / 2, b.y)));
  /* the neuron's centre keeps its fill */
  assert_false (is_blue (rgb_at (s, a.x, a.y)));
  cairo_surface_destroy (s);
  fixture_clear (&f);
}

/* The legend: one row per layer with its range, the numbers from the
 * weights; its bar runs from the negative colour to the positive. */
static void
test_legend (void **state)
{
  Fixture f;
  cairo_surface_t *s;
  double x, y, w, h;
  guint rows;
  g_autofree char *row0 = NULL, *row1 = NULL;

  fixture_init (&f, "2,3,1");
  *W (&f, 0, 0, 0) = -0.412f;
  *W (&f, 0, 2, 1) = 0.25f;
  *W (&f, 1, 0, 2) = 0.0357f;
  row0 = nns_render_weight_legend_row (f.network, &f.source, 0);
  row1 = nns_render_weight_legend_row (f.network, &f.source, 1);
  assert_string_equal (row0, "Hidden 1: \u22120.412 … 0.25");
  assert_string_equal (row1, "Output: 0 … 0.0357");

  s = render (&f);
  assert_true (nns_layout_get_legend (f.layout, &x, &y, &w, &h, &rows));
  assert_int_equal (rows, 3);
  assert_true (y + h <= nns_layout_get_height (f.layout));
  /* the first layer's bar, its left and right ends */
  assert_true (is_orange (rgb_at (s, x + 3, y + 1.5 * h / rows)));
  assert_true (is_blue (rgb_at (s, x + 90 - 3, y + 1.5 * h / rows)));
  cairo_surface_destroy (s);

  /* no legend without weight colours, and the drawing is shorter */
  f.style.weight_colors = FALSE;
  fixture_layout (&f);
  assert_false (nns_layout_get_legend (f.layout, &x, &y, &w, &h, &rows));
  fixture_clear (&f);
}

/* Hovering an edge names it and its weight, the same float the source holds. */
static void
test_hover (void **state)
{
  Fixture f;
  double x, y;
  guint column, from, to;
  g_autofree char *text = NULL, *bias = NULL;
  NnsNode node;

  fixture_init (&f, "8,4,2");
  for (guint j = 0; j < 4; j++)
    for (guint i = 0; i < 8; i++)
      *W (&f, 0, j, i) = 0.01f * (i + 1) * (j + 1);
  *W (&f, 0, 2, 6) = -0.412f;
  f.style.show_bias_nodes = TRUE;
  fixture_layout (&f);
  /* a third of the way along: no other edge crosses there */
  along (&f, 0, 6, 2, 0.3, &x, &y);
  assert_true (nns_weight_hit_edge (f.layout, &f.style, &f.source, x, y, 3, &column, &from, &to));
  assert_int_equal (column, 0);
  assert_int_equal (from, 6);
  assert_int_equal (to, 2);
  text = nns_weight_describe_edge (f.network, &f.source, column, from, to);
  assert_string_equal (text, "Hidden 1 neuron 3 \u2190 Input 7: w = \u22120.412 (weight[2, 6])");

  /* the bias node's edge */
  ((float *) f.layers[0].bias)[1] = 0.118f;
  assert_true (nns_layout_get_bias_node (f.layout, 0, &node));
  bias = nns_weight_describe_edge (f.network, &f.source, 0, node.neuron, 1);
  assert_string_equal (bias, "Hidden 1 neuron 2: bias = 0.118 (bias[1])");

  /* far from every edge: nothing */
  assert_false (nns_weight_hit_edge (f.layout, &f.style, &f.source, 1, 1, 3, &column, &from, &to));
  /* a hidden edge (below the threshold) is not hovered */
  f.style.weight_threshold = 0.99;
  assert_true (nns_weight_hit_edge (f.layout, &f.style, &f.source, x, y, 3, &column, &from, &to));
  assert_int_equal (from, 6);
  along (&f, 0, 0, 0, 0.3, &x, &y);
  assert_false (nns_weight_hit_edge (f.layout, &f.style, &f.source, x, y, 0.5, &column, &from, &to));
  fixture_clear (&f);
}

/* The picture of a neuron's weights: one pixel a value, on the palette. */
static void
test_weight_image (void **state)
{
  NnsStyle style;
  NnsPalette palette;
  const float values[6] = { 1, -1, 0, 0.5f, -0.25f, 0.75f };
  cairo_surface_t *image;

  nns_style_init_default (&style);
  nns_style_get_palette (&style, &palette);
  image = nns_weight_image_new (values, 3, 2, 1.0, &palette);
  assert_non_null (image);
  assert_int_equal (cairo_image_surface_get_width (image), 3);
  assert_int_equal (cairo_image_surface_get_height (image), 2);
  for (guint k = 0; k < 6; k++)
    {
      Rgb p = rgb_at (image, k % 3, k / 3);
      NnsColor c;

      nns_weight_color (&palette, values[k], 1.0, &c);
      assert_int_equal (p.r, (int) (c.red * 255 + 0.5));
      assert_int_equal (p.g, (int) (c.green * 255 + 0.5));
      assert_int_equal (p.b, (int) (c.blue * 255 + 0.5));
    }
  assert_true (is_blue (rgb_at (image, 0, 0)));
  assert_true (is_orange (rgb_at (image, 1, 0)));
  assert_true (is_white (rgb_at (image, 2, 0)));
  cairo_surface_destroy (image);
}

/* Writes the export, reads it back and removes it. */
static char *
export_to (Fixture *f, NnsExportFormat format, const char *name, gsize *length)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("nns-weights-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  char *contents = NULL;
  NnsExportOptions options;

  nns_export_options_init (&options);
  options.weights = &f->source;
  assert_true (nns_export_image (f->network, &f->style, &options, format, path, &error));
  assert_null (error);
  assert_true (g_file_get_contents (path, &contents, length, NULL));
  g_unlink (path);
  g_rmdir (dir);
  return contents;
}

typedef struct
{
  const char *data;
  gsize       length, offset;
} Reader;

static cairo_status_t
read_bytes (void *closure, unsigned char *data, unsigned int length)
{
  Reader *r = closure;

  if (r->offset + length > r->length)
    return CAIRO_STATUS_READ_ERROR;
  memcpy (data, r->data + r->offset, length);
  r->offset += length;
  return CAIRO_STATUS_SUCCESS;
}

/* PNG, SVG and PDF carry the colours: a small network as coloured lines, a
 * big pair of columns as one embedded image. */
static void
test_exports (void **state)
{
  Fixture f;
  g_autofree char *png = NULL, *svg = NULL, *big = NULL;
  cairo_surface_t *s;
  double x, y;
  Reader reader = { 0 };

  fixture_init (&f, "1,2");
  *W (&f, 0, 0, 0) = 1.0f;
  *W (&f, 0, 1, 0) = -1.0f;
  fixture_layout (&f);
  png = export_to (&f, NNS_EXPORT_PNG, "w.png", &reader.length);
  reader.data = png;
  s = cairo_image_surface_create_from_png_stream (read_bytes, &reader);
  assert_int_equal (cairo_surface_status (s), CAIRO_STATUS_SUCCESS);
  midpoint (&f, 0, 0, 0, &x, &y);
  assert_true (is_blue (rgb_at (s, x, y)));
  midpoint (&f, 0, 0, 1, &x, &y);
  assert_true (is_orange (rgb_at (s, x, y)));
  cairo_surface_destroy (s);

  svg = export_to (&f, NNS_EXPORT_SVG, "w.svg", NULL);
  assert_non_null (strstr (svg, "rgb(10.980392%,44.313725%,84.705882%)"));   /* #1c71d8 */
  assert_non_null (strstr (svg, "rgb(90.196078%,38.039216%,0%)"));   /* #e66100 */
  assert_null (strstr (svg, "<image"));
  fixture_clear (&f);

  fixture_init (&f, "80,80");
  f.style.edge_width = 1;
  for (guint k = 0; k < 80 * 80; k++)
    ((float *) f.layers[0].weight)[k] = k % 2 ? 0.5f : -0.5f;
  big = export_to (&f, NNS_EXPORT_SVG, "big.svg", NULL);
  assert_non_null (strstr (big, "<image"));
  /* the embedded image fits one libxml2 text node (10 MB): rsvg opens it */
  assert_true (strlen (big) < 10000000);
  fixture_clear (&f);
}

/* Weights of another shape than the network are never drawn. */
static void
test_shape_mismatch (void **state)
{
  Fixture f;
  cairo_surface_t *s;
  double x, y;

  fixture_init (&f, "1,1");
  *W (&f, 0, 0, 0) = 0.5f;
  f.layers[0].n_in = 2;
  fixture_layout (&f);
  assert_false (nns_weight_source_fits (&f.source, f.layout));
  s = render (&f);
  midpoint (&f, 0, 0, 0, &x, &y);
  assert_false (is_blue (rgb_at (s, x, y)));
  cairo_surface_destroy (s);
  f.layers[0].n_in = 1;
  fixture_clear (&f);
}

/* The inspector's numbers: a neuron's incoming row, sorted largest first,
 * its histogram, the square picture shape, and where the weights came from. */
static void
test_inspect (void **state)
{
  Fixture f;
  const float *row;
  g_autofree guint *order = NULL;
  guint counts[4];
  g_autoptr (NnsWeights) init = NULL;
  g_autofree char *fresh = NULL, *loaded = NULL;

  fixture_init (&f, "4,2");
  *W (&f, 0, 1, 0) = 0.1f;
  *W (&f, 0, 1, 1) = -0.4f;
  *W (&f, 0, 1, 2) = 0.3f;
  *W (&f, 0, 1, 3) = 0.1f;
  row = nns_weight_incoming (&f.source, 0, 1);
  assert_true (row[1] == -0.4f && row[2] == 0.3f);
  order = nns_weight_sort_desc (row, 4);
  assert_int_equal (order[0], 2);
  assert_int_equal (order[1], 0);   /* tie: by index */
  assert_int_equal (order[2], 3);
  assert_int_equal (order[3], 1);
  assert_true (nns_weight_histogram (row, 4, 4, counts) == 0.4f);
  /* bins over [-0.4, 0.4): -0.4 | 0.1 0.1 | 0.3 */
  assert_int_equal (counts[0], 1);
  assert_int_equal (counts[1], 0);
  assert_int_equal (counts[2], 2);
  assert_int_equal (counts[3], 1);

  {
    NnsInputShape shape, given = { 3, { 3, 4, 5 } };

    assert_true (nns_weight_picture_shape (784, NULL, &shape));
    assert_int_equal (shape.n_dims, 2);
    assert_int_equal (shape.dims[0], 28);
    assert_int_equal (shape.dims[1], 28);
    assert_false (nns_weight_picture_shape (10, NULL, &shape));
    /* a shape that holds n wins over the square; one that does not is not used */
    assert_true (nns_weight_picture_shape (60, &given, &shape));
    assert_true (nns_input_shape_equal (&shape, &given));
    assert_false (nns_weight_picture_shape (61, &given, &shape));
  }

  init = nns_weights_new_init (f.network, 7);
  fresh = nns_weight_describe_origin (init, f.network, 7);
  assert_string_equal (fresh, "Weights: PyTorch’s default initialisation (seed 7)");
  loaded = nns_weight_describe_origin (init, f.network, 8);
  assert_string_equal (loaded, "Weights: loaded or trained");
  fixture_clear (&f);
}

/* The source read from the document's weights: the same floats, and the
 * drawing of a fresh network is PyTorch's initialisation, not grey. */
static void
test_source_from_weights (void **state)
{
  g_autoptr (NnsNetwork) network = nns_network_new_from_string ("3,2", NULL);
  g_autoptr (NnsWeights) weights = nns_weights_new_init (network, 1);
  g_autoptr (NnsWeightSource) source = nns_weight_source_new (weights);
  const NnsLayerWeights *layer = nns_weights_get_layer (weights, 0);
  double bound = 1 / sqrt (3.0);

  assert_int_equal (source->n_layers, 1);
  assert_int_equal (source->layers[0].n_in, 3);
  assert_int_equal (source->layers[0].n_out, 2);
  for (guint k = 0; k < 6; k++)
    {
      assert_true (source->layers[0].weight[k] == layer->weight[k]);
      assert_true (fabs (source->layers[0].weight[k]) <= bound);
    }
  assert_true (source->layers[0].bias[1] == layer->bias[1]);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_sign_colors),
    cmocka_unit_test (test_opacity_by_size),
    cmocka_unit_test (test_threshold),
    cmocka_unit_test (test_accumulated_colors),
    cmocka_unit_test (test_cache),
    cmocka_unit_test (test_selected_fan),
    cmocka_unit_test (test_bias_ring),
    cmocka_unit_test (test_legend),
    cmocka_unit_test (test_hover),
    cmocka_unit_test (test_weight_image),
    cmocka_unit_test (test_exports),
    cmocka_unit_test (test_shape_mismatch),
    cmocka_unit_test (test_inspect),
    cmocka_unit_test (test_source_from_weights),
  };

  int failed = cmocka_run_group_tests (tests, NULL, NULL);

  /* Let LeakSanitizer see only our own leaks, not cairo's and fontconfig's caches. */
  cairo_debug_reset_static_data ();
  FcFini ();
  return failed;
}
