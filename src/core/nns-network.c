/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "nns-network"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include "nns-network.h"
#include "nns-params.h"

struct _NnsNetwork
{
  GObject parent_instance;

  guint   input;
  char   *input_name;   /* the input column's own label ("x ∈ ℝ¹⁰"); NULL for "Input" */
  NnsInputShape input_shape;   /* n_dims 0: none; else its product is input */
  GArray *layers;   /* of NnsLayer; names owned */
};

G_DEFINE_TYPE (NnsNetwork, nns_network, G_TYPE_OBJECT)
G_DEFINE_QUARK (nns-network-error-quark, nns_network_error)

enum
{
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* An id for files and a label (the PyTorch module name) per enum value. */
typedef struct
{
  const char *id;
  const char *label;
} Named;

static const Named activations[NNS_N_ACTIVATIONS] = {
  [NNS_ACTIVATION_NONE] = { "none", "" },
  [NNS_ACTIVATION_RELU] = { "relu", "ReLU" },
  [NNS_ACTIVATION_LEAKY_RELU] = { "leaky_relu", "LeakyReLU" },
  [NNS_ACTIVATION_ELU] = { "elu", "ELU" },
  [NNS_ACTIVATION_GELU] = { "gelu", "GELU" },
  [NNS_ACTIVATION_SILU] = { "silu", "SiLU" },
  [NNS_ACTIVATION_SIGMOID] = { "sigmoid", "Sigmoid" },
  [NNS_ACTIVATION_TANH] = { "tanh", "Tanh" },
  [NNS_ACTIVATION_SOFTPLUS] = { "softplus", "Softplus" },
  [NNS_ACTIVATION_SOFTMAX] = { "softmax", "Softmax" },
  [NNS_ACTIVATION_LOG_SOFTMAX] = { "log_softmax", "LogSoftmax" },
  [NNS_ACTIVATION_PRELU] = { "prelu", "PReLU" },
};

static const Named norms[NNS_N_NORMS] = {
  [NNS_NORM_NONE] = { "none", "" },
  [NNS_NORM_BATCH] = { "batch", "BatchNorm1d" },
  [NNS_NORM_LAYER] = { "layer", "LayerNorm" },
};

/* The id or the label, case-insensitively. */
static gboolean
named_from_string (const Named *table, guint n, const char *text, guint *out)
{
  if (text == NULL)
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (g_ascii_strcasecmp (text, table[i].id) == 0 ||
        (table[i].label[0] && g_ascii_strcasecmp (text, table[i].label) == 0))
      {
        *out = i;
        return TRUE;
      }
  return FALSE;
}

const char *
nns_norm_get_label (NnsNorm norm)
{
  g_return_val_if_fail (norm < NNS_N_NORMS, "");
  return norms[norm].label;
}

const char *
nns_norm_get_id (NnsNorm norm)
{
  g_return_val_if_fail (norm < NNS_N_NORMS, "none");
  return norms[norm].id;
}

gboolean
nns_norm_from_string (const char *text, NnsNorm *out)
{
  guint i;

  if (!named_from_string (norms, NNS_N_NORMS, text, &i))
    return FALSE;
  *out = i;
  return TRUE;
}

const char *
nns_activation_get_label (NnsActivation activation)
{
  g_return_val_if_fail (activation < NNS_N_ACTIVATIONS, "");
  return activations[activation].label;
}

const char *
nns_activation_get_id (NnsActivation activation)
{
  g_return_val_if_fail (activation < NNS_N_ACTIVATIONS, "none");
  return activations[activation].id;
}

gboolean
nns_activation_from_string (const char *text, NnsActivation *out)
{
  guint i;

  if (!named_from_string (activations, NNS_N_ACTIVATIONS, text, &i))
    return FALSE;
  *out = i;
  return TRUE;
}

static void
layer_clear (gpointer data)
{
  NnsLayer *layer = data;

  g_clear_pointer (&layer->name, g_free);
}

static void
nns_network_finalize (GObject *object)
{
  NnsNetwork *self = NNS_NETWORK (object);

  g_clear_pointer (&self->layers, g_array_unref);
  g_clear_pointer (&self->input_name, g_free);
  G_OBJECT_CLASS (nns_network_parent_class)->finalize (object);
}

static void
nns_network_class_init (NnsNetworkClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = nns_network_finalize;

  /**
   * NnsNetwork::changed:
   * @change: (type gpointer): an NnsChange saying what changed
   *
   * Emitted once after every successful edit.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
}

static void
nns_network_init (NnsNetwork *self)
{
  self->layers = g_array_new (FALSE, TRUE, sizeof (NnsLayer));
  g_array_set_clear_func (self->layers, layer_clear);
}

/* Whether layer index may share the nn.Linear of layer of. */
static gboolean
can_share (NnsNetwork *self, guint index, guint of)
{
  const NnsLayer *a, *b;
  guint in_a, in_b;

  if (of >= index || index >= self->layers->len)
    return FALSE;
  a = &g_array_index (self->layers, NnsLayer, index);
  b = &g_array_index (self->layers, NnsLayer, of);
  in_a = index == 0 ? self->input : g_array_index (self->layers, NnsLayer, index - 1).units;
  in_b = of == 0 ? self->input : g_array_index (self->layers, NnsLayer, of - 1).units;
  return b->shares == 0 && a->units == b->units && in_a == in_b && a->bias == b->bias;
}

/* Ends every sharing an edit broke (all of them when layers moved). */
static void
fix_shares (NnsNetwork *self, gboolean layers_moved)
{
  for (guint i = 0; i < self->layers->len; i++)
    {
      NnsLayer *layer = &g_array_index (self->layers, NnsLayer, i);

      if (layer->shares != 0 && (layers_moved || !can_share (self, i, layer->shares - 1)))
        layer->shares = 0;
    }
}

static void
emit_changed (NnsNetwork *self, NnsChangeKind kind, guint layer, guint other)
{
  NnsChange change = { kind, layer, other };

  g_signal_emit (self, signals[CHANGED], 0, &change);
}

static gboolean
check_units (guint64 units, const char *what, GError **error)
{
  if (units < NNS_UNITS_MIN || units > NNS_UNITS_MAX)
    {
      g_autofree char *number = g_strdup_printf ("%" G_GUINT64_FORMAT, units);

      g_set_error (error, NNS_NETWORK_ERROR, NNS_NETWORK_ERROR_RANGE,
                   _("%s: %s is outside 1 … 1,000,000"), what, number);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_index (NnsNetwork *self, guint index, GError **error)
{
  if (index >= self->layers->len)
    {
      g_set_error (error, NNS_NETWORK_ERROR, NNS_NETWORK_ERROR_INDEX,
                   _("There is no layer %u; the network has %u"), index + 1, self->layers->len);
      return FALSE;
    }
  return TRUE;
}

static void
append_layer (NnsNetwork *self, guint units)
{
  NnsLayer layer = { units, TRUE, NNS_ACTIVATION_NONE, NULL };

  g_array_append_val (self->layers, layer);
}

NnsNetwork *
nns_network_new (const guint *widths, guint n_widths, GError **error)
{
  g_autoptr (NnsNetwork) self = NULL;

  g_return_val_if_fail (widths != NULL || n_widths == 0, NULL);

  if (n_widths < 1 + NNS_LAYERS_MIN || n_widths > 1 + NNS_LAYERS_MAX)
    {
      g_set_error (error, NNS_NETWORK_ERROR, NNS_NETWORK_ERROR_RANGE,
                   _("A network needs an input width and 1 … 256 dense layers, not %u"),
                   n_widths > 0 ? n_widths - 1 : 0);
      return NULL;
    }
  for (guint i = 0; i < n_widths; i++)
    {
      g_autofree char *what = i == 0 ? g_strdup (_("Input width"))
                                     : g_strdup_printf (_("Layer %u units"), i);
      if (!check_units (widths[i], what, error))
        return NULL;
    }

  self = g_object_new (NNS_TYPE_NETWORK, NULL);
  self->input = widths[0];
  for (guint i = 1; i < n_widths; i++)
    append_layer (self, widths[i]);
  return g_steal_pointer (&self);
}

NnsNetwork *
nns_network_new_default (void)
{
  static const guint lesson[] = { 10, 18, 20, 5 };

  return nns_network_new (lesson, G_N_ELEMENTS (lesson), NULL);
}

/* Parses one item of a width list; errors name the item by position and text. */
static gboolean
parse_width (const char *item, guint position, guint *out, GError **error)
{
  g_autofree char *text = g_strstrip (g_strdup (item));
  char *end = NULL;
  gint64 value;

  if (text[0] == '\0')
    {
      g_set_error (error, NNS_NETWORK_ERROR, NNS_NETWORK_ERROR_PARSE,
                   _("--layers: item %u is empty"), position);
      return FALSE;
    }
  for (const char *p = text; *p; p++)
    if (!g_ascii_isdigit (*p) && !(p == text && (*p == '-' || *p == '+')))
      {
        g_set_error (error, NNS_NETWORK_ERROR, NNS_NETWORK_ERROR_PARSE,
                     _("--layers: item %u, “%s”, is not a whole number"), position, text);
        return FALSE;
      }
  if (strlen (text) == 1 && (text[0] == '-' || text[0] == '+'))
    {
      g_set_error (error, NNS_NETWORK_ERROR, NNS_NETWORK_ERROR_PARSE,
                   _("--layers: item %u, “%s”, is not a whole number"), position, text);
      return FALSE;
    }
  value = g_ascii_strtoll (text, &end, 10);
  if (value < NNS_UNITS_MIN || value > NNS_UNITS_MAX)
    {
      g_set_error (error, NNS_NETWORK_ERROR, NNS_NETWORK_ERROR_RANGE,
                   _("--layers: item %u, “%s”, is outside 1 … 1,000,000"), position, text);
      return FALSE;
    }
  *out = (guint) value;
  return TRUE;
}

NnsNetwork *
nns_network_new_from_string (const char *text, GError **error)
{
  g_auto (GStrv) items = NULL;
  g_autoptr (GArray) widths = NULL;
  guint n;

  g_return_val_if_fail (text != NULL, NULL);

  {
    g_autofree char *stripped = g_strstrip (g_strdup (text));
    if (stripped[0] == '\0')
      {
        g_set_error (error, NNS_NETWORK_ERROR, NNS_NETWORK_ERROR_PARSE,
                     _("--layers is empty; give widths like 10,18,20,5"));
        return NULL;
      }
  }

  items = g_strsplit (text, ",", -1);
  n = g_strv_length (items);
  if (n > 1 + NNS_LAYERS_MAX)
    {
      g_set_error (error, NNS_NETWORK_ERROR, NNS_NETWORK_ERROR_RANGE,
                   _("--layers: %u dense layers is more than 256"), n - 1);
      return NULL;
    }

  widths = g_array_sized_new (FALSE, FALSE, sizeof (guint), n);
  for (guint i = 0; i < n; i++)
    {
      guint width;

      if (!parse_width (items[i], i + 1, &width, error))
        return NULL;
      g_array_append_val (widths, width);
    }

  if (n < 2)
    {
      g_set_error (error, NNS_NETWORK_ERROR, NNS_NETWORK_ERROR_PARSE,
                   _("--layers: “%s” is only an input width; add at least one layer, e.g. %s,1"),
                   g_strstrip (items[0]), g_strstrip (items[0]));
      return NULL;
    }

  return nns_network_new ((const guint *) widths->data, widths->len, error);
}

NnsNetwork *
nns_network_copy (NnsNetwork *self)
{
  NnsNetwork *copy;

  g_return_val_if_fail (NNS_IS_NETWORK (self), NULL);

  copy = g_object_new (NNS_TYPE_NETWORK, NULL);
  copy->input = self->input;
  copy->input_name = g_strdup (self->input_name);
  copy->input_shape = self->input_shape;
  for (guint i = 0; i < self->layers->len; i++)
    {
      NnsLayer layer = g_array_index (self->layers, NnsLayer, i);

      layer.name = g_strdup (layer.name);
      g_array_append_val (copy->layers, layer);
    }
  return copy;
}

gboolean
nns_network_equal (NnsNetwork *a, NnsNetwork *b)
{
  g_return_val_if_fail (NNS_IS_NETWORK (a) && NNS_IS_NETWORK (b), FALSE);

  if (a->input != b->input || a->layers->len != b->layers->len ||
      g_strcmp0 (a->input_name, b->input_name) != 0 ||
      !nns_input_shape_equal (&a->input_shape, &b->input_shape))
    return FALSE;
  for (guint i = 0; i < a->layers->len; i++)
    {
      const NnsLayer *la = &g_array_index (a->layers, NnsLayer, i);
      const NnsLayer *lb = &g_array_index (b->layers, NnsLayer, i);

      if (la->units != lb->units || la->bias != lb->bias || la->activation != lb->activation ||
          g_strcmp0 (la->name, lb->name) != 0 || la->norm != lb->norm ||
          la->norm_affine != lb->norm_affine || la->norm_bias != lb->norm_bias ||
          la->norm_running_stats != lb->norm_running_stats ||
          la->prelu_per_unit != lb->prelu_per_unit || la->dropout != lb->dropout ||
          la->shares != lb->shares)
        return FALSE;
    }
  return TRUE;
}

void
nns_network_assign (NnsNetwork *self, NnsNetwork *other)
{
  g_return_if_fail (NNS_IS_NETWORK (self) && NNS_IS_NETWORK (other));

  if (self == other)
    return;
  g_array_set_size (self->layers, 0);
  self->input = other->input;
  g_free (self->input_name);
  self->input_name = g_strdup (other->input_name);
  self->input_shape = other->input_shape;
  for (guint i = 0; i < other->layers->len; i++)
    {
      NnsLayer layer = g_array_index (other->layers, NnsLayer, i);

      layer.name = g_strdup (layer.name);
      g_array_append_val (self->layers, layer);
    }
  emit_changed (self, NNS_CHANGE_RESET, 0, 0);
}

guint
nns_network_get_input (NnsNetwork *self)
{
  g_return_val_if_fail (NNS_IS_NETWORK (self), 0);
  return self->input;
}

guint
nns_network_get_n_layers (NnsNetwork *self)
{
  g_return_val_if_fail (NNS_IS_NETWORK (self), 0);
  return self->layers->len;
}

const NnsLayer *
nns_network_get_layer (NnsNetwork *self, guint index)
{
  g_return_val_if_fail (NNS_IS_NETWORK (self), NULL);
  g_return_val_if_fail (index < self->layers->len, NULL);
  return &g_array_index (self->layers, NnsLayer, index);
}

guint
nns_network_get_in_features (NnsNetwork *self, guint index)
{
  g_return_val_if_fail (NNS_IS_NETWORK (self), 0);
  g_return_val_if_fail (index < self->layers->len, 0);
  return index == 0 ? self->input : g_array_index (self->layers, NnsLayer, index - 1).units;
}

guint
nns_network_get_column_width (NnsNetwork *self, guint column)
{
  g_return_val_if_fail (NNS_IS_NETWORK (self), 0);
  g_return_val_if_fail (column <= self->layers->len, 0);
  return column == 0 ? self->input : g_array_index (self->layers, NnsLayer, column - 1).units;
}

gboolean
nns_network_set_input (NnsNetwork *self, guint units, GError **error)
{
  g_return_val_if_fail (NNS_IS_NETWORK (self), FALSE);

  if (!check_units (units, _("Input width"), error))
    return FALSE;
  if (self->input != units)
    {
      self->input = units;
      if (nns_input_shape_get_size (&self->input_shape) != units)
        self->input_shape.n_dims = 0;
      fix_shares (self, FALSE);
      emit_changed (self, NNS_CHANGE_INPUT, 0, 0);
    }
  return TRUE;
}

gboolean
nns_network_set_units (NnsNetwork *self, guint index, guint units, GError **error)
{
  g_autofree char *what = NULL;
  NnsLayer *layer;

  g_return_val_if_fail (NNS_IS_NETWORK (self), FALSE);

  if (!check_index (self, index, error))
    return FALSE;
  what = g_strdup_printf (_("Layer %u units"), index + 1);
  if (!check_units (units, what, error))
    return FALSE;
  layer = &g_array_index (self->layers, NnsLayer, index);
  if (layer->units != units)
    {
      layer->units = units;
      fix_shares (self, FALSE);
      emit_changed (self, NNS_CHANGE_UNITS, index, 0);
    }
  return TRUE;
}

gboolean
nns_network_set_bias (NnsNetwork *self, guint index, gboolean bias, GError **error)
{
  NnsLayer *layer;

  g_return_val_if_fail (NNS_IS_NETWORK (self), FALSE);

  if (!check_index (self, index, error))
    return FALSE;
  layer = &g_array_index (self->layers, NnsLayer, index);
  bias = !!bias;
  if (layer->bias != bias)
    {
      layer->bias = bias;
      fix_shares (self, FALSE);
      emit_changed (self, NNS_CHANGE_BIAS, index, 0);
    }
  return TRUE;
}

gboolean
nns_network_set_activation (NnsNetwork *self, guint index, NnsActivation activation,
                            GError **error)
{
  NnsLayer *layer;

  g_return_val_if_fail (NNS_IS_NETWORK (self), FALSE);

  if (!check_index (self, index, error))
    return FALSE;
  if (activation >= NNS_N_ACTIVATIONS)
    {
      g_set_error (error, NNS_NETWORK_ERROR, NNS_NETWORK_ERROR_RANGE,
                   _("Layer %u: unknown activation %u"), index + 1, (guint) activation);
      return FALSE;
    }
  layer = &g_array_index (self->layers, NnsLayer, index);
  if (layer->activation != activation)
    {
      layer->activation = activation;
      emit_changed (self, NNS_CHANGE_ACTIVATION, index, 0);
    }
  return TRUE;
}

gboolean
nns_network_set_name (NnsNetwork *self, guint index, const char *name, GError **error)
{
  NnsLayer *layer;

  g_return_val_if_fail (NNS_IS_NETWORK (self), FALSE);

  if (!check_index (self, index, error))
    return FALSE;
  if (name != NULL && name[0] == '\0')
    name = NULL;
  layer = &g_array_index (self->layers, NnsLayer, index);
  if (g_strcmp0 (layer->name, name) != 0)
    {
      g_free (layer->name);
      layer->name = g_strdup (name);
      emit_changed (self, NNS_CHANGE_NAME, index, 0);
    }
  return TRUE;
}

void
nns_layer_get_extras (const NnsLayer *layer, NnsLayerExtras *out)
{
  out->norm = layer->norm;
  out->norm_affine = layer->norm_affine;
  out->norm_bias = layer->norm_bias;
  out->norm_running_stats = layer->norm_running_stats;
  out->prelu_per_unit = layer->prelu_per_unit;
  out->dropout = layer->dropout;
}

gboolean
nns_network_set_extras (NnsNetwork *self, guint index, const NnsLayerExtras *extras,
                        GError **error)
{
  NnsLayerExtras old;
  NnsLayer *layer;

  g_return_val_if_fail (NNS_IS_NETWORK (self), FALSE);
  g_return_val_if_fail (extras != NULL, FALSE);

  if (!check_index (self, index, error))
    return FALSE;
  if (extras->norm >= NNS_N_NORMS)
    {
      g_set_error (error, NNS_NETWORK_ERROR, NNS_NETWORK_ERROR_RANGE,
                   _("Layer %u: unknown normalisation %u"), index + 1, (guint) extras->norm);
      return FALSE;
    }
  if (!(extras->dropout >= 0.0 && extras->dropout < 1.0))
    {
      g_set_error (error, NNS_NETWORK_ERROR, NNS_NETWORK_ERROR_RANGE,
                   _("Layer %u: dropout p=%g is outside 0 … 1"), index + 1, extras->dropout);
      return FALSE;
    }
  layer = &g_array_index (self->layers, NnsLayer, index);
  nns_layer_get_extras (layer, &old);
  layer->norm = extras->norm;
  /* Flags of an absent norm are kept off so that equal layers compare equal. */
  layer->norm_affine = extras->norm != NNS_NORM_NONE && extras->norm_affine;
  layer->norm_bias = layer->norm_affine && extras->norm_bias;
  layer->norm_running_stats = extras->norm == NNS_NORM_BATCH && extras->norm_running_stats;
  layer->prelu_per_unit = !!extras->prelu_per_unit;
  layer->dropout = extras->dropout;
  if (old.norm != layer->norm || old.norm_affine != layer->norm_affine ||
      old.norm_bias != layer->norm_bias || old.norm_running_stats != layer->norm_running_stats ||
      old.prelu_per_unit != layer->prelu_per_unit || old.dropout != layer->dropout)
    emit_changed (self, NNS_CHANGE_EXTRAS, index, 0);
  return TRUE;
}

char *
nns_layer_dup_modules_label (const NnsLayer *layer, gboolean with_activation)
{
  GString *out = g_string_new (NULL);

  if (layer->norm != NNS_NORM_NONE)
    g_string_append (out, nns_norm_get_label (layer->norm));
  if (with_activation && layer->activation != NNS_ACTIVATION_NONE)
    g_string_append_printf (out, "%s%s", out->len ? " · " : "",
                            nns_activation_get_label (layer->activation));
  if (layer->dropout > 0)
    {
      char p[G_ASCII_DTOSTR_BUF_SIZE];

      g_ascii_formatd (p, sizeof p, "%g", layer->dropout);
      g_string_append_printf (out, "%sDropout %s", out->len ? " · " : "", p);
    }
  return g_string_free (out, FALSE);
}

const char *
nns_network_get_input_name (NnsNetwork *self)
{
  g_return_val_if_fail (NNS_IS_NETWORK (self), NULL);
  return self->input_name;
}

void
nns_network_set_input_name (NnsNetwork *self, const char *name)
{
  g_return_if_fail (NNS_IS_NETWORK (self));

  if (name != NULL && name[0] == '\0')
    name = NULL;
  if (g_strcmp0 (self->input_name, name) == 0)
    return;
  g_free (self->input_name);
  self->input_name = g_strdup (name);
  emit_changed (self, NNS_CHANGE_INPUT, 0, 0);
}

guint64
nns_input_shape_get_size (const NnsInputShape *shape)
{
  guint64 size = 1;

  g_return_val_if_fail (shape != NULL, 0);
  if (shape->n_dims == 0)
    return 0;
  for (guint d = 0; d < shape->n_dims && d < NNS_INPUT_SHAPE_MAX_DIMS; d++)
    size *= shape->dims[d];
  return size;
}

gboolean
nns_input_shape_equal (const NnsInputShape *a, const NnsInputShape *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);
  if (a->n_dims != b->n_dims)
    return FALSE;
  for (guint d = 0; d < a->n_dims && d < NNS_INPUT_SHAPE_MAX_DIMS; d++)
    if (a->dims[d] != b->dims[d])
      return FALSE;
  return TRUE;
}

char *
nns_input_shape_format (const NnsInputShape *shape)
{
  GString *out;

  g_return_val_if_fail (shape != NULL, NULL);
  out = g_string_new (NULL);
  for (guint d = 0; d < shape->n_dims && d < NNS_INPUT_SHAPE_MAX_DIMS; d++)
    g_string_append_printf (out, "%s%u", d > 0 ? " × " : "", shape->dims[d]);
  return g_string_free (out, FALSE);
}

/* A size separator: spaces, commas, x, X, ×, *, and the brackets of a
 * Python tuple or list. */
static gboolean
is_shape_separator (gunichar c)
{
  return g_unichar_isspace (c) || c == ',' || c == 'x' || c == 'X' || c == 0x00d7 || c == '*'
         || c == '(' || c == ')' || c == '[' || c == ']';
}

gboolean
nns_input_shape_parse (const char *text, NnsInputShape *out, GError **error)
{
  NnsInputShape shape = { 0 };
  guint n = 0;
  const char *p;

  g_return_val_if_fail (text != NULL && out != NULL, FALSE);

  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error_literal (error, NNS_NETWORK_ERROR, NNS_NETWORK_ERROR_SHAPE,
                           _("Shape: not UTF-8 text"));
      return FALSE;
    }
  for (p = text; *p != '\0';)
    {
      gunichar c = g_utf8_get_char (p);

      if (is_shape_separator (c))
        {
          p = g_utf8_next_char (p);
          continue;
        }
      if (c < '0' || c > '9')
        {
          g_autofree char *what = g_ucs4_to_utf8 (&c, 1, NULL, NULL, NULL);

          g_set_error (error, NNS_NETWORK_ERROR, NNS_NETWORK_ERROR_SHAPE,
                       _("Shape: “%s” is not a size; write it like 3 × 32 × 32 or 28 × 28"),
                       what != NULL ? what : "?");
          return FALSE;
        }
      {
        guint64 value = 0;
        const char *start = p;

        while (*p >= '0' && *p <= '9')
          {
            value = MIN (value * 10 + (guint64) (*p - '0'), (guint64) G_MAXUINT32 + 1);
            p++;
          }
        n++;
        if (n > NNS_INPUT_SHAPE_MAX_DIMS)
          {
            g_set_error_literal (error, NNS_NETWORK_ERROR, NNS_NETWORK_ERROR_SHAPE,
                                 _("Shape: more than 3 sizes; give H × W or C × H × W"));
            return FALSE;
          }
        if (value == 0 || value > NNS_UNITS_MAX)
          {
            g_autofree char *number = g_strndup (start, p - start);

            g_set_error (error, NNS_NETWORK_ERROR, NNS_NETWORK_ERROR_SHAPE,
                         _("Shape: size %s is outside 1 … 1,000,000"), number);
            return FALSE;
          }
        shape.dims[n - 1] = (guint) value;
      }
    }
  if (n == 1)
    {
      g_set_error_literal (error, NNS_NETWORK_ERROR, NNS_NETWORK_ERROR_SHAPE,
                           _("Shape: one size is just the width; give H × W or C × H × W"));
      return FALSE;
    }
  shape.n_dims = n;
  *out = shape;
  return TRUE;
}

void
nns_network_get_input_shape (NnsNetwork *self, NnsInputShape *out)
{
  g_return_if_fail (NNS_IS_NETWORK (self));
  g_return_if_fail (out != NULL);
  *out = self->input_shape;
}

gboolean
nns_network_set_input_shape (NnsNetwork *self, const NnsInputShape *shape, GError **error)
{
  NnsInputShape none = { 0 };

  g_return_val_if_fail (NNS_IS_NETWORK (self), FALSE);

  if (shape == NULL)
    shape = &none;
  if (shape->n_dims != 0)
    {
      g_autofree char *text = NULL;
      guint64 size;

      if (shape->n_dims < 2 || shape->n_dims > NNS_INPUT_SHAPE_MAX_DIMS)
        {
          g_set_error (error, NNS_NETWORK_ERROR, NNS_NETWORK_ERROR_SHAPE,
                       _("Shape: give 2 or 3 sizes (H × W or C × H × W), not %u"), shape->n_dims);
          return FALSE;
        }
      for (guint d = 0; d < shape->n_dims; d++)
        if (shape->dims[d] == 0)
          {
            g_set_error_literal (error, NNS_NETWORK_ERROR, NNS_NETWORK_ERROR_SHAPE,
                                 _("Shape: a size of 0"));
            return FALSE;
          }
      size = nns_input_shape_get_size (shape);
      if (size != self->input)
        {
          g_autofree char *product = nns_format_count (size);
          g_autofree char *width = nns_format_count (self->input);

          text = nns_input_shape_format (shape);
          /* Translators: "Shape 3 × 32 × 32 holds 3072 values, but the input is 1000 wide" */
          g_set_error (error, NNS_NETWORK_ERROR, NNS_NETWORK_ERROR_SHAPE,
                       _("Shape %s holds %s values, but the input is %s wide"), text, product,
                       width);
          return FALSE;
        }
    }
  if (nns_input_shape_equal (&self->input_shape, shape))
    return TRUE;
  self->input_shape = *shape;
  for (guint d = shape->n_dims; d < NNS_INPUT_SHAPE_MAX_DIMS; d++)
    self->input_shape.dims[d] = 0;
  emit_changed (self, NNS_CHANGE_INPUT_SHAPE, 0, 0);
  return TRUE;
}

gboolean
nns_network_set_shared (NnsNetwork *self, guint index, guint of, GError **error)
{
  NnsLayer *layer;

  g_return_val_if_fail (NNS_IS_NETWORK (self), FALSE);

  if (!check_index (self, index, error))
    return FALSE;
  if (!can_share (self, index, of))
    {
      g_set_error (error, NNS_NETWORK_ERROR, NNS_NETWORK_ERROR_RANGE,
                   _("Layer %u cannot share the Linear of layer %u"), index + 1, of + 1);
      return FALSE;
    }
  layer = &g_array_index (self->layers, NnsLayer, index);
  if (layer->shares != of + 1)
    {
      layer->shares = of + 1;
      emit_changed (self, NNS_CHANGE_EXTRAS, index, 0);
    }
  return TRUE;
}

gboolean
nns_network_insert_layer (NnsNetwork *self, guint index, guint units, GError **error)
{
  NnsLayer layer = { units, TRUE, NNS_ACTIVATION_NONE, NULL };

  g_return_val_if_fail (NNS_IS_NETWORK (self), FALSE);

  if (index > self->layers->len)
    {
      g_set_error (error, NNS_NETWORK_ERROR, NNS_NETWORK_ERROR_INDEX,
                   _("Cannot insert at position %u; the network has %u layers"), index + 1,
                   self->layers->len);
      return FALSE;
    }
  if (self->layers->len >= NNS_LAYERS_MAX)
    {
      g_set_error (error, NNS_NETWORK_ERROR, NNS_NETWORK_ERROR_RANGE,
                   _("A network has at most 256 dense layers"));
      return FALSE;
    }
  if (!check_units (units, _("New layer units"), error))
    return FALSE;
  g_array_insert_val (self->layers, index, layer);
  fix_shares (self, TRUE);
  emit_changed (self, NNS_CHANGE_INSERT, index, 0);
  return TRUE;
}

gboolean
nns_network_remove_layer (NnsNetwork *self, guint index, GError **error)
{
  g_return_val_if_fail (NNS_IS_NETWORK (self), FALSE);

  if (!check_index (self, index, error))
    return FALSE;
  if (self->layers->len <= NNS_LAYERS_MIN)
    {
      g_set_error (error, NNS_NETWORK_ERROR, NNS_NETWORK_ERROR_LAST,
                   _("The last dense layer cannot be removed"));
      return FALSE;
    }
  g_array_remove_index (self->layers, index);
  fix_shares (self, TRUE);
  emit_changed (self, NNS_CHANGE_REMOVE, index, 0);
  return TRUE;
}

gboolean
nns_network_move_layer (NnsNetwork *self, guint from, guint to, GError **error)
{
  NnsLayer layer;

  g_return_val_if_fail (NNS_IS_NETWORK (self), FALSE);

  if (!check_index (self, from, error) || !check_index (self, to, error))
    return FALSE;
  if (from == to)
    return TRUE;
  /* Move the struct without freeing its name. */
  layer = g_array_index (self->layers, NnsLayer, from);
  g_array_index (self->layers, NnsLayer, from).name = NULL;
  g_array_remove_index (self->layers, from);
  g_array_insert_val (self->layers, to, layer);
  fix_shares (self, TRUE);
  emit_changed (self, NNS_CHANGE_MOVE, from, to);
  return TRUE;
}

char *
nns_network_dup_column_title (NnsNetwork *self, guint column)
{
  const NnsLayer *layer;

  g_return_val_if_fail (NNS_IS_NETWORK (self), NULL);
  g_return_val_if_fail (column <= self->layers->len, NULL);

  if (column == 0)
    return g_strdup (self->input_name != NULL ? self->input_name : _("Input"));
  layer = &g_array_index (self->layers, NnsLayer, column - 1);
  if (layer->name != NULL)
    return g_strdup (layer->name);
  if (column == self->layers->len)
    return g_strdup (_("Output"));
  return g_strdup_printf (_("Hidden %u"), column);
}
