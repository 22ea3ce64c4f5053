/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

/* A read-only boolean property the object notifies itself (a state such as
 * can-undo or modified). */
#define NNS_PARAM_SPEC_STATE(name)                                       \
  g_param_spec_boolean ((name), NULL, NULL, FALSE,                       \
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY       \
                        | G_PARAM_STATIC_STRINGS)
