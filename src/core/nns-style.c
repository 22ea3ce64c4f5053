/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "nns-style"

#include "nns-style.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const theme_ids[] = { "light", "dark", NULL };
static const char *const direction_ids[] = { "horizontal", "vertical", NULL };
static const char *const edge_shape_ids[] = { "straight", "bezier", NULL };

#define AT(style, offset, type) ((type *) (gpointer) ((guint8 *) (style) + (offset)))
#define OFFSET(field) G_STRUCT_OFFSET (NnsStyle, field)

#define NUMBER(field, key, kind, lo, hi, value) \
  { #field, #field, key, kind, OFFSET (field), 0, lo, hi, value, { 0 }, NULL }
#define BOOLEAN(field, key, value) \
  { #field, #field, key, NNS_STYLE_BOOL, OFFSET (field), 0, 0, 1, value, { 0 }, NULL }
#define COLOR(field, key, r, g, b) \
  { #field, #field, key, NNS_STYLE_COLOR, OFFSET (field), OFFSET (field##_set), 0, 1, 0, \
    { r, g, b, 1.0 }, NULL }
#define ENUM(field, key, ids, value) \
  { #field, #field, key, NNS_STYLE_ENUM, OFFSET (field), 0, 0, G_N_ELEMENTS (ids) - 2, value, \
    { 0 }, ids }

/* Every NnsStyle field, in the order documents list them. The theme is a
 * render and export option (the system's style, --theme, export-theme): it
 * has no document member and no key of its own. */
static const NnsStyleOption options[] = {
  { "theme", NULL, NULL, NNS_STYLE_ENUM, OFFSET (theme), 0, 0, 1, NNS_THEME_LIGHT, { 0 },
    theme_ids },
  NUMBER (node_diameter, "node-diameter", NNS_STYLE_DOUBLE, 4, 200, 24.0),
  NUMBER (node_border_width, "node-border-width", NNS_STYLE_DOUBLE, 0, 20, 1.5),
  COLOR (node_fill, "node-fill", 1.0, 1.0, 1.0),
  COLOR (node_border, "node-border", 0.2, 0.2, 0.2),
  COLOR (edge_color, "edge-color", 0.4, 0.4, 0.4),
  NUMBER (edge_width, "edge-width", NNS_STYLE_DOUBLE, 0.1, 20, 1.0),
  NUMBER (edge_opacity, "edge-opacity", NNS_STYLE_DOUBLE, 0, 1, 0.8),
  NUMBER (layer_spacing, "layer-spacing", NNS_STYLE_DOUBLE, 20, 2000, 160.0),
  NUMBER (node_spacing, "node-spacing", NNS_STYLE_DOUBLE, 0, 500, 10.0),
  ENUM (direction, "direction", direction_ids, NNS_DIRECTION_HORIZONTAL),
  BOOLEAN (show_labels, "show-labels", TRUE),
  BOOLEAN (show_titles, "show-titles", TRUE),
  BOOLEAN (show_widths, "show-widths", TRUE),
  BOOLEAN (show_activations, "show-activations", TRUE),
  BOOLEAN (show_params, "show-params", TRUE),
  BOOLEAN (show_total, "show-total", TRUE),
  ENUM (edge_shape, "edge-shape", edge_shape_ids, NNS_EDGE_STRAIGHT),
  BOOLEAN (arrowheads, "arrowheads", FALSE),
  BOOLEAN (show_bias_nodes, "show-bias-nodes", FALSE),
  BOOLEAN (weight_colors, "weight-colors", FALSE),
  NUMBER (weight_threshold, "weight-threshold", NNS_STYLE_DOUBLE, 0, 1, 0.0),
  BOOLEAN (layer_colors, "layer-colors", FALSE),
  NUMBER (collapse_limit, "collapse-limit", NNS_STYLE_UINT, 4, 1024, 20),
  BOOLEAN (show_all_neurons, "show-all-neurons", FALSE),
};

#undef NUMBER
#undef BOOLEAN
#undef COLOR
#undef ENUM

/* A mask has a bit per option. */
G_STATIC_ASSERT (G_N_ELEMENTS (options) <= 64);
/* NNS_STYLE_UINT options (collapse_limit) are read and written as guint32. */
G_STATIC_ASSERT (sizeof (guint) == sizeof (guint32));
/* Enums are read and written as int. */
G_STATIC_ASSERT (sizeof (NnsTheme) == sizeof (int) && sizeof (NnsDirection) == sizeof (int)
                 && sizeof (NnsEdgeShape) == sizeof (int));

const NnsStyleOption *
nns_style_get_options (guint *n_options)
{
  *n_options = G_N_ELEMENTS (options);
  return options;
}

const NnsStyleOption *
nns_style_find_option (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (options); i++)
    if (g_strcmp0 (options[i].name, name) == 0)
      return &options[i];
  return NULL;
}

const NnsStyleOption *
nns_style_find_settings_key (const char *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (options); i++)
    if (options[i].settings_key != NULL && g_strcmp0 (options[i].settings_key, key) == 0)
      return &options[i];
  return NULL;
}

guint
nns_style_option_get_index (const NnsStyleOption *option)
{
  g_return_val_if_fail (option >= options && option < options + G_N_ELEMENTS (options), 0);
  return option - options;
}

int
nns_style_option_find_id (const NnsStyleOption *option, const char *id)
{
  if (option->ids == NULL || id == NULL)
    return -1;
  for (int i = 0; option->ids[i] != NULL; i++)
    if (g_ascii_strcasecmp (option->ids[i], id) == 0)
      return i;
  return -1;
}

int
nns_style_option_get_enum (const NnsStyleOption *option, const NnsStyle *style)
{
  return *AT (style, option->offset, const int);
}

void
nns_style_option_set_enum (const NnsStyleOption *option, NnsStyle *style, int value)
{
  *AT (style, option->offset, int) = value;
}

/* The bytes an option's value takes in an NnsStyle. */
static gsize
value_size (const NnsStyleOption *option)
{
  switch (option->type)
    {
    case NNS_STYLE_DOUBLE:
      return sizeof (double);
    case NNS_STYLE_UINT:
      return sizeof (guint);
    case NNS_STYLE_BOOL:
      return sizeof (gboolean);
    case NNS_STYLE_ENUM:
      return sizeof (int);
    case NNS_STYLE_COLOR:
      return sizeof (NnsColor);
    default:
      g_assert_not_reached ();
    }
}

void
nns_style_option_copy (const NnsStyleOption *option, NnsStyle *to, const NnsStyle *from)
{
  memcpy (AT (to, option->offset, guint8), AT (from, option->offset, const guint8),
          value_size (option));
  /* A colour comes with whether it is set. */
  if (option->type == NNS_STYLE_COLOR)
    *AT (to, option->set_offset, gboolean) = *AT (from, option->set_offset, const gboolean);
}

static gboolean
color_equal (const NnsColor *a, const NnsColor *b)
{
  return a->red == b->red && a->green == b->green && a->blue == b->blue && a->alpha == b->alpha;
}

gboolean
nns_style_option_equal (const NnsStyleOption *option, const NnsStyle *a, const NnsStyle *b)
{
  switch (option->type)
    {
    case NNS_STYLE_DOUBLE:
      return *AT (a, option->offset, const double) == *AT (b, option->offset, const double);
    case NNS_STYLE_UINT:
      return *AT (a, option->offset, const guint) == *AT (b, option->offset, const guint);
    case NNS_STYLE_BOOL:
      return *AT (a, option->offset, const gboolean) == *AT (b, option->offset, const gboolean);
    case NNS_STYLE_ENUM:
      return *AT (a, option->offset, const int) == *AT (b, option->offset, const int);
    case NNS_STYLE_COLOR:
      {
        gboolean set = *AT (a, option->set_offset, const gboolean);

        /* An unset colour follows the theme whatever its value. */
        return set == *AT (b, option->set_offset, const gboolean)
               && (!set || color_equal (AT (a, option->offset, const NnsColor),
                                        AT (b, option->offset, const NnsColor)));
      }
    default:
      g_assert_not_reached ();
    }
}

void
nns_style_overlay (NnsStyle *style, const NnsStyle *over, NnsStyleMask mask)
{
  for (guint i = 0; i < G_N_ELEMENTS (options); i++)
    if (mask & NNS_STYLE_OPTION_BIT (i))
      nns_style_option_copy (&options[i], style, over);
}

NnsStyleMask
nns_style_diff (const NnsStyle *a, const NnsStyle *b)
{
  NnsStyleMask mask = 0;

  for (guint i = 0; i < G_N_ELEMENTS (options); i++)
    if (!nns_style_option_equal (&options[i], a, b))
      mask |= NNS_STYLE_OPTION_BIT (i);
  return mask;
}

void
nns_style_init_default (NnsStyle *style)
{
  memset (style, 0, sizeof *style);
  for (guint i = 0; i < G_N_ELEMENTS (options); i++)
    {
      const NnsStyleOption *o = &options[i];

      switch (o->type)
        {
        case NNS_STYLE_DOUBLE:
          *AT (style, o->offset, double) = o->default_value;
          break;
        case NNS_STYLE_UINT:
          *AT (style, o->offset, guint) = (guint) o->default_value;
          break;
        case NNS_STYLE_BOOL:
          *AT (style, o->offset, gboolean) = o->default_value != 0;
          break;
        case NNS_STYLE_ENUM:
          *AT (style, o->offset, int) = (int) o->default_value;
          break;
        case NNS_STYLE_COLOR:
          *AT (style, o->offset, NnsColor) = o->default_color;
          *AT (style, o->set_offset, gboolean) = FALSE;
          break;
        default:
          g_assert_not_reached ();
        }
    }
}

static double
clamp_number (double value, double lo, double hi, double fallback)
{
  if (!isfinite (value))
    return fallback;
  return CLAMP (value, lo, hi);
}

static void
clamp_color (NnsColor *c)
{
  c->red = clamp_number (c->red, 0, 1, 0);
  c->green = clamp_number (c->green, 0, 1, 0);
  c->blue = clamp_number (c->blue, 0, 1, 0);
  c->alpha = clamp_number (c->alpha, 0, 1, 1);
}

void
nns_style_clamp (NnsStyle *style)
{
  for (guint i = 0; i < G_N_ELEMENTS (options); i++)
    {
      const NnsStyleOption *o = &options[i];

      switch (o->type)
        {
        case NNS_STYLE_DOUBLE:
          {
            double *value = AT (style, o->offset, double);

            *value = clamp_number (*value, o->min, o->max, o->default_value);
          }
          break;
        case NNS_STYLE_UINT:
          {
            guint *value = AT (style, o->offset, guint);

            *value = CLAMP (*value, (guint) o->min, (guint) o->max);
          }
          break;
        case NNS_STYLE_BOOL:
          *AT (style, o->offset, gboolean) = !!*AT (style, o->offset, gboolean);
          break;
        case NNS_STYLE_ENUM:
          {
            int *value = AT (style, o->offset, int);

            if (*value < o->min || *value > o->max)
              *value = (int) o->default_value;
          }
          break;
        case NNS_STYLE_COLOR:
          clamp_color (AT (style, o->offset, NnsColor));
          *AT (style, o->set_offset, gboolean) = !!*AT (style, o->set_offset, gboolean);
          break;
        default:
          g_assert_not_reached ();
        }
    }
}

gboolean
nns_style_equal (const NnsStyle *a, const NnsStyle *b)
{
  return nns_style_diff (a, b) == 0;
}

const char *
nns_theme_get_id (NnsTheme theme)
{
  return theme_ids[theme == NNS_THEME_DARK];
}

gboolean
nns_theme_from_string (const char *text, NnsTheme *out)
{
  if (text == NULL)
    return FALSE;
  for (int i = 0; theme_ids[i] != NULL; i++)
    if (g_ascii_strcasecmp (text, theme_ids[i]) == 0)
      {
        *out = i;
        return TRUE;
      }
  return FALSE;
}

static int
to_byte (double v)
{
  return (int) lround (CLAMP (v, 0.0, 1.0) * 255.0);
}

char *
nns_color_to_string (const NnsColor *color)
{
  if (to_byte (color->alpha) == 255)
    return g_strdup_printf ("#%02x%02x%02x", to_byte (color->red), to_byte (color->green),
                            to_byte (color->blue));
  return g_strdup_printf ("#%02x%02x%02x%02x", to_byte (color->red), to_byte (color->green),
                          to_byte (color->blue), to_byte (color->alpha));
}

gboolean
nns_color_parse (const char *text, NnsColor *out)
{
  guint v[4] = { 0, 0, 0, 255 };
  gsize len;

  if (text == NULL || text[0] != '#')
    return FALSE;
  len = strlen (text + 1);
  if (len != 6 && len != 8)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isxdigit (text[1 + i]))
      return FALSE;
  for (gsize i = 0; i < len / 2; i++)
    v[i] = g_ascii_xdigit_value (text[1 + 2 * i]) * 16 + g_ascii_xdigit_value (text[2 + 2 * i]);
  out->red = v[0] / 255.0;
  out->green = v[1] / 255.0;
  out->blue = v[2] / 255.0;
  out->alpha = v[3] / 255.0;
  return TRUE;
}

static NnsColor
rgb (guint32 hex)
{
  return (NnsColor) { ((hex >> 16) & 0xff) / 255.0, ((hex >> 8) & 0xff) / 255.0,
                      (hex & 0xff) / 255.0, 1.0 };
}

/* Each theme's colours (0xRRGGBB): GNOME's palette, so the figure sits well
 * in the app and on slides. Light first, then dark. */
typedef struct
{
  guint32 background, text, node_fill, node_border, edge, accent, positive, negative;
} ThemeColors;

static const ThemeColors theme_colors[] = {
  { 0xffffff, 0x241f31, 0xf6f5f4, 0x3d3846, 0x77767b, 0x3584e4, 0x1c71d8, 0xe66100 },
  { 0x242424, 0xffffff, 0x3d3846, 0xc0bfbc, 0x9a9996, 0x78aeed, 0x62a0ea, 0xffa348 },
};

void
nns_style_get_palette (const NnsStyle *style, NnsPalette *out)
{
  const ThemeColors *c = &theme_colors[style->theme == NNS_THEME_DARK];

  out->background = rgb (c->background);
  out->text = rgb (c->text);
  out->node_fill = rgb (c->node_fill);
  out->node_border = rgb (c->node_border);
  out->edge = rgb (c->edge);
  out->accent = rgb (c->accent);
  out->positive = rgb (c->positive);
  out->negative = rgb (c->negative);
  if (style->node_fill_set)
    out->node_fill = style->node_fill;
  if (style->node_border_set)
    out->node_border = style->node_border;
  if (style->edge_color_set)
    out->edge = style->edge_color;
}

static double
channel_luminance (double c)
{
  c = CLAMP (c, 0.0, 1.0);
  return c <= 0.04045 ? c / 12.92 : pow ((c + 0.055) / 1.055, 2.4);
}

static double
relative_luminance (const NnsColor *c)
{
  return 0.2126 * channel_luminance (c->red) + 0.7152 * channel_luminance (c->green)
         + 0.0722 * channel_luminance (c->blue);
}

double
nns_color_contrast (const NnsColor *a, const NnsColor *b)
{
  double la = relative_luminance (a), lb = relative_luminance (b);

  return (MAX (la, lb) + 0.05) / (MIN (la, lb) + 0.05);
}

NnsTheme
nns_theme_for_background (const NnsColor *background)
{
  /* Where black and white text have the same contrast. */
  return relative_luminance (background) > 0.179 ? NNS_THEME_LIGHT : NNS_THEME_DARK;
}

void
nns_style_get_palette_on (const NnsStyle *style, const NnsColor *background, NnsPalette *out)
{
  NnsStyle s = *style;

  if (background == NULL || !(background->alpha > 0))
    {
      nns_style_get_palette (style, out);
      return;
    }
  s.theme = nns_theme_for_background (background);
  nns_style_get_palette (&s, out);
  out->background = *background;
  out->background.alpha = 1;
}

NnsColor
nns_style_get_layer_color (const NnsStyle *style, guint column)
{
  /* blue, green, yellow, orange, red, purple, brown: light and dark shades */
  static const guint32 light[] = { 0x99c1f1, 0x8ff0a4, 0xf9f06b, 0xffbe6f, 0xf66151, 0xdc8add,
                                   0xcdab8f };
  static const guint32 dark[] = { 0x1c71d8, 0x26a269, 0xe5a50a, 0xc64600, 0xa51d2d, 0x613583,
                                  0x63452c };
  const guint32 *shades = style->theme == NNS_THEME_DARK ? dark : light;

  return rgb (shades[column % G_N_ELEMENTS (light)]);
}
