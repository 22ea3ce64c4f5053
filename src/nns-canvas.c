/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "nns-canvas"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "nns-canvas.h"
#include "nns-neuron-selection.h"
#include "nns-startup-profile.h"
#include "nns-train-draw.h"
#include "nns-params.h"
#include "nns-render.h"

#define FIT_PADDING 24.0
/* A small network is not blown up past this (its text would be huge). */
#define FIT_MAX_ZOOM 2.0
/* Zoom limits, relative to the fitted view. */
#define ZOOM_MIN_FACTOR 0.1
#define ZOOM_MAX_FACTOR 64.0
#define ZOOM_STEP 1.25
#define WHEEL_PAN 48.0
/* How long the view stays still before the body is drawn for a selection. */
#define BODY_DELAY_MS 150

struct _NnsCanvas
{
  GtkWidget      parent_instance;

  NnsNetwork    *network;
  gulong         changed_id;
  NnsStyle       style;
  NnsReference  *reference;     /* drawn as a ghost under the network; may be NULL */
  /* The document's weights as the renderer reads them (NULL: none), and the
   * edge layers drawn from them, reused while panning and selecting. */
  NnsWeightSource    *weights;
  NnsWeightEdgeCache *weight_cache;
  /* A training run whose hidden units' maps over the plane are drawn inside
   * their circles, over the cached drawing (NULL: none). */
  NnsTrainSession    *train;
  guint          n_tiles;       /* drawn in the last frame */

  /* The one layout exports use too (its natural size; the box only sets its
   * fit scale): the canvas shows it fitted or zoomed, so what the window
   * shows is what export writes. */
  NnsLayout     *layout;        /* NULL until needed again */
  double         box_width, box_height;
  /* The drawing for the current view as a texture node: rendered once into an
   * image (the fast edge path), so frames that change nothing — hover, focus,
   * tooltips, the window redrawing around the canvas — reuse it, and the GL
   * renderer keeps the uploaded texture. NULL when anything changed. */
  GskRenderNode *cache;
  /* The edges and nodes of the current view (nns_render_body()), kept while
   * only the selection or the ghost changes: such a frame paints it (dimmed
   * under a selection) instead of drawing every edge again. NULL when the
   * layout, the view, the style or the theme changed; drawn for a selection,
   * or ahead of one once the view is still. */
  cairo_surface_t *body;
  guint          body_timeout;
  /* The last frame's image and the translation it was drawn at, kept while
   * only the translation changes: a pan by whole device pixels moves it and
   * draws just the bands it uncovered. NULL when anything else changed. */
  cairo_surface_t *shown;
  double         shown_tx, shown_ty;
  /* The theme the frame, the body and the last image were drawn in: a
   * snapshot in the other drops them, whether or not css-changed came
   * first (the text colour is read when asked for). */
  gboolean       drawn_dark;
  guint          n_panned;      /* frames drawn that way */
  guint          n_renders;

  /* view: widget = layout × zoom + (tx, ty) */
  gboolean       fit;
  double         zoom;
  double         fit_zoom;      /* the zoom the last fit gave */
  double         tx, ty;
  int            view_width, view_height;

  NnsNeuronSelection *selection;   /* the canvas's own; it observes "changed" */
  gboolean       selection_emitted;   /* "changed" came while following an edit */
  char          *description;   /* what the accessible description says */
  gboolean       profiled;

  double         drag_tx, drag_ty;
  gboolean       drag_moved;
  double         pointer_x, pointer_y;
  gboolean       has_pointer;
};

G_DEFINE_FINAL_TYPE (NnsCanvas, nns_canvas, GTK_TYPE_WIDGET)

enum { SIGNAL_SELECTION_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static gboolean hit_test (NnsCanvas *self, double x, double y, guint *column, guint *neuron);

static const NnsSelection *
selected (NnsCanvas *self)
{
  return nns_neuron_selection_peek (self->selection);
}

/* Only what is drawn over the edges and nodes changed (the selection, the
 * ghost): the next frame reuses the body. */
static void
drop_frame (NnsCanvas *self)
{
  g_clear_pointer (&self->cache, gsk_render_node_unref);
  g_clear_pointer (&self->shown, cairo_surface_destroy);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Only the translation changed: the last frame's image stays for the next
 * one to move. */
static void
drop_for_pan (NnsCanvas *self)
{
  g_clear_pointer (&self->cache, gsk_render_node_unref);
  g_clear_pointer (&self->body, cairo_surface_destroy);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* d widget pixels rounded to whole device pixels, so that a pan moves the
 * picture's pixel grid onto itself. */
static double
snap_to_device (NnsCanvas *self, double d)
{
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));

  return round (d * scale) / scale;
}

static void
drop_cache (NnsCanvas *self)
{
  g_clear_pointer (&self->body, cairo_surface_destroy);
  drop_frame (self);
}

static void
drop_layout (NnsCanvas *self)
{
  g_clear_pointer (&self->layout, nns_layout_free);
  drop_cache (self);
}

const NnsLayout *
nns_canvas_get_layout (NnsCanvas *self)
{
  g_return_val_if_fail (NNS_IS_CANVAS (self), NULL);

  if (self->layout == NULL && self->network != NULL)
    self->layout = nns_layout_new (self->network, &self->style, self->box_width,
                                   self->box_height);
  return self->layout;
}

/* Recomputes the fitted view for the current size (a no-op once the user
 * zoomed or panned): the layout at its fit scale for the widget's box. */
static void
update_view (NnsCanvas *self)
{
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double height = gtk_widget_get_height (GTK_WIDGET (self));
  const NnsLayout *layout;
  double box_width = 0, box_height = 0, lw, lh, zoom, tx, ty;

  if (!self->fit)
    return;
  if (width > 0 && height > 0)
    {
      box_width = MAX (width - 2 * FIT_PADDING, 1.0);
      box_height = MAX (height - 2 * FIT_PADDING, 1.0);
    }
  if (box_width != self->box_width || box_height != self->box_height)
    {
      self->box_width = box_width;
      self->box_height = box_height;
      /* Callers queue the draw; this also runs inside snapshot. */
      g_clear_pointer (&self->layout, nns_layout_free);
      g_clear_pointer (&self->cache, gsk_render_node_unref);
      g_clear_pointer (&self->body, cairo_surface_destroy);
      g_clear_pointer (&self->shown, cairo_surface_destroy);
    }
  layout = nns_canvas_get_layout (self);
  if (layout == NULL || box_width <= 0)
    return;
  lw = MAX (nns_layout_get_width (layout), 1.0);
  lh = MAX (nns_layout_get_height (layout), 1.0);
  zoom = MIN (nns_layout_get_fit_scale (layout), FIT_MAX_ZOOM);
  tx = (width - lw * zoom) / 2;
  ty = (height - lh * zoom) / 2;
  self->fit_zoom = zoom;
  if (zoom != self->zoom || tx != self->tx || ty != self->ty)
    {
      self->zoom = zoom;
      self->tx = tx;
      self->ty = ty;
      g_clear_pointer (&self->cache, gsk_render_node_unref);
      g_clear_pointer (&self->body, cairo_surface_destroy);
      g_clear_pointer (&self->shown, cairo_surface_destroy);
    }
}

/* A screen reader hears the selected neuron's description (the info line's
 * text) when it changes; with nothing selected there is none. */
static void
update_description (NnsCanvas *self)
{
  g_autofree char *text = NULL;

  if (selected (self)->active && self->network != NULL)
    text = nns_format_neuron (self->network, selected (self)->column, selected (self)->neuron);
  if (g_strcmp0 (text, self->description) == 0)
    return;
  g_free (self->description);
  self->description = g_steal_pointer (&text);
  if (self->description != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                    self->description, -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

const char *
nns_canvas_get_description (NnsCanvas *self)
{
  g_return_val_if_fail (NNS_IS_CANVAS (self), NULL);
  return self->description;
}

static void
emit_selection_changed (NnsCanvas *self)
{
  drop_frame (self);
  update_description (self);
  g_signal_emit (self, signals[SIGNAL_SELECTION_CHANGED], 0);
}

/* The selection follows the edit (nns_neuron_selection_follow()); the
 * layout is rebuilt. */
static void
on_network_changed (NnsCanvas *self, const NnsChange *change, NnsNetwork *network)
{
  drop_layout (self);
  update_view (self);
  self->selection_emitted = FALSE;
  nns_neuron_selection_follow (self->selection, network, change);
  /* A layer added or removed next to the selected neuron changes what it
   * is ("10 weights + 1 bias" follows the layer before): say so once. */
  if (!self->selection_emitted && selected (self)->active
      && (change->kind == NNS_CHANGE_INSERT || change->kind == NNS_CHANGE_REMOVE))
    emit_selection_changed (self);
  else if (!self->selection_emitted)
    update_description (self);
}

static void
on_selection_changed (NnsCanvas *self)
{
  self->selection_emitted = TRUE;
  emit_selection_changed (self);
}

void
nns_canvas_set_network (NnsCanvas *self, NnsNetwork *network)
{
  g_return_if_fail (NNS_IS_CANVAS (self));
  g_return_if_fail (network == NULL || NNS_IS_NETWORK (network));

  if (self->network == network)
    return;
  if (self->network != NULL)
    g_clear_signal_handler (&self->changed_id, self->network);
  g_set_object (&self->network, network);
  if (network != NULL)
    self->changed_id = g_signal_connect_object (network, "changed",
                                                G_CALLBACK (on_network_changed), self,
                                                G_CONNECT_SWAPPED);
  drop_layout (self);
  self->fit = TRUE;
  update_view (self);
  nns_neuron_selection_clear (self->selection);
  nns_neuron_selection_clear_hovered (self->selection);
}

static void
on_reference_changed (NnsCanvas *self)
{
  drop_frame (self);
}

void
nns_canvas_set_reference (NnsCanvas *self, NnsReference *reference)
{
  g_return_if_fail (NNS_IS_CANVAS (self));
  g_return_if_fail (reference == NULL || NNS_IS_REFERENCE (reference));

  if (self->reference != NULL)
    g_signal_handlers_disconnect_by_func (self->reference, on_reference_changed, self);
  g_set_object (&self->reference, reference);
  if (reference != NULL)
    g_signal_connect_object (reference, "notify::network", G_CALLBACK (on_reference_changed), self,
                             G_CONNECT_SWAPPED);
  on_reference_changed (self);
}

void
nns_canvas_set_weights (NnsCanvas *self, NnsWeights *weights)
{
  g_return_if_fail (NNS_IS_CANVAS (self));

  g_clear_pointer (&self->weights, nns_weight_source_free);
  if (weights != NULL)
    self->weights = nns_weight_source_new (weights);
  drop_cache (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

const NnsWeightSource *
nns_canvas_get_weights (NnsCanvas *self)
{
  g_return_val_if_fail (NNS_IS_CANVAS (self), NULL);
  return self->weights;
}

NnsNetwork *
nns_canvas_get_network (NnsCanvas *self)
{
  g_return_val_if_fail (NNS_IS_CANVAS (self), NULL);
  return self->network;
}

void
nns_canvas_set_style (NnsCanvas *self, const NnsStyle *style)
{
  g_return_if_fail (NNS_IS_CANVAS (self));
  g_return_if_fail (style != NULL);

  if (nns_style_equal (&self->style, style))
    return;
  self->style = *style;
  drop_layout (self);
  update_view (self);
}

const NnsStyle *
nns_canvas_get_style (NnsCanvas *self)
{
  g_return_val_if_fail (NNS_IS_CANVAS (self), NULL);
  return &self->style;
}

gboolean
nns_canvas_get_selection (NnsCanvas *self, guint *column, guint *neuron)
{
  g_return_val_if_fail (NNS_IS_CANVAS (self), FALSE);

  if (column != NULL)
    *column = selected (self)->column;
  if (neuron != NULL)
    *neuron = selected (self)->neuron;
  return selected (self)->active;
}

void
nns_canvas_select (NnsCanvas *self, guint column, guint neuron)
{
  g_return_if_fail (NNS_IS_CANVAS (self));
  g_return_if_fail (self->network != NULL);
  g_return_if_fail (column <= nns_network_get_n_layers (self->network));
  g_return_if_fail (neuron < nns_network_get_column_width (self->network, column));

  nns_neuron_selection_set (self->selection, column, neuron);
}

void
nns_canvas_clear_selection (NnsCanvas *self)
{
  g_return_if_fail (NNS_IS_CANVAS (self));

  nns_neuron_selection_clear (self->selection);
}

/* The drawn index of the node nearest to neuron in column. */
static guint
nearest_drawn (const NnsLayout *layout, guint column, guint neuron)
{
  guint n = nns_layout_get_n_drawn (layout, column);
  guint best = 0;
  guint best_distance = G_MAXUINT;

  for (guint i = 0; i < n; i++)
    {
      NnsNode node;
      guint distance;

      nns_layout_get_drawn_node (layout, column, i, &node);
      distance = node.neuron > neuron ? node.neuron - neuron : neuron - node.neuron;
      if (distance < best_distance)
        {
          best = i;
          best_distance = distance;
        }
    }
  return best;
}

void
nns_canvas_move_selection (NnsCanvas *self, int across, int along)
{
  const NnsLayout *layout;
  gboolean vertical;
  NnsNode here, node;
  guint column, i, n_columns;

  g_return_if_fail (NNS_IS_CANVAS (self));

  layout = nns_canvas_get_layout (self);
  if (layout == NULL)
    return;
  n_columns = nns_layout_get_n_columns (layout);
  if (!selected (self)->active)
    {
      nns_layout_get_drawn_node (layout, 0, 0, &node);
      nns_canvas_select (self, node.column, node.neuron);
      return;
    }

  vertical = self->style.direction == NNS_DIRECTION_VERTICAL;
  column = selected (self)->column;
  i = nearest_drawn (layout, column, selected (self)->neuron);
  nns_layout_get_drawn_node (layout, column, i, &here);

  if (along != 0)
    {
      gint64 j = (gint64) i + along;

      j = CLAMP (j, 0, (gint64) nns_layout_get_n_drawn (layout, column) - 1);
      nns_layout_get_drawn_node (layout, column, (guint) j, &node);
    }
  else if (across != 0)
    {
      gint64 c = (gint64) column + across;
      double best = G_MAXDOUBLE;
      guint n;

      c = CLAMP (c, 0, (gint64) n_columns - 1);
      node = here;
      n = nns_layout_get_n_drawn (layout, (guint) c);
      /* The drawn neuron nearest across the layer's axis. */
      for (guint k = 0; k < n; k++)
        {
          NnsNode candidate;
          double d;

          nns_layout_get_drawn_node (layout, (guint) c, k, &candidate);
          d = vertical ? fabs (candidate.x - here.x) : fabs (candidate.y - here.y);
          if (d < best)
            {
              best = d;
              node = candidate;
            }
        }
    }
  else
    return;

  nns_canvas_select (self, node.column, node.neuron);
}

void
nns_canvas_select_end (NnsCanvas *self, gboolean last)
{
  const NnsLayout *layout;
  guint column;
  NnsNode node;

  g_return_if_fail (NNS_IS_CANVAS (self));

  layout = nns_canvas_get_layout (self);
  if (layout == NULL)
    return;
  column = selected (self)->active ? selected (self)->column : 0;
  nns_layout_get_drawn_node (layout, column,
                             last ? nns_layout_get_n_drawn (layout, column) - 1 : 0, &node);
  nns_canvas_select (self, node.column, node.neuron);
}

void
nns_canvas_layout_to_widget (NnsCanvas *self, double lx, double ly, double *wx, double *wy)
{
  update_view (self);
  *wx = lx * self->zoom + self->tx;
  *wy = ly * self->zoom + self->ty;
}

void
nns_canvas_widget_to_layout (NnsCanvas *self, double wx, double wy, double *lx, double *ly)
{
  update_view (self);
  *lx = (wx - self->tx) / self->zoom;
  *ly = (wy - self->ty) / self->zoom;
}

static gboolean
hit_test (NnsCanvas *self, double x, double y, guint *column, guint *neuron)
{
  const NnsLayout *layout = nns_canvas_get_layout (self);
  double lx, ly;

  if (layout == NULL)
    return FALSE;
  nns_canvas_widget_to_layout (self, x, y, &lx, &ly);
  return nns_layout_hit_test (layout, lx, ly, column, neuron);
}

gboolean
nns_canvas_click_at (NnsCanvas *self, double x, double y)
{
  guint column, neuron;

  g_return_val_if_fail (NNS_IS_CANVAS (self), FALSE);

  if (hit_test (self, x, y, &column, &neuron))
    {
      nns_canvas_select (self, column, neuron);
      return TRUE;
    }
  nns_canvas_clear_selection (self);
  return FALSE;
}

char *
nns_canvas_dup_tooltip_at (NnsCanvas *self, double x, double y)
{
  guint column, neuron;

  g_return_val_if_fail (NNS_IS_CANVAS (self), NULL);

  if (!hit_test (self, x, y, &column, &neuron))
    {
      const NnsLayout *layout = nns_canvas_get_layout (self);
      guint from, to;
      double lx, ly;

      /* between the neurons: the edge under the pointer, with its weight */
      if (layout == NULL || !self->style.weight_colors || self->weights == NULL)
        return NULL;
      nns_canvas_widget_to_layout (self, x, y, &lx, &ly);
      if (!nns_weight_hit_edge (layout, &self->style, self->weights, lx, ly, 3 / self->zoom,
                                &column, &from, &to))
        return NULL;
      return nns_weight_describe_edge (self->network, self->weights, column, from, to);
    }
  return nns_format_neuron (self->network, column, neuron);
}

double
nns_canvas_get_zoom (NnsCanvas *self)
{
  g_return_val_if_fail (NNS_IS_CANVAS (self), 1.0);
  update_view (self);
  return self->zoom;
}

gboolean
nns_canvas_get_fit (NnsCanvas *self)
{
  g_return_val_if_fail (NNS_IS_CANVAS (self), FALSE);
  return self->fit;
}

void
nns_canvas_zoom_at (NnsCanvas *self, double factor, double x, double y)
{
  double lx, ly, zoom;

  g_return_if_fail (NNS_IS_CANVAS (self));

  nns_canvas_widget_to_layout (self, x, y, &lx, &ly);
  if (self->fit_zoom > 0)
    zoom = CLAMP (self->zoom * factor, self->fit_zoom * ZOOM_MIN_FACTOR,
                  self->fit_zoom * ZOOM_MAX_FACTOR);
  else
    zoom = self->zoom * factor;
  self->fit = FALSE;
  self->zoom = zoom;
  self->tx = x - lx * zoom;
  self->ty = y - ly * zoom;
  drop_cache (self);
}

void
nns_canvas_zoom_in (NnsCanvas *self)
{
  nns_canvas_zoom_at (self, ZOOM_STEP, gtk_widget_get_width (GTK_WIDGET (self)) / 2.0,
                      gtk_widget_get_height (GTK_WIDGET (self)) / 2.0);
}

void
nns_canvas_zoom_out (NnsCanvas *self)
{
  nns_canvas_zoom_at (self, 1 / ZOOM_STEP, gtk_widget_get_width (GTK_WIDGET (self)) / 2.0,
                      gtk_widget_get_height (GTK_WIDGET (self)) / 2.0);
}

void
nns_canvas_zoom_fit (NnsCanvas *self)
{
  g_return_if_fail (NNS_IS_CANVAS (self));

  self->fit = TRUE;
  update_view (self);
  drop_cache (self);
}

void
nns_canvas_pan (NnsCanvas *self, double dx, double dy)
{
  g_return_if_fail (NNS_IS_CANVAS (self));

  update_view (self);
  self->fit = FALSE;
  self->tx += snap_to_device (self, dx);
  self->ty += snap_to_device (self, dy);
  drop_for_pan (self);
}

/* The drawing for the current view, rendered into an image at the device
 * scale: on an image surface the core draws dense edge bundles per pixel
 * column (fast), where a cairo node would record every edge of a small
 * bundle and replay it on each render. The GL renderer gets the image as a
 * texture (uploaded once, kept while the node lives); the cairo renderer gets
 * a cairo node that paints it (it would draw a texture node through a slow
 * padded pattern). */
static gboolean widget_is_dark (GtkWidget *widget);

gboolean
nns_canvas_is_dark (NnsCanvas *self)
{
  return widget_is_dark (GTK_WIDGET (self));
}

static gboolean
widget_is_dark (GtkWidget *widget)
{
  GdkRGBA fg;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  /* Light text: a dark background. */
  return 0.2126 * fg.red + 0.7152 * fg.green + 0.0722 * fg.blue > 0.5;
}

static cairo_surface_t *
view_surface (NnsCanvas *self, int width, int height, cairo_t **cr)
{
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width * scale,
                                                         height * scale);

  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (surface);
      return NULL;
    }
  cairo_surface_set_device_scale (surface, scale, scale);
  *cr = cairo_create (surface);
  cairo_translate (*cr, self->tx, self->ty);
  cairo_scale (*cr, self->zoom, self->zoom);
  return surface;
}

static void
build_body (NnsCanvas *self, const NnsLayout *layout, const NnsStyle *style, int width,
            int height)
{
  NnsRenderOptions options = { FALSE };
  cairo_t *cr;

  /* The same edges as a full frame draws, weight colours included. */
  options.weights = self->weights;
  options.weight_cache = self->weight_cache;
  self->body = view_surface (self, width, height, &cr);
  if (self->body == NULL)
    return;
  nns_render_body (cr, self->network, layout, style, &options);
  cairo_destroy (cr);
  cairo_surface_flush (self->body);
}

static gboolean
on_body_timeout (gpointer user_data)
{
  NnsCanvas *self = user_data;
  GtkWidget *widget = GTK_WIDGET (self);
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  const NnsLayout *layout = self->network != NULL ? nns_canvas_get_layout (self) : NULL;
  NnsStyle style = self->style;

  self->body_timeout = 0;
  if (self->body == NULL && layout != NULL && width > 0 && height > 0
      && gtk_widget_get_mapped (widget))
    {
      style.theme = widget_is_dark (widget) ? NNS_THEME_DARK : NNS_THEME_LIGHT;
      build_body (self, layout, &style, width, height);
    }
  return G_SOURCE_REMOVE;
}

/* A frame without a selection draws in one pass; once the view has been
 * still for a moment its edges and nodes are drawn once more on their own,
 * so that a click on a neuron finds them ready. */
static void
schedule_body (NnsCanvas *self)
{
  if (self->body_timeout != 0)
    g_source_remove (self->body_timeout);
  self->body_timeout = g_timeout_add (BODY_DELAY_MS, on_body_timeout, self);
}

/* The frame after a pan: the last one moved by whole device pixels, and
 * the bands it uncovered drawn under a clip (everything the renderer draws
 * sits in layout space, so they join without a seam). NULL when the move is
 * not whole pixels or uncovers most of the view. */
static cairo_surface_t *
render_panned (NnsCanvas *self, const NnsLayout *layout, const NnsStyle *style,
               const NnsRenderOptions *options, int width, int height)
{
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  double dx = self->tx - self->shown_tx, dy = self->ty - self->shown_ty;
  double bands[2][4];
  guint n_bands = 0;
  cairo_surface_t *surface;
  cairo_matrix_t view;
  cairo_t *cr;

  if (cairo_image_surface_get_width (self->shown) != width * scale
      || cairo_image_surface_get_height (self->shown) != height * scale
      || fabs (dx * scale - round (dx * scale)) > 1e-6
      || fabs (dy * scale - round (dy * scale)) > 1e-6
      || fabs (dx) > width / 2.0 || fabs (dy) > height / 2.0)
    return NULL;
  surface = view_surface (self, width, height, &cr);
  if (surface == NULL)
    return NULL;
  cairo_get_matrix (cr, &view);
  cairo_identity_matrix (cr);
  cairo_set_operator (cr, CAIRO_OPERATOR_SOURCE);
  cairo_set_source_surface (cr, self->shown, dx, dy);
  cairo_paint (cr);
  cairo_set_operator (cr, CAIRO_OPERATOR_OVER);

  /* a band the height of the view on the side it moved away from, and one
   * across the rest of the width above or below: no pixel drawn twice */
  if (dx != 0)
    {
      double x = dx > 0 ? 0 : width + dx;

      bands[n_bands][0] = x, bands[n_bands][1] = 0;
      bands[n_bands][2] = fabs (dx), bands[n_bands][3] = height;
      n_bands++;
    }
  if (dy != 0)
    {
      double x = dx > 0 ? dx : 0;

      bands[n_bands][0] = x, bands[n_bands][1] = dy > 0 ? 0 : height + dy;
      bands[n_bands][2] = width - fabs (dx), bands[n_bands][3] = fabs (dy);
      n_bands++;
    }
  for (guint b = 0; b < n_bands; b++)
    {
      cairo_save (cr);
      cairo_rectangle (cr, bands[b][0], bands[b][1], bands[b][2], bands[b][3]);
      cairo_clip (cr);
      cairo_set_matrix (cr, &view);
      nns_render (cr, self->network, layout, style, options);
      cairo_restore (cr);
    }
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  self->n_panned++;
  /* the body follows once the view is still */
  schedule_body (self);
  return surface;
}

/* The frame drawn whole: over the kept body while a neuron is selected, in
 * one pass otherwise (the body then follows once the view is still). */
static cairo_surface_t *
render_whole (NnsCanvas *self, const NnsLayout *layout, const NnsStyle *style,
              const NnsRenderOptions *options, int width, int height)
{
  cairo_surface_t *surface;
  cairo_t *cr;

  if (selected (self)->active && self->body == NULL)
    build_body (self, layout, style, width, height);
  surface = view_surface (self, width, height, &cr);
  if (surface == NULL)
    return NULL;
  if (selected (self)->active && self->body != NULL)
    {
      cairo_pattern_t *body = cairo_pattern_create_for_surface (self->body);

      nns_render_over_body (cr, self->network, layout, style, options, body);
      cairo_pattern_destroy (body);
    }
  else
    {
      nns_render (cr, self->network, layout, style, options);
      schedule_body (self);
    }
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  return surface;
}

static GskRenderNode *
render_view (NnsCanvas *self, const NnsLayout *layout, int width, int height)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkNative *native = gtk_widget_get_native (widget);
  GskRenderer *renderer = native != NULL ? gtk_native_get_renderer (native) : NULL;
  int scale = gtk_widget_get_scale_factor (widget);
  NnsRenderOptions options = { FALSE, selected (self) };
  NnsStyle style = self->style;

  options.reference = self->reference ? nns_reference_get_network (self->reference) : NULL;
  options.weights = self->weights;
  options.weight_cache = self->weight_cache;
  graphene_rect_t bounds = GRAPHENE_RECT_INIT (0, 0, width, height);
  GskRenderNode *node;
  cairo_surface_t *surface;
  cairo_t *cr;

  /* The drawing sits on the window's own background: its palette follows
   * what the theme paints (dark from libadwaita's style manager, GTK_THEME
   * or anything else), read from the widget's text colour. */
  style.theme = widget_is_dark (widget) ? NNS_THEME_DARK : NNS_THEME_LIGHT;
  self->drawn_dark = style.theme == NNS_THEME_DARK;
  surface = self->shown != NULL ? render_panned (self, layout, &style, &options, width, height)
                                : NULL;
  if (surface == NULL)
    surface = render_whole (self, layout, &style, &options, width, height);
  if (surface == NULL)
    return NULL;
  self->n_renders++;
  g_clear_pointer (&self->shown, cairo_surface_destroy);
  self->shown = cairo_surface_reference (surface);
  self->shown_tx = self->tx;
  self->shown_ty = self->ty;

  if (renderer != NULL && GSK_IS_CAIRO_RENDERER (renderer))
    {
      node = gsk_cairo_node_new (&bounds);
      cr = gsk_cairo_node_get_draw_context (node);
      cairo_set_source_surface (cr, surface, 0, 0);
      cairo_paint (cr);
      cairo_destroy (cr);
      cairo_surface_destroy (surface);
    }
  else
    {
      g_autoptr (GdkTexture) texture = NULL;
      GBytes *bytes;

      /* Cairo's ARGB32 is GDK's default memory format; the texture keeps
       * the surface alive instead of copying it. */
      bytes = g_bytes_new_with_free_func (cairo_image_surface_get_data (surface),
                                          (gsize) cairo_image_surface_get_stride (surface)
                                            * height * scale,
                                          (GDestroyNotify) cairo_surface_destroy, surface);
      texture = gdk_memory_texture_new (width * scale, height * scale, GDK_MEMORY_DEFAULT, bytes,
                                        cairo_image_surface_get_stride (surface));
      g_bytes_unref (bytes);
      node = gsk_texture_node_new (texture, &bounds);
    }
  return node;
}

/* Each drawn hidden neuron's output over the plane, as a heatmap inside its
 * circle, while a 2-D problem is trained; a neuron drawn smaller than a few
 * pixels gets none. */
static void
draw_unit_maps (NnsCanvas *self, const NnsLayout *layout, GtkSnapshot *snapshot, int width,
                int height)
{
  guint n_columns = nns_layout_get_n_columns (layout);
  NnsTrainColors colors;
  cairo_t *cr = NULL;

  self->n_tiles = 0;
  if (self->train == NULL || nns_train_session_get_unit_map (self->train, 0, 0) == NULL)
    return;
  nns_train_colors_init (&colors, widget_is_dark (GTK_WIDGET (self)));
  /* columns 1 … n − 2: the hidden layers */
  for (guint c = 1; c + 1 < n_columns; c++)
    for (guint i = 0; i < nns_layout_get_n_drawn (layout, c); i++)
      {
        NnsNode node;
        const float *map;
        double x, y, r;

        nns_layout_get_drawn_node (layout, c, i, &node);
        r = node.radius * self->zoom;
        map = nns_train_session_get_unit_map (self->train, c - 1, node.neuron);
        if (map == NULL || r < 4)
          continue;
        nns_canvas_layout_to_widget (self, node.x, node.y, &x, &y);
        if (x + r < 0 || y + r < 0 || x - r > width || y - r > height)
          continue;
        if (cr == NULL)
          cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
        cairo_save (cr);
        cairo_arc (cr, x, y, r * 0.82, 0, 2 * G_PI);
        cairo_clip (cr);
        nns_train_draw_tile (cr, x - r, y - r, 2 * r, &colors, map, NNS_TRAIN_SURFACE_RES);
        cairo_restore (cr);
        self->n_tiles++;
      }
  if (cr != NULL)
    cairo_destroy (cr);
}

static void
nns_canvas_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  NnsCanvas *self = NNS_CANVAS (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  const NnsLayout *layout;

  if (self->network == NULL || width <= 0 || height <= 0)
    return;
  update_view (self);
  layout = nns_canvas_get_layout (self);
  if (layout == NULL)
    return;

  if ((self->cache != NULL || self->body != NULL || self->shown != NULL)
      && self->drawn_dark != widget_is_dark (widget))
    drop_cache (self);
  if (self->cache == NULL)
    self->cache = render_view (self, layout, width, height);
  if (self->cache != NULL)
    {
      gtk_snapshot_append_node (snapshot, self->cache);
      draw_unit_maps (self, layout, snapshot, width, height);
      if (!self->profiled)
        {
          self->profiled = TRUE;
          nns_startup_profile_first_frame (self);
        }
    }
}

static void
nns_canvas_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  NnsCanvas *self = NNS_CANVAS (widget);

  if (width != self->view_width || height != self->view_height)
    {
      self->view_width = width;
      self->view_height = height;
      drop_cache (self);
      update_view (self);
    }
}

static void
nns_canvas_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                    int *minimum, int *natural, int *minimum_baseline, int *natural_baseline)
{
  *minimum = 120;
  *natural = 600;
}

static void
on_click_pressed (GtkGestureClick *gesture, int n_press, double x, double y, NnsCanvas *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self));
}

static void
on_click_released (GtkGestureClick *gesture, int n_press, double x, double y, NnsCanvas *self)
{
  /* The end of a pan is not a click. */
  if (self->drag_moved)
    return;
  nns_canvas_click_at (self, x, y);
}

static void
on_drag_begin (GtkGestureDrag *gesture, double x, double y, NnsCanvas *self)
{
  guint column, neuron;

  self->drag_moved = FALSE;
  /* Only empty space pans. */
  if (hit_test (self, x, y, &column, &neuron))
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }
  update_view (self);
  self->drag_tx = self->tx;
  self->drag_ty = self->ty;
}

static void
on_drag_update (GtkGestureDrag *gesture, double dx, double dy, NnsCanvas *self)
{
  if (!self->drag_moved && hypot (dx, dy) < 4)
    return;
  if (!self->drag_moved)
    gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "grabbing");
  self->drag_moved = TRUE;
  self->fit = FALSE;
  self->tx = self->drag_tx + snap_to_device (self, dx);
  self->ty = self->drag_ty + snap_to_device (self, dy);
  drop_for_pan (self);
}

static void
on_drag_end (GtkGestureDrag *gesture, double dx, double dy, NnsCanvas *self)
{
  gtk_widget_set_cursor (GTK_WIDGET (self), NULL);
}

static void
on_motion (GtkEventControllerMotion *motion, double x, double y, NnsCanvas *self)
{
  guint column, neuron;

  self->pointer_x = x;
  self->pointer_y = y;
  self->has_pointer = TRUE;
  if (self->network != NULL && hit_test (self, x, y, &column, &neuron))
    nns_neuron_selection_set_hovered (self->selection, column, neuron);
  else
    nns_neuron_selection_clear_hovered (self->selection);
}

static void
on_leave (GtkEventControllerMotion *motion, NnsCanvas *self)
{
  self->has_pointer = FALSE;
  nns_neuron_selection_clear_hovered (self->selection);
}

static gboolean
on_scroll (GtkEventControllerScroll *scroll, double dx, double dy, NnsCanvas *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (scroll));
  gboolean wheel = gtk_event_controller_scroll_get_unit (scroll) == GDK_SCROLL_UNIT_WHEEL;

  if (state & GDK_CONTROL_MASK)
    {
      double x = self->has_pointer ? self->pointer_x : gtk_widget_get_width (GTK_WIDGET (self)) / 2.0;
      double y = self->has_pointer ? self->pointer_y : gtk_widget_get_height (GTK_WIDGET (self)) / 2.0;

      nns_canvas_zoom_at (self, pow (wheel ? ZOOM_STEP : 1.01, -dy), x, y);
      return TRUE;
    }
  if (state & GDK_SHIFT_MASK && dx == 0)
    {
      dx = dy;
      dy = 0;
    }
  nns_canvas_pan (self, -dx * (wheel ? WHEEL_PAN : 1), -dy * (wheel ? WHEEL_PAN : 1));
  return TRUE;
}

static gboolean
on_query_tooltip (NnsCanvas *self, int x, int y, gboolean keyboard, GtkTooltip *tooltip)
{
  g_autofree char *text = NULL;

  if (keyboard && selected (self)->active)
    text = nns_format_neuron (self->network, selected (self)->column, selected (self)->neuron);
  else if (!keyboard)
    text = nns_canvas_dup_tooltip_at (self, x, y);
  if (text == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static gboolean
on_key_pressed (GtkEventControllerKey *key, guint keyval, guint keycode, GdkModifierType state,
                NnsCanvas *self)
{
  return nns_canvas_handle_key (self, keyval, state);
}

gboolean
nns_canvas_handle_key (NnsCanvas *self, guint keyval, GdkModifierType state)
{
  gboolean vertical = self->style.direction == NNS_DIRECTION_VERTICAL;
  int dx = 0, dy = 0;

  if (state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SHIFT_MASK))
    return FALSE;
  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      dx = -1;
      break;
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      dx = 1;
      break;
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      dy = -1;
      break;
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      dy = 1;
      break;
    case GDK_KEY_Home:
    case GDK_KEY_KP_Home:
    case GDK_KEY_End:
    case GDK_KEY_KP_End:
      nns_canvas_select_end (self, keyval == GDK_KEY_End || keyval == GDK_KEY_KP_End);
      return TRUE;
    case GDK_KEY_Escape:
      /* Nothing to clear: let the window have the key. */
      if (!selected (self)->active)
        return FALSE;
      nns_canvas_clear_selection (self);
      return TRUE;
    default:
      return FALSE;
    }
  /* Layers run left to right (or top to bottom when vertical). */
  if (vertical)
    nns_canvas_move_selection (self, dy, dx);
  else
    nns_canvas_move_selection (self, dx, dy);
  return TRUE;
}

static void
nns_canvas_dispose (GObject *object)
{
  NnsCanvas *self = NNS_CANVAS (object);

  if (self->network != NULL)
    g_clear_signal_handler (&self->changed_id, self->network);
  g_clear_object (&self->network);
  g_clear_object (&self->reference);
  if (self->train != NULL)
    g_signal_handlers_disconnect_by_data (self->train, self);
  g_clear_object (&self->train);
  g_clear_pointer (&self->weights, nns_weight_source_free);
  g_clear_pointer (&self->weight_cache, nns_weight_edge_cache_free);
  g_clear_pointer (&self->layout, nns_layout_free);
  g_clear_pointer (&self->cache, gsk_render_node_unref);
  g_clear_pointer (&self->body, cairo_surface_destroy);
  g_clear_pointer (&self->shown, cairo_surface_destroy);
  g_clear_handle_id (&self->body_timeout, g_source_remove);
  g_clear_pointer (&self->description, g_free);
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_func (self->selection, on_selection_changed, self);
  g_clear_object (&self->selection);

  G_OBJECT_CLASS (nns_canvas_parent_class)->dispose (object);
}

/* The theme changed (dark or light): the palette follows it. */
static void
nns_canvas_css_changed (GtkWidget *widget, GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (nns_canvas_parent_class)->css_changed (widget, change);
  drop_cache (NNS_CANVAS (widget));
}

static void
nns_canvas_class_init (NnsCanvasClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = nns_canvas_dispose;
  widget_class->snapshot = nns_canvas_snapshot;
  widget_class->css_changed = nns_canvas_css_changed;
  widget_class->size_allocate = nns_canvas_size_allocate;
  widget_class->measure = nns_canvas_measure;

  /**
   * NnsCanvas::selection-changed:
   *
   * The selected neuron changed (or the selection was cleared).
   */
  signals[SIGNAL_SELECTION_CHANGED] =
    g_signal_new ("selection-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_css_name (widget_class, "nns-canvas");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
nns_canvas_init (NnsCanvas *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkGesture *click, *drag;
  GtkEventController *controller;

  nns_style_init_default (&self->style);
  self->selection = nns_neuron_selection_new ();
  g_signal_connect_swapped (self->selection, "changed", G_CALLBACK (on_selection_changed), self);
  self->fit = TRUE;
  self->weight_cache = nns_weight_edge_cache_new ();
  self->zoom = 1.0;

  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Network diagram"), -1);
  gtk_widget_set_focusable (widget, TRUE);
  gtk_widget_set_focus_on_click (widget, TRUE);
  gtk_widget_set_has_tooltip (widget, TRUE);
  gtk_widget_set_overflow (widget, GTK_OVERFLOW_HIDDEN);
  g_signal_connect (widget, "query-tooltip", G_CALLBACK (on_query_tooltip), NULL);
  /* The cached image is at the device scale. */
  g_signal_connect (widget, "notify::scale-factor", G_CALLBACK (drop_cache), NULL);

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect (click, "pressed", G_CALLBACK (on_click_pressed), self);
  g_signal_connect (click, "released", G_CALLBACK (on_click_released), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (click));

  drag = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), GDK_BUTTON_PRIMARY);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_drag_begin), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (on_drag_update), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (on_drag_end), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (drag));

  controller = gtk_event_controller_motion_new ();
  g_signal_connect (controller, "enter", G_CALLBACK (on_motion), self);
  g_signal_connect (controller, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (controller, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (widget, controller);

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  g_signal_connect (controller, "scroll", G_CALLBACK (on_scroll), self);
  gtk_widget_add_controller (widget, controller);

  controller = gtk_event_controller_key_new ();
  g_signal_connect (controller, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (widget, controller);
}

NnsNeuronSelection *
nns_canvas_get_neuron_selection (NnsCanvas *self)
{
  g_return_val_if_fail (NNS_IS_CANVAS (self), NULL);
  return self->selection;
}

void
nns_canvas_set_train_session (NnsCanvas *self, NnsTrainSession *session)
{
  g_return_if_fail (NNS_IS_CANVAS (self));

  if (self->train != NULL)
    g_signal_handlers_disconnect_by_data (self->train, self);
  g_set_object (&self->train, session);
  if (session != NULL)
    g_signal_connect_swapped (session, "updated", G_CALLBACK (gtk_widget_queue_draw), self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
nns_canvas_get_n_unit_tiles (NnsCanvas *self)
{
  return self->n_tiles;
}

guint
nns_canvas_get_n_renders (NnsCanvas *self)
{
  g_return_val_if_fail (NNS_IS_CANVAS (self), 0);
  return self->n_renders;
}

guint
nns_canvas_get_n_panned (NnsCanvas *self)
{
  g_return_val_if_fail (NNS_IS_CANVAS (self), 0);
  return self->n_panned;
}

GtkWidget *
nns_canvas_new (void)
{
  return g_object_new (NNS_TYPE_CANVAS, NULL);
}
