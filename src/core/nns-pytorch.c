/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "nns-pytorch"

#include <gio/gio.h>

#include "nns-pytorch.h"

/* Placeholder until the PyTorch issue lands. */
NnsNetwork *
nns_pytorch_import (const char *text, char **notes_out, GError **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "PyTorch import is not built yet");
  return NULL;
}

char *
nns_pytorch_export (NnsNetwork *network)
{
  return NULL;
}
