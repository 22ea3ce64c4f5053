/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "nns-style"

#include "nns-style.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void
nns_style_init_default (NnsStyle *style)
{
  memset (style, 0, sizeof *style);
  style->theme = NNS_THEME_LIGHT;
  style->node_diameter = 24.0;
  style->node_border_width = 1.5;
  style->node_fill = (NnsColor) { 1.0, 1.0, 1.0, 1.0 };
  style->node_border = (NnsColor) { 0.2, 0.2, 0.2, 1.0 };
  style->edge_color = (NnsColor) { 0.4, 0.4, 0.4, 1.0 };
  style->edge_width = 1.0;
  style->edge_opacity = 0.8;
  style->layer_spacing = 160.0;
  style->node_spacing = 10.0;
  style->direction = NNS_DIRECTION_HORIZONTAL;
  style->show_labels = TRUE;
  style->show_titles = TRUE;
  style->show_widths = TRUE;
  style->show_activations = TRUE;
  style->show_params = TRUE;
  style->show_total = TRUE;
  style->edge_shape = NNS_EDGE_STRAIGHT;
  style->arrowheads = FALSE;
  style->show_bias_nodes = FALSE;
  style->weight_colors = FALSE;
  style->weight_seed = 1;
  style->layer_colors = FALSE;
  style->collapse_limit = 20;
  style->show_all_neurons = FALSE;
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
  NnsStyle d;

  nns_style_init_default (&d);
  if (style->theme != NNS_THEME_LIGHT && style->theme != NNS_THEME_DARK)
    style->theme = d.theme;
  if (style->direction != NNS_DIRECTION_HORIZONTAL && style->direction != NNS_DIRECTION_VERTICAL)
    style->direction = d.direction;
  if (style->edge_shape != NNS_EDGE_STRAIGHT && style->edge_shape != NNS_EDGE_BEZIER)
    style->edge_shape = d.edge_shape;
  style->node_diameter = clamp_number (style->node_diameter, 4, 200, d.node_diameter);
  style->node_border_width = clamp_number (style->node_border_width, 0, 20, d.node_border_width);
  style->edge_width = clamp_number (style->edge_width, 0.1, 20, d.edge_width);
  style->edge_opacity = clamp_number (style->edge_opacity, 0, 1, d.edge_opacity);
  style->layer_spacing = clamp_number (style->layer_spacing, 20, 2000, d.layer_spacing);
  style->node_spacing = clamp_number (style->node_spacing, 0, 500, d.node_spacing);
  style->collapse_limit = CLAMP (style->collapse_limit, 4, 1024);
  clamp_color (&style->node_fill);
  clamp_color (&style->node_border);
  clamp_color (&style->edge_color);
  style->show_labels = !!style->show_labels;
  style->show_titles = !!style->show_titles;
  style->show_widths = !!style->show_widths;
  style->show_activations = !!style->show_activations;
  style->show_params = !!style->show_params;
  style->show_total = !!style->show_total;
  style->arrowheads = !!style->arrowheads;
  style->show_bias_nodes = !!style->show_bias_nodes;
  style->weight_colors = !!style->weight_colors;
  style->layer_colors = !!style->layer_colors;
  style->show_all_neurons = !!style->show_all_neurons;
  style->node_fill_set = !!style->node_fill_set;
  style->node_border_set = !!style->node_border_set;
  style->edge_color_set = !!style->edge_color_set;
}

static gboolean
color_equal (const NnsColor *a, const NnsColor *b)
{
  return a->red == b->red && a->green == b->green && a->blue == b->blue && a->alpha == b->alpha;
}

gboolean
nns_style_equal (const NnsStyle *a, const NnsStyle *b)
{
  return a->theme == b->theme &&
         a->node_diameter == b->node_diameter &&
         a->node_border_width == b->node_border_width &&
         a->node_fill_set == b->node_fill_set &&
         (!a->node_fill_set || color_equal (&a->node_fill, &b->node_fill)) &&
         a->node_border_set == b->node_border_set &&
         (!a->node_border_set || color_equal (&a->node_border, &b->node_border)) &&
         a->edge_color_set == b->edge_color_set &&
         (!a->edge_color_set || color_equal (&a->edge_color, &b->edge_color)) &&
         a->edge_width == b->edge_width &&
         a->edge_opacity == b->edge_opacity &&
         a->layer_spacing == b->layer_spacing &&
         a->node_spacing == b->node_spacing &&
         a->direction == b->direction &&
         a->show_labels == b->show_labels &&
         a->show_titles == b->show_titles &&
         a->show_widths == b->show_widths &&
         a->show_activations == b->show_activations &&
         a->show_params == b->show_params &&
         a->show_total == b->show_total &&
         a->edge_shape == b->edge_shape &&
         a->arrowheads == b->arrowheads &&
         a->show_bias_nodes == b->show_bias_nodes &&
         a->weight_colors == b->weight_colors &&
         a->weight_seed == b->weight_seed &&
         a->layer_colors == b->layer_colors &&
         a->collapse_limit == b->collapse_limit &&
         a->show_all_neurons == b->show_all_neurons;
}

const char *
nns_theme_get_id (NnsTheme theme)
{
  return theme == NNS_THEME_DARK ? "dark" : "light";
}

gboolean
nns_theme_from_string (const char *text, NnsTheme *out)
{
  if (text == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (text, "light") == 0)
    *out = NNS_THEME_LIGHT;
  else if (g_ascii_strcasecmp (text, "dark") == 0)
    *out = NNS_THEME_DARK;
  else
    return FALSE;
  return TRUE;
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

void
nns_style_get_palette (const NnsStyle *style, NnsPalette *out)
{
  /* GNOME's palette, so the figure sits well in the app and on slides. */
  if (style->theme == NNS_THEME_DARK)
    {
      out->background = rgb (0x242424);
      out->text = rgb (0xffffff);
      out->node_fill = rgb (0x3d3846);
      out->node_border = rgb (0xc0bfbc);
      out->edge = rgb (0x9a9996);
      out->accent = rgb (0x78aeed);
      out->positive = rgb (0x62a0ea);
      out->negative = rgb (0xf66151);
    }
  else
    {
      out->background = rgb (0xffffff);
      out->text = rgb (0x241f31);
      out->node_fill = rgb (0xf6f5f4);
      out->node_border = rgb (0x3d3846);
      out->edge = rgb (0x77767b);
      out->accent = rgb (0x3584e4);
      out->positive = rgb (0x1c71d8);
      out->negative = rgb (0xc01c28);
    }
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
