/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "nns-inspector"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "nns-inspector.h"

#define HISTOGRAM_BINS 31
/* The picture's side in the pane (7 px a weight for 28 × 28). */
#define PICTURE_SIZE 196

struct _NnsInspector
{
  GtkBox           parent_instance;

  NnsDocument     *document;
  NnsWeightSource *source;        /* reads the document's weights */
  gboolean         active;
  guint            column, neuron;
  char            *title;
  char            *bias_text;
  cairo_surface_t *picture;
  guint            counts[HISTOGRAM_BINS];
  double           hist_max;
  gboolean         refreshing;
  gboolean         stale;         /* changed while hidden: refreshed when shown or read */

  GtkLabel        *title_label;
  GtkLabel        *origin_label;
  GtkScale        *threshold_scale;
  GtkLabel        *bias_label;
  GtkDrawingArea  *picture_area;
  GtkDrawingArea  *histogram_area;
  GtkStringList   *sorted;
  GtkWidget       *list_window;
  GtkButton       *heatmap_button;
};

G_DEFINE_FINAL_TYPE (NnsInspector, nns_inspector, GTK_TYPE_BOX)

static void
palette_of (NnsInspector *self, NnsPalette *palette)
{
  NnsStyle style = *nns_document_get_style (self->document);

  style.theme = adw_style_manager_get_dark (adw_style_manager_get_default ()) ? NNS_THEME_DARK
                                                                             : NNS_THEME_LIGHT;
  nns_style_get_palette (&style, palette);
}

static gboolean
has_neuron (NnsInspector *self)
{
  return self->active && self->column > 0 && self->source != NULL
         && self->column - 1 < self->source->n_layers
         && self->neuron < self->source->layers[self->column - 1].n_out;
}

/* Hidden (Colour by Weight off), the pane does nothing on every edit: it
 * catches up when it is shown or read. */
static void
refresh_now (NnsInspector *self)
{
  NnsNetwork *network;
  g_autofree char *origin = NULL;
  guint n_items;

  self->stale = FALSE;
  if (self->document == NULL)
    return;
  network = nns_document_get_network (self->document);
  g_clear_pointer (&self->source, nns_weight_source_free);
  self->source = nns_weight_source_new (nns_document_get_weights (self->document));
  origin = nns_weight_describe_origin (nns_document_get_weights (self->document), network,
                                       nns_document_get_weights_seed (self->document));
  gtk_label_set_text (self->origin_label, origin);
  self->refreshing = TRUE;
  gtk_range_set_value (GTK_RANGE (self->threshold_scale),
                       nns_document_get_style (self->document)->weight_threshold);
  self->refreshing = FALSE;

  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->bias_text, g_free);
  g_clear_pointer (&self->picture, cairo_surface_destroy);
  n_items = g_list_model_get_n_items (G_LIST_MODEL (self->sorted));
  if (!has_neuron (self))
    {
      self->title = g_strdup (_("No Neuron Selected"));
      self->bias_text = g_strdup (_("Click a neuron of a layer to see its weights"));
      gtk_string_list_splice (self->sorted, 0, n_items, NULL);
      memset (self->counts, 0, sizeof self->counts);
    }
  else
    {
      const NnsWeightMatrix *m = &self->source->layers[self->column - 1];
      const float *row = nns_weight_incoming (self->source, self->column - 1, self->neuron);
      g_autofree char *layer = nns_network_dup_column_title (network, self->column);
      g_autofree char *input = nns_network_dup_column_title (network, self->column - 1);
      g_autofree guint *order = nns_weight_sort_desc (row, m->n_in);
      g_autoptr (GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);

      /* Translators: "Hidden 1 neuron 3" */
      self->title = g_strdup_printf (_("%s neuron %u"), layer, self->neuron + 1);
      if (m->bias != NULL)
        {
          g_autofree char *b = nns_weight_format (m->bias[self->neuron]);

          self->bias_text = g_strdup_printf (_("Bias: %s"), b);
        }
      else
        self->bias_text = g_strdup (_("No bias"));
      for (guint k = 0; k < m->n_in; k++)
        {
          g_autofree char *v = nns_weight_format (row[order[k]]);

          /* Translators: one incoming weight, "Input 7: −0.412" */
          g_ptr_array_add (lines, g_strdup_printf (_("%s %u: %s"), input, order[k] + 1, v));
        }
      g_ptr_array_add (lines, NULL);
      gtk_string_list_splice (self->sorted, 0, n_items, (const char *const *) lines->pdata);
      self->hist_max = nns_weight_histogram (row, m->n_in, HISTOGRAM_BINS, self->counts);
      {
        NnsPalette palette;
        NnsWeightRange range;
        NnsInputShape shape = { 0 };

        /* The first layer's inputs have the input's shape if it has one;
         * any layer's a square when their number is one. */
        if (self->column == 1)
          nns_network_get_input_shape (network, &shape);
        palette_of (self, &palette);
        nns_weight_matrix_get_range (m, &range);
        /* the layer's max |w|: pictures of neighbours compare */
        self->picture = nns_weight_picture_new (row, m->n_in, &shape, range.max_abs, &palette);
      }
    }
  gtk_label_set_text (self->title_label, self->title);
  gtk_label_set_text (self->bias_label, self->bias_text);
  gtk_widget_set_visible (GTK_WIDGET (self->picture_area), self->picture != NULL);
  /* as tall as the picture is at the pane's width: channels side by side
   * make a wide one */
  if (self->picture != NULL)
    {
      double aspect = (double) cairo_image_surface_get_height (self->picture)
                      / cairo_image_surface_get_width (self->picture);

      gtk_drawing_area_set_content_height (self->picture_area,
                                           (int) CLAMP (round (PICTURE_SIZE * aspect), 48,
                                                        PICTURE_SIZE));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->histogram_area), has_neuron (self));
  gtk_widget_set_visible (self->list_window, has_neuron (self));
  gtk_widget_set_sensitive (GTK_WIDGET (self->heatmap_button), has_neuron (self));
  gtk_widget_queue_draw (GTK_WIDGET (self->picture_area));
  gtk_widget_queue_draw (GTK_WIDGET (self->histogram_area));
}

static void
refresh (NnsInspector *self)
{
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    refresh_now (self);
  else
    self->stale = TRUE;
}

static void
ensure_fresh (NnsInspector *self)
{
  if (self->stale)
    refresh_now (self);
}

static void
draw_surface_fit (cairo_t *cr, cairo_surface_t *surface, int width, int height)
{
  int sw = cairo_image_surface_get_width (surface), sh = cairo_image_surface_get_height (surface);
  double scale = MIN ((double) width / sw, (double) height / sh);

  cairo_translate (cr, (width - sw * scale) / 2, (height - sh * scale) / 2);
  cairo_scale (cr, scale, scale);
  cairo_set_source_surface (cr, surface, 0, 0);
  /* one square a weight */
  cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_NEAREST);
  cairo_paint (cr);
}

static void
draw_picture (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer data)
{
  NnsInspector *self = data;

  if (self->picture != NULL)
    draw_surface_fit (cr, self->picture, width, height);
}

static void
draw_histogram (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer data)
{
  NnsInspector *self = data;
  NnsPalette palette;
  guint top = 1;

  if (self->document == NULL)
    return;
  palette_of (self, &palette);
  for (guint k = 0; k < HISTOGRAM_BINS; k++)
    top = MAX (top, self->counts[k]);
  for (guint k = 0; k < HISTOGRAM_BINS; k++)
    {
      double centre = ((k + 0.5) / HISTOGRAM_BINS * 2 - 1) * self->hist_max;
      NnsColor c;
      double bh = (height - 2.0) * self->counts[k] / top;

      nns_weight_color (&palette, centre, self->hist_max, &c);
      cairo_set_source_rgb (cr, c.red, c.green, c.blue);
      cairo_rectangle (cr, (double) k * width / HISTOGRAM_BINS, height - bh,
                       (double) width / HISTOGRAM_BINS - 1, bh);
      cairo_fill (cr);
    }
  /* zero */
  cairo_set_source_rgba (cr, palette.text.red, palette.text.green, palette.text.blue, 0.5);
  cairo_rectangle (cr, width / 2.0 - 0.5, 0, 1, height);
  cairo_fill (cr);
}

static void
on_threshold_changed (NnsInspector *self, GtkRange *range)
{
  NnsStyle style;

  if (self->refreshing || self->document == NULL)
    return;
  style = *nns_document_get_style (self->document);
  style.weight_threshold = gtk_range_get_value (range);
  nns_document_set_style (self->document, &style, "weight-threshold");
}

static void
draw_heatmap (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer data)
{
  draw_surface_fit (cr, data, width, height);
}

GtkWindow *
nns_inspector_show_heatmap (NnsInspector *self)
{
  const NnsWeightMatrix *m;
  NnsPalette palette;
  NnsWeightRange range;
  cairo_surface_t *image;
  GtkWidget *window, *box, *header, *area, *caption;
  g_autofree char *layer = NULL, *title = NULL, *lo = NULL, *hi = NULL, *text = NULL;

  g_return_val_if_fail (NNS_IS_INSPECTOR (self), NULL);
  ensure_fresh (self);
  if (!has_neuron (self))
    return NULL;
  m = &self->source->layers[self->column - 1];
  palette_of (self, &palette);
  nns_weight_matrix_get_range (m, &range);
  image = nns_weight_image_new (m->weight, m->n_in, m->n_out, range.max_abs, &palette);
  if (image == NULL)
    return NULL;
  layer = nns_network_dup_column_title (nns_document_get_network (self->document), self->column);
  /* Translators: the heatmap window's title, "Hidden 1 Weights" */
  title = g_strdup_printf (_("%s Weights"), layer);
  lo = nns_weight_format (range.min);
  hi = nns_weight_format (range.max);
  /* Translators: "256 rows (neurons) × 784 columns (inputs), −0.0357 … 0.0357" */
  text = g_strdup_printf (_("%u rows (neurons) × %u columns (inputs), %s … %s"), m->n_out, m->n_in,
                          lo, hi);

  window = adw_window_new ();
  gtk_window_set_title (GTK_WINDOW (window), title);
  gtk_window_set_default_size (GTK_WINDOW (window), 720, 480);
  gtk_window_set_transient_for (GTK_WINDOW (window),
                                GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))));
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  gtk_box_append (GTK_BOX (box), header);
  area = gtk_drawing_area_new ();
  gtk_widget_set_vexpand (area, TRUE);
  gtk_widget_set_margin_start (area, 12);
  gtk_widget_set_margin_end (area, 12);
  gtk_widget_set_margin_top (area, 12);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (area), draw_heatmap, image,
                                  (GDestroyNotify) cairo_surface_destroy);
  gtk_box_append (GTK_BOX (box), area);
  caption = gtk_label_new (text);
  gtk_widget_add_css_class (caption, "dim-label");
  gtk_widget_set_margin_top (caption, 6);
  gtk_widget_set_margin_bottom (caption, 12);
  gtk_box_append (GTK_BOX (box), caption);
  adw_window_set_content (ADW_WINDOW (window), box);
  gtk_window_present (GTK_WINDOW (window));
  return GTK_WINDOW (window);
}

static void
on_heatmap_clicked (NnsInspector *self)
{
  nns_inspector_show_heatmap (self);
}

static void
setup_row (GtkSignalListItemFactory *factory, GtkListItem *item)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (item, label);
}

static void
bind_row (GtkSignalListItemFactory *factory, GtkListItem *item)
{
  GtkStringObject *s = gtk_list_item_get_item (item);

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), gtk_string_object_get_string (s));
}

/* What the pane shows besides the weights: the input's shape (the
 * picture) and the columns' titles (the list). */
static void
on_network_changed (NnsInspector *self, const NnsChange *change, NnsNetwork *network)
{
  if (change->kind == NNS_CHANGE_INPUT_SHAPE || change->kind == NNS_CHANGE_RESET
      || change->kind == NNS_CHANGE_NAME || change->kind == NNS_CHANGE_INPUT)
    refresh (self);
}

static void
disconnect_document (NnsInspector *self)
{
  if (self->document == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->document, self);
  g_signal_handlers_disconnect_by_data (nns_document_get_network (self->document), self);
}

static void
nns_inspector_dispose (GObject *object)
{
  NnsInspector *self = NNS_INSPECTOR (object);

  disconnect_document (self);
  g_clear_object (&self->document);
  g_clear_pointer (&self->source, nns_weight_source_free);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->bias_text, g_free);
  g_clear_pointer (&self->picture, cairo_surface_destroy);
  G_OBJECT_CLASS (nns_inspector_parent_class)->dispose (object);
}

static void
nns_inspector_class_init (NnsInspectorClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = nns_inspector_dispose;
}

static void
on_map (NnsInspector *self)
{
  ensure_fresh (self);
}

static GtkWidget *
heading (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  return label;
}

static void
nns_inspector_init (NnsInspector *self)
{
  GtkBox *box = GTK_BOX (self);
  GtkListItemFactory *factory;
  GtkWidget *list;

  g_signal_connect (self, "map", G_CALLBACK (on_map), NULL);
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
  gtk_box_set_spacing (box, 6);
  gtk_widget_set_size_request (GTK_WIDGET (self), 260, -1);
  gtk_widget_set_margin_start (GTK_WIDGET (self), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self), 12);
  gtk_widget_set_margin_top (GTK_WIDGET (self), 12);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self), 12);

  self->title_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->title_label, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->title_label), "title-4");
  gtk_box_append (box, GTK_WIDGET (self->title_label));
  self->origin_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->origin_label, 0);
  gtk_label_set_wrap (self->origin_label, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->origin_label), "dim-label");
  gtk_box_append (box, GTK_WIDGET (self->origin_label));

  gtk_box_append (box, heading (_("Strongest Edges Only")));
  self->threshold_scale = GTK_SCALE (gtk_scale_new_with_range (GTK_ORIENTATION_HORIZONTAL, 0, 1, 0.05));
  gtk_scale_set_draw_value (self->threshold_scale, TRUE);
  gtk_scale_set_digits (self->threshold_scale, 2);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->threshold_scale),
                               _("Hide edges whose |weight| is below this share of the layer’s largest"));
  g_signal_connect_swapped (self->threshold_scale, "value-changed", G_CALLBACK (on_threshold_changed),
                            self);
  gtk_box_append (box, GTK_WIDGET (self->threshold_scale));

  self->bias_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->bias_label, 0);
  gtk_label_set_wrap (self->bias_label, TRUE);
  gtk_label_set_selectable (self->bias_label, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->bias_label), "numeric");
  gtk_box_append (box, GTK_WIDGET (self->bias_label));

  self->picture_area = GTK_DRAWING_AREA (gtk_drawing_area_new ());
  gtk_drawing_area_set_content_width (self->picture_area, PICTURE_SIZE);
  gtk_drawing_area_set_content_height (self->picture_area, PICTURE_SIZE);
  gtk_drawing_area_set_draw_func (self->picture_area, draw_picture, self, NULL);
  gtk_box_append (box, GTK_WIDGET (self->picture_area));

  self->histogram_area = GTK_DRAWING_AREA (gtk_drawing_area_new ());
  gtk_drawing_area_set_content_height (self->histogram_area, 72);
  gtk_drawing_area_set_draw_func (self->histogram_area, draw_histogram, self, NULL);
  gtk_box_append (box, GTK_WIDGET (self->histogram_area));

  self->sorted = gtk_string_list_new (NULL);
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), NULL);
  list = gtk_list_view_new (GTK_SELECTION_MODEL (gtk_no_selection_new (G_LIST_MODEL (self->sorted))),
                            factory);
  gtk_widget_add_css_class (list, "navigation-sidebar");
  self->list_window = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->list_window), list);
  gtk_widget_set_vexpand (self->list_window, TRUE);
  gtk_widget_set_size_request (self->list_window, -1, 160);
  gtk_box_append (box, self->list_window);

  self->heatmap_button = GTK_BUTTON (gtk_button_new_with_mnemonic (_("Layer _Heatmap")));
  g_signal_connect_swapped (self->heatmap_button, "clicked", G_CALLBACK (on_heatmap_clicked), self);
  gtk_box_append (box, GTK_WIDGET (self->heatmap_button));
}

GtkWidget *
nns_inspector_new (void)
{
  return g_object_new (NNS_TYPE_INSPECTOR, NULL);
}

void
nns_inspector_set_document (NnsInspector *self, NnsDocument *document)
{
  g_return_if_fail (NNS_IS_INSPECTOR (self));

  disconnect_document (self);
  g_set_object (&self->document, document);
  if (document != NULL)
    {
      g_signal_connect_swapped (document, "weights-changed", G_CALLBACK (refresh), self);
      g_signal_connect_swapped (document, "style-changed", G_CALLBACK (refresh), self);
      g_signal_connect_swapped (nns_document_get_network (document), "changed",
                                G_CALLBACK (on_network_changed), self);
    }
  refresh (self);
}

void
nns_inspector_set_neuron (NnsInspector *self, gboolean active, guint column, guint neuron)
{
  g_return_if_fail (NNS_IS_INSPECTOR (self));

  self->active = active;
  self->column = column;
  self->neuron = neuron;
  refresh (self);
}

const char *
nns_inspector_get_title (NnsInspector *self)
{
  ensure_fresh (self);
  return self->title;
}

const char *
nns_inspector_get_bias_text (NnsInspector *self)
{
  ensure_fresh (self);
  return self->bias_text;
}

char **
nns_inspector_dup_sorted (NnsInspector *self)
{
  guint n;
  char **out;

  ensure_fresh (self);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->sorted));
  out = g_new0 (char *, n + 1);

  for (guint k = 0; k < n; k++)
    out[k] = g_strdup (gtk_string_list_get_string (self->sorted, k));
  return out;
}

cairo_surface_t *
nns_inspector_get_picture (NnsInspector *self)
{
  ensure_fresh (self);
  return self->picture;
}
