/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "nns-bench"

/* Times the diagram pipeline on a fixed list of networks at 1600 × 900 with
 * every neuron shown: layout, render (fast bundles and per-edge stroking in
 * the same run), PNG / SVG / PDF export, a slider drag on the MNIST network,
 * and the whole `nnsketch --export-filename=x.png` process both ways.
 *
 *   nns-bench [--quick] [--runs=N] [--nnsketch=PATH]
 *
 * Medians with min / max over the runs. --quick skips the per-edge render of
 * the 3-million-edge network (about a minute and a half). */

#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <cairo.h>

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
  double median, min, max;
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
  Stats s = { 0, 0, 0, n };

  if (n == 0)
    return s;
  qsort (v, n, sizeof (double), cmp_double);
  s.median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  s.min = v[0];
  s.max = v[n - 1];
  return s;
}

/* CPU time of this thread: on a shared machine wall time mostly measures
 * the neighbours. The whole-process timing below is wall time. */
static double
now_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double
wall_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

static char *
fmt (Stats s)
{
  if (s.n == 0)
    return g_strdup ("-");
  if (s.n == 1)
    return g_strdup_printf ("%.1f (1 run)", s.median);
  return g_strdup_printf ("%.2f [%.2f-%.2f]", s.median, s.min, s.max);
}

static void
style_for_bench (NnsStyle *style)
{
  nns_style_init_default (style);
  style->show_all_neurons = TRUE;
}

/* What export does for a PNG: fit the layout into the page and render. */
static void
render_page (cairo_t *cr, NnsNetwork *network, const NnsLayout *layout, const NnsStyle *style)
{
  NnsRenderOptions options = { TRUE, NULL };
  double lw = nns_layout_get_width (layout), lh = nns_layout_get_height (layout);
  double zoom = MIN (WIDTH / lw, HEIGHT / lh);

  cairo_save (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_translate (cr, (WIDTH - lw * zoom) / 2, (HEIGHT - lh * zoom) / 2);
  cairo_scale (cr, zoom, zoom);
  nns_render (cr, network, layout, style, &options);
  cairo_restore (cr);
}

static Stats
time_render (NnsNetwork *network, const NnsStyle *style, gboolean naive, guint runs)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, WIDTH, HEIGHT);
  cairo_t *cr = cairo_create (surface);
  NnsLayout *layout = nns_layout_new (network, style, WIDTH, HEIGHT);
  g_autofree double *t = g_new (double, runs);

  nns_edges_set_force_naive (naive);
  for (guint k = 0; k < runs; k++)
    {
      double t0 = now_ms ();

      render_page (cr, network, layout, style);
      cairo_surface_flush (surface);
      t[k] = now_ms () - t0;
    }
  nns_edges_set_force_naive (FALSE);
  nns_layout_free (layout);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  return stats_of (t, runs);
}

static Stats
time_layout (NnsNetwork *network, const NnsStyle *style, guint runs)
{
  g_autofree double *t = g_new (double, runs);

  for (guint k = 0; k < runs; k++)
    {
      double t0 = now_ms ();
      NnsLayout *layout = nns_layout_new (network, style, WIDTH, HEIGHT);

      t[k] = now_ms () - t0;
      nns_layout_free (layout);
    }
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
  return stats_of (t, runs);
}

static Stats
time_process (const char *nnsketch, const char *out, gboolean naive, guint runs)
{
  g_autofree double *t = g_new (double, runs);
  g_autofree char *out_arg = g_strdup_printf ("--export-filename=%s", out);
  const char *argv[] = { nnsketch, "--layers=784,256,128,10", "--show-all-neurons",
                         "--export-width=1600", "--export-height=900", out_arg, NULL };
  g_auto (GStrv) envp = g_get_environ ();

  envp = g_environ_setenv (envp, "NNS_NAIVE_EDGES", naive ? "1" : "0", TRUE);
  for (guint k = 0; k < runs; k++)
    {
      g_autoptr (GError) error = NULL;
      int status = 0;
      double t0 = wall_ms ();

      if (!g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                         NULL, NULL, &status, &error)
          || !g_spawn_check_wait_status (status, &error))
        g_error ("%s: %s", nnsketch, error->message);
      t[k] = wall_ms () - t0;
    }
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

static guint64
n_edges (NnsNetwork *network)
{
  guint64 n = 0;

  for (guint c = 0; c < nns_network_get_n_layers (network); c++)
    n += (guint64) nns_network_get_column_width (network, c)
         * nns_network_get_column_width (network, c + 1);
  return n;
}

int
main (int argc, char **argv)
{
  static const char *networks[] = {
    "8,4,2", "10,18,20,5", "128,128,128,10", "784,256,128,10", "1000,1000,1000,1000",
  };
  gboolean quick = FALSE;
  int runs = 0;
  g_autofree char *nnsketch = NULL;
  g_autofree char *profile = NULL;
  gboolean drag_only = FALSE;
  GOptionEntry entries[] = {
    { "drag", 0, 0, G_OPTION_ARG_NONE, &drag_only, "Only the slider drag", NULL },
    { "profile", 0, 0, G_OPTION_ARG_STRING, &profile,
      "Only render LAYERS (fast) --runs times, for a profiler", "LAYERS" },
    { "quick", 0, 0, G_OPTION_ARG_NONE, &quick, "Skip the slowest per-edge render", NULL },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Runs per fast measurement (default 15)", "N" },
    { "nnsketch", 0, 0, G_OPTION_ARG_FILENAME, &nnsketch, "The nnsketch binary to time", "PATH" },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("— time the NN Sketch pipeline");
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = NULL;
  NnsStyle style;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("nns-bench: %s\n", error->message);
      return 2;
    }
  if (runs <= 0)
    runs = 15;
  if (nnsketch == NULL && g_getenv ("NNSKETCH"))
    nnsketch = g_strdup (g_getenv ("NNSKETCH"));
  dir = g_dir_make_tmp ("nns-bench-XXXXXX", &error);
  if (dir == NULL)
    g_error ("%s", error->message);
  style_for_bench (&style);
  if (profile != NULL)
    {
      g_autoptr (NnsNetwork) network = network_of (profile);
      Stats s = time_render (network, &style, FALSE, runs);
      g_autofree char *text = fmt (s);

      g_print ("%s: render %s\n", profile, text);
      g_rmdir (dir);
      return 0;
    }

  g_print ("NN Sketch benchmark: %d x %d px, show all neurons, times in ms of CPU time: "
           "median [min-max]\n\n", WIDTH, HEIGHT);
  g_print ("%-20s %10s | %-22s %-22s %-24s %7s | %-22s %-22s %-22s\n", "network", "edges",
           "layout", "render (fast)", "render (per edge)", "ratio", "PNG export", "SVG export",
           "PDF export");

  for (guint k = 0; k < (drag_only ? 0 : G_N_ELEMENTS (networks)); k++)
    {
      g_autoptr (NnsNetwork) network = network_of (networks[k]);
      guint64 edges = n_edges (network);
      guint fast_runs = edges > 1000000 ? (guint) MAX (runs / 2, 3) : (guint) runs;
      guint naive_runs = edges > 1000000 ? (quick ? 0 : 1) : edges > 100000 ? 3 : 7;
      guint export_runs = (guint) (edges > 1000000 ? MAX (runs / 3, 3) : MAX (runs / 2, 3));
      Stats lay = time_layout (network, &style, runs);
      Stats fast = time_render (network, &style, FALSE, fast_runs);
      Stats naive = naive_runs ? time_render (network, &style, TRUE, naive_runs) : (Stats) { 0 };
      g_autofree char *png = g_build_filename (dir, "x.png", NULL);
      g_autofree char *svg = g_build_filename (dir, "x.svg", NULL);
      g_autofree char *pdf = g_build_filename (dir, "x.pdf", NULL);
      goffset png_size = 0, svg_size = 0, pdf_size = 0;
      Stats e_png = time_export (network, &style, NNS_EXPORT_PNG, png, export_runs, &png_size);
      Stats e_svg = time_export (network, &style, NNS_EXPORT_SVG, svg, export_runs, &svg_size);
      Stats e_pdf = time_export (network, &style, NNS_EXPORT_PDF, pdf, export_runs, &pdf_size);
      g_autofree char *s_lay = fmt (lay), *s_fast = fmt (fast), *s_naive = fmt (naive);
      g_autofree char *s_png = fmt (e_png), *s_svg = fmt (e_svg), *s_pdf = fmt (e_pdf);
      g_autofree char *ratio = naive.n ? g_strdup_printf ("%.0fx", naive.median / fast.median)
                                       : g_strdup ("-");

      g_print ("%-20s %10" G_GUINT64_FORMAT " | %-22s %-22s %-24s %7s | %-22s %-22s %-22s\n",
               networks[k], edges, s_lay, s_fast, s_naive, ratio, s_png, s_svg, s_pdf);
      g_print ("%-20s %10s   file sizes: PNG %.0f kB, SVG %.0f kB, PDF %.0f kB\n", "", "",
               png_size / 1e3, svg_size / 1e3, pdf_size / 1e3);
    }

  /* A slider drag: hidden layer 1 of the MNIST network from 1 to 512 units,
   * re-layout and full redraw every frame. */
  {
    g_autoptr (NnsNetwork) network = network_of ("784,1,128,10");
    cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, WIDTH, HEIGHT);
    cairo_t *cr = cairo_create (surface);
    GArray *frames = g_array_new (FALSE, FALSE, sizeof (double));
    Stats s;
    double p95;

    /* one frame first, as a window has drawn before anyone drags */
    {
      NnsLayout *layout = nns_layout_new (network, &style, WIDTH, HEIGHT);

      render_page (cr, network, layout, &style);
      nns_layout_free (layout);
    }
    for (guint units = 1; units <= 512; units += units < 16 ? 1 : 4)
      {
        double t0 = now_ms ();
        NnsLayout *layout;

        nns_network_set_units (network, 0, units, NULL);
        layout = nns_layout_new (network, &style, WIDTH, HEIGHT);
        render_page (cr, network, layout, &style);
        cairo_surface_flush (surface);
        nns_layout_free (layout);
        t0 = now_ms () - t0;
        g_array_append_val (frames, t0);
        if (g_getenv ("NNS_BENCH_VERBOSE"))
          g_print ("  %u units: %.2f ms\n", units, t0);
      }
    s = stats_of ((double *) frames->data, frames->len);
    p95 = g_array_index (frames, double, (guint) (0.95 * (frames->len - 1)));
    g_print ("\nslider drag, 784-[1..512]-128-10, layout + render per frame: "
             "%u frames, median %.2f, 95th %.2f, max %.2f\n", frames->len, s.median, p95,
             s.max);
    g_array_unref (frames);
    cairo_destroy (cr);
    cairo_surface_destroy (surface);
  }

  if (nnsketch != NULL && !drag_only)
    {
      g_autofree char *out = g_build_filename (dir, "cli.png", NULL);
      Stats fast = time_process (nnsketch, out, FALSE, 5);
      Stats naive = time_process (nnsketch, out, TRUE, quick ? 1 : 2);
      g_autofree char *s_fast = fmt (fast), *s_naive = fmt (naive);

      g_print ("\nwhole process: nnsketch --layers=784,256,128,10 --show-all-neurons "
               "--export-width=1600 --export-height=900 --export-filename=x.png\n");
      g_print ("  fast bundles       %s\n  NNS_NAIVE_EDGES=1  %s\n  ratio              %.0fx\n",
               s_fast, s_naive, naive.median / fast.median);
      g_unlink (out);
    }
  else
    g_print ("\n(no nnsketch binary given: --nnsketch=PATH or NNSKETCH=PATH times the CLI)\n");

  {
    const char *names[] = { "x.png", "x.svg", "x.pdf" };

    for (guint k = 0; k < G_N_ELEMENTS (names); k++)
      {
        g_autofree char *p = g_build_filename (dir, names[k], NULL);

        g_unlink (p);
      }
    g_rmdir (dir);
  }
  return 0;
}
