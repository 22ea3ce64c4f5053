/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "nns-weights"

/* The values of a network's parameters. Each tensor is a refcounted block, so
 * the weights after an edit share the unchanged tensors with those before it
 * (the undo history keeps every state for the price of what changed). */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>
#include <sys/mman.h>

#include "nns-pytorch.h"
#include "nns-weights.h"

G_DEFINE_QUARK (nns-weights-error-quark, nns_weights_error)

/* A tensor. An initial one (as init_block made it, never handed out for
 * writing) is a function of its recipe: a compact copy (the undo history's)
 * keeps only the recipe and makes the values again when needed. */
typedef struct
{
  gint          ref;
  guint64       n;
  gboolean      initial;
  gboolean      recipe;     /* no data: only the recipe */
  gboolean      mapped;     /* its own pages (block_new) */
  guint32       seed;
  guint         index;
  guint         in;
  guint         out;
  NnsTensorKind kind;
  float         data[];
} Block;

typedef struct
{
  guint   in;
  guint   out;
  guint   shares;
  Block  *tensor[NNS_N_TENSOR_KINDS];   /* [NUM_BATCHES_TRACKED] unused */
  gboolean has_tracked;
  gint64  tracked;
} Store;

struct _NnsWeights
{
  gint             ref;
  gboolean         frozen;
  gboolean         compact;   /* has recipe blocks: no views */
  guint            n_layers;
  Store           *layers;
  NnsLayerWeights *views;
};

G_DEFINE_BOXED_TYPE (NnsWeights, nns_weights, nns_weights_ref, nns_weights_unref)

static const char *const suffixes[NNS_N_TENSOR_KINDS] = {
  "weight", "bias", "weight", "bias", "running_mean", "running_var", "num_batches_tracked",
  "weight",
};

const char *
nns_tensor_kind_get_suffix (NnsTensorKind kind)
{
  g_return_val_if_fail (kind < NNS_N_TENSOR_KINDS, "");
  return suffixes[kind];
}

/* The one table of which tensors a layer has: the element count of kind in
 * layer index of network, 0 when it has none. */
static guint64
kind_size (NnsNetwork *network, guint index, NnsTensorKind kind, gboolean own_linear)
{
  const NnsLayer *layer = nns_network_get_layer (network, index);
  guint64 out = layer->units;
  gboolean batch = layer->norm == NNS_NORM_BATCH;
  gboolean norm = layer->norm != NNS_NORM_NONE;

  switch (kind)
    {
    case NNS_TENSOR_WEIGHT:
      return own_linear && layer->shares != 0 ? 0
             : out * nns_network_get_in_features (network, index);
    case NNS_TENSOR_BIAS:
      return layer->bias && !(own_linear && layer->shares != 0) ? out : 0;
    case NNS_TENSOR_NORM_WEIGHT:
      return norm && layer->norm_affine ? out : 0;
    case NNS_TENSOR_NORM_BIAS:
      return norm && layer->norm_affine && (batch || layer->norm_bias) ? out : 0;
    case NNS_TENSOR_RUNNING_MEAN:
    case NNS_TENSOR_RUNNING_VAR:
      return batch && layer->norm_running_stats ? out : 0;
    case NNS_TENSOR_NUM_BATCHES_TRACKED:
      return batch && layer->norm_running_stats ? 1 : 0;
    case NNS_TENSOR_PRELU:
      return layer->activation == NNS_ACTIVATION_PRELU ? (layer->prelu_per_unit ? out : 1) : 0;
    default:
      g_assert_not_reached ();
    }
}

/* ---- the state_dict's names ---- */

/* The Sequential keys of each layer's Linear, norm and activation modules,
 * counted as nns_pytorch_export () writes them. */
typedef struct
{
  char *linear;
  char *norm;
  char *activation;
} Keys;

static Keys *
dup_keys (NnsNetwork *network)
{
  guint n = nns_network_get_n_layers (network);
  gboolean keyed = nns_pytorch_names_are_keys (network);
  Keys *keys = g_new0 (Keys, n);
  guint index = 0;

  for (guint i = 0; i < n; i++)
    {
      const NnsLayer *layer = nns_network_get_layer (network, i);

      keys[i].linear = keyed && layer->name != NULL ? g_strdup (layer->name)
                                                    : g_strdup_printf ("%u", index);
      index++;
      if (layer->norm != NNS_NORM_NONE)
        keys[i].norm = g_strdup_printf ("%u", index++);
      if (layer->activation != NNS_ACTIVATION_NONE)
        keys[i].activation = g_strdup_printf ("%u", index++);
      if (layer->dropout > 0)
        index++;
    }
  return keys;
}

static void
keys_free (Keys *keys, guint n)
{
  for (guint i = 0; i < n; i++)
    {
      g_free (keys[i].linear);
      g_free (keys[i].norm);
      g_free (keys[i].activation);
    }
  g_free (keys);
}

static const char *
kind_key (const Keys *keys, NnsTensorKind kind)
{
  switch (kind)
    {
    case NNS_TENSOR_WEIGHT:
    case NNS_TENSOR_BIAS:
      return keys->linear;
    case NNS_TENSOR_PRELU:
      return keys->activation;
    default:
      return keys->norm;
    }
}

static void
fill_shape (NnsTensorInfo *info, NnsTensorKind kind, guint in, guint64 size)
{
  if (kind == NNS_TENSOR_NUM_BATCHES_TRACKED)
    info->n_dims = 0;
  else if (kind == NNS_TENSOR_WEIGHT)
    {
      info->n_dims = 2;
      info->shape[0] = in != 0 ? (guint) (size / in) : 0;
      info->shape[1] = in;
    }
  else
    {
      info->n_dims = 1;
      info->shape[0] = (guint) size;
    }
}

NnsTensorInfo *
nns_weights_list_tensors (NnsNetwork *network, guint *n_out)
{
  GArray *infos;
  Keys *keys;
  guint n;

  g_return_val_if_fail (NNS_IS_NETWORK (network), NULL);

  n = nns_network_get_n_layers (network);
  keys = dup_keys (network);
  infos = g_array_new (FALSE, TRUE, sizeof (NnsTensorInfo));
  for (guint i = 0; i < n; i++)
    for (guint k = 0; k < NNS_N_TENSOR_KINDS; k++)
      {
        guint64 size = kind_size (network, i, k, FALSE);
        NnsTensorInfo info = { 0 };

        if (size == 0)
          continue;
        info.name = g_strconcat (kind_key (&keys[i], k), ".", suffixes[k], NULL);
        info.layer = i;
        info.kind = k;
        info.shared = (k == NNS_TENSOR_WEIGHT || k == NNS_TENSOR_BIAS) &&
                      nns_network_get_layer (network, i)->shares != 0;
        fill_shape (&info, k, nns_network_get_in_features (network, i), size);
        g_array_append_val (infos, info);
      }
  keys_free (keys, n);
  if (n_out != NULL)
    *n_out = infos->len;
  return (NnsTensorInfo *) g_array_free (infos, FALSE);
}

void
nns_tensor_infos_free (NnsTensorInfo *infos, guint n)
{
  for (guint i = 0; infos != NULL && i < n; i++)
    g_free (infos[i].name);
  g_free (infos);
}

guint64
nns_tensor_info_get_size (const NnsTensorInfo *info)
{
  guint64 size = 1;

  for (guint d = 0; d < info->n_dims; d++)
    size *= info->shape[d];
  return size;
}

char *
nns_tensor_info_dup_shape (const NnsTensorInfo *info)
{
  GString *out = g_string_new ("[");

  for (guint d = 0; d < info->n_dims; d++)
    g_string_append_printf (out, d == 0 ? "%u" : ", %u", info->shape[d]);
  g_string_append_c (out, ']');
  return g_string_free (out, FALSE);
}

/* ---- blocks and the object ---- */

/* Large tensors get pages of their own, given back whole when freed: edits
 * of a wide layer make and drop such tensors all the time. From malloc they
 * would either fragment the heap or, mapped by glibc (128 KiB and more),
 * raise its mapping threshold when freed, so that everything else large
 * (cairo's surfaces) then fragments the heap instead. */
#define BLOCK_MAP_MIN (64 * 1024)

static gsize
block_bytes (guint64 n)
{
  return sizeof (Block) + n * sizeof (float);
}

static Block *
block_new (guint64 n)
{
  gsize bytes = block_bytes (n);
  Block *block = NULL;

  if (bytes >= BLOCK_MAP_MIN)
    {
      void *pages = mmap (NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

      if (pages != MAP_FAILED)
        {
          block = pages;   /* zero-filled */
          block->mapped = TRUE;
        }
    }
  if (block == NULL)
    block = g_malloc0 (bytes);
  block->ref = 1;
  block->n = n;
  return block;
}

static Block *
block_ref (Block *block)
{
  g_atomic_int_inc (&block->ref);
  return block;
}

static void
block_unref (Block *block)
{
  gsize bytes;

  if (block == NULL || !g_atomic_int_dec_and_test (&block->ref))
    return;
  bytes = block->recipe ? sizeof (Block) : block_bytes (block->n);
  /* A recipe is a small copy of the header: always from the heap. The
   * mapped flag is implied by the size (block_new's rule); a malloc fallback
   * after a failed mmap is told apart by the mapped member. */
  if (!block->recipe && bytes >= BLOCK_MAP_MIN && block->mapped)
    munmap (block, bytes);
  else
    g_free (block);
}

static void
update_views (NnsWeights *self)
{
  if (self->compact)
    return;
  for (guint i = 0; i < self->n_layers; i++)
    {
      Store *store = &self->layers[i];
      NnsLayerWeights *view = &self->views[i];
      Store *linear = store;
      Block *const *t = store->tensor;

      if (store->shares != 0 && store->shares <= i)
        linear = &self->layers[store->shares - 1];
      memset (view, 0, sizeof *view);
      view->in_features = store->in;
      view->out_features = store->out;
      view->shares = store->shares;
#define DATA(b) ((b) != NULL ? (b)->data : NULL)
      view->weight = DATA (linear->tensor[NNS_TENSOR_WEIGHT]);
      view->bias = DATA (linear->tensor[NNS_TENSOR_BIAS]);
      view->norm_weight = DATA (t[NNS_TENSOR_NORM_WEIGHT]);
      view->norm_bias = DATA (t[NNS_TENSOR_NORM_BIAS]);
      view->running_mean = DATA (t[NNS_TENSOR_RUNNING_MEAN]);
      view->running_var = DATA (t[NNS_TENSOR_RUNNING_VAR]);
      view->prelu = DATA (t[NNS_TENSOR_PRELU]);
#undef DATA
      view->n_prelu = t[NNS_TENSOR_PRELU] != NULL ? (guint) t[NNS_TENSOR_PRELU]->n : 0;
      view->num_batches_tracked = store->has_tracked ? &store->tracked : NULL;
    }
}

static NnsWeights *
weights_alloc (guint n_layers)
{
  NnsWeights *self = g_new0 (NnsWeights, 1);

  self->ref = 1;
  self->n_layers = n_layers;
  self->layers = g_new0 (Store, n_layers);
  self->views = g_new0 (NnsLayerWeights, n_layers);
  return self;
}

NnsWeights *
nns_weights_ref (NnsWeights *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_int_inc (&self->ref);
  return self;
}

void
nns_weights_unref (NnsWeights *self)
{
  if (self == NULL || !g_atomic_int_dec_and_test (&self->ref))
    return;
  for (guint i = 0; i < self->n_layers; i++)
    for (guint k = 0; k < NNS_N_TENSOR_KINDS; k++)
      block_unref (self->layers[i].tensor[k]);
  g_free (self->layers);
  g_free (self->views);
  g_free (self);
}

/* ---- initialisation ---- */

static guint64
splitmix64 (guint64 *state)
{
  guint64 z = (*state += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

/* Fills block with kind's initial values for a layer of in → out at index. */
static void
init_block (Block *block, NnsTensorKind kind, guint index, guint in, guint out, guint32 seed)
{
  guint64 state;
  double bound;

  block->initial = TRUE;
  block->seed = seed;
  block->index = index;
  block->in = in;
  block->out = out;
  block->kind = kind;

  switch (kind)
    {
    case NNS_TENSOR_WEIGHT:
    case NNS_TENSOR_BIAS:
      /* kaiming_uniform_(a=√5): gain √(2/(1+5)) · √(3/fan_in) = 1/√fan_in;
       * the bias: uniform in ±1/√fan_in. */
      bound = in > 0 ? 1.0 / sqrt ((double) in) : 0.0;
      state = seed;
      state ^= splitmix64 (&state) + ((guint64) index << 32) + ((guint64) kind << 24);
      state ^= splitmix64 (&state) + ((guint64) in << 32) + out;
      for (guint64 e = 0; e < block->n; e++)
        {
          double u = (double) (splitmix64 (&state) >> 40) / (double) (1u << 24);

          block->data[e] = (float) (bound * (2.0 * u - 1.0));
        }
      break;
    case NNS_TENSOR_NORM_WEIGHT:
    case NNS_TENSOR_RUNNING_VAR:
      for (guint64 e = 0; e < block->n; e++)
        block->data[e] = 1.0f;
      break;
    case NNS_TENSOR_PRELU:
      for (guint64 e = 0; e < block->n; e++)
        block->data[e] = 0.25f;
      break;
    default:
      break;   /* zeros */
    }
}

static void
store_shape (Store *store, NnsNetwork *network, guint index)
{
  const NnsLayer *layer = nns_network_get_layer (network, index);

  store->in = nns_network_get_in_features (network, index);
  store->out = layer->units;
  store->shares = layer->shares;
  store->has_tracked = kind_size (network, index, NNS_TENSOR_NUM_BATCHES_TRACKED, TRUE) != 0;
}

static NnsWeights *
weights_new (NnsNetwork *network, gboolean init, guint32 seed)
{
  guint n = nns_network_get_n_layers (network);
  NnsWeights *self = weights_alloc (n);

  for (guint i = 0; i < n; i++)
    {
      Store *store = &self->layers[i];

      store_shape (store, network, i);
      for (guint k = 0; k < NNS_N_TENSOR_KINDS; k++)
        {
          guint64 size = kind_size (network, i, k, TRUE);

          if (size == 0 || k == NNS_TENSOR_NUM_BATCHES_TRACKED)
            continue;
          store->tensor[k] = block_new (size);
          if (init)
            init_block (store->tensor[k], k, i, store->in, store->out, seed);
        }
    }
  update_views (self);
  return self;
}

NnsWeights *
nns_weights_new_init (NnsNetwork *network, guint32 seed)
{
  g_return_val_if_fail (NNS_IS_NETWORK (network), NULL);
  return weights_new (network, TRUE, seed);
}

NnsWeights *
nns_weights_new_zero (NnsNetwork *network)
{
  g_return_val_if_fail (NNS_IS_NETWORK (network), NULL);
  return weights_new (network, FALSE, 0);
}

NnsWeights *
nns_weights_copy (NnsWeights *self)
{
  NnsWeights *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = weights_alloc (self->n_layers);
  for (guint i = 0; i < self->n_layers; i++)
    {
      copy->layers[i] = self->layers[i];
      for (guint k = 0; k < NNS_N_TENSOR_KINDS; k++)
        {
          Block *from = self->layers[i].tensor[k];

          if (from == NULL)
            continue;
          if (from->recipe)
            {
              copy->layers[i].tensor[k] = block_new (from->n);
              init_block (copy->layers[i].tensor[k], from->kind, from->index, from->in, from->out,
                          from->seed);
              continue;
            }
          copy->layers[i].tensor[k] = block_new (from->n);
          memcpy (copy->layers[i].tensor[k]->data, from->data, from->n * sizeof (float));
          copy->layers[i].tensor[k]->initial = from->initial;
          copy->layers[i].tensor[k]->seed = from->seed;
          copy->layers[i].tensor[k]->index = from->index;
          copy->layers[i].tensor[k]->in = from->in;
          copy->layers[i].tensor[k]->out = from->out;
          copy->layers[i].tensor[k]->kind = from->kind;
        }
    }
  update_views (copy);
  return copy;
}

static gboolean
block_equal (const Block *a, const Block *b)
{
  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL || a->n != b->n)
    return FALSE;
  /* Two initial tensors of one recipe have the same values. */
  if (a->initial && b->initial && a->seed == b->seed && a->index == b->index &&
      a->in == b->in && a->out == b->out && a->kind == b->kind)
    return TRUE;
  if (a->recipe || b->recipe)
    return FALSE;
  return memcmp (a->data, b->data, a->n * sizeof (float)) == 0;
}

gboolean
nns_weights_equal (NnsWeights *a, NnsWeights *b)
{
  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL || a->n_layers != b->n_layers)
    return FALSE;
  for (guint i = 0; i < a->n_layers; i++)
    {
      const Store *x = &a->layers[i], *y = &b->layers[i];

      if (x->in != y->in || x->out != y->out || x->shares != y->shares ||
          x->has_tracked != y->has_tracked || (x->has_tracked && x->tracked != y->tracked))
        return FALSE;
      for (guint k = 0; k < NNS_N_TENSOR_KINDS; k++)
        if (!block_equal (x->tensor[k], y->tensor[k]))
          return FALSE;
    }
  return TRUE;
}

guint
nns_weights_get_n_layers (NnsWeights *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_layers;
}

const NnsLayerWeights *
nns_weights_get_layer (NnsWeights *self, guint index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->n_layers, NULL);
  return &self->views[index];
}

/* Values handed out for writing are no longer the recipe's. */
static void
forget_initial (NnsWeights *self)
{
  for (guint i = 0; i < self->n_layers; i++)
    for (guint k = 0; k < NNS_N_TENSOR_KINDS; k++)
      if (self->layers[i].tensor[k] != NULL)
        self->layers[i].tensor[k]->initial = FALSE;
}

NnsLayerWeights *
nns_weights_get_layer_mutable (NnsWeights *self, guint index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (!self->frozen, NULL);
  g_return_val_if_fail (index < self->n_layers, NULL);
  forget_initial (self);
  return &self->views[index];
}

static Block *
tensor_block (NnsWeights *self, guint layer, NnsTensorKind kind)
{
  Store *store = &self->layers[layer];

  if ((kind == NNS_TENSOR_WEIGHT || kind == NNS_TENSOR_BIAS) && store->shares != 0 &&
      store->shares <= layer)
    store = &self->layers[store->shares - 1];
  return store->tensor[kind];
}

const float *
nns_weights_get_tensor (NnsWeights *self, guint layer, NnsTensorKind kind, guint64 *n_out)
{
  Block *block;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (layer < self->n_layers && kind < NNS_N_TENSOR_KINDS, NULL);

  block = tensor_block (self, layer, kind);
  if (n_out != NULL)
    *n_out = block != NULL ? block->n : 0;
  return block != NULL ? block->data : NULL;
}

float *
nns_weights_get_tensor_mutable (NnsWeights *self, guint layer, NnsTensorKind kind,
                                guint64 *n_out)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (!self->frozen, NULL);
  forget_initial (self);
  return (float *) nns_weights_get_tensor (self, layer, kind, n_out);
}

void
nns_weights_freeze (NnsWeights *self)
{
  g_return_if_fail (self != NULL);
  self->frozen = TRUE;
}

gboolean
nns_weights_is_frozen (NnsWeights *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->frozen;
}

/* ---- shapes ---- */

static char *
dup_store_shape (const Store *store, NnsTensorKind kind)
{
  NnsTensorInfo info = { 0 };
  guint64 size = kind == NNS_TENSOR_NUM_BATCHES_TRACKED ? 1
                 : store->tensor[kind] != NULL ? store->tensor[kind]->n : 0;

  fill_shape (&info, kind, store->in, size);
  return nns_tensor_info_dup_shape (&info);
}

static gboolean
store_has (const Store *store, NnsTensorKind kind)
{
  return kind == NNS_TENSOR_NUM_BATCHES_TRACKED ? store->has_tracked
                                                : store->tensor[kind] != NULL;
}

gboolean
nns_weights_check (NnsWeights *self, NnsNetwork *network, GError **error)
{
  guint n;
  Keys *keys;
  gboolean ok = TRUE;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (NNS_IS_NETWORK (network), FALSE);

  n = nns_network_get_n_layers (network);
  if (n != self->n_layers)
    {
      g_set_error (error, NNS_WEIGHTS_ERROR, NNS_WEIGHTS_ERROR_SHAPE,
                   _("the weights have %u layers, the network %u"), self->n_layers, n);
      return FALSE;
    }
  keys = dup_keys (network);
  for (guint i = 0; i < n && ok; i++)
    {
      const Store *store = &self->layers[i];
      const NnsLayer *layer = nns_network_get_layer (network, i);

      if (store->shares != layer->shares)
        {
          g_set_error (error, NNS_WEIGHTS_ERROR, NNS_WEIGHTS_ERROR_SHAPE,
                       _("%s: shared differently in the weights and the network"),
                       keys[i].linear);
          ok = FALSE;
          break;
        }
      for (guint k = 0; k < NNS_N_TENSOR_KINDS && ok; k++)
        {
          guint64 need = kind_size (network, i, k, TRUE);
          gboolean has = store_has (store, k);
          NnsTensorInfo info = { 0 };
          g_autofree char *want = NULL;
          g_autofree char *have = NULL;
          g_autofree char *name = NULL;

          if (need == 0 && !has)
            continue;
          fill_shape (&info, k, nns_network_get_in_features (network, i), need);
          want = nns_tensor_info_dup_shape (&info);
          have = has ? dup_store_shape (store, k) : NULL;
          if (need != 0 && has && g_str_equal (want, have))
            continue;
          ok = FALSE;
          if (need == 0)
            g_set_error (error, NNS_WEIGHTS_ERROR, NNS_WEIGHTS_ERROR_SHAPE,
                         _("layer %u: the weights have a %s %s, the network has none"),
                         i + 1, suffixes[k], have);
          else
            {
              name = g_strconcat (kind_key (&keys[i], k), ".", suffixes[k], NULL);
              if (!has)
                g_set_error (error, NNS_WEIGHTS_ERROR, NNS_WEIGHTS_ERROR_SHAPE,
                             _("%s: the network needs %s, the weights have none"), name, want);
              else
                g_set_error (error, NNS_WEIGHTS_ERROR, NNS_WEIGHTS_ERROR_SHAPE,
                             _("%s: the weights have %s, the network needs %s"), name, have,
                             want);
            }
        }
    }
  keys_free (keys, n);
  return ok;
}

gboolean
nns_weights_fits (NnsWeights *self, NnsNetwork *network)
{
  guint n;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (NNS_IS_NETWORK (network), FALSE);

  n = nns_network_get_n_layers (network);
  if (n != self->n_layers)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      const Store *store = &self->layers[i];

      if (store->shares != nns_network_get_layer (network, i)->shares ||
          store->in != nns_network_get_in_features (network, i) ||
          store->out != nns_network_get_layer (network, i)->units)
        return FALSE;
      for (guint k = 0; k < NNS_N_TENSOR_KINDS; k++)
        {
          guint64 need = kind_size (network, i, k, TRUE);

          if (k == NNS_TENSOR_NUM_BATCHES_TRACKED ? (need != 0) != store->has_tracked
              : need != (store->tensor[k] != NULL ? store->tensor[k]->n : 0))
            return FALSE;
        }
    }
  return TRUE;
}

gboolean
nns_weights_check_finite (NnsWeights *self, NnsNetwork *network, GError **error)
{
  guint n = 0;
  NnsTensorInfo *infos;
  gboolean ok = TRUE;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (NNS_IS_NETWORK (network), FALSE);

  if (!nns_weights_check (self, network, error))
    return FALSE;
  infos = nns_weights_list_tensors (network, &n);
  for (guint t = 0; t < n && ok; t++)
    {
      guint64 size = 0;
      const float *data = nns_weights_get_tensor (self, infos[t].layer, infos[t].kind, &size);

      for (guint64 e = 0; data != NULL && e < size; e++)
        if (!isfinite (data[e]))
          {
            g_set_error (error, NNS_WEIGHTS_ERROR, NNS_WEIGHTS_ERROR_VALUE,
                         "%s[%" G_GUINT64_FORMAT "]: %s", infos[t].name, e,
                         isnan (data[e]) ? "NaN" : _("infinite"));
            ok = FALSE;
            break;
          }
    }
  nns_tensor_infos_free (infos, n);
  return ok;
}

/* ---- following the edits ---- */

NnsWeights *
nns_weights_follow (NnsWeights *old, NnsNetwork *network, const int *old_index, guint32 seed)
{
  guint n;
  NnsWeights *self;

  g_return_val_if_fail (NNS_IS_NETWORK (network), NULL);
  g_return_val_if_fail (old == NULL || old->frozen, NULL);

  n = nns_network_get_n_layers (network);
  self = weights_alloc (n);
  for (guint i = 0; i < n; i++)
    {
      Store *store = &self->layers[i];
      int from = old_index != NULL ? old_index[i] : (int) i;
      const Store *before = old != NULL && from >= 0 && (guint) from < old->n_layers
                            ? &old->layers[from] : NULL;

      store_shape (store, network, i);
      if (store->has_tracked && before != NULL && before->has_tracked && before->out == store->out)
        store->tracked = before->tracked;
      for (guint k = 0; k < NNS_N_TENSOR_KINDS; k++)
        {
          guint64 size = kind_size (network, i, k, TRUE);
          Block *kept;

          if (size == 0 || k == NNS_TENSOR_NUM_BATCHES_TRACKED)
            continue;
          kept = before != NULL ? before->tensor[k] : NULL;
          /* The Linear keeps its values only with the same in and out (its
           * bias too: its initial bound is the fan-in's); the norm and the
           * PReLU with the same size. */
          if (kept != NULL && kept->n == size &&
              ((k != NNS_TENSOR_WEIGHT && k != NNS_TENSOR_BIAS) ||
               (before->in == store->in && before->out == store->out)))
            store->tensor[k] = block_ref (kept);
          else
            {
              store->tensor[k] = block_new (size);
              init_block (store->tensor[k], k, i, store->in, store->out, seed);
            }
        }
    }
  update_views (self);
  self->frozen = TRUE;
  return self;
}

int *
nns_weights_map_change (const NnsChange *change, guint n_layers)
{
  int *map = g_new (int, MAX (n_layers, 1));

  for (guint j = 0; j < n_layers; j++)
    map[j] = (int) j;
  if (change == NULL)
    return map;
  switch (change->kind)
    {
    case NNS_CHANGE_INSERT:
      for (guint j = 0; j < n_layers; j++)
        map[j] = j < change->layer ? (int) j : j == change->layer ? -1 : (int) j - 1;
      break;
    case NNS_CHANGE_REMOVE:
      for (guint j = 0; j < n_layers; j++)
        map[j] = j < change->layer ? (int) j : (int) j + 1;
      break;
    case NNS_CHANGE_MOVE:
      {
        /* Take layer `layer` out of the old order and put it at `other`. */
        guint from = change->layer, to = change->other;

        for (guint j = 0; j < n_layers; j++)
          {
            if (j == to)
              map[j] = (int) from;
            else if (from < to && j >= from && j < to)
              map[j] = (int) j + 1;
            else if (from > to && j > to && j <= from)
              map[j] = (int) j - 1;
          }
      }
      break;
    default:
      break;
    }
  return map;
}

gboolean
nns_weights_is_initial (NnsWeights *self, NnsNetwork *network, guint32 seed)
{
  g_autoptr (NnsWeights) initial = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (NNS_IS_NETWORK (network), FALSE);

  if (!nns_weights_fits (self, network))
    return FALSE;
  initial = nns_weights_new_init (network, seed);
  /* num_batches_tracked starts at 0 too. */
  return nns_weights_equal (self, initial);
}

NnsWeights *
nns_weights_compact (NnsWeights *self)
{
  NnsWeights *compact;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (self->frozen, NULL);

  compact = weights_alloc (self->n_layers);
  for (guint i = 0; i < self->n_layers; i++)
    {
      compact->layers[i] = self->layers[i];
      for (guint k = 0; k < NNS_N_TENSOR_KINDS; k++)
        {
          Block *from = self->layers[i].tensor[k];

          if (from == NULL)
            continue;
          if (from->initial && !from->recipe)
            {
              Block *recipe = g_malloc0 (sizeof (Block));

              *recipe = *from;
              recipe->ref = 1;
              recipe->recipe = TRUE;
              recipe->mapped = FALSE;
              compact->layers[i].tensor[k] = recipe;
            }
          else
            compact->layers[i].tensor[k] = block_ref (from);
        }
    }
  compact->compact = TRUE;
  compact->frozen = TRUE;
  return compact;
}

NnsWeights *
nns_weights_expand (NnsWeights *self)
{
  NnsWeights *expanded;

  g_return_val_if_fail (self != NULL, NULL);

  if (!self->compact)
    return nns_weights_ref (self);
  expanded = weights_alloc (self->n_layers);
  for (guint i = 0; i < self->n_layers; i++)
    {
      expanded->layers[i] = self->layers[i];
      for (guint k = 0; k < NNS_N_TENSOR_KINDS; k++)
        {
          Block *from = self->layers[i].tensor[k];

          if (from == NULL)
            continue;
          if (from->recipe)
            {
              expanded->layers[i].tensor[k] = block_new (from->n);
              init_block (expanded->layers[i].tensor[k], from->kind, from->index, from->in,
                          from->out, from->seed);
            }
          else
            expanded->layers[i].tensor[k] = block_ref (from);
        }
    }
  update_views (expanded);
  expanded->frozen = TRUE;
  return expanded;
}
