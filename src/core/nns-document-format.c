/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "nns-document"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nns-escape-private.h"
#include "nns-file.h"
#include "nns-document-format.h"
#include "nns-model-file.h"
#include "nns-safetensors.h"
#include "nns-input-private.h"

G_DEFINE_QUARK (nns-document-error-quark, nns_document_error)

/* Deeper JSON is not a document, and json-glib's parser recurses. */
#define MAX_JSON_DEPTH 64

/* ------------------------------------------------------------------ text checks */

/* FALSE for a NUL or a control character that no text file has. */
static gboolean
looks_binary (const char *data, gsize length)
{
  for (gsize i = 0; i < length; i++)
    {
      guchar c = data[i];

      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v')
        return TRUE;
      if (c == 0x7f)
        return TRUE;
    }
  return FALSE;
}

gboolean
_nns_input_check_text (const char *data, gsize length, GError **error)
{
  const char *end = NULL;

  if (looks_binary (data, length))
    {
      g_set_error_literal (error, NNS_DOCUMENT_ERROR, NNS_DOCUMENT_ERROR_NOT_TEXT,
                           _("not a .nnsketch document or PyTorch text (it holds binary data)"));
      return FALSE;
    }
  if (!g_utf8_validate (data, length, &end))
    {
      guint line = 1;

      for (const char *p = data; p < end; p++)
        line += *p == '\n';
      g_set_error (error, NNS_DOCUMENT_ERROR, NNS_DOCUMENT_ERROR_NOT_TEXT,
                   _("line %u: not valid UTF-8 text (byte %lu)"), line,
                   (gulong) (end - data) + 1);
      return FALSE;
    }
  return TRUE;
}

/* Skips a UTF-8 byte order mark and reports whether anything but blank space is left. */
const char *
_nns_input_skip_bom_and_space (const char *data, gsize length, gsize *rest)
{
  gsize i = 0;

  if (length >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    i = 3;
  while (i < length && g_ascii_isspace (data[i]))
    i++;
  *rest = length - i;
  return data + i;
}

/* ------------------------------------------------------------------ loading */

/* Copies the JSON text for json-glib with two fixes: integers too long for
 * 64 bits get a ".0" (json-glib wraps them around silently: 2^64 reads as -1),
 * and nesting deeper than MAX_JSON_DEPTH is refused (the parser recurses). */
static char *
prepare_json (const char *data, gsize length, GError **error)
{
  GString *out = g_string_sized_new (length + 16);
  gboolean in_string = FALSE;
  guint depth = 0, line = 1;
  gsize i = 0;

  while (i < length)
    {
      char c = data[i];

      if (in_string)
        {
          g_string_append_c (out, c);
          if (c == '\\' && i + 1 < length)
            g_string_append_c (out, data[++i]);
          else if (c == '"')
            in_string = FALSE;
          else if (c == '\n')
            line++;
          i++;
          continue;
        }
      if (c == '"')
        in_string = TRUE;
      else if (c == '\n')
        line++;
      else if (c == '[' || c == '{')
        {
          if (++depth > MAX_JSON_DEPTH)
            {
              g_set_error (error, NNS_DOCUMENT_ERROR, NNS_DOCUMENT_ERROR_NOT_JSON,
                           _("not JSON: line %u: nested deeper than %u levels"), line,
                           MAX_JSON_DEPTH);
              g_string_free (out, TRUE);
              return NULL;
            }
        }
      else if (c == ']' || c == '}')
        depth = depth > 0 ? depth - 1 : 0;
      else if ((g_ascii_isdigit (c) || c == '-') &&
               (i == 0 || !(g_ascii_isalnum (data[i - 1]) || data[i - 1] == '.' ||
                            data[i - 1] == '-' || data[i - 1] == '+')))
        {
          /* A whole JSON number: -?digits(.digits)?([eE][+-]?digits)? */
          gsize start = i, digits = 0;
          gboolean whole = TRUE;

          if (data[i] == '-')
            i++;
          while (i < length && g_ascii_isdigit (data[i]))
            i++, digits++;
          if (i < length && data[i] == '.')
            {
              whole = FALSE;
              for (i++; i < length && g_ascii_isdigit (data[i]); i++)
                ;
            }
          if (i < length && (data[i] == 'e' || data[i] == 'E'))
            {
              whole = FALSE;
              i++;
              if (i < length && (data[i] == '+' || data[i] == '-'))
                i++;
              while (i < length && g_ascii_isdigit (data[i]))
                i++;
            }
          g_string_append_len (out, data + start, i - start);
          if (whole && digits >= 19)
            g_string_append (out, ".0");
          continue;
        }
      g_string_append_c (out, c);
      i++;
    }
  return g_string_free (out, FALSE);
}

/* "<data>:3:14: Parse error: unexpected …" → "not JSON: line 3, column 14: unexpected …" */
static void
set_json_error (GError **error, const char *raw_message)
{
  /* json-glib quotes the offending text, which may be a broken \u escape. */
  g_autofree char *message = g_utf8_make_valid (raw_message, -1);
  guint line = 0, column = 0;
  int consumed = 0;

  if (g_str_has_prefix (message, "<data>:") &&
      sscanf (message + 7, "%u:%u: %n", &line, &column, &consumed) == 2 && consumed > 0)
    {
      const char *rest = message + 7 + consumed;

      if (g_str_has_prefix (rest, "Parse error: "))
        rest += strlen ("Parse error: ");
      g_set_error (error, NNS_DOCUMENT_ERROR, NNS_DOCUMENT_ERROR_NOT_JSON,
                   _("not JSON: line %u, column %u: %s"), line, column, rest);
      return;
    }
  g_set_error (error, NNS_DOCUMENT_ERROR, NNS_DOCUMENT_ERROR_NOT_JSON, _("not JSON: %s"), message);
}

static const char *
describe_node (JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      return _("an object");
    case JSON_NODE_ARRAY:
      return _("an array");
    case JSON_NODE_NULL:
      return _("null");
    case JSON_NODE_VALUE:
    default:
      break;
    }
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return _("a string");
    case G_TYPE_BOOLEAN:
      return _("a boolean");
    case G_TYPE_INT64:
    case G_TYPE_DOUBLE:
      return _("a number");
    default:
      return _("a value");
    }
}

static gboolean
invalid (GError **error, const char *path, const char *format, ...) G_GNUC_PRINTF (3, 4);

static gboolean
invalid (GError **error, const char *path, const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, NNS_DOCUMENT_ERROR, NNS_DOCUMENT_ERROR_INVALID, "%s: %s", path, message);
  return FALSE;
}

static gboolean
missing (GError **error, const char *path)
{
  g_set_error (error, NNS_DOCUMENT_ERROR, NNS_DOCUMENT_ERROR_INVALID, _("%s is missing"), path);
  return FALSE;
}

static gboolean
wrong_type (GError **error, const char *path, const char *expected, JsonNode *node)
{
  return invalid (error, path, _("expected %s, got %s"), expected, describe_node (node));
}

static gboolean
is_number (JsonNode *node)
{
  GType type;

  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  return type == G_TYPE_INT64 || type == G_TYPE_DOUBLE;
}

/* The number as written, near enough: 18, 1.5, 1e+300, 18446744073709551616. */
static char *
format_number (double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (value == floor (value) && fabs (value) < 1e21)
    return g_strdup_printf ("%.0f", value);
  return g_strdup (g_ascii_formatd (buf, sizeof buf, "%g", value));
}

/* A whole number in lo … hi; errors name the path and the value. */
/* Numbers go into messages as text, so translatable strings stay plain %s. */
static char *
int_text (gint64 value)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, value);
}

static gboolean
get_whole (JsonNode *node, const char *path, gint64 lo, gint64 hi, gint64 *out, GError **error)
{
  if (!is_number (node))
    return wrong_type (error, path, _("a whole number"), node);

  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    {
      double value = json_node_get_double (node);
      g_autofree char *text = NULL;

      if (!isfinite (value))
        return invalid (error, path, _("the number is too large"));
      text = format_number (value);
      if (value != floor (value))
        return invalid (error, path, _("%s is not a whole number"), text);
      if (value < (double) lo)
        {
          g_autofree char *bound = int_text (lo);

          return invalid (error, path, _("%s is below %s"), text, bound);
        }
      /* (double) G_MAXINT64 rounds up to 2^63, which no gint64 holds. */
      if (value > (double) hi || value >= 9223372036854775808.0)
        {
          g_autofree char *bound = int_text (hi);

          return invalid (error, path, _("%s is above %s"), text, bound);
        }
      *out = (gint64) value;
      return TRUE;
    }

  *out = json_node_get_int (node);
  if (*out < lo || *out > hi)
    {
      g_autofree char *text = int_text (*out);
      g_autofree char *bound = int_text (*out < lo ? lo : hi);

      if (*out < lo)
        return invalid (error, path, _("%s is below %s"), text, bound);
      return invalid (error, path, _("%s is above %s"), text, bound);
    }
  return TRUE;
}

static gboolean
get_bool (JsonNode *node, const char *path, gboolean *out, GError **error)
{
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return wrong_type (error, path, _("true or false"), node);
  *out = json_node_get_boolean (node);
  return TRUE;
}

static const char *
get_string (JsonNode *node, const char *path, GError **error)
{
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      wrong_type (error, path, _("a string"), node);
      return NULL;
    }
  /* json-glib lets "\ud800" through. */
  if (!g_utf8_validate (json_node_get_string (node), -1, NULL))
    {
      invalid (error, path, _("not valid UTF-8 text (a broken \\u escape?)"));
      return NULL;
    }
  return json_node_get_string (node);
}

static char *
list_activations (void)
{
  GString *known = g_string_new (NULL);

  for (guint i = 0; i < NNS_N_ACTIVATIONS; i++)
    g_string_append_printf (known, "%s%s", i ? ", " : "", nns_activation_get_id (i));
  return g_string_free (known, FALSE);
}

/* Optional members (version 2): "norm", "prelu_per_unit", "dropout", "shares". */
static gboolean
load_layer_extras (JsonObject *object, const char *path, NnsLayer *layer, GError **error)
{
  JsonNode *member = json_object_get_member (object, "norm");

  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      g_autofree char *norm_path = g_strconcat (path, ".norm", NULL);
      g_autofree char *kind_path = g_strconcat (norm_path, ".kind", NULL);
      JsonObject *norm;
      JsonNode *kind;
      const char *id;
      static const struct { const char *key; gsize offset; } flags[] = {
        { "affine", G_STRUCT_OFFSET (NnsLayer, norm_affine) },
        { "bias", G_STRUCT_OFFSET (NnsLayer, norm_bias) },
        { "running_stats", G_STRUCT_OFFSET (NnsLayer, norm_running_stats) },
      };

      if (!JSON_NODE_HOLDS_OBJECT (member))
        return wrong_type (error, norm_path, _("an object"), member);
      norm = json_node_get_object (member);
      kind = json_object_get_member (norm, "kind");
      if (kind == NULL)
        return missing (error, kind_path);
      if ((id = get_string (kind, kind_path, error)) == NULL)
        return FALSE;
      if (!nns_norm_from_string (id, &layer->norm) || layer->norm == NNS_NORM_NONE)
        return invalid (error, kind_path, _("unknown norm “%s”; known: batch, layer"), id);
      for (guint k = 0; k < G_N_ELEMENTS (flags); k++)
        {
          JsonNode *flag = json_object_get_member (norm, flags[k].key);
          gboolean *out = G_STRUCT_MEMBER_P (layer, flags[k].offset);

          *out = TRUE;
          if (flag != NULL)
            {
              g_autofree char *flag_path = g_strconcat (norm_path, ".", flags[k].key, NULL);

              if (!get_bool (flag, flag_path, out, error))
                return FALSE;
            }
        }
    }

  member = json_object_get_member (object, "prelu_per_unit");
  if (member != NULL)
    {
      g_autofree char *prelu_path = g_strconcat (path, ".prelu_per_unit", NULL);

      if (!get_bool (member, prelu_path, &layer->prelu_per_unit, error))
        return FALSE;
    }

  member = json_object_get_member (object, "dropout");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      g_autofree char *dropout_path = g_strconcat (path, ".dropout", NULL);
      double p;

      if (!is_number (member))
        return wrong_type (error, dropout_path, _("a number"), member);
      p = json_node_get_double (member);
      if (!(p >= 0.0 && p < 1.0))
        {
          g_autofree char *text = format_number (p);

          return invalid (error, dropout_path, _("%s is outside 0 … 1"), text);
        }
      layer->dropout = p;
    }

  member = json_object_get_member (object, "shares");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      g_autofree char *shares_path = g_strconcat (path, ".shares", NULL);
      gint64 shares;

      if (!get_whole (member, shares_path, 1, NNS_LAYERS_MAX, &shares, error))
        return FALSE;
      layer->shares = shares;
    }
  return TRUE;
}

static gboolean
load_layer (JsonNode *node, guint index, NnsLayer *layer, GError **error)
{
  g_autofree char *path = g_strdup_printf ("network.layers[%u]", index);
  g_autofree char *units_path = g_strconcat (path, ".units", NULL);
  JsonObject *object;
  JsonNode *member;
  gint64 units;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return wrong_type (error, path, _("an object"), node);
  object = json_node_get_object (node);

  member = json_object_get_member (object, "units");
  if (member == NULL)
    return missing (error, units_path);
  if (!get_whole (member, units_path, NNS_UNITS_MIN, NNS_UNITS_MAX, &units, error))
    return FALSE;
  layer->units = units;

  member = json_object_get_member (object, "bias");
  layer->bias = TRUE;
  if (member != NULL)
    {
      g_autofree char *bias_path = g_strconcat (path, ".bias", NULL);

      if (!get_bool (member, bias_path, &layer->bias, error))
        return FALSE;
    }

  member = json_object_get_member (object, "activation");
  layer->activation = NNS_ACTIVATION_NONE;
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      g_autofree char *act_path = g_strconcat (path, ".activation", NULL);
      const char *id = get_string (member, act_path, error);

      if (id == NULL)
        return FALSE;
      if (!nns_activation_from_string (id, &layer->activation))
        {
          g_autofree char *known = list_activations ();

          return invalid (error, act_path, _("unknown activation “%s”; known: %s"), id, known);
        }
    }

  member = json_object_get_member (object, "name");
  layer->name = NULL;
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      g_autofree char *name_path = g_strconcat (path, ".name", NULL);
      const char *name = get_string (member, name_path, error);

      if (name == NULL)
        return FALSE;
      if (name[0] != '\0')
        layer->name = g_strdup (name);
    }
  return load_layer_extras (object, path, layer, error);
}

static gboolean
load_input_shape (JsonNode *node, NnsNetwork *network, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  NnsInputShape shape = { 0 };
  JsonArray *array;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return wrong_type (error, "network.input_shape", _("an array"), node);
  array = json_node_get_array (node);
  shape.n_dims = json_array_get_length (array);
  if (shape.n_dims < 2 || shape.n_dims > NNS_INPUT_SHAPE_MAX_DIMS)
    return invalid (error, "network.input_shape",
                    _("give 2 or 3 sizes ([H, W] or [C, H, W]), not %u"), shape.n_dims);
  for (guint d = 0; d < shape.n_dims; d++)
    {
      g_autofree char *path = g_strdup_printf ("network.input_shape[%u]", d);
      gint64 size;

      if (!get_whole (json_array_get_element (array, d), path, NNS_UNITS_MIN, NNS_UNITS_MAX,
                      &size, error))
        return FALSE;
      shape.dims[d] = (guint) size;
    }
  if (!nns_network_set_input_shape (network, &shape, &local_error))
    return invalid (error, "network.input_shape", "%s", local_error->message);
  return TRUE;
}

static NnsNetwork *
load_network (JsonNode *node, GError **error)
{
  g_autoptr (NnsNetwork) network = NULL;
  JsonObject *object;
  JsonNode *member;
  JsonArray *layers;
  gint64 input;
  guint n_layers;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      wrong_type (error, "network", _("an object"), node);
      return NULL;
    }
  object = json_node_get_object (node);

  member = json_object_get_member (object, "input");
  if (member == NULL)
    {
      missing (error, "network.input");
      return NULL;
    }
  if (!get_whole (member, "network.input", NNS_UNITS_MIN, NNS_UNITS_MAX, &input, error))
    return NULL;

  member = json_object_get_member (object, "layers");
  if (member == NULL)
    {
      missing (error, "network.layers");
      return NULL;
    }
  if (!JSON_NODE_HOLDS_ARRAY (member))
    {
      wrong_type (error, "network.layers", _("an array"), member);
      return NULL;
    }
  layers = json_node_get_array (member);
  n_layers = json_array_get_length (layers);
  if (n_layers < NNS_LAYERS_MIN)
    {
      invalid (error, "network.layers", _("is empty; a network needs at least one dense layer"));
      return NULL;
    }
  if (n_layers > NNS_LAYERS_MAX)
    {
      invalid (error, "network.layers", _("%u layers is more than %u"), n_layers, NNS_LAYERS_MAX);
      return NULL;
    }

  /* Build with the widths, then set the rest: the network checks nothing twice. */
  {
    guint widths[1 + NNS_LAYERS_MAX];
    g_autoptr (GArray) parsed = g_array_new (FALSE, TRUE, sizeof (NnsLayer));

    widths[0] = input;
    for (guint i = 0; i < n_layers; i++)
      {
        NnsLayer layer = { 0 };

        if (!load_layer (json_array_get_element (layers, i), i, &layer, error))
          {
            for (guint j = 0; j < parsed->len; j++)
              g_free (g_array_index (parsed, NnsLayer, j).name);
            return NULL;
          }
        g_array_append_val (parsed, layer);
        widths[i + 1] = layer.units;
      }
    network = nns_network_new (widths, n_layers + 1, error);
    for (guint i = 0; i < parsed->len; i++)
      {
        NnsLayer *layer = &g_array_index (parsed, NnsLayer, i);

        if (network != NULL)
          {
            NnsLayerExtras extras;

            nns_layer_get_extras (layer, &extras);
            nns_network_set_bias (network, i, layer->bias, NULL);
            nns_network_set_activation (network, i, layer->activation, NULL);
            nns_network_set_name (network, i, layer->name, NULL);
            nns_network_set_extras (network, i, &extras, NULL);
          }
      }
    /* Version 2: the input column's own label. */
    member = json_object_get_member (object, "input_name");
    if (network != NULL && member != NULL && !JSON_NODE_HOLDS_NULL (member))
      {
        const char *name = get_string (member, "network.input_name", error);

        if (name == NULL)
          g_clear_object (&network);
        else
          nns_network_set_input_name (network, name);
      }
    /* Version 2: the input's shape, [C, H, W] or [H, W]. */
    member = json_object_get_member (object, "input_shape");
    if (network != NULL && member != NULL && !JSON_NODE_HOLDS_NULL (member)
        && !load_input_shape (member, network, error))
      g_clear_object (&network);
    /* Sharing is checked once every layer has its width and bias. */
    for (guint i = 0; i < parsed->len && network != NULL; i++)
      {
        NnsLayer *layer = &g_array_index (parsed, NnsLayer, i);

        if (layer->shares != 0 &&
            !nns_network_set_shared (network, i, layer->shares - 1, NULL))
          {
            g_autofree char *path = g_strdup_printf ("network.layers[%u].shares", i);
            g_autofree char *number = int_text (layer->shares);

            invalid (error, path, _("layer %s has another width or bias, or comes later"),
                     number);
            g_clear_object (&network);
          }
      }
    for (guint i = 0; i < parsed->len; i++)
      g_free (g_array_index (parsed, NnsLayer, i).name);
  }
  return g_steal_pointer (&network);
}

/* Style members: a number (clamped later), a boolean, a colour, an enum. */
/* The style's members are the options of nns-style.h's table that have a
 * json_key. */

#define STYLE_AT(style, offset, type) ((type *) (((char *) (style)) + (offset)))

static gboolean
load_enum (JsonNode *node, const char *path, const NnsStyleOption *option, NnsStyle *style,
           GError **error)
{
  const char *text = get_string (node, path, error);
  int value;

  if (text == NULL)
    return FALSE;
  value = nns_style_option_find_id (option, text);
  if (value < 0)
    {
      g_autofree char *known = g_strjoinv (", ", (char **) option->ids);

      return invalid (error, path, _("unknown value “%s”; known: %s"), text, known);
    }
  nns_style_option_set_enum (option, style, value);
  return TRUE;
}

static gboolean
load_style_field (const NnsStyleOption *field, JsonNode *node, NnsStyle *style, GError **error)
{
  g_autofree char *path = g_strconcat ("style.", field->json_key, NULL);

  switch (field->type)
    {
    case NNS_STYLE_DOUBLE:
      if (!is_number (node))
        return wrong_type (error, path, _("a number"), node);
      *STYLE_AT (style, field->offset, double) = json_node_get_double (node);
      return TRUE;
    case NNS_STYLE_UINT:
      {
        double v;

        if (!is_number (node))
          return wrong_type (error, path, _("a whole number"), node);
        v = json_node_get_value_type (node) == G_TYPE_INT64 ? (double) json_node_get_int (node)
                                                            : json_node_get_double (node);
        if (v != floor (v) && isfinite (v))
          {
            g_autofree char *text = format_number (v);

            return invalid (error, path, _("%s is not a whole number"), text);
          }
        /* Clamp to guint32 here; nns_style_clamp narrows it further. */
        *STYLE_AT (style, field->offset, guint) = isnan (v) ? 0 : (guint) CLAMP (v, 0, G_MAXUINT32);
        return TRUE;
      }
    case NNS_STYLE_BOOL:
      return get_bool (node, path, STYLE_AT (style, field->offset, gboolean), error);
    case NNS_STYLE_COLOR:
      {
        const char *text;

        if (JSON_NODE_HOLDS_NULL (node))
          {
            *STYLE_AT (style, field->set_offset, gboolean) = FALSE;
            return TRUE;
          }
        text = get_string (node, path, error);
        if (text == NULL)
          return FALSE;
        if (!nns_color_parse (text, STYLE_AT (style, field->offset, NnsColor)))
          return invalid (error, path, _("“%s” is not a colour like #rrggbb or #rrggbbaa"), text);
        *STYLE_AT (style, field->set_offset, gboolean) = TRUE;
        return TRUE;
      }
    case NNS_STYLE_ENUM:
      return load_enum (node, path, field, style, error);
    default:
      g_assert_not_reached ();
    }
}

static gboolean
load_style (JsonNode *node, NnsStyle *style, GError **error)
{
  const NnsStyleOption *options;
  guint n_options;
  JsonObject *object;

  nns_style_init_default (style);
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return wrong_type (error, "style", _("an object"), node);
  object = json_node_get_object (node);

  /* Unknown members are ignored: a newer NN Sketch may add some. So is the
   * "theme" older versions wrote: it is a render option, not the document's. */
  options = nns_style_get_options (&n_options);
  for (guint i = 0; i < n_options; i++)
    {
      JsonNode *member;

      if (options[i].json_key == NULL)
        continue;
      member = json_object_get_member (object, options[i].json_key);
      if (member != NULL && !load_style_field (&options[i], member, style, error))
        return FALSE;
    }
  nns_style_clamp (style);
  return TRUE;
}

NnsNetwork *
nns_document_load_data (const char *data, gssize length, NnsStyle *style_out, GError **error)
{
  return nns_document_load_data_with_weights (data, length, style_out, NULL, error);
}

/* The "weights" member: a whole safetensors file in base64, for network. */
static NnsWeights *
load_weights (JsonNode *node, NnsNetwork *network, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autoptr (NnsModelFile) file = NULL;
  g_autofree guchar *bytes = NULL;
  const char *text;
  gsize length = 0;
  NnsWeights *weights;

  if (!JSON_NODE_HOLDS_OBJECT (node) ||
      g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (node),
                                                             "format", NULL), "safetensors") != 0 ||
      (text = json_object_get_string_member_with_default (json_node_get_object (node), "base64",
                                                          NULL)) == NULL)
    {
      g_set_error_literal (error, NNS_DOCUMENT_ERROR, NNS_DOCUMENT_ERROR_INVALID,
                           _("weights: expected {\"format\": \"safetensors\", \"base64\": …}"));
      return NULL;
    }
  for (const char *p = text; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '+' && *p != '/' && *p != '=')
      {
        g_set_error_literal (error, NNS_DOCUMENT_ERROR, NNS_DOCUMENT_ERROR_INVALID,
                             _("weights.base64: not base64"));
        return NULL;
      }
  bytes = g_base64_decode (text, &length);
  file = nns_model_file_load (bytes, length, &local_error);
  weights = file != NULL ? nns_model_file_weights_for (file, network, &local_error) : NULL;
  if (weights == NULL)
    g_set_error (error, NNS_DOCUMENT_ERROR, NNS_DOCUMENT_ERROR_INVALID, "weights: %s",
                 local_error->message);
  return weights;
}

NnsNetwork *
nns_document_load_data_with_weights (const char *data, gssize length, NnsStyle *style_out,
                                     NnsWeights **weights_out, GError **error)
{
  g_autoptr (JsonParser) parser = NULL;
  g_autoptr (GError) local_error = NULL;
  g_autoptr (NnsNetwork) network = NULL;
  g_autofree char *json = NULL;
  JsonObject *root;
  JsonNode *member;
  NnsStyle style;
  gsize rest;
  gint64 version;
  const char *format;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (length < 0)
    length = strlen (data);
  _nns_input_skip_bom_and_space (data, length, &rest);
  if (rest == 0)
    {
      g_set_error_literal (error, NNS_DOCUMENT_ERROR, NNS_DOCUMENT_ERROR_EMPTY,
                           _("the file is empty"));
      return NULL;
    }
  if (!_nns_input_check_text (data, length, error))
    return NULL;
  /* json-glib does not skip a byte order mark. */
  if (length >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    data += 3, length -= 3;

  json = prepare_json (data, length, error);
  if (json == NULL)
    return NULL;
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, json, -1, &local_error))
    {
      set_json_error (error, local_error->message);
      return NULL;
    }
  /* json-glib skips a byte order mark, and then may find nothing at all. */
  if (json_parser_get_root (parser) == NULL)
    {
      g_set_error_literal (error, NNS_DOCUMENT_ERROR, NNS_DOCUMENT_ERROR_NOT_JSON,
                           _("not JSON: there is no value in it"));
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, NNS_DOCUMENT_ERROR, NNS_DOCUMENT_ERROR_FORMAT,
                   _("not a .nnsketch document: expected a JSON object, got %s"),
                   describe_node (json_parser_get_root (parser)));
      return NULL;
    }
  root = json_node_get_object (json_parser_get_root (parser));

  member = json_object_get_member (root, "format");
  if (member == NULL)
    {
      g_set_error_literal (error, NNS_DOCUMENT_ERROR, NNS_DOCUMENT_ERROR_FORMAT,
                           _("format is missing: expected “nnsketch”"));
      return NULL;
    }
  format = JSON_NODE_HOLDS_VALUE (member) && json_node_get_value_type (member) == G_TYPE_STRING
           ? json_node_get_string (member) : NULL;
  if (g_strcmp0 (format, "nnsketch") != 0)
    {
      g_set_error_literal (error, NNS_DOCUMENT_ERROR, NNS_DOCUMENT_ERROR_FORMAT,
                           _("format: expected “nnsketch”"));
      return NULL;
    }

  member = json_object_get_member (root, "version");
  if (member == NULL)
    {
      missing (error, "version");
      return NULL;
    }
  if (!get_whole (member, "version", 1, G_MAXINT64, &version, error))
    return NULL;
  if (version > NNS_DOCUMENT_VERSION)
    {
      g_autofree char *version_text = int_text (version);

      g_set_error (error, NNS_DOCUMENT_ERROR, NNS_DOCUMENT_ERROR_VERSION,
                   _("version %s is newer than this NN Sketch reads (%d)"),
                   version_text, NNS_DOCUMENT_VERSION);
      return NULL;
    }

  member = json_object_get_member (root, "network");
  if (member == NULL)
    {
      missing (error, "network");
      return NULL;
    }
  network = load_network (member, error);
  if (network == NULL)
    return NULL;

  if (!load_style (json_object_get_member (root, "style"), &style, error))
    return NULL;
  {
    NnsWeights *weights = NULL;

    member = json_object_get_member (root, "weights");
    if (member != NULL && (weights = load_weights (member, network, error)) == NULL)
      return NULL;
    if (weights_out != NULL)
      *weights_out = weights;
    else if (weights != NULL)
      nns_weights_unref (weights);
  }
  if (style_out != NULL)
    *style_out = style;
  return g_steal_pointer (&network);
}

/* ------------------------------------------------------------------ saving */

/* Written by hand rather than with JsonGenerator, which prints every double
 * with 17 digits (0.8 as 0.80000000000000004). */

static void
append_json_string (GString *out, const char *text)
{
  _nns_string_append_quoted (out, text, "\\u%04x");
}

/* The shortest text that reads back as exactly value. */
static void
append_json_double (GString *out, double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    value = 0;
  for (int digits = 6; digits <= 17; digits++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", digits);
      g_ascii_formatd (buf, sizeof buf, format, value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }
  g_string_append (out, buf);
}

char *
nns_document_to_data (NnsNetwork *network, const NnsStyle *style)
{
  return nns_document_to_data_with_weights (network, NULL, style);
}

char *
nns_document_to_data_with_weights (NnsNetwork *network, NnsWeights *weights,
                                   const NnsStyle *style)
{
  const NnsStyleOption *options;
  guint n_options;
  gboolean first = TRUE;
  GString *out;
  NnsStyle defaults;
  NnsInputShape shape;
  int version = 1;

  g_return_val_if_fail (NNS_IS_NETWORK (network), NULL);

  if (style == NULL)
    {
      nns_style_init_default (&defaults);
      style = &defaults;
    }

  /* A network without extras stays a version 1 file, which older releases read. */
  for (guint i = 0; i < nns_network_get_n_layers (network); i++)
    {
      const NnsLayer *layer = nns_network_get_layer (network, i);

      if (layer->norm != NNS_NORM_NONE || layer->activation == NNS_ACTIVATION_PRELU ||
          layer->dropout > 0 || layer->shares != 0)
        version = 2;
    }
  nns_network_get_input_shape (network, &shape);
  if (nns_network_get_input_name (network) != NULL || shape.n_dims > 0)
    version = 2;
  /* Weights: version 3, which older releases refuse rather than drop them. */
  if (weights != NULL)
    version = 3;
  out = g_string_new ("{\n");
  g_string_append_printf (out, "  \"format\": \"nnsketch\",\n  \"version\": %d,\n", version);
  g_string_append_printf (out, "  \"network\": {\n    \"input\": %u,\n",
                          nns_network_get_input (network));
  if (nns_network_get_input_name (network) != NULL)
    {
      g_string_append (out, "    \"input_name\": ");
      append_json_string (out, nns_network_get_input_name (network));
      g_string_append (out, ",\n");
    }
  if (shape.n_dims > 0)
    {
      g_string_append (out, "    \"input_shape\": [");
      for (guint d = 0; d < shape.n_dims; d++)
        g_string_append_printf (out, "%s%u", d > 0 ? ", " : "", shape.dims[d]);
      g_string_append (out, "],\n");
    }
  g_string_append (out, "    \"layers\": [\n");
  for (guint i = 0; i < nns_network_get_n_layers (network); i++)
    {
      const NnsLayer *layer = nns_network_get_layer (network, i);

      g_string_append_printf (out, "      { \"units\": %u, \"bias\": %s, \"activation\": \"%s\", "
                              "\"name\": ", layer->units, layer->bias ? "true" : "false",
                              nns_activation_get_id (layer->activation));
      if (layer->name != NULL)
        append_json_string (out, layer->name);
      else
        g_string_append (out, "null");
      if (layer->norm != NNS_NORM_NONE)
        g_string_append_printf (out, ", \"norm\": { \"kind\": \"%s\", \"affine\": %s, "
                                "\"bias\": %s, \"running_stats\": %s }",
                                nns_norm_get_id (layer->norm),
                                layer->norm_affine ? "true" : "false",
                                layer->norm_bias ? "true" : "false",
                                layer->norm_running_stats ? "true" : "false");
      if (layer->activation == NNS_ACTIVATION_PRELU)
        g_string_append_printf (out, ", \"prelu_per_unit\": %s",
                                layer->prelu_per_unit ? "true" : "false");
      if (layer->dropout > 0)
        {
          char buffer[G_ASCII_DTOSTR_BUF_SIZE];

          g_string_append_printf (out, ", \"dropout\": %s",
                                  g_ascii_dtostr (buffer, sizeof buffer, layer->dropout));
        }
      if (layer->shares != 0)
        g_string_append_printf (out, ", \"shares\": %u", layer->shares);
      g_string_append (out, i + 1 < nns_network_get_n_layers (network) ? " },\n" : " }\n");
    }
  g_string_append (out, "    ]\n  },\n");
  if (weights != NULL)
    {
      g_autoptr (GBytes) bytes = nns_safetensors_write (network, weights);
      gsize length = 0;
      const guchar *data = g_bytes_get_data (bytes, &length);
      g_autofree char *text = g_base64_encode (data, length);

      g_string_append (out, "  \"weights\": {\n    \"format\": \"safetensors\",\n"
                            "    \"base64\": \"");
      g_string_append (out, text);
      g_string_append (out, "\"\n  },\n");
    }
  g_string_append (out, "  \"style\": {\n");

  options = nns_style_get_options (&n_options);
  for (guint i = 0; i < n_options; i++)
    {
      const NnsStyleOption *field = &options[i];

      if (field->json_key == NULL)
        continue;
      g_string_append_printf (out, "%s    \"%s\": ", first ? "" : ",\n", field->json_key);
      first = FALSE;
      switch (field->type)
        {
        case NNS_STYLE_DOUBLE:
          append_json_double (out, *STYLE_AT (style, field->offset, double));
          break;
        case NNS_STYLE_UINT:
          g_string_append_printf (out, "%u", *STYLE_AT (style, field->offset, guint));
          break;
        case NNS_STYLE_BOOL:
          g_string_append (out, *STYLE_AT (style, field->offset, gboolean) ? "true" : "false");
          break;
        case NNS_STYLE_COLOR:
          if (*STYLE_AT (style, field->set_offset, gboolean))
            {
              g_autofree char *color = nns_color_to_string (STYLE_AT (style, field->offset,
                                                                      NnsColor));
              append_json_string (out, color);
            }
          else
            g_string_append (out, "null");
          break;
        case NNS_STYLE_ENUM:
          append_json_string (out, field->ids[nns_style_option_get_enum (field, style)]);
          break;
        default:
          g_assert_not_reached ();
        }
    }
  g_string_append (out, "\n");
  g_string_append (out, "  }\n}\n");
  return g_string_free (out, FALSE);
}

gboolean
nns_document_save (NnsNetwork *network, const NnsStyle *style, const char *path, GError **error)
{
  g_autofree char *data = NULL;

  g_return_val_if_fail (NNS_IS_NETWORK (network), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  data = nns_document_to_data (network, style);
  return nns_file_write_atomic (path, data, strlen (data), error);
}
