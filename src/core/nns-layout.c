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

typedef struct
{
  NnsLabel label;
  double   advance;
  double   ink_x, ink_y, ink_w, ink_h;   /* relative to the baseline origin */
  double   ascent, descent;
} Label;

struct _NnsLayout
{
  NnsDirection direction;
  double       width, height;
  double       radius, step, pitch;
  guint        n_columns;
  Column      *columns;
  guint        n_labels;
  Label       *labels;
  char       **texts;
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
    measure_label (cr, &self->labels[i]);
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

static void
place_label (Label *l, double x, double y, Box *bounds)
{
  l->label.x = x;
  l->label.y = y;
  l->label.left = MIN (x, x + l->ink_x);
  l->label.top = MIN (y - l->ascent, y + l->ink_y);
  l->label.width = MAX (x + l->advance, x + l->ink_x + l->ink_w) - l->label.left;
  l->label.height = MAX (y + l->descent, y + l->ink_y + l->ink_h) - l->label.top;
  box_add (bounds, l->label.left, l->label.top, l->label.left + l->label.width,
           l->label.top + l->label.height);
}

/* Everything placed for node size and spacing scaled by f (0 = the floors,
 * 1 = the style's own sizes) and column spacing scaled by fu; sets width and
 * height. */
static void
place (NnsLayout *self, const NnsStyle *style, gboolean labels, double f, double fu)
{
  gboolean vertical = self->direction == NNS_DIRECTION_VERTICAL;
  double r, step, pitch, max_span = 0, vmin, vmax, umax;
  Box bounds;
  double ox, oy;

  r = MAX (NNS_LAYOUT_MIN_RADIUS, f * style->node_diameter / 2);
  step = MAX (NNS_LAYOUT_MIN_STEP, f * (style->node_diameter + style->node_spacing));
  step = MAX (step, 2 * r + MIN_GAP);
  pitch = MAX (fu * style->layer_spacing, 2 * r + 8);
  pitch = MAX (pitch, MIN_PITCH);

  /* Labels never overlap: the columns spread to make room for them. */
  if (labels)
    {
      for (guint c = 0; c + 1 < self->n_columns; c++)
        {
          Label *t0 = &self->labels[c], *t1 = &self->labels[c + 1];

          if (vertical)
            pitch = MAX (pitch, t0->ascent + t0->descent + 4);
          else
            {
              pitch = MAX (pitch, (t0->advance + t1->advance) / 2 + LABEL_SEP);
              if (c > 0)
                {
                  Label *p0 = &self->labels[self->n_columns + c - 1];
                  Label *p1 = &self->labels[self->n_columns + c];

                  pitch = MAX (pitch, (p0->advance + p1->advance) / 2 + LABEL_SEP);
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

  if (labels)
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
              double baseline = u + (l->ascent - l->descent) / 2;

              if (title)
                place_label (l, vmin - TITLE_GAP - l->advance, baseline, &bounds);
              else
                place_label (l, vmax + PARAMS_GAP, baseline, &bounds);
            }
          else
            {
              if (title)
                place_label (l, u - l->advance / 2, vmin - TITLE_GAP - l->descent, &bounds);
              else
                {
                  place_label (l, u - l->advance / 2, vmax + PARAMS_GAP + l->ascent, &bounds);
                  below = MAX (below, l->label.top + l->label.height);
                }
            }
        }
      {
        /* Centred under the whole graph. */
        double centre = vertical ? (vmin + vmax) / 2 : (umax - r) / 2;

        place_label (total, centre - total->advance / 2, below + TOTAL_GAP + total->ascent,
                     &bounds);
      }
    }

  /* Move the origin to the top-left corner of the margin. */
  ox = NNS_LAYOUT_MARGIN - bounds.x0;
  oy = NNS_LAYOUT_MARGIN - bounds.y0;
  for (guint c = 0; c < self->n_columns; c++)
    {
      self->columns[c].x0 += ox;
      self->columns[c].y0 += oy;
    }
  for (guint i = 0; labels && i < self->n_labels; i++)
    {
      NnsLabel *l = &self->labels[i].label;

      l->x += ox;
      l->left += ox;
      l->y += oy;
      l->top += oy;
    }
  self->width = bounds.x1 - bounds.x0 + 2 * NNS_LAYOUT_MARGIN;
  self->height = bounds.y1 - bounds.y0 + 2 * NNS_LAYOUT_MARGIN;
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
        place (self, style, style->show_labels, mid, fixed);
      else
        place (self, style, style->show_labels, fixed, mid);
      if ((along ? size_v (self) : size_u (self)) <= limit)
        lo = mid;
      else
        hi = mid;
    }
  return lo;
}

static void
fit_box (NnsLayout *self, const NnsStyle *s, double box_width, double box_height)
{
  gboolean vertical = self->direction == NNS_DIRECTION_VERTICAL;
  double box_u = vertical ? box_height : box_width;
  double box_v = vertical ? box_width : box_height;
  double f = 1, fu = 1, over = 1;

  place (self, s, s->show_labels, 1, 1);
  if ((box_u <= 0 || size_u (self) <= box_u) && (box_v <= 0 || size_v (self) <= box_v))
    return;

  /* Along the columns: node size and spacing shrink to fit, down to the floor. */
  if (box_v > 0 && size_v (self) > box_v)
    {
      f = bisect (self, s, TRUE, 1, 0, 1, box_v);
      place (self, s, s->show_labels, f, 1);
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

          place (self, s, s->show_labels, f, hi);
          while (size_u (self) <= target && hi < 1e6)
            {
              hi *= 2;
              place (self, s, s->show_labels, f, hi);
            }
          fu = bisect (self, s, FALSE, f, 1, hi, target);
        }
    }
  place (self, s, s->show_labels, f, fu);
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

  fit_box (self, &s, box_width, box_height);
  if (!s.show_labels)
    self->n_labels = 0;
  return self;
}

void
nns_layout_free (NnsLayout *layout)
{
  if (layout == NULL)
    return;
  g_free (layout->columns);
  g_free (layout->labels);
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
  return layout->n_labels;
}

void
nns_layout_get_label (const NnsLayout *layout, guint index, NnsLabel *out)
{
  g_return_if_fail (index < layout->n_labels);
  *out = layout->labels[index].label;
}
