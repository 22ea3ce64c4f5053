/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <inttypes.h>

/* The elementwise loops (activations, the optimizers) vectorise with
 * GCC's -O3 loop passes (and the core's -fno-math-errno). */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize ("O3")
#endif

#include "nns-trainer.h"

#include <cblas.h>
#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

G_DEFINE_QUARK (nns-trainer-error-quark, nns_trainer_error)

/* The widest eval chunk: forward passes over a data set go this many rows
 * at a time. */
#define EVAL_CHUNK 256

typedef struct
{
  guint         in, out;
  gboolean      bias;
  NnsActivation activation;
  double        dropout;
  guint         n_prelu;        /* 0, 1 or out */
  gboolean      own_linear;     /* FALSE: shares an earlier layer's Linear */
  NnsNorm       norm;
  gboolean      norm_weight, norm_bias;
  gsize         w_off, b_off, nw_off, nb_off, p_off;
  gsize         r_off;          /* BatchNorm1d: running mean, then var, in buffers */
  gint64        n_tracked;      /* BatchNorm1d num_batches_tracked */
  /* per-batch buffers, capacity × out */
  float        *z;              /* after the Linear */
  float        *xhat;           /* normalised z (with a norm) */
  float        *n;              /* after the norm's affine (with a norm) */
  float        *invstd;         /* 1/√(var + ε): out (BatchNorm1d) or capacity (LayerNorm) */
  float        *a;              /* after the activation */
  float        *d;              /* after the dropout (NULL without one) */
  guint8       *mask;           /* the dropout's kept units */
} Layer;

struct _NnsTrainer
{
  NnsTrainConfig config;
  NnsNetwork    *network;       /* a copy: the shapes the weights must fit */
  guint          n_layers;
  Layer         *layers;
  guint          max_width;

  gsize          n_params;
  float         *params;
  float         *grads;
  float         *state1;        /* SGD momentum buffer; Adam exp_avg */
  float         *state2;        /* Adam exp_avg_sq */
  float         *good;          /* the parameters before the last step */
  gsize          n_buffers;
  float         *buffers;       /* BatchNorm1d running statistics */
  float         *good_buffers;  /* the buffers before the last step's forward */
  gint64        *good_tracked;
  guint64        n_steps;

  guint          capacity;      /* rows the buffers hold */
  float         *g1, *g2;       /* backward scratch, capacity × max_width */
  float         *batch_x;       /* a gathered mini-batch */
  guint8        *batch_y;
  GRand         *rand;
};

void
nns_train_config_init (NnsTrainConfig *config,
                       NnsOptimKind    kind)
{
  memset (config, 0, sizeof *config);
  config->optimizer = kind;
  config->lr = kind == NNS_OPTIM_SGD ? 0.01 : 1e-3;
  config->momentum = 0.0;
  config->beta1 = 0.9;
  config->beta2 = 0.999;
  config->eps = 1e-8;
  config->weight_decay = kind == NNS_OPTIM_ADAMW ? 0.01 : 0.0;
  config->batch_size = 32;
  config->loss = NNS_LOSS_CROSS_ENTROPY;
  config->seed = 0;
}

gboolean
nns_train_config_set_optimizer (NnsTrainConfig *config,
                                const char     *name)
{
  if (g_ascii_strcasecmp (name, "sgd") == 0)
    config->optimizer = NNS_OPTIM_SGD, config->momentum = 0.0;
  else if (g_ascii_strcasecmp (name, "momentum") == 0)
    config->optimizer = NNS_OPTIM_SGD, config->momentum = 0.9;
  else if (g_ascii_strcasecmp (name, "adam") == 0)
    config->optimizer = NNS_OPTIM_ADAM;
  else if (g_ascii_strcasecmp (name, "adamw") == 0)
    config->optimizer = NNS_OPTIM_ADAMW;
  else
    return FALSE;
  return TRUE;
}

static void
free_buffers (NnsTrainer *t)
{
  for (guint l = 0; l < t->n_layers; l++)
    {
      g_clear_pointer (&t->layers[l].z, g_free);
      g_clear_pointer (&t->layers[l].xhat, g_free);
      g_clear_pointer (&t->layers[l].n, g_free);
      g_clear_pointer (&t->layers[l].invstd, g_free);
      g_clear_pointer (&t->layers[l].a, g_free);
      g_clear_pointer (&t->layers[l].d, g_free);
      g_clear_pointer (&t->layers[l].mask, g_free);
    }
  g_clear_pointer (&t->g1, g_free);
  g_clear_pointer (&t->g2, g_free);
  g_clear_pointer (&t->batch_x, g_free);
  g_clear_pointer (&t->batch_y, g_free);
  t->capacity = 0;
}

static void
ensure_capacity (NnsTrainer *t,
                 guint       rows)
{
  if (rows <= t->capacity)
    return;
  free_buffers (t);
  t->capacity = rows;
  for (guint l = 0; l < t->n_layers; l++)
    {
      Layer *L = &t->layers[l];
      gsize size = (gsize) rows * L->out;

      L->z = g_new (float, size);
      L->a = g_new (float, size);
      if (L->norm != NNS_NORM_NONE)
        {
          L->xhat = g_new (float, size);
          L->n = g_new (float, size);
          L->invstd = g_new (float, MAX (rows, L->out));
        }
      if (L->dropout > 0)
        {
          L->d = g_new (float, size);
          L->mask = g_new (guint8, size);
        }
    }
  t->g1 = g_new (float, (gsize) rows * t->max_width);
  t->g2 = g_new (float, (gsize) rows * t->max_width);
  t->batch_x = g_new (float, (gsize) rows * t->layers[0].in);
  t->batch_y = g_new (guint8, rows);
}

void
nns_trainer_free (NnsTrainer *t)
{
  if (t == NULL)
    return;
  free_buffers (t);
  g_free (t->layers);
  g_free (t->params);
  g_free (t->grads);
  g_free (t->state1);
  g_free (t->state2);
  g_free (t->good);
  g_free (t->buffers);
  g_free (t->good_buffers);
  g_free (t->good_tracked);
  g_clear_pointer (&t->rand, g_rand_free);
  g_clear_object (&t->network);
  g_free (t);
}

NnsTrainer *
nns_trainer_new (NnsNetwork           *network,
                 const NnsTrainConfig *config,
                 GError              **error)
{
  g_autoptr (NnsTrainer) t = g_new0 (NnsTrainer, 1);
  guint n = nns_network_get_n_layers (network);
  gsize off = 0, n_buffers = 0;

  if (config->batch_size < 1 || config->batch_size > 65536)
    {
      g_set_error (error, NNS_TRAINER_ERROR, NNS_TRAINER_ERROR_INVALID,
                   _("batch size %u: give 1 … 65536"), config->batch_size);
      return NULL;
    }
  if (!(config->lr > 0 && isfinite (config->lr)))
    {
      g_set_error (error, NNS_TRAINER_ERROR, NNS_TRAINER_ERROR_INVALID,
                   _("learning rate %g: give a number above 0"), config->lr);
      return NULL;
    }
  if (!(config->weight_decay >= 0 && isfinite (config->weight_decay)))
    {
      g_set_error (error, NNS_TRAINER_ERROR, NNS_TRAINER_ERROR_INVALID,
                   _("weight decay %g: give 0 or a finite number above 0"), config->weight_decay);
      return NULL;
    }
  if (!(config->momentum >= 0 && config->momentum < 1) ||
      !(config->beta1 >= 0 && config->beta1 < 1) ||
      !(config->beta2 >= 0 && config->beta2 < 1) || !(config->eps > 0 && isfinite (config->eps)))
    {
      g_set_error (error, NNS_TRAINER_ERROR, NNS_TRAINER_ERROR_INVALID,
                   _("momentum %g, betas (%g, %g), eps %g: give momentum and betas in 0 … 1 "
                     "(1 excluded) and eps above 0"),
                   config->momentum, config->beta1, config->beta2, config->eps);
      return NULL;
    }

  t->config = *config;
  t->network = nns_network_copy (network);
  t->n_layers = n;
  t->layers = g_new0 (Layer, n);
  t->max_width = nns_network_get_input (network);
  for (guint l = 0; l < n; l++)
    {
      const NnsLayer *src = nns_network_get_layer (network, l);
      Layer *L = &t->layers[l];
      g_autofree char *title = nns_network_dup_column_title (network, l + 1);

      if (src->norm == NNS_NORM_BATCH && !src->norm_running_stats)
        {
          /* Without running statistics PyTorch evaluates on the batch's own
           * statistics, so an evaluation would depend on how it is chunked. */
          g_set_error (error, NNS_TRAINER_ERROR, NNS_TRAINER_ERROR_UNSUPPORTED,
                       _("%s: the trainer cannot train BatchNorm1d(track_running_stats=False); "
                         "keep its running statistics to train"), title);
          return NULL;
        }
      L->in = nns_network_get_in_features (network, l);
      L->out = src->units;
      L->bias = src->bias;
      L->activation = src->activation;
      L->dropout = src->dropout;
      L->n_prelu = src->activation != NNS_ACTIVATION_PRELU ? 0
                   : src->prelu_per_unit ? src->units : 1;
      L->own_linear = src->shares == 0;
      L->norm = src->norm;
      L->norm_weight = src->norm != NNS_NORM_NONE && src->norm_affine;
      L->norm_bias = L->norm_weight && (src->norm == NNS_NORM_BATCH || src->norm_bias);
      /* the parameters in state_dict order: Linear weight and bias (a shared
       * Linear's are its owner's), norm weight and bias, PReLU */
      if (L->own_linear)
        {
          L->w_off = off;
          off += (gsize) L->in * L->out;
          L->b_off = off;
          off += L->bias ? L->out : 0;
        }
      else
        {
          L->w_off = t->layers[src->shares - 1].w_off;
          L->b_off = t->layers[src->shares - 1].b_off;
        }
      L->nw_off = off;
      off += L->norm_weight ? L->out : 0;
      L->nb_off = off;
      off += L->norm_bias ? L->out : 0;
      L->p_off = off;
      off += L->n_prelu;
      L->r_off = n_buffers;
      n_buffers += L->norm == NNS_NORM_BATCH ? 2 * (gsize) L->out : 0;
      t->max_width = MAX (t->max_width, L->out);
    }
  t->n_params = off;
  t->params = g_new0 (float, off);
  t->grads = g_new0 (float, off);
  t->state1 = g_new0 (float, off);
  t->state2 = g_new0 (float, off);
  t->good = g_new0 (float, off);
  t->n_buffers = n_buffers;
  t->buffers = g_new0 (float, MAX (n_buffers, 1));
  t->good_buffers = g_new0 (float, MAX (n_buffers, 1));
  t->good_tracked = g_new0 (gint64, n);
  t->rand = g_rand_new_with_seed (config->seed);
  nns_trainer_init_params (t, config->seed);
  return g_steal_pointer (&t);
}

const NnsTrainConfig *
nns_trainer_get_config (NnsTrainer *t)
{
  return &t->config;
}

void
nns_trainer_set_lr (NnsTrainer *t,
                    double      lr)
{
  g_return_if_fail (lr > 0);
  t->config.lr = lr;
}

guint
nns_trainer_get_n_inputs (NnsTrainer *t)
{
  return t->layers[0].in;
}

guint
nns_trainer_get_n_outputs (NnsTrainer *t)
{
  return t->layers[t->n_layers - 1].out;
}

gsize
nns_trainer_get_n_params (NnsTrainer *t)
{
  return t->n_params;
}

float *
nns_trainer_get_params (NnsTrainer *t)
{
  return t->params;
}

const float *
nns_trainer_get_grads (NnsTrainer *t)
{
  return t->grads;
}

float *
nns_trainer_get_weight (NnsTrainer *t,
                        guint       layer)
{
  g_return_val_if_fail (layer < t->n_layers, NULL);
  return t->params + t->layers[layer].w_off;
}

float *
nns_trainer_get_bias (NnsTrainer *t,
                      guint       layer)
{
  g_return_val_if_fail (layer < t->n_layers, NULL);
  return t->layers[layer].bias ? t->params + t->layers[layer].b_off : NULL;
}

float *
nns_trainer_get_prelu (NnsTrainer *t,
                       guint       layer)
{
  g_return_val_if_fail (layer < t->n_layers, NULL);
  return t->layers[layer].n_prelu ? t->params + t->layers[layer].p_off : NULL;
}

float *
nns_trainer_get_norm_weight (NnsTrainer *t,
                             guint       layer)
{
  g_return_val_if_fail (layer < t->n_layers, NULL);
  return t->layers[layer].norm_weight ? t->params + t->layers[layer].nw_off : NULL;
}

float *
nns_trainer_get_norm_bias (NnsTrainer *t,
                           guint       layer)
{
  g_return_val_if_fail (layer < t->n_layers, NULL);
  return t->layers[layer].norm_bias ? t->params + t->layers[layer].nb_off : NULL;
}

gsize
nns_trainer_get_n_buffers (NnsTrainer *t)
{
  return t->n_buffers;
}

float *
nns_trainer_get_buffers (NnsTrainer *t)
{
  return t->buffers;
}

gint64
nns_trainer_get_num_batches_tracked (NnsTrainer *t,
                                     guint       layer)
{
  g_return_val_if_fail (layer < t->n_layers, 0);
  return t->layers[layer].n_tracked;
}

guint
nns_trainer_get_n_prelu (NnsTrainer *t,
                         guint       layer)
{
  g_return_val_if_fail (layer < t->n_layers, 0);
  return t->layers[layer].n_prelu;
}

void
nns_trainer_reset_optimizer (NnsTrainer *t)
{
  memset (t->state1, 0, sizeof (float) * t->n_params);
  memset (t->state2, 0, sizeof (float) * t->n_params);
  t->n_steps = 0;
}

void
nns_trainer_init_params (NnsTrainer *t,
                         guint32     seed)
{
  g_autoptr (NnsWeights) initial = nns_weights_new_init (t->network, seed);

  nns_trainer_set_weights (t, initial, NULL);
}

gboolean
nns_trainer_set_weights (NnsTrainer *t,
                         NnsWeights *weights,
                         GError    **error)
{
  if (!nns_weights_check (weights, t->network, error))
    return FALSE;
  for (guint l = 0; l < t->n_layers; l++)
    {
      const NnsLayerWeights *w = nns_weights_get_layer (weights, l);
      Layer *L = &t->layers[l];

      if (L->own_linear)
        {
          memcpy (t->params + L->w_off, w->weight, sizeof (float) * L->in * L->out);
          if (L->bias)
            memcpy (t->params + L->b_off, w->bias, sizeof (float) * L->out);
        }
      if (L->norm_weight)
        memcpy (t->params + L->nw_off, w->norm_weight, sizeof (float) * L->out);
      if (L->norm_bias)
        memcpy (t->params + L->nb_off, w->norm_bias, sizeof (float) * L->out);
      if (L->n_prelu)
        memcpy (t->params + L->p_off, w->prelu, sizeof (float) * L->n_prelu);
      if (L->norm == NNS_NORM_BATCH)
        {
          memcpy (t->buffers + L->r_off, w->running_mean, sizeof (float) * L->out);
          memcpy (t->buffers + L->r_off + L->out, w->running_var, sizeof (float) * L->out);
          L->n_tracked = *w->num_batches_tracked;
        }
    }
  nns_trainer_reset_optimizer (t);
  return TRUE;
}

NnsWeights *
nns_trainer_dup_weights (NnsTrainer *t,
                         NnsWeights *base)
{
  NnsWeights *out = base != NULL && nns_weights_fits (base, t->network)
                    ? nns_weights_copy (base) : nns_weights_new_zero (t->network);

  for (guint l = 0; l < t->n_layers; l++)
    {
      NnsLayerWeights *w = nns_weights_get_layer_mutable (out, l);
      Layer *L = &t->layers[l];

      if (L->own_linear)
        {
          memcpy (w->weight, t->params + L->w_off, sizeof (float) * L->in * L->out);
          if (L->bias)
            memcpy (w->bias, t->params + L->b_off, sizeof (float) * L->out);
        }
      if (L->norm_weight)
        memcpy (w->norm_weight, t->params + L->nw_off, sizeof (float) * L->out);
      if (L->norm_bias)
        memcpy (w->norm_bias, t->params + L->nb_off, sizeof (float) * L->out);
      if (L->n_prelu)
        memcpy (w->prelu, t->params + L->p_off, sizeof (float) * L->n_prelu);
      if (L->norm == NNS_NORM_BATCH)
        {
          memcpy (w->running_mean, t->buffers + L->r_off, sizeof (float) * L->out);
          memcpy (w->running_var, t->buffers + L->r_off + L->out, sizeof (float) * L->out);
          *w->num_batches_tracked = L->n_tracked;
        }
    }
  return out;
}

/* ---- activations ---- */

static inline float
sigmoidf (float x)
{
  return 1.0f / (1.0f + expf (-x));
}

/* tanh as a rational function of x² (the form Eigen and XLA use), within
 * 4e-7 of the exact value everywhere and branch-free, so the loop
 * vectorises; glibc's tanhf is a call an element and took a third of a
 * 2-D problem's frame. Past ±7.9 tanh is ±1 in float. */
static inline float
fast_tanhf (float x)
{
  const float clamp = 7.90531110763549805f;
  float x2, p, q, c = x > clamp ? clamp : x < -clamp ? -clamp : x;

  x2 = c * c;
  p = -2.76076847742355e-16f;
  p = p * x2 + 2.00018790482477e-13f;
  p = p * x2 - 8.60467152213735e-11f;
  p = p * x2 + 5.12229709037114e-08f;
  p = p * x2 + 1.48572235717979e-05f;
  p = p * x2 + 6.37261928875436e-04f;
  p = p * x2 + 4.89352455891786e-03f;
  q = 1.19825839466702e-06f;
  q = q * x2 + 1.18534705686654e-04f;
  q = q * x2 + 2.26843463243900e-03f;
  q = q * x2 + 4.89352518554385e-03f;
  /* near 0 the quotient's rounding would show: tanh x = x there */
  return fabsf (x) < 0.0004f ? x : c * p / q;
}

/* a = f(z) over rows × cols; PReLU takes its slopes. */
static void
activate (const Layer *L,
          const float *slopes,
          const float *z,
          float       *a,
          guint        rows)
{
  gsize n = (gsize) rows * L->out;

  switch (L->activation)
    {
    case NNS_ACTIVATION_NONE:
      memcpy (a, z, sizeof (float) * n);
      break;
    case NNS_ACTIVATION_RELU:
      for (gsize i = 0; i < n; i++)
        a[i] = z[i] > 0 ? z[i] : 0.0f;
      break;
    case NNS_ACTIVATION_LEAKY_RELU:
      for (gsize i = 0; i < n; i++)
        a[i] = z[i] > 0 ? z[i] : 0.01f * z[i];
      break;
    case NNS_ACTIVATION_ELU:
      for (gsize i = 0; i < n; i++)
        a[i] = z[i] > 0 ? z[i] : expm1f (z[i]);
      break;
    case NNS_ACTIVATION_GELU:
      for (gsize i = 0; i < n; i++)
        a[i] = 0.5f * z[i] * (1.0f + erff (z[i] * (float) M_SQRT1_2));
      break;
    case NNS_ACTIVATION_SILU:
      for (gsize i = 0; i < n; i++)
        a[i] = z[i] * sigmoidf (z[i]);
      break;
    case NNS_ACTIVATION_SIGMOID:
      for (gsize i = 0; i < n; i++)
        a[i] = sigmoidf (z[i]);
      break;
    case NNS_ACTIVATION_TANH:
      for (gsize i = 0; i < n; i++)
        a[i] = fast_tanhf (z[i]);
      break;
    case NNS_ACTIVATION_SOFTPLUS:
      for (gsize i = 0; i < n; i++)
        a[i] = z[i] > 20.0f ? z[i] : log1pf (expf (z[i]));
      break;
    case NNS_ACTIVATION_SOFTMAX:
    case NNS_ACTIVATION_LOG_SOFTMAX:
      for (guint r = 0; r < rows; r++)
        {
          const float *zr = z + (gsize) r * L->out;
          float *ar = a + (gsize) r * L->out;
          float max = zr[0], sum = 0;

          for (guint j = 1; j < L->out; j++)
            max = MAX (max, zr[j]);
          for (guint j = 0; j < L->out; j++)
            sum += expf (zr[j] - max);
          if (L->activation == NNS_ACTIVATION_SOFTMAX)
            for (guint j = 0; j < L->out; j++)
              ar[j] = expf (zr[j] - max) / sum;
          else
            for (guint j = 0; j < L->out; j++)
              ar[j] = zr[j] - max - logf (sum);
        }
      break;
    case NNS_ACTIVATION_PRELU:
      for (guint r = 0; r < rows; r++)
        for (guint j = 0; j < L->out; j++)
          {
            gsize i = (gsize) r * L->out + j;
            float w = slopes[L->n_prelu == 1 ? 0 : j];

            a[i] = z[i] > 0 ? z[i] : w * z[i];
          }
      break;
    default:
      g_assert_not_reached ();
    }
}

/* g (dL/da) becomes dL/dz in place; PReLU adds to its slopes' gradients. */
static void
activate_backward (const Layer *L,
                   const float *slopes,
                   float       *slope_grads,
                   const float *z,
                   const float *a,
                   float       *g,
                   guint        rows)
{
  gsize n = (gsize) rows * L->out;

  switch (L->activation)
    {
    case NNS_ACTIVATION_NONE:
      break;
    case NNS_ACTIVATION_RELU:
      for (gsize i = 0; i < n; i++)
        g[i] = z[i] > 0 ? g[i] : 0.0f;
      break;
    case NNS_ACTIVATION_LEAKY_RELU:
      for (gsize i = 0; i < n; i++)
        g[i] = z[i] > 0 ? g[i] : 0.01f * g[i];
      break;
    case NNS_ACTIVATION_ELU:
      for (gsize i = 0; i < n; i++)
        g[i] = z[i] > 0 ? g[i] : g[i] * (a[i] + 1.0f);
      break;
    case NNS_ACTIVATION_GELU:
      for (gsize i = 0; i < n; i++)
        {
          float cdf = 0.5f * (1.0f + erff (z[i] * (float) M_SQRT1_2));
          float pdf = expf (-0.5f * z[i] * z[i]) * (float) (M_2_SQRTPI * M_SQRT1_2 * 0.5);

          g[i] *= cdf + z[i] * pdf;
        }
      break;
    case NNS_ACTIVATION_SILU:
      for (gsize i = 0; i < n; i++)
        {
          float s = sigmoidf (z[i]);

          g[i] *= s * (1.0f + z[i] * (1.0f - s));
        }
      break;
    case NNS_ACTIVATION_SIGMOID:
      for (gsize i = 0; i < n; i++)
        g[i] *= a[i] * (1.0f - a[i]);
      break;
    case NNS_ACTIVATION_TANH:
      for (gsize i = 0; i < n; i++)
        g[i] *= 1.0f - a[i] * a[i];
      break;
    case NNS_ACTIVATION_SOFTPLUS:
      for (gsize i = 0; i < n; i++)
        g[i] = z[i] > 20.0f ? g[i] : g[i] * sigmoidf (z[i]);
      break;
    case NNS_ACTIVATION_SOFTMAX:
      for (guint r = 0; r < rows; r++)
        {
          const float *ar = a + (gsize) r * L->out;
          float *gr = g + (gsize) r * L->out;
          float dot = 0;

          for (guint j = 0; j < L->out; j++)
            dot += gr[j] * ar[j];
          for (guint j = 0; j < L->out; j++)
            gr[j] = ar[j] * (gr[j] - dot);
        }
      break;
    case NNS_ACTIVATION_LOG_SOFTMAX:
      for (guint r = 0; r < rows; r++)
        {
          const float *ar = a + (gsize) r * L->out;
          float *gr = g + (gsize) r * L->out;
          float sum = 0;

          for (guint j = 0; j < L->out; j++)
            sum += gr[j];
          for (guint j = 0; j < L->out; j++)
            gr[j] -= expf (ar[j]) * sum;
        }
      break;
    case NNS_ACTIVATION_PRELU:
      for (guint r = 0; r < rows; r++)
        for (guint j = 0; j < L->out; j++)
          {
            gsize i = (gsize) r * L->out + j;
            guint k = L->n_prelu == 1 ? 0 : j;

            if (z[i] <= 0)
              {
                slope_grads[k] += g[i] * z[i];
                g[i] *= slopes[k];
              }
          }
      break;
    default:
      g_assert_not_reached ();
    }
}

/* ---- norms ---- */

#define NORM_EPS 1e-5
#define NORM_MOMENTUM 0.1

/* n = γ·x̂ + β with x̂ = (z − mean) / √(var + ε). BatchNorm1d: per unit over
 * the batch (training: the batch's mean and biased variance, and the
 * running statistics move by momentum 0.1 towards the mean and the unbiased
 * variance; evaluation: the running statistics). LayerNorm: per sample over
 * its units. */
static void
norm_forward (NnsTrainer *t,
              Layer      *L,
              guint       rows,
              gboolean    training)
{
  const float *gamma = L->norm_weight ? t->params + L->nw_off : NULL;
  const float *beta = L->norm_bias ? t->params + L->nb_off : NULL;
  guint out = L->out;

  if (L->norm == NNS_NORM_BATCH)
    {
      float *rmean = t->buffers + L->r_off;
      float *rvar = rmean + out;

      for (guint j = 0; j < out; j++)
        {
          double mean, var;
          float invstd;

          if (training)
            {
              double sum = 0, sq = 0;

              for (guint r = 0; r < rows; r++)
                sum += L->z[(gsize) r * out + j];
              mean = sum / rows;
              for (guint r = 0; r < rows; r++)
                {
                  double d = L->z[(gsize) r * out + j] - mean;

                  sq += d * d;
                }
              var = sq / rows;
              rmean[j] = (float) ((1 - NORM_MOMENTUM) * rmean[j] + NORM_MOMENTUM * mean);
              rvar[j] = (float) ((1 - NORM_MOMENTUM) * rvar[j] +
                                 NORM_MOMENTUM * sq / (rows > 1 ? rows - 1 : 1));
            }
          else
            {
              mean = rmean[j];
              var = rvar[j];
            }
          invstd = (float) (1.0 / sqrt (var + NORM_EPS));
          L->invstd[j] = invstd;
          for (guint r = 0; r < rows; r++)
            {
              gsize i = (gsize) r * out + j;

              L->xhat[i] = (float) ((L->z[i] - mean) * invstd);
            }
        }
      if (training)
        L->n_tracked++;
    }
  else
    for (guint r = 0; r < rows; r++)
      {
        const float *zr = L->z + (gsize) r * out;
        float *xr = L->xhat + (gsize) r * out;
        double sum = 0, sq = 0, mean;
        float invstd;

        for (guint j = 0; j < out; j++)
          sum += zr[j];
        mean = sum / out;
        for (guint j = 0; j < out; j++)
          sq += (zr[j] - mean) * (zr[j] - mean);
        invstd = (float) (1.0 / sqrt (sq / out + NORM_EPS));
        L->invstd[r] = invstd;
        for (guint j = 0; j < out; j++)
          xr[j] = (float) ((zr[j] - mean) * invstd);
      }

  for (guint r = 0; r < rows; r++)
    for (guint j = 0; j < out; j++)
      {
        gsize i = (gsize) r * out + j;

        L->n[i] = L->xhat[i] * (gamma ? gamma[j] : 1.0f) + (beta ? beta[j] : 0.0f);
      }
}

/* g holds dL/dn; adds dγ, dβ and turns g into dL/dz (training mode):
 * dz = invstd/N · (N·dx̂ − Σ dx̂ − x̂·Σ dx̂·x̂), dx̂ = γ·dn, the sums over the
 * N values the statistics came from. */
static void
norm_backward (NnsTrainer *t,
               Layer      *L,
               float      *g,
               guint       rows)
{
  const float *gamma = L->norm_weight ? t->params + L->nw_off : NULL;
  float *dgamma = L->norm_weight ? t->grads + L->nw_off : NULL;
  float *dbeta = L->norm_bias ? t->grads + L->nb_off : NULL;
  guint out = L->out;

  for (guint r = 0; r < rows; r++)
    for (guint j = 0; j < out; j++)
      {
        gsize i = (gsize) r * out + j;

        if (dgamma)
          dgamma[j] += g[i] * L->xhat[i];
        if (dbeta)
          dbeta[j] += g[i];
        if (gamma)
          g[i] *= gamma[j];
      }

  if (L->norm == NNS_NORM_BATCH)
    for (guint j = 0; j < out; j++)
      {
        double sum = 0, dot = 0;
        float a, b;

        for (guint r = 0; r < rows; r++)
          {
            gsize i = (gsize) r * out + j;

            sum += g[i];
            dot += (double) g[i] * L->xhat[i];
          }
        a = (float) (sum / rows);
        b = (float) (dot / rows);
        for (guint r = 0; r < rows; r++)
          {
            gsize i = (gsize) r * out + j;

            g[i] = L->invstd[j] * (g[i] - a - L->xhat[i] * b);
          }
      }
  else
    for (guint r = 0; r < rows; r++)
      {
        float *gr = g + (gsize) r * out;
        const float *xr = L->xhat + (gsize) r * out;
        double sum = 0, dot = 0;
        float a, b;

        for (guint j = 0; j < out; j++)
          {
            sum += gr[j];
            dot += (double) gr[j] * xr[j];
          }
        a = (float) (sum / out);
        b = (float) (dot / out);
        for (guint j = 0; j < out; j++)
          gr[j] = L->invstd[r] * (gr[j] - a - xr[j] * b);
      }
}

/* ---- passes ---- */

/* The output of layer l for rows of input x; training applies dropout. */
static const float *
forward (NnsTrainer  *t,
         const float *x,
         guint        rows,
         gboolean     training)
{
  const float *in = x;

  for (guint l = 0; l < t->n_layers; l++)
    {
      Layer *L = &t->layers[l];
      const float *w = t->params + L->w_off;

      /* z = in · Wᵀ (+ b) */
      if (L->bias)
        {
          const float *b = t->params + L->b_off;

          for (guint r = 0; r < rows; r++)
            memcpy (L->z + (gsize) r * L->out, b, sizeof (float) * L->out);
        }
      cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, (int) rows, (int) L->out,
                   (int) L->in, 1.0f, in, (int) L->in, w, (int) L->in,
                   L->bias ? 1.0f : 0.0f, L->z, (int) L->out);
      if (L->norm != NNS_NORM_NONE)
        norm_forward (t, L, rows, training);
      activate (L, t->params + L->p_off, L->norm != NNS_NORM_NONE ? L->n : L->z, L->a, rows);
      in = L->a;
      if (training && L->dropout > 0)
        {
          /* nn.Dropout: zero with probability p, scale the rest by 1/(1−p) */
          float scale = (float) (1.0 / (1.0 - L->dropout));
          gsize n = (gsize) rows * L->out;

          for (gsize i = 0; i < n; i++)
            {
              L->mask[i] = g_rand_double (t->rand) >= L->dropout;
              L->d[i] = L->mask[i] ? L->a[i] * scale : 0.0f;
            }
          in = L->d;
        }
    }
  return in;
}

void
nns_trainer_forward (NnsTrainer  *t,
                     const float *x,
                     guint        n,
                     float       *out)
{
  guint n_in = nns_trainer_get_n_inputs (t);
  guint n_out = nns_trainer_get_n_outputs (t);

  ensure_capacity (t, MIN (MAX (n, 1), MAX (EVAL_CHUNK, t->config.batch_size)));
  for (guint start = 0; start < n; start += t->capacity)
    {
      guint rows = MIN (t->capacity, n - start);
      const float *o = forward (t, x + (gsize) start * n_in, rows, FALSE);

      memcpy (out + (gsize) start * n_out, o, sizeof (float) * rows * n_out);
    }
}

void
nns_trainer_forward_layers (NnsTrainer  *t,
                            const float *x,
                            guint        n,
                            float      **outs)
{
  guint n_in = nns_trainer_get_n_inputs (t);

  ensure_capacity (t, MIN (MAX (n, 1), MAX (EVAL_CHUNK, t->config.batch_size)));
  for (guint start = 0; start < n; start += t->capacity)
    {
      guint rows = MIN (t->capacity, n - start);

      forward (t, x + (gsize) start * n_in, rows, FALSE);
      for (guint l = 0; l < t->n_layers; l++)
        if (outs[l] != NULL)
          memcpy (outs[l] + (gsize) start * t->layers[l].out, t->layers[l].a,
                  sizeof (float) * rows * t->layers[l].out);
    }
}

/* The loss of output o (rows × c) against classes y, and dL/do into g;
 * correct counts the rows whose largest output is their class. */
static double
loss_and_grad (NnsLossKind   kind,
               const float  *o,
               const guint8 *y,
               guint         rows,
               guint         c,
               float        *g,
               guint        *correct)
{
  double total = 0;
  guint right = 0;

  for (guint r = 0; r < rows; r++)
    {
      const float *or = o + (gsize) r * c;
      float *gr = g ? g + (gsize) r * c : NULL;
      guint best = 0;

      for (guint j = 1; j < c; j++)
        if (or[j] > or[best])
          best = j;
      right += best == y[r];

      if (kind == NNS_LOSS_CROSS_ENTROPY)
        {
          /* log Σ exp(o) − o_y; d/do = (softmax(o) − onehot) / rows */
          float max = or[best];
          double sum = 0;

          for (guint j = 0; j < c; j++)
            sum += exp ((double) or[j] - max);
          total += max + log (sum) - or[y[r]];
          if (gr != NULL)
            for (guint j = 0; j < c; j++)
              gr[j] = (float) ((exp ((double) or[j] - max) / sum - (j == y[r])) / rows);
        }
      else
        {
          /* mean over rows × c of (o − onehot)²; d/do = 2 (o − t) / (rows c) */
          for (guint j = 0; j < c; j++)
            {
              double d = (double) or[j] - (j == y[r]);

              total += d * d / c;
              if (gr != NULL)
                gr[j] = (float) (2.0 * d / ((double) rows * c));
            }
        }
    }
  if (correct != NULL)
    *correct = right;
  return total / rows;
}

gboolean
nns_trainer_check_batch (NnsTrainer *t,
                         guint       n,
                         GError    **error)
{
  if (n == 0)
    {
      g_set_error_literal (error, NNS_TRAINER_ERROR, NNS_TRAINER_ERROR_INVALID,
                           _("a batch of 0 samples cannot be trained on"));
      return FALSE;
    }
  for (guint l = 0; l < t->n_layers && n == 1; l++)
    if (t->layers[l].norm == NNS_NORM_BATCH)
      {
        g_autofree char *title = nns_network_dup_column_title (t->network, l + 1);

        /* as PyTorch: "Expected more than 1 value per channel when training" */
        g_set_error (error, NNS_TRAINER_ERROR, NNS_TRAINER_ERROR_INVALID,
                     _("%s: BatchNorm1d needs more than 1 sample per batch when training; "
                       "a batch of 1 has no variance (choose a batch size that leaves no "
                       "batch of 1)"), title);
        return FALSE;
      }
  return TRUE;
}

double
nns_trainer_compute_gradients (NnsTrainer   *t,
                               const float  *x,
                               const guint8 *y,
                               guint         n,
                               guint        *correct)
{
  const float *o;
  float *g, *g_next;
  double loss;

  if (!nns_trainer_check_batch (t, n, NULL))
    {
      memset (t->grads, 0, sizeof (float) * t->n_params);
      if (correct != NULL)
        *correct = 0;
      return NAN;
    }
  ensure_capacity (t, MAX (n, t->config.batch_size));
  o = forward (t, x, n, TRUE);
  g = t->g1;
  g_next = t->g2;
  loss = loss_and_grad (t->config.loss, o, y, n, nns_trainer_get_n_outputs (t), g, correct);
  memset (t->grads, 0, sizeof (float) * t->n_params);

  for (guint l = t->n_layers; l-- > 0;)
    {
      Layer *L = &t->layers[l];
      const float *in = l == 0 ? x
                        : t->layers[l - 1].d != NULL ? t->layers[l - 1].d
                        : t->layers[l - 1].a;
      gsize size = (gsize) n * L->out;

      if (L->dropout > 0)
        {
          float scale = (float) (1.0 / (1.0 - L->dropout));

          for (gsize i = 0; i < size; i++)
            g[i] = L->mask[i] ? g[i] * scale : 0.0f;
        }
      activate_backward (L, t->params + L->p_off, t->grads + L->p_off,
                         L->norm != NNS_NORM_NONE ? L->n : L->z, L->a, g, n);
      if (L->norm != NNS_NORM_NONE)
        norm_backward (t, L, g, n);

      /* dW += dZᵀ · in, db += Σ_rows dZ, d in = dZ · W: a shared Linear
       * gathers the gradients of each place it is used */
      cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans, (int) L->out, (int) L->in,
                   (int) n, 1.0f, g, (int) L->out, in, (int) L->in, 1.0f,
                   t->grads + L->w_off, (int) L->in);
      if (L->bias)
        {
          float *db = t->grads + L->b_off;

          for (guint r = 0; r < n; r++)
            {
              const float *gr = g + (gsize) r * L->out;

              for (guint j = 0; j < L->out; j++)
                db[j] += gr[j];
            }
        }
      if (l > 0)
        {
          float *swap;

          cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, (int) n, (int) L->in,
                       (int) L->out, 1.0f, g, (int) L->out, t->params + L->w_off,
                       (int) L->in, 0.0f, g_next, (int) L->in);
          swap = g;
          g = g_next;
          g_next = swap;
        }
    }
  return loss;
}

void
nns_trainer_apply_update (NnsTrainer *t)
{
  const NnsTrainConfig *c = &t->config;
  float *restrict p = t->params;
  const float *restrict grad = t->grads;
  float *restrict m = t->state1;
  float *restrict v = t->state2;
  gsize n = t->n_params;
  float wd = (float) c->weight_decay;

  t->n_steps++;
  if (c->optimizer == NNS_OPTIM_SGD)
    {
      /* torch.optim.SGD: g += wd·p; buf = g on the first step, else
       * buf = μ·buf + g; p −= lr·buf (dampening 0, no Nesterov) */
      float lr = (float) c->lr;
      float mu = (float) c->momentum;

      if (mu == 0.0f)
        for (gsize i = 0; i < n; i++)
          p[i] -= lr * (grad[i] + wd * p[i]);
      else if (t->n_steps == 1)
        for (gsize i = 0; i < n; i++)
          {
            m[i] = grad[i] + wd * p[i];
            p[i] -= lr * m[i];
          }
      else
        for (gsize i = 0; i < n; i++)
          {
            m[i] = mu * m[i] + (grad[i] + wd * p[i]);
            p[i] -= lr * m[i];
          }
    }
  else
    {
      /* torch.optim.Adam: g += wd·p (AdamW instead p ·= 1 − lr·wd);
       * m = β1·m + (1−β1)·g; v = β2·v + (1−β2)·g²;
       * p −= lr/(1−β1^t) · m / (√v / √(1−β2^t) + ε) */
      float b1 = (float) c->beta1, b2 = (float) c->beta2;
      double bc1 = 1.0 - pow (c->beta1, (double) t->n_steps);
      double bc2 = 1.0 - pow (c->beta2, (double) t->n_steps);
      float step_size = (float) (c->lr / bc1);
      float inv_bc2_sqrt = (float) (1.0 / sqrt (bc2));
      float eps = (float) c->eps;
      float l2 = c->optimizer == NNS_OPTIM_ADAM ? wd : 0.0f;
      float decay = c->optimizer == NNS_OPTIM_ADAMW ? (float) (1.0 - c->lr * c->weight_decay) : 1.0f;

      for (gsize i = 0; i < n; i++)
        {
          float gi = grad[i] + l2 * p[i];

          p[i] *= decay;
          m[i] = b1 * m[i] + (1.0f - b1) * gi;
          v[i] = b2 * v[i] + (1.0f - b2) * gi * gi;
          p[i] -= step_size * m[i] / (__builtin_sqrtf (v[i]) * inv_bc2_sqrt + eps);
        }
    }
}

gboolean
nns_trainer_step (NnsTrainer   *t,
                  const float  *x,
                  const guint8 *y,
                  guint         n,
                  double       *loss,
                  guint        *correct,
                  GError      **error)
{
  double l;

  if (!nns_trainer_check_batch (t, n, error))
    return FALSE;
  /* the running statistics as the last finite forward left them */
  memcpy (t->good_buffers, t->buffers, sizeof (float) * t->n_buffers);
  for (guint i = 0; i < t->n_layers; i++)
    t->good_tracked[i] = t->layers[i].n_tracked;
  l = nns_trainer_compute_gradients (t, x, y, n, correct);
  if (loss != NULL)
    *loss = l;
  if (!isfinite (l))
    {
      /* These parameters gave no finite loss: back to the last that did. */
      if (t->n_steps > 0)
        memcpy (t->params, t->good, sizeof (float) * t->n_params);
      memcpy (t->buffers, t->good_buffers, sizeof (float) * t->n_buffers);
      for (guint i = 0; i < t->n_layers; i++)
        t->layers[i].n_tracked = t->good_tracked[i];
      g_set_error (error, NNS_TRAINER_ERROR, NNS_TRAINER_ERROR_DIVERGED,
                   _("the loss became %s after %" PRIu64 " steps: "
                     "the learning rate %g is too large; kept the weights after step %" PRIu64),
                   isnan (l) ? "NaN" : "infinite", t->n_steps, t->config.lr,
                   t->n_steps > 0 ? t->n_steps - 1 : 0);
      return FALSE;
    }
  memcpy (t->good, t->params, sizeof (float) * t->n_params);
  nns_trainer_apply_update (t);
  return TRUE;
}

guint64
nns_trainer_get_n_steps (NnsTrainer *t)
{
  return t->n_steps;
}

gboolean
nns_trainer_train_epoch (NnsTrainer       *t,
                         const NnsSamples *samples,
                         NnsTrainStats    *stats,
                         GError          **error)
{
  guint n_in = nns_trainer_get_n_inputs (t);
  guint batch = t->config.batch_size;
  g_autofree guint *order = g_new (guint, samples->n);
  double total = 0;
  guint right = 0, seen = 0;

  memset (stats, 0, sizeof *stats);
  ensure_capacity (t, batch);
  for (guint i = 0; i < samples->n; i++)
    order[i] = i;
  for (guint i = samples->n; i > 1; i--)
    {
      guint j = g_rand_int_range (t->rand, 0, (gint32) i);
      guint swap = order[i - 1];

      order[i - 1] = order[j];
      order[j] = swap;
    }

  for (guint start = 0; start < samples->n; start += batch)
    {
      guint rows = MIN (batch, samples->n - start);
      double loss;
      guint correct;

      for (guint r = 0; r < rows; r++)
        {
          guint k = order[start + r];

          memcpy (t->batch_x + (gsize) r * n_in, samples->x + (gsize) k * n_in,
                  sizeof (float) * n_in);
          t->batch_y[r] = samples->y[k];
        }
      if (!nns_trainer_step (t, t->batch_x, t->batch_y, rows, &loss, &correct, error))
        return FALSE;
      total += loss * rows;
      right += correct;
      seen += rows;
    }
  stats->n = seen;
  stats->loss = seen ? total / seen : 0;
  stats->accuracy = seen ? (double) right / seen : 0;
  return TRUE;
}

void
nns_trainer_evaluate (NnsTrainer       *t,
                      const NnsSamples *samples,
                      NnsTrainStats    *stats)
{
  nns_trainer_evaluate_outputs (t, samples, stats, NULL);
}

void
nns_trainer_evaluate_outputs (NnsTrainer       *t,
                              const NnsSamples *samples,
                              NnsTrainStats    *stats,
                              float            *out)
{
  guint n_in = nns_trainer_get_n_inputs (t);
  guint n_out = nns_trainer_get_n_outputs (t);
  double total = 0;
  guint right = 0;

  memset (stats, 0, sizeof *stats);
  ensure_capacity (t, MAX (EVAL_CHUNK, t->config.batch_size));
  for (guint start = 0; start < samples->n; start += t->capacity)
    {
      guint rows = MIN (t->capacity, samples->n - start);
      const float *o = forward (t, samples->x + (gsize) start * n_in, rows, FALSE);
      guint correct;

      if (out != NULL)
        memcpy (out + (gsize) start * n_out, o, sizeof (float) * rows * n_out);
      total += loss_and_grad (t->config.loss, o, samples->y + start, rows, n_out, NULL,
                              &correct) * rows;
      right += correct;
    }
  stats->n = samples->n;
  stats->loss = samples->n ? total / samples->n : 0;
  stats->accuracy = samples->n ? (double) right / samples->n : 0;
}

gboolean
nns_trainer_check_dataset (NnsTrainer       *t,
                           const NnsDataset *dataset,
                           GError          **error)
{
  if (nns_trainer_get_n_inputs (t) != dataset->n_features)
    {
      g_set_error (error, NNS_TRAINER_ERROR, NNS_TRAINER_ERROR_MISMATCH,
                   _("the network takes %u inputs; %s has %u features"),
                   nns_trainer_get_n_inputs (t), nns_dataset_kind_get_id (dataset->kind),
                   dataset->n_features);
      return FALSE;
    }
  if (nns_trainer_get_n_outputs (t) != dataset->n_classes)
    {
      g_set_error (error, NNS_TRAINER_ERROR, NNS_TRAINER_ERROR_MISMATCH,
                   _("the network has %u outputs; %s has %u classes"),
                   nns_trainer_get_n_outputs (t), nns_dataset_kind_get_id (dataset->kind),
                   dataset->n_classes);
      return FALSE;
    }
  return TRUE;
}

void
nns_trainer_set_blas_threads (int n_threads)
{
#ifdef OPENBLAS_VERSION
  if (n_threads > 0)
    openblas_set_num_threads (n_threads);
#endif
}
