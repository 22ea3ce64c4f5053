/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "nns-neuron-selection"

#include "config.h"

#include "nns-neuron-selection.h"

struct _NnsNeuronSelection
{
  GObject      parent_instance;

  NnsSelection selected;
  NnsSelection hovered;   /* the same triple, for the neuron under the pointer */
};

G_DEFINE_FINAL_TYPE (NnsNeuronSelection, nns_neuron_selection, G_TYPE_OBJECT)

enum { SIGNAL_CHANGED, SIGNAL_HOVER_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

NnsNeuronSelection *
nns_neuron_selection_new (void)
{
  return g_object_new (NNS_TYPE_NEURON_SELECTION, NULL);
}

static gboolean
get (const NnsSelection *s, guint *column, guint *neuron)
{
  if (column != NULL)
    *column = s->column;
  if (neuron != NULL)
    *neuron = s->neuron;
  return s->active;
}

/* Sets *s, TRUE if that changed it. */
static gboolean
put (NnsSelection *s, gboolean active, guint column, guint neuron)
{
  if (!active && !s->active)
    return FALSE;
  if (active && s->active && s->column == column && s->neuron == neuron)
    return FALSE;
  *s = (NnsSelection) { active, active ? column : 0, active ? neuron : 0 };
  return TRUE;
}

gboolean
nns_neuron_selection_get (NnsNeuronSelection *self, guint *column, guint *neuron)
{
  g_return_val_if_fail (NNS_IS_NEURON_SELECTION (self), FALSE);
  return get (&self->selected, column, neuron);
}

const NnsSelection *
nns_neuron_selection_peek (NnsNeuronSelection *self)
{
  g_return_val_if_fail (NNS_IS_NEURON_SELECTION (self), NULL);
  return &self->selected;
}

void
nns_neuron_selection_set (NnsNeuronSelection *self, guint column, guint neuron)
{
  g_return_if_fail (NNS_IS_NEURON_SELECTION (self));
  if (put (&self->selected, TRUE, column, neuron))
    g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

void
nns_neuron_selection_clear (NnsNeuronSelection *self)
{
  g_return_if_fail (NNS_IS_NEURON_SELECTION (self));
  if (put (&self->selected, FALSE, 0, 0))
    g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

gboolean
nns_neuron_selection_get_hovered (NnsNeuronSelection *self, guint *column, guint *neuron)
{
  g_return_val_if_fail (NNS_IS_NEURON_SELECTION (self), FALSE);
  return get (&self->hovered, column, neuron);
}

void
nns_neuron_selection_set_hovered (NnsNeuronSelection *self, guint column, guint neuron)
{
  g_return_if_fail (NNS_IS_NEURON_SELECTION (self));
  if (put (&self->hovered, TRUE, column, neuron))
    g_signal_emit (self, signals[SIGNAL_HOVER_CHANGED], 0);
}

void
nns_neuron_selection_clear_hovered (NnsNeuronSelection *self)
{
  g_return_if_fail (NNS_IS_NEURON_SELECTION (self));
  if (put (&self->hovered, FALSE, 0, 0))
    g_signal_emit (self, signals[SIGNAL_HOVER_CHANGED], 0);
}

/* Moves one neuron with the edit; TRUE if it moved or was let go. */
static gboolean
follow (NnsSelection *s, NnsNetwork *network, const NnsChange *change)
{
  if (!s->active)
    return FALSE;
  switch (change->kind)
    {
    case NNS_CHANGE_INPUT:
    case NNS_CHANGE_UNITS:
      {
        guint column = change->kind == NNS_CHANGE_INPUT ? 0 : change->layer + 1;

        if (s->column == column && s->neuron >= nns_network_get_column_width (network, column))
          return put (s, FALSE, 0, 0);
      }
      return FALSE;
    case NNS_CHANGE_INSERT:
      if (s->column <= change->layer)
        return FALSE;
      s->column++;
      return TRUE;
    case NNS_CHANGE_REMOVE:
      if (s->column == change->layer + 1)
        return put (s, FALSE, 0, 0);
      if (s->column <= change->layer + 1)
        return FALSE;
      s->column--;
      return TRUE;
    case NNS_CHANGE_MOVE:
    case NNS_CHANGE_RESET:
      return put (s, FALSE, 0, 0);
    case NNS_CHANGE_BIAS:
    case NNS_CHANGE_ACTIVATION:
    case NNS_CHANGE_NAME:
    default:
      return FALSE;
    }
}

void
nns_neuron_selection_follow (NnsNeuronSelection *self, NnsNetwork *network,
                             const NnsChange *change)
{
  g_return_if_fail (NNS_IS_NEURON_SELECTION (self));
  g_return_if_fail (NNS_IS_NETWORK (network));
  g_return_if_fail (change != NULL);

  if (follow (&self->selected, network, change))
    g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
  if (follow (&self->hovered, network, change))
    g_signal_emit (self, signals[SIGNAL_HOVER_CHANGED], 0);
}

static void
nns_neuron_selection_class_init (NnsNeuronSelectionClass *klass)
{
  /**
   * NnsNeuronSelection::changed:
   *
   * The selected neuron changed, moved with its column, or was let go.
   */
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * NnsNeuronSelection::hover-changed:
   *
   * The neuron under the pointer changed (or there is none now).
   */
  signals[SIGNAL_HOVER_CHANGED] = g_signal_new ("hover-changed", G_TYPE_FROM_CLASS (klass),
                                                G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                                G_TYPE_NONE, 0);
}

static void
nns_neuron_selection_init (NnsNeuronSelection *self)
{
}
