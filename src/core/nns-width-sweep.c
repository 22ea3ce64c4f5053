/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "nns-width-sweep"

#include "config.h"

#include "nns-width-sweep.h"

#include <glib/gi18n-lib.h>

typedef struct
{
  const NnsDataset     *dataset;
  const NnsTrainConfig *config;
  guint                 epochs;
  guint                 total;
  GCancellable         *cancellable;
  NnsWidthProgress      progress;
  gpointer              user_data;
  GMutex                lock;     /* done and the progress calls */
  guint                 done;
} Sweep;

typedef struct
{
  NnsNetwork     *network;
  NnsWidthResult *result;
} Job;

NnsNetwork *
nns_width_sweep_network (NnsNetwork *network,
                         guint       width)
{
  NnsNetwork *copy = nns_network_copy (network);

  for (guint l = 0; l + 1 < nns_network_get_n_layers (copy); l++)
    nns_network_set_units (copy, l, width, NULL);
  return copy;
}

static gboolean
cancelled (Sweep *sweep)
{
  return sweep->cancellable != NULL && g_cancellable_is_cancelled (sweep->cancellable);
}

/* One width: exactly the sequential run, with the cancellable looked at
 * before each epoch. */
static void
run_job (gpointer data,
         gpointer user_data)
{
  Job *job = data;
  Sweep *sweep = user_data;
  NnsWidthResult *r = job->result;
  g_autoptr (NnsTrainer) t = NULL;

  if (cancelled (sweep))
    return;
  t = nns_trainer_new (job->network, sweep->config, &r->error);
  if (t != NULL)
    {
      NnsTrainStats stats;

      r->n_params = nns_trainer_get_n_params (t);
      for (guint e = 0; e < sweep->epochs; e++)
        {
          if (cancelled (sweep))
            return;
          if (!nns_trainer_train_epoch (t, &sweep->dataset->train, &stats, &r->error))
            break;
          r->epochs++;
        }
      if (cancelled (sweep))
        return;
      nns_trainer_evaluate (t, &sweep->dataset->train, &stats);
      r->train_loss = stats.loss;
      r->train_accuracy = stats.accuracy;
      nns_trainer_evaluate (t, &sweep->dataset->test, &stats);
      r->test_loss = stats.loss;
      r->test_accuracy = stats.accuracy;
    }
  g_mutex_lock (&sweep->lock);
  if (!cancelled (sweep))
    {
      sweep->done++;
      if (sweep->progress != NULL)
        sweep->progress (sweep->done, sweep->total, r, sweep->user_data);
    }
  g_mutex_unlock (&sweep->lock);
}

/* What makes every width fail is the run's error, found before any thread
 * starts: the arguments, then a trainer for the smallest width (cheap)
 * against the data. */
static gboolean
check_run (NnsNetwork           *network,
           const NnsDataset     *dataset,
           const NnsTrainConfig *config,
           const guint          *widths,
           guint                 n_widths,
           GError              **error)
{
  g_autoptr (NnsNetwork) smallest = NULL;
  g_autoptr (NnsTrainer) t = NULL;
  guint min_width = G_MAXUINT;

  if (n_widths == 0)
    {
      g_set_error_literal (error, NNS_TRAINER_ERROR, NNS_TRAINER_ERROR_INVALID,
                           _("Give at least one width to compare"));
      return FALSE;
    }
  for (guint i = 0; i < n_widths; i++)
    {
      if (widths[i] < NNS_UNITS_MIN || widths[i] > NNS_UNITS_MAX)
        {
          g_set_error (error, NNS_TRAINER_ERROR, NNS_TRAINER_ERROR_INVALID,
                       _("Width %u is outside %u … %u"), widths[i], NNS_UNITS_MIN, NNS_UNITS_MAX);
          return FALSE;
        }
      min_width = MIN (min_width, widths[i]);
    }
  if (nns_network_get_n_layers (network) < 2)
    {
      g_set_error_literal (error, NNS_TRAINER_ERROR, NNS_TRAINER_ERROR_INVALID,
                           _("Comparing widths needs a network with a hidden layer"));
      return FALSE;
    }
  smallest = nns_width_sweep_network (network, min_width);
  if ((t = nns_trainer_new (smallest, config, error)) == NULL ||
      !nns_trainer_check_dataset (t, dataset, error))
    return FALSE;
  return TRUE;
}

NnsWidthResult *
nns_width_sweep_run (NnsNetwork           *network,
                     const NnsDataset     *dataset,
                     const NnsTrainConfig *config,
                     const guint          *widths,
                     guint                 n_widths,
                     guint                 epochs,
                     guint                 n_threads,
                     NnsWidthProgress      progress,
                     gpointer              user_data,
                     GCancellable         *cancellable,
                     GError              **error)
{
  Sweep sweep = {
    .dataset = dataset, .config = config, .epochs = epochs, .total = n_widths,
    .cancellable = cancellable, .progress = progress, .user_data = user_data,
  };
  NnsWidthResult *results;
  g_autofree Job *jobs = NULL;
  GThreadPool *pool;

  g_return_val_if_fail (NNS_IS_NETWORK (network), NULL);
  g_return_val_if_fail (dataset != NULL && config != NULL, NULL);
  g_return_val_if_fail (widths != NULL || n_widths == 0, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);

  if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
      !check_run (network, dataset, config, widths, n_widths, error))
    return NULL;
  if (n_threads == 0)
    n_threads = g_get_num_processors ();
  n_threads = MIN (n_threads, n_widths);

  /* Each width is one job on its own core; the BLAS stays single-threaded
   * inside each. */
  nns_trainer_set_blas_threads (1);
  g_mutex_init (&sweep.lock);
  results = g_new0 (NnsWidthResult, n_widths);
  jobs = g_new0 (Job, n_widths);
  pool = g_thread_pool_new (run_job, &sweep, (gint) n_threads, FALSE, NULL);
  for (guint i = 0; i < n_widths; i++)
    {
      results[i].width = widths[i];
      jobs[i].result = &results[i];
      jobs[i].network = nns_width_sweep_network (network, widths[i]);
      g_thread_pool_push (pool, &jobs[i], NULL);
    }
  g_thread_pool_free (pool, FALSE, TRUE);
  g_mutex_clear (&sweep.lock);
  for (guint i = 0; i < n_widths; i++)
    g_object_unref (jobs[i].network);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      nns_width_results_free (results, n_widths);
      return NULL;
    }
  return results;
}

void
nns_width_results_free (NnsWidthResult *results,
                        guint           n)
{
  if (results == NULL)
    return;
  for (guint i = 0; i < n; i++)
    g_clear_error (&results[i].error);
  g_free (results);
}

guint *
nns_width_list_parse (const char *text,
                      guint       max_n,
                      guint      *n_out,
                      GError    **error)
{
  g_auto (GStrv) items = g_strsplit (text, ",", -1);
  g_autofree guint *widths = g_new0 (guint, g_strv_length (items) + 1);
  guint n = 0;

  for (guint i = 0; items[i] != NULL; i++)
    {
      const char *item = g_strstrip (items[i]);
      guint64 value;

      if (!g_ascii_string_to_unsigned (item, 10, NNS_UNITS_MIN, NNS_UNITS_MAX, &value, NULL))
        {
          g_set_error (error, NNS_TRAINER_ERROR, NNS_TRAINER_ERROR_INVALID,
                       _("“%s” is not a width 1 … %u"), item, NNS_UNITS_MAX);
          return NULL;
        }
      widths[n++] = (guint) value;
    }
  if (n == 0 || n > max_n)
    {
      g_set_error (error, NNS_TRAINER_ERROR, NNS_TRAINER_ERROR_INVALID,
                   _("give 1 … %u widths"), max_n);
      return NULL;
    }
  *n_out = n;
  return g_steal_pointer (&widths);
}
