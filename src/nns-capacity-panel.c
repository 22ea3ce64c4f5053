/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "nns-capacity-panel"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "nns-capacity-panel.h"
#include "nns-params.h"
#include "nns-preferences-window.h"

/* One chart row: the layer's name and count, then its bar. */
#define CHART_ROW_HEIGHT 36.0
#define CHART_BAR_HEIGHT 8.0
#define CHART_BAR_Y      22.0
#define CHART_PADDING    12.0

/* While the network keeps changing (a slider drag), the figures follow at
 * most this often. */
#define UPDATE_INTERVAL_MS 100

struct _NnsCapacityPanel
{
  GtkWidget     parent_instance;

  NnsNetwork   *network;
  NnsReference *reference;
  GSettings    *settings;    /* NULL without the schema: the choices are not kept */
  gulong        changed_id;
  gboolean      dirty;       /* the network changed while unmapped */
  gboolean      pending;     /* an update waits for the frame clock's update phase */
  GdkFrameClock *clock;      /* while mapped */
  gulong        update_id;
  guint         n_updates;
  gint64        last_update;  /* monotonic µs of the last update while changes came */
  guint         throttle_id;  /* a deferred update, at most UPDATE_INTERVAL after the last */
  char         *difference;  /* NULL without a reference */

  /* template children */
  GtkWidget       *scroller;
  GtkLabel        *params_label;
  GtkLabel        *macs_label;
  GtkLabel        *flops_label;
  GtkLabel        *outputs_label;
  GtkDrawingArea  *chart;
  AdwComboRow     *dtype_row;
  AdwComboRow     *optimizer_row;
  GtkAdjustment   *batch_adjustment;
  GtkLabel        *weights_label;
  GtkWidget       *gradients_row;
  GtkLabel        *gradients_label;
  GtkWidget       *state_row;
  GtkLabel        *state_label;
  GtkLabel        *activations_label;
  GtkWidget       *training_row;
  GtkLabel        *training_label;
  GtkWidget       *clear_button;
  GtkLabel        *difference_label;
  GtkLabel        *reference_label;
};

G_DEFINE_FINAL_TYPE (NnsCapacityPanel, nns_capacity_panel, GTK_TYPE_WIDGET)

void
nns_capacity_panel_get_spec (NnsCapacityPanel *self, NnsMemorySpec *spec)
{
  guint dtype = adw_combo_row_get_selected (self->dtype_row);
  guint optimizer = adw_combo_row_get_selected (self->optimizer_row);

  nns_memory_spec_init (spec);
  if (dtype < NNS_N_DTYPES)
    spec->dtype = dtype;
  if (optimizer < NNS_N_OPTIMIZERS)
    spec->optimizer = optimizer;
  spec->batch = CLAMP ((guint) gtk_adjustment_get_value (self->batch_adjustment), NNS_BATCH_MIN,
                       NNS_BATCH_MAX);
}

/* A label whose text did not change is left alone: setting it would queue
 * a resize (and a relayout of the panel) every frame of a drag. */
static void
set_text (GtkLabel *label, const char *text)
{
  if (g_strcmp0 (gtk_label_get_label (label), text) != 0)
    gtk_label_set_label (label, text);
}

static void
set_count (GtkLabel *label, guint64 value)
{
  g_autofree char *text = nns_format_count (value);

  set_text (label, text);
}

static void
set_bytes (GtkLabel *label, guint64 bytes)
{
  g_autofree char *text = nns_format_size (bytes);

  set_text (label, text);
}

/* "784 → 256 → 128 → 10" */
static char *
format_widths (NnsNetwork *network)
{
  GString *out = g_string_new (NULL);

  for (guint c = 0; c <= nns_network_get_n_layers (network); c++)
    {
      g_autofree char *w = nns_format_count (nns_network_get_column_width (network, c));

      g_string_append_printf (out, c ? " → %s" : "%s", w);
    }
  return g_string_free (out, FALSE);
}

static void
update_reference (NnsCapacityPanel *self, const NnsMemorySpec *spec, const NnsMemory *current)
{
  NnsNetwork *ref = nns_reference_get_network (self->reference);
  NnsMemory memory;

  g_clear_pointer (&self->difference, g_free);
  gtk_widget_set_sensitive (self->clear_button, ref != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->difference_label), ref != NULL);
  if (ref == NULL)
    {
      set_text (self->reference_label, _("Pin the network to see what every edit adds to it."));
      return;
    }
  if (current == NULL ||
      !nns_memory_compute (ref, spec->dtype, spec->optimizer, spec->batch, &memory, NULL))
    self->difference = g_strdup (_("Too large to compare at this batch size"));
  else
    {
      g_autofree char *widths = format_widths (ref);
      g_autofree char *count = nns_format_count (memory.parameters);
      g_autofree char *text = NULL;

      self->difference = nns_memory_format_difference (&memory, current);
      /* Translators: "Reference: 784 → 256 → 128 → 10 · 235,146 parameters" */
      text = g_strdup_printf (_("Reference: %s · %s parameters"), widths, count);
      set_text (self->reference_label, text);
    }
  set_text (self->difference_label, self->difference);
}

static void
update (NnsCapacityPanel *self)
{
  g_autoptr (GError) error = NULL;
  NnsMemorySpec spec;
  NnsCapacity total;
  NnsMemory memory;
  gboolean fits, train;
  guint n;

  if (self->network == NULL)
    return;
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      self->dirty = TRUE;
      return;
    }
  self->dirty = FALSE;
  self->pending = FALSE;
  self->n_updates++;

  nns_capacity_panel_get_spec (self, &spec);
  nns_capacity_total (self->network, &total);
  fits = nns_memory_compute (self->network, spec.dtype, spec.optimizer, spec.batch, &memory, &error);
  train = nns_dtype_can_train (spec.dtype);

  set_count (self->params_label, nns_capacity_get_parameters (&total));
  set_count (self->macs_label, total.macs);
  set_count (self->flops_label, total.flops);
  set_count (self->outputs_label, total.activations);
  set_bytes (self->weights_label, memory.weights);
  set_bytes (self->gradients_label, memory.gradients);
  set_bytes (self->state_label, memory.optimizer_state);
  set_bytes (self->activations_label, memory.activations);
  if (!fits)
    set_text (self->training_label, error->message);
  else if (train)
    set_bytes (self->training_label, memory.training);
  else
    set_text (self->training_label, _("None: int8 is for inference"));
  gtk_widget_set_visible (self->gradients_row, train);
  gtk_widget_set_visible (self->state_row, train);
  gtk_widget_set_sensitive (GTK_WIDGET (self->optimizer_row), train);

  update_reference (self, &spec, fits ? &memory : NULL);

  n = nns_network_get_n_layers (self->network);
  gtk_drawing_area_set_content_height (self->chart, (int) (CHART_ROW_HEIGHT * n + CHART_PADDING));
  gtk_widget_queue_draw (GTK_WIDGET (self->chart));
}

static gboolean
on_throttle (gpointer user_data)
{
  NnsCapacityPanel *self = user_data;

  self->throttle_id = 0;
  if (self->pending && self->clock != NULL)
    gdk_frame_clock_request_phase (self->clock, GDK_FRAME_CLOCK_PHASE_UPDATE);
  return G_SOURCE_REMOVE;
}

/* A drag can change the network several times a frame: the figures follow
 * at the end of the frame clock's update phase (after every tick callback of
 * that frame), before layout and paint — and while the changes keep coming,
 * at most every UPDATE_INTERVAL_MS, so a slider drag redraws the canvas
 * alone in most frames (new label texts relayout the window; the chart's
 * text is shaped anew). The last change is always shown. */
static void
on_clock_update (NnsCapacityPanel *self)
{
  gint64 now = g_get_monotonic_time ();

  if (!self->pending || self->throttle_id != 0)
    return;
  if (now - self->last_update < UPDATE_INTERVAL_MS * 1000)
    {
      self->throttle_id = g_timeout_add (UPDATE_INTERVAL_MS - (guint) ((now - self->last_update) / 1000),
                                         on_throttle, self);
      return;
    }
  update (self);
  self->last_update = now;
}

static void
on_network_changed (NnsCapacityPanel *self)
{
  if (self->clock == NULL)
    self->dirty = TRUE;
  else if (!self->pending)
    {
      self->pending = TRUE;
      gdk_frame_clock_request_phase (self->clock, GDK_FRAME_CLOCK_PHASE_UPDATE);
    }
}

/* ---- the chart ---- */

static void
draw_text (cairo_t *cr, GtkWidget *widget, const char *text, double x, double y, double width,
           gboolean right, const GdkRGBA *color)
{
  g_autoptr (PangoLayout) layout = gtk_widget_create_pango_layout (widget, text);
  int w, h;

  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_alignment (layout, right ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
  pango_layout_get_pixel_size (layout, &w, &h);
  gdk_cairo_set_source_rgba (cr, color);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
}

static void
rounded_bar (cairo_t *cr, double x, double y, double w, double h)
{
  double r = MIN (h / 2, w / 2);

  cairo_new_sub_path (cr);
  cairo_arc (cr, x + w - r, y + r, r, -G_PI / 2, G_PI / 2);
  cairo_arc (cr, x + r, y + r, r, G_PI / 2, 3 * G_PI / 2);
  cairo_close_path (cr);
}

/* "85 %", "<1 %" for a share that rounds to nothing. */
static char *
format_share (guint64 part, guint64 whole)
{
  guint64 pct = whole ? (part * 100 + whole / 2) / whole : 0;

  if (pct == 0 && part > 0)
    return g_strdup ("<1 %");
  return g_strdup_printf ("%" G_GUINT64_FORMAT " %%", pct);
}

static void
draw_chart (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer data)
{
  NnsCapacityPanel *self = data;
  GtkWidget *widget = GTK_WIDGET (area);
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  GtkStyleContext *context = gtk_widget_get_style_context (widget);
  G_GNUC_END_IGNORE_DEPRECATIONS
  NnsNetwork *ref = nns_reference_get_network (self->reference);
  GdkRGBA fg, accent, dim;
  guint n, n_ref;
  guint64 total, max = 1;
  double bar_width = MAX (width - 2.0, 1);

  if (self->network == NULL)
    return;
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (context, &fg);
  if (!gtk_style_context_lookup_color (context, "accent_bg_color", &accent))
    gdk_rgba_parse (&accent, "#3584e4");
  G_GNUC_END_IGNORE_DEPRECATIONS
  dim = fg;
  dim.alpha *= 0.55;

  n = nns_network_get_n_layers (self->network);
  n_ref = ref != NULL ? nns_network_get_n_layers (ref) : 0;
  total = nns_network_count_total (self->network);
  for (guint i = 0; i < MAX (n, n_ref); i++)
    {
      if (i < n)
        max = MAX (max, nns_network_count_layer (self->network, i));
      if (i < n_ref)
        max = MAX (max, nns_network_count_layer (ref, i));
    }

  for (guint i = 0; i < n; i++)
    {
      guint64 params = nns_network_count_layer (self->network, i);
      g_autofree char *title = nns_network_dup_column_title (self->network, i + 1);
      g_autofree char *count = nns_format_count (params);
      g_autofree char *share = format_share (params, total);
      g_autofree char *right = g_strdup_printf ("%s · %s", count, share);
      double y = CHART_PADDING / 2 + i * CHART_ROW_HEIGHT;
      double w = MAX (bar_width * (double) params / (double) max, CHART_BAR_HEIGHT);

      draw_text (cr, widget, title, 1, y, bar_width * 0.45, FALSE, &fg);
      draw_text (cr, widget, right, 1 + bar_width * 0.45, y, bar_width * 0.55, TRUE, &dim);

      /* The track, then the bar */
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, fg.alpha * 0.08);
      rounded_bar (cr, 1, y + CHART_BAR_Y, bar_width, CHART_BAR_HEIGHT);
      cairo_fill (cr);
      gdk_cairo_set_source_rgba (cr, &accent);
      rounded_bar (cr, 1, y + CHART_BAR_Y, w, CHART_BAR_HEIGHT);
      cairo_fill (cr);

      /* The reference's layer at the same place, as a dashed outline. */
      if (i < n_ref)
        {
          double rw = MAX (bar_width * (double) nns_network_count_layer (ref, i) / (double) max,
                           CHART_BAR_HEIGHT);
          double dash[] = { 3, 2 };

          cairo_save (cr);
          cairo_set_dash (cr, dash, G_N_ELEMENTS (dash), 0);
          cairo_set_line_width (cr, 1.5);
          cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, fg.alpha * 0.75);
          rounded_bar (cr, 1.75, y + CHART_BAR_Y - 2.25, rw - 1.5, CHART_BAR_HEIGHT + 4.5);
          cairo_stroke (cr);
          cairo_restore (cr);
        }
    }
}

/* ---- settings ---- */

static gboolean
get_choice (GValue *value, GVariant *variant, gpointer user_data)
{
  gboolean (*from_string) (const char *, guint *) = user_data;
  guint index;

  if (!from_string (g_variant_get_string (variant, NULL), &index))
    return FALSE;
  g_value_set_uint (value, index);
  return TRUE;
}

static GVariant *
set_dtype (const GValue *value, const GVariantType *type, gpointer user_data)
{
  guint index = g_value_get_uint (value);

  return index < NNS_N_DTYPES ? g_variant_new_string (nns_dtype_get_id (index)) : NULL;
}

static GVariant *
set_optimizer (const GValue *value, const GVariantType *type, gpointer user_data)
{
  guint index = g_value_get_uint (value);

  return index < NNS_N_OPTIMIZERS ? g_variant_new_string (nns_optimizer_get_id (index)) : NULL;
}

static gboolean
get_batch (GValue *value, GVariant *variant, gpointer user_data)
{
  g_value_set_double (value, g_variant_get_uint32 (variant));
  return TRUE;
}

static GVariant *
set_batch (const GValue *value, const GVariantType *type, gpointer user_data)
{
  return g_variant_new_uint32 (CLAMP ((guint) g_value_get_double (value), NNS_BATCH_MIN,
                                      NNS_BATCH_MAX));
}

/* ---- pin ---- */

void
nns_capacity_panel_pin (NnsCapacityPanel *self)
{
  g_return_if_fail (NNS_IS_CAPACITY_PANEL (self));

  if (self->network != NULL)
    nns_reference_pin (self->reference, self->network);
}

static void
on_pin_clicked (NnsCapacityPanel *self)
{
  nns_capacity_panel_pin (self);
}

static void
on_clear_clicked (NnsCapacityPanel *self)
{
  nns_reference_clear (self->reference);
}

/* ---- the widget ---- */

static void
nns_capacity_panel_map (GtkWidget *widget)
{
  NnsCapacityPanel *self = NNS_CAPACITY_PANEL (widget);

  GTK_WIDGET_CLASS (nns_capacity_panel_parent_class)->map (widget);
  self->clock = g_object_ref (gtk_widget_get_frame_clock (widget));
  self->update_id = g_signal_connect_object (self->clock, "update", G_CALLBACK (on_clock_update),
                                             self, G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  if (self->dirty)
    update (self);
}

static void
nns_capacity_panel_unmap (GtkWidget *widget)
{
  NnsCapacityPanel *self = NNS_CAPACITY_PANEL (widget);

  if (self->clock != NULL)
    {
      g_clear_signal_handler (&self->update_id, self->clock);
      g_clear_object (&self->clock);
    }
  if (self->pending)
    {
      self->pending = FALSE;
      self->dirty = TRUE;
    }
  g_clear_handle_id (&self->throttle_id, g_source_remove);
  GTK_WIDGET_CLASS (nns_capacity_panel_parent_class)->unmap (widget);
}

static void
nns_capacity_panel_dispose (GObject *object)
{
  NnsCapacityPanel *self = NNS_CAPACITY_PANEL (object);

  nns_capacity_panel_set_network (self, NULL);
  g_clear_handle_id (&self->throttle_id, g_source_remove);
  g_clear_object (&self->reference);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->difference, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), NNS_TYPE_CAPACITY_PANEL);
  G_OBJECT_CLASS (nns_capacity_panel_parent_class)->dispose (object);
}

static void
nns_capacity_panel_class_init (NnsCapacityPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = nns_capacity_panel_dispose;
  widget_class->map = nns_capacity_panel_map;
  widget_class->unmap = nns_capacity_panel_unmap;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/nnsketch/NnSketch/nns-capacity-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, NnsCapacityPanel, scroller);
  gtk_widget_class_bind_template_child (widget_class, NnsCapacityPanel, params_label);
  gtk_widget_class_bind_template_child (widget_class, NnsCapacityPanel, macs_label);
  gtk_widget_class_bind_template_child (widget_class, NnsCapacityPanel, flops_label);
  gtk_widget_class_bind_template_child (widget_class, NnsCapacityPanel, outputs_label);
  gtk_widget_class_bind_template_child (widget_class, NnsCapacityPanel, chart);
  gtk_widget_class_bind_template_child (widget_class, NnsCapacityPanel, dtype_row);
  gtk_widget_class_bind_template_child (widget_class, NnsCapacityPanel, optimizer_row);
  gtk_widget_class_bind_template_child (widget_class, NnsCapacityPanel, batch_adjustment);
  gtk_widget_class_bind_template_child (widget_class, NnsCapacityPanel, weights_label);
  gtk_widget_class_bind_template_child (widget_class, NnsCapacityPanel, gradients_row);
  gtk_widget_class_bind_template_child (widget_class, NnsCapacityPanel, gradients_label);
  gtk_widget_class_bind_template_child (widget_class, NnsCapacityPanel, state_row);
  gtk_widget_class_bind_template_child (widget_class, NnsCapacityPanel, state_label);
  gtk_widget_class_bind_template_child (widget_class, NnsCapacityPanel, activations_label);
  gtk_widget_class_bind_template_child (widget_class, NnsCapacityPanel, training_row);
  gtk_widget_class_bind_template_child (widget_class, NnsCapacityPanel, training_label);
  gtk_widget_class_bind_template_child (widget_class, NnsCapacityPanel, clear_button);
  gtk_widget_class_bind_template_child (widget_class, NnsCapacityPanel, difference_label);
  gtk_widget_class_bind_template_child (widget_class, NnsCapacityPanel, reference_label);
  gtk_widget_class_bind_template_callback (widget_class, on_pin_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_clear_clicked);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "nns-capacity-panel");
}

static void
nns_capacity_panel_init (NnsCapacityPanel *self)
{
  g_autoptr (GtkStringList) optimizers = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  self->reference = nns_reference_new ();

  for (guint i = 0; i < NNS_N_OPTIMIZERS; i++)
    gtk_string_list_append (optimizers, nns_optimizer_get_label (i));
  adw_combo_row_set_model (self->optimizer_row, G_LIST_MODEL (optimizers));
  adw_combo_row_set_selected (self->optimizer_row, NNS_OPTIMIZER_ADAM);

  self->settings = nns_settings_new ();
  if (self->settings != NULL)
    {
      g_settings_bind_with_mapping (self->settings, "capacity-dtype", self->dtype_row, "selected",
                                    G_SETTINGS_BIND_DEFAULT, get_choice, set_dtype,
                                    (gpointer) nns_dtype_from_string, NULL);
      g_settings_bind_with_mapping (self->settings, "capacity-optimizer", self->optimizer_row,
                                    "selected", G_SETTINGS_BIND_DEFAULT, get_choice, set_optimizer,
                                    (gpointer) nns_optimizer_from_string, NULL);
      g_settings_bind_with_mapping (self->settings, "capacity-batch-size", self->batch_adjustment,
                                    "value", G_SETTINGS_BIND_DEFAULT, get_batch, set_batch, NULL,
                                    NULL);
    }

  gtk_drawing_area_set_draw_func (self->chart, draw_chart, self, NULL);
  g_signal_connect_object (self->dtype_row, "notify::selected", G_CALLBACK (update), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->optimizer_row, "notify::selected", G_CALLBACK (update), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->batch_adjustment, "value-changed", G_CALLBACK (update), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->reference, "notify::network", G_CALLBACK (update), self,
                           G_CONNECT_SWAPPED);
  /* Dark and light switch the chart's colours. */
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (gtk_widget_queue_draw), self->chart, G_CONNECT_SWAPPED);
}

GtkWidget *
nns_capacity_panel_new (void)
{
  return g_object_new (NNS_TYPE_CAPACITY_PANEL, NULL);
}

void
nns_capacity_panel_set_network (NnsCapacityPanel *self, NnsNetwork *network)
{
  g_return_if_fail (NNS_IS_CAPACITY_PANEL (self));
  g_return_if_fail (network == NULL || NNS_IS_NETWORK (network));

  if (self->network == network)
    return;
  if (self->network != NULL)
    {
      g_clear_signal_handler (&self->changed_id, self->network);
      g_clear_object (&self->network);
    }
  if (network != NULL)
    {
      self->network = g_object_ref (network);
      self->changed_id = g_signal_connect_swapped (network, "changed",
                                                   G_CALLBACK (on_network_changed), self);
      update (self);
    }
}

NnsReference *
nns_capacity_panel_get_reference (NnsCapacityPanel *self)
{
  g_return_val_if_fail (NNS_IS_CAPACITY_PANEL (self), NULL);
  return self->reference;
}

const char *
nns_capacity_panel_get_difference_text (NnsCapacityPanel *self)
{
  g_return_val_if_fail (NNS_IS_CAPACITY_PANEL (self), NULL);
  return self->difference;
}

guint
nns_capacity_panel_get_n_updates (NnsCapacityPanel *self)
{
  g_return_val_if_fail (NNS_IS_CAPACITY_PANEL (self), 0);
  return self->n_updates;
}
