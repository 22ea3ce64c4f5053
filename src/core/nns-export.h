/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "nns-network.h"
#include "nns-render-weights.h"
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
  /* The weights drawn with style->weight_colors (NULL: plain edges). A pair
   * of columns with more than NNS_WEIGHT_EDGES_VECTOR_MAX edges is one
   * embedded image in SVG and PDF (nns-render-weights.h). */
  const NnsWeightSource *weights;
} NnsExportOptions;

/* Sides cairo can make an image of: the largest box one may ask for. */
#define NNS_EXPORT_MAX_SIDE 32767
/* What every common viewer opens: a PNG (scale included) or an SVG / PDF
 * page (14,400 pt is PDF's own page limit; rsvg opens it at 96 dpi) larger
 * than this on a side is scaled down, proportions kept, and says so. */
#define NNS_EXPORT_MAX_PNG_SIDE  16384
/* and at most this many pixels (512 MiB of ARGB) */
#define NNS_EXPORT_MAX_PNG_PIXELS (16384.0 * 8192.0)
#define NNS_EXPORT_MAX_PAGE_SIDE 14400

void      nns_export_options_init      (NnsExportOptions *options);
/* From the file name's extension; the error lists the known ones. */
gboolean  nns_export_format_from_path  (const char       *path,
                                        NnsExportFormat  *out,
                                        GError          **error);
/* PNG, SVG or PDF: the one layout (nns_layout_new()) at its natural size,
 * or scaled into the box asked for — never laid out again. Atomic: the file
 * appears whole or not at all. Errors name the path and the reason. SVG
 * labels are <text> elements, grouped per column (<g id="column-N">, the
 * total in <g id="total">); SVG and PDF hold no raster image except the
 * weight-coloured edges of large pairs of columns (see weights above). */
gboolean  nns_export_image             (NnsNetwork             *network,
                                        const NnsStyle         *style,
                                        const NnsExportOptions *options,
                                        NnsExportFormat         format,
                                        const char             *path,
                                        GError                **error);
/* The same; *note (if not NULL) gets a sentence saying what was done to a
 * drawing past the viewers' limit ("Scaled down to 1,633 × 14,400 pt: …"),
 * or NULL when it is written as asked. */
gboolean  nns_export_image_with_note   (NnsNetwork             *network,
                                        const NnsStyle         *style,
                                        const NnsExportOptions *options,
                                        NnsExportFormat         format,
                                        const char             *path,
                                        char                  **note,
                                        GError                **error);
/* The colour an export paints under the drawing (alpha 0: transparent). */
void      nns_export_get_background    (const NnsStyle         *style,
                                        const NnsExportOptions *options,
                                        NnsColor               *out);

/* The size of the file nns_export_image() would write: px for PNG (scale
 * included), pt for SVG and PDF. */
void      nns_export_get_size          (NnsNetwork             *network,
                                        const NnsStyle         *style,
                                        const NnsExportOptions *options,
                                        NnsExportFormat         format,
                                        double                 *width,
                                        double                 *height);

G_END_DECLS
