/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "nns-document"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "nns-document.h"
#include "nns-gobject-private.h"
#include "nns-file.h"

struct _NnsDocument
{
  GObject       parent_instance;

  NnsNetwork   *network;
  NnsStyle      defaults;      /* the layer below: built-in defaults < the user's */
  NnsStyle      own;           /* the document's own options, those in own_mask */
  NnsStyleMask  own_mask;
  NnsStyle      style;         /* resolved: defaults overlaid with own */
  char         *path;
  NnsHistory   *history;
  NnsWeights   *weights;       /* frozen; always fits the network */
  guint32       seed;          /* of the initial weights */
  gboolean      restoring;     /* the model is being replaced: not an edit */
  guint         group_depth;
};

G_DEFINE_FINAL_TYPE (NnsDocument, nns_document, G_TYPE_OBJECT)

enum { PROP_0, PROP_PATH, PROP_MODIFIED, PROP_CAN_UNDO, PROP_CAN_REDO, N_PROPS };
static GParamSpec *properties[N_PROPS];

enum { STYLE_CHANGED, WEIGHTS_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* The options a document stores (the theme is no document's). */
static NnsStyleMask
document_mask (void)
{
  const NnsStyleOption *options;
  NnsStyleMask mask = 0;
  guint n;

  options = nns_style_get_options (&n);
  for (guint i = 0; i < n; i++)
    if (options[i].json_key != NULL)
      mask |= NNS_STYLE_OPTION_BIT (i);
  return mask;
}

/* Recomputes the resolved style; emits "style-changed" if it changed. */
static void
resolve (NnsDocument *self)
{
  NnsStyle style = self->defaults;

  nns_style_overlay (&style, &self->own, self->own_mask);
  if (nns_style_equal (&style, &self->style))
    return;
  self->style = style;
  g_signal_emit (self, signals[STYLE_CHANGED], 0);
}

static void
record (NnsDocument *self, const char *key)
{
  if (self->restoring)
    return;
  /* A drag is one step however many values it passes. */
  nns_history_push_weights (self->history, self->network, self->weights, &self->own,
                            self->own_mask, self->group_depth == 0 ? key : NULL);
}

/* Takes weights (frozen here) as the document's; emits "weights-changed". */
static void
take_weights (NnsDocument *self, NnsWeights *weights)
{
  nns_weights_freeze (weights);
  /* An edit that changed no tensor (a name) keeps the same object. */
  if (self->weights == weights || nns_weights_equal (self->weights, weights))
    {
      nns_weights_unref (weights);
      return;
    }
  g_clear_pointer (&self->weights, nns_weights_unref);
  self->weights = weights;
  g_signal_emit (self, signals[WEIGHTS_CHANGED], 0);
}

static void
on_network_changed (NnsDocument *self, const NnsChange *change, NnsNetwork *network)
{
  g_autofree char *key = NULL;

  /* The weights follow the edit: tensors whose shape did not change keep
   * their values, the others start again (also while restoring, so that the
   * weights always fit the network; undo then puts its own back). */
  {
    g_autofree int *map = nns_weights_map_change (change, nns_network_get_n_layers (network));

    if (change->kind != NNS_CHANGE_NAME && change->kind != NNS_CHANGE_ACTIVATION
        && change->kind != NNS_CHANGE_INPUT_SHAPE)
      take_weights (self, nns_weights_follow (self->weights, network, map, self->seed));
    else if (!nns_weights_fits (self->weights, network))   /* to or from PReLU */
      take_weights (self, nns_weights_follow (self->weights, network, map, self->seed));
  }

  /* Consecutive steps of one spin button (its arrows, keys) are one step. */
  if (change->kind == NNS_CHANGE_UNITS)
    key = g_strdup_printf ("units:%u", change->layer);
  else if (change->kind == NNS_CHANGE_INPUT)
    key = g_strdup ("input");
  record (self, key);
}

static void
on_history_notify (NnsDocument *self, GParamSpec *pspec, NnsHistory *history)
{
  const char *name = g_param_spec_get_name (pspec);

  if (g_str_equal (name, "is-modified"))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODIFIED]);
  else if (g_str_equal (name, "can-undo"))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_UNDO]);
  else if (g_str_equal (name, "can-redo"))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_REDO]);
}

static void
nns_document_dispose (GObject *object)
{
  NnsDocument *self = NNS_DOCUMENT (object);

  if (self->network != NULL)
    g_signal_handlers_disconnect_by_data (self->network, self);
  g_clear_object (&self->network);
  g_clear_object (&self->history);
  g_clear_pointer (&self->weights, nns_weights_unref);

  G_OBJECT_CLASS (nns_document_parent_class)->dispose (object);
}

static void
nns_document_finalize (GObject *object)
{
  NnsDocument *self = NNS_DOCUMENT (object);

  g_free (self->path);

  G_OBJECT_CLASS (nns_document_parent_class)->finalize (object);
}

static void
nns_document_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  NnsDocument *self = NNS_DOCUMENT (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case PROP_MODIFIED:
      g_value_set_boolean (value, nns_document_get_modified (self));
      break;
    case PROP_CAN_UNDO:
      g_value_set_boolean (value, nns_document_get_can_undo (self));
      break;
    case PROP_CAN_REDO:
      g_value_set_boolean (value, nns_document_get_can_redo (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nns_document_class_init (NnsDocumentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = nns_document_dispose;
  object_class->finalize = nns_document_finalize;
  object_class->get_property = nns_document_get_property;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MODIFIED] = NNS_PARAM_SPEC_STATE ("modified");
  properties[PROP_CAN_UNDO] = NNS_PARAM_SPEC_STATE ("can-undo");
  properties[PROP_CAN_REDO] = NNS_PARAM_SPEC_STATE ("can-redo");
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * NnsDocument::style-changed:
   *
   * The resolved style changed (an edit, undo, or the user's defaults).
   */
  signals[STYLE_CHANGED] = g_signal_new ("style-changed", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 0);

  /**
   * NnsDocument::weights-changed:
   *
   * The weights are another object (an edit of the network, Load Weights,
   * training, undo, Open). They always fit the network.
   */
  signals[WEIGHTS_CHANGED] = g_signal_new ("weights-changed", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 0);
}

static void
nns_document_init (NnsDocument *self)
{
  nns_style_init_default (&self->defaults);
  nns_style_init_default (&self->own);
  self->style = self->defaults;
  self->seed = NNS_WEIGHTS_SEED_DEFAULT;
}

NnsDocument *
nns_document_new (NnsNetwork *network)
{
  NnsDocument *self;

  g_return_val_if_fail (network == NULL || NNS_IS_NETWORK (network), NULL);

  self = g_object_new (NNS_TYPE_DOCUMENT, NULL);
  self->network = network != NULL ? g_object_ref (network) : nns_network_new_default ();
  self->weights = nns_weights_new_init (self->network, self->seed);
  nns_weights_freeze (self->weights);
  self->history = nns_history_new_masked (self->network, &self->own, 0);
  nns_history_reset_weights (self->history, self->network, self->weights, &self->own, 0);
  g_signal_connect_object (self->history, "notify", G_CALLBACK (on_history_notify), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->network, "changed", G_CALLBACK (on_network_changed), self,
                           G_CONNECT_SWAPPED);
  return self;
}

NnsNetwork *
nns_document_get_network (NnsDocument *self)
{
  g_return_val_if_fail (NNS_IS_DOCUMENT (self), NULL);
  return self->network;
}

const NnsStyle *
nns_document_get_style (NnsDocument *self)
{
  g_return_val_if_fail (NNS_IS_DOCUMENT (self), NULL);
  return &self->style;
}

void
nns_document_get_own_style (NnsDocument *self, NnsStyle *style, NnsStyleMask *mask)
{
  g_return_if_fail (NNS_IS_DOCUMENT (self));

  if (style != NULL)
    *style = self->own;
  if (mask != NULL)
    *mask = self->own_mask;
}

void
nns_document_set_defaults (NnsDocument *self, const NnsStyle *defaults)
{
  g_return_if_fail (NNS_IS_DOCUMENT (self));
  g_return_if_fail (defaults != NULL);

  self->defaults = *defaults;
  nns_style_clamp (&self->defaults);
  resolve (self);
}

void
nns_document_set_style (NnsDocument *self, const NnsStyle *style, const char *key)
{
  NnsStyle clamped;
  NnsStyleMask changed;
  g_autofree char *history_key = NULL;

  g_return_if_fail (NNS_IS_DOCUMENT (self));
  g_return_if_fail (style != NULL);

  clamped = *style;
  nns_style_clamp (&clamped);
  changed = nns_style_diff (&clamped, &self->style) & document_mask ();
  if (changed == 0)
    return;
  nns_style_overlay (&self->own, &clamped, changed);
  self->own_mask |= changed;
  resolve (self);
  history_key = key != NULL ? g_strconcat ("style:", key, NULL) : NULL;
  record (self, history_key);
}

void
nns_document_reset_style (NnsDocument *self)
{
  g_return_if_fail (NNS_IS_DOCUMENT (self));

  if (self->own_mask == 0)
    return;
  nns_style_init_default (&self->own);
  self->own_mask = 0;
  resolve (self);
  record (self, NULL);
}

void
nns_document_load (NnsDocument *self, NnsNetwork *network, const NnsStyle *own_style,
                   NnsStyleMask own_mask, const char *path)
{
  nns_document_load_with_weights (self, network, NULL, NNS_WEIGHTS_SEED_DEFAULT, own_style,
                                  own_mask, path);
}

void
nns_document_load_with_weights (NnsDocument *self, NnsNetwork *network, NnsWeights *weights,
                                guint32 seed, const NnsStyle *own_style, NnsStyleMask own_mask,
                                const char *path)
{
  g_return_if_fail (NNS_IS_DOCUMENT (self));
  g_return_if_fail (NNS_IS_NETWORK (network));
  g_return_if_fail (weights == NULL || nns_weights_fits (weights, network));

  self->restoring = TRUE;
  if (network != self->network)
    nns_network_assign (self->network, network);
  self->restoring = FALSE;
  nns_style_init_default (&self->own);
  self->own_mask = 0;
  if (own_style != NULL)
    {
      self->own_mask = own_mask & document_mask ();
      nns_style_overlay (&self->own, own_style, self->own_mask);
      nns_style_clamp (&self->own);
    }
  resolve (self);
  self->seed = seed;
  take_weights (self, weights != NULL ? nns_weights_ref (weights)
                                      : nns_weights_new_init (self->network, seed));
  self->group_depth = 0;
  nns_history_reset_weights (self->history, self->network, self->weights, &self->own,
                             self->own_mask);
  nns_document_set_path (self, path);
}

void
nns_document_load_model (NnsDocument *self, NnsNetwork *network, NnsWeights *weights,
                         const NnsStyle *own_style, NnsStyleMask own_mask)
{
  const NnsStyleOption *option = nns_style_find_option ("weight_colors");
  NnsStyle style;

  g_return_if_fail (weights != NULL);

  nns_style_init_default (&style);
  if (own_style != NULL)
    nns_style_overlay (&style, own_style, own_mask);
  else
    own_mask = 0;
  style.weight_colors = TRUE;
  own_mask |= NNS_STYLE_OPTION_BIT (nns_style_option_get_index (option));
  nns_document_load_with_weights (self, network, weights, NNS_WEIGHTS_SEED_DEFAULT, &style,
                                  own_mask, NULL);
}

void
nns_document_replace_network (NnsDocument *self, NnsNetwork *network)
{
  g_return_if_fail (NNS_IS_DOCUMENT (self));
  g_return_if_fail (NNS_IS_NETWORK (network));

  self->restoring = TRUE;
  nns_network_assign (self->network, network);
  self->restoring = FALSE;
  record (self, NULL);
}

NnsWeights *
nns_document_get_weights (NnsDocument *self)
{
  g_return_val_if_fail (NNS_IS_DOCUMENT (self), NULL);
  return self->weights;
}

guint32
nns_document_get_weights_seed (NnsDocument *self)
{
  g_return_val_if_fail (NNS_IS_DOCUMENT (self), NNS_WEIGHTS_SEED_DEFAULT);
  return self->seed;
}

gboolean
nns_document_set_weights (NnsDocument *self, NnsWeights *weights, GError **error)
{
  g_return_val_if_fail (NNS_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (weights != NULL, FALSE);

  if (!nns_weights_check (weights, self->network, error))
    return FALSE;
  take_weights (self, nns_weights_ref (weights));
  record (self, NULL);
  return TRUE;
}

gboolean
nns_document_set_weights_coalesce (NnsDocument *self, NnsWeights *weights, const char *key,
                                   GError **error)
{
  g_autofree char *history_key = NULL;

  g_return_val_if_fail (NNS_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (weights != NULL, FALSE);

  if (!nns_weights_check (weights, self->network, error))
    return FALSE;
  take_weights (self, nns_weights_ref (weights));
  history_key = key != NULL ? g_strconcat ("weights:", key, NULL) : NULL;
  record (self, history_key);
  return TRUE;
}

const char *
nns_document_get_path (NnsDocument *self)
{
  g_return_val_if_fail (NNS_IS_DOCUMENT (self), NULL);
  return self->path;
}

void
nns_document_set_path (NnsDocument *self, const char *path)
{
  g_return_if_fail (NNS_IS_DOCUMENT (self));

  if (g_strcmp0 (self->path, path) == 0)
    return;
  g_free (self->path);
  self->path = g_strdup (path);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PATH]);
}

char *
nns_document_dup_display_name (NnsDocument *self)
{
  g_return_val_if_fail (NNS_IS_DOCUMENT (self), NULL);
  return self->path != NULL ? g_path_get_basename (self->path)
                            : g_strdup (_("Untitled Network"));
}

gboolean
nns_document_get_modified (NnsDocument *self)
{
  g_return_val_if_fail (NNS_IS_DOCUMENT (self), FALSE);
  return nns_history_get_is_modified (self->history);
}

gboolean
nns_document_get_can_undo (NnsDocument *self)
{
  g_return_val_if_fail (NNS_IS_DOCUMENT (self), FALSE);
  return nns_history_get_can_undo (self->history);
}

gboolean
nns_document_get_can_redo (NnsDocument *self)
{
  g_return_val_if_fail (NNS_IS_DOCUMENT (self), FALSE);
  return nns_history_get_can_redo (self->history);
}

/* Undo and redo restore the network and the document's own style; the
 * user's defaults are not the document's and stay as they are. */
static gboolean
step (NnsDocument *self, gboolean undo)
{
  NnsStyle own = self->own;
  gboolean done;

  self->restoring = TRUE;
  done = undo ? nns_history_undo (self->history, self->network, &own)
              : nns_history_redo (self->history, self->network, &own);
  self->restoring = FALSE;
  if (!done)
    return FALSE;
  self->group_depth = 0;
  self->own = own;
  self->own_mask = nns_history_get_style_mask (self->history);
  resolve (self);
  if (nns_history_get_weights (self->history) != NULL)
    take_weights (self, nns_weights_ref (nns_history_get_weights (self->history)));
  return TRUE;
}

gboolean
nns_document_undo (NnsDocument *self)
{
  g_return_val_if_fail (NNS_IS_DOCUMENT (self), FALSE);
  return step (self, TRUE);
}

gboolean
nns_document_redo (NnsDocument *self)
{
  g_return_val_if_fail (NNS_IS_DOCUMENT (self), FALSE);
  return step (self, FALSE);
}

void
nns_document_begin_group (NnsDocument *self)
{
  g_return_if_fail (NNS_IS_DOCUMENT (self));
  self->group_depth++;
  nns_history_begin_group (self->history);
}

void
nns_document_end_group (NnsDocument *self)
{
  g_return_if_fail (NNS_IS_DOCUMENT (self));
  if (self->group_depth == 0)
    return;
  self->group_depth--;
  nns_history_end_group (self->history);
}

NnsHistory *
nns_document_get_history (NnsDocument *self)
{
  g_return_val_if_fail (NNS_IS_DOCUMENT (self), NULL);
  return self->history;
}

/* What a save writes: the resolved style without the theme (a render option). */
static char *
dup_data (NnsDocument *self)
{
  NnsStyle style = self->style;
  NnsStyle defaults;

  nns_style_init_default (&defaults);
  style.theme = defaults.theme;
  /* The weights go with it unless they are exactly the initial ones, which
   * the network gives back by itself. */
  return nns_document_to_data_with_weights (
    self->network,
    nns_weights_is_initial (self->weights, self->network, self->seed) ? NULL : self->weights,
    &style);
}

static void
saved (NnsDocument *self, const char *path)
{
  nns_document_set_path (self, path);
  nns_history_mark_saved (self->history);
}

gboolean
nns_document_save_to (NnsDocument *self, const char *path, GError **error)
{
  g_autofree char *data = NULL;

  g_return_val_if_fail (NNS_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  data = dup_data (self);
  if (!nns_file_write_atomic (path, data, strlen (data), error))
    return FALSE;
  saved (self, path);
  return TRUE;
}

typedef struct
{
  char  *path;
  char  *data;
} SaveJob;

static void
save_job_free (gpointer data)
{
  SaveJob *job = data;

  g_free (job->path);
  g_free (job->data);
  g_free (job);
}

static void
save_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  SaveJob *job = task_data;
  GError *error = NULL;

  if (nns_file_write_atomic (job->path, job->data, strlen (job->data), &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
nns_document_save_async (NnsDocument *self, const char *path, GCancellable *cancellable,
                         GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  SaveJob *job;

  g_return_if_fail (NNS_IS_DOCUMENT (self));
  g_return_if_fail (path != NULL);

  job = g_new0 (SaveJob, 1);
  job->path = g_strdup (path);
  job->data = dup_data (self);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, nns_document_save_async);
  g_task_set_task_data (task, job, save_job_free);
  g_task_run_in_thread (task, save_thread);
}

gboolean
nns_document_save_finish (NnsDocument *self, GAsyncResult *result, GError **error)
{
  SaveJob *job;

  g_return_val_if_fail (NNS_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  job = g_task_get_task_data (G_TASK (result));
  nns_document_set_path (self, job->path);
  /* Edits made while writing are not in the file: the document stays
   * modified (compared by content: an edit may merge into the step saved). */
  {
    g_autofree char *now = dup_data (self);

    if (g_str_equal (now, job->data))
      nns_history_mark_saved (self->history);
  }
  return TRUE;
}
