/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "nns-preferences"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "nns-preferences-window.h"

static const char * const export_theme_ids[] = { "follow", "light", "dark", NULL };

struct _NnsPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  GSettings   *settings;
  NnsDocument *document;   /* NULL: the window edits the user's defaults in settings */
  gboolean     refreshing; /* the widgets are being set from the style: no edit */

  GtkSpinButton *node_diameter_spin;
  GtkSpinButton *node_border_width_spin;
  GtkSpinButton *node_spacing_spin;
  GtkSwitch     *show_bias_nodes_switch;
  AdwComboRow   *edge_shape_row;
  GtkSpinButton *edge_width_spin;
  GtkSpinButton *edge_opacity_spin;
  GtkSwitch     *arrowheads_switch;
  AdwExpanderRow *weight_colors_row;
  GtkSpinButton *weight_threshold_spin;
  AdwComboRow   *direction_row;
  GtkSpinButton *layer_spacing_spin;
  GtkSwitch     *show_labels_switch;
  GtkSwitch     *show_titles_switch;
  GtkSwitch     *show_widths_switch;
  GtkSwitch     *show_activations_switch;
  GtkSwitch     *show_params_switch;
  GtkSwitch     *show_total_switch;
  GtkSwitch     *layer_colors_switch;
  GtkSwitch     *show_all_neurons_switch;
  AdwActionRow  *collapse_limit_row;
  GtkSpinButton *collapse_limit_spin;
  GtkSpinButton *export_width_spin;
  GtkSwitch     *node_fill_switch;
  GtkColorButton *node_fill_button;
  GtkSwitch     *node_border_switch;
  GtkColorButton *node_border_button;
  GtkSwitch     *edge_color_switch;
  GtkColorButton *edge_color_button;
  AdwComboRow   *export_theme_row;
  GtkButton     *reset_button;
  AdwActionRow  *use_as_default_row;
  GtkButton     *use_as_default_button;
};

G_DEFINE_FINAL_TYPE (NnsPreferencesWindow, nns_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum
{
  PROP_0,
  PROP_SETTINGS,
  PROP_DOCUMENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define CHILD(name) G_STRUCT_OFFSET (NnsPreferencesWindow, name)
#define AT(base, offset, type) ((type *) (gpointer) ((guint8 *) (base) + (offset)))

/* The widget of each style option (by the style table's name): a spin button
 * for numbers, a switch or an expander row for booleans, a combo row for
 * enums, a switch ("custom") and a colour button for colours. */
static const struct
{
  const char *option;
  gsize       widget;
  gsize       button;   /* colours: the GtkColorButton; widget is the switch */
} option_widgets[] = {
  { "node_diameter", CHILD (node_diameter_spin) },
  { "node_border_width", CHILD (node_border_width_spin) },
  { "node_spacing", CHILD (node_spacing_spin) },
  { "show_bias_nodes", CHILD (show_bias_nodes_switch) },
  { "edge_shape", CHILD (edge_shape_row) },
  { "edge_width", CHILD (edge_width_spin) },
  { "edge_opacity", CHILD (edge_opacity_spin) },
  { "arrowheads", CHILD (arrowheads_switch) },
  { "weight_colors", CHILD (weight_colors_row) },
  { "weight_threshold", CHILD (weight_threshold_spin) },
  { "direction", CHILD (direction_row) },
  { "layer_spacing", CHILD (layer_spacing_spin) },
  { "show_labels", CHILD (show_labels_switch) },
  { "show_titles", CHILD (show_titles_switch) },
  { "show_widths", CHILD (show_widths_switch) },
  { "show_activations", CHILD (show_activations_switch) },
  { "show_params", CHILD (show_params_switch) },
  { "show_total", CHILD (show_total_switch) },
  { "layer_colors", CHILD (layer_colors_switch) },
  { "show_all_neurons", CHILD (show_all_neurons_switch) },
  { "collapse_limit", CHILD (collapse_limit_spin) },
  { "node_fill", CHILD (node_fill_switch), CHILD (node_fill_button) },
  { "node_border", CHILD (node_border_switch), CHILD (node_border_button) },
  { "edge_color", CHILD (edge_color_switch), CHILD (edge_color_button) },
};

#undef CHILD

static GtkWidget *
widget_at (NnsPreferencesWindow *self, gsize offset)
{
  return *AT (self, offset, GtkWidget *);
}

/* ---- What the window edits: the document's style, or the user's defaults ---- */

static void
get_style (NnsPreferencesWindow *self, NnsStyle *style)
{
  if (self->document != NULL)
    *style = *nns_document_get_style (self->document);
  else
    {
      nns_style_init_default (style);
      if (self->settings != NULL)
        nns_settings_get_style (self->settings, style);
    }
}

static void
set_style (NnsPreferencesWindow *self, const NnsStyle *style, const char *key)
{
  if (self->document != NULL)
    nns_document_set_style (self->document, style, key);
  else if (self->settings != NULL)
    nns_settings_set_style (self->settings, style);
}

/* ---- Widgets <-> style ---- */

static void
show_option (NnsPreferencesWindow *self, guint row, const NnsStyle *style)
{
  const NnsStyleOption *o = nns_style_find_option (option_widgets[row].option);
  GtkWidget *widget = widget_at (self, option_widgets[row].widget);

  switch (o->type)
    {
    case NNS_STYLE_DOUBLE:
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (widget), *AT (style, o->offset, const double));
      break;
    case NNS_STYLE_UINT:
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (widget), *AT (style, o->offset, const guint));
      break;
    case NNS_STYLE_BOOL:
      if (ADW_IS_EXPANDER_ROW (widget))
        adw_expander_row_set_enable_expansion (ADW_EXPANDER_ROW (widget),
                                               *AT (style, o->offset, const gboolean));
      else
        gtk_switch_set_active (GTK_SWITCH (widget), *AT (style, o->offset, const gboolean));
      break;
    case NNS_STYLE_ENUM:
      adw_combo_row_set_selected (ADW_COMBO_ROW (widget), nns_style_option_get_enum (o, style));
      break;
    case NNS_STYLE_COLOR:
      {
        gboolean set = *AT (style, o->set_offset, const gboolean);
        /* A colour that follows the theme shows the default colour. */
        const NnsColor *c = set ? AT (style, o->offset, const NnsColor) : &o->default_color;
        GdkRGBA rgba = { c->red, c->green, c->blue, c->alpha };

        gtk_color_chooser_set_rgba (GTK_COLOR_CHOOSER (widget_at (self, option_widgets[row].button)),
                                    &rgba);
        gtk_switch_set_active (GTK_SWITCH (widget), set);
      }
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
read_option (NnsPreferencesWindow *self, guint row, NnsStyle *style)
{
  const NnsStyleOption *o = nns_style_find_option (option_widgets[row].option);
  GtkWidget *widget = widget_at (self, option_widgets[row].widget);

  switch (o->type)
    {
    case NNS_STYLE_DOUBLE:
      *AT (style, o->offset, double) = gtk_spin_button_get_value (GTK_SPIN_BUTTON (widget));
      break;
    case NNS_STYLE_UINT:
      *AT (style, o->offset, guint) = (guint) gtk_spin_button_get_value (GTK_SPIN_BUTTON (widget));
      break;
    case NNS_STYLE_BOOL:
      *AT (style, o->offset, gboolean) =
        ADW_IS_EXPANDER_ROW (widget) ? adw_expander_row_get_enable_expansion (ADW_EXPANDER_ROW (widget))
                                     : gtk_switch_get_active (GTK_SWITCH (widget));
      break;
    case NNS_STYLE_ENUM:
      {
        guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (widget));

        if (selected != GTK_INVALID_LIST_POSITION)
          nns_style_option_set_enum (o, style, selected);
      }
      break;
    case NNS_STYLE_COLOR:
      {
        GdkRGBA rgba;

        /* On: the colour its button shows; off: back to the theme's. */
        gtk_color_chooser_get_rgba (GTK_COLOR_CHOOSER (widget_at (self, option_widgets[row].button)),
                                    &rgba);
        *AT (style, o->offset, NnsColor) = (NnsColor) { rgba.red, rgba.green, rgba.blue, rgba.alpha };
        *AT (style, o->set_offset, gboolean) = gtk_switch_get_active (GTK_SWITCH (widget));
        if (!*AT (style, o->set_offset, gboolean))
          *AT (style, o->offset, NnsColor) = o->default_color;
      }
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
refresh (NnsPreferencesWindow *self)
{
  NnsStyle style;

  get_style (self, &style);
  self->refreshing = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (option_widgets); i++)
    show_option (self, i, &style);
  self->refreshing = FALSE;
}

/* A widget changed: the one option it shows is an edit (one undo step in a
 * document; consecutive changes of one spin button merge). */
static void
on_widget_changed (GObject *widget, GParamSpec *pspec, NnsPreferencesWindow *self)
{
  if (self->refreshing)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (option_widgets); i++)
    if (widget_at (self, option_widgets[i].widget) == (GtkWidget *) widget
        || (option_widgets[i].button != 0
            && widget_at (self, option_widgets[i].button) == (GtkWidget *) widget))
      {
        const NnsStyleOption *o = nns_style_find_option (option_widgets[i].option);
        NnsStyle style;

        get_style (self, &style);
        read_option (self, i, &style);
        set_style (self, &style, o->settings_key != NULL ? o->settings_key : o->name);
        return;
      }
}

static void
on_settings_changed (NnsPreferencesWindow *self, const char *key, GSettings *settings)
{
  if (self->document == NULL && nns_style_find_settings_key (key) != NULL)
    refresh (self);
}

static void
connect_widgets (NnsPreferencesWindow *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (option_widgets); i++)
    {
      const NnsStyleOption *o = nns_style_find_option (option_widgets[i].option);
      GtkWidget *widget = widget_at (self, option_widgets[i].widget);
      const char *signal;

      g_assert (o != NULL);
      switch (o->type)
        {
        case NNS_STYLE_DOUBLE:
        case NNS_STYLE_UINT:
          signal = "notify::value";
          break;
        case NNS_STYLE_BOOL:
          signal = ADW_IS_EXPANDER_ROW (widget) ? "notify::enable-expansion" : "notify::active";
          break;
        case NNS_STYLE_ENUM:
          signal = "notify::selected";
          break;
        case NNS_STYLE_COLOR:
          signal = "notify::active";
          g_signal_connect_object (widget_at (self, option_widgets[i].button), "notify::rgba",
                                   G_CALLBACK (on_widget_changed), self, 0);
          /* A colour that follows the theme has no one swatch to show: switch it on first. */
          g_object_bind_property (widget, "active", widget_at (self, option_widgets[i].button),
                                  "visible", G_BINDING_SYNC_CREATE);
          break;
        default:
          g_assert_not_reached ();
        }
      g_signal_connect_object (widget, signal, G_CALLBACK (on_widget_changed), self, 0);
    }
}

/* The export theme is the user's choice of how figures render, not a style option. */
static guint
choice_index (const char * const *ids, const char *value)
{
  for (guint i = 0; ids[i] != NULL; i++)
    if (g_strcmp0 (ids[i], value) == 0)
      return i;
  return 0;
}

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

/* Reset: a document drops its own style (one undo step) and follows the
 * user's defaults; without one, the user's defaults go back to the built-in ones. */
static void
reset_clicked_cb (NnsPreferencesWindow *self)
{
  if (self->document != NULL)
    nns_document_reset_style (self->document);
  else if (self->settings != NULL)
    nns_settings_reset_style (self->settings);
  else
    return;
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                    adw_toast_new (_("Diagram style reset")));
}

static void
use_as_default_clicked_cb (NnsPreferencesWindow *self)
{
  if (self->document == NULL || self->settings == NULL)
    return;
  nns_settings_set_style (self->settings, nns_document_get_style (self->document));
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                    adw_toast_new (_("New networks will start with this style")));
}

static void
nns_preferences_window_constructed (GObject *object)
{
  NnsPreferencesWindow *self = NNS_PREFERENCES_WINDOW (object);
  GtkWidget *labelled[] = {
    GTK_WIDGET (self->node_diameter_spin), GTK_WIDGET (self->node_border_width_spin),
    GTK_WIDGET (self->node_spacing_spin), GTK_WIDGET (self->show_bias_nodes_switch),
    GTK_WIDGET (self->edge_width_spin), GTK_WIDGET (self->edge_opacity_spin),
    GTK_WIDGET (self->arrowheads_switch),
    GTK_WIDGET (self->weight_threshold_spin),
    GTK_WIDGET (self->layer_spacing_spin), GTK_WIDGET (self->show_labels_switch),
    GTK_WIDGET (self->show_titles_switch),
    GTK_WIDGET (self->show_widths_switch),
    GTK_WIDGET (self->show_activations_switch),
    GTK_WIDGET (self->show_params_switch),
    GTK_WIDGET (self->show_total_switch),
    GTK_WIDGET (self->layer_colors_switch), GTK_WIDGET (self->show_all_neurons_switch),
    GTK_WIDGET (self->collapse_limit_spin), GTK_WIDGET (self->export_width_spin),
    GTK_WIDGET (self->node_fill_switch),
    GTK_WIDGET (self->node_fill_button), GTK_WIDGET (self->node_border_switch),
    GTK_WIDGET (self->node_border_button), GTK_WIDGET (self->edge_color_switch),
    GTK_WIDGET (self->edge_color_button), GTK_WIDGET (self->reset_button),
    GTK_WIDGET (self->use_as_default_button),
  };

  G_OBJECT_CLASS (nns_preferences_window_parent_class)->constructed (object);

  for (gsize i = 0; i < G_N_ELEMENTS (labelled); i++)
    label_from_row (labelled[i]);

  g_object_bind_property (self->show_all_neurons_switch, "active",
                          self->collapse_limit_row, "sensitive",
                          G_BINDING_SYNC_CREATE | G_BINDING_INVERT_BOOLEAN);

  connect_widgets (self);
  refresh (self);
  if (self->document != NULL)
    {
      g_signal_connect_object (self->document, "style-changed", G_CALLBACK (refresh), self,
                               G_CONNECT_SWAPPED);
      gtk_widget_set_visible (GTK_WIDGET (self->use_as_default_row), TRUE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->use_as_default_row), self->settings != NULL);
    }
  if (self->settings != NULL)
    {
      g_signal_connect_object (self->settings, "changed", G_CALLBACK (on_settings_changed), self,
                               G_CONNECT_SWAPPED);
      /* How figures export: the user's settings, not the document's style. */
      g_settings_bind (self->settings, "export-width", self->export_width_spin, "value",
                       G_SETTINGS_BIND_DEFAULT);
      g_settings_bind_with_mapping (self->settings, "export-theme", self->export_theme_row,
                                    "selected", G_SETTINGS_BIND_DEFAULT, choice_get_mapping,
                                    choice_set_mapping, (gpointer) export_theme_ids, NULL);
      /* An export option, not the document's style: a key of its own. */
      g_settings_bind (self->settings, "export-width", self->export_width_spin, "value",
                       G_SETTINGS_BIND_DEFAULT);
    }
  else if (self->document != NULL)
    {
      gtk_widget_set_sensitive (GTK_WIDGET (self->export_theme_row), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->export_width_spin), FALSE);
    }
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
  g_clear_object (&self->document);

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
    case PROP_DOCUMENT:
      self->document = g_value_dup_object (value);
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
    case PROP_DOCUMENT:
      g_value_set_object (value, self->document);
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
  /**
   * NnsPreferencesWindow:document:
   *
   * The document whose style the window edits; NULL: it edits the user's
   * defaults for new networks in #NnsPreferencesWindow:settings.
   */
  properties[PROP_DOCUMENT] =
    g_param_spec_object ("document", NULL, NULL, NNS_TYPE_DOCUMENT,
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
  gtk_widget_class_bind_template_child (widget_class, NnsPreferencesWindow, weight_threshold_spin);
  gtk_widget_class_bind_template_child (widget_class, NnsPreferencesWindow, direction_row);
  gtk_widget_class_bind_template_child (widget_class, NnsPreferencesWindow, layer_spacing_spin);
  gtk_widget_class_bind_template_child (widget_class, NnsPreferencesWindow, show_labels_switch);
  gtk_widget_class_bind_template_child (widget_class, NnsPreferencesWindow, show_titles_switch);
  gtk_widget_class_bind_template_child (widget_class, NnsPreferencesWindow, show_widths_switch);
  gtk_widget_class_bind_template_child (widget_class, NnsPreferencesWindow, show_activations_switch);
  gtk_widget_class_bind_template_child (widget_class, NnsPreferencesWindow, show_params_switch);
  gtk_widget_class_bind_template_child (widget_class, NnsPreferencesWindow, show_total_switch);
  gtk_widget_class_bind_template_child (widget_class, NnsPreferencesWindow, layer_colors_switch);
  gtk_widget_class_bind_template_child (widget_class, NnsPreferencesWindow, show_all_neurons_switch);
  gtk_widget_class_bind_template_child (widget_class, NnsPreferencesWindow, collapse_limit_row);
  gtk_widget_class_bind_template_child (widget_class, NnsPreferencesWindow, collapse_limit_spin);
  gtk_widget_class_bind_template_child (widget_class, NnsPreferencesWindow, export_width_spin);
  gtk_widget_class_bind_template_child (widget_class, NnsPreferencesWindow, node_fill_switch);
  gtk_widget_class_bind_template_child (widget_class, NnsPreferencesWindow, node_fill_button);
  gtk_widget_class_bind_template_child (widget_class, NnsPreferencesWindow, node_border_switch);
  gtk_widget_class_bind_template_child (widget_class, NnsPreferencesWindow, node_border_button);
  gtk_widget_class_bind_template_child (widget_class, NnsPreferencesWindow, edge_color_switch);
  gtk_widget_class_bind_template_child (widget_class, NnsPreferencesWindow, edge_color_button);
  gtk_widget_class_bind_template_child (widget_class, NnsPreferencesWindow, export_theme_row);
  gtk_widget_class_bind_template_child (widget_class, NnsPreferencesWindow, reset_button);
  gtk_widget_class_bind_template_child (widget_class, NnsPreferencesWindow, use_as_default_row);
  gtk_widget_class_bind_template_child (widget_class, NnsPreferencesWindow, use_as_default_button);
  gtk_widget_class_bind_template_callback (widget_class, reset_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, use_as_default_clicked_cb);
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

GtkWidget *
nns_preferences_window_new_for_document (GtkWindow *parent, GSettings *settings,
                                         NnsDocument *document)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (NNS_IS_DOCUMENT (document), NULL);

  return g_object_new (NNS_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "settings", settings,
                       "document", document,
                       /* The network stays editable (and undoable) beside it. */
                       "modal", FALSE,
                       NULL);
}
