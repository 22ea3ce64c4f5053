/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "nns-export"

#include <gio/gio.h>

#include "nns-export.h"

/* Placeholder until the diagram issue lands. */
void
nns_export_options_init (NnsExportOptions *options)
{
  *options = (NnsExportOptions) { 0, 0, 1, FALSE };
}

gboolean
nns_export_format_from_path (const char *path, NnsExportFormat *out, GError **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "%s: export is not built yet", path);
  return FALSE;
}

gboolean
nns_export_image (NnsNetwork *network, const NnsStyle *style, const NnsExportOptions *options,
                  NnsExportFormat format, const char *path, GError **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "%s: export is not built yet", path);
  return FALSE;
}
