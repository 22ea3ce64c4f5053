/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "nns-canvas-bench"

/* Times the canvas as the window uses it (the aim: a slider drag redraws every
 * frame within 16 ms): an NnsCanvas of 1029 × 824 in a real window, with the
 * window's own GskRenderer (GSK_RENDERER picks it: gl, or cairo).
 *
 *   nns-canvas-bench [--runs=N]
 *
 * Per network (the lesson's 10 → 18 → 20 → 5, and 784 → h → 128 → 10 with
 * every neuron shown):
 *   idle   snapshot + render of a frame where nothing changed (hover, focus)
 *   drag   set the first hidden layer's units, then snapshot + render
 *   select select a neuron, then snapshot + render
 *   window the real frame clock: a tick callback sets the units every frame;
 *          the wall time between ticks (1000 / fps; 16.7 at 60 Hz)
 * "render" is gsk_renderer_render_texture() of the snapshot's node and its
 * download, which waits for the GPU (llvmpipe under Xvfb).
 * Medians with 95th percentile and max, milliseconds of wall time. Uses only
 * the canvas's public API so the same file builds against older trees. */

#include "config.h"

#include "nns-bench-stats.h"

#include <gtk/gtk.h>
#include <stdio.h>

#include "nns-canvas.h"

#define WIDTH  1029
#define HEIGHT 824

static double
frame_ms (GtkWidget *canvas, GskRenderer *renderer)
{
  gint64 start = g_get_monotonic_time ();
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
      /* Waits for the GPU; a GL texture downloads whole (about 1 ms here). */
      if (pixels == NULL)
        pixels = g_malloc (WIDTH * HEIGHT * 4);
      gdk_texture_download (texture, pixels, WIDTH * 4);
    }
  return (g_get_monotonic_time () - start) / 1000.0;
}

typedef struct
{
  NnsNetwork *network;
  GArray     *times;
  gint64      last;
  guint       frame;
  guint       n_frames;
  guint       max_units;
} Tick;

static gboolean
on_tick (GtkWidget *widget, GdkFrameClock *clock, gpointer user_data)
{
  Tick *t = user_data;
  gint64 now = g_get_monotonic_time ();

  if (t->last != 0)
    {
      double ms = (now - t->last) / 1000.0;

      g_array_append_val (t->times, ms);
    }
  t->last = now;
  if (t->frame == t->n_frames)
    return G_SOURCE_REMOVE;
  /* Up and down the slider, as a drag does. */
  nns_network_set_units (t->network, 0,
                         1 + (t->frame % 40 < 20 ? t->frame % 20 : 20 - t->frame % 20)
                               * t->max_units / 20, NULL);
  t->frame++;
  return G_SOURCE_CONTINUE;
}

static void
bench (const char *name, const guint *widths, guint n_widths, gboolean show_all, guint max_units,
       guint runs)
{
  g_autoptr (NnsNetwork) network = nns_network_new (widths, n_widths, NULL);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *canvas = nns_canvas_new ();
  GskRenderer *renderer;
  g_autoptr (GArray) idle = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) drag = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) select = g_array_new (FALSE, FALSE, sizeof (double));
  NnsStyle style;
  Tick tick = { network, g_array_new (FALSE, FALSE, sizeof (double)), 0, 0, runs, max_units };

  nns_style_init_default (&style);
  style.show_all_neurons = show_all;
  nns_canvas_set_style (NNS_CANVAS (canvas), &style);
  nns_canvas_set_network (NNS_CANVAS (canvas), network);
  gtk_widget_set_size_request (canvas, WIDTH, HEIGHT);
  gtk_window_set_child (GTK_WINDOW (window), canvas);
  gtk_window_present (GTK_WINDOW (window));
  while (!gtk_widget_get_mapped (canvas) || gtk_widget_get_width (canvas) != WIDTH)
    g_main_context_iteration (NULL, TRUE);
  nns_bench_pump ();
  renderer = gtk_native_get_renderer (GTK_NATIVE (window));

  printf ("%s, %s renderer, canvas %d x %d\n", name, G_OBJECT_TYPE_NAME (renderer),
          gtk_widget_get_width (canvas), gtk_widget_get_height (canvas));
  frame_ms (canvas, renderer);
  for (guint i = 0; i < runs; i++)
    {
      double ms = frame_ms (canvas, renderer);

      g_array_append_val (idle, ms);
    }
  for (guint i = 0; i < runs; i++)
    {
      gint64 start = g_get_monotonic_time ();
      double ms;

      nns_network_set_units (network, 0, 1 + (i % 40 < 20 ? i % 20 : 20 - i % 20) * max_units / 20,
                             NULL);
      ms = (g_get_monotonic_time () - start) / 1000.0 + frame_ms (canvas, renderer);
      g_array_append_val (drag, ms);
    }
  nns_network_set_units (network, 0, widths[1], NULL);
  for (guint i = 0; i < runs; i++)
    {
      gint64 start = g_get_monotonic_time ();
      double ms;

      nns_canvas_select (NNS_CANVAS (canvas), 1, i % nns_network_get_column_width (network, 1));
      ms = (g_get_monotonic_time () - start) / 1000.0 + frame_ms (canvas, renderer);
      g_array_append_val (select, ms);
    }
  nns_canvas_clear_selection (NNS_CANVAS (canvas));
  nns_bench_print_stats ("idle", 8, idle);
  nns_bench_print_stats ("drag", 8, drag);
  nns_bench_print_stats ("select", 8, select);

  gtk_widget_add_tick_callback (canvas, on_tick, &tick, NULL);
  while (tick.frame < tick.n_frames)
    g_main_context_iteration (NULL, TRUE);
  nns_bench_print_stats ("window", 8, tick.times);
  g_array_unref (tick.times);
  gtk_window_destroy (GTK_WINDOW (window));
  nns_bench_pump ();
}

int
main (int argc, char **argv)
{
  static const guint lesson[] = { 10, 18, 20, 5 };
  static const guint mnist[] = { 784, 256, 128, 10 };
  guint runs = 60;

  for (int i = 1; i < argc; i++)
    if (g_str_has_prefix (argv[i], "--runs="))
      runs = MAX (1, atoi (argv[i] + 7));
  gtk_init ();
  bench ("10,18,20,5", lesson, G_N_ELEMENTS (lesson), FALSE, 64, runs);
  bench ("784,256,128,10 show all (drag 1..512)", mnist, G_N_ELEMENTS (mnist), TRUE, 512, runs);
  return 0;
}
