/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "nns-capacity-bench"

/* What the capacity panel costs a slider drag: the real window on MNIST
 * (784 → 256 → 128 → 10), hidden layer 1's slider moved up and down 1 … 512
 * units through its adjustment as a drag does, one step per frame of the
 * window's own frame clock and renderer (cairo, as the app uses). Blocks of
 * frames alternate between the panel hidden and the panel shown with a
 * pinned reference (so the canvas also draws the ghost), all in one run.
 *
 *   nns-capacity-bench [--runs=N]     (N frames per block, 4 blocks each)
 *   NNS_BENCH_NO_REFERENCE=1 …        the same without a pinned reference
 *
 * "edit" is the time of the adjustment change alone (the model, the layer
 * rows, the panel's figures: everything connected to "changed"); "frame" is
 * from the edit to the end of that frame's paint (layout, snapshot, render).
 * Medians, 95th percentile and max in ms of this thread's CPU time. */

#include "config.h"

#include "nns-bench-stats.h"

#include <adwaita.h>
#include <stdio.h>

#include "nns-capacity-panel.h"
#include "nns-layer-row.h"
#include "nns-window-testing.h"

/* One drag step per frame from a tick callback; the frame's cost is from the
 * tick (the edit) to the frame clock's after-paint (layout, snapshot and
 * render of everything that changed), so the wait for the next frame is not
 * counted. */
typedef struct
{
  GtkAdjustment *adjustment;
  GArray        *frame, *edit;
  gint64         start;
  guint          step, n_frames, done;
} Drag;

static gboolean
on_tick (GtkWidget *widget, GdkFrameClock *clock, gpointer user_data)
{
  Drag *d = user_data;
  guint units = 1 + (d->step % 40 < 20 ? d->step % 20 : 20 - d->step % 20) * 511 / 20;
  double e;

  if (d->done == d->n_frames)
    return G_SOURCE_REMOVE;
  d->start = nns_bench_cpu_us ();
  gtk_adjustment_set_value (d->adjustment, nns_layer_row_units_to_slider (units));
  e = (nns_bench_cpu_us () - d->start) / 1000.0;
  g_array_append_val (d->edit, e);
  d->step++;
  return G_SOURCE_CONTINUE;
}

static void
on_after_paint (GdkFrameClock *clock, Drag *d)
{
  double f;

  if (d->start == 0)
    return;
  f = (nns_bench_cpu_us () - d->start) / 1000.0;
  g_array_append_val (d->frame, f);
  d->start = 0;
  d->done++;
}

static GtkWidget *
find_type (GtkWidget *root, GType type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_type (c, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
show_panel (GtkWidget *window, GtkWidget *panel, gboolean show)
{
  GtkRevealer *revealer = GTK_REVEALER (gtk_widget_get_ancestor (panel, GTK_TYPE_REVEALER));

  gtk_revealer_set_transition_duration (revealer, 0);
  gtk_revealer_set_reveal_child (revealer, show);
  while (gtk_revealer_get_child_revealed (revealer) != show || gtk_widget_get_mapped (panel) != show)
    g_main_context_iteration (NULL, TRUE);
  nns_bench_pump ();
}

int
main (int argc, char **argv)
{
  g_autoptr (NnsNetwork) network = NULL;
  GArray *frame[2], *edit[2];
  GtkAdjustment *adjustment;
  GskRenderer *renderer;
  GtkWidget *window, *panel;
  NnsStyle style;
  guint runs = 60, step = 0;

  for (int i = 1; i < argc; i++)
    if (g_str_has_prefix (argv[i], "--runs="))
      runs = MAX (1, atoi (argv[i] + 7));
  /* As the app does (main.c): cairo unless GSK_RENDERER says otherwise. */
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  gtk_init ();
  adw_init ();
  for (guint k = 0; k < 2; k++)
    {
      frame[k] = g_array_new (FALSE, FALSE, sizeof (double));
      edit[k] = g_array_new (FALSE, FALSE, sizeof (double));
    }

  nns_style_init_default (&style);
  network = nns_network_new_from_string ("784,256,128,10", NULL);
  window = GTK_WIDGET (nns_window_new (NULL, network, &style));
  gtk_window_set_default_size (GTK_WINDOW (window), 1600, 900);
  gtk_window_present (GTK_WINDOW (window));
  panel = find_type (window, NNS_TYPE_CAPACITY_PANEL);
  while (!gtk_widget_get_mapped (window) || gtk_widget_get_width (window) < 1000)
    g_main_context_iteration (NULL, TRUE);
  nns_bench_pump ();
  renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  adjustment = gtk_range_get_adjustment (
    nns_layer_row_get_scale (nns_window_get_layer_row (NNS_WINDOW (window), 0)));
  if (g_getenv ("NNS_BENCH_NO_REFERENCE") == NULL)
    nns_capacity_panel_pin (NNS_CAPACITY_PANEL (panel));

  printf ("slider drag on 784,256,128,10 (hidden 1: 1 … 512 units), %s, window %d × %d\n",
          G_OBJECT_TYPE_NAME (renderer), gtk_widget_get_width (window),
          gtk_widget_get_height (window));
  for (guint block = 0; block < 8; block++)
    {
      guint shown = block % 2;
      Drag d = { adjustment, frame[shown], edit[shown], 0, step, runs, 0 };
      GdkFrameClock *clock = gtk_widget_get_frame_clock (window);
      gulong id;
      guint tick;

      show_panel (window, panel, shown);
      id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &d);
      tick = gtk_widget_add_tick_callback (window, on_tick, &d, NULL);
      while (d.done < d.n_frames)
        g_main_context_iteration (NULL, TRUE);
      gtk_widget_remove_tick_callback (window, tick);
      g_signal_handler_disconnect (clock, id);
      step = d.step;
      nns_bench_pump ();
    }
  nns_bench_print_stats ("frame, panel hidden", 34, frame[0]);
  nns_bench_print_stats ("frame, panel shown + reference", 34, frame[1]);
  nns_bench_print_stats ("edit only, panel hidden", 34, edit[0]);
  nns_bench_print_stats ("edit only, panel shown + reference", 34, edit[1]);
  printf ("  panel updates: %u\n", nns_capacity_panel_get_n_updates (NNS_CAPACITY_PANEL (panel)));
  gtk_window_destroy (GTK_WINDOW (window));
  nns_bench_pump ();
  for (guint k = 0; k < 2; k++)
    {
      g_array_unref (frame[k]);
      g_array_unref (edit[k]);
    }
  return 0;
}
