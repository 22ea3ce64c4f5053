/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Training speed: samples per second for one Fashion-MNIST epoch of
 * 784 → 256 → 128 → 10 ReLU, Adam 1e-3, batch 128, at 1 and 2 BLAS
 * threads (bench/torch-train-bench.py does the same with PyTorch), and
 * where the time goes: the forward pass, the backward pass, the optimizer.
 * --epochs=N trains N epochs at --threads and prints the test accuracy.
 *
 *   build/bench/nns-train-bench [--threads=1,2] [--epochs=N] */

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NnsDataset) d = NULL;
  const char *threads = "1,2";
  int epochs = 0;

  for (int i = 1; i < argc; i++)
    if (g_str_has_prefix (argv[i], "--threads="))
      threads = argv[i] + strlen ("--threads=");
    else if (g_str_has_prefix (argv[i], "--epochs="))
      epochs = atoi (argv[i] + strlen ("--epochs="));
    else
      {
        fprintf (stderr, "usage: nns-train-bench [--threads=1,2] [--epochs=N]\n");
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
