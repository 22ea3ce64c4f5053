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
  gboolean     weight_colors;       /* edges by their weights, bias rings, a legend (nns-render-weights.h) */
  double       weight_threshold;    /* 0 … 1: edges with |w| below this share of the layer's max |w| are hidden */
  gboolean     layer_colors;        /* a colour per layer from a fixed palette */
  guint        collapse_limit;      /* most neurons drawn per layer; 4 … 1024, default 20 */
  gboolean     show_all_neurons;    /* turns collapsing off */
} NnsStyle;

/* ---- The style's options: one table row each ----
 *
 * The table drives the defaults, clamping, equality, the .nnsketch "style"
 * members and the GSettings keys; a test holds the compiled schema's ranges
 * and defaults against it. A new option is one row here, one schema key and
 * one preferences widget. */

typedef enum
{
  NNS_STYLE_DOUBLE,   /* double; min … max */
  NNS_STYLE_UINT,     /* guint (32 bits); min … max */
  NNS_STYLE_BOOL,     /* gboolean */
  NNS_STYLE_COLOR,    /* NnsColor and its *_set flag: unset follows the theme */
  NNS_STYLE_ENUM,     /* an int-sized enum; ids[value], NULL-terminated */
} NnsStyleType;

typedef struct
{
  const char         *name;           /* the field ("node_diameter") */
  const char         *json_key;       /* in documents; NULL: never stored there */
  const char         *settings_key;   /* GSettings; NULL: no key */
  NnsStyleType        type;
  gsize               offset;
  gsize               set_offset;     /* NNS_STYLE_COLOR: the *_set flag */
  double              min, max;       /* NNS_STYLE_DOUBLE and NNS_STYLE_UINT */
  double              default_value;  /* numbers, booleans (0/1), enums (the value) */
  NnsColor            default_color;  /* NNS_STYLE_COLOR: shown while unset */
  const char *const  *ids;            /* NNS_STYLE_ENUM */
} NnsStyleOption;

/* One bit per option (its index in the table): which options a layer sets. */
typedef guint64 NnsStyleMask;
#define NNS_STYLE_MASK_ALL G_MAXUINT64
#define NNS_STYLE_OPTION_BIT(index) (G_GUINT64_CONSTANT (1) << (index))

const NnsStyleOption *nns_style_get_options        (guint                *n_options);
/* By field name ("node_diameter") or GSettings key ("node-diameter"); NULL if none. */
const NnsStyleOption *nns_style_find_option        (const char           *name);
const NnsStyleOption *nns_style_find_settings_key  (const char           *key);
guint                 nns_style_option_get_index   (const NnsStyleOption *option);
void                  nns_style_option_copy        (const NnsStyleOption *option,
                                                    NnsStyle             *to,
                                                    const NnsStyle       *from);
gboolean              nns_style_option_equal       (const NnsStyleOption *option,
                                                    const NnsStyle       *a,
                                                    const NnsStyle       *b);
/* The enum value of id (case-insensitive), -1 if unknown. */
int                   nns_style_option_find_id     (const NnsStyleOption *option,
                                                    const char           *id);
/* Enum options' int value, for readers and writers that go through the table. */
int                   nns_style_option_get_enum    (const NnsStyleOption *option,
                                                    const NnsStyle       *style);
void                  nns_style_option_set_enum    (const NnsStyleOption *option,
                                                    NnsStyle             *style,
                                                    int                   value);

/* Layers: the options in mask are copied from over into style. */
void         nns_style_overlay       (NnsStyle       *style,
                                      const NnsStyle *over,
                                      NnsStyleMask    mask);
/* The options whose values differ. */
NnsStyleMask nns_style_diff          (const NnsStyle *a,
                                      const NnsStyle *b);

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
  NnsColor positive;     /* weight colours: blue and orange, apart for red–green colour blindness */
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
