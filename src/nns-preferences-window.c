/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "nns-preferences"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "nns-preferences-window.h"

static const char * const direction_ids[] = { "horizontal", "vertical", NULL };
static const char * const edge_shape_ids[] = { "straight", "bezier", NULL };
static const char * const export_theme_ids[] = { "follow", "light", "dark", NULL };

#define AT(style, offset, type) ((type *) (gpointer) ((guint8 *) (style) + (offset)))

static guint
choice_index (const char * const *ids, const char *value)
{
  for (guint i = 0; ids[i] != NULL; i++)
    if (g_strcmp0 (ids[i], value) == 0)
      return i;
  return 0;
}

/* ---- The preferences window ---------------------------------------------------------------- */

struct _NnsPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  GSettings *settings;

  GtkSpinButton *node_diameter_spin;
  GtkSpinButton *node_border_width_spin;
  GtkSpinButton *node_spacing_spin;
  GtkSwitch     *show_bias_nodes_switch;
  AdwComboRow   *edge_shape_row;
  GtkSpinButton *edge_width_spin;
  GtkSpinButton *edge_opacity_spin;
  GtkSwitch     *arrowheads_switch;
  AdwExpanderRow *weight_colors_row;
  GtkSpinButton *weight_seed_spin;
  AdwComboRow   *direction_row;
  GtkSpinButton *layer_spacing_spin;
  GtkSwitch     *show_labels_switch;
  GtkSwitch     *layer_colors_switch;
  GtkSwitch     *show_all_neurons_switch;
  AdwActionRow  *collapse_limit_row;
  GtkSpinButton *collapse_limit_spin;
  GtkSwitch     *node_fill_switch;
  GtkColorButton *node_fill_button;
  GtkSwitch     *node_border_switch;
  GtkColorButton *node_border_button;
  GtkSwitch     *edge_color_switch;
  GtkColorButton *edge_color_button;
  AdwComboRow   *export_theme_row;
  GtkButton     *reset_button;
};

G_DEFINE_FINAL_TYPE (NnsPreferencesWindow, nns_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum
{
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* A string key with <choices> shown as the position in an AdwComboRow. */
static gboolean
choice_get_mapping (GValue *value, GVariant *variant, gpointer user_data)
{
  g_value_set_uint (value, choice_index (user_data, g_variant_get_string (variant, NULL)));
  return TRUE;
}

static GVariant *
choice_set_mapping (const GValue *value, const GVariantType *type, gpointer user_data)
{
  const char * const *ids = user_data;
  guint position = g_value_get_uint (value);

  for (guint i = 0; ids[i] != NULL; i++)
    if (i == position)
      return g_variant_new_string (ids[i]);
  return NULL;   /* GTK_INVALID_LIST_POSITION: write nothing */
}

/* A colour key shown as a GtkColorButton: "" (follow the theme) shows the default colour. */
static gboolean
color_get_mapping (GValue *value, GVariant *variant, gpointer user_data)
{
  gsize offset = GPOINTER_TO_SIZE (user_data);
  NnsStyle defaults;
  NnsColor color;
  GdkRGBA rgba;

  if (!nns_color_parse (g_variant_get_string (variant, NULL), &color))
    {
      nns_style_init_default (&defaults);
      color = *AT (&defaults, offset, NnsColor);
    }
  rgba = (GdkRGBA) { color.red, color.green, color.blue, color.alpha };
  g_value_set_boxed (value, &rgba);
  return TRUE;
}

static GVariant *
color_set_mapping (const GValue *value, const GVariantType *type, gpointer user_data)
{
  const GdkRGBA *rgba = g_value_get_boxed (value);
  NnsColor color;

  if (rgba == NULL)
    return NULL;
  color = (NnsColor) { rgba->red, rgba->green, rgba->blue, rgba->alpha };
  return g_variant_new_take_string (nns_color_to_string (&color));
}

/* The "custom colour" switch of a colour key: on when the key holds a colour. Turning it on
 * stores the colour its button shows; turning it off goes back to the theme. */
static gboolean
custom_get_mapping (GValue *value, GVariant *variant, gpointer user_data)
{
  NnsColor color;

  g_value_set_boolean (value, nns_color_parse (g_variant_get_string (variant, NULL), &color));
  return TRUE;
}

static GVariant *
custom_set_mapping (const GValue *value, const GVariantType *type, gpointer user_data)
{
  GdkRGBA rgba;
  NnsColor color;

  if (!g_value_get_boolean (value))
    return g_variant_new_string ("");
  gtk_color_chooser_get_rgba (GTK_COLOR_CHOOSER (user_data), &rgba);
  color = (NnsColor) { rgba.red, rgba.green, rgba.blue, rgba.alpha };
  return g_variant_new_take_string (nns_color_to_string (&color));
}

/* A screen reader reads a row's suffix control by the row's title and subtitle. */
static void
label_from_row (GtkWidget *widget)
{
  GtkWidget *row = gtk_widget_get_ancestor (widget, ADW_TYPE_PREFERENCES_ROW);
  const char *subtitle = NULL;

  if (row == NULL)
    return;
  if (ADW_IS_ACTION_ROW (row))
    subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                                  -1);
  if (subtitle != NULL && subtitle[0] != '\0')
    gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, subtitle,
                                    -1);
}

static void
bind_color (NnsPreferencesWindow *self,
            const char           *key,
            gsize                 offset,
            GtkSwitch            *custom,
            GtkColorButton       *button)
{
  g_settings_bind_with_mapping (self->settings, key, button, "rgba", G_SETTINGS_BIND_DEFAULT,
                                color_get_mapping, color_set_mapping,
                                GSIZE_TO_POINTER (offset), NULL);
  g_settings_bind_with_mapping (self->settings, key, custom, "active", G_SETTINGS_BIND_DEFAULT,
                                custom_get_mapping, custom_set_mapping, button, NULL);
  /* A colour that follows the theme has no one swatch to show: switch it on first. */
  g_object_bind_property (custom, "active", button, "visible", G_BINDING_SYNC_CREATE);
}

static void
bind_choice (NnsPreferencesWindow *self,
             const char           *key,
             AdwComboRow          *row,
             const char * const   *ids)
{
  g_settings_bind_with_mapping (self->settings, key, row, "selected", G_SETTINGS_BIND_DEFAULT,
                                choice_get_mapping, choice_set_mapping, (gpointer) ids, NULL);
}

static void
bind_settings (NnsPreferencesWindow *self)
{
  struct { const char *key; gpointer widget; const char *property; } simple[] = {
    { "node-diameter",     self->node_diameter_spin,      "value" },
    { "node-border-width", self->node_border_width_spin,  "value" },
    { "node-spacing",      self->node_spacing_spin,       "value" },
    { "show-bias-nodes",   self->show_bias_nodes_switch,  "active" },
    { "edge-width",        self->edge_width_spin,         "value" },
    { "edge-opacity",      self->edge_opacity_spin,       "value" },
    { "arrowheads",        self->arrowheads_switch,       "active" },
    { "weight-colors",     self->weight_colors_row,       "enable-expansion" },
    { "weight-seed",       self->weight_seed_spin,        "value" },
    { "layer-spacing",     self->layer_spacing_spin,      "value" },
    { "show-labels",       self->show_labels_switch,      "active" },
    { "layer-colors",      self->layer_colors_switch,     "active" },
    { "show-all-neurons",  self->show_all_neurons_switch, "active" },
    { "collapse-limit",    self->collapse_limit_spin,     "value" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (simple); i++)
    g_settings_bind (self->settings, simple[i].key, simple[i].widget, simple[i].property,
                     G_SETTINGS_BIND_DEFAULT);

  bind_choice (self, "edge-shape", self->edge_shape_row, edge_shape_ids);
  bind_choice (self, "direction", self->direction_row, direction_ids);
  bind_choice (self, "export-theme", self->export_theme_row, export_theme_ids);

  bind_color (self, "node-fill", G_STRUCT_OFFSET (NnsStyle, node_fill),
              self->node_fill_switch, self->node_fill_button);
  bind_color (self, "node-border", G_STRUCT_OFFSET (NnsStyle, node_border),
              self->node_border_switch, self->node_border_button);
  bind_color (self, "edge-color", G_STRUCT_OFFSET (NnsStyle, edge_color),
              self->edge_color_switch, self->edge_color_button);
}

static void
reset_clicked_cb (NnsPreferencesWindow *self)
{
  if (self->settings == NULL)
    return;
  nns_settings_reset_style (self->settings);
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                    adw_toast_new (_("Diagram style reset")));
}

static void
nns_preferences_window_constructed (GObject *object)
{
  NnsPreferencesWindow *self = NNS_PREFERENCES_WINDOW (object);
  GtkWidget *labelled[] = {
    GTK_WIDGET (self->node_diameter_spin), GTK_WIDGET (self->node_border_width_spin),
    GTK_WIDGET (self->node_spacing_spin), GTK_WIDGET (self->show_bias_nodes_switch),
    GTK_WIDGET (self->edge_width_spin), GTK_WIDGET (self->edge_opacity_spin),
    GTK_WIDGET (self->arrowheads_switch), GTK_WIDGET (self->weight_seed_spin),
    GTK_WIDGET (self->layer_spacing_spin), GTK_WIDGET (self->show_labels_switch),
    GTK_WIDGET (self->layer_colors_switch), GTK_WIDGET (self->show_all_neurons_switch),
    GTK_WIDGET (self->collapse_limit_spin), GTK_WIDGET (self->node_fill_switch),
    GTK_WIDGET (self->node_fill_button), GTK_WIDGET (self->node_border_switch),
    GTK_WIDGET (self->node_border_button), GTK_WIDGET (self->edge_color_switch),
    GTK_WIDGET (self->edge_color_button), GTK_WIDGET (self->reset_button),
  };

  G_OBJECT_CLASS (nns_preferences_window_parent_class)->constructed (object);

  for (gsize i = 0; i < G_N_ELEMENTS (labelled); i++)
    label_from_row (labelled[i]);

  g_object_bind_property (self->show_all_neurons_switch, "active",
                          self->collapse_limit_row, "sensitive",
                          G_BINDING_SYNC_CREATE | G_BINDING_INVERT_BOOLEAN);

  if (self->settings != NULL)
    bind_settings (self);
  else
    /* Without the schema nothing could be kept or applied: say so rather than pretend. */
    {
      AdwToast *toast = adw_toast_new (_("Preferences are unavailable: the settings schema "
                                         "is not installed"));

      GtkWidget *rows[] = {
        GTK_WIDGET (self->edge_shape_row), GTK_WIDGET (self->direction_row),
        GTK_WIDGET (self->export_theme_row), GTK_WIDGET (self->weight_colors_row),
      };

      adw_toast_set_timeout (toast, 0);
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), toast);
      for (gsize i = 0; i < G_N_ELEMENTS (labelled); i++)
        gtk_widget_set_sensitive (labelled[i], FALSE);
      for (gsize i = 0; i < G_N_ELEMENTS (rows); i++)
        gtk_widget_set_sensitive (rows[i], FALSE);
    }
}

static void
nns_preferences_window_dispose (GObject *object)
{
  NnsPreferencesWindow *self = NNS_PREFERENCES_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), NNS_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (nns_preferences_window_parent_class)->dispose (object);
}

static void
nns_preferences_window_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  NnsPreferencesWindow *self = NNS_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nns_preferences_window_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  NnsPreferencesWindow *self = NNS_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nns_preferences_window_class_init (NnsPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = nns_preferences_window_constructed;
  object_class->dispose = nns_preferences_window_dispose;
  object_class->set_property = nns_preferences_window_set_property;
  object_class->get_property = nns_preferences_window_get_property;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/nnsketch/NnSketch/nns-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, NnsPreferencesWindow, node_diameter_spin);
  gtk_widget_class_bind_template_child (widget_class, NnsPreferencesWindow, node_border_width_spin);
  gtk_widget_class_bind_template_child (widget_class, NnsPreferencesWindow, node_spacing_spin);
  gtk_widget_class_bind_template_child (widget_class, NnsPreferencesWindow, show_bias_nodes_switch);
  gtk_widget_class_bind_template_child (widget_class, NnsPreferencesWindow, edge_shape_row);
  gtk_widget_class_bind_template_child (widget_class, NnsPreferencesWindow, edge_width_spin);
  gtk_widget_class_bind_template_child (widget_class, NnsPreferencesWindow, edge_opacity_spin);
  gtk_widget_class_bind_template_child (widget_class, NnsPreferencesWindow, arrowheads_switch);
  gtk_widget_class_bind_template_child (widget_class, NnsPreferencesWindow, weight_colors_row);
  gtk_widget_class_bind_template_child (widget_class, NnsPreferencesWindow, weight_seed_spin);
  gtk_widget_class_bind_template_child (widget_class, NnsPreferencesWindow, direction_row);
  gtk_widget_class_bind_template_child (widget_class, NnsPreferencesWindow, layer_spacing_spin);
  gtk_widget_class_bind_template_child (widget_class, NnsPreferencesWindow, show_labels_switch);
  gtk_widget_class_bind_template_child (widget_class, NnsPreferencesWindow, layer_colors_switch);
  gtk_widget_class_bind_template_child (widget_class, NnsPreferencesWindow, show_all_neurons_switch);
  gtk_widget_class_bind_template_child (widget_class, NnsPreferencesWindow, collapse_limit_row);
  gtk_widget_class_bind_template_child (widget_class, NnsPreferencesWindow, collapse_limit_spin);
  gtk_widget_class_bind_template_child (widget_class, NnsPreferencesWindow, node_fill_switch);
  gtk_widget_class_bind_template_child (widget_class, NnsPreferencesWindow, node_fill_button);
  gtk_widget_class_bind_template_child (widget_class, NnsPreferencesWindow, node_border_switch);
  gtk_widget_class_bind_template_child (widget_class, NnsPreferencesWindow, node_border_button);
  gtk_widget_class_bind_template_child (widget_class, NnsPreferencesWindow, edge_color_switch);
  gtk_widget_class_bind_template_child (widget_class, NnsPreferencesWindow, edge_color_button);
  gtk_widget_class_bind_template_child (widget_class, NnsPreferencesWindow, export_theme_row);
  gtk_widget_class_bind_template_child (widget_class, NnsPreferencesWindow, reset_button);
  gtk_widget_class_bind_template_callback (widget_class, reset_clicked_cb);
}

static void
nns_preferences_window_init (NnsPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
nns_preferences_window_new (GtkWindow *parent, GSettings *settings)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  return g_object_new (NNS_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "settings", settings,
                       NULL);
}
