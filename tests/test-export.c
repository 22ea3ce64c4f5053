/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-export"

#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <cairo.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <fontconfig/fontconfig.h>
#include <math.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "nns-export.h"
#include "nns-render.h"
#include "nns-layout.h"
#include "nns-png.h"

/* rsvg-convert's rendering of the SVG (and pdftoppm's of the PDF) and cairo's
 * PNG may differ only in antialiasing: the mean absolute difference per
 * channel must stay below this many 255ths. Measured: 0.2 … 0.6. */
#define SVG_TOLERANCE 2.0

typedef struct
{
  char *dir;
} Fixture;

static int
setup (void **state)
{
  Fixture *f = g_new0 (Fixture, 1);

  f->dir = g_dir_make_tmp ("nns-export-XXXXXX", NULL);
  assert_non_null (f->dir);
  *state = f;
  return 0;
}

static void
remove_tree (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          g_chmod (child, 0755);
          if (g_file_test (child, G_FILE_TEST_IS_DIR))
            remove_tree (child);
          else
            g_unlink (child);
        }
    }
  g_rmdir (path);
}

static int
teardown (void **state)
{
  Fixture *f = *state;

  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f);
  return 0;
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(char *const *) a, *(char *const *) b);
}

/* The folder's entries, sorted, joined by spaces. */
static char *
listing (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  assert_non_null (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

static void
assert_listing (const char *path, const char *expected)
{
  g_autofree char *names = listing (path);

  assert_string_equal (names, expected);
}

static NnsNetwork *
net (const char *widths)
{
  return nns_network_new_from_string (widths, NULL);
}

static gboolean
export (const char *widths, const NnsStyle *style, const NnsExportOptions *options,
        const char *path, GError **error)
{
  g_autoptr (NnsNetwork) network = net (widths);
  NnsExportFormat format;

  assert_non_null (network);
  if (!nns_export_format_from_path (path, &format, error))
    return FALSE;
  return nns_export_image (network, style, options, format, path, error);
}

static cairo_surface_t *
read_png (const char *path)
{
  cairo_surface_t *surface = cairo_image_surface_create_from_png (path);

  assert_int_equal (cairo_surface_status (surface), CAIRO_STATUS_SUCCESS);
  if (cairo_image_surface_get_format (surface) != CAIRO_FORMAT_ARGB32)
    {
      /* Opaque PNGs come back as RGB24; compare in one format. */
      cairo_surface_t *argb = cairo_image_surface_create (
        CAIRO_FORMAT_ARGB32, cairo_image_surface_get_width (surface),
        cairo_image_surface_get_height (surface));
      cairo_t *cr = cairo_create (argb);

      cairo_set_source_surface (cr, surface, 0, 0);
      cairo_paint (cr);
      cairo_destroy (cr);
      cairo_surface_destroy (surface);
      surface = argb;
    }
  cairo_surface_flush (surface);
  return surface;
}

static guint32
pixel (cairo_surface_t *surface, int x, int y)
{
  const guint8 *data = cairo_image_surface_get_data (surface);

  return *(const guint32 *) (data + y * cairo_image_surface_get_stride (surface) + x * 4);
}

/* Runs a tool; skips the test when it is not installed. */
static void
run_tool (const char *const *argv, char **out, int *status)
{
  g_autofree char *tool = g_find_program_in_path (argv[0]);
  g_autoptr (GError) error = NULL;

  if (tool == NULL)
    {
      print_message ("%s is not installed; skipping\n", argv[0]);
      skip ();
    }
  assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, out,
                             NULL, status, &error));
}

static void
test_format_from_path (void **state)
{
  const struct
  {
    const char     *path;
    NnsExportFormat format;
  } good[] = {
    { "a.png", NNS_EXPORT_PNG },       { "/x/B.PNG", NNS_EXPORT_PNG },
    { "c.Svg", NNS_EXPORT_SVG },       { "d.pdf", NNS_EXPORT_PDF },
    { "e.NNSketch", NNS_EXPORT_NNSKETCH }, { "f.py", NNS_EXPORT_PYTORCH },
    { "dots.in.name.svg", NNS_EXPORT_SVG },
  };
  const char *bad[] = { "a.gif", "noext", "dir.png/x", "a.png.bak", ".hidden", "x.pyc" };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      NnsExportFormat format = 99;

      assert_true (nns_export_format_from_path (good[i].path, &format, NULL));
      assert_int_equal (format, good[i].format);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      NnsExportFormat format;
      g_autofree char *prefix = g_strconcat (bad[i], ": ", NULL);

      assert_false (nns_export_format_from_path (bad[i], &format, &error));
      assert_non_null (error);
      assert_true (g_str_has_prefix (error->message, prefix));
      assert_non_null (strstr (error->message, ".png .svg .pdf .nnsketch .py"));
    }
}

static void
test_png_sizes (void **state)
{
  Fixture *f = *state;
  g_autofree char *path = g_build_filename (f->dir, "net.png", NULL);
  g_autoptr (NnsNetwork) network = net ("10,18,20,5");
  g_autoptr (NnsLayout) natural = NULL;
  g_autoptr (NnsLayout) boxed = NULL;
  NnsExportOptions options;
  NnsStyle style;
  cairo_surface_t *png;
  int w, h;
  double width, height;

  nns_style_init_default (&style);
  nns_export_options_init (&options);
  natural = nns_layout_new (network, &style, 0, 0);
  w = (int) ceil (nns_layout_get_width (natural));
  h = (int) ceil (nns_layout_get_height (natural));

  /* Natural size: the drawing and its margin. */
  assert_true (export ("10,18,20,5", &style, &options, path, NULL));
  png = read_png (path);
  assert_int_equal (cairo_image_surface_get_width (png), w);
  assert_int_equal (cairo_image_surface_get_height (png), h);
  cairo_surface_destroy (png);
  nns_export_get_size (network, &style, &options, NNS_EXPORT_PNG, &width, &height);
  assert_true (width == w && height == h);

  /* The scale multiplies the pixels. */
  options.scale = 3;
  assert_true (export ("10,18,20,5", &style, &options, path, NULL));
  png = read_png (path);
  assert_int_equal (cairo_image_surface_get_width (png), 3 * w);
  assert_int_equal (cairo_image_surface_get_height (png), 3 * h);
  cairo_surface_destroy (png);

  /* A box: exactly the box, times the scale, the drawing centred in it. */
  options.scale = 2;
  options.width = 800;
  options.height = 600;
  assert_true (export ("10,18,20,5", &style, &options, path, NULL));
  png = read_png (path);
  assert_int_equal (cairo_image_surface_get_width (png), 1600);
  assert_int_equal (cairo_image_surface_get_height (png), 1200);
  {
    NnsNode node;
    NnsPalette palette;
    double lw, lh, zoom, x, y;
    guint32 v;

    boxed = nns_layout_new (network, &style, 800, 600);
    lw = nns_layout_get_width (boxed);
    lh = nns_layout_get_height (boxed);
    /* A box scales the one layout; it never lays it out again. */
    {
      g_autoptr (NnsLayout) natural = nns_layout_new (network, &style, 0, 0);

      assert_true (lw == nns_layout_get_width (natural) && lh == nns_layout_get_height (natural));
    }
    zoom = MIN (800 / lw, 600 / lh);
    nns_style_get_palette (&style, &palette);
    for (guint c = 0; c < 4; c++)
      {
        nns_layout_get_drawn_node (boxed, c, 0, &node);
        x = 2 * ((800 - lw * zoom) / 2 + node.x * zoom);
        y = 2 * ((600 - lh * zoom) / 2 + node.y * zoom);
        v = pixel (png, (int) x, (int) y);
        assert_int_equal (v & 0xffffff, (guint32) (lround (palette.node_fill.red * 255) << 16 |
                                                   lround (palette.node_fill.green * 255) << 8 |
                                                   lround (palette.node_fill.blue * 255)));
      }
    /* The background fills the letterbox too. */
    assert_int_equal (pixel (png, 0, 0), 0xffffffff);
    assert_int_equal (pixel (png, 1599, 1199), 0xffffffff);
  }
  cairo_surface_destroy (png);

  /* Only a width: the height follows the aspect. */
  options.scale = 1;
  options.width = 400;
  options.height = 0;
  assert_true (export ("10,18,20,5", &style, &options, path, NULL));
  png = read_png (path);
  assert_int_equal (cairo_image_surface_get_width (png), 400);
  {
    g_autoptr (NnsLayout) l = nns_layout_new (network, &style, 400, 0);
    int expect = (int) ceil (nns_layout_get_height (l) * 400 / nns_layout_get_width (l));

    assert_int_equal (cairo_image_surface_get_height (png), expect);
    /* Landscape, as the window shows it. */
    assert_true (expect < 400);
  }
  cairo_surface_destroy (png);

  /* Every neuron of a wide layer (past the floor), into a 1600 × 900 box at scale 2. */
  options.width = 1600;
  options.height = 900;
  options.scale = 2;
  style.show_all_neurons = TRUE;
  assert_true (export ("1000,30,10", &style, &options, path, NULL));
  png = read_png (path);
  assert_int_equal (cairo_image_surface_get_width (png), 3200);
  assert_int_equal (cairo_image_surface_get_height (png), 1800);
  cairo_surface_destroy (png);
  /* MNIST, every neuron: fast with the edge bundles. */
  {
    gint64 start = g_get_monotonic_time ();

    assert_true (export ("784,256,128,10", &style, &options, path, NULL));
    print_message ("MNIST, all neurons, 3200 × 1800 PNG: %.2f s\n",
                   (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
  }
  png = read_png (path);
  assert_int_equal (cairo_image_surface_get_width (png), 3200);
  cairo_surface_destroy (png);

  assert_listing (f->dir, "net.png");
}

static void
test_backgrounds (void **state)
{
  Fixture *f = *state;
  g_autofree char *path = g_build_filename (f->dir, "bg.png", NULL);
  NnsExportOptions options;
  NnsStyle style;
  cairo_surface_t *png;

  nns_style_init_default (&style);
  nns_export_options_init (&options);

  /* Default: the theme's background, opaque. */
  style.theme = NNS_THEME_DARK;
  assert_true (export ("8,4,2", &style, &options, path, NULL));
  png = read_png (path);
  assert_int_equal (pixel (png, 0, 0), 0xff242424);
  cairo_surface_destroy (png);

  options.white = TRUE;
  assert_true (export ("8,4,2", &style, &options, path, NULL));
  png = read_png (path);
  assert_int_equal (pixel (png, 0, 0), 0xffffffff);
  cairo_surface_destroy (png);

  options.transparent = TRUE;
  assert_true (export ("8,4,2", &style, &options, path, NULL));
  png = read_png (path);
  assert_int_equal (pixel (png, 0, 0) >> 24, 0);
  assert_int_equal (pixel (png, cairo_image_surface_get_width (png) - 1,
                           cairo_image_surface_get_height (png) - 1) >> 24, 0);
  cairo_surface_destroy (png);
}

/* ---- labels stay readable in a box ---- */

typedef struct
{
  double x0, y0, x1, y1;
} Rect;

static gboolean
rects_overlap (const Rect *a, const Rect *b)
{
  return a->x0 < b->x1 && b->x0 < a->x1 && a->y0 < b->y1 && b->y0 < a->y1;
}

/* Sizes the labels have in a natural-size export (px). */
static double
nominal_size (NnsLabelKind kind)
{
  return kind == NNS_LABEL_PARAMS ? 11 : 13;
}

/* Rows of pixels inside r (clamped to the image) that differ from the
 * background colour bg: the label's ink. Returns the ink's height, 0 if none. */
static int
ink_height (cairo_surface_t *png, const Rect *r, guint32 bg)
{
  int w = cairo_image_surface_get_width (png), h = cairo_image_surface_get_height (png);
  int top = G_MAXINT, bottom = -1;

  for (int y = MAX (0, (int) floor (r->y0)); y < MIN (h, (int) ceil (r->y1)); y++)
    for (int x = MAX (0, (int) floor (r->x0)); x < MIN (w, (int) ceil (r->x1)); x++)
      {
        guint32 p = pixel (png, x, y);
        int d = 0;

        for (int shift = 0; shift < 24; shift += 8)
          d = MAX (d, abs ((int) ((p >> shift) & 0xff) - (int) ((bg >> shift) & 0xff)));
        if (d > 80)
          {
            top = MIN (top, y);
            bottom = MAX (bottom, y);
          }
      }
  return bottom < 0 ? 0 : bottom - top + 1;
}

/* Exports widths at the natural size (scaled down only past the viewers'
 * limit) and checks, in the PNG's pixels: every label at its size (the text
 * scale's), inside the image, clear of the other labels and of every node.
 * Counts the labels of each kind (indexed by NnsLabelKind). */
static void
check_readable (Fixture *f, const char *widths, const NnsStyle *style, guint counts[5])
{
  g_autofree char *path = g_build_filename (f->dir, "labels.png", NULL);
  g_autoptr (NnsNetwork) network = net (widths);
  g_autoptr (NnsLayout) layout = nns_layout_new (network, style, 0, 0);
  g_autoptr (GArray) rects = g_array_new (FALSE, FALSE, sizeof (Rect));
  NnsExportOptions options;
  cairo_surface_t *png;
  double t = nns_layout_get_text_scale (layout), s, bw, bh, ox, oy;
  guint32 bg;

  nns_export_options_init (&options);
  assert_true (export (widths, style, &options, path, NULL));
  png = read_png (path);
  bw = cairo_image_surface_get_width (png);
  bh = cairo_image_surface_get_height (png);
  assert_true (bw <= NNS_EXPORT_MAX_PNG_SIDE && bh <= NNS_EXPORT_MAX_PNG_SIDE);
  /* The one layout, scaled: same proportions. */
  s = MIN (bw / nns_layout_get_width (layout), bh / nns_layout_get_height (layout));
  assert_true (fabs (bw / bh - nns_layout_get_width (layout) / nns_layout_get_height (layout))
               < 2.0 / MIN (bw, bh) * (bw / bh) + 1e-9);
  bg = pixel (png, 0, 0);
  ox = (bw - nns_layout_get_width (layout) * s) / 2;
  oy = (bh - nns_layout_get_height (layout) * s) / 2;

  memset (counts, 0, 5 * sizeof (guint));
  for (guint i = 0; i < nns_layout_get_n_labels (layout); i++)
    {
      NnsLabel label;
      Rect r;
      int ink;

      nns_layout_get_label (layout, i, &label);
      counts[label.kind]++;
      r = (Rect) { ox + label.left * s, oy + label.top * s, ox + (label.left + label.width) * s,
                   oy + (label.top + label.height) * s };
      assert_true (fabs (label.font_size - t * nominal_size (label.kind)) < 1e-6);
      assert_true (r.x0 >= -1e-6 && r.y0 >= -1e-6 && r.x1 <= bw + 1e-6 && r.y1 <= bh + 1e-6);
      for (guint j = 0; j < rects->len; j++)
        assert_false (rects_overlap (&r, &g_array_index (rects, Rect, j)));
      g_array_append_val (rects, r);
      /* Real pixels: the text is there, as tall as its font says. */
      if (s * t >= 1)
        {
          ink = ink_height (png, &r, bg);
          assert_true (ink >= 0.6 * nominal_size (label.kind));
          assert_true (ink <= r.y1 - r.y0 + 1);
        }
    }

  for (guint c = 0; c < nns_layout_get_n_columns (layout); c++)
    for (guint i = 0; i < nns_layout_get_n_drawn (layout, c); i += 1 + nns_layout_get_n_drawn (layout, c) / 64)
      {
        NnsNode node;
        Rect n;

        nns_layout_get_drawn_node (layout, c, i, &node);
        n = (Rect) { ox + (node.x - node.radius) * s, oy + (node.y - node.radius) * s,
                     ox + (node.x + node.radius) * s, oy + (node.y + node.radius) * s };
        assert_true (n.x0 >= -1e-6 && n.y0 >= -1e-6 && n.x1 <= bw + 1e-6 && n.y1 <= bh + 1e-6);
        for (guint j = 0; j < rects->len; j++)
          assert_false (rects_overlap (&n, &g_array_index (rects, Rect, j)));
      }
  cairo_surface_destroy (png);
}

static void
test_labels_readable (void **state)
{
  Fixture *f = *state;
  g_autofree char *deep = NULL;
  const char *nets[4] = { "784,256,128,10", "10,18,20,5", "1000,1000,1000,1000", NULL };

  {
    g_autoptr (GString) s = g_string_new ("10");

    /* 64 dense layers. */
    for (int i = 0; i < 64; i++)
      g_string_append (s, ",10");
    deep = g_strdup (s->str);
    nets[3] = deep;
  }

  for (guint n = 0; n < G_N_ELEMENTS (nets); n++)
    for (int all = 0; all <= 1; all++)
      for (int dir = 0; dir <= 1; dir++)
        {
          g_autoptr (NnsNetwork) network = net (nets[n]);
          guint n_columns = nns_network_get_n_layers (network) + 1;
          NnsStyle style;
          guint counts[5];

          nns_style_init_default (&style);
          style.show_all_neurons = all;
          style.direction = dir ? NNS_DIRECTION_VERTICAL : NNS_DIRECTION_HORIZONTAL;
          style.theme = (n + all) % 2 ? NNS_THEME_DARK : NNS_THEME_LIGHT;
          check_readable (f, nets[n], &style, counts);
          /* Every label, whatever the size: never dropped. */
          assert_int_equal (counts[NNS_LABEL_TOTAL], 1);
          assert_true (counts[NNS_LABEL_TITLE] >= n_columns);
          assert_int_equal (counts[NNS_LABEL_WIDTH], n_columns);
          assert_int_equal (counts[NNS_LABEL_PARAMS], n_columns - 1);
        }
}

static double
mean_difference (cairo_surface_t *a, cairo_surface_t *b)
{
  int w = cairo_image_surface_get_width (a), h = cairo_image_surface_get_height (a);
  double sum = 0;

  assert_int_equal (cairo_image_surface_get_width (b), w);
  assert_int_equal (cairo_image_surface_get_height (b), h);
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        guint32 p = pixel (a, x, y), q = pixel (b, x, y);

        for (int shift = 0; shift < 32; shift += 8)
          sum += abs ((int) ((p >> shift) & 0xff) - (int) ((q >> shift) & 0xff));
      }
  return sum / ((double) w * h * 4);
}

static void
check_svg_matches_png (Fixture *f, const char *widths, const NnsStyle *style, double box_width,
                       double box_height)
{
  g_autofree char *svg = g_build_filename (f->dir, "net.svg", NULL);
  g_autofree char *png = g_build_filename (f->dir, "net.png", NULL);
  g_autofree char *rendered = g_build_filename (f->dir, "rsvg.png", NULL);
  g_autofree char *w = NULL, *h = NULL;
  NnsExportOptions options;
  cairo_surface_t *a, *b;
  double diff;
  int status;

  nns_export_options_init (&options);
  options.width = box_width;
  options.height = box_height;
  assert_true (export (widths, style, &options, svg, NULL));
  assert_true (export (widths, style, &options, png, NULL));

  {
    const char *argv[] = { "xmllint", "--noout", svg, NULL };

    run_tool (argv, NULL, &status);
    assert_true (g_spawn_check_wait_status (status, NULL));
  }

  a = read_png (png);
  w = g_strdup_printf ("%d", cairo_image_surface_get_width (a));
  h = g_strdup_printf ("%d", cairo_image_surface_get_height (a));
  {
    const char *argv[] = { "rsvg-convert", "-w", w, "-h", h, "-o", rendered, svg, NULL };

    run_tool (argv, NULL, &status);
    assert_true (g_spawn_check_wait_status (status, NULL));
  }
  b = read_png (rendered);
  diff = mean_difference (a, b);
  print_message ("%s: SVG via rsvg-convert vs PNG: mean |difference| %.3f/255 per channel\n",
                 widths, diff);
  assert_true (diff < SVG_TOLERANCE);
  /* The comparison can fail: a different drawing is far off. */
  {
    cairo_surface_t *blank = cairo_image_surface_create (CAIRO_FORMAT_ARGB32,
                                                         cairo_image_surface_get_width (a),
                                                         cairo_image_surface_get_height (a));
    cairo_t *cr = cairo_create (blank);

    cairo_set_source_rgb (cr, 1, 1, 1);
    cairo_paint (cr);
    cairo_destroy (cr);
    assert_true (mean_difference (a, blank) > 3 * SVG_TOLERANCE);
    cairo_surface_destroy (blank);
  }
  cairo_surface_destroy (a);
  cairo_surface_destroy (b);
  g_unlink (rendered);
}

static void
test_svg (void **state)
{
  Fixture *f = *state;
  NnsStyle style;
  g_autofree char *contents = NULL;
  g_autofree char *svg = g_build_filename (f->dir, "net.svg", NULL);

  nns_style_init_default (&style);
  check_svg_matches_png (f, "10,18,20,5", &style, 0, 0);
  assert_true (g_file_get_contents (svg, &contents, NULL, NULL));
  assert_non_null (strstr (contents, "<svg"));
  check_svg_matches_png (f, "784,256,128,10", &style, 0, 0);
  style.theme = NNS_THEME_DARK;
  style.direction = NNS_DIRECTION_VERTICAL;
  check_svg_matches_png (f, "8,4,2", &style, 0, 0);
  assert_listing (f->dir, "net.png net.svg");
}

static void
test_pdf (void **state)
{
  Fixture *f = *state;
  g_autofree char *pdf = g_build_filename (f->dir, "net.pdf", NULL);
  g_autofree char *out = NULL;
  g_autofree char *contents = NULL;
  NnsExportOptions options;
  NnsStyle style;
  int status;

  nns_style_init_default (&style);
  nns_export_options_init (&options);
  options.width = 600;
  options.height = 400;
  assert_true (export ("784,256,128,10", &style, &options, pdf, NULL));
  assert_true (g_file_get_contents (pdf, &contents, NULL, NULL));
  assert_true (g_str_has_prefix (contents, "%PDF-"));
  {
    const char *argv[] = { "pdfinfo", pdf, NULL };

    run_tool (argv, &out, &status);
    assert_true (g_spawn_check_wait_status (status, NULL));
  }
  assert_true (g_regex_match_simple ("^Pages: +1$", out, G_REGEX_MULTILINE, 0));
  /* The box, in points. */
  assert_true (g_regex_match_simple ("^Page size: +600 x 400 pts$", out, G_REGEX_MULTILINE, 0));
  assert_listing (f->dir, "net.pdf");
}

/* Dense bundles, which vector files embed as images: the PDF rendered by
 * pdftoppm at 72 dpi (1 pt = 1 px) matches the PNG. */
static void
test_pdf_matches_png (void **state)
{
  Fixture *f = *state;
  g_autofree char *pdf = g_build_filename (f->dir, "dense.pdf", NULL);
  g_autofree char *png = g_build_filename (f->dir, "dense.png", NULL);
  g_autofree char *prefix = g_build_filename (f->dir, "pdftoppm", NULL);
  g_autofree char *rendered = g_build_filename (f->dir, "pdftoppm.png", NULL);
  NnsExportOptions options;
  NnsStyle style;
  cairo_surface_t *a, *b;
  double diff;
  int status;

  nns_style_init_default (&style);
  style.show_all_neurons = TRUE;
  nns_export_options_init (&options);
  options.width = 800;
  options.height = 600;
  assert_true (export ("784,256,128,10", &style, &options, pdf, NULL));
  assert_true (export ("784,256,128,10", &style, &options, png, NULL));
  {
    const char *argv[] = { "pdftoppm", "-png", "-r", "72", "-singlefile", pdf, prefix, NULL };

    run_tool (argv, NULL, &status);
    assert_true (g_spawn_check_wait_status (status, NULL));
  }
  a = read_png (png);
  b = read_png (rendered);
  diff = mean_difference (a, b);
  print_message ("MNIST, all neurons: PDF via pdftoppm vs PNG: mean |difference| %.3f/255\n",
                 diff);
  assert_true (diff < SVG_TOLERANCE);
  cairo_surface_destroy (a);
  cairo_surface_destroy (b);
}

/* MNIST with every neuron at its natural size: no raster image in the SVG or
 * the PDF, every label a real <text> in its column's group, small files;
 * rendered by rsvg-convert and pdftoppm they match the PNG. */
static void
test_real_vectors (void **state)
{
  Fixture *f = *state;
  g_autofree char *svg = g_build_filename (f->dir, "all.svg", NULL);
  g_autofree char *pdf = g_build_filename (f->dir, "all.pdf", NULL);
  g_autofree char *png = g_build_filename (f->dir, "all.png", NULL);
  g_autofree char *prefix = g_build_filename (f->dir, "pdftoppm", NULL);
  g_autofree char *from_pdf = g_build_filename (f->dir, "pdftoppm.png", NULL);
  g_autofree char *from_svg = g_build_filename (f->dir, "rsvg.png", NULL);
  g_autoptr (NnsNetwork) network = net ("784,256,128,10");
  g_autoptr (NnsLayout) layout = NULL;
  g_autofree char *contents = NULL;
  gsize svg_len, pdf_len;
  NnsExportOptions options;
  NnsStyle style;
  cairo_surface_t *a, *b;
  int status;

  nns_style_init_default (&style);
  style.show_all_neurons = TRUE;
  nns_export_options_init (&options);
  layout = nns_layout_new (network, &style, 0, 0);
  assert_true (export ("784,256,128,10", &style, &options, svg, NULL));
  assert_true (export ("784,256,128,10", &style, &options, pdf, NULL));
  assert_true (export ("784,256,128,10", &style, &options, png, NULL));

  assert_true (g_file_get_contents (svg, &contents, &svg_len, NULL));
  print_message ("MNIST, every neuron: SVG %zu bytes\n", svg_len);
  assert_true (svg_len <= 4 * 1000 * 1000);
  assert_null (strstr (contents, "<image"));
  assert_non_null (strstr (contents, "font-family=\"Cantarell, "));
  for (guint c = 0; c < 4; c++)
    {
      g_autofree char *group = g_strdup_printf ("<g id=\"column-%u\">", c);

      assert_non_null (strstr (contents, group));
    }
  assert_non_null (strstr (contents, "<g id=\"total\">"));
  {
    guint n_text = 0;

    for (const char *p = strstr (contents, "<text "); p; p = strstr (p + 1, "<text "))
      n_text++;
    assert_int_equal (n_text, nns_layout_get_n_labels (layout));
    for (guint i = 0; i < nns_layout_get_n_labels (layout); i++)
      {
        NnsLabel label;
        g_autofree char *escaped = NULL, *element = NULL;

        nns_layout_get_label (layout, i, &label);
        escaped = g_markup_escape_text (label.text, -1);
        element = g_strdup_printf (">%s</text>", escaped);
        assert_non_null (strstr (contents, element));
      }
  }
  g_clear_pointer (&contents, g_free);

  assert_true (g_file_get_contents (pdf, &contents, &pdf_len, NULL));
  print_message ("MNIST, every neuron: PDF %zu bytes\n", pdf_len);
  assert_true (pdf_len <= 2 * 1000 * 1000);
  assert_null (memmem (contents, pdf_len, "/Subtype /Image", 15));
  assert_null (memmem (contents, pdf_len, "/Subtype/Image", 14));

  a = read_png (png);
  {
    g_autofree char *w = g_strdup_printf ("%d", cairo_image_surface_get_width (a));
    g_autofree char *h = g_strdup_printf ("%d", cairo_image_surface_get_height (a));
    const char *argv[] = { "rsvg-convert", "-w", w, "-h", h, "-o", from_svg, svg, NULL };
    const char *argv2[] = { "pdftoppm", "-png", "-r", "72", "-singlefile", pdf, prefix, NULL };
    double diff;

    run_tool (argv, NULL, &status);
    assert_true (g_spawn_check_wait_status (status, NULL));
    b = read_png (from_svg);
    diff = mean_difference (a, b);
    print_message ("SVG via rsvg-convert vs PNG: %.3f/255\n", diff);
    assert_true (diff < SVG_TOLERANCE);
    cairo_surface_destroy (b);
    run_tool (argv2, NULL, &status);
    assert_true (g_spawn_check_wait_status (status, NULL));
    b = read_png (from_pdf);
    diff = mean_difference (a, b);
    print_message ("PDF via pdftoppm vs PNG: %.3f/255\n", diff);
    assert_true (diff < SVG_TOLERANCE);
    cairo_surface_destroy (b);
  }
  cairo_surface_destroy (a);
  g_unlink (svg);
  g_unlink (pdf);
  g_unlink (png);
  g_unlink (from_svg);
  g_unlink (from_pdf);
}

/* Text and background at least 4.5 : 1 for every theme and every background
 * an export paints (the theme's, white), titles and the lighter params
 * labels; and in the pixels of the PNG, the dark theme on white has dark
 * text. */
static void
test_contrast (void **state)
{
  Fixture *f = *state;
  g_autofree char *path = g_build_filename (f->dir, "contrast.png", NULL);

  for (int theme = 0; theme <= 1; theme++)
    for (int bg = 0; bg <= 2; bg++)
      {
        NnsStyle style;
        NnsExportOptions options;
        NnsColor background, params;
        NnsPalette palette;
        double t, p;

        nns_style_init_default (&style);
        style.theme = theme ? NNS_THEME_DARK : NNS_THEME_LIGHT;
        nns_export_options_init (&options);
        options.white = bg == 1;
        /* bg == 2: GNOME's dark background under whatever theme. */
        nns_export_get_background (&style, &options, &background);
        if (bg == 2)
          background = (NnsColor) { 0x24 / 255.0, 0x24 / 255.0, 0x24 / 255.0, 1 };
        nns_style_get_palette_on (&style, &background, &palette);
        params = (NnsColor) {
          NNS_RENDER_PARAMS_ALPHA * palette.text.red + (1 - NNS_RENDER_PARAMS_ALPHA) * background.red,
          NNS_RENDER_PARAMS_ALPHA * palette.text.green + (1 - NNS_RENDER_PARAMS_ALPHA) * background.green,
          NNS_RENDER_PARAMS_ALPHA * palette.text.blue + (1 - NNS_RENDER_PARAMS_ALPHA) * background.blue, 1
        };
        t = nns_color_contrast (&palette.text, &background);
        p = nns_color_contrast (&params, &background);
        print_message ("theme %d background %d: text %.1f : 1, params %.1f : 1\n", theme, bg, t, p);
        assert_true (t >= 4.5);
        assert_true (p >= 4.5);
        assert_true (nns_color_contrast (&palette.node_border, &background) >= 3);
      }

  /* In pixels: --theme=dark --export-background=white draws dark titles. */
  {
    g_autoptr (NnsNetwork) network = net ("8,4,2");
    g_autoptr (NnsLayout) layout = NULL;
    NnsExportOptions options;
    NnsStyle style;
    NnsLabel label;
    cairo_surface_t *png;
    guint32 darkest = 0xffffff;

    nns_style_init_default (&style);
    style.theme = NNS_THEME_DARK;
    nns_export_options_init (&options);
    options.white = TRUE;
    layout = nns_layout_new (network, &style, 0, 0);
    assert_true (export ("8,4,2", &style, &options, path, NULL));
    png = read_png (path);
    nns_layout_get_label (layout, 0, &label);
    for (int y = (int) label.top; y < (int) (label.top + label.height); y++)
      for (int x = (int) label.left; x < (int) (label.left + label.width); x++)
        darkest = MIN (darkest, pixel (png, x, y) & 0xff);
    assert_int_equal (pixel (png, 0, 0) & 0xffffff, 0xffffff);
    assert_true (darkest < 0x60);
    cairo_surface_destroy (png);
    g_unlink (path);
  }
}

static void
test_errors (void **state)
{
  Fixture *f = *state;
  g_autofree char *missing = g_build_filename (f->dir, "missing", "x.png", NULL);
  g_autofree char *keep = g_build_filename (f->dir, "keep.png", NULL);
  g_autofree char *is_dir = g_build_filename (f->dir, "folder.svg", NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *contents = NULL;
  NnsExportOptions options;
  NnsStyle style;

  nns_style_init_default (&style);
  nns_export_options_init (&options);

  /* A folder that does not exist. */
  assert_false (export ("10,18,20,5", &style, &options, missing, &error));
  expected = g_strdup_printf ("%s: No such file or directory", missing);
  assert_string_equal (error->message, expected);
  g_clear_error (&error);

  /* A folder nobody may write to (/proc refuses even root). */
  assert_false (export ("10,18,20,5", &style, &options, "/proc/nnsketch-test.svg", &error));
  assert_true (g_str_has_prefix (error->message, "/proc/nnsketch-test.svg: "));
  g_clear_error (&error);
  if (geteuid () != 0)
    {
      g_autofree char *locked = g_build_filename (f->dir, "locked", NULL);
      g_autofree char *inside = g_build_filename (locked, "x.pdf", NULL);
      g_autofree char *denied = g_strdup_printf ("%s: Permission denied", inside);

      assert_int_equal (g_mkdir (locked, 0555), 0);
      assert_false (export ("10,18,20,5", &style, &options, inside, &error));
      assert_string_equal (error->message, denied);
      g_clear_error (&error);
      assert_listing (locked, "");
      g_rmdir (locked);
    }

  /* An unknown extension. */
  {
    g_autofree char *gif = g_build_filename (f->dir, "x.gif", NULL);

    assert_false (export ("10,18,20,5", &style, &options, gif, &error));
    assert_non_null (strstr (error->message, ".png .svg .pdf .nnsketch .py"));
    g_clear_error (&error);
  }

  /* A folder where the file should go. */
  assert_int_equal (g_mkdir (is_dir, 0755), 0);
  assert_false (export ("10,18,20,5", &style, &options, is_dir, &error));
  g_free (expected);
  expected = g_strdup_printf ("%s: Is a directory", is_dir);
  assert_string_equal (error->message, expected);
  g_clear_error (&error);
  g_rmdir (is_dir);

  /* Past what viewers open: scaled down, proportions kept, and said so; the
   * file appears whole. */
  {
    g_autoptr (NnsNetwork) mnist = net ("784,256,128,10");
    g_autoptr (NnsLayout) layout = NULL;
    g_autofree char *note = NULL;
    g_autofree char *svg = g_build_filename (f->dir, "huge.svg", NULL);
    double w, h;

    style.show_all_neurons = TRUE;
    layout = nns_layout_new (mnist, &style, 0, 0);
    options.scale = 8;
    nns_export_get_size (mnist, &style, &options, NNS_EXPORT_PNG, &w, &h);
    assert_true (MAX (w, h) <= NNS_EXPORT_MAX_PNG_SIDE);
    assert_true (w * h <= NNS_EXPORT_MAX_PNG_PIXELS && w * h > 0.99 * NNS_EXPORT_MAX_PNG_PIXELS);
    assert_true (fabs (w / h - nns_layout_get_width (layout) / nns_layout_get_height (layout)) < 0.01);
    nns_export_options_init (&options);
    style.show_all_neurons = FALSE;
    nns_export_get_size (mnist, &style, &options, NNS_EXPORT_PNG, &w, &h);
    assert_true (MAX (w, h) < NNS_EXPORT_MAX_PNG_SIDE);

    g_clear_pointer (&mnist, g_object_unref);
    mnist = net ("1000000,2");
    style.show_all_neurons = TRUE;
    assert_true (nns_export_image_with_note (mnist, &style, &options, NNS_EXPORT_SVG, svg, &note,
                                             &error));
    assert_null (error);
    assert_non_null (note);
    assert_non_null (strstr (note, "14,400 pt"));
    nns_export_get_size (mnist, &style, &options, NNS_EXPORT_SVG, &w, &h);
    assert_true (MAX (w, h) <= NNS_EXPORT_MAX_PAGE_SIDE);
    g_unlink (svg);
    style.show_all_neurons = FALSE;
  }

  /* No leftovers anywhere. */
  assert_listing (f->dir, "");
  (void) keep;
}

static char **
environ_without_display (void)
{
  char **env = g_get_environ ();

  env = g_environ_unsetenv (env, "DISPLAY");
  env = g_environ_unsetenv (env, "WAYLAND_DISPLAY");
  /* Under AddressSanitizer, fontconfig's caches at exit are not the CLI's leaks. */
  env = g_environ_setenv (env, "ASAN_OPTIONS", "detect_leaks=0", TRUE);
  return env;
}

static void
test_cli (void **state)
{
  Fixture *f = *state;
  const char *nnsketch = g_getenv ("NNSKETCH");
  g_autofree char *svg = g_build_filename (f->dir, "mnist.svg", NULL);
  g_autofree char *png = g_build_filename (f->dir, "white.png", NULL);
  g_autofree char *svg_arg = g_strconcat ("--export-filename=", svg, NULL);
  g_autofree char *png_arg = g_strconcat ("--export-filename=", png, NULL);
  g_auto (GStrv) env = environ_without_display ();
  g_autofree char *err = NULL;
  g_autofree char *contents = NULL;
  cairo_surface_t *surface;
  int status;

  assert_non_null (nnsketch);
  {
    const char *argv[] = { nnsketch, "--layers=784,256,128,10", svg_arg, NULL };

    assert_true (g_spawn_sync (NULL, (char **) argv, env, 0, NULL, NULL, NULL, &err, &status,
                               NULL));
    assert_true (g_spawn_check_wait_status (status, NULL));
    assert_string_equal (err, "");
  }
  assert_true (g_file_get_contents (svg, &contents, NULL, NULL));
  assert_non_null (strstr (contents, "<svg"));
  assert_non_null (strstr (contents, "</svg>"));
  {
    const char *argv[] = { "xmllint", "--noout", svg, NULL };

    run_tool (argv, NULL, &status);
    assert_true (g_spawn_check_wait_status (status, NULL));
  }

  /* Dark theme, white background, scale 2. */
  {
    const char *argv[] = { nnsketch, "--layers=8,4,2", "--theme=dark", "--export-background=white",
                           "--export-scale=2", png_arg, NULL };

    g_clear_pointer (&err, g_free);
    assert_true (g_spawn_sync (NULL, (char **) argv, env, 0, NULL, NULL, NULL, &err, &status,
                               NULL));
    assert_true (g_spawn_check_wait_status (status, NULL));
  }
  surface = read_png (png);
  assert_int_equal (pixel (surface, 0, 0), 0xffffffff);
  assert_int_equal (cairo_image_surface_get_width (surface) % 2, 0);
  cairo_surface_destroy (surface);

  /* An error: status 1, one line naming the path, no file. */
  {
    g_autofree char *bad = g_build_filename (f->dir, "nope", "x.png", NULL);
    g_autofree char *arg = g_strconcat ("--export-filename=", bad, NULL);
    g_autofree char *expected = g_strdup_printf ("nnsketch: error: %s: No such file or directory\n",
                                                 bad);
    const char *argv[] = { nnsketch, arg, NULL };

    g_clear_pointer (&err, g_free);
    assert_true (g_spawn_sync (NULL, (char **) argv, env, 0, NULL, NULL, NULL, &err, &status,
                               NULL));
    assert_false (g_spawn_check_wait_status (status, NULL));
    assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 1);
    assert_string_equal (err, expected);
  }
  assert_listing (f->dir, "mnist.svg white.png");
}

/* ---- the PNG writer ---- */

static cairo_status_t
append_png (void *closure, const unsigned char *data, unsigned int length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static cairo_status_t
fail_png (void *closure, const unsigned char *data, unsigned int length)
{
  return CAIRO_STATUS_WRITE_ERROR;
}

typedef struct
{
  GByteArray *bytes;
  guint       at;
} PngReader;

static cairo_status_t
read_png_bytes (void *closure, unsigned char *data, unsigned int length)
{
  PngReader *r = closure;

  if (r->at + length > r->bytes->len)
    return CAIRO_STATUS_READ_ERROR;
  memcpy (data, r->bytes->data + r->at, length);
  r->at += length;
  return CAIRO_STATUS_SUCCESS;
}

/* What nns_png_write() writes reads back as the same pixels: opaque ones
 * exactly (as RGB), translucent ones within the rounding of premultiplied
 * alpha; a failed write is a write error. */
static void
test_png_writer (void **state)
{
  for (int translucent = 0; translucent <= 1; translucent++)
    {
      cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 37, 23);
      g_autoptr (GByteArray) bytes = g_byte_array_new ();
      PngReader reader = { bytes, 0 };
      cairo_surface_t *back;
      cairo_t *cr = cairo_create (surface);

      cairo_set_source_rgb (cr, 0.9, 0.3, 0.1);
      cairo_paint (cr);
      if (translucent)
        {
          cairo_set_operator (cr, CAIRO_OPERATOR_SOURCE);
          cairo_set_source_rgba (cr, 0.2, 0.5, 0.7, 0.4);
          cairo_rectangle (cr, 5, 5, 20, 10);
          cairo_fill (cr);
          cairo_set_source_rgba (cr, 0, 0, 0, 0);
          cairo_rectangle (cr, 30, 0, 7, 7);
          cairo_fill (cr);
        }
      cairo_set_operator (cr, CAIRO_OPERATOR_OVER);
      cairo_set_source_rgb (cr, 0.1, 0.8, 0.2);
      cairo_arc (cr, 18, 12, 8, 0, 2 * G_PI);
      cairo_fill (cr);
      cairo_destroy (cr);

      assert_int_equal (nns_png_write (surface, append_png, bytes), CAIRO_STATUS_SUCCESS);
      back = cairo_image_surface_create_from_png_stream (read_png_bytes, &reader);
      assert_int_equal (cairo_surface_status (back), CAIRO_STATUS_SUCCESS);
      assert_int_equal (cairo_image_surface_get_format (back),
                        translucent ? CAIRO_FORMAT_ARGB32 : CAIRO_FORMAT_RGB24);
      assert_int_equal (cairo_image_surface_get_width (back), 37);
      assert_int_equal (cairo_image_surface_get_height (back), 23);
      for (int y = 0; y < 23; y++)
        for (int x = 0; x < 37; x++)
          {
            guint32 a = pixel (surface, x, y), b = pixel (back, x, y);

            if (!translucent)
              assert_int_equal (a & 0xffffff, b & 0xffffff);
            else
              for (int shift = 0; shift < 32; shift += 8)
                if (abs ((int) ((a >> shift) & 0xff) - (int) ((b >> shift) & 0xff)) > 1)
                  fail_msg ("(%d, %d): %08x written, %08x read", x, y, a, b);
          }
      assert_int_equal (nns_png_write (surface, fail_png, NULL), CAIRO_STATUS_WRITE_ERROR);
      cairo_surface_destroy (back);
      cairo_surface_destroy (surface);
    }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_format_from_path),
    cmocka_unit_test (test_png_writer),
    cmocka_unit_test_setup_teardown (test_png_sizes, setup, teardown),
    cmocka_unit_test_setup_teardown (test_backgrounds, setup, teardown),
    cmocka_unit_test_setup_teardown (test_labels_readable, setup, teardown),
    cmocka_unit_test_setup_teardown (test_svg, setup, teardown),
    cmocka_unit_test_setup_teardown (test_pdf, setup, teardown),
    cmocka_unit_test_setup_teardown (test_pdf_matches_png, setup, teardown),
    cmocka_unit_test_setup_teardown (test_real_vectors, setup, teardown),
    cmocka_unit_test_setup_teardown (test_contrast, setup, teardown),
    cmocka_unit_test_setup_teardown (test_errors, setup, teardown),
    cmocka_unit_test_setup_teardown (test_cli, setup, teardown),
  };

  int failed = cmocka_run_group_tests (tests, NULL, NULL);

  /* Let LeakSanitizer see only our own leaks, not cairo's and fontconfig's caches. */
  cairo_debug_reset_static_data ();
  FcFini ();
  return failed;
}
