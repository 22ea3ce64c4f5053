/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "nns-train-cli.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdio.h>

#include "nns-dataset.h"
#include "nns-safetensors.h"
#include "nns-trainer.h"
#include "nns-width-sweep.h"

/* The 2-D problems: this many points, half of them for testing (as
 * TensorFlow Playground splits them). */
#define TOY_POINTS 1000
#define TOY_TEST_FRACTION 0.5
#define TOY_NOISE 0.05
#define EPOCHS_DEFAULT 10
#define EPOCHS_MAX 100000
#define COMPARE_MAX 64

static gboolean
bad_value (GError    **error,
           const char *format,
           ...) G_GNUC_PRINTF (2, 3);

static gboolean
bad_value (GError    **error,
           const char *format,
           ...)
{
  va_list args;

  va_start (args, format);
  g_propagate_error (error, g_error_new_valist (G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                                                format, args));
  va_end (args);
  return FALSE;
}

/* "1,2,4" → widths; NULL and an error naming the option and the item. */
static guint *
parse_widths (const char *text,
              guint      *n_out,
              GError    **error)
{
  g_autoptr (GError) local = NULL;
  guint *widths = nns_width_list_parse (text, COMPARE_MAX, n_out, &local);

  if (widths == NULL)
    bad_value (error, "--compare-widths: %s", local->message);
  return widths;
}

gboolean
nns_train_cli_check (NnsCliOptions *options,
                     GError       **error)
{
  NnsDatasetKind kind;
  NnsActivation activation;

  if (options->train == NULL)
    {
      const char *names[] = { "--epochs", "--lr", "--seed", "--noise", "--activation",
                              "--compare-widths" };
      gboolean given[] = { options->epochs_given, options->lr_given, options->seed_given,
                           options->noise_given, options->activation != NULL,
                           options->compare_widths != NULL };

      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        if (given[i])
          {
            g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                         _("%s goes with --train"), names[i]);
            return FALSE;
          }
      return TRUE;
    }

  if (!nns_dataset_kind_from_string (options->train, &kind))
    return bad_value (error, _("--train=%s: use spiral, circles, xor, gauss or fashion-mnist"),
                      options->train);
  /* every value given is checked, the ones that look like "not given" too */
  if (!options->epochs_given)
    options->epochs = EPOCHS_DEFAULT;
  if (options->epochs < 1 || options->epochs > EPOCHS_MAX)
    return bad_value (error, _("--epochs=%d is outside 1 … %d"), options->epochs, EPOCHS_MAX);
  if (options->lr_given && !(options->lr > 0 && isfinite (options->lr)))
    return bad_value (error, _("--lr=%g: give a learning rate above 0"), options->lr);
  if (!options->lr_given)
    options->lr = 0;
  if (!options->seed_given)
    options->seed = 1;
  if (options->seed < 0)
    return bad_value (error, _("--seed=%d: give 0 or more"), options->seed);
  if (options->noise_given && kind == NNS_DATASET_FASHION_MNIST)
    return bad_value (error, _("--noise goes with a 2-D problem, not fashion-mnist"));
  if (!options->noise_given)
    options->noise = -1;
  else if (!(options->noise >= 0 && options->noise <= 1))
    return bad_value (error, _("--noise=%g is outside 0 … 1"), options->noise);
  if (options->activation != NULL && !nns_activation_from_string (options->activation, &activation))
    return bad_value (error, _("--activation=%s: use none, relu, leaky_relu, elu, gelu, silu, "
                               "sigmoid, tanh, softplus or prelu"), options->activation);
  if (options->compare_widths != NULL)
    {
      g_autofree guint *widths = NULL;
      guint n;

      if ((widths = parse_widths (options->compare_widths, &n, error)) == NULL)
        return FALSE;
    }
  if (options->export_filename != NULL &&
      (!g_str_has_suffix (options->export_filename, ".safetensors") ||
       options->compare_widths != NULL))
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("--export-filename with --train writes the trained weights: "
                             "give a .safetensors file (and no --compare-widths)"));
      return FALSE;
    }
  if (options->summary)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("give either --summary or --train, not both"));
      return FALSE;
    }
  return TRUE;
}

/* The network to train: the user's, or the data set's own; hidden layers
 * get --activation, and ReLU when the widths came without activations. */
static NnsNetwork *
training_network (const NnsCliOptions *options,
                  NnsNetwork          *given,
                  NnsDatasetKind       kind,
                  GError             **error)
{
  gboolean from_widths = options->file == NULL;
  NnsActivation activation = NNS_ACTIVATION_RELU;
  NnsNetwork *net;

  if (options->layers == NULL && options->file == NULL)
    net = nns_network_new_from_string (kind == NNS_DATASET_FASHION_MNIST ? "784,256,128,10"
                                       : "2,8,8,2", error);
  else
    net = nns_network_copy (given);
  if (net == NULL)
    return NULL;
  if (options->activation != NULL)
    nns_activation_from_string (options->activation, &activation);
  if (options->activation != NULL || from_widths)
    for (guint l = 0; l + 1 < nns_network_get_n_layers (net); l++)
      nns_network_set_activation (net, l, activation, NULL);
  return net;
}

static NnsDataset *
load_dataset (const NnsCliOptions *options,
              NnsDatasetKind       kind,
              GError             **error)
{
  if (kind == NNS_DATASET_FASHION_MNIST)
    return nns_dataset_load_fashion_mnist (g_getenv ("NNS_FASHION_MNIST_DIR"), error);
  return nns_dataset_new_toy (kind, TOY_POINTS, options->noise >= 0 ? options->noise : TOY_NOISE,
                              TOY_TEST_FRACTION, (guint32) options->seed, error);
}

static void
config_from_options (const NnsCliOptions *options,
                     NnsTrainConfig      *config)
{
  nns_train_config_init (config, NNS_OPTIM_ADAM);
  if (options->optimizer != NULL)
    nns_train_config_set_optimizer (config, options->optimizer);
  if (options->lr > 0)
    config->lr = options->lr;
  if (options->batch_size_given)
    config->batch_size = (guint) options->batch_size;
  config->seed = (guint32) options->seed;
}

static char *
describe_network (NnsNetwork *net)
{
  GString *s = g_string_new (NULL);

  g_string_append_printf (s, "%u", nns_network_get_input (net));
  for (guint l = 0; l < nns_network_get_n_layers (net); l++)
    {
      const NnsLayer *layer = nns_network_get_layer (net, l);

      g_string_append_printf (s, " → %u", layer->units);
      if (layer->activation != NNS_ACTIVATION_NONE)
        g_string_append_printf (s, " %s", nns_activation_get_label (layer->activation));
    }
  return g_string_free (s, FALSE);
}

static const char *
optimizer_name (const NnsTrainConfig *config)
{
  switch (config->optimizer)
    {
    case NNS_OPTIM_SGD:
      return config->momentum > 0 ? "SGD momentum" : "SGD";
    case NNS_OPTIM_ADAM:
      return "Adam";
    case NNS_OPTIM_ADAMW:
    default:
      return "AdamW";
    }
}

/* ---- --compare-widths ---- */

static gboolean
compare_widths (const NnsCliOptions  *options,
                NnsNetwork           *net,
                const NnsDataset     *dataset,
                const NnsTrainConfig *config,
                GError              **error)
{
  g_autofree guint *widths = NULL;
  NnsWidthResult *results;
  guint n;

  widths = parse_widths (options->compare_widths, &n, error);
  if (widths == NULL)
    return FALSE;
  results = nns_width_sweep_run (net, dataset, config, widths, n, (guint) options->epochs, 0,
                                 NULL, NULL, NULL, error);
  if (results == NULL)
    {
      g_prefix_error (error, "--compare-widths: ");
      return FALSE;
    }

  printf ("%8s  %12s  %14s  %13s\n", _("width"), _("parameters"), _("train accuracy"),
          _("test accuracy"));
  for (guint i = 0; i < n; i++)
    {
      const NnsWidthResult *r = &results[i];

      if (r->error != NULL && r->n_params == 0)
        printf ("%8u  %s\n", r->width, r->error->message);
      else
        printf ("%8u  %12" G_GSIZE_FORMAT "  %12.2f %%  %11.2f %%%s%s\n", r->width,
                r->n_params, 100 * r->train_accuracy, 100 * r->test_accuracy,
                r->error ? "  " : "", r->error ? r->error->message : "");
    }
  fflush (stdout);
  nns_width_results_free (results, n);
  return TRUE;
}

/* ---- --train ---- */

gboolean
nns_train_cli_run (const NnsCliOptions *options,
                   NnsNetwork          *given,
                   NnsWeights          *weights,
                   GError             **error)
{
  g_autoptr (NnsNetwork) net = NULL;
  g_autoptr (NnsDataset) dataset = NULL;
  g_autoptr (NnsTrainer) t = NULL;
  g_autofree char *shape = NULL;
  NnsTrainConfig config;
  NnsDatasetKind kind;
  NnsTrainStats train, test;
  double seconds = 0;

  if (!nns_dataset_kind_from_string (options->train, &kind))
    return bad_value (error, _("--train=%s: use spiral, circles, xor, gauss or fashion-mnist"),
                      options->train);
  if ((net = training_network (options, given, kind, error)) == NULL ||
      (dataset = load_dataset (options, kind, error)) == NULL)
    return FALSE;
  config_from_options (options, &config);
  if ((t = nns_trainer_new (net, &config, error)) == NULL ||
      !nns_trainer_check_dataset (t, dataset, error))
    return FALSE;
  /* A model file's weights are where training starts. */
  if (weights != NULL && options->file != NULL && !nns_trainer_set_weights (t, weights, error))
    return FALSE;

  if (options->compare_widths != NULL)
    return compare_widths (options, net, dataset, &config, error);

  shape = describe_network (net);
  printf (_("Training %s (%zu parameters) on %s: %u training and %u test samples; "
            "%s lr %g, batch %u, seed %d\n"),
          shape, nns_trainer_get_n_params (t), nns_dataset_kind_get_id (kind), dataset->train.n,
          dataset->test.n, optimizer_name (&config), config.lr, config.batch_size, options->seed);
  for (int e = 1; e <= options->epochs; e++)
    {
      gint64 start = g_get_monotonic_time ();
      double took;

      if (!nns_trainer_train_epoch (t, &dataset->train, &train, error))
        {
          g_prefix_error (error, _("epoch %d: "), e);
          return FALSE;
        }
      took = (g_get_monotonic_time () - start) / 1e6;
      seconds += took;
      nns_trainer_evaluate (t, &dataset->test, &test);
      printf (_("epoch %3d  loss %.4f  accuracy %6.2f %%  test loss %.4f  test accuracy %6.2f %%  "
                "%.0f samples/s\n"),
              e, train.loss, 100 * train.accuracy, test.loss, 100 * test.accuracy,
              train.n / MAX (took, 1e-9));
      fflush (stdout);
    }
  nns_trainer_evaluate (t, &dataset->train, &train);
  printf (_("Trained %d epochs in %.2f s (%.0f samples/s): train accuracy %.2f %% (loss %.4f), "
            "test accuracy %.2f %% (loss %.4f)\n"),
          options->epochs, seconds, options->epochs * (double) dataset->train.n / MAX (seconds, 1e-9),
          100 * train.accuracy, train.loss, 100 * test.accuracy, test.loss);
  if (options->export_filename != NULL)
    {
      g_autoptr (NnsWeights) trained = nns_trainer_dup_weights (t, weights);

      if (!nns_safetensors_save (net, trained, options->export_filename, error))
        return FALSE;
      printf (_("Saved the trained weights to %s\n"), options->export_filename);
    }
  return TRUE;
}
