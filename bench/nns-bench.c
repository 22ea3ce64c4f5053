/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "nns-bench"

/* Times the diagram pipeline at 1600 × 900 with every neuron shown, on every
 * shape of network the model allows (the NNS_BENCH_NETWORKS table below): per network
 * the frames a window draws — render (a full redraw of the fitted view),
 * select (a neuron of layer 1 selected, a new one each frame), drag (layer
 * 1's width moved up and down, re-layout and redraw), pan (the view moved by
 * up to 40 px), zoom (in and out by 1.25× about the centre), deep zoom (in
 * and out in 20 steps between the fit and the window's deepest, 64×) — as medians and
 * 95th percentiles, and PNG / SVG / PDF export times and file sizes; then the
 * whole `nnsketch --export-filename=x.png` process.
 *
 *   nns-bench [--runs=N] [--json] [--only=LAYERS] [--naive] [--single-thread]
 *             [--nnsketch=PATH]
 *
 * --json prints the same figures as one JSON array, an object per network
 * and measure: network, measure, median_ms, p95_ms (and bytes for a file).
 * --naive adds a per-edge cairo render of each network for comparison
 * (minutes on the big ones). Times are wall time in ms: big bundles are
 * drawn with a helper thread on the other core, which this thread's CPU time
 * would not count; --single-thread draws on this thread only. */

#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <cairo.h>

#include "nns-bench-networks.h"
#include "nns-edges.h"
#include "nns-export.h"
#include "nns-layout.h"
#include "nns-network.h"
#include "nns-render.h"
#include "nns-style.h"

#define WIDTH  1600
#define HEIGHT 900

typedef struct
{
  double median, p95, min, max;
  guint  n;
} Stats;

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static Stats
stats_of (double *v, guint n)
{
  Stats s = { 0, 0, 0, 0, n };

  if (n == 0)
    return s;
  qsort (v, n, sizeof (double), cmp_double);
  s.median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  s.p95 = v[MIN (n - 1, (guint) ceil (0.95 * n) - 1)];
  s.min = v[0];
  s.max = v[n - 1];
  return s;
}

/* Wall time (on a shared machine it also counts the neighbours: pin the
 * benchmark and compare runs made side by side). */
static double
now_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double
wall_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

static void
style_for_bench (NnsStyle *style)
{
  nns_style_init_default (style);
  style->show_all_neurons = TRUE;
}

/* A frame of the window's kind: the layout fitted into the page (as export
 * does), then zoomed by zoom about the centre and moved by (px, py) pixels. */
static void
render_view (cairo_t *cr, NnsNetwork *network, const NnsLayout *layout, const NnsStyle *style,
             const NnsSelection *selection, double zoom, double px, double py)
{
  NnsRenderOptions options = { TRUE, selection };
  double lw = nns_layout_get_width (layout), lh = nns_layout_get_height (layout);
  double fit = MIN (WIDTH / lw, HEIGHT / lh) * zoom;

  cairo_save (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_translate (cr, (WIDTH - lw * fit) / 2 + px, (HEIGHT - lh * fit) / 2 + py);
  cairo_scale (cr, fit, fit);
  nns_render (cr, network, layout, style, &options);
  cairo_restore (cr);
}

typedef enum
{
  MEASURE_RENDER,
  MEASURE_SELECT,
  MEASURE_DRAG,
  MEASURE_PAN,
  MEASURE_ZOOM,
  MEASURE_DEEP_ZOOM,
  MEASURE_NAIVE,
  N_FRAME_MEASURES
} Measure;

static const char *const MEASURE_NAMES[] = { "render", "select", "drag", "pan", "zoom",
                                             "deep-zoom", "render-per-edge" };

/* The window's deepest zoom, in fits (the canvas's ZOOM_MAX_FACTOR). */
#define DEEPEST_ZOOM 64.0

static Stats
time_frames (NnsNetwork *network, const NnsStyle *style, Measure measure, guint runs)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, WIDTH, HEIGHT);
  cairo_t *cr = cairo_create (surface);
  NnsLayout *layout = nns_layout_new (network, style, WIDTH, HEIGHT);
  guint base_units = nns_network_get_column_width (network, 1);
  guint max_units = MAX (2 * base_units, 20);
  g_autofree double *t = g_new (double, runs);

  /* One frame first, as a window has drawn before anyone acts. */
  render_view (cr, network, layout, style, NULL, 1, 0, 0);
  nns_edges_set_force_naive (measure == MEASURE_NAIVE);
  for (guint k = 0; k < runs; k++)
    {
      NnsSelection selection = { TRUE, 1, k % base_units };
      double t0 = now_ms ();

      switch (measure)
        {
        case MEASURE_RENDER:
        case MEASURE_NAIVE:
          /* from nothing: no crossing table kept from the last frame */
          nns_edges_forget ();
          render_view (cr, network, layout, style, NULL, 1, 0, 0);
          break;
        case MEASURE_SELECT:
          render_view (cr, network, layout, style, &selection, 1, 0, 0);
          break;
        case MEASURE_DRAG:
          nns_network_set_units (network, 0,
                                 1 + nns_bench_triangle (k + 1) * (max_units - 1) / 20, NULL);
          nns_layout_free (layout);
          layout = nns_layout_new (network, style, WIDTH, HEIGHT);
          render_view (cr, network, layout, style, NULL, 1, 0, 0);
          break;
        case MEASURE_PAN:
          render_view (cr, network, layout, style, NULL, 1, 2.0 * nns_bench_triangle (k + 1),
                       1.0 * nns_bench_triangle (k + 1));
          break;
        case MEASURE_ZOOM:
          render_view (cr, network, layout, style, NULL,
                       pow (1.25, nns_bench_triangle (k + 1) % 6), 0, 0);
          break;
        case MEASURE_DEEP_ZOOM:
          render_view (cr, network, layout, style, NULL,
                       pow (DEEPEST_ZOOM, nns_bench_triangle (k + 1) / 20.0), 0, 0);
          break;
        case N_FRAME_MEASURES:
        default:
          g_assert_not_reached ();
        }
      cairo_surface_flush (surface);
      t[k] = now_ms () - t0;
    }
  nns_edges_set_force_naive (FALSE);
  if (measure == MEASURE_DRAG)
    nns_network_set_units (network, 0, base_units, NULL);
  nns_layout_free (layout);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  return stats_of (t, runs);
}

static Stats
time_export (NnsNetwork *network, const NnsStyle *style, NnsExportFormat format,
             const char *path, guint runs, goffset *size)
{
  NnsExportOptions options;
  g_autofree double *t = g_new (double, runs);

  nns_export_options_init (&options);
  options.width = WIDTH;
  options.height = HEIGHT;
  for (guint k = 0; k < runs; k++)
    {
      g_autoptr (GError) error = NULL;
      double t0 = now_ms ();

      if (!nns_export_image (network, style, &options, format, path, &error))
        g_error ("export failed: %s", error->message);
      t[k] = now_ms () - t0;
    }
  if (size)
    {
      GStatBuf st;

      *size = g_stat (path, &st) == 0 ? st.st_size : -1;
    }
  g_unlink (path);
  return stats_of (t, runs);
}

static Stats
time_process (const char *nnsketch, const char *layers, const char *out, guint runs)
{
  g_autofree double *t = g_new (double, runs);
  g_autofree char *out_arg = g_strdup_printf ("--export-filename=%s", out);
  g_autofree char *layers_arg = g_strdup_printf ("--layers=%s", layers);
  const char *argv[] = { nnsketch, layers_arg, "--show-all-neurons",
                         "--export-width=1600", "--export-height=900", out_arg, NULL };

  for (guint k = 0; k < runs; k++)
    {
      g_autoptr (GError) error = NULL;
      int status = 0;
      double t0 = wall_ms ();

      if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                         NULL, NULL, &status, &error)
          || !g_spawn_check_wait_status (status, &error))
        g_error ("%s: %s", nnsketch, error->message);
      t[k] = wall_ms () - t0;
    }
  g_unlink (out);
  return stats_of (t, runs);
}

static NnsNetwork *
network_of (const char *layers)
{
  g_autoptr (GError) error = NULL;
  NnsNetwork *network = nns_network_new_from_string (layers, &error);

  if (network == NULL)
    g_error ("%s: %s", layers, error->message);
  return network;
}

static gboolean json;
static guint n_json;

static void
report (const char *network, const char *measure, Stats s, goffset bytes)
{
  if (json)
    {
      g_print ("%s\n  {\"network\": \"%s\", \"measure\": \"%s\", \"median_ms\": %.3f, "
               "\"p95_ms\": %.3f", n_json++ ? "," : "[", network, measure, s.median, s.p95);
      if (bytes >= 0)
        g_print (", \"bytes\": %" G_GOFFSET_FORMAT, bytes);
      g_print ("}");
    }
  else if (bytes >= 0)
    g_print ("  %8.2f %8.2f %9.0f kB", s.median, s.p95, bytes / 1e3);
  else
    g_print (" %8.2f %8.2f", s.median, s.p95);
}

int
main (int argc, char **argv)
{
  int runs = 0;
  g_autofree char *nnsketch = NULL;
  g_autofree char *only = NULL;
  gboolean naive = FALSE, single_thread = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL },
    { "naive", 0, 0, G_OPTION_ARG_NONE, &naive, "Also render edge by edge", NULL },
    { "single-thread", 0, 0, G_OPTION_ARG_NONE, &single_thread,
      "Draw big bundles on this thread only", NULL },
    { "only", 0, 0, G_OPTION_ARG_STRING, &only, "Only networks whose name contains TEXT",
      "TEXT" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Frames per measurement (default 30)", "N" },
    { "nnsketch", 0, 0, G_OPTION_ARG_FILENAME, &nnsketch, "The nnsketch binary to time", "PATH" },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("— time the NN Sketch pipeline");
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = NULL;
  NnsStyle style;

  nns_render_keep_memory ();
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("nns-bench: %s\n", error->message);
      return 2;
    }
  if (runs <= 0)
    runs = 30;
  nns_edges_set_single_thread (single_thread);
  if (nnsketch == NULL && g_getenv ("NNSKETCH"))
    nnsketch = g_strdup (g_getenv ("NNSKETCH"));
  dir = g_dir_make_tmp ("nns-bench-XXXXXX", &error);
  if (dir == NULL)
    g_error ("%s", error->message);
  style_for_bench (&style);

  if (!json)
    {
      g_print ("NN Sketch benchmark: %d x %d px image, every neuron shown%s; ms of wall "
               "time, median and 95th percentile\n\n", WIDTH, HEIGHT,
               single_thread ? ", one thread" : "");
      g_print ("%-21s", "network");
      for (guint m = 0; m < (naive ? N_FRAME_MEASURES : MEASURE_NAIVE); m++)
        g_print (" %8s %8s", MEASURE_NAMES[m], "95th");
      g_print (" | %8s %8s %12s  %8s %8s %12s  %8s %8s %12s\n", "PNG", "95th", "size", "SVG",
               "95th", "size", "PDF", "95th", "size");
    }
  for (guint k = 0; k < G_N_ELEMENTS (NNS_BENCH_NETWORKS); k++)
    {
      g_autofree char *layers = nns_bench_layers (k);
      g_autoptr (NnsNetwork) network = NULL;
      static const NnsExportFormat formats[] = { NNS_EXPORT_PNG, NNS_EXPORT_SVG, NNS_EXPORT_PDF };
      static const char *const format_names[] = { "png", "svg", "pdf" };
      guint frames = (guint) runs;

      if (only != NULL && strstr (NNS_BENCH_NETWORKS[k].name, only) == NULL)
        continue;
      network = network_of (layers);
      if (!json)
        g_print ("%-21s", NNS_BENCH_NETWORKS[k].name);
      for (guint m = 0; m < (naive ? N_FRAME_MEASURES : MEASURE_NAIVE); m++)
        {
          Stats s = time_frames (network, &style, (Measure) m,
                                 m == MEASURE_NAIVE ? MAX (frames / 10, 1) : frames);

          /* A slow network gets fewer frames after its first measure. */
          if (m == MEASURE_RENDER && s.median > 50)
            frames = MAX (5, frames / 4);
          report (NNS_BENCH_NETWORKS[k].name, MEASURE_NAMES[m], s, -1);
        }
      if (!json)
        g_print (" |");
      for (guint f = 0; f < G_N_ELEMENTS (formats); f++)
        {
          g_autofree char *file = g_strdup_printf ("x.%s", format_names[f]);
          g_autofree char *path = g_build_filename (dir, file, NULL);
          g_autofree char *measure = g_strdup_printf ("export-%s", format_names[f]);
          goffset size = 0;
          Stats s = time_export (network, &style, formats[f], path, MAX (frames / 3, 3), &size);

          report (NNS_BENCH_NETWORKS[k].name, measure, s, size);
        }
      if (!json)
        g_print ("\n");
    }

  /* The whole command-line process, start to a written PNG (wall time). */
  if (nnsketch != NULL)
    {
      g_autofree char *out = g_build_filename (dir, "cli.png", NULL);

      if (!json)
        g_print ("\nwhole process: nnsketch --layers=... --show-all-neurons --export-width=1600 "
                 "--export-height=900 --export-filename=x.png (wall ms)\n");
      for (guint k = 0; k < G_N_ELEMENTS (NNS_BENCH_NETWORKS); k++)
        {
          g_autofree char *layers = nns_bench_layers (k);
          Stats s;

          if (only != NULL && strstr (NNS_BENCH_NETWORKS[k].name, only) == NULL)
            continue;
          s = time_process (nnsketch, layers, out, 5);
          if (!json)
            g_print ("%-21s", NNS_BENCH_NETWORKS[k].name);
          report (NNS_BENCH_NETWORKS[k].name, "process-png", s, -1);
          if (!json)
            g_print ("\n");
        }
    }
  else if (!json)
    g_print ("\n(no nnsketch binary given: --nnsketch=PATH or NNSKETCH=PATH times the CLI)\n");
  if (json)
    g_print ("%s\n", n_json ? "\n]" : "[]");
  g_rmdir (dir);
  return 0;
}
