/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "nns-reference"

#include "config.h"

#include "nns-reference.h"

struct _NnsReference
{
  GObject     parent_instance;
  NnsNetwork *network;   /* a private copy, or NULL */
};

G_DEFINE_FINAL_TYPE (NnsReference, nns_reference, G_TYPE_OBJECT)

enum { PROP_0, PROP_NETWORK, N_PROPS };
static GParamSpec *properties[N_PROPS];

static void
nns_reference_dispose (GObject *object)
{
  NnsReference *self = NNS_REFERENCE (object);

  g_clear_object (&self->network);
  G_OBJECT_CLASS (nns_reference_parent_class)->dispose (object);
}

static void
nns_reference_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  NnsReference *self = NNS_REFERENCE (object);

  switch (prop_id)
    {
    case PROP_NETWORK:
      g_value_set_object (value, self->network);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nns_reference_class_init (NnsReferenceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = nns_reference_dispose;
  object_class->get_property = nns_reference_get_property;

  properties[PROP_NETWORK] =
    g_param_spec_object ("network", NULL, NULL, NNS_TYPE_NETWORK,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
nns_reference_init (NnsReference *self)
{
}

NnsReference *
nns_reference_new (void)
{
  return g_object_new (NNS_TYPE_REFERENCE, NULL);
}

void
nns_reference_pin (NnsReference *self, NnsNetwork *network)
{
  g_return_if_fail (NNS_IS_REFERENCE (self));
  g_return_if_fail (network == NULL || NNS_IS_NETWORK (network));

  g_clear_object (&self->network);
  if (network != NULL)
    self->network = nns_network_copy (network);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NETWORK]);
}

void
nns_reference_clear (NnsReference *self)
{
  g_return_if_fail (NNS_IS_REFERENCE (self));

  if (self->network == NULL)
    return;
  nns_reference_pin (self, NULL);
}

NnsNetwork *
nns_reference_get_network (NnsReference *self)
{
  g_return_val_if_fail (NNS_IS_REFERENCE (self), NULL);
  return self->network;
}
