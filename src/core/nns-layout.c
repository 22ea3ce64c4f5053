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
#define LINE_SPACING   1.3     /* baseline to baseline, in font sizes */
#define TITLE_GAP      10.0    /* between the nodes and the lines above them */
#define PARAMS_GAP     10.0
#define TOTAL_GAP      16.0
#define LABEL_SEP      12.0    /* least space between two labels side by side */
#define STAGGER_SEP    4.0     /* between the two rows of staggered labels */
#define WRAP_MIN       90.0    /* titles wrap at word breaks past this width or the column spacing */

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
  /* its labels: lines above (horizontal) or before (vertical) the nodes, top
   * line first, and the params label after them */
  guint    first_line, n_lines;
  gint     params;         /* index into labels, -1 for none */
  double   lines_width;    /* widest line, nominal size */
} Column;

/* Metrics are measured once at the nominal size and scaled by the text scale. */
typedef struct
{
  NnsLabel label;
  double   nominal_size;
  double   advance;
  double   ink_x, ink_y, ink_w, ink_h;   /* relative to the baseline origin */
  double   ascent, descent;
} Label;

struct _NnsLayout
{
  NnsDirection direction;
  double       width, height;
  double       radius, step, pitch;
  gboolean     staggered;
  guint        n_columns;
  Column      *columns;
  GArray      *labels;        /* of Label, every one shown */
  GPtrArray   *texts;
  gint         total;         /* index into labels, -1 for none */
  guint        legend_rows;   /* 0: no weight legend */
  double       legend_x, legend_y, legend_w, legend_h;
  double       text_scale;
  double       fit_scale;
};

#define LABEL(self, i) (&g_array_index ((self)->labels, Label, (i)))

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
set_font (cairo_t *cr, double size, gboolean bold)
{
  cairo_select_font_face (cr, NNS_LAYOUT_FONT_FAMILY, CAIRO_FONT_SLANT_NORMAL,
                          bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, size);
}

static double
text_advance (cairo_t *cr, const char *text)
{
  cairo_text_extents_t te;

  cairo_text_extents (cr, text, &te);
  return te.x_advance;
}

/* Appends a label of one line; the layout keeps the text. */
static guint
add_label (NnsLayout *self, cairo_t *cr, NnsLabelKind kind, guint column, char *text, double size,
           gboolean bold)
{
  cairo_font_extents_t fe;
  cairo_text_extents_t te;
  Label l = { 0 };

  g_ptr_array_add (self->texts, text);
  l.label = (NnsLabel) { kind, column, text, size, bold };
  l.nominal_size = size;
  set_font (cr, size, bold);
  cairo_font_extents (cr, &fe);
  cairo_text_extents (cr, text, &te);
  l.advance = te.x_advance;
  l.ink_x = te.x_bearing;
  l.ink_y = te.y_bearing;
  l.ink_w = te.width;
  l.ink_h = te.height;
  l.ascent = fe.ascent;
  l.descent = fe.descent;
  g_array_append_val (self->labels, l);
  return self->labels->len - 1;
}

/* A title too wide for its column breaks into lines at spaces (a word wider
 * than the limit stays whole and the columns spread for it instead). */
static GPtrArray *
wrap_title (cairo_t *cr, const char *title, double limit)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  g_auto (GStrv) words = g_strsplit (title, " ", -1);
  GString *line = g_string_new (NULL);

  set_font (cr, TITLE_SIZE, FALSE);
  for (guint i = 0; words[i] != NULL; i++)
    {
      g_autofree char *longer = NULL;

      if (*words[i] == '\0')
        continue;
      longer = line->len > 0 ? g_strconcat (line->str, " ", words[i], NULL) : g_strdup (words[i]);
      if (line->len > 0 && text_advance (cr, longer) > limit)
        {
          g_ptr_array_add (lines, g_string_free (line, FALSE));
          line = g_string_new (words[i]);
        }
      else
        g_string_assign (line, longer);
    }
  if (line->len > 0 || lines->len == 0)
    g_ptr_array_add (lines, g_string_free (line, FALSE));
  else
    g_string_free (line, TRUE);
  return lines;
}

static void
make_labels (NnsLayout *self, NnsNetwork *network, const NnsStyle *style)
{
  cairo_surface_t *scratch;
  cairo_t *cr;
  cairo_font_options_t *options;
  gboolean on = style->show_labels;
  double wrap = MAX (WRAP_MIN, style->layer_spacing - LABEL_SEP);

  self->labels = g_array_new (FALSE, TRUE, sizeof (Label));
  self->texts = g_ptr_array_new_with_free_func (g_free);
  self->total = -1;

  /* Measured on a scratch surface so the layout stays a pure function. */
  scratch = cairo_image_surface_create (CAIRO_FORMAT_A8, 1, 1);
  cr = cairo_create (scratch);
  options = label_font_options ();
  cairo_set_font_options (cr, options);

  for (guint c = 0; c < self->n_columns; c++)
    {
      Column *col = &self->columns[c];

      col->first_line = self->labels->len;
      if (on && style->show_titles)
        {
          g_autofree char *title = nns_network_dup_column_title (network, c);
          g_autoptr (GPtrArray) lines = wrap_title (cr, title, wrap);

          for (guint i = 0; i < lines->len; i++)
            add_label (self, cr, NNS_LABEL_TITLE, c, g_strdup (lines->pdata[i]), TITLE_SIZE,
                       FALSE);
        }
      if (on && style->show_widths)
        add_label (self, cr, NNS_LABEL_WIDTH, c, nns_format_count (col->width), TITLE_SIZE, FALSE);
      if (on && style->show_activations && c > 0)
        {
          /* The activation with the norm and dropout around it. */
          char *modules = nns_layer_dup_modules_label (nns_network_get_layer (network, c - 1), TRUE);

          if (modules[0] != '\0')
            add_label (self, cr, NNS_LABEL_ACTIVATION, c, modules, TITLE_SIZE, FALSE);
          else
            g_free (modules);
        }
      col->n_lines = self->labels->len - col->first_line;
      col->lines_width = 0;
      for (guint i = col->first_line; i < self->labels->len; i++)
        col->lines_width = MAX (col->lines_width, LABEL (self, i)->advance);

      col->params = -1;
      if (on && style->show_params && c > 0)
        {
          guint64 params = nns_network_count_layer (network, c - 1);
          g_autofree char *count = nns_format_count (params);

          col->params = add_label (self, cr, NNS_LABEL_PARAMS, c,
                                   g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s param",
                                                                 "%s params",
                                                                 (gulong) MIN (params, G_MAXULONG)),
                                                    count),
                                   PARAMS_SIZE, FALSE);
        }
    }
  if (on && style->show_total)
    self->total = add_label (self, cr, NNS_LABEL_TOTAL, 0, nns_format_total (network), TOTAL_SIZE,
                             TRUE);

  cairo_font_options_destroy (options);
  cairo_destroy (cr);
  cairo_surface_destroy (scratch);
}

/* A layer is collapsed only when that saves room: the ellipsis takes the
 * place of ELLIPSIS_SLOTS - 1 neurons, so it must hide more than those. */
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
      col->collapsed = !style->show_all_neurons && col->width > limit + NNS_LAYOUT_ELLIPSIS_ROOM;
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
place_label (Label *l, double t, double x, double y, Box *bounds)
{
  l->label.font_size = l->nominal_size * t;
  l->label.x = x;
  l->label.y = y;
  l->label.left = MIN (x, x + t * l->ink_x);
  l->label.top = MIN (y - t * l->ascent, y + t * l->ink_y);
  l->label.width = MAX (x + t * l->advance, x + t * (l->ink_x + l->ink_w)) - l->label.left;
  l->label.height = MAX (y + t * l->descent, y + t * (l->ink_y + l->ink_h)) - l->label.top;
  box_add (bounds, l->label.left, l->label.top, l->label.left + l->label.width,
           l->label.top + l->label.height);
}

static double
params_width (const NnsLayout *self, guint c)
{
  return self->columns[c].params >= 0 ? LABEL (self, self->columns[c].params)->advance : 0;
}

/* Nominal column spacing the labels need so none overlaps another: side by
 * side (stride 1) or, staggered, every other column on one row (stride 2). */
static double
label_pitch (const NnsLayout *self, guint stride)
{
  double need = 0;

  for (guint c = 0; c + stride < self->n_columns; c++)
    {
      const Column *a = &self->columns[c], *b = &self->columns[c + stride];

      if (a->n_lines > 0 && b->n_lines > 0)
        need = MAX (need, (a->lines_width + b->lines_width) / 2 + LABEL_SEP);
      if (a->params >= 0 && b->params >= 0)
        need = MAX (need, (params_width (self, c) + params_width (self, c + stride)) / 2 + LABEL_SEP);
    }
  return need / stride;
}

static double
line_height (double size)
{
  return size * LINE_SPACING;
}

/* Everything placed for the radius, step and pitch given, labels at text
 * scale t; sets width and height. */
static void
place (NnsLayout *self, double t)
{
  gboolean vertical = self->direction == NNS_DIRECTION_VERTICAL;
  double r = self->radius, step = self->step, pitch = self->pitch;
  double margin = NNS_LAYOUT_MARGIN * t;
  double max_span = 0, vmin, vmax, umax, below, rise = 0;
  Box bounds;
  double ox, oy;

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
        col->x0 = v0, col->y0 = u, col->sx = step, col->sy = 0;
      else
        col->x0 = u, col->y0 = v0, col->sx = 0, col->sy = step;
    }
  if (vertical)
    bounds = (Box) { vmin, -r, vmax, umax };
  else
    bounds = (Box) { -r, vmin, umax, vmax };

  /* Staggered: odd columns' lines sit a whole stack higher, their params a line lower. */
  for (guint c = 0; c < self->n_columns; c++)
    rise = MAX (rise, self->columns[c].n_lines * line_height (TITLE_SIZE));
  rise = t * (rise + STAGGER_SEP);

  below = vertical ? umax : vmax;
  for (guint c = 0; c < self->n_columns; c++)
    {
      Column *col = &self->columns[c];
      double u = c * pitch;
      gboolean odd = self->staggered && c % 2 == 1;

      for (guint k = 0; k < col->n_lines; k++)
        {
          Label *l = LABEL (self, col->first_line + k);
          guint from_bottom = col->n_lines - 1 - k;

          if (vertical)
            {
              double lh = t * line_height (TITLE_SIZE);
              double top = u - col->n_lines * lh / 2;
              double baseline = top + k * lh + (lh + t * (l->ascent - l->descent)) / 2;

              place_label (l, t, vmin - t * (TITLE_GAP + l->advance), baseline, &bounds);
            }
          else
            {
              double baseline = vmin - t * (TITLE_GAP + l->descent)
                                - from_bottom * t * line_height (TITLE_SIZE) - (odd ? rise : 0);

              place_label (l, t, u - t * l->advance / 2, baseline, &bounds);
            }
        }
      if (col->params >= 0)
        {
          Label *l = LABEL (self, col->params);

          if (vertical)
            place_label (l, t, vmax + t * PARAMS_GAP, u + t * (l->ascent - l->descent) / 2,
                         &bounds);
          else
            {
              double drop = odd ? t * (line_height (PARAMS_SIZE) + STAGGER_SEP) : 0;

              place_label (l, t, u - t * l->advance / 2, vmax + t * (PARAMS_GAP + l->ascent) + drop,
                           &bounds);
              below = MAX (below, l->label.top + l->label.height);
            }
        }
    }
  if (self->total >= 0)
    {
      Label *total = LABEL (self, self->total);
      /* Centred under the whole graph. */
      double centre = vertical ? (vmin + vmax) / 2 : (umax - r) / 2;

      place_label (total, t, centre - t * total->advance / 2,
                   below + t * (TOTAL_GAP + total->ascent), &bounds);
    }

  if (self->legend_rows > 0)
    {
      double centre = vertical ? (vmin + vmax) / 2 : (umax - r) / 2;

      self->legend_w = NNS_LAYOUT_LEGEND_WIDTH * t;
      self->legend_h = NNS_LAYOUT_LEGEND_ROW * t * self->legend_rows;
      self->legend_x = centre - self->legend_w / 2;
      self->legend_y = bounds.y1 + TOTAL_GAP * t;
      box_add (&bounds, self->legend_x, self->legend_y, self->legend_x + self->legend_w,
               self->legend_y + self->legend_h);
    }

  /* Move the origin to the top-left corner of the margin. */
  ox = margin - bounds.x0;
  oy = margin - bounds.y0;
  for (guint c = 0; c < self->n_columns; c++)
    {
      self->columns[c].x0 += ox;
      self->columns[c].y0 += oy;
    }
  self->legend_x += ox;
  self->legend_y += oy;
  for (guint i = 0; i < self->labels->len; i++)
    {
      NnsLabel *l = &LABEL (self, i)->label;

      l->x += ox;
      l->left += ox;
      l->y += oy;
      l->top += oy;
    }
  self->width = bounds.x1 - bounds.x0 + 2 * margin;
  self->height = bounds.y1 - bounds.y0 + 2 * margin;
}

/* The one natural layout (see the header): node sizes, text scale, column
 * spacing and label rows, then the placement. */
static void
lay_out (NnsLayout *self, const NnsStyle *s)
{
  gboolean vertical = self->direction == NNS_DIRECTION_VERTICAL;
  double d = s->node_diameter, step0 = s->node_diameter + s->node_spacing;
  double max_span = 0, along, t, f = 1, need, size_u, size_v;

  for (guint c = 0; c < self->n_columns; c++)
    max_span = MAX (max_span, self->columns[c].span);

  /* Nodes shrink (down to the floors) until the longest column fits ALONG_MAX… */
  along = max_span * step0 + d;
  if (along > NNS_LAYOUT_ALONG_MAX)
    f = NNS_LAYOUT_ALONG_MAX / along;
  self->radius = MAX (NNS_LAYOUT_MIN_RADIUS, f * d / 2);
  self->step = MAX (NNS_LAYOUT_MIN_STEP, f * step0);
  self->step = MAX (self->step, 2 * self->radius + MIN_GAP);
  /* …and past the floors the text and spacing grow with the drawing instead,
   * so it reads like one of ALONG_MAX shown smaller. */
  along = max_span * self->step + 2 * self->radius;
  t = MAX (1.0, along / NNS_LAYOUT_ALONG_MAX);
  self->text_scale = t;

  self->pitch = MAX (t * s->layer_spacing, 2 * self->radius + 8);
  self->pitch = MAX (self->pitch, MIN_PITCH);
  self->staggered = FALSE;
  if (vertical)
    {
      /* Rows apart by their label stacks. */
      for (guint c = 0; c + 1 < self->n_columns; c++)
        {
          const Column *a = &self->columns[c], *b = &self->columns[c + 1];

          need = (a->n_lines + b->n_lines) * line_height (TITLE_SIZE) / 2 + 4;
          self->pitch = MAX (self->pitch, t * need);
        }
    }
  else
    {
      /* Labels wider than the spacing: staggered when that is narrower, else
       * the columns spread. */
      need = label_pitch (self, 1);
      if (t * need > self->pitch)
        {
          double staggered = self->n_columns >= 3 ? label_pitch (self, 2) : G_MAXDOUBLE;

          if (staggered < need)
            {
              self->staggered = TRUE;
              need = staggered;
            }
          self->pitch = MAX (self->pitch, t * need);
        }
    }

  /* Landscape across the columns (portrait for top-to-bottom networks): the
   * columns spread until the drawing is NNS_LAYOUT_ASPECT times as long across
   * them as along them. The size grows linearly with the pitch. */
  place (self, t);
  size_u = vertical ? self->height : self->width;
  size_v = vertical ? self->width : self->height;
  if (self->n_columns > 1 && size_u < NNS_LAYOUT_ASPECT * size_v)
    {
      self->pitch += (NNS_LAYOUT_ASPECT * size_v - size_u) / (self->n_columns - 1);
      place (self, t);
    }
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
  make_labels (self, network, &s);
  self->legend_rows = s.weight_colors ? nns_network_get_n_layers (network) + 1 : 0;
  lay_out (self, &s);

  box_width = isfinite (box_width) ? MAX (box_width, 0) : 0;
  box_height = isfinite (box_height) ? MAX (box_height, 0) : 0;
  self->fit_scale = box_scale (self, box_width, box_height);
  return self;
}

void
nns_layout_free (NnsLayout *layout)
{
  if (layout == NULL)
    return;
  g_free (layout->columns);
  g_array_unref (layout->labels);
  g_ptr_array_unref (layout->texts);
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
  return layout->labels->len;
}

void
nns_layout_get_label (const NnsLayout *layout, guint index, NnsLabel *out)
{
  g_return_if_fail (index < layout->labels->len);
  *out = LABEL (layout, index)->label;
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

gboolean
nns_layout_is_staggered (const NnsLayout *layout)
{
  return layout->staggered;
}

gboolean
nns_layout_get_legend (const NnsLayout *layout, double *x, double *y, double *width,
                       double *height, guint *n_rows)
{
  g_return_val_if_fail (layout != NULL, FALSE);

  *x = layout->legend_x;
  *y = layout->legend_y;
  *width = layout->legend_w;
  *height = layout->legend_h;
  *n_rows = layout->legend_rows;
  return layout->legend_rows > 0;
}

GArray *
nns_layout_dup_column_nodes (const NnsLayout *layout, guint column, gboolean with_bias)
{
  guint n = nns_layout_get_n_drawn (layout, column);
  GArray *nodes = g_array_sized_new (FALSE, FALSE, sizeof (NnsNode), n + 1);
  NnsNode node;

  for (guint i = 0; i < n; i++)
    {
      nns_layout_get_drawn_node (layout, column, i, &node);
      g_array_append_val (nodes, node);
    }
  if (with_bias && nns_layout_get_bias_node (layout, column, &node))
    g_array_append_val (nodes, node);
  return nodes;
}
