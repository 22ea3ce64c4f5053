/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* How the diagram looks: everything a document stores under "style" and the
 * preferences window edits. A plain value type: copy it with '='. */

typedef enum { NNS_THEME_LIGHT, NNS_THEME_DARK } NnsTheme;
typedef enum { NNS_DIRECTION_HORIZONTAL, NNS_DIRECTION_VERTICAL } NnsDirection;
typedef enum { NNS_EDGE_STRAIGHT, NNS_EDGE_BEZIER } NnsEdgeShape;

typedef struct
{
  double red, green, blue, alpha;   /* 0 … 1 */
} NnsColor;

typedef struct
{
  NnsTheme     theme;
  double       node_diameter;       /* px at scale 1; 4 … 200 */
  double       node_border_width;   /* px; 0 … 20 */
  /* Colours left unset (the *_set flags FALSE) follow the theme. */
  gboolean     node_fill_set;
  NnsColor     node_fill;
  gboolean     node_border_set;
  NnsColor     node_border;
  gboolean     edge_color_set;
  NnsColor     edge_color;
  double       edge_width;          /* px; 0.1 … 20 */
  double       edge_opacity;        /* 0 … 1; the density rule scales it further */
  double       layer_spacing;       /* px between columns; 20 … 2000 */
  double       node_spacing;        /* px between neuron centres, beyond the diameter; 0 … 500 */
  NnsDirection direction;
  gboolean     show_labels;         /* all labels; with it, each kind by its own switch: */
  gboolean     show_titles;         /* "Hidden 1" or the layer's name */
  gboolean     show_widths;         /* "18" */
  gboolean     show_activations;    /* "ReLU" */
  gboolean     show_params;         /* "380 params" per layer */
  gboolean     show_total;          /* "683 parameters · 2.7 kB" */
  NnsEdgeShape edge_shape;
  gboolean     arrowheads;
  gboolean     show_bias_nodes;     /* a "+1" node per layer with bias, not counted in its width */
  gboolean     weight_colors;       /* edge colour and width by a random weight's sign and size */
  guint32      weight_seed;
  gboolean     layer_colors;        /* a colour per layer from a fixed palette */
  guint        collapse_limit;      /* most neurons drawn per layer; 4 … 1024, default 20 */
  gboolean     show_all_neurons;    /* turns collapsing off */
} NnsStyle;

void     nns_style_init_default  (NnsStyle       *style);
/* Clamps every number into its range (for values from files and settings). */
void     nns_style_clamp         (NnsStyle       *style);
gboolean nns_style_equal         (const NnsStyle *a,
                                  const NnsStyle *b);

const char *nns_theme_get_id        (NnsTheme      theme);   /* "light", "dark" */
gboolean    nns_theme_from_string   (const char   *text,
                                     NnsTheme     *out);
/* "#rrggbb" or "#rrggbbaa" */
char       *nns_color_to_string     (const NnsColor *color);
gboolean    nns_color_parse         (const char     *text,
                                     NnsColor       *out);

/* The colours a drawing uses: the theme's, with the style's own node and edge
 * colours where they are set. The canvas and the tests use these exact values. */
typedef struct
{
  NnsColor background;   /* light: white; dark: GNOME dark #242424 */
  NnsColor text;
  NnsColor node_fill;
  NnsColor node_border;
  NnsColor edge;         /* alpha 1; the style's edge_opacity applies on top */
  NnsColor accent;       /* selection: GNOME blue #3584e4 light, #78aeed dark */
  NnsColor positive;     /* weight colours */
  NnsColor negative;
} NnsPalette;

void     nns_style_get_palette     (const NnsStyle *style,
                                    NnsPalette     *out);
/* The palette for a drawing painted on `background` (NULL: the theme's own):
 * on a light background the light theme's text, border, edge and accent
 * colours, on a dark one the dark theme's, whatever style->theme says, so a
 * dark theme exported on white is re-coloured instead of invisible. The
 * style's own node and edge colours stay. */
void     nns_style_get_palette_on  (const NnsStyle *style,
                                    const NnsColor *background,
                                    NnsPalette     *out);
/* The theme whose colours show on that background: light for light ones. */
NnsTheme nns_theme_for_background  (const NnsColor *background);
/* WCAG 2 contrast ratio of two opaque colours, 1 … 21. */
double   nns_color_contrast        (const NnsColor *a,
                                    const NnsColor *b);
/* With style->layer_colors: the node fill of a column, from a fixed palette. */
NnsColor nns_style_get_layer_color (const NnsStyle *style,
                                    guint           column);

G_END_DECLS
