/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "nns-pytorch"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "nns-pytorch-private.h"

NnsModule *
_nns_module_new (NnsModuleKind kind, const char *type, guint line)
{
  NnsModule *module = g_new0 (NnsModule, 1);

  module->ref_count = 1;
  module->kind = kind;
  module->type = g_strdup (type);
  module->line = line;
  module->bias = TRUE;
  if (kind == NNS_MODULE_CONTAINER)
    {
      module->children = g_ptr_array_new_with_free_func ((GDestroyNotify) _nns_module_unref);
      module->keys = g_ptr_array_new_with_free_func (g_free);
      module->index = g_hash_table_new (g_str_hash, g_str_equal);
    }
  return module;
}

NnsModule *
_nns_module_ref (NnsModule *module)
{
  module->ref_count++;
  return module;
}

void
_nns_module_unref (NnsModule *module)
{
  if (module == NULL || --module->ref_count > 0)
    return;
  g_free (module->type);
  g_clear_pointer (&module->children, g_ptr_array_unref);
  g_clear_pointer (&module->index, g_hash_table_unref);
  g_clear_pointer (&module->keys, g_ptr_array_unref);
  g_free (module);
}

void
_nns_module_set_child (NnsModule *parent, const char *key, NnsModule *child)
{
  g_return_if_fail (parent->kind == NNS_MODULE_CONTAINER);

  guint at = GPOINTER_TO_UINT (g_hash_table_lookup (parent->index, key));
  char *own;

  if (at > 0)
    {
      _nns_module_unref (g_ptr_array_index (parent->children, at - 1));
      g_ptr_array_index (parent->children, at - 1) = _nns_module_ref (child);
      return;
    }
  own = g_strdup (key);
  g_ptr_array_add (parent->children, _nns_module_ref (child));
  g_ptr_array_add (parent->keys, own);
  /* The table borrows the key the keys array owns. */
  g_hash_table_insert (parent->index, own, GUINT_TO_POINTER (parent->keys->len));
}

NnsModule *
_nns_module_get_child (NnsModule *parent, const char *key)
{
  guint at;

  g_return_val_if_fail (parent->kind == NNS_MODULE_CONTAINER, NULL);

  at = GPOINTER_TO_UINT (g_hash_table_lookup (parent->index, key));
  return at > 0 ? g_ptr_array_index (parent->children, at - 1) : NULL;
}

void
_nns_module_append_child (NnsModule *parent, NnsModule *child)
{
  g_autofree char *key = g_strdup_printf ("%u", parent->children->len);

  _nns_module_set_child (parent, key, child);
}

gboolean
_nns_module_contains (NnsModule *ancestor, NnsModule *module)
{
  if (ancestor == module)
    return TRUE;
  if (ancestor->kind != NNS_MODULE_CONTAINER)
    return FALSE;
  for (guint i = 0; i < ancestor->children->len; i++)
    if (_nns_module_contains (g_ptr_array_index (ancestor->children, i), module))
      return TRUE;
  return FALSE;
}

/* ------------------------------------------------------------------ chain */

typedef struct
{
  GString  *notes;
  GArray   *layers;        /* NnsLayer; names owned */
  guint     input;
  guint     last_line;     /* of the last Linear */
  gboolean  unordered;     /* a container whose order forward() decides was walked */
  gboolean  shared;
  guint     depth;
} Chain;

static NnsLayer *
last_layer (Chain *c)
{
  return c->layers->len > 0 ? &g_array_index (c->layers, NnsLayer, c->layers->len - 1) : NULL;
}

gboolean
_nns_all_digits (const char *text)
{
  if (text == NULL || text[0] == '\0')
    return FALSE;
  for (; *text; text++)
    if (!g_ascii_isdigit (*text))
      return FALSE;
  return TRUE;
}

static gboolean
add_linear (Chain *c, NnsModule *m, const char *key, GError **error)
{
  NnsLayer layer = { 0 };

  if (c->layers->len == 0)
    c->input = m->in_features;
  else if (last_layer (c)->units != m->in_features)
    {
      _nns_pytorch_set_error (error, NNS_PYTORCH_ERROR_MISMATCH, m->line,
                              _("%s expects in_features=%u, got %u"), m->type,
                              last_layer (c)->units, m->in_features);
      return FALSE;
    }
  if (c->layers->len >= NNS_LAYERS_MAX)
    {
      _nns_pytorch_set_error (error, NNS_PYTORCH_ERROR_RANGE, m->line,
                              _("more than %u dense layers (Linear); NN Sketch draws at most %u"),
                              NNS_LAYERS_MAX, NNS_LAYERS_MAX);
      return FALSE;
    }
  layer.units = m->out_features;
  layer.bias = m->bias;
  layer.activation = NNS_ACTIVATION_NONE;
  layer.name = key != NULL && key[0] != '\0' && !_nns_all_digits (key) ? g_strdup (key) : NULL;
  if (m->layer_plus_one != 0)
    {
      /* The same module object again: its parameters are PyTorch's once. */
      layer.shares = m->layer_plus_one;
      if (!c->shared)
        _nns_pytorch_note (c->notes, m->line,
                           _("%s is used more than once; its parameters are counted once, as "
                             "PyTorch counts them"), key != NULL && !_nns_all_digits (key) ? key : m->type);
      c->shared = TRUE;
    }
  else
    m->layer_plus_one = c->layers->len + 1;
  g_array_append_val (c->layers, layer);
  c->last_line = m->line;
  return TRUE;
}

static gboolean
add_activation (Chain *c, NnsModule *m, GError **error)
{
  NnsLayer *layer = last_layer (c);
  const char *label = nns_activation_get_label (m->activation);

  if (m->activation == NNS_ACTIVATION_PRELU)
    {
      if (layer == NULL)
        {
          _nns_pytorch_set_error (error, NNS_PYTORCH_ERROR_MODULE, m->line,
                                  _("PReLU before the first Linear: NN Sketch keeps an "
                                    "activation with its dense layer"));
          return FALSE;
        }
      if (m->prelu_parameters != 1 && m->prelu_parameters != layer->units)
        {
          _nns_pytorch_set_error (error, NNS_PYTORCH_ERROR_MISMATCH, m->line,
                                  _("PReLU num_parameters=%u: must be 1 or the width %u"),
                                  m->prelu_parameters, layer->units);
          return FALSE;
        }
      if (layer->activation != NNS_ACTIVATION_NONE)
        {
          _nns_pytorch_set_error (error, NNS_PYTORCH_ERROR_MODULE, m->line,
                                  _("PReLU after %s: NN Sketch keeps one activation a layer"),
                                  nns_activation_get_label (layer->activation));
          return FALSE;
        }
      layer->activation = NNS_ACTIVATION_PRELU;
      layer->prelu_per_unit = m->prelu_parameters != 1 || layer->units == 1 ? m->prelu_parameters != 1 : FALSE;
      return TRUE;
    }
  if (layer == NULL)
    {
      _nns_pytorch_note (c->notes, m->line,
                         _("%s before the first Linear dropped (an activation belongs after a "
                           "dense layer)"), label);
      return TRUE;
    }
  if (layer->activation != NNS_ACTIVATION_NONE)
    {
      _nns_pytorch_note (c->notes, m->line,
                         _("%s dropped: the Linear on line %u already has %s (one activation "
                           "per layer)"), label, c->last_line,
                         nns_activation_get_label (layer->activation));
      return TRUE;
    }
  layer->activation = m->activation;
  return TRUE;
}

static gboolean
add_norm (Chain *c, NnsModule *m, GError **error)
{
  NnsLayer *layer = last_layer (c);
  gboolean has_parameters = m->norm_affine;

  if (layer == NULL)
    {
      if (!has_parameters)
        {
          _nns_pytorch_note (c->notes, m->line,
                             _("%s before the first Linear skipped (no parameters)"), m->type);
          return TRUE;
        }
      _nns_pytorch_set_error (error, NNS_PYTORCH_ERROR_MODULE, m->line,
                              _("%s before the first Linear: NN Sketch keeps a norm with the "
                                "dense layer before it"), m->type);
      return FALSE;
    }
  if (m->norm_features != layer->units)
    {
      _nns_pytorch_set_error (error, NNS_PYTORCH_ERROR_MISMATCH, m->line,
                              _("%s expects %u features, got %u"), m->type, layer->units,
                              m->norm_features);
      return FALSE;
    }
  if (layer->norm != NNS_NORM_NONE)
    {
      _nns_pytorch_set_error (error, NNS_PYTORCH_ERROR_MODULE, m->line,
                              _("a second norm (%s) after the Linear on line %u: NN Sketch keeps "
                                "one a layer"), m->type, c->last_line);
      return FALSE;
    }
  if (layer->activation != NNS_ACTIVATION_NONE)
    _nns_pytorch_note (c->notes, m->line,
                       _("%s after %s is drawn with its layer; exported code puts it before the "
                         "activation (the count is the same)"), m->type,
                       nns_activation_get_label (layer->activation));
  layer->norm = m->norm;
  layer->norm_affine = m->norm_affine;
  layer->norm_bias = m->norm_affine && m->norm_bias;
  layer->norm_running_stats = m->norm == NNS_NORM_BATCH && m->norm_running_stats;
  return TRUE;
}

static gboolean
walk (Chain *c, NnsModule *m, const char *key, GError **error)
{
  switch (m->kind)
    {
    case NNS_MODULE_LINEAR:
      return add_linear (c, m, key, error);
    case NNS_MODULE_ACTIVATION:
      return add_activation (c, m, error);
    case NNS_MODULE_NORM:
      return add_norm (c, m, error);
    case NNS_MODULE_DROPOUT:
      if (last_layer (c) == NULL)
        _nns_pytorch_note (c->notes, m->line, _("%s before the first Linear skipped (no "
                                                "parameters)"), m->type);
      else if (last_layer (c)->dropout > 0)
        _nns_pytorch_note (c->notes, m->line, _("a second %s after the Linear on line %u "
                                                "skipped (no parameters)"), m->type,
                           c->last_line);
      else
        last_layer (c)->dropout = m->dropout;
      return TRUE;
    case NNS_MODULE_FREE:
      _nns_pytorch_note (c->notes, m->line, _("%s skipped (no parameters)"), m->type);
      return TRUE;
    case NNS_MODULE_CONTAINER:
      if (c->depth >= 64)
        {
          _nns_pytorch_set_error (error, NNS_PYTORCH_ERROR_SYNTAX, m->line,
                                  _("modules nested more than %u deep"), 64);
          return FALSE;
        }
      if (!m->sequential && m->children->len > 1)
        c->unordered = TRUE;
      c->depth++;
      for (guint i = 0; i < m->children->len; i++)
        if (!walk (c, g_ptr_array_index (m->children, i), g_ptr_array_index (m->keys, i), error))
          return FALSE;
      c->depth--;
      return TRUE;
    default:
      g_assert_not_reached ();
    }
}

static void
forget_layers (NnsModule *m)
{
  m->layer_plus_one = 0;
  if (m->kind == NNS_MODULE_CONTAINER)
    for (guint i = 0; i < m->children->len; i++)
      forget_layers (g_ptr_array_index (m->children, i));
}

NnsNetwork *
_nns_module_to_network (NnsModule *root, GString *notes, GError **error)
{
  g_autoptr (NnsNetwork) network = NULL;
  g_autoptr (GArray) widths = NULL;
  Chain c = { 0 };
  gboolean ok;

  c.notes = notes;
  c.layers = g_array_new (FALSE, TRUE, sizeof (NnsLayer));
  forget_layers (root);
  ok = walk (&c, root, NULL, error);
  forget_layers (root);

  if (ok && c.layers->len == 0)
    {
      _nns_pytorch_set_error (error, NNS_PYTORCH_ERROR_NO_LINEAR, root->line,
                              _("%s has no Linear layer; NN Sketch needs at least one nn.Linear"),
                              root->type);
      ok = FALSE;
    }
  if (ok)
    {
      widths = g_array_sized_new (FALSE, FALSE, sizeof (guint), c.layers->len + 1);
      g_array_append_val (widths, c.input);
      for (guint i = 0; i < c.layers->len; i++)
        g_array_append_val (widths, g_array_index (c.layers, NnsLayer, i).units);
      network = nns_network_new ((guint *) widths->data, widths->len, error);
      ok = network != NULL;
    }
  if (ok)
    for (guint i = 0; i < c.layers->len; i++)
      {
        const NnsLayer *layer = &g_array_index (c.layers, NnsLayer, i);
        NnsLayerExtras extras;

        nns_layer_get_extras (layer, &extras);
        nns_network_set_bias (network, i, layer->bias, NULL);
        nns_network_set_activation (network, i, layer->activation, NULL);
        nns_network_set_name (network, i, layer->name, NULL);
        nns_network_set_extras (network, i, &extras, NULL);
        if (layer->shares != 0)
          nns_network_set_shared (network, i, layer->shares - 1, NULL);
      }
  if (ok && c.unordered)
    _nns_pytorch_note (notes, root->line,
                       _("order taken from the module’s definition (registration order, as "
                         "print(model) shows it); forward() is not read"));

  for (guint i = 0; i < c.layers->len; i++)
    g_free (g_array_index (c.layers, NnsLayer, i).name);
  g_array_unref (c.layers);
  return ok ? g_steal_pointer (&network) : NULL;
}
