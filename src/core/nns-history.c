/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "nns-history"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "nns-gobject-private.h"
#include "nns-history.h"
#include "nns-weights.h"

typedef struct
{
  NnsNetwork  *network;   /* a private copy */
  NnsStyle     style;
  NnsStyleMask mask;      /* the style's options that are set; the rest are unset */
  NnsWeights  *weights;   /* a reference (frozen, so shared), or NULL */
} State;

struct _NnsHistory
{
  GObject    parent_instance;

  GPtrArray *states;          /* of State; states[0] is the oldest kept */
  guint      position;        /* the current state */
  gint       saved;           /* index of the saved state, -1 if it was dropped or overwritten */
  guint      max_steps;

  guint      group_depth;
  gboolean   group_has_step;  /* the open group made the last step: pushes replace it */
  char      *merge_key;       /* the last push's coalesce key while it may still merge */
  NnsWeights *expanded;       /* the current state's weights, expanded, or NULL */
  gpointer   expanded_for;    /* … of that state */

  /* Last notified values. */
  gboolean   can_undo;
  gboolean   can_redo;
  gboolean   is_modified;
};

G_DEFINE_FINAL_TYPE (NnsHistory, nns_history, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_CAN_UNDO,
  PROP_CAN_REDO,
  PROP_IS_MODIFIED,
  PROP_MAX_STEPS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
state_free (gpointer data)
{
  State *state = data;

  g_clear_object (&state->network);
  g_clear_pointer (&state->weights, nns_weights_unref);
  g_free (state);
}

static State *
state_new (NnsNetwork *network, NnsWeights *weights, const NnsStyle *style, NnsStyleMask mask)
{
  State *state = g_new0 (State, 1);
  NnsStyle defaults;

  state->network = nns_network_copy (network);
  /* Unset options are kept at their defaults, so equal states compare equal. */
  nns_style_init_default (&defaults);
  state->style = defaults;
  if (style != NULL)
    nns_style_overlay (&state->style, style, mask);
  state->mask = mask;
  if (weights != NULL)
    {
      nns_weights_freeze (weights);
      state->weights = nns_weights_compact (weights);
    }
  return state;
}

static State *
current (NnsHistory *self)
{
  return g_ptr_array_index (self->states, self->position);
}

static gboolean
state_equal (const State *state, NnsNetwork *network, NnsWeights *weights,
             const NnsStyle *style, NnsStyleMask mask)
{
  NnsStyle masked;

  nns_style_init_default (&masked);
  if (style != NULL)
    nns_style_overlay (&masked, style, mask);
  return state->mask == mask && nns_network_equal (state->network, network)
         && nns_style_equal (&state->style, &masked)
         && nns_weights_equal (state->weights, weights);
}

static void
update_flags (NnsHistory *self)
{
  gboolean can_undo = self->position > 0;
  gboolean can_redo = self->position + 1 < self->states->len;
  gboolean is_modified = self->saved != (gint) self->position;

  g_object_freeze_notify (G_OBJECT (self));
  if (can_undo != self->can_undo)
    {
      self->can_undo = can_undo;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_UNDO]);
    }
  if (can_redo != self->can_redo)
    {
      self->can_redo = can_redo;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_REDO]);
    }
  if (is_modified != self->is_modified)
    {
      self->is_modified = is_modified;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_MODIFIED]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

/* Nothing merges into a step after undo, redo, save or reset. */
static void
stop_merging (NnsHistory *self)
{
  self->group_has_step = FALSE;
  g_clear_pointer (&self->merge_key, g_free);
}

/* Drops the oldest states beyond max_steps undo steps. */
static void
trim (NnsHistory *self)
{
  while (self->states->len > self->max_steps + 1 && self->position > 0)
    {
      g_ptr_array_remove_index (self->states, 0);
      self->position--;
      self->saved = self->saved > 0 ? self->saved - 1 : -1;
    }
}

static void
nns_history_finalize (GObject *object)
{
  NnsHistory *self = NNS_HISTORY (object);

  g_clear_pointer (&self->states, g_ptr_array_unref);
  g_clear_pointer (&self->merge_key, g_free);
  g_clear_pointer (&self->expanded, nns_weights_unref);
  G_OBJECT_CLASS (nns_history_parent_class)->finalize (object);
}

static void
nns_history_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  NnsHistory *self = NNS_HISTORY (object);

  switch (prop_id)
    {
    case PROP_CAN_UNDO:
      g_value_set_boolean (value, nns_history_get_can_undo (self));
      break;
    case PROP_CAN_REDO:
      g_value_set_boolean (value, nns_history_get_can_redo (self));
      break;
    case PROP_IS_MODIFIED:
      g_value_set_boolean (value, nns_history_get_is_modified (self));
      break;
    case PROP_MAX_STEPS:
      g_value_set_uint (value, self->max_steps);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nns_history_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  NnsHistory *self = NNS_HISTORY (object);

  switch (prop_id)
    {
    case PROP_MAX_STEPS:
      nns_history_set_max_steps (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nns_history_class_init (NnsHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = nns_history_finalize;
  object_class->get_property = nns_history_get_property;
  object_class->set_property = nns_history_set_property;

  properties[PROP_CAN_UNDO] = NNS_PARAM_SPEC_STATE ("can-undo");
  properties[PROP_CAN_REDO] = NNS_PARAM_SPEC_STATE ("can-redo");
  properties[PROP_IS_MODIFIED] = NNS_PARAM_SPEC_STATE ("is-modified");
  properties[PROP_MAX_STEPS] =
    g_param_spec_uint ("max-steps", NULL, NULL, 1, G_MAXUINT, NNS_HISTORY_MAX_STEPS_DEFAULT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
nns_history_init (NnsHistory *self)
{
  self->states = g_ptr_array_new_with_free_func (state_free);
  self->max_steps = NNS_HISTORY_MAX_STEPS_DEFAULT;
}

NnsHistory *
nns_history_new (NnsNetwork *network, const NnsStyle *style)
{
  return nns_history_new_masked (network, style, NNS_STYLE_MASK_ALL);
}

NnsHistory *
nns_history_new_masked (NnsNetwork *network, const NnsStyle *style, NnsStyleMask mask)
{
  NnsHistory *self;

  g_return_val_if_fail (NNS_IS_NETWORK (network), NULL);

  self = g_object_new (NNS_TYPE_HISTORY, NULL);
  g_ptr_array_add (self->states, state_new (network, NULL, style, mask));
  self->position = 0;
  self->saved = 0;
  return self;
}

void
nns_history_reset (NnsHistory *self, NnsNetwork *network, const NnsStyle *style)
{
  nns_history_reset_masked (self, network, style, NNS_STYLE_MASK_ALL);
}

void
nns_history_reset_masked (NnsHistory *self, NnsNetwork *network, const NnsStyle *style,
                          NnsStyleMask mask)
{
  nns_history_reset_weights (self, network, NULL, style, mask);
}

void
nns_history_reset_weights (NnsHistory *self, NnsNetwork *network, NnsWeights *weights,
                           const NnsStyle *style, NnsStyleMask mask)
{
  g_return_if_fail (NNS_IS_HISTORY (self));
  g_return_if_fail (NNS_IS_NETWORK (network));

  g_ptr_array_set_size (self->states, 0);
  g_ptr_array_add (self->states, state_new (network, weights, style, mask));
  self->position = 0;
  self->saved = 0;
  self->group_depth = 0;
  stop_merging (self);
  update_flags (self);
}

static gboolean
push (NnsHistory *self, NnsNetwork *network, NnsWeights *weights, const NnsStyle *style,
      NnsStyleMask mask, const char *key)
{
  gboolean merge;

  if (state_equal (current (self), network, weights, style, mask))
    return FALSE;
  /* The expanded weights of the state left behind are the document's
   * business now (it keeps them while it needs them). */
  g_clear_pointer (&self->expanded, nns_weights_unref);

  merge = self->position > 0 && self->position + 1 == self->states->len &&
          ((self->group_depth > 0 && self->group_has_step) ||
           (key != NULL && g_strcmp0 (key, self->merge_key) == 0));

  if (merge)
    {
      state_free (g_ptr_array_index (self->states, self->position));
      g_ptr_array_index (self->states, self->position) = state_new (network, weights, style, mask);
      if (self->saved == (gint) self->position)
        self->saved = -1;

      /* Dragged back to where it started: the step is no step at all. */
      {
        State *before = g_ptr_array_index (self->states, self->position - 1);

        if (state_equal (before, network, weights, style, mask))
          {
            g_ptr_array_remove_index (self->states, self->position);
            self->position--;
            stop_merging (self);
            update_flags (self);
            return TRUE;
          }
      }
    }
  else
    {
      /* A new step: the redo states go. */
      if (self->position + 1 < self->states->len)
        g_ptr_array_remove_range (self->states, self->position + 1,
                                  self->states->len - self->position - 1);
      if (self->saved > (gint) self->position)
        self->saved = -1;
      g_ptr_array_add (self->states, state_new (network, weights, style, mask));
      self->position++;
      trim (self);
    }

  self->group_has_step = self->group_depth > 0;
  if (g_strcmp0 (key, self->merge_key) != 0)
    {
      g_free (self->merge_key);
      self->merge_key = g_strdup (key);
    }
  update_flags (self);
  return TRUE;
}

gboolean
nns_history_push (NnsHistory *self, NnsNetwork *network, const NnsStyle *style)
{
  g_return_val_if_fail (NNS_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (NNS_IS_NETWORK (network), FALSE);

  return push (self, network, NULL, style, NNS_STYLE_MASK_ALL, NULL);
}

gboolean
nns_history_push_masked (NnsHistory *self, NnsNetwork *network, const NnsStyle *style,
                         NnsStyleMask mask, const char *key)
{
  g_return_val_if_fail (NNS_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (NNS_IS_NETWORK (network), FALSE);

  return push (self, network, NULL, style, mask, key);
}

gboolean
nns_history_push_weights (NnsHistory *self, NnsNetwork *network, NnsWeights *weights,
                          const NnsStyle *style, NnsStyleMask mask, const char *key)
{
  g_return_val_if_fail (NNS_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (NNS_IS_NETWORK (network), FALSE);

  return push (self, network, weights, style, mask, key);
}

NnsWeights *
nns_history_get_weights (NnsHistory *self)
{
  State *state;

  g_return_val_if_fail (NNS_IS_HISTORY (self), NULL);

  state = current (self);
  if (state->weights == NULL)
    return NULL;
  /* Expanded once for the state asked about; the states keep recipes. */
  if (self->expanded == NULL || self->expanded_for != state ||
      !nns_weights_equal (self->expanded, state->weights))
    {
      g_clear_pointer (&self->expanded, nns_weights_unref);
      self->expanded = nns_weights_expand (state->weights);
      self->expanded_for = state;
    }
  return self->expanded;
}

gboolean
nns_history_push_coalesce (NnsHistory *self, NnsNetwork *network, const NnsStyle *style,
                           const char *key)
{
  g_return_val_if_fail (NNS_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (NNS_IS_NETWORK (network), FALSE);

  return push (self, network, NULL, style, NNS_STYLE_MASK_ALL, key);
}

void
nns_history_begin_group (NnsHistory *self)
{
  g_return_if_fail (NNS_IS_HISTORY (self));

  if (self->group_depth++ == 0)
    self->group_has_step = FALSE;
}

void
nns_history_end_group (NnsHistory *self)
{
  g_return_if_fail (NNS_IS_HISTORY (self));

  /* Unbalanced ends (after undo closed the group) are harmless. */
  if (self->group_depth == 0)
    return;
  if (--self->group_depth == 0)
    self->group_has_step = FALSE;
}

static void
restore (NnsHistory *self, NnsNetwork *network, NnsStyle *style)
{
  State *state = current (self);

  self->group_depth = 0;
  stop_merging (self);
  /* Flags first: a push from the network's "changed" handler then sees the
   * restored state as current and does nothing. */
  update_flags (self);
  if (style != NULL)
    *style = state->style;
  nns_network_assign (network, state->network);
}

gboolean
nns_history_undo (NnsHistory *self, NnsNetwork *network, NnsStyle *style)
{
  g_return_val_if_fail (NNS_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (NNS_IS_NETWORK (network), FALSE);

  if (self->position == 0)
    return FALSE;
  self->position--;
  restore (self, network, style);
  return TRUE;
}

gboolean
nns_history_redo (NnsHistory *self, NnsNetwork *network, NnsStyle *style)
{
  g_return_val_if_fail (NNS_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (NNS_IS_NETWORK (network), FALSE);

  if (self->position + 1 >= self->states->len)
    return FALSE;
  self->position++;
  restore (self, network, style);
  return TRUE;
}

NnsStyleMask
nns_history_get_style_mask (NnsHistory *self)
{
  g_return_val_if_fail (NNS_IS_HISTORY (self), 0);
  return current (self)->mask;
}

gboolean
nns_history_get_can_undo (NnsHistory *self)
{
  g_return_val_if_fail (NNS_IS_HISTORY (self), FALSE);
  return self->position > 0;
}

gboolean
nns_history_get_can_redo (NnsHistory *self)
{
  g_return_val_if_fail (NNS_IS_HISTORY (self), FALSE);
  return self->position + 1 < self->states->len;
}

gboolean
nns_history_get_is_modified (NnsHistory *self)
{
  g_return_val_if_fail (NNS_IS_HISTORY (self), FALSE);
  return self->saved != (gint) self->position;
}

void
nns_history_mark_saved (NnsHistory *self)
{
  g_return_if_fail (NNS_IS_HISTORY (self));

  self->saved = self->position;
  stop_merging (self);
  update_flags (self);
}

guint
nns_history_get_n_states (NnsHistory *self)
{
  g_return_val_if_fail (NNS_IS_HISTORY (self), 0);
  return self->states->len;
}

guint
nns_history_get_position (NnsHistory *self)
{
  g_return_val_if_fail (NNS_IS_HISTORY (self), 0);
  return self->position;
}

guint
nns_history_get_max_steps (NnsHistory *self)
{
  g_return_val_if_fail (NNS_IS_HISTORY (self), 0);
  return self->max_steps;
}

void
nns_history_set_max_steps (NnsHistory *self, guint max_steps)
{
  g_return_if_fail (NNS_IS_HISTORY (self));

  max_steps = MAX (max_steps, 1);
  if (max_steps == self->max_steps)
    return;
  self->max_steps = max_steps;
  /* Keep the redo side whole; trim () drops only states before the current one. */
  trim (self);
  update_flags (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_STEPS]);
}
