/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "nns-weights-bench"

/* Times drawing MNIST (784 → 256 → 128 → 10, every neuron) at 1600 × 900
 * with its edges coloured by real weights against the plain bundles, in one
 * run: the first frame, a frame while panning (whole and half pixels), a
 * frame with a neuron selected (nns_render) and the same over the kept body
 * (nns_render_over_body, as the canvas draws it once the view is still). The weights are PyTorch's default
 * initialisation (uniform in ±1/√in).
 *
 *   nns-weights-bench [--runs=N]
 *
 * Medians with min / max over the runs, thread CPU time in ms. */

#include "config.h"

#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <cairo.h>

#include "nns-bench-stats.h"
#include "nns-render.h"

#define WIDTH  1600
#define HEIGHT 900

static double
now_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static char *
stats (double *v, guint n)
{
  qsort (v, n, sizeof (double), nns_bench_cmp_double);
  return g_strdup_printf ("%8.2f [%7.2f – %7.2f]", v[n / 2], v[0], v[n - 1]);
}

typedef enum { FIRST, PAN, PAN_HALF, SELECT, SELECT_BODY, N_FRAMES } Frame;

static const char *const frame_names[N_FRAMES] = {
  "first frame", "pan (whole px)", "pan (half px)", "neuron selected",
  "selected, over body",
};

/* The view transform: the fitted zoom, offset by (dx, dy) device pixels. */
static void
view (cairo_t *cr, const NnsLayout *layout, double dx, double dy)
{
  double lw = nns_layout_get_width (layout), lh = nns_layout_get_height (layout);
  double zoom = MIN (WIDTH / lw, HEIGHT / lh);

  cairo_translate (cr, (WIDTH - lw * zoom) / 2 + dx, (HEIGHT - lh * zoom) / 2 + dy);
  cairo_scale (cr, zoom, zoom);
}

/* One frame with nns_render (), or over body (nns_render_over_body (), as
 * the canvas draws a selection once the view is still) when body is given. */
static double
frame (cairo_surface_t *surface, NnsNetwork *network, const NnsLayout *layout,
       const NnsStyle *style, const NnsRenderOptions *options, double dx, double dy,
       cairo_surface_t *body)
{
  cairo_t *cr = cairo_create (surface);
  double t0 = now_ms ();

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  view (cr, layout, dx, dy);
  if (body != NULL)
    {
      cairo_pattern_t *pattern = cairo_pattern_create_for_surface (body);

      nns_render_over_body (cr, network, layout, style, options, pattern);
      cairo_pattern_destroy (pattern);
    }
  else
    nns_render (cr, network, layout, style, options);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  return now_ms () - t0;
}

/* The body the canvas keeps for the view (not timed: drawn ahead while the
 * view is still). */
static cairo_surface_t *
body_new (NnsNetwork *network, const NnsLayout *layout, const NnsStyle *style,
          const NnsRenderOptions *options, double dx, double dy)
{
  cairo_surface_t *body = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, WIDTH, HEIGHT);
  cairo_t *cr = cairo_create (body);

  view (cr, layout, dx, dy);
  nns_render_body (cr, network, layout, style, options);
  cairo_destroy (cr);
  cairo_surface_flush (body);
  return body;
}

int
main (int argc, char **argv)
{
  guint runs = 5;
  g_autoptr (NnsNetwork) network = nns_network_new_from_string ("784,256,128,10", NULL);
  NnsWeightMatrix layers[3];
  NnsWeightSource source = { 3, layers, 1 };
  GRand *rand = g_rand_new_with_seed (1);
  NnsSelection selection = { TRUE, 1, 100 };
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, WIDTH, HEIGHT);
  const char *kinds[3] = { "plain bundles", "weights, no cache", "weights, cached" };

  nns_render_keep_memory ();
  for (int i = 1; i < argc; i++)
    if (g_str_has_prefix (argv[i], "--runs="))
      runs = MAX (1, atoi (argv[i] + 7));

  for (guint l = 0; l < 3; l++)
    {
      guint n_in = nns_network_get_column_width (network, l);
      guint n_out = nns_network_get_column_width (network, l + 1);
      float *w = g_new (float, (gsize) n_in * n_out), *b = g_new (float, n_out);
      double bound = 1 / sqrt (n_in);

      for (gsize k = 0; k < (gsize) n_in * n_out; k++)
        w[k] = g_rand_double_range (rand, -bound, bound);
      for (guint k = 0; k < n_out; k++)
        b[k] = g_rand_double_range (rand, -bound, bound);
      layers[l] = (NnsWeightMatrix) { n_in, n_out, w, b };
    }

  printf ("MNIST 784 → 256 → 128 → 10, every neuron, %d × %d, %u runs (ms CPU: median [min – max])\n",
          WIDTH, HEIGHT, runs);
  printf ("  %-20s", "");
  for (int f = 0; f < N_FRAMES; f++)
    printf ("  %-28s", frame_names[f]);
  printf ("\n");
  for (int kind = 0; kind < 3; kind++)
    {
      NnsStyle style;
      g_autoptr (NnsLayout) layout = NULL;
      g_autofree double *t = g_new (double, runs * N_FRAMES);

      nns_style_init_default (&style);
      style.show_all_neurons = TRUE;
      style.weight_colors = kind > 0;
      layout = nns_layout_new (network, &style, WIDTH, HEIGHT);
      for (guint r = 0; r < runs; r++)
        {
          NnsWeightEdgeCache *cache = kind == 2 ? nns_weight_edge_cache_new () : NULL;
          NnsRenderOptions options = { TRUE, NULL };

          options.weights = &source;
          options.weight_cache = cache;
          cairo_surface_t *body;

          t[FIRST * runs + r] = frame (surface, network, layout, &style, &options, 0, 0, NULL);
          t[PAN * runs + r] = frame (surface, network, layout, &style, &options, 17, -9, NULL);
          t[PAN_HALF * runs + r] = frame (surface, network, layout, &style, &options, 8.5, 3.5,
                                          NULL);
          body = body_new (network, layout, &style, &options, 17, -9);
          options.selection = &selection;
          t[SELECT * runs + r] = frame (surface, network, layout, &style, &options, 17, -9, NULL);
          t[SELECT_BODY * runs + r] = frame (surface, network, layout, &style, &options, 17, -9,
                                             body);
          cairo_surface_destroy (body);
          nns_weight_edge_cache_free (cache);
        }
      printf ("  %-20s", kinds[kind]);
      for (int f = 0; f < N_FRAMES; f++)
        {
          g_autofree char *s = stats (t + f * runs, runs);

          printf ("  %-28s", s);
        }
      printf ("\n");
    }

  for (guint l = 0; l < 3; l++)
    {
      g_free ((float *) layers[l].weight);
      g_free ((float *) layers[l].bias);
    }
  g_rand_free (rand);
  cairo_surface_destroy (surface);
  return 0;
}
