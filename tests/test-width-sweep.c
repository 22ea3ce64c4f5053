/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Compare widths (nns-width-sweep): each width's numbers are bit for bit a
 * sequential trainer run's, the parameter counts follow the formula, the
 * progress callback sees every width once, a cancel from it stops the run
 * at once, bad arguments are refused by name. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "nns-width-sweep.h"

static NnsNetwork *
relu_network (const char *text)
{
  NnsNetwork *net = nns_network_new_from_string (text, NULL);

  assert_non_null (net);
  for (guint l = 0; l + 1 < nns_network_get_n_layers (net); l++)
    assert_true (nns_network_set_activation (net, l, NNS_ACTIVATION_RELU, NULL));
  return net;
}

static void
adam_config (NnsTrainConfig *config)
{
  nns_train_config_init (config, NNS_OPTIM_ADAM);
  config->lr = 0.02;
  config->seed = 7;
}

/* The same widths trained one after the other with the trainer alone. */
static void
test_equals_sequential (void **state)
{
  g_autoptr (NnsNetwork) net = relu_network ("2,8,8,2");
  g_autoptr (NnsDataset) data = nns_dataset_new_toy (NNS_DATASET_CIRCLES, 400, 0.05, 0.5, 3, NULL);
  const guint widths[] = { 3, 8, 1, 5 };
  g_autoptr (GError) error = NULL;
  NnsTrainConfig config;
  NnsWidthResult *results;

  adam_config (&config);
  results = nns_width_sweep_run (net, data, &config, widths, G_N_ELEMENTS (widths), 6, 2,
                                 NULL, NULL, NULL, &error);
  assert_null (error);
  assert_non_null (results);
  for (guint i = 0; i < G_N_ELEMENTS (widths); i++)
    {
      g_autoptr (NnsNetwork) copy = nns_network_copy (net);
      g_autoptr (NnsTrainer) t = NULL;
      NnsTrainStats stats, train, test;

      for (guint l = 0; l < 2; l++)
        assert_true (nns_network_set_units (copy, l, widths[i], NULL));
      t = nns_trainer_new (copy, &config, NULL);
      for (guint e = 0; e < 6; e++)
        assert_true (nns_trainer_train_epoch (t, &data->train, &stats, NULL));
      nns_trainer_evaluate (t, &data->train, &train);
      nns_trainer_evaluate (t, &data->test, &test);

      assert_int_equal (results[i].width, widths[i]);
      assert_null (results[i].error);
      assert_int_equal (results[i].epochs, 6);
      assert_int_equal (results[i].n_params, nns_trainer_get_n_params (t));
      /* bit for bit: the trainer is deterministic for a seed */
      assert_true (memcmp (&results[i].train_loss, &train.loss, sizeof (double)) == 0);
      assert_true (memcmp (&results[i].train_accuracy, &train.accuracy, sizeof (double)) == 0);
      assert_true (memcmp (&results[i].test_loss, &test.loss, sizeof (double)) == 0);
      assert_true (memcmp (&results[i].test_accuracy, &test.accuracy, sizeof (double)) == 0);
    }
  /* trained: the widest parts the disc from the ring better than one unit */
  assert_true (results[1].train_accuracy > results[2].train_accuracy);
  nns_width_results_free (results, G_N_ELEMENTS (widths));
}

/* 2 → w → w → 2 has (2w + w) + (w² + w) + (2w + 2) = w² + 6w + 2. */
static void
test_n_params (void **state)
{
  g_autoptr (NnsNetwork) net = relu_network ("2,8,8,2");
  g_autoptr (NnsDataset) data = nns_dataset_new_toy (NNS_DATASET_XOR, 100, 0.05, 0.5, 1, NULL);
  const guint widths[] = { 1, 2, 4, 16, 100 };
  NnsTrainConfig config;
  NnsWidthResult *results;

  adam_config (&config);
  results = nns_width_sweep_run (net, data, &config, widths, G_N_ELEMENTS (widths), 1, 0,
                                 NULL, NULL, NULL, NULL);
  assert_non_null (results);
  for (guint i = 0; i < G_N_ELEMENTS (widths); i++)
    {
      gsize w = widths[i];

      assert_int_equal (results[i].n_params, w * w + 6 * w + 2);
    }
  assert_int_equal (results[2].n_params, 42);
  nns_width_results_free (results, G_N_ELEMENTS (widths));
}

typedef struct
{
  GMutex        lock;
  guint         calls;
  guint         done[16];
  guint         width[16];
  guint         total;
  GCancellable *cancel_after_first;
  gint64        cancelled_at;
} Seen;

static void
record_progress (guint                 done,
                 guint                 total,
                 const NnsWidthResult *result,
                 gpointer              user_data)
{
  Seen *seen = user_data;

  g_mutex_lock (&seen->lock);
  if (seen->calls < G_N_ELEMENTS (seen->done))
    {
      seen->done[seen->calls] = done;
      seen->width[seen->calls] = result->width;
    }
  seen->calls++;
  seen->total = total;
  g_mutex_unlock (&seen->lock);
  if (seen->cancel_after_first != NULL)
    {
      seen->cancelled_at = g_get_monotonic_time ();
      g_cancellable_cancel (seen->cancel_after_first);
    }
}

static void
test_progress (void **state)
{
  g_autoptr (NnsNetwork) net = relu_network ("2,8,8,2");
  g_autoptr (NnsDataset) data = nns_dataset_new_toy (NNS_DATASET_GAUSS, 200, 0.05, 0.5, 1, NULL);
  const guint widths[] = { 2, 9, 4, 1, 7, 3 };
  guint widths_seen = 0, widths_given = 0;
  NnsTrainConfig config;
  NnsWidthResult *results;
  Seen seen = { 0 };

  g_mutex_init (&seen.lock);
  adam_config (&config);
  results = nns_width_sweep_run (net, data, &config, widths, G_N_ELEMENTS (widths), 2, 2,
                                 record_progress, &seen, NULL, NULL);
  assert_non_null (results);
  assert_int_equal (seen.calls, G_N_ELEMENTS (widths));
  assert_int_equal (seen.total, G_N_ELEMENTS (widths));
  for (guint i = 0; i < G_N_ELEMENTS (widths); i++)
    {
      /* serialised: done counts up in call order */
      assert_int_equal (seen.done[i], i + 1);
      widths_seen |= 1u << seen.width[i];
      widths_given |= 1u << widths[i];
    }
  /* every width reported once */
  assert_int_equal (widths_seen, widths_given);
  nns_width_results_free (results, G_N_ELEMENTS (widths));
  g_mutex_clear (&seen.lock);
}

/* A cancel from the first result's callback: the running jobs stop at
 * their next epoch, the queued ones never start. */
static void
test_cancel (void **state)
{
  g_autoptr (NnsNetwork) net = relu_network ("2,8,8,2");
  g_autoptr (NnsDataset) data = nns_dataset_new_toy (NNS_DATASET_CIRCLES, 1000, 0.05, 0.5, 1, NULL);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = NULL;
  const guint widths[] = { 1, 128, 128, 128, 128 };
  const guint wide_epochs = 300;
  NnsTrainConfig config;
  NnsWidthResult *results;
  Seen seen = { .cancel_after_first = cancellable };
  double one_epoch, took, after;
  gint64 start;

  g_mutex_init (&seen.lock);
  adam_config (&config);
  /* one epoch at width 128, alone */
  {
    g_autoptr (NnsNetwork) wide = nns_width_sweep_network (net, 128);
    g_autoptr (NnsTrainer) t = nns_trainer_new (wide, &config, NULL);
    NnsTrainStats stats;

    nns_trainer_set_blas_threads (1);
    start = g_get_monotonic_time ();
    nns_trainer_train_epoch (t, &data->train, &stats, NULL);
    one_epoch = (g_get_monotonic_time () - start) / 1e6;
  }

  /* one thread: width 1 finishes, cancels; nothing else starts */
  results = nns_width_sweep_run (net, data, &config, widths, G_N_ELEMENTS (widths), wide_epochs, 1,
                                 record_progress, &seen, cancellable, &error);
  assert_null (results);
  assert_true (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
  assert_int_equal (seen.calls, 1);
  assert_int_equal (seen.width[0], 1);
  g_clear_error (&error);

  /* two threads: a width-128 job is running when width 1 cancels; it stops
   * after its epoch. Uncancelled, the rest would take about
   * 4 × wide_epochs / 2 epochs of width 128. */
  g_cancellable_reset (cancellable);
  seen.calls = 0;
  start = g_get_monotonic_time ();
  results = nns_width_sweep_run (net, data, &config, widths, G_N_ELEMENTS (widths), wide_epochs, 2,
                                 record_progress, &seen, cancellable, &error);
  took = (g_get_monotonic_time () - start) / 1e6;
  after = (g_get_monotonic_time () - seen.cancelled_at) / 1e6;
  assert_null (results);
  assert_true (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
  assert_int_equal (seen.calls, 1);
  assert_int_equal (seen.width[0], 1);
  g_print ("cancelled run: %.1f ms, %.1f ms of it after the cancel; one width-128 epoch %.1f ms\n",
           took * 1e3, after * 1e3, one_epoch * 1e3);
  /* 300 epochs are left in the running job alone */
  assert_true (after < 0.02 + 20 * one_epoch);
  g_clear_error (&error);

  /* cancelled before it starts */
  seen.calls = 0;
  results = nns_width_sweep_run (net, data, &config, widths, G_N_ELEMENTS (widths), wide_epochs, 2,
                                 record_progress, &seen, cancellable, &error);
  assert_null (results);
  assert_true (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
  assert_int_equal (seen.calls, 0);
  g_mutex_clear (&seen.lock);
}

static void
test_refused (void **state)
{
  g_autoptr (NnsNetwork) net = relu_network ("2,8,8,2");
  g_autoptr (NnsNetwork) flat = relu_network ("2,2");
  g_autoptr (NnsNetwork) three = relu_network ("3,8,2");
  g_autoptr (NnsDataset) data = nns_dataset_new_toy (NNS_DATASET_XOR, 100, 0.05, 0.5, 1, NULL);
  const guint zero[] = { 4, 0 }, huge[] = { NNS_UNITS_MAX + 1 }, fine[] = { 4 };
  NnsTrainConfig config;
  static const struct { guint which; const char *needle; } cases[] = {
    { 0, "Width 0 is outside 1 … 1000000" },
    { 1, "Width 1000001 is outside 1 … 1000000" },
    { 2, "hidden layer" },
    { 3, "at least one width" },
    { 4, "the network takes 3 inputs; xor has 2 features" },
  };

  adam_config (&config);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      NnsWidthResult *results = NULL;

      switch (cases[i].which)
        {
        case 0:
          results = nns_width_sweep_run (net, data, &config, zero, 2, 1, 0, NULL, NULL, NULL, &error);
          break;
        case 1:
          results = nns_width_sweep_run (net, data, &config, huge, 1, 1, 0, NULL, NULL, NULL, &error);
          break;
        case 2:
          results = nns_width_sweep_run (flat, data, &config, fine, 1, 1, 0, NULL, NULL, NULL, &error);
          break;
        case 3:
          results = nns_width_sweep_run (net, data, &config, fine, 0, 1, 0, NULL, NULL, NULL, &error);
          break;
        case 4:
          results = nns_width_sweep_run (three, data, &config, fine, 1, 1, 0, NULL, NULL, NULL, &error);
          break;
        }
      assert_null (results);
      assert_non_null (error);
      if (strstr (error->message, cases[i].needle) == NULL)
        fail_msg ("case %u: “%s” does not say “%s”", i, error->message, cases[i].needle);
      if (cases[i].which < 4)
        assert_true (g_error_matches (error, NNS_TRAINER_ERROR, NNS_TRAINER_ERROR_INVALID));
    }
}

/* A width that diverges reports it in its own result, with the numbers of
 * its last good weights; the others train. */
static void
test_diverged_width (void **state)
{
  g_autoptr (NnsNetwork) net = relu_network ("2,8,8,2");
  g_autoptr (NnsDataset) data = nns_dataset_new_toy (NNS_DATASET_XOR, 1000, 0.05, 0.5, 1, NULL);
  const guint widths[] = { 8, 64 };
  NnsTrainConfig config;
  NnsWidthResult *results;

  nns_train_config_init (&config, NNS_OPTIM_SGD);
  config.lr = 1e9;
  results = nns_width_sweep_run (net, data, &config, widths, 2, 10, 2, NULL, NULL, NULL, NULL);
  assert_non_null (results);
  for (guint i = 0; i < 2; i++)
    {
      assert_true (g_error_matches (results[i].error, NNS_TRAINER_ERROR, NNS_TRAINER_ERROR_DIVERGED));
      assert_true (results[i].n_params > 0);
      assert_true (results[i].epochs < 10);
      assert_true (results[i].train_accuracy >= 0 && results[i].train_accuracy <= 1);
    }
  nns_width_results_free (results, 2);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_equals_sequential),
    cmocka_unit_test (test_n_params),
    cmocka_unit_test (test_progress),
    cmocka_unit_test (test_cancel),
    cmocka_unit_test (test_refused),
    cmocka_unit_test (test_diverged_width),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
