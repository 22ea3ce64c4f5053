/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "nns-canvas-bench"

/* Times the canvas as the window uses it: an NnsCanvas of 1029 × 824 in a
 * real window, with the window's own GskRenderer (the app's default, cairo,
 * unless GSK_RENDERER says otherwise), on every shape of network (every
 * neuron shown):
 *   idle   snapshot + render of a frame where nothing changed (hover, focus)
 *   render a full redraw (the view refitted, the crossing tables kept
 *          between bundles dropped: nothing cached is reused)
 *   select select a neuron of layer 1 (a new one each frame)
 *   drag   set layer 1's units (up and down, as a slider drag does)
 *   pan    move the view by a few pixels
 *   zoom   zoom in or out by 1.25× about the centre
 *   deep-zoom  zoom in from the fit to the deepest the window allows (64×)
 *          in 20 steps about the centre, then out again
 * each as the call that changes it plus the snapshot and its render
 * (gsk_renderer_render_texture() and the download), medians and 95th
 * percentiles in ms of wall time (big bundles are drawn with a helper
 * thread on the other core, which this thread's CPU time would not count;
 * --single-thread draws on this thread only, for the difference).
 *
 *   nns-canvas-bench [--runs=N] [--json] [--only=TEXT] [--single-thread]
 *   nns-canvas-bench --training[=idle]
 *
 * --training: networks coloured by their weights while the Train pane's
 * session trains them in its worker thread — 2 → 8 → 8 → 2 and 8 hidden
 * layers of 64 on the spiral (Tanh, the units' maps drawn), MNIST's
 * 784 → 256 → 128 → 10 (ReLU) on Fashion-MNIST collapsed as by default and
 * with every neuron: frames that drag the strongest-edges threshold (a style
 * change, which training goes on through: the change and one frame of the
 * canvas with the weights of the moment), ms of wall time, and the steps the worker made meanwhile. Between two frames
 * the main loop runs what came (the worker's snapshots, the window's own
 * redraws), which is not counted.
 *
 * --json: one object per network and measure (network, measure, median_ms,
 * p95_ms). */

#include "config.h"

#include "nns-bench-networks.h"
#include "nns-bench-stats.h"

#include <gtk/gtk.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "nns-canvas.h"
#include "nns-edges.h"
#include "nns-render.h"
#include "nns-train-session.h"

#define WIDTH  1029
#define HEIGHT 824

/* Wall time: what a frame takes, with the helper threads that draw big
 * bundles. (On a shared machine it also counts the neighbours: pin the
 * benchmark and compare runs made side by side.) */
static double
wall_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double
frame_ms (GtkWidget *canvas, GskRenderer *renderer)
{
  double start = wall_ms ();
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  static guchar *pixels;

  GTK_WIDGET_GET_CLASS (canvas)->snapshot (canvas, snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  if (node != NULL)
    {
      texture = gsk_renderer_render_texture (renderer, node,
                                             &GRAPHENE_RECT_INIT (0, 0, WIDTH, HEIGHT));
      /* Waits for the GPU. The cairo renderer has drawn already (a download
       * would time GDK's pixel format conversion, which a window never
       * does). */
      if (!GSK_IS_CAIRO_RENDERER (renderer))
        {
          if (pixels == NULL)
            pixels = g_malloc (WIDTH * HEIGHT * 4);
          gdk_texture_download (texture, pixels, WIDTH * 4);
        }
    }
  return wall_ms () - start;
}

/* canvas as the window's only child at WIDTH × HEIGHT, shown and laid out;
 * returns the window's renderer. */
static GskRenderer *
show_canvas (GtkWidget *window, GtkWidget *canvas)
{
  gtk_widget_set_size_request (canvas, WIDTH, HEIGHT);
  gtk_window_set_child (GTK_WINDOW (window), canvas);
  gtk_window_present (GTK_WINDOW (window));
  while (!gtk_widget_get_mapped (canvas) || gtk_widget_get_width (canvas) != WIDTH)
    g_main_context_iteration (NULL, TRUE);
  nns_bench_pump ();
  return gtk_native_get_renderer (GTK_NATIVE (window));
}

enum { IDLE, RENDER, SELECT, DRAG, PAN, ZOOM, DEEP_ZOOM, N_MEASURES };
static const char *const MEASURE_NAMES[] = { "idle", "render", "select", "drag", "pan", "zoom",
                                             "deep-zoom" };

/* The canvas's deepest zoom, in fits (its ZOOM_MAX_FACTOR), and steps to it. */
#define DEEPEST_ZOOM 64.0
#define DEEP_STEPS   20

static gboolean json, single_thread;
static guint n_json;

static void
report (const char *network, const char *measure, GArray *v)
{
  double *d = (double *) v->data;
  double median, p95;

  qsort (d, v->len, sizeof (double), nns_bench_cmp_double);
  median = d[v->len / 2];
  p95 = d[MIN (v->len - 1, (guint) ceil (0.95 * v->len) - 1)];
  if (json)
    g_print ("%s\n  {\"network\": \"%s\", \"measure\": \"%s\", \"median_ms\": %.3f, "
             "\"p95_ms\": %.3f}", n_json++ ? "," : "[", network, measure, median, p95);
  else
    g_print (" %8.2f %8.2f", median, p95);
}

static void
bench (const char *name, const char *layers, guint runs)
{
  g_autoptr (NnsNetwork) network = nns_network_new_from_string (layers, NULL);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *canvas = nns_canvas_new ();
  GskRenderer *renderer;
  GArray *times[N_MEASURES];
  guint base_units = nns_network_get_column_width (network, 1);
  guint max_units = MAX (2 * base_units, 20);
  NnsStyle style;

  for (guint m = 0; m < N_MEASURES; m++)
    times[m] = g_array_new (FALSE, FALSE, sizeof (double));
  nns_style_init_default (&style);
  style.show_all_neurons = TRUE;
  nns_canvas_set_style (NNS_CANVAS (canvas), &style);
  nns_canvas_set_network (NNS_CANVAS (canvas), network);
  renderer = show_canvas (window, canvas);
  if (!json && n_json++ == 0)
    {
      printf ("NN Sketch canvas benchmark: %s, canvas %d x %d, every neuron shown%s; ms of "
              "wall time, median and 95th percentile\n\n%-21s", G_OBJECT_TYPE_NAME (renderer),
              gtk_widget_get_width (canvas), gtk_widget_get_height (canvas),
              single_thread ? ", one thread" : "", "network");
      for (guint m = 0; m < N_MEASURES; m++)
        printf (" %8s %8s", MEASURE_NAMES[m], "95th");
      printf ("\n");
    }
  if (!json)
    printf ("%-21s", name);

  frame_ms (canvas, renderer);
  for (guint m = 0; m < N_MEASURES; m++)
    {
      /* A slow network gets fewer frames after its first full redraw. */
      guint n = m > RENDER && times[RENDER]->len > 0
                    && g_array_index (times[RENDER], double, times[RENDER]->len / 2) > 50
                  ? MAX (5, runs / 4) : runs;

      if (m == DEEP_ZOOM)
        nns_canvas_zoom_fit (NNS_CANVAS (canvas));
      for (guint i = 0; i < n; i++)
        {
          double start = wall_ms ();
          double ms;

          switch (m)
            {
            case IDLE:
              break;
            case RENDER:
              /* from nothing: no crossing table kept from the last frame */
              nns_edges_forget ();
              nns_canvas_zoom_fit (NNS_CANVAS (canvas));
              break;
            case SELECT:
              nns_canvas_select (NNS_CANVAS (canvas), 1, i % base_units);
              break;
            case DRAG:
              nns_network_set_units (network, 0,
                                     1 + nns_bench_triangle (i + 1) * (max_units - 1) / 20, NULL);
              break;
            case PAN:
              nns_canvas_pan (NNS_CANVAS (canvas), i % 2 ? -3 : 3, i % 2 ? -2 : 2);
              break;
            case ZOOM:
              nns_canvas_zoom_at (NNS_CANVAS (canvas), i % 2 ? 1 / 1.25 : 1.25, WIDTH / 2.0,
                                  HEIGHT / 2.0);
              break;
            case DEEP_ZOOM:
              nns_canvas_zoom_at (NNS_CANVAS (canvas),
                                  pow (DEEPEST_ZOOM, (i % (2 * DEEP_STEPS) < DEEP_STEPS ? 1.0 : -1.0)
                                                     / DEEP_STEPS),
                                  WIDTH / 2.0, HEIGHT / 2.0);
              break;
            default:
              g_assert_not_reached ();
            }
          ms = wall_ms () - start + frame_ms (canvas, renderer);
          g_array_append_val (times[m], ms);
        }
      if (m == SELECT)
        nns_canvas_clear_selection (NNS_CANVAS (canvas));
      if (m == DRAG)
        nns_network_set_units (network, 0, base_units, NULL);
      if (m == RENDER)
        g_array_sort (times[m], nns_bench_cmp_double);
    }
  for (guint m = 0; m < N_MEASURES; m++)
    {
      report (name, MEASURE_NAMES[m], times[m]);
      g_array_unref (times[m]);
    }
  if (!json)
    printf ("\n");
  fflush (stdout);
  gtk_window_destroy (GTK_WINDOW (window));
  nns_bench_pump ();
}

static void
on_weights (NnsCanvas *canvas, NnsDocument *doc)
{
  nns_canvas_set_weights (canvas, nns_document_get_weights (doc));
}

static gboolean idle;

static void
bench_training (guint runs, const char *layers, NnsDatasetKind data, NnsActivation activation,
                gboolean all_neurons)
{
  g_autoptr (NnsNetwork) network = nns_network_new_from_string (layers, NULL);
  g_autoptr (NnsDocument) doc = NULL;
  g_autoptr (NnsTrainSession) session = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) drag = g_array_new (FALSE, FALSE, sizeof (double));
  GtkWidget *window = gtk_window_new ();
  GtkWidget *canvas = nns_canvas_new ();
  GskRenderer *renderer;
  NnsStyle style;
  guint n;
  guint64 first_step = 0, last_step = 0;
  gint64 start_us;

  for (guint l = 0; l + 1 < nns_network_get_n_layers (network); l++)
    nns_network_set_activation (network, l, activation, NULL);
  doc = nns_document_new (network);
  session = nns_train_session_new (doc);
  nns_train_session_set_dataset (session, data);
  /* (Fashion-MNIST is read in a thread) */
  while (nns_train_session_is_reading (session))
    g_main_context_iteration (NULL, TRUE);
  if (data == NNS_DATASET_FASHION_MNIST)
    nns_train_session_set_batch_size (session, 128, NULL);
  else
    nns_train_session_set_lr (session, 0.01, NULL);
  /* the hidden units' maps inside their circles, as the window draws them */
  nns_canvas_set_train_session (NNS_CANVAS (canvas), session);
  nns_style_init_default (&style);
  style.show_all_neurons = all_neurons;
  style.weight_colors = TRUE;
  nns_canvas_set_style (NNS_CANVAS (canvas), &style);
  nns_canvas_set_network (NNS_CANVAS (canvas), nns_document_get_network (doc));
  on_weights (NNS_CANVAS (canvas), doc);
  g_signal_connect_swapped (doc, "weights-changed", G_CALLBACK (on_weights), canvas);
  renderer = show_canvas (window, canvas);
  frame_ms (canvas, renderer);
  /* --training=idle: the same frames with no training, for the difference */
  if (!idle && !nns_train_session_play (session, &error))
    {
      fprintf (stderr, "nns-canvas-bench: %s\n", error->message);
      exit (1);
    }
  if (!idle)
    nns_train_session_wait_points (session, 1, 30000);
  start_us = g_get_monotonic_time ();
  {
    const NnsTrainPoint *p = nns_train_session_get_points (session, &n);

    first_step = n > 0 ? p[n - 1].step : 0;
  }
  for (guint i = 0; i < 4 * runs; i++)
    {
      double t0, ms;

      /* whatever the worker handed over meanwhile (a snapshot: new
       * weights); the window's own frames are not run here: this loop is
       * the frame */
      for (int k = 0; k < 20 && g_main_context_pending (NULL); k++)
        g_main_context_iteration (NULL, FALSE);
      t0 = wall_ms ();
      style.weight_threshold = 0.02 * nns_bench_triangle (i + 1) / 20.0;
      nns_canvas_set_style (NNS_CANVAS (canvas), &style);
      ms = wall_ms () - t0 + frame_ms (canvas, renderer);
      g_array_append_val (drag, ms);
      /* a frame's time at 60 Hz */
      g_usleep (16000);
    }
  {
    const NnsTrainPoint *p = nns_train_session_get_points (session, &n);

    last_step = n > 0 ? p[n - 1].step : 0;
  }
  printf ("%s coloured by weights (%s), canvas %d x %d, %s %s meanwhile:\n", layers,
          all_neurons ? "every neuron" : "large layers collapsed, as by default", WIDTH, HEIGHT,
          idle ? "not trained on" : "trained on", nns_dataset_kind_get_id (data));
  if (drag->len > 0)
    nns_bench_print_stats ("threshold drag", 16, drag);
  printf ("  worker: %" G_GUINT64_FORMAT " steps in %.1f s\n", last_step - first_step,
          (g_get_monotonic_time () - start_us) / 1e6);
  nns_train_session_pause (session);
  gtk_window_destroy (GTK_WINDOW (window));
  nns_bench_pump ();
}

int
main (int argc, char **argv)
{
  guint runs = 40;
  gboolean training = FALSE;
  const char *only = NULL;

  for (int i = 1; i < argc; i++)
    if (g_str_has_prefix (argv[i], "--runs="))
      runs = MAX (1, atoi (argv[i] + 7));
    else if (strcmp (argv[i], "--json") == 0)
      json = TRUE;
    else if (g_str_has_prefix (argv[i], "--only="))
      only = argv[i] + 7;
    else if (strcmp (argv[i], "--training") == 0)
      training = TRUE;
    else if (strcmp (argv[i], "--training=idle") == 0)
      training = idle = TRUE;
    else if (strcmp (argv[i], "--single-thread") == 0)
      single_thread = TRUE;
  nns_edges_set_single_thread (single_thread);
  /* As the app does (main.c): cairo unless GSK_RENDERER says otherwise. */
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  nns_render_keep_memory ();
  gtk_init ();
  if (training)
    {
      bench_training (runs, "2,8,8,2", NNS_DATASET_SPIRAL, NNS_ACTIVATION_TANH, TRUE);
      bench_training (runs, "2,64,64,64,64,64,64,64,64,2", NNS_DATASET_SPIRAL,
                      NNS_ACTIVATION_TANH, TRUE);
      bench_training (runs, "784,256,128,10", NNS_DATASET_FASHION_MNIST, NNS_ACTIVATION_RELU,
                      FALSE);
      bench_training (runs, "784,256,128,10", NNS_DATASET_FASHION_MNIST, NNS_ACTIVATION_RELU,
                      TRUE);
      return 0;
    }
  for (guint k = 0; k < G_N_ELEMENTS (NNS_BENCH_NETWORKS); k++)
    {
      g_autofree char *layers = nns_bench_layers (k);

      if (only == NULL || strstr (NNS_BENCH_NETWORKS[k].name, only) != NULL)
        bench (NNS_BENCH_NETWORKS[k].name, layers, runs);
    }
  if (json)
    g_print ("%s\n", n_json ? "\n]" : "[]");
  return 0;
}
