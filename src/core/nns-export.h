/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "nns-network.h"
#include "nns-style.h"

G_BEGIN_DECLS

typedef enum
{
  NNS_EXPORT_PNG,
  NNS_EXPORT_SVG,
  NNS_EXPORT_PDF,
  NNS_EXPORT_NNSKETCH,
  NNS_EXPORT_PYTORCH,
} NnsExportFormat;

typedef struct
{
  double   width;        /* box to fit into, px (PNG) or pt (SVG, PDF); 0 = natural */
  double   height;
  int      scale;        /* PNG pixel density, 1 … 8 */
  gboolean transparent;  /* background */
  gboolean white;        /* background white instead of the theme's (unless transparent) */
  gboolean table;        /* the per-layer counts table under the figure (nns-caption.h) */
} NnsExportOptions;

/* Sides cairo can make an image of; larger exports are refused. */
#define NNS_EXPORT_MAX_SIDE 32767

void      nns_export_options_init      (NnsExportOptions *options);
/* From the file name's extension; the error lists the known ones. */
gboolean  nns_export_format_from_path  (const char       *path,
                                        NnsExportFormat  *out,
                                        GError          **error);
/* PNG, SVG or PDF. Atomic: the file appears whole or not at all. Errors name
 * the path and the reason. */
gboolean  nns_export_image             (NnsNetwork             *network,
                                        const NnsStyle         *style,
                                        const NnsExportOptions *options,
                                        NnsExportFormat         format,
                                        const char             *path,
                                        GError                **error);

/* The size of the file nns_export_image() would write: px for PNG (scale
 * included), pt for SVG and PDF. */
void      nns_export_get_size          (NnsNetwork             *network,
                                        const NnsStyle         *style,
                                        const NnsExportOptions *options,
                                        NnsExportFormat         format,
                                        double                 *width,
                                        double                 *height);

G_END_DECLS
