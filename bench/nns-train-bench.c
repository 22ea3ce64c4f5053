/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Training speed: samples per second for one Fashion-MNIST epoch of
 * 784 → 256 → 128 → 10 ReLU, Adam 1e-3, batch 128, at 1 and 2 BLAS
 * threads (bench/torch-train-bench.py does the same with PyTorch), and
 * where the time goes: the forward pass, the backward pass, the optimizer.
 * --epochs=N trains N epochs at --threads and prints the test accuracy.
 * --frames measures the Train pane's frame on a 2-D problem instead: one
 * step of the session (a mini-batch, the test figures, the decision surface
 * and every hidden unit's map) and the drawing of the surface, the curves
 * and the units' tiles, for networks up to 8 hidden layers of 64.
 *
 *   build/bench/nns-train-bench [--threads=1,2] [--epochs=N] [--frames] */

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nns-bench-stats.h"
#include "nns-train-draw.h"
#include "nns-train-session.h"
#include "nns-trainer.h"

static NnsTrainer *
new_trainer (guint32 seed)
{
  g_autoptr (NnsNetwork) net = nns_network_new_from_string ("784,256,128,10", NULL);
  NnsTrainConfig config;

  nns_network_set_activation (net, 0, NNS_ACTIVATION_RELU, NULL);
  nns_network_set_activation (net, 1, NNS_ACTIVATION_RELU, NULL);
  nns_train_config_init (&config, NNS_OPTIM_ADAM);
  config.lr = 1e-3;
  config.batch_size = 128;
  config.seed = seed;
  return nns_trainer_new (net, &config, NULL);
}

/* One epoch step by step, timing the parts on the same batches. */
static void
epoch_breakdown (const NnsDataset *d,
                 int               threads)
{
  g_autoptr (NnsTrainer) t = new_trainer (1);
  g_autofree float *out = g_new (float, 128 * 10);
  gint64 fwd = 0, fwd_bwd = 0, update = 0, start, total;
  guint n = d->train.n;

  nns_trainer_set_blas_threads (threads);
  /* the whole epoch as training runs it */
  {
    NnsTrainStats stats;

    start = g_get_monotonic_time ();
    nns_trainer_train_epoch (t, &d->train, &stats, NULL);
    total = g_get_monotonic_time () - start;
  }
  /* the parts, in order, on unshuffled batches */
  for (guint b = 0; b < n; b += 128)
    {
      guint rows = MIN (128, n - b);
      const float *x = d->train.x + (gsize) b * 784;
      gint64 t0 = g_get_monotonic_time (), t1, t2, t3;

      nns_trainer_forward (t, x, rows, out);
      t1 = g_get_monotonic_time ();
      nns_trainer_compute_gradients (t, x, d->train.y + b, rows, NULL);
      t2 = g_get_monotonic_time ();
      nns_trainer_apply_update (t);
      t3 = g_get_monotonic_time ();
      fwd += t1 - t0;
      fwd_bwd += t2 - t1;
      update += t3 - t2;
    }
  printf ("nnsketch %d thread%s: %8.0f samples/s  (epoch %.2f s; per epoch: forward %.2f s, "
          "backward %.2f s, Adam %.2f s, the rest %.2f s)\n",
          threads, threads == 1 ? " " : "s", n / (total / 1e6), total / 1e6, fwd / 1e6,
          (fwd_bwd - fwd) / 1e6, update / 1e6, (total - fwd_bwd - update) / 1e6);
  fflush (stdout);
}

/* The pane's frame on the spiral for hidden layers of width units:
 * session step, then surface (300 × 300), two curves (300 × 150) and a
 * 20-px tile a hidden unit. */
static void
frames (guint n_hidden,
        guint width)
{
  g_autoptr (GArray) widths = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr (NnsNetwork) net = NULL;
  g_autoptr (NnsDocument) doc = NULL;
  g_autoptr (NnsTrainSession) session = NULL;
  g_autoptr (GArray) step_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) draw_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) frame_ms = g_array_new (FALSE, FALSE, sizeof (double));
  cairo_surface_t *target = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 300, 600);
  const NnsDataset *d;
  NnsTrainColors colors;
  guint two = 2;
  char label[64];

  g_array_append_val (widths, two);
  for (guint l = 0; l < n_hidden; l++)
    g_array_append_val (widths, width);
  g_array_append_val (widths, two);
  net = nns_network_new ((guint *) widths->data, widths->len, NULL);
  for (guint l = 0; l < n_hidden; l++)
    nns_network_set_activation (net, l, NNS_ACTIVATION_TANH, NULL);
  doc = nns_document_new (net);
  session = nns_train_session_new (doc);
  nns_train_session_set_lr (session, 0.01, NULL);
  d = nns_train_session_get_data (session, NULL);
  nns_train_colors_init (&colors, FALSE);
  for (int i = 0; i < 200; i++)
    {
      gint64 t0 = g_get_monotonic_time (), t1;
      guint n;
      const NnsTrainPoint *p;
      double extent;
      const float *surface;
      cairo_t *cr = cairo_create (target);
      double xs[4096], tr[4096], te[4096];

      nns_train_session_step (session, NULL);
      t1 = g_get_monotonic_time ();
      surface = nns_train_session_get_surface (session, &extent);
      nns_train_draw_surface (cr, 300, 300, &colors, surface, NNS_TRAIN_SURFACE_RES, -extent,
                              extent, -extent, extent, d->train.x, d->train.y, d->train.n,
                              d->test.x, d->test.y, d->test.n);
      p = nns_train_session_get_points (session, &n);
      for (guint k = 0; k < n && k < 4096; k++)
        xs[k] = p[k].epoch, tr[k] = p[k].train_loss, te[k] = p[k].test_loss;
      nns_train_draw_curves (cr, 300, 150, &colors, "Loss", xs, tr, te, MIN (n, 4096), 0, 1);
      for (guint l = 0; l < n_hidden; l++)
        for (guint u = 0; u < width; u++)
          {
            const float *map = nns_train_session_get_unit_map (session, l, u);

            if (map != NULL)
              nns_train_draw_tile (cr, (u % 15) * 20, 300 + (l % 15) * 20, 20, &colors, map,
                                   NNS_TRAIN_SURFACE_RES);
          }
      cairo_destroy (cr);
      cairo_surface_flush (target);
      {
        double a = (t1 - t0) / 1000.0, b = (g_get_monotonic_time () - t1) / 1000.0;
        double c = a + b;

        g_array_append_val (step_ms, a);
        g_array_append_val (draw_ms, b);
        g_array_append_val (frame_ms, c);
      }
    }
  printf ("2 → %u × %u → 2 (%u hidden units, unit maps %s):\n", n_hidden, width, n_hidden * width,
          nns_train_session_get_unit_map (session, 0, 0) != NULL ? "on" : "off");
  g_snprintf (label, sizeof label, "step");
  nns_bench_print_stats (label, 7, step_ms);
  nns_bench_print_stats ("draw", 7, draw_ms);
  nns_bench_print_stats ("frame", 7, frame_ms);
  cairo_surface_destroy (target);
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NnsDataset) d = NULL;
  const char *threads = "1,2";
  int epochs = 0;

  for (int i = 1; i < argc; i++)
    if (strcmp (argv[i], "--frames") == 0)
      {
        const guint shapes[][2] = { { 2, 8 }, { 4, 16 }, { 8, 32 }, { 8, 64 } };

        nns_trainer_set_blas_threads (1);
        for (guint k = 0; k < G_N_ELEMENTS (shapes); k++)
          frames (shapes[k][0], shapes[k][1]);
        return 0;
      }
    else if (g_str_has_prefix (argv[i], "--threads="))
      threads = argv[i] + strlen ("--threads=");
    else if (g_str_has_prefix (argv[i], "--epochs="))
      epochs = atoi (argv[i] + strlen ("--epochs="));
    else
      {
        fprintf (stderr, "usage: nns-train-bench [--threads=1,2] [--epochs=N] [--frames]\n");
        return 2;
      }

  d = nns_dataset_load_fashion_mnist (NULL, &error);
  if (d == NULL)
    {
      fprintf (stderr, "nns-train-bench: %s\n", error->message);
      return 1;
    }

  if (epochs > 0)
    {
      g_autoptr (NnsTrainer) t = new_trainer (1);
      NnsTrainStats train, test;

      nns_trainer_set_blas_threads (atoi (threads));
      for (int e = 1; e <= epochs; e++)
        {
          gint64 start = g_get_monotonic_time ();

          nns_trainer_train_epoch (t, &d->train, &train, NULL);
          nns_trainer_evaluate (t, &d->test, &test);
          printf ("nnsketch epoch %d: loss %.4f, train accuracy %.2f %%, test accuracy %.2f %% "
                  "(%.1f s)\n", e, train.loss, 100 * train.accuracy, 100 * test.accuracy,
                  (g_get_monotonic_time () - start) / 1e6);
          fflush (stdout);
        }
      return 0;
    }

  {
    g_auto (GStrv) list = g_strsplit (threads, ",", -1);

    for (guint i = 0; list[i] != NULL; i++)
      epoch_breakdown (d, atoi (list[i]));
  }
  return 0;
}
