/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The trainer against PyTorch (forward outputs, gradients, SGD with
 * momentum and weight decay, Adam, AdamW, BatchNorm1d's running statistics
 * and evaluation outputs: tests/training/torch-truth.h), against finite
 * differences for every activation and every norm form with a shared
 * Linear, a BatchNorm1d batch of 1 refused, and in use: a short
 * run whose loss falls, the same run twice for a seed, a diverging run
 * that stops and keeps its last good weights, layers it refuses. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "nns-trainer.h"

typedef struct
{
  const char    *name;
  guint          n_widths;
  guint          widths[6];
  const char    *activation[5];
  int            bias[5];
  int            prelu_per_unit[5];
  const char    *norm[5];
  int            norm_affine[5];
  int            norm_bias[5];
  guint          shares[5];
  NnsLossKind    loss;
  guint          batch;
  double         loss_value;
  const float   *params, *x;
  const guint8  *y;
  const float   *out, *grads, *eval_out;
  const float   *plain[2], *sgd[2], *adam[2], *adamw[2];
  /* BatchNorm1d's running statistics: before, after the gradient pass,
   * after two steps of plain, sgd, adam, adamw */
  const float   *buffers0, *buffers1, *buffers2[4];
  gsize          n_params;
  gsize          n_buffers;
} TorchCase;

#include "training/torch-truth.h"

static NnsNetwork *
case_network (const TorchCase *c)
{
  NnsNetwork *net = nns_network_new (c->widths, c->n_widths, NULL);

  for (guint l = 0; l + 1 < c->n_widths; l++)
    {
      NnsActivation act;
      NnsLayerExtras extras;

      assert_true (nns_activation_from_string (c->activation[l], &act));
      assert_true (nns_network_set_activation (net, l, act, NULL));
      assert_true (nns_network_set_bias (net, l, c->bias[l], NULL));
      nns_layer_get_extras (nns_network_get_layer (net, l), &extras);
      extras.prelu_per_unit = c->prelu_per_unit[l];
      assert_true (nns_norm_from_string (c->norm[l], &extras.norm));
      extras.norm_affine = c->norm_affine[l];
      extras.norm_bias = c->norm_bias[l];
      extras.norm_running_stats = TRUE;
      assert_true (nns_network_set_extras (net, l, &extras, NULL));
      if (c->shares[l] != 0)
        assert_true (nns_network_set_shared (net, l, c->shares[l] - 1, NULL));
    }
  return net;
}

static NnsTrainer *
case_trainer (const TorchCase *c,
              NnsOptimKind     kind,
              double           lr,
              double           momentum,
              double           weight_decay)
{
  g_autoptr (NnsNetwork) net = case_network (c);
  g_autoptr (GError) error = NULL;
  NnsTrainConfig config;
  NnsTrainer *t;

  nns_train_config_init (&config, kind);
  config.lr = lr;
  config.momentum = momentum;
  config.weight_decay = weight_decay;
  config.loss = c->loss;
  config.batch_size = c->batch;
  t = nns_trainer_new (net, &config, &error);
  assert_null (error);
  assert_int_equal (nns_trainer_get_n_params (t), c->n_params);
  assert_int_equal (nns_trainer_get_n_buffers (t), c->n_buffers);
  memcpy (nns_trainer_get_params (t), c->params, sizeof (float) * c->n_params);
  memcpy (nns_trainer_get_buffers (t), c->buffers0, sizeof (float) * c->n_buffers);
  return t;
}

static void
assert_close (const char  *what,
              const char  *name,
              const float *got,
              const float *want,
              gsize        n,
              double       tolerance)
{
  for (gsize i = 0; i < n; i++)
    if (!(fabs ((double) got[i] - want[i]) <= tolerance))
      fail_msg ("%s, %s[%" G_GSIZE_FORMAT "]: %.9g, PyTorch %.9g", name, what, i,
                got[i], want[i]);
}

static void
test_torch_forward (void **state)
{
  for (guint k = 0; k < G_N_ELEMENTS (torch_cases); k++)
    {
      const TorchCase *c = &torch_cases[k];
      g_autoptr (NnsTrainer) t = case_trainer (c, NNS_OPTIM_SGD, 0.1, 0, 0);
      guint n_out = c->widths[c->n_widths - 1];
      g_autofree float *out = g_new (float, c->batch * n_out);
      double loss;

      /* without BatchNorm1d, training and evaluation give the same outputs */
      if (c->n_buffers == 0)
        {
          nns_trainer_forward (t, c->x, c->batch, out);
          assert_close ("output", c->name, out, c->out, c->batch * n_out, 1e-6);
        }
      loss = nns_trainer_compute_gradients (t, c->x, c->y, c->batch, NULL);
      if (!(fabs (loss - c->loss_value) <= 1e-6))
        fail_msg ("%s: loss %.9g, PyTorch %.9g", c->name, loss, c->loss_value);
      assert_close ("gradient", c->name, nns_trainer_get_grads (t), c->grads, c->n_params, 1e-6);
      /* the training forward moved the running statistics by momentum 0.1 */
      assert_close ("running statistics", c->name, nns_trainer_get_buffers (t), c->buffers1,
                    c->n_buffers, 1e-6);
      /* evaluation: BatchNorm1d on those running statistics */
      nns_trainer_forward (t, c->x, c->batch, out);
      assert_close ("evaluation output", c->name, out, c->eval_out, c->batch * n_out, 1e-6);
    }
}

static void
check_steps (NnsOptimKind kind,
             double       lr,
             double       momentum,
             double       weight_decay)
{
  for (guint k = 0; k < G_N_ELEMENTS (torch_cases); k++)
    {
      const TorchCase *c = &torch_cases[k];
      g_autoptr (NnsTrainer) t = case_trainer (c, kind, lr, momentum, weight_decay);
      const float *const *want = kind == NNS_OPTIM_SGD ? (momentum > 0 ? c->sgd : c->plain)
                                 : kind == NNS_OPTIM_ADAM ? c->adam : c->adamw;
      const float *buffers = c->buffers2[kind == NNS_OPTIM_SGD ? (momentum > 0 ? 1 : 0)
                                         : kind == NNS_OPTIM_ADAM ? 2 : 3];

      for (guint s = 0; s < 2; s++)
        {
          g_autofree char *what = g_strdup_printf ("parameter after step %u", s + 1);

          assert_true (nns_trainer_step (t, c->x, c->y, c->batch, NULL, NULL, NULL));
          assert_close (what, c->name, nns_trainer_get_params (t), want[s], c->n_params, 1e-5);
        }
      assert_close ("running statistics after 2 steps", c->name, nns_trainer_get_buffers (t),
                    buffers, c->n_buffers, 1e-6);
      for (guint l = 0; l + 1 < c->n_widths; l++)
        assert_int_equal (nns_trainer_get_num_batches_tracked (t, l),
                          strcmp (c->norm[l], "batch") == 0 ? 2 : 0);
    }
}

static void
test_torch_sgd (void **state)
{
  check_steps (NNS_OPTIM_SGD, 0.1, 0, 0.01);
}

static void
test_torch_sgd_momentum (void **state)
{
  check_steps (NNS_OPTIM_SGD, 0.1, 0.9, 0.01);
}

static void
test_torch_adam (void **state)
{
  check_steps (NNS_OPTIM_ADAM, 0.01, 0, 0.01);
}

static void
test_torch_adamw (void **state)
{
  check_steps (NNS_OPTIM_ADAMW, 0.01, 0, 0.1);
}

/* ---- finite differences ---- */

static double
loss_at (NnsTrainer   *t,
         const float  *x,
         const guint8 *y,
         guint         n)
{
  return nns_trainer_compute_gradients (t, x, y, n, NULL);
}

/* Fails naming what unless every parameter's gradient (already computed
 * for x, y) is a central difference of step h within 1e-3 + 1 %. */
static void
assert_finite_differences (NnsTrainer   *t,
                           const float  *x,
                           const guint8 *y,
                           guint         n_rows,
                           float         h,
                           const char   *what)
{
  float *p = nns_trainer_get_params (t);
  gsize n = nns_trainer_get_n_params (t);
  g_autofree float *grads = g_memdup2 (nns_trainer_get_grads (t), sizeof (float) * n);

  for (gsize i = 0; i < n; i++)
    {
      float keep = p[i];
      double up, down, numeric;

      p[i] = keep + h;
      up = loss_at (t, x, y, n_rows);
      p[i] = keep - h;
      down = loss_at (t, x, y, n_rows);
      p[i] = keep;
      numeric = (up - down) / (2.0 * h);
      if (!(fabs (numeric - grads[i]) <= 1e-3 + 1e-2 * fabs (numeric)))
        fail_msg ("%s: parameter %" G_GSIZE_FORMAT ": gradient %.6g, finite difference %.6g",
                  what, i, grads[i], numeric);
    }
}

/* 3 → 5 (act) → 4 (act) → 3 with both losses, with and without bias: every
 * parameter's analytic gradient against a central difference. */
static void
test_gradient_check (void **state)
{
  const guint widths[] = { 3, 5, 4, 3 };
  float x[8 * 3];
  guint8 y[8];
  g_autoptr (GRand) rand = g_rand_new_with_seed (3);

  for (guint i = 0; i < G_N_ELEMENTS (x); i++)
    x[i] = (float) g_rand_double_range (rand, -1.5, 1.5);
  for (guint i = 0; i < G_N_ELEMENTS (y); i++)
    y[i] = (guint8) g_rand_int_range (rand, 0, 3);

  for (NnsActivation act = 0; act < NNS_N_ACTIVATIONS; act++)
    for (guint variant = 0; variant < 2; variant++)
      {
        g_autoptr (NnsNetwork) net = nns_network_new (widths, 4, NULL);
        g_autoptr (NnsTrainer) t = NULL;
        g_autofree char *what = NULL;
        NnsTrainConfig config;

        for (guint l = 0; l < 3; l++)
          {
            NnsLayerExtras extras;

            assert_true (nns_network_set_activation (net, l, act, NULL));
            assert_true (nns_network_set_bias (net, l, variant == 0 || l == 1, NULL));
            nns_layer_get_extras (nns_network_get_layer (net, l), &extras);
            extras.prelu_per_unit = variant == 0;
            assert_true (nns_network_set_extras (net, l, &extras, NULL));
          }
        nns_train_config_init (&config, NNS_OPTIM_SGD);
        config.loss = variant == 0 ? NNS_LOSS_CROSS_ENTROPY : NNS_LOSS_MSE;
        config.batch_size = 8;
        t = nns_trainer_new (net, &config, NULL);
        assert_non_null (t);
        /* PReLU's slopes away from 0.25 so that a slip between slope and
         * input shows */
        for (guint l = 0; l < 3; l++)
          for (guint k = 0; k < nns_trainer_get_n_prelu (t, l); k++)
            nns_trainer_get_prelu (t, l)[k] = 0.1f + 0.05f * k;
        loss_at (t, x, y, 8);
        what = g_strdup_printf ("%s (%s)", nns_activation_get_id (act),
                                variant == 0 ? "cross entropy" : "MSE, no bias");
        assert_finite_differences (t, x, y, 8, 2e-4f, what);
      }
}

/* Every parameter's gradient against a central difference in a network
 * 3 → 5 → 5 (shares the second Linear) → 3 whose layers carry each norm
 * form: BatchNorm1d affine and not, LayerNorm affine, without bias, and not;
 * norm weights and biases away from 1 and 0. */
static void
test_gradient_check_norms (void **state)
{
  static const struct { NnsNorm norm; gboolean affine, bias; } forms[] = {
    { NNS_NORM_BATCH, TRUE, TRUE }, { NNS_NORM_BATCH, FALSE, FALSE },
    { NNS_NORM_LAYER, TRUE, TRUE }, { NNS_NORM_LAYER, TRUE, FALSE },
    { NNS_NORM_LAYER, FALSE, FALSE },
  };
  const guint widths[] = { 3, 5, 5, 5, 3 };
  float x[8 * 3];
  guint8 y[8];
  g_autoptr (GRand) rand = g_rand_new_with_seed (11);

  for (guint i = 0; i < G_N_ELEMENTS (x); i++)
    x[i] = (float) g_rand_double_range (rand, -1.5, 1.5);
  for (guint i = 0; i < G_N_ELEMENTS (y); i++)
    y[i] = (guint8) g_rand_int_range (rand, 0, 3);

  for (guint f = 0; f < G_N_ELEMENTS (forms); f++)
    for (guint where = 0; where < 4; where++)
      {
        g_autoptr (NnsNetwork) net = nns_network_new (widths, 5, NULL);
        g_autoptr (NnsTrainer) t = NULL;
        g_autofree char *what = NULL;
        NnsLayerExtras extras = { .norm = forms[f].norm, .norm_affine = forms[f].affine,
                                  .norm_bias = forms[f].bias, .norm_running_stats = TRUE };
        NnsTrainConfig config;

        for (guint l = 0; l < 3; l++)
          assert_true (nns_network_set_activation (net, l, l == 1 ? NNS_ACTIVATION_TANH
                                                   : NNS_ACTIVATION_SILU, NULL));
        assert_true (nns_network_set_extras (net, where, &extras, NULL));
        assert_true (nns_network_set_shared (net, 2, 1, NULL));
        nns_train_config_init (&config, NNS_OPTIM_SGD);
        config.loss = f % 2 ? NNS_LOSS_MSE : NNS_LOSS_CROSS_ENTROPY;
        config.batch_size = 8;
        t = nns_trainer_new (net, &config, NULL);
        assert_non_null (t);
        for (guint k = 0; k < widths[where + 1]; k++)
          {
            if (nns_trainer_get_norm_weight (t, where))
              nns_trainer_get_norm_weight (t, where)[k] = 0.6f + 0.2f * k;
            if (nns_trainer_get_norm_bias (t, where))
              nns_trainer_get_norm_bias (t, where)[k] = 0.1f * k - 0.2f;
          }
        loss_at (t, x, y, 8);
        what = g_strdup_printf ("%s (affine %d, bias %d) on layer %u",
                                nns_norm_get_label (forms[f].norm), forms[f].affine,
                                forms[f].bias, where);
        assert_finite_differences (t, x, y, 8, 2e-3f, what);
      }
}

/* PyTorch refuses a BatchNorm1d training batch of 1 ("Expected more than 1
 * value per channel when training"): so does the trainer, in one line,
 * also for an epoch whose last batch would be 1; evaluation of 1 is fine. */
static void
test_batchnorm_batch_of_one (void **state)
{
  g_autoptr (NnsNetwork) net = nns_network_new_from_string ("2,4,2", NULL);
  g_autoptr (NnsDataset) d = nns_dataset_new_toy (NNS_DATASET_GAUSS, 18, 0, 0.5, 1, NULL);
  NnsLayerExtras extras = { .norm = NNS_NORM_BATCH, .norm_affine = TRUE, .norm_bias = TRUE,
                            .norm_running_stats = TRUE };
  g_autoptr (NnsTrainer) t = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) epoch_error = NULL;
  g_autofree float *before = NULL;
  const float x[] = { 0.3f, -0.2f, 0.5f, 0.1f };
  const guint8 y[] = { 1, 0 };
  NnsTrainConfig config;
  NnsTrainStats stats;
  float out[2];

  assert_true (nns_network_set_extras (net, 0, &extras, NULL));
  nns_train_config_init (&config, NNS_OPTIM_SGD);
  config.batch_size = 8;   /* 9 training samples: batches of 8 and 1 */
  t = nns_trainer_new (net, &config, NULL);
  before = g_memdup2 (nns_trainer_get_params (t), sizeof (float) * nns_trainer_get_n_params (t));
  assert_false (nns_trainer_step (t, x, y, 1, NULL, NULL, &error));
  assert_true (g_error_matches (error, NNS_TRAINER_ERROR, NNS_TRAINER_ERROR_INVALID));
  assert_string_equal (error->message, "Hidden 1: BatchNorm1d needs more than 1 sample per batch "
                       "when training; a batch of 1 has no variance (choose a batch size that "
                       "leaves no batch of 1)");
  assert_memory_equal (nns_trainer_get_params (t), before,
                       sizeof (float) * nns_trainer_get_n_params (t));
  assert_true (isnan (nns_trainer_compute_gradients (t, x, y, 1, NULL)));
  assert_true (nns_trainer_step (t, x, y, 2, NULL, NULL, NULL));
  nns_trainer_forward (t, x, 1, out);
  assert_true (isfinite (out[0]) && isfinite (out[1]));
  assert_int_equal (d->train.n, 9);
  assert_false (nns_trainer_train_epoch (t, &d->train, &stats, &epoch_error));
  assert_non_null (strstr (epoch_error->message, "BatchNorm1d needs more than 1 sample"));
}

/* Running statistics and a shared Linear go in and out through NnsWeights:
 * the published weights keep one tensor for the shared Linear, and
 * num_batches_tracked counts the training forwards. */
static void
test_norm_and_shared_weights (void **state)
{
  g_autoptr (NnsNetwork) net = nns_network_new_from_string ("2,4,4,4,2", NULL);
  NnsLayerExtras extras = { .norm = NNS_NORM_BATCH, .norm_affine = TRUE, .norm_bias = TRUE,
                            .norm_running_stats = TRUE };
  g_autoptr (NnsWeights) initial = NULL;
  g_autoptr (NnsWeights) start = NULL;
  g_autoptr (NnsWeights) trained = NULL;
  g_autoptr (NnsTrainer) t = NULL;
  NnsTrainConfig config;
  const float x[] = { 0.2f, -0.4f, 0.7f, 0.1f, -0.3f, 0.9f };
  const guint8 y[] = { 1, 0, 1 };
  const NnsLayerWeights *w1, *w2, *n2;

  assert_true (nns_network_set_extras (net, 2, &extras, NULL));
  assert_true (nns_network_set_activation (net, 1, NNS_ACTIVATION_TANH, NULL));
  assert_true (nns_network_set_shared (net, 2, 1, NULL));
  initial = nns_weights_new_init (net, 3);
  start = nns_weights_copy (initial);
  nns_weights_get_layer_mutable (start, 2)->running_mean[1] = 0.5f;
  nns_weights_get_layer_mutable (start, 2)->running_var[3] = 2.0f;
  *nns_weights_get_layer_mutable (start, 2)->num_batches_tracked = 7;
  nns_train_config_init (&config, NNS_OPTIM_ADAM);
  config.lr = 0.05;
  t = nns_trainer_new (net, &config, NULL);
  /* 2·4+4 + 4·4+4 (once) + 4+4 (norm) + 4·2+2 */
  assert_int_equal (nns_trainer_get_n_params (t), 12 + 20 + 8 + 10);
  assert_true (nns_trainer_get_weight (t, 2) == nns_trainer_get_weight (t, 1));
  assert_true (nns_trainer_set_weights (t, start, NULL));
  assert_true (nns_trainer_get_buffers (t)[1] == 0.5f);
  assert_true (nns_trainer_get_buffers (t)[4 + 3] == 2.0f);
  for (guint s = 0; s < 3; s++)
    assert_true (nns_trainer_step (t, x, y, 3, NULL, NULL, NULL));
  trained = nns_trainer_dup_weights (t, initial);
  w1 = nns_weights_get_layer (trained, 1);
  w2 = nns_weights_get_layer (trained, 2);
  n2 = w2;
  assert_true (w2->weight == w1->weight);
  assert_memory_equal (w1->weight, nns_trainer_get_weight (t, 1), sizeof (float) * 16);
  assert_false (memcmp (w1->weight, nns_weights_get_layer (initial, 1)->weight, sizeof (float) * 16) == 0);
  assert_memory_equal (n2->norm_weight, nns_trainer_get_norm_weight (t, 2), sizeof (float) * 4);
  assert_memory_equal (n2->running_mean, nns_trainer_get_buffers (t), sizeof (float) * 4);
  assert_memory_equal (n2->running_var, nns_trainer_get_buffers (t) + 4, sizeof (float) * 4);
  assert_true (n2->running_mean[1] != 0.5f && n2->running_var[0] != 1.0f);
  assert_int_equal (*n2->num_batches_tracked, 10);
  assert_true (nns_weights_check (trained, net, NULL));
}

/* ---- training ---- */

static NnsTrainer *
toy_trainer (NnsOptimKind kind,
             double       lr,
             guint32      seed)
{
  const guint widths[] = { 2, 16, 16, 2 };
  g_autoptr (NnsNetwork) net = nns_network_new (widths, 4, NULL);
  NnsTrainConfig config;

  nns_network_set_activation (net, 0, NNS_ACTIVATION_TANH, NULL);
  nns_network_set_activation (net, 1, NNS_ACTIVATION_TANH, NULL);
  nns_train_config_init (&config, kind);
  config.lr = lr;
  config.batch_size = 16;
  config.seed = seed;
  return nns_trainer_new (net, &config, NULL);
}

static void
test_loss_falls (void **state)
{
  g_autoptr (NnsDataset) d = nns_dataset_new_toy (NNS_DATASET_CIRCLES, 600, 0.05, 0.25, 1, NULL);
  g_autoptr (NnsTrainer) t = toy_trainer (NNS_OPTIM_ADAM, 0.02, 5);
  NnsTrainStats first, last, test;

  assert_true (nns_trainer_check_dataset (t, d, NULL));
  nns_trainer_evaluate (t, &d->train, &first);
  for (guint e = 0; e < 30; e++)
    assert_true (nns_trainer_train_epoch (t, &d->train, &last, NULL));
  nns_trainer_evaluate (t, &d->test, &test);
  assert_int_equal (last.n, d->train.n);
  assert_true (first.loss > 0.6);
  assert_true (last.loss < 0.1);
  assert_true (last.accuracy > 0.97);
  assert_true (test.accuracy > 0.95);
}

static void
test_deterministic (void **state)
{
  g_autoptr (NnsDataset) d = nns_dataset_new_toy (NNS_DATASET_SPIRAL, 300, 0.05, 0.2, 1, NULL);
  g_autoptr (NnsTrainer) a = toy_trainer (NNS_OPTIM_SGD, 0.1, 9);
  g_autoptr (NnsTrainer) b = toy_trainer (NNS_OPTIM_SGD, 0.1, 9);
  g_autoptr (NnsTrainer) c = toy_trainer (NNS_OPTIM_SGD, 0.1, 10);
  NnsTrainStats s;

  for (guint e = 0; e < 3; e++)
    {
      assert_true (nns_trainer_train_epoch (a, &d->train, &s, NULL));
      assert_true (nns_trainer_train_epoch (b, &d->train, &s, NULL));
      assert_true (nns_trainer_train_epoch (c, &d->train, &s, NULL));
    }
  assert_memory_equal (nns_trainer_get_params (a), nns_trainer_get_params (b),
                       sizeof (float) * nns_trainer_get_n_params (a));
  assert_true (memcmp (nns_trainer_get_params (a), nns_trainer_get_params (c),
                       sizeof (float) * nns_trainer_get_n_params (a)) != 0);
}

/* A learning rate far too large: the loss overflows, the step is refused
 * with a message, and the weights are the last ones with a finite loss. */
static void
test_divergence_keeps_last_good (void **state)
{
  g_autoptr (NnsDataset) d = nns_dataset_new_toy (NNS_DATASET_XOR, 200, 0.05, 0, 1, NULL);
  const guint widths[] = { 2, 8, 2 };
  g_autoptr (NnsNetwork) net = nns_network_new (widths, 3, NULL);
  g_autoptr (NnsTrainer) t = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree float *before = NULL, *before_previous = NULL;
  NnsTrainConfig config;
  gsize n;
  guint step;
  NnsTrainStats s;

  nns_network_set_activation (net, 0, NNS_ACTIVATION_RELU, NULL);
  nns_train_config_init (&config, NNS_OPTIM_SGD);
  config.lr = 1e12;
  config.loss = NNS_LOSS_MSE;
  config.batch_size = 20;
  t = nns_trainer_new (net, &config, NULL);
  n = nns_trainer_get_n_params (t);
  before = g_new (float, n);
  before_previous = g_new (float, n);
  for (step = 0; step < 100; step++)
    {
      memcpy (before_previous, before, sizeof (float) * n);
      memcpy (before, nns_trainer_get_params (t), sizeof (float) * n);
      if (!nns_trainer_step (t, d->train.x + 2 * 20 * (step % 10), d->train.y + 20 * (step % 10),
                             20, NULL, NULL, &error))
        break;
    }
  assert_true (step > 0 && step < 100);
  assert_true (g_error_matches (error, NNS_TRAINER_ERROR, NNS_TRAINER_ERROR_DIVERGED));
  assert_non_null (strstr (error->message, "the learning rate 1e+12 is too large"));
  assert_memory_equal (nns_trainer_get_params (t), before_previous, sizeof (float) * n);
  nns_trainer_evaluate (t, &d->train, &s);
  assert_true (isfinite (s.loss));

  /* a whole epoch stops the same way */
  g_clear_error (&error);
  nns_trainer_init_params (t, 1);
  while (nns_trainer_train_epoch (t, &d->train, &s, &error))
    ;
  assert_true (g_error_matches (error, NNS_TRAINER_ERROR, NNS_TRAINER_ERROR_DIVERGED));
  nns_trainer_evaluate (t, &d->train, &s);
  assert_true (isfinite (s.loss));
}

/* A diverging step puts the running statistics back with the parameters:
 * the buffers are the ones the last finite step left. */
static void
test_divergence_keeps_running_stats (void **state)
{
  g_autoptr (NnsDataset) d = nns_dataset_new_toy (NNS_DATASET_XOR, 200, 0.05, 0, 1, NULL);
  g_autoptr (NnsNetwork) net = nns_network_new_from_string ("2,8,2", NULL);
  NnsLayerExtras extras = { .norm = NNS_NORM_BATCH, .norm_affine = TRUE, .norm_bias = TRUE,
                            .norm_running_stats = TRUE };
  g_autoptr (NnsTrainer) t = NULL;
  g_autoptr (GError) error = NULL;
  float before[16];
  gint64 tracked = 0;
  NnsTrainConfig config;
  guint step;

  assert_true (nns_network_set_extras (net, 0, &extras, NULL));
  nns_network_set_activation (net, 0, NNS_ACTIVATION_RELU, NULL);
  nns_train_config_init (&config, NNS_OPTIM_SGD);
  config.lr = 1e30;
  config.loss = NNS_LOSS_MSE;
  config.batch_size = 20;
  t = nns_trainer_new (net, &config, NULL);
  assert_int_equal (nns_trainer_get_n_buffers (t), 16);
  for (step = 0; step < 100; step++)
    {
      memcpy (before, nns_trainer_get_buffers (t), sizeof before);
      tracked = nns_trainer_get_num_batches_tracked (t, 0);
      if (!nns_trainer_step (t, d->train.x + 2 * 20 * (step % 10), d->train.y + 20 * (step % 10),
                             20, NULL, NULL, &error))
        break;
    }
  assert_true (step > 0 && step < 100);
  assert_true (g_error_matches (error, NNS_TRAINER_ERROR, NNS_TRAINER_ERROR_DIVERGED));
  assert_memory_equal (nns_trainer_get_buffers (t), before, sizeof before);
  assert_int_equal (nns_trainer_get_num_batches_tracked (t, 0), tracked);
  assert_int_equal (tracked, step);
}

/* nn.Dropout: random units off while training (a new mask each pass),
 * none in evaluation. */
static void
test_dropout (void **state)
{
  const guint widths[] = { 2, 64, 2 };
  const float x[] = { 0.5f, -0.3f, 0.1f, 0.9f };
  const guint8 y[] = { 0, 1 };
  NnsLayerExtras extras = { .dropout = 0.5 };
  float out1[4], out2[4];
  double l1, l2, l3;

  for (guint with = 0; with < 2; with++)
    {
      g_autoptr (NnsNetwork) net = nns_network_new (widths, 3, NULL);
      g_autoptr (NnsTrainer) t = NULL;
      NnsTrainConfig config;

      if (with)
        assert_true (nns_network_set_extras (net, 0, &extras, NULL));
      nns_train_config_init (&config, NNS_OPTIM_SGD);
      t = nns_trainer_new (net, &config, NULL);
      l1 = nns_trainer_compute_gradients (t, x, y, 2, NULL);
      l2 = nns_trainer_compute_gradients (t, x, y, 2, NULL);
      nns_trainer_forward (t, x, 2, out1);
      l3 = nns_trainer_compute_gradients (t, x, y, 2, NULL);
      nns_trainer_forward (t, x, 2, out2);
      assert_memory_equal (out1, out2, sizeof out1);
      if (with)
        assert_true (l1 != l2 && l2 != l3);
      else
        assert_true (l1 == l2 && l2 == l3);
    }
}

/* The trainer starts from the document's kind of weights and gives its
 * trained values back as NnsWeights. */
static void
test_weights_in_and_out (void **state)
{
  g_autoptr (NnsNetwork) net = nns_network_new_from_string ("2,6,3", NULL);
  g_autoptr (NnsNetwork) other = nns_network_new_from_string ("2,7,3", NULL);
  g_autoptr (NnsWeights) initial = nns_weights_new_init (net, 4);
  g_autoptr (NnsWeights) wrong = nns_weights_new_init (other, 4);
  g_autoptr (NnsWeights) out = NULL;
  g_autoptr (NnsWeights) trained = NULL;
  g_autoptr (NnsTrainer) t = NULL;
  g_autoptr (GError) error = NULL;
  NnsTrainConfig config;
  const float x[] = { 0.2f, -0.4f };
  const guint8 y[] = { 1 };

  nns_network_set_activation (net, 0, NNS_ACTIVATION_PRELU, NULL);
  g_clear_pointer (&initial, nns_weights_unref);
  initial = nns_weights_new_init (net, 4);
  nns_train_config_init (&config, NNS_OPTIM_SGD);
  config.seed = 4;
  t = nns_trainer_new (net, &config, NULL);
  /* its own start is PyTorch's default initialisation, as NnsWeights makes it */
  out = nns_trainer_dup_weights (t, NULL);
  assert_true (nns_weights_equal (out, initial));
  assert_memory_equal (nns_trainer_get_weight (t, 1), nns_weights_get_layer (initial, 1)->weight,
                       sizeof (float) * 18);

  assert_false (nns_trainer_set_weights (t, wrong, &error));
  assert_true (g_error_matches (error, NNS_WEIGHTS_ERROR, NNS_WEIGHTS_ERROR_SHAPE));
  assert_true (nns_trainer_step (t, x, y, 1, NULL, NULL, NULL));
  trained = nns_trainer_dup_weights (t, initial);
  assert_false (nns_weights_equal (trained, initial));
  assert_memory_equal (nns_weights_get_layer (trained, 0)->weight, nns_trainer_get_weight (t, 0),
                       sizeof (float) * 12);
  assert_true (nns_weights_get_layer (trained, 0)->prelu[0] == nns_trainer_get_prelu (t, 0)[0]);
  assert_true (nns_trainer_set_weights (t, initial, NULL));
  assert_memory_equal (nns_trainer_get_bias (t, 0), nns_weights_get_layer (initial, 0)->bias,
                       sizeof (float) * 6);
}

static void
test_refuses (void **state)
{
  g_autoptr (NnsNetwork) net = nns_network_new_from_string ("2,8,2", NULL);
  g_autoptr (NnsNetwork) wide = nns_network_new_from_string ("3,8,2", NULL);
  g_autoptr (NnsDataset) d = nns_dataset_new_toy (NNS_DATASET_GAUSS, 100, 0, 0, 1, NULL);
  g_autoptr (NnsTrainer) t = NULL;
  g_autoptr (GError) e1 = NULL;
  g_autoptr (GError) e2 = NULL;
  g_autoptr (GError) e3 = NULL;
  NnsLayerExtras extras = { .norm = NNS_NORM_BATCH, .norm_affine = TRUE, .norm_bias = TRUE };
  NnsTrainConfig config;

  nns_train_config_init (&config, NNS_OPTIM_ADAM);
  t = nns_trainer_new (wide, &config, NULL);
  assert_false (nns_trainer_check_dataset (t, d, &e1));
  assert_string_equal (e1->message, "the network takes 3 inputs; gauss has 2 features");

  assert_true (nns_network_set_extras (net, 0, &extras, NULL));
  assert_null (nns_trainer_new (net, &config, &e2));
  assert_string_equal (e2->message, "Hidden 1: the trainer cannot train "
                       "BatchNorm1d(track_running_stats=False); keep its running statistics to train");

  config.batch_size = 0;
  assert_null (nns_trainer_new (wide, &config, &e3));
  assert_string_equal (e3->message, "batch size 0: give 1 … 65536");

  /* each bad setting named with its range */
  {
    static const struct { double lr, wd, momentum; guint batch; const char *message; } bad[] = {
      { 0, 0, 0, 32, "learning rate 0: give a number above 0" },
      { -1, 0, 0, 32, "learning rate -1: give a number above 0" },
      { NAN, 0, 0, 32, "learning rate nan: give a number above 0" },
      { 0.1, -0.5, 0, 32, "weight decay -0.5: give 0 or a finite number above 0" },
      { 0.1, NAN, 0, 32, "weight decay nan: give 0 or a finite number above 0" },
      { 0.1, 0, 1, 32, "momentum 1, betas (0.9, 0.999), eps 1e-08: give momentum and betas "
                       "in 0 … 1 (1 excluded) and eps above 0" },
      { 0.1, 0, 0, 65537, "batch size 65537: give 1 … 65536" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr (GError) e = NULL;

        nns_train_config_init (&config, NNS_OPTIM_SGD);
        config.lr = bad[i].lr;
        config.weight_decay = bad[i].wd;
        config.momentum = bad[i].momentum;
        config.batch_size = bad[i].batch;
        assert_null (nns_trainer_new (wide, &config, &e));
        assert_string_equal (e->message, bad[i].message);
      }
  }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_torch_forward),
    cmocka_unit_test (test_torch_sgd),
    cmocka_unit_test (test_torch_sgd_momentum),
    cmocka_unit_test (test_torch_adam),
    cmocka_unit_test (test_torch_adamw),
    cmocka_unit_test (test_gradient_check),
    cmocka_unit_test (test_gradient_check_norms),
    cmocka_unit_test (test_batchnorm_batch_of_one),
    cmocka_unit_test (test_norm_and_shared_weights),
    cmocka_unit_test (test_loss_falls),
    cmocka_unit_test (test_deterministic),
    cmocka_unit_test (test_divergence_keeps_last_good),
    cmocka_unit_test (test_divergence_keeps_running_stats),
    cmocka_unit_test (test_dropout),
    cmocka_unit_test (test_weights_in_and_out),
    cmocka_unit_test (test_refuses),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
