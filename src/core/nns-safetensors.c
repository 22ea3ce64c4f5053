/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "nns-safetensors"

/* safetensors: reading trusts nothing the header says before checking it
 * against the file's size (no allocation follows from a header's numbers
 * but the JSON's own), and refuses, naming the tensor, every header that
 * lies: offsets out of range, overlapping or with gaps, a byte count that is
 * not shape × dtype size, an unknown dtype, 0-sized tensors, NaN or
 * infinity, shapes that do not chain. */

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "nns-file.h"
#include "nns-model-file-private.h"
#include "nns-safetensors.h"

/* The safetensors library's own limit for a header. */
#define HEADER_MAX (100 * 1024 * 1024)

typedef struct
{
  NnsRawTensor raw;
  char        *name;
  char        *prefix;   /* the module: "0", "fc1", "layers.2" */
  const char  *suffix;   /* "weight", … (points into name) */
  guint64      begin;
  guint64      end;
  guint        order;    /* in the header */
} Entry;

static void
entry_clear (gpointer data)
{
  Entry *entry = data;

  g_free (entry->name);
  g_free (entry->prefix);
}

static gboolean
fail (GError **error, gint code, const char *format, ...) G_GNUC_PRINTF (3, 4);

static gboolean
fail (GError **error, gint code, const char *format, ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, NNS_MODEL_FILE_ERROR, code, message);
  return FALSE;
}

static gboolean
get_count (JsonNode *node, guint64 limit, guint64 *out)
{
  gint64 v;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  v = json_node_get_int (node);
  if (v < 0 || (guint64) v > limit)
    return FALSE;
  *out = (guint64) v;
  return TRUE;
}

static gboolean
read_entry (Entry *entry, JsonNode *node, guint64 buffer_size, GError **error)
{
  static const struct { const char *name; NnsDtype dtype; guint size; } dtypes[] = {
    { "F32", NNS_DTYPE_F32, 4 }, { "F16", NNS_DTYPE_F16, 2 }, { "BF16", NNS_DTYPE_BF16, 2 },
    { "I64", NNS_DTYPE_I64, 8 },
  };
  static const char *const others[] = {
    "F64", "I32", "I16", "I8", "U8", "U16", "U32", "U64", "BOOL", "F8_E4M3", "F8_E5M2",
  };
  JsonObject *object;
  JsonArray *shape, *offsets;
  const char *dtype;
  guint size = 0;
  guint64 n = 1;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (error, NNS_MODEL_FILE_ERROR_INVALID, _("%s: not a tensor entry"), entry->name);
  object = json_node_get_object (node);
  dtype = json_object_has_member (object, "dtype") &&
          JSON_NODE_HOLDS_VALUE (json_object_get_member (object, "dtype")) &&
          json_node_get_value_type (json_object_get_member (object, "dtype")) == G_TYPE_STRING
          ? json_object_get_string_member (object, "dtype") : NULL;
  if (dtype == NULL)
    return fail (error, NNS_MODEL_FILE_ERROR_INVALID, _("%s: no dtype"), entry->name);
  for (guint i = 0; i < G_N_ELEMENTS (dtypes); i++)
    if (g_str_equal (dtype, dtypes[i].name))
      {
        entry->raw.dtype = dtypes[i].dtype;
        size = dtypes[i].size;
      }
  if (size == 0)
    {
      for (guint i = 0; i < G_N_ELEMENTS (others); i++)
        if (g_str_equal (dtype, others[i]))
          return fail (error, NNS_MODEL_FILE_ERROR_UNSUPPORTED,
                       _("%s: dtype %s is not read (F32, F16 and BF16 are)"), entry->name, dtype);
      return fail (error, NNS_MODEL_FILE_ERROR_INVALID, _("%s: unknown dtype “%s”"),
                   entry->name, dtype);
    }

  node = json_object_get_member (object, "shape");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return fail (error, NNS_MODEL_FILE_ERROR_INVALID, _("%s: no shape"), entry->name);
  shape = json_node_get_array (node);
  if (json_array_get_length (shape) > NNS_RAW_MAX_DIMS)
    return fail (error, NNS_MODEL_FILE_ERROR_UNSUPPORTED, _("%s: %u dimensions"), entry->name,
                 json_array_get_length (shape));
  entry->raw.n_dims = json_array_get_length (shape);
  for (guint d = 0; d < entry->raw.n_dims; d++)
    {
      /* Each dimension, and so the product, is bounded by the bytes there are. */
      if (!get_count (json_array_get_element (shape, d), buffer_size, &entry->raw.shape[d]))
        return fail (error, NNS_MODEL_FILE_ERROR_INVALID,
                     _("%s: shape[%u] is not a size within the file"), entry->name, d);
      n *= entry->raw.shape[d];
      if (n > buffer_size)
        return fail (error, NNS_MODEL_FILE_ERROR_INVALID,
                     _("%s: the shape needs more bytes than the file has"), entry->name);
    }
  if (n == 0)
    {
      g_autofree char *text = _nns_raw_tensor_dup_shape (&entry->raw);

      return fail (error, NNS_MODEL_FILE_ERROR_INVALID, _("%s: an empty tensor %s"),
                   entry->name, text);
    }
  entry->raw.n_elements = n;

  node = json_object_get_member (object, "data_offsets");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node) ||
      json_array_get_length (offsets = json_node_get_array (node)) != 2 ||
      !get_count (json_array_get_element (offsets, 0), G_MAXINT64, &entry->begin) ||
      !get_count (json_array_get_element (offsets, 1), G_MAXINT64, &entry->end))
    return fail (error, NNS_MODEL_FILE_ERROR_INVALID, _("%s: data_offsets is not [begin, end]"),
                 entry->name);
  if (entry->end > buffer_size || entry->begin > entry->end)
    return fail (error, NNS_MODEL_FILE_ERROR_INVALID,
                 _("%s: bytes %" PRIu64 " to %" PRIu64
                   " lie outside the file’s %" PRIu64 " bytes of data"),
                 entry->name, entry->begin, entry->end, buffer_size);
  if (entry->end - entry->begin != n * size)
    {
      g_autofree char *text = _nns_raw_tensor_dup_shape (&entry->raw);

      return fail (error, NNS_MODEL_FILE_ERROR_INVALID,
                   _("%s: %" PRIu64 " bytes, but %s %s needs %" PRIu64),
                   entry->name, entry->end - entry->begin, text, dtype, n * size);
    }
  return TRUE;
}

static gint
compare_begin (gconstpointer a, gconstpointer b)
{
  const Entry *x = *(Entry **) a, *y = *(Entry **) b;

  return x->begin < y->begin ? -1 : x->begin > y->begin ? 1 : (gint) x->order - (gint) y->order;
}

/* "layers.10" after "layers.2": numbers compare as numbers. */
static gint
compare_natural (const char *a, const char *b)
{
  while (*a && *b)
    {
      if (g_ascii_isdigit (*a) && g_ascii_isdigit (*b))
        {
          guint64 x = g_ascii_strtoull (a, (char **) &a, 10);
          guint64 y = g_ascii_strtoull (b, (char **) &b, 10);

          if (x != y)
            return x < y ? -1 : 1;
          continue;
        }
      if (*a != *b)
        return (guchar) *a - (guchar) *b;
      a++, b++;
    }
  return (guchar) *a - (guchar) *b;
}

static gint
compare_entries_natural (gconstpointer a, gconstpointer b)
{
  const Entry *x = *(Entry **) a, *y = *(Entry **) b;
  gint c = compare_natural (x->prefix, y->prefix);

  return c != 0 ? c : (gint) x->order - (gint) y->order;
}

static gint
compare_entries_header (gconstpointer a, gconstpointer b)
{
  const Entry *x = *(Entry **) a, *y = *(Entry **) b;

  return (gint) x->order - (gint) y->order;
}

/* Whether the Linear weights, in this order of modules, chain (each
 * in_features the previous out_features). Modules keep their first
 * appearance's place; a module's tensors go together. */
static gboolean
chains (GPtrArray *order)
{
  guint64 previous = 0;

  for (guint i = 0; i < order->len; i++)
    {
      Entry *entry = g_ptr_array_index (order, i);

      if (g_str_equal (entry->suffix, "weight") && entry->raw.n_dims == 2)
        {
          if (previous != 0 && entry->raw.shape[1] != previous)
            return FALSE;
          previous = entry->raw.shape[0];
        }
    }
  return TRUE;
}

/* Groups each module's tensors at its first appearance. */
static void
group_modules (GPtrArray *order)
{
  g_autoptr (GPtrArray) grouped = g_ptr_array_new ();
  g_autoptr (GHashTable) done = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < order->len; i++)
    {
      Entry *entry = g_ptr_array_index (order, i);

      if (!g_hash_table_add (done, entry->prefix))
        continue;
      for (guint j = i; j < order->len; j++)
        {
          Entry *other = g_ptr_array_index (order, j);

          if (g_str_equal (other->prefix, entry->prefix))
            g_ptr_array_add (grouped, other);
        }
    }
  for (guint i = 0; i < order->len; i++)
    g_ptr_array_index (order, i) = g_ptr_array_index (grouped, i);
}

static gboolean
all_digits (const char *text)
{
  if (*text == '\0')
    return FALSE;
  for (; *text; text++)
    if (!g_ascii_isdigit (*text))
      return FALSE;
  return TRUE;
}

/* The modules, in order, as dense layers. */
static gboolean
build_layers (GPtrArray *order, GArray *layers, guint *input, GString *notes, GError **error)
{
  NnsRawLayer *layer = NULL;
  gboolean norm_done = FALSE, activation_done = FALSE;

  for (guint i = 0; i < order->len;)
    {
      Entry *first = g_ptr_array_index (order, i);
      Entry *by_suffix[8] = { 0 };
      enum { WEIGHT, BIAS, MEAN, VAR, TRACKED, N_SUFFIXES };
      static const char *const names[] = { "weight", "bias", "running_mean", "running_var",
                                           "num_batches_tracked" };
      guint j = i;

      for (; j < order->len; j++)
        {
          Entry *entry = g_ptr_array_index (order, j);
          guint s;

          if (!g_str_equal (entry->prefix, first->prefix))
            break;
          for (s = 0; s < N_SUFFIXES; s++)
            if (g_str_equal (entry->suffix, names[s]))
              break;
          if (s == N_SUFFIXES)
            return fail (error, NNS_MODEL_FILE_ERROR_UNSUPPORTED,
                         _("%s: not a tensor of Linear, BatchNorm1d, LayerNorm or PReLU"),
                         entry->name);
          by_suffix[s] = entry;
        }
      i = j;

      if (by_suffix[WEIGHT] != NULL && by_suffix[WEIGHT]->raw.n_dims == 2)
        {
          Entry *weight = by_suffix[WEIGHT], *bias = by_suffix[BIAS];
          NnsRawLayer fresh = { 0 };

          if (by_suffix[MEAN] != NULL || by_suffix[VAR] != NULL || by_suffix[TRACKED] != NULL)
            return fail (error, NNS_MODEL_FILE_ERROR_UNSUPPORTED,
                         _("%s: a Linear with running statistics"), weight->name);
          if (layer != NULL && weight->raw.shape[1] != layer->units)
            {
              g_autofree char *shape = _nns_raw_tensor_dup_shape (&weight->raw);

              return fail (error, NNS_MODEL_FILE_ERROR_UNSUPPORTED,
                           _("%s: %s takes %" PRIu64
                             " inputs, but the layer before gives %u"),
                           weight->name, shape, weight->raw.shape[1], layer->units);
            }
          if (weight->raw.shape[0] > NNS_UNITS_MAX || weight->raw.shape[1] > NNS_UNITS_MAX)
            return fail (error, NNS_MODEL_FILE_ERROR_UNSUPPORTED,
                         _("%s: wider than %d units"), weight->name, NNS_UNITS_MAX);
          if (bias != NULL && (bias->raw.n_dims != 1 || bias->raw.shape[0] != weight->raw.shape[0]))
            {
              g_autofree char *shape = _nns_raw_tensor_dup_shape (&bias->raw);

              return fail (error, NNS_MODEL_FILE_ERROR_INVALID,
                           _("%s: %s, the Linear has %" PRIu64 " outputs"), bias->name,
                           shape, weight->raw.shape[0]);
            }
          if (layers->len >= NNS_LAYERS_MAX)
            return fail (error, NNS_MODEL_FILE_ERROR_UNSUPPORTED,
                         _("%s: more than %d Linear layers"), weight->name, NNS_LAYERS_MAX);
          if (layer == NULL)
            *input = (guint) weight->raw.shape[1];
          fresh.units = (guint) weight->raw.shape[0];
          fresh.in = (guint) weight->raw.shape[1];
          fresh.bias = bias != NULL;
          fresh.name = all_digits (weight->prefix) ? NULL : g_strdup (weight->prefix);
          fresh.tensor[NNS_TENSOR_WEIGHT] = &weight->raw;
          fresh.tensor[NNS_TENSOR_BIAS] = bias != NULL ? &bias->raw : NULL;
          g_array_append_val (layers, fresh);
          layer = &g_array_index (layers, NnsRawLayer, layers->len - 1);
          norm_done = activation_done = FALSE;
          continue;
        }

      /* A module without a 2-D weight: a norm or a PReLU of the layer before. */
      {
        Entry *any = by_suffix[WEIGHT] ? by_suffix[WEIGHT] : by_suffix[BIAS] ? by_suffix[BIAS]
                     : by_suffix[MEAN] ? by_suffix[MEAN] : by_suffix[VAR] ? by_suffix[VAR]
                     : by_suffix[TRACKED];

        if (by_suffix[WEIGHT] != NULL && by_suffix[WEIGHT]->raw.n_dims != 1)
          {
            g_autofree char *shape = _nns_raw_tensor_dup_shape (&by_suffix[WEIGHT]->raw);

            return fail (error, NNS_MODEL_FILE_ERROR_UNSUPPORTED,
                         _("%s: shape %s is not a Linear’s [out, in] (a convolution?)"),
                         by_suffix[WEIGHT]->name, shape);
          }
        if (layer == NULL)
          return fail (error, NNS_MODEL_FILE_ERROR_UNSUPPORTED,
                       _("%s: a tensor before the first Linear"), any->name);
        for (guint s = 0; s < N_SUFFIXES; s++)
          {
            Entry *entry = by_suffix[s];
            gboolean ok;

            if (entry == NULL)
              continue;
            if (s == TRACKED)
              ok = entry->raw.dtype == NNS_DTYPE_I64 && entry->raw.n_elements == 1 &&
                   entry->raw.n_dims <= 1;
            else
              ok = entry->raw.dtype != NNS_DTYPE_I64 && entry->raw.n_dims == 1 &&
                   (entry->raw.shape[0] == layer->units ||
                    (s == WEIGHT && by_suffix[BIAS] == NULL && by_suffix[MEAN] == NULL &&
                     entry->raw.shape[0] == 1));
            if (!ok)
              {
                g_autofree char *shape = _nns_raw_tensor_dup_shape (&entry->raw);

                return fail (error, NNS_MODEL_FILE_ERROR_INVALID,
                             _("%s: %s %s after a Linear of %u outputs"), entry->name, shape,
                             _nns_dtype_get_name (entry->raw.dtype), layer->units);
              }
          }
        if (by_suffix[MEAN] != NULL || by_suffix[VAR] != NULL || by_suffix[TRACKED] != NULL ||
            by_suffix[BIAS] != NULL)
          {
            NnsLayerExtras *extras = &layer->extras;
            gboolean batch = by_suffix[MEAN] != NULL || by_suffix[VAR] != NULL ||
                             by_suffix[TRACKED] != NULL;

            if (norm_done || activation_done)
              return fail (error, NNS_MODEL_FILE_ERROR_UNSUPPORTED,
                           _("%s: a second norm, or a norm after the activation (NN Sketch draws "
                             "Linear → norm → activation)"), any->name);
            if (batch && (by_suffix[MEAN] == NULL || by_suffix[VAR] == NULL ||
                          by_suffix[TRACKED] == NULL))
              return fail (error, NNS_MODEL_FILE_ERROR_INVALID,
                           _("%s: BatchNorm1d needs running_mean, running_var and "
                             "num_batches_tracked together"), any->name);
            if ((by_suffix[WEIGHT] == NULL) != (by_suffix[BIAS] == NULL))
              return fail (error, NNS_MODEL_FILE_ERROR_UNSUPPORTED,
                           _("%s: a norm with a bias but no weight"), any->name);
            extras->norm = batch ? NNS_NORM_BATCH : NNS_NORM_LAYER;
            extras->norm_affine = by_suffix[WEIGHT] != NULL;
            extras->norm_bias = by_suffix[BIAS] != NULL;
            extras->norm_running_stats = batch;
            layer->tensor[NNS_TENSOR_NORM_WEIGHT] = by_suffix[WEIGHT] ? &by_suffix[WEIGHT]->raw : NULL;
            layer->tensor[NNS_TENSOR_NORM_BIAS] = by_suffix[BIAS] ? &by_suffix[BIAS]->raw : NULL;
            layer->tensor[NNS_TENSOR_RUNNING_MEAN] = by_suffix[MEAN] ? &by_suffix[MEAN]->raw : NULL;
            layer->tensor[NNS_TENSOR_RUNNING_VAR] = by_suffix[VAR] ? &by_suffix[VAR]->raw : NULL;
            layer->tensor[NNS_TENSOR_NUM_BATCHES_TRACKED] =
              by_suffix[TRACKED] ? &by_suffix[TRACKED]->raw : NULL;
            if (!batch)
              g_string_append_printf (notes,
                                      _("%s: read as LayerNorm (a BatchNorm1d without running "
                                        "statistics has the same tensors)\n"), first->prefix);
            norm_done = TRUE;
          }
        else
          {
            /* A weight alone: PReLU's slope, one or one per unit. */
            if (activation_done)
              return fail (error, NNS_MODEL_FILE_ERROR_UNSUPPORTED,
                           _("%s: a second PReLU after one Linear"), any->name);
            layer->activation = NNS_ACTIVATION_PRELU;
            layer->extras.prelu_per_unit = by_suffix[WEIGHT]->raw.shape[0] != 1 ||
                                           layer->units == 1;
            if (layer->units == 1)
              layer->extras.prelu_per_unit = FALSE;
            layer->tensor[NNS_TENSOR_PRELU] = &by_suffix[WEIGHT]->raw;
            if (layer->extras.prelu_per_unit)
              g_string_append_printf (notes,
                                      _("%s: read as PReLU(num_parameters=%u) (a LayerNorm "
                                        "without bias has the same tensor)\n"), first->prefix,
                                      layer->units);
            activation_done = TRUE;
          }
      }
    }
  return TRUE;
}

static void
raw_layer_clear (gpointer data)
{
  g_free (((NnsRawLayer *) data)->name);
}

NnsModelFile *
_nns_safetensors_read (const guint8 *data, gsize length, GError **error)
{
  g_autoptr (JsonParser) parser = NULL;
  g_autoptr (GError) json_error = NULL;
  g_autoptr (GArray) entries = NULL;
  g_autoptr (GPtrArray) order = NULL;
  g_autoptr (GArray) layers = NULL;
  g_autoptr (GString) notes = g_string_new (NULL);
  g_autoptr (GHashTable) dtypes_seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *source = NULL;
  GList *members;
  JsonObject *root;
  const guint8 *buffer;
  guint64 header_length = 0, buffer_size, position;
  guint input = 0;

  if (length < 8)
    {
      fail (error, NNS_MODEL_FILE_ERROR_INVALID,
            _("too short for a safetensors file (%zu bytes)"), length);
      return NULL;
    }
  for (guint b = 0; b < 8; b++)
    header_length |= (guint64) data[b] << (8 * b);
  if (header_length > length - 8 || header_length > HEADER_MAX)
    {
      fail (error, NNS_MODEL_FILE_ERROR_INVALID,
            _("the safetensors header claims %" PRIu64 " bytes, the file has %zu after the length (cut short?)"), header_length, length - 8);
      return NULL;
    }
  buffer = data + 8 + header_length;
  buffer_size = length - 8 - header_length;

  parser = json_parser_new_immutable ();
  {
    /* json-glib wants text without NULs. */
    if (memchr (data + 8, '\0', header_length) != NULL ||
        !g_utf8_validate ((const char *) data + 8, header_length, NULL))
      {
        fail (error, NNS_MODEL_FILE_ERROR_INVALID,
              _("the safetensors header is not UTF-8 text"));
        return NULL;
      }
    if (!json_parser_load_from_data (parser, (const char *) data + 8, header_length, &json_error))
      {
        fail (error, NNS_MODEL_FILE_ERROR_INVALID, _("the safetensors header: %s"),
              json_error->message);
        return NULL;
      }
  }
  if (json_parser_get_root (parser) == NULL || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      fail (error, NNS_MODEL_FILE_ERROR_INVALID, _("the safetensors header is not a JSON object"));
      return NULL;
    }
  root = json_node_get_object (json_parser_get_root (parser));

  entries = g_array_new (FALSE, TRUE, sizeof (Entry));
  g_array_set_clear_func (entries, entry_clear);
  members = json_object_get_members (root);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      Entry entry = { 0 };
      const char *dot;

      if (g_str_equal (name, "__metadata__"))
        {
          if (!JSON_NODE_HOLDS_OBJECT (json_object_get_member (root, name)))
            {
              g_list_free (members);
              fail (error, NNS_MODEL_FILE_ERROR_INVALID, _("__metadata__ is not an object"));
              return NULL;
            }
          continue;
        }
      entry.name = g_strdup (name);
      entry.raw.name = entry.name;
      entry.order = entries->len;
      dot = strrchr (entry.name, '.');
      entry.prefix = dot != NULL ? g_strndup (entry.name, dot - entry.name) : g_strdup ("");
      entry.suffix = dot != NULL ? dot + 1 : entry.name;
      g_array_append_val (entries, entry);
      if (!read_entry (&g_array_index (entries, Entry, entries->len - 1),
                       json_object_get_member (root, name), buffer_size, error))
        {
          g_list_free (members);
          return NULL;
        }
    }
  g_list_free (members);
  if (entries->len == 0)
    {
      fail (error, NNS_MODEL_FILE_ERROR_INVALID, _("the safetensors file holds no tensor"));
      return NULL;
    }

  /* The data: back to back from 0 to the end, no gap, no overlap. */
  {
    g_autoptr (GPtrArray) by_begin = g_ptr_array_new ();

    for (guint i = 0; i < entries->len; i++)
      g_ptr_array_add (by_begin, &g_array_index (entries, Entry, i));
    g_ptr_array_sort (by_begin, compare_begin);
    position = 0;
    for (guint i = 0; i < by_begin->len; i++)
      {
        Entry *entry = g_ptr_array_index (by_begin, i);

        if (entry->begin < position)
          {
            fail (error, NNS_MODEL_FILE_ERROR_INVALID,
                  _("%s: its bytes from %" PRIu64 " overlap %s’s (to %" PRIu64
                    ")"), entry->name, entry->begin,
                  ((Entry *) g_ptr_array_index (by_begin, i - 1))->name, position);
            return NULL;
          }
        if (entry->begin > position)
          {
            fail (error, NNS_MODEL_FILE_ERROR_INVALID,
                  _("%s: starts at byte %" PRIu64 ", leaving a gap after byte %"
                    PRIu64), entry->name, entry->begin, position);
            return NULL;
          }
        position = entry->end;
        entry->raw.data = buffer + entry->begin;
      }
    if (position != buffer_size)
      {
        fail (error, NNS_MODEL_FILE_ERROR_INVALID,
              _("%" PRIu64 " bytes after the last tensor that no tensor owns"),
              buffer_size - position);
        return NULL;
      }
  }

  /* State_dict order: the header's, or by name when that does not chain
   * (writers that sort names put "10" before "2"). */
  order = g_ptr_array_new ();
  for (guint i = 0; i < entries->len; i++)
    {
      Entry *entry = &g_array_index (entries, Entry, i);

      g_ptr_array_add (order, entry);
      g_hash_table_add (dtypes_seen, (gpointer) _nns_dtype_get_name (entry->raw.dtype));
    }
  g_ptr_array_sort (order, compare_entries_header);
  group_modules (order);
  if (!chains (order))
    {
      g_ptr_array_sort (order, compare_entries_natural);
      group_modules (order);
    }

  layers = g_array_new (FALSE, TRUE, sizeof (NnsRawLayer));
  g_array_set_clear_func (layers, raw_layer_clear);
  if (!build_layers (order, layers, &input, notes, error))
    return NULL;
  if (layers->len > 1)
    g_string_append (notes, _("safetensors holds no activations: set them in the layer list\n"));

  {
    GString *text = g_string_new (NULL);
    static const char *const all[] = { "F32", "F16", "BF16", "I64" };

    g_string_printf (text, g_dngettext (GETTEXT_PACKAGE, "safetensors, %u tensor (",
                                        "safetensors, %u tensors (", entries->len),
                     entries->len);
    for (guint d = 0, k = 0; d < G_N_ELEMENTS (all); d++)
      if (g_hash_table_contains (dtypes_seen, all[d]))
        g_string_append_printf (text, k++ ? ", %s" : "%s", all[d]);
    g_string_append_c (text, ')');
    source = g_string_free (text, FALSE);
  }
  if (notes->len > 0)
    g_string_truncate (notes, notes->len - 1);
  return _nns_model_file_build ((NnsRawLayer *) layers->data, layers->len, input, source,
                                notes->len > 0 ? g_strdup (notes->str) : NULL, error);
}

/* ---- writing ---- */

GBytes *
nns_safetensors_write (NnsNetwork *network, NnsWeights *weights)
{
  g_autoptr (JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *header = NULL;
  GByteArray *out;
  NnsTensorInfo *infos;
  guint n = 0;
  guint64 offset = 0;
  gsize header_length;
  guint8 length_bytes[8];

  g_return_val_if_fail (NNS_IS_NETWORK (network), NULL);
  g_return_val_if_fail (weights != NULL && nns_weights_fits (weights, network), NULL);

  infos = nns_weights_list_tensors (network, &n);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "__metadata__");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder, "pt");
  json_builder_end_object (builder);
  for (guint t = 0; t < n; t++)
    {
      gboolean tracked = infos[t].kind == NNS_TENSOR_NUM_BATCHES_TRACKED;
      guint64 bytes = nns_tensor_info_get_size (&infos[t]) * (tracked ? 8 : 4);

      json_builder_set_member_name (builder, infos[t].name);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "dtype");
      json_builder_add_string_value (builder, tracked ? "I64" : "F32");
      json_builder_set_member_name (builder, "shape");
      json_builder_begin_array (builder);
      for (guint d = 0; d < infos[t].n_dims; d++)
        json_builder_add_int_value (builder, infos[t].shape[d]);
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "data_offsets");
      json_builder_begin_array (builder);
      json_builder_add_int_value (builder, (gint64) offset);
      json_builder_add_int_value (builder, (gint64) (offset + bytes));
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      offset += bytes;
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  header = json_generator_to_data (generator, &header_length);

  out = g_byte_array_sized_new (8 + header_length + 8 + offset);
  {
    guint64 padded = (header_length + 7) / 8 * 8;

    for (guint b = 0; b < 8; b++)
      length_bytes[b] = (guint8) (padded >> (8 * b));
    g_byte_array_append (out, length_bytes, 8);
    g_byte_array_append (out, (const guint8 *) header, header_length);
    for (guint64 p = header_length; p < padded; p++)
      g_byte_array_append (out, (const guint8 *) " ", 1);
  }
  for (guint t = 0; t < n; t++)
    {
      if (infos[t].kind == NNS_TENSOR_NUM_BATCHES_TRACKED)
        {
          guint64 v = (guint64) *nns_weights_get_layer (weights, infos[t].layer)->num_batches_tracked;

          for (guint b = 0; b < 8; b++)
            length_bytes[b] = (guint8) (v >> (8 * b));
          g_byte_array_append (out, length_bytes, 8);
        }
      else
        {
          guint64 size = 0;
          const float *data = nns_weights_get_tensor (weights, infos[t].layer, infos[t].kind,
                                                      &size);

#if G_BYTE_ORDER == G_LITTLE_ENDIAN
          g_byte_array_append (out, (const guint8 *) data, size * sizeof (float));
          continue;
#endif
          for (guint64 e = 0; e < size; e++)
            {
              guint32 bits;
              guint8 le[4];

              memcpy (&bits, &data[e], 4);
              le[0] = bits, le[1] = bits >> 8, le[2] = bits >> 16, le[3] = bits >> 24;
              g_byte_array_append (out, le, 4);
            }
        }
    }
  nns_tensor_infos_free (infos, n);
  return g_byte_array_free_to_bytes (out);
}

gboolean
nns_safetensors_save (NnsNetwork *network, NnsWeights *weights, const char *path, GError **error)
{
  g_autoptr (GBytes) bytes = NULL;
  gsize length = 0;
  const void *data;

  g_return_val_if_fail (NNS_IS_NETWORK (network), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  bytes = nns_safetensors_write (network, weights);
  data = g_bytes_get_data (bytes, &length);
  return nns_file_write_atomic (path, data, length, error);
}
