/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "nns-layout"

#include "config.h"

#include <cairo.h>
#include <glib/gi18n-lib.h>
#include <math.h>

#include "nns-layout.h"
#include "nns-params.h"

/* Positions are first worked out on two abstract axes, u across the columns
 * and v along a column, then mapped to x, y by the direction. */

#define ELLIPSIS_SLOTS 3.0     /* from the last first-group node to the first last-group node */
#define BIAS_SLOTS     1.5     /* from the last neuron to the "+1" node */
#define MIN_GAP        0.5     /* between two neighbours, so they never touch */
#define MIN_PITCH      12.0

#define TITLE_SIZE     13.0
#define PARAMS_SIZE    11.0
#define TOTAL_SIZE     13.0
#define TITLE_GAP      12.0    /* between the nodes and the titles */
#define PARAMS_GAP     10.0
#define TOTAL_GAP      16.0
#define LABEL_SEP      14.0    /* least space between two labels side by side */

typedef struct
{
  guint    width;
  guint    n_drawn;
  gboolean collapsed;
  gboolean has_bias;
  guint    n_groups;
  guint    first[2];
  guint    n[2];
  double   slot0[2];       /* slot of a group's first node */
  double   ellipsis_slot;
  double   bias_slot;
  double   span;           /* slots from the first to the last drawn node */
  /* placed: the centre of slot 0 and one step along the column */
  double   x0, y0, sx, sy;
} Column;

/* Metrics are measured once at the nominal size and scaled by the text scale. */
typedef struct
{
  NnsLabel label;
  double   nominal_size;
  double   advance;
  double   ink_x, ink_y, ink_w, ink_h;   /* relative to the baseline origin */
  double   ascent, descent;
  gboolean shown;
} Label;

/* Which labels a layout shows, from all of them down to none: each step is
 * tried when the one before cannot fit the box at the nominal text size. */
typedef enum
{
  LABELS_ALL,     /* every title and params label; the columns spread for them */
  LABELS_THIN,    /* titles that do not collide (first and last kept), no params, the total */
  LABELS_TOTAL,   /* the total only */
  LABELS_NONE,
} LabelMode;

struct _NnsLayout
{
  NnsDirection direction;
  double       width, height;
  double       radius, step, pitch;
  guint        n_columns;
  Column      *columns;
  guint        n_labels;      /* all of them, shown or not */
  Label       *labels;
  char       **texts;
  guint        n_shown;
  guint       *shown;         /* indices into labels, in order */
  /* Labels, their gaps and the margin are drawn text_scale times their
   * nominal size, so that after the box's fit_scale they are nominal again. */
  double       text_scale;
  double       fit_scale;
  LabelMode    mode;
};

static void
measure_label (cairo_t *cr, Label *label)
{
  cairo_font_extents_t fe;
  cairo_text_extents_t te;

  cairo_select_font_face (cr, NNS_LAYOUT_FONT_FAMILY, CAIRO_FONT_SLANT_NORMAL,
                          label->label.bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, label->label.font_size);
  cairo_font_extents (cr, &fe);
  cairo_text_extents (cr, label->label.text, &te);
  label->advance = te.x_advance;
  label->ink_x = te.x_bearing;
  label->ink_y = te.y_bearing;
  label->ink_w = te.width;
  label->ink_h = te.height;
  label->ascent = fe.ascent;
  label->descent = fe.descent;
}

/* The font options the renderer uses too, so measured and drawn text agree. */
static cairo_font_options_t *
label_font_options (void)
{
  cairo_font_options_t *options = cairo_font_options_create ();

  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  return options;
}

static void
make_labels (NnsLayout *self, NnsNetwork *network)
{
  cairo_surface_t *scratch;
  cairo_t *cr;
  cairo_font_options_t *options;
  guint n = 0;

  /* A title per column, params per dense layer, one total. */
  self->n_labels = self->n_columns + (self->n_columns - 1) + 1;
  self->labels = g_new0 (Label, self->n_labels);
  self->texts = g_new0 (char *, self->n_labels + 1);

  for (guint c = 0; c < self->n_columns; c++)
    {
      g_autofree char *title = nns_network_dup_column_title (network, c);
      g_autofree char *count = nns_format_count (self->columns[c].width);
      Label *l = &self->labels[n];

      if (c > 0 && nns_network_get_layer (network, c - 1)->activation != NNS_ACTIVATION_NONE)
        self->texts[n] = g_strdup_printf ("%s · %s · %s", title, count,
                                          nns_activation_get_label (
                                            nns_network_get_layer (network, c - 1)->activation));
      else
        self->texts[n] = g_strdup_printf ("%s · %s", title, count);
      l->label = (NnsLabel) { NNS_LABEL_TITLE, c, self->texts[n], TITLE_SIZE, FALSE };
      n++;
    }
  for (guint c = 1; c < self->n_columns; c++)
    {
      guint64 params = nns_network_count_layer (network, c - 1);
      g_autofree char *count = nns_format_count (params);
      Label *l = &self->labels[n];

      self->texts[n] = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s param", "%s params",
                                                     (gulong) MIN (params, G_MAXULONG)),
                                        count);
      l->label = (NnsLabel) { NNS_LABEL_PARAMS, c, self->texts[n], PARAMS_SIZE, FALSE };
      n++;
    }
  self->texts[n] = nns_format_total (network);
  self->labels[n].label = (NnsLabel) { NNS_LABEL_TOTAL, 0, self->texts[n], TOTAL_SIZE, TRUE };

  /* Measured on a scratch surface so the layout stays a pure function. */
  scratch = cairo_image_surface_create (CAIRO_FORMAT_A8, 1, 1);
  cr = cairo_create (scratch);
  options = label_font_options ();
  cairo_set_font_options (cr, options);
  for (guint i = 0; i < self->n_labels; i++)
    {
      self->labels[i].nominal_size = self->labels[i].label.font_size;
      measure_label (cr, &self->labels[i]);
    }
  cairo_font_options_destroy (options);
  cairo_destroy (cr);
  cairo_surface_destroy (scratch);
}

static void
make_columns (NnsLayout *self, NnsNetwork *network, const NnsStyle *style)
{
  guint limit = CLAMP (style->collapse_limit, 4, 1024);

  self->n_columns = nns_network_get_n_layers (network) + 1;
  self->columns = g_new0 (Column, self->n_columns);
  for (guint c = 0; c < self->n_columns; c++)
    {
      Column *col = &self->columns[c];
      double last;

      col->width = nns_network_get_column_width (network, c);
      col->collapsed = !style->show_all_neurons && col->width > limit;
      col->has_bias = style->show_bias_nodes && c + 1 < self->n_columns &&
                      nns_network_get_layer (network, c)->bias;
      if (col->collapsed)
        {
          col->n_drawn = limit;
          col->n_groups = 2;
          col->first[0] = 0;
          col->n[0] = (limit + 1) / 2;
          col->first[1] = col->width - limit / 2;
          col->n[1] = limit / 2;
          col->slot0[0] = 0;
          col->slot0[1] = (col->n[0] - 1) + ELLIPSIS_SLOTS;
          col->ellipsis_slot = (col->n[0] - 1) + ELLIPSIS_SLOTS / 2;
        }
      else
        {
          col->n_drawn = col->width;
          col->n_groups = 1;
          col->first[0] = 0;
          col->n[0] = col->width;
          col->slot0[0] = 0;
        }
      last = col->slot0[col->n_groups - 1] + (col->n[col->n_groups - 1] - 1);
      if (col->has_bias)
        {
          col->bias_slot = last + BIAS_SLOTS;
          last = col->bias_slot;
        }
      col->span = last;
    }
}

typedef struct
{
  double x0, y0, x1, y1;
} Box;

static void
box_add (Box *b, double x0, double y0, double x1, double y1)
{
  b->x0 = MIN (b->x0, x0);
  b->y0 = MIN (b->y0, y0);
  b->x1 = MAX (b->x1, x1);
  b->y1 = MAX (b->y1, y1);
}

/* Puts the label's baseline origin at (x, y), its metrics scaled by t. */
static void
place_label (Label *l, double t, double x, double y)
{
  l->label.font_size = l->nominal_size * t;
  l->label.x = x;
  l->label.y = y;
  l->label.left = MIN (x, x + t * l->ink_x);
  l->label.top = MIN (y - t * l->ascent, y + t * l->ink_y);
  l->label.width = MAX (x + t * l->advance, x + t * (l->ink_x + l->ink_w)) - l->label.left;
  l->label.height = MAX (y + t * l->descent, y + t * (l->ink_y + l->ink_h)) - l->label.top;
}

static void
label_bounds (const Label *l, Box *bounds)
{
  box_add (bounds, l->label.left, l->label.top, l->label.left + l->label.width,
           l->label.top + l->label.height);
}

/* Start and end of a placed label along the u axis (across the columns). */
static void
label_extent_u (const Label *l, gboolean vertical, double *start, double *end)
{
  *start = vertical ? l->label.top : l->label.left;
  *end = *start + (vertical ? l->label.height : l->label.width);
}

/* LABELS_THIN: keeps the titles that do not collide, from the first column on;
 * the last column's title is always kept, dropping those it would hit. */
static void
thin_titles (NnsLayout *self, double sep)
{
  gboolean vertical = self->direction == NNS_DIRECTION_VERTICAL;
  guint n = self->n_columns, last = 0;
  double end = -G_MAXDOUBLE, start_last, end_last;

  for (guint c = 0; c < n; c++)
    {
      double a, b;

      label_extent_u (&self->labels[c], vertical, &a, &b);
      self->labels[c].shown = c == 0 || a >= end + sep;
      if (self->labels[c].shown)
        {
          end = b;
          last = c;
        }
    }
  if (n < 2 || last == n - 1)
    return;
  label_extent_u (&self->labels[n - 1], vertical, &start_last, &end_last);
  for (guint c = last; c > 0; c--)
    {
      double a, b;

      if (!self->labels[c].shown)
        continue;
      label_extent_u (&self->labels[c], vertical, &a, &b);
      if (b + sep <= start_last)
        break;
      self->labels[c].shown = FALSE;
    }
  {
    double a0, b0;

    /* Two columns closer than their titles: the input's title alone. */
    label_extent_u (&self->labels[0], vertical, &a0, &b0);
    self->labels[n - 1].shown = b0 + sep <= start_last;
  }
}

/* Everything placed for node size and spacing scaled by f (0 = the floors,
 * 1 = the style's own sizes) and column spacing scaled by fu, the labels in
 * self->mode at self->text_scale; sets width and height. */
static void
place (NnsLayout *self, const NnsStyle *style, double f, double fu)
{
  gboolean vertical = self->direction == NNS_DIRECTION_VERTICAL;
  LabelMode mode = self->mode;
  double t = self->text_scale, margin = NNS_LAYOUT_MARGIN * t;
  double r, step, pitch, max_span = 0, vmin, vmax, umax;
  Box bounds;
  double ox, oy;

  r = MAX (NNS_LAYOUT_MIN_RADIUS, f * style->node_diameter / 2);
  step = MAX (NNS_LAYOUT_MIN_STEP, f * (style->node_diameter + style->node_spacing));
  step = MAX (step, 2 * r + MIN_GAP);
  pitch = MAX (fu * style->layer_spacing, 2 * r + 8);
  pitch = MAX (pitch, MIN_PITCH);

  /* Every label shown: the columns spread so they never overlap. */
  if (mode == LABELS_ALL)
    {
      for (guint c = 0; c + 1 < self->n_columns; c++)
        {
          Label *t0 = &self->labels[c], *t1 = &self->labels[c + 1];

          if (vertical)
            pitch = MAX (pitch, t * (t0->ascent + t0->descent + 4));
          else
            {
              pitch = MAX (pitch, t * ((t0->advance + t1->advance) / 2 + LABEL_SEP));
              if (c > 0)
                {
                  Label *p0 = &self->labels[self->n_columns + c - 1];
                  Label *p1 = &self->labels[self->n_columns + c];

                  pitch = MAX (pitch, t * ((p0->advance + p1->advance) / 2 + LABEL_SEP));
                }
            }
        }
    }
  self->radius = r;
  self->step = step;
  self->pitch = pitch;

  for (guint c = 0; c < self->n_columns; c++)
    max_span = MAX (max_span, self->columns[c].span);
  vmin = -max_span * step / 2 - r;
  vmax = max_span * step / 2 + r;
  umax = (self->n_columns - 1) * pitch + r;

  /* Abstract placement: column c at u = c·pitch, each column centred on v = 0. */
  for (guint c = 0; c < self->n_columns; c++)
    {
      Column *col = &self->columns[c];
      double u = c * pitch, v0 = -col->span * step / 2;

      if (vertical)
        {
          col->x0 = v0;
          col->y0 = u;
          col->sx = step;
          col->sy = 0;
        }
      else
        {
          col->x0 = u;
          col->y0 = v0;
          col->sx = 0;
          col->sy = step;
        }
    }
  if (vertical)
    bounds = (Box) { vmin, -r, vmax, umax };
  else
    bounds = (Box) { -r, vmin, umax, vmax };

  for (guint i = 0; i < self->n_labels; i++)
    self->labels[i].shown = FALSE;
  if (mode != LABELS_NONE)
    {
      Label *total = &self->labels[self->n_labels - 1];
      double below = vertical ? umax : vmax;

      for (guint i = 0; i + 1 < self->n_labels; i++)
        {
          Label *l = &self->labels[i];
          double u = l->label.column * pitch;
          gboolean title = l->label.kind == NNS_LABEL_TITLE;

          if (vertical)
            {
              double baseline = u + t * (l->ascent - l->descent) / 2;

              if (title)
                place_label (l, t, vmin - t * (TITLE_GAP + l->advance), baseline);
              else
                place_label (l, t, vmax + t * PARAMS_GAP, baseline);
            }
          else
            {
              if (title)
                place_label (l, t, u - t * l->advance / 2, vmin - t * (TITLE_GAP + l->descent));
              else
                place_label (l, t, u - t * l->advance / 2, vmax + t * (PARAMS_GAP + l->ascent));
            }
          l->shown = mode == LABELS_ALL;
        }
      if (mode == LABELS_THIN)
        thin_titles (self, t * (vertical ? 4 : LABEL_SEP));
      for (guint i = 0; i + 1 < self->n_labels; i++)
        if (self->labels[i].shown)
          {
            label_bounds (&self->labels[i], &bounds);
            if (!vertical && self->labels[i].label.kind == NNS_LABEL_PARAMS)
              below = MAX (below, self->labels[i].label.top + self->labels[i].label.height);
          }
      {
        /* Centred under the whole graph. */
        double centre = vertical ? (vmin + vmax) / 2 : (umax - r) / 2;

        place_label (total, t, centre - t * total->advance / 2,
                     below + t * (TOTAL_GAP + total->ascent));
        total->shown = TRUE;
        label_bounds (total, &bounds);
      }
    }

  /* Move the origin to the top-left corner of the margin. */
  ox = margin - bounds.x0;
  oy = margin - bounds.y0;
  for (guint c = 0; c < self->n_columns; c++)
    {
      self->columns[c].x0 += ox;
      self->columns[c].y0 += oy;
    }
  for (guint i = 0; i < self->n_labels; i++)
    {
      NnsLabel *l = &self->labels[i].label;

      l->x += ox;
      l->left += ox;
      l->y += oy;
      l->top += oy;
    }
  self->width = bounds.x1 - bounds.x0 + 2 * margin;
  self->height = bounds.y1 - bounds.y0 + 2 * margin;
}

/* The drawing's size across the columns (u) and along them (v). */
static double
size_u (const NnsLayout *self)
{
  return self->direction == NNS_DIRECTION_VERTICAL ? self->height : self->width;
}

static double
size_v (const NnsLayout *self)
{
  return self->direction == NNS_DIRECTION_VERTICAL ? self->width : self->height;
}

/* Largest f in [lo, hi] with size (f) <= limit, for a size growing with f. */
static double
bisect (NnsLayout *self, const NnsStyle *style, gboolean along, double fixed, double lo,
        double hi, double limit)
{
  for (int i = 0; i < 40; i++)
    {
      double mid = (lo + hi) / 2;

      if (along)
        place (self, style, mid, fixed);
      else
        place (self, style, fixed, mid);
      if ((along ? size_v (self) : size_u (self)) <= limit)
        lo = mid;
      else
        hi = mid;
    }
  return lo;
}

/* Node size and spacing for the current label mode and text scale. */
static void
fit_nodes (NnsLayout *self, const NnsStyle *s, double box_width, double box_height)
{
  gboolean vertical = self->direction == NNS_DIRECTION_VERTICAL;
  double box_u = vertical ? box_height : box_width;
  double box_v = vertical ? box_width : box_height;
  double f = 1, fu = 1, over = 1;

  place (self, s, 1, 1);
  if ((box_u <= 0 || size_u (self) <= box_u) && (box_v <= 0 || size_v (self) <= box_v))
    return;

  /* Along the columns: node size and spacing shrink to fit, down to the floor. */
  if (box_v > 0 && size_v (self) > box_v)
    {
      f = bisect (self, s, TRUE, 1, 0, 1, box_v);
      place (self, s, f, 1);
      over = MAX (1, size_v (self) / box_v);
    }

  /* Across: the column spacing fits the box; when the floor left the drawing
   * larger than the box (an export scales it down by `over`), the columns
   * spread so the scaled drawing still fills the box's width. */
  if (box_u > 0)
    {
      double target = box_u * over;

      if (size_u (self) > target)
        fu = bisect (self, s, FALSE, f, 0, 1, target);
      else if (over > 1)
        {
          double hi = 2;

          place (self, s, f, hi);
          while (size_u (self) <= target && hi < 1e6)
            {
              hi *= 2;
              place (self, s, f, hi);
            }
          fu = bisect (self, s, FALSE, f, 1, hi, target);
        }
    }
  place (self, s, f, fu);
}

/* What the drawing is scaled by to fit the box. */
static double
box_scale (const NnsLayout *self, double box_width, double box_height)
{
  double scale = G_MAXDOUBLE;

  if (box_width > 0)
    scale = MIN (scale, box_width / self->width);
  if (box_height > 0)
    scale = MIN (scale, box_height / self->height);
  return scale == G_MAXDOUBLE ? 1 : scale;
}

/* Text scale × fit scale: 1 when the text comes out at its nominal size. It
 * grows with t (the labels take a growing share of the drawing). */
static double
text_out (NnsLayout *self, const NnsStyle *s, double box_width, double box_height, double t)
{
  self->text_scale = t;
  fit_nodes (self, s, box_width, box_height);
  return t * box_scale (self, box_width, box_height);
}

#define TEXT_SCALE_MIN 1e-4
#define TEXT_SCALE_MAX 1e9

/* Finds the text scale that makes the text nominal in the box, for the
 * current label mode; FALSE if even arbitrarily large labels come out too
 * small (the labels need more room than the box has). */
static gboolean
solve_text_scale (NnsLayout *self, const NnsStyle *s, double box_width, double box_height)
{
  double lo = TEXT_SCALE_MIN, hi = TEXT_SCALE_MAX;

  /* The common case: the box is met above the floor, and t = 1 is exact. */
  if (fabs (text_out (self, s, box_width, box_height, 1) - 1) < 1e-9)
    return TRUE;
  if (text_out (self, s, box_width, box_height, hi) < 1)
    return FALSE;
  if (text_out (self, s, box_width, box_height, lo) >= 1)
    return TRUE;
  /* Bisection on log t, down to a relative 1e-9. */
  while (hi / lo > 1 + 1e-9)
    {
      double mid = sqrt (lo * hi);

      if (text_out (self, s, box_width, box_height, mid) >= 1)
        hi = mid;
      else
        lo = mid;
    }
  /* Never below nominal: the upper end. */
  text_out (self, s, box_width, box_height, hi);
  return TRUE;
}

static void
fit_box (NnsLayout *self, const NnsStyle *s, double box_width, double box_height)
{
  self->text_scale = 1;
  self->mode = s->show_labels ? LABELS_ALL : LABELS_NONE;
  if (box_width <= 0 && box_height <= 0)
    {
      place (self, s, 1, 1);
      return;
    }
  for (;; self->mode++)
    {
      if (solve_text_scale (self, s, box_width, box_height))
        return;
      if (self->mode == LABELS_NONE)
        break;
    }
  /* A box smaller than the margins: everything scales down together. */
  self->text_scale = 1;
  fit_nodes (self, s, box_width, box_height);
}

NnsLayout *
nns_layout_new (NnsNetwork *network, const NnsStyle *style, double box_width, double box_height)
{
  NnsLayout *self;
  NnsStyle s;

  g_return_val_if_fail (NNS_IS_NETWORK (network), NULL);
  g_return_val_if_fail (style != NULL, NULL);

  s = *style;
  nns_style_clamp (&s);
  self = g_new0 (NnsLayout, 1);
  self->direction = s.direction;
  make_columns (self, network, &s);
  make_labels (self, network);

  box_width = isfinite (box_width) ? MAX (box_width, 0) : 0;
  box_height = isfinite (box_height) ? MAX (box_height, 0) : 0;
  fit_box (self, &s, box_width, box_height);
  self->fit_scale = box_scale (self, box_width, box_height);

  self->shown = g_new (guint, self->n_labels);
  for (guint i = 0; i < self->n_labels; i++)
    if (self->labels[i].shown)
      self->shown[self->n_shown++] = i;
  return self;
}

void
nns_layout_free (NnsLayout *layout)
{
  if (layout == NULL)
    return;
  g_free (layout->columns);
  g_free (layout->labels);
  g_free (layout->shown);
  g_strfreev (layout->texts);
  g_free (layout);
}

double
nns_layout_get_width (const NnsLayout *layout)
{
  return layout->width;
}

double
nns_layout_get_height (const NnsLayout *layout)
{
  return layout->height;
}

guint
nns_layout_get_n_columns (const NnsLayout *layout)
{
  return layout->n_columns;
}

guint
nns_layout_get_column_width (const NnsLayout *layout, guint column)
{
  g_return_val_if_fail (column < layout->n_columns, 0);
  return layout->columns[column].width;
}

guint
nns_layout_get_n_drawn (const NnsLayout *layout, guint column)
{
  g_return_val_if_fail (column < layout->n_columns, 0);
  return layout->columns[column].n_drawn;
}

gboolean
nns_layout_is_collapsed (const NnsLayout *layout, guint column)
{
  g_return_val_if_fail (column < layout->n_columns, FALSE);
  return layout->columns[column].collapsed;
}

static void
fill_node (const NnsLayout *layout, const Column *col, guint column, guint neuron, double slot,
           NnsNode *out)
{
  out->column = column;
  out->neuron = neuron;
  out->x = col->x0 + slot * col->sx;
  out->y = col->y0 + slot * col->sy;
  out->radius = layout->radius;
}

void
nns_layout_get_drawn_node (const NnsLayout *layout, guint column, guint i, NnsNode *out)
{
  const Column *col;

  g_return_if_fail (column < layout->n_columns);
  col = &layout->columns[column];
  g_return_if_fail (i < col->n_drawn);
  if (i < col->n[0])
    fill_node (layout, col, column, col->first[0] + i, col->slot0[0] + i, out);
  else
    fill_node (layout, col, column, col->first[1] + (i - col->n[0]), col->slot0[1] + (i - col->n[0]),
               out);
}

gboolean
nns_layout_get_node (const NnsLayout *layout, guint column, guint neuron, NnsNode *out)
{
  const Column *col;

  g_return_val_if_fail (column < layout->n_columns, FALSE);
  col = &layout->columns[column];
  for (guint g = 0; g < col->n_groups; g++)
    if (neuron >= col->first[g] && neuron - col->first[g] < col->n[g])
      {
        fill_node (layout, col, column, neuron, col->slot0[g] + (neuron - col->first[g]), out);
        return TRUE;
      }
  return FALSE;
}

gboolean
nns_layout_hit_test (const NnsLayout *layout, double x, double y, guint *column, guint *neuron)
{
  double r = layout->radius;

  for (guint c = 0; c < layout->n_columns; c++)
    {
      const Column *col = &layout->columns[c];
      double across, along;

      /* Distance across the column and position along it, in slots. */
      if (layout->direction == NNS_DIRECTION_VERTICAL)
        {
          across = y - col->y0;
          along = (x - col->x0) / layout->step;
        }
      else
        {
          across = x - col->x0;
          along = (y - col->y0) / layout->step;
        }
      if (fabs (across) > r)
        continue;
      for (guint g = 0; g < col->n_groups; g++)
        {
          double k = round (along - col->slot0[g]);
          NnsNode node;
          double dx, dy;

          if (k < 0 || k >= col->n[g])
            continue;
          fill_node (layout, col, c, col->first[g] + (guint) k, col->slot0[g] + k, &node);
          dx = x - node.x;
          dy = y - node.y;
          if (dx * dx + dy * dy <= r * r)
            {
              if (column)
                *column = c;
              if (neuron)
                *neuron = node.neuron;
              return TRUE;
            }
        }
    }
  return FALSE;
}

NnsDirection
nns_layout_get_direction (const NnsLayout *layout)
{
  return layout->direction;
}

double
nns_layout_get_radius (const NnsLayout *layout)
{
  return layout->radius;
}

double
nns_layout_get_step (const NnsLayout *layout)
{
  return layout->step;
}

guint
nns_layout_get_n_groups (const NnsLayout *layout, guint column)
{
  g_return_val_if_fail (column < layout->n_columns, 0);
  return layout->columns[column].n_groups;
}

void
nns_layout_get_group (const NnsLayout *layout, guint column, guint group, NnsNodeGroup *out)
{
  const Column *col;

  g_return_if_fail (column < layout->n_columns);
  col = &layout->columns[column];
  g_return_if_fail (group < col->n_groups);
  out->first = col->first[group];
  out->n = col->n[group];
  out->x0 = col->x0 + col->slot0[group] * col->sx;
  out->y0 = col->y0 + col->slot0[group] * col->sy;
  out->dx = col->sx;
  out->dy = col->sy;
}

gboolean
nns_layout_get_ellipsis (const NnsLayout *layout, guint column, double *x, double *y, double *dx,
                         double *dy)
{
  const Column *col;

  g_return_val_if_fail (column < layout->n_columns, FALSE);
  col = &layout->columns[column];
  if (!col->collapsed)
    return FALSE;
  *x = col->x0 + col->ellipsis_slot * col->sx;
  *y = col->y0 + col->ellipsis_slot * col->sy;
  *dx = col->sx;
  *dy = col->sy;
  return TRUE;
}

gboolean
nns_layout_get_bias_node (const NnsLayout *layout, guint column, NnsNode *out)
{
  const Column *col;

  g_return_val_if_fail (column < layout->n_columns, FALSE);
  col = &layout->columns[column];
  if (!col->has_bias)
    return FALSE;
  fill_node (layout, col, column, col->width, col->bias_slot, out);
  return TRUE;
}

guint
nns_layout_get_n_labels (const NnsLayout *layout)
{
  return layout->n_shown;
}

void
nns_layout_get_label (const NnsLayout *layout, guint index, NnsLabel *out)
{
  g_return_if_fail (index < layout->n_shown);
  *out = layout->labels[layout->shown[index]].label;
}

double
nns_layout_get_fit_scale (const NnsLayout *layout)
{
  return layout->fit_scale;
}

double
nns_layout_get_text_scale (const NnsLayout *layout)
{
  return layout->text_scale;
}
