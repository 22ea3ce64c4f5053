/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "nns-layer-row"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "nns-layer-row.h"
#include "nns-params.h"

struct _NnsLayerRow
{
  GtkWidget       parent_instance;

  NnsNetwork     *network;
  guint           index;

  /* template children */
  GtkEntry       *title;
  GtkLabel       *input_title;
  GtkLabel       *subtitle;
  GtkButton      *move_up;
  GtkButton      *move_down;
  GtkButton      *remove;
  GtkScale       *scale;
  GtkSpinButton  *spin;
  GtkWidget      *options_box;
  GtkDropDown    *activation;
  GtkSwitch      *bias;
  GtkLabel       *formula;
  GtkWidget      *shape_box;
  GtkEntry       *shape;

  /* The shape text last refused, so that leaving the entry does not say
   * it again. */
  char           *refused_shape;

  /* TRUE while the row writes model values into its widgets, so their
   * change handlers do not write them back. */
  gboolean        refreshing;
  gboolean        disposed;
  /* The pointer holds the slider: its changes are one undo step. */
  gboolean        sliding;
};

G_DEFINE_FINAL_TYPE (NnsLayerRow, nns_layer_row, GTK_TYPE_WIDGET)

enum { SIGNAL_ERROR, SIGNAL_SLIDE_BEGIN, SIGNAL_SLIDE_END, N_SIGNALS };
static guint signals[N_SIGNALS];

double
nns_layer_row_units_to_slider (guint units)
{
  return log2 (CLAMP (units, 1, NNS_LAYER_ROW_SLIDER_MAX_UNITS));
}

guint
nns_layer_row_slider_to_units (double value)
{
  double units = round (exp2 (CLAMP (value, 0.0, log2 (NNS_LAYER_ROW_SLIDER_MAX_UNITS))));

  return (guint) CLAMP (units, 1, NNS_LAYER_ROW_SLIDER_MAX_UNITS);
}

static gboolean
is_input (NnsLayerRow *self)
{
  return self->index == NNS_LAYER_ROW_INPUT;
}

static guint
current_units (NnsLayerRow *self)
{
  if (is_input (self))
    return nns_network_get_input (self->network);
  return nns_network_get_layer (self->network, self->index)->units;
}

static void
report (NnsLayerRow *self, GError *error)
{
  g_signal_emit (self, signals[SIGNAL_ERROR], 0, error->message);
}

static void
set_units (NnsLayerRow *self, guint units)
{
  g_autoptr (GError) error = NULL;
  gboolean ok;

  if (is_input (self))
    {
      NnsInputShape before, after;

      nns_network_get_input_shape (self->network, &before);
      ok = nns_network_set_input (self->network, units, &error);
      nns_network_get_input_shape (self->network, &after);
      /* The width no longer fits the shape: the network dropped it. */
      if (ok && before.n_dims > 0 && after.n_dims == 0)
        {
          g_autofree char *shape = nns_input_shape_format (&before);
          g_autofree char *width = nns_format_count (units);

          /* Translators: "Shape 3 × 32 × 32 removed: it does not hold 1,000 inputs" */
          g_autofree char *message =
            g_strdup_printf (_("Shape %s removed: it does not hold %s inputs"), shape, width);

          g_signal_emit (self, signals[SIGNAL_ERROR], 0, message);
        }
    }
  else
    ok = nns_network_set_units (self->network, self->index, units, &error);
  if (!ok)
    report (self, error);
}

/* The model's shape in the entry, unless the user is typing in it. */
static void
refresh_shape (NnsLayerRow *self, gboolean force)
{
  NnsInputShape shape;
  g_autofree char *text = NULL;

  nns_network_get_input_shape (self->network, &shape);
  text = nns_input_shape_format (&shape);
  if (!force && gtk_widget_has_focus (GTK_WIDGET (gtk_editable_get_delegate (GTK_EDITABLE (self->shape)))))
    return;
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->shape)), text) != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->shape), text);
  gtk_widget_remove_css_class (GTK_WIDGET (self->shape), "error");
}

/* Sets the typed shape; a refusal is said once and marks the entry. On
 * leaving the entry (restore) a refused text gives way to the model's. */
static void
commit_shape (NnsLayerRow *self, gboolean restore)
{
  g_autoptr (GError) error = NULL;
  NnsInputShape shape, current;
  const char *text;

  if (self->refreshing || self->disposed || !is_input (self))
    return;
  text = gtk_editable_get_text (GTK_EDITABLE (self->shape));
  nns_network_get_input_shape (self->network, &current);
  if (nns_input_shape_parse (text, &shape, &error))
    {
      if (nns_input_shape_equal (&shape, &current)
          || nns_network_set_input_shape (self->network, &shape, &error))
        {
          g_clear_pointer (&self->refused_shape, g_free);
          refresh_shape (self, TRUE);
          return;
        }
    }
  if (g_strcmp0 (self->refused_shape, text) != 0)
    {
      g_free (self->refused_shape);
      self->refused_shape = g_strdup (text);
      report (self, error);
    }
  if (restore)
    {
      g_clear_pointer (&self->refused_shape, g_free);
      refresh_shape (self, TRUE);
    }
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->shape), "error");
}

static void
on_shape_activate (NnsLayerRow *self, GtkEntry *entry)
{
  commit_shape (self, FALSE);
}

static void
on_shape_focus_leave (NnsLayerRow *self, GtkEventControllerFocus *focus)
{
  commit_shape (self, TRUE);
}

/* Escape puts the model's shape back. */
static gboolean
on_shape_key_pressed (NnsLayerRow *self, guint keyval, guint keycode, GdkModifierType state,
                      GtkEventControllerKey *key)
{
  if (keyval != GDK_KEY_Escape)
    return FALSE;
  g_clear_pointer (&self->refused_shape, g_free);
  refresh_shape (self, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->scale));
  return TRUE;
}

/* The title a layer has without a name. */
static char *
default_title (NnsLayerRow *self)
{
  if (self->index + 1 == nns_network_get_n_layers (self->network))
    return g_strdup (_("Output"));
  return g_strdup_printf (_("Hidden %u"), self->index + 1);
}

void
nns_layer_row_refresh_formula (NnsLayerRow *self)
{
  g_autofree char *formula = NULL;

  g_return_if_fail (NNS_IS_LAYER_ROW (self));

  if (is_input (self))
    return;
  formula = nns_format_layer_formula (self->network, self->index);
  gtk_label_set_text (self->formula, formula);
}

static void
refresh_units (NnsLayerRow *self)
{
  guint units = current_units (self);
  GtkRange *range = GTK_RANGE (self->scale);

  /* Leave a dragged slider where it is when it already means these units. */
  if (nns_layer_row_slider_to_units (gtk_range_get_value (range)) != units
      || units > NNS_LAYER_ROW_SLIDER_MAX_UNITS)
    gtk_range_set_value (range, nns_layer_row_units_to_slider (units));
  if ((guint) gtk_spin_button_get_value (self->spin) != units)
    gtk_spin_button_set_value (self->spin, units);
}

static void
set_accessible_label (gpointer widget, const char *label)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

/* Screen readers hear which layer a control belongs to ("Hidden 2 units"),
 * not just "slider"; the labels follow renames and moves. */
static void
update_accessible_labels (NnsLayerRow *self, const char *title)
{
  g_autofree char *units = g_strdup_printf (_("%s units"), title);
  g_autofree char *activation = g_strdup_printf (_("%s activation"), title);
  g_autofree char *bias = g_strdup_printf (_("%s bias"), title);
  g_autofree char *name = g_strdup_printf (_("%s name"), title);
  g_autofree char *up = g_strdup_printf (_("Move %s up"), title);
  g_autofree char *down = g_strdup_printf (_("Move %s down"), title);
  g_autofree char *remove = g_strdup_printf (_("Remove %s"), title);

  set_accessible_label (self->scale, units);
  set_accessible_label (self->spin, units);
  set_accessible_label (self->activation, activation);
  set_accessible_label (self->bias, bias);
  set_accessible_label (self->title, name);
  set_accessible_label (self->move_up, up);
  set_accessible_label (self->move_down, down);
  set_accessible_label (self->remove, remove);
}

void
nns_layer_row_refresh (NnsLayerRow *self)
{
  g_return_if_fail (NNS_IS_LAYER_ROW (self));

  self->refreshing = TRUE;

  if (is_input (self))
    {
      g_autofree char *subtitle = NULL;

      const char *name = nns_network_get_input_name (self->network);
      g_autofree char *title = g_strdup (name != NULL ? name : _("Input"));

      /* The input's title is its label in the figure, typed like a layer's name. */
      gtk_widget_set_visible (GTK_WIDGET (self->title), TRUE);
      gtk_widget_set_visible (GTK_WIDGET (self->input_title), FALSE);
      set_accessible_label (self->title, _("Input name"));
      if (!gtk_widget_has_focus (GTK_WIDGET (gtk_editable_get_delegate (GTK_EDITABLE (self->title))))
          && g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->title)), title) != 0)
        gtk_editable_set_text (GTK_EDITABLE (self->title), title);
      gtk_widget_set_visible (GTK_WIDGET (self->move_up), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->move_down), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->remove), FALSE);
      gtk_widget_set_visible (self->options_box, FALSE);
      gtk_widget_set_visible (self->shape_box, TRUE);
      set_accessible_label (self->shape, _("Input shape"));
      refresh_shape (self, FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->formula), FALSE);
      gtk_label_set_text (self->subtitle, _("No parameters"));
      set_accessible_label (self->scale, _("Input width"));
      set_accessible_label (self->spin, _("Input width"));
    }
  else
    {
      const NnsLayer *layer = nns_network_get_layer (self->network, self->index);
      guint n_layers = nns_network_get_n_layers (self->network);
      g_autofree char *title = layer->name ? g_strdup (layer->name) : default_title (self);
      g_autofree char *subtitle = NULL;
      guint in = nns_network_get_in_features (self->network, self->index);

      gtk_widget_set_visible (GTK_WIDGET (self->title), TRUE);
      gtk_widget_set_visible (GTK_WIDGET (self->input_title), FALSE);
      gtk_widget_set_visible (self->shape_box, FALSE);
      update_accessible_labels (self, title);
      if (!gtk_widget_has_focus (GTK_WIDGET (gtk_editable_get_delegate (GTK_EDITABLE (self->title))))
          && g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->title)), title) != 0)
        gtk_editable_set_text (GTK_EDITABLE (self->title), title);

      {
        g_autofree char *count = nns_format_count (in);

        /* "1 input", "1,000,000 inputs" */
        subtitle = g_strdup_printf (n_layers == self->index + 1
                                    ? ngettext ("Output layer, %s input", "Output layer, %s inputs", in)
                                    : ngettext ("Hidden layer, %s input", "Hidden layer, %s inputs", in),
                                    count);
      }
      {
        g_autofree char *modules = nns_layer_dup_modules_label (layer, FALSE);

        if (modules[0] != '\0')
          {
            char *with = g_strdup_printf ("%s · %s", subtitle, modules);

            g_free (subtitle);
            subtitle = with;
          }
      }
      gtk_label_set_text (self->subtitle, subtitle);

      gtk_widget_set_sensitive (GTK_WIDGET (self->move_up), self->index > 0);
      gtk_widget_set_sensitive (GTK_WIDGET (self->move_down), self->index + 1 < n_layers);
      gtk_widget_set_sensitive (GTK_WIDGET (self->remove), n_layers > NNS_LAYERS_MIN);

      if (gtk_drop_down_get_selected (self->activation) != layer->activation)
        gtk_drop_down_set_selected (self->activation, layer->activation);
      if (gtk_switch_get_active (self->bias) != layer->bias)
        gtk_switch_set_active (self->bias, layer->bias);
      nns_layer_row_refresh_formula (self);
    }
  refresh_units (self);

  self->refreshing = FALSE;
}

static void
on_scale_value_changed (NnsLayerRow *self, GtkRange *range)
{
  guint units;

  if (self->refreshing)
    return;
  units = nns_layer_row_slider_to_units (gtk_range_get_value (range));
  /* A spin value above the slider's end pins the slider there; leave it. */
  if (current_units (self) > NNS_LAYER_ROW_SLIDER_MAX_UNITS && units == NNS_LAYER_ROW_SLIDER_MAX_UNITS)
    return;
  set_units (self, units);
}

/* Arrow keys and Page Up/Down on a log slider: one unit per step, double or
 * halve per page, so every width is reachable from the keyboard. */
static gboolean
on_scale_change_value (NnsLayerRow *self, GtkScrollType scroll, double value, GtkRange *range)
{
  guint units = current_units (self);

  switch (scroll)
    {
    case GTK_SCROLL_STEP_FORWARD:
    case GTK_SCROLL_STEP_UP:
    case GTK_SCROLL_STEP_RIGHT:
      set_units (self, MIN (units + 1, NNS_LAYER_ROW_SLIDER_MAX_UNITS));
      return TRUE;
    case GTK_SCROLL_STEP_BACKWARD:
    case GTK_SCROLL_STEP_DOWN:
    case GTK_SCROLL_STEP_LEFT:
      set_units (self, MAX (MIN (units, NNS_LAYER_ROW_SLIDER_MAX_UNITS) - 1, 1));
      return TRUE;
    case GTK_SCROLL_PAGE_FORWARD:
    case GTK_SCROLL_PAGE_UP:
    case GTK_SCROLL_PAGE_RIGHT:
      set_units (self, MIN (units * 2, NNS_LAYER_ROW_SLIDER_MAX_UNITS));
      return TRUE;
    case GTK_SCROLL_PAGE_BACKWARD:
    case GTK_SCROLL_PAGE_DOWN:
    case GTK_SCROLL_PAGE_LEFT:
      set_units (self, MAX (MIN (units, NNS_LAYER_ROW_SLIDER_MAX_UNITS) / 2, 1));
      return TRUE;
    case GTK_SCROLL_NONE:
    case GTK_SCROLL_JUMP:
    case GTK_SCROLL_START:
    case GTK_SCROLL_END:
    default:
      return FALSE;
    }
}

static void
set_sliding (NnsLayerRow *self, gboolean sliding)
{
  if (self->sliding == sliding)
    return;
  self->sliding = sliding;
  g_signal_emit (self, signals[sliding ? SIGNAL_SLIDE_BEGIN : SIGNAL_SLIDE_END], 0);
}

/* A press on the slider starts a slide and the release ends it, whichever of
 * GtkRange's own gestures handles them (the legacy controller sees every
 * event and claims none). */
static gboolean
on_scale_event (NnsLayerRow *self, GdkEvent *event, GtkEventControllerLegacy *controller)
{
  switch (gdk_event_get_event_type (event))
    {
    case GDK_BUTTON_PRESS:
    case GDK_TOUCH_BEGIN:
      /* A release lost to a broken grab must not merge two slides. */
      set_sliding (self, FALSE);
      set_sliding (self, TRUE);
      break;
    case GDK_BUTTON_RELEASE:
    case GDK_TOUCH_END:
    case GDK_TOUCH_CANCEL:
    case GDK_GRAB_BROKEN:
      set_sliding (self, FALSE);
      break;
    default:
      break;
    }
  return GDK_EVENT_PROPAGATE;
}

static void
on_spin_value_changed (NnsLayerRow *self, GtkSpinButton *spin)
{
  if (self->refreshing)
    return;
  set_units (self, (guint) gtk_spin_button_get_value_as_int (spin));
}

static void
on_activation_selected (NnsLayerRow *self, GParamSpec *pspec, GtkDropDown *drop_down)
{
  g_autoptr (GError) error = NULL;
  guint selected = gtk_drop_down_get_selected (drop_down);

  if (self->refreshing || is_input (self) || selected >= NNS_N_ACTIVATIONS)
    return;
  if (!nns_network_set_activation (self->network, self->index, selected, &error))
    report (self, error);
}

static void
on_bias_active (NnsLayerRow *self, GParamSpec *pspec, GtkSwitch *sw)
{
  g_autoptr (GError) error = NULL;

  if (self->refreshing || is_input (self))
    return;
  if (!nns_network_set_bias (self->network, self->index, gtk_switch_get_active (sw), &error))
    report (self, error);
}

static void
commit_title (NnsLayerRow *self)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *fallback = NULL;
  g_autofree char *name = NULL;

  if (self->refreshing || self->disposed)
    return;
  name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->title))));
  if (is_input (self))
    {
      if (name[0] == '\0' || g_strcmp0 (name, _("Input")) == 0)
        g_clear_pointer (&name, g_free);
      nns_network_set_input_name (self->network, name);
      nns_layer_row_refresh (self);
      return;
    }
  fallback = default_title (self);
  /* An emptied title, or the default one, means "no name". */
  if (name[0] == '\0' || g_strcmp0 (name, fallback) == 0)
    g_clear_pointer (&name, g_free);
  if (!nns_network_set_name (self->network, self->index, name, &error))
    report (self, error);
  /* Show the default title again if the name was cleared. */
  nns_layer_row_refresh (self);
}

static void
on_title_activate (NnsLayerRow *self, GtkEntry *entry)
{
  commit_title (self);
}

static void
on_title_focus_leave (NnsLayerRow *self, GtkEventControllerFocus *focus)
{
  commit_title (self);
}

/* Escape puts the model's title back. */
static gboolean
on_title_key_pressed (NnsLayerRow *self, guint keyval, guint keycode, GdkModifierType state,
                      GtkEventControllerKey *key)
{
  const NnsLayer *layer;
  g_autofree char *title = NULL;

  if (keyval != GDK_KEY_Escape)
    return FALSE;
  if (is_input (self))
    title = g_strdup (nns_network_get_input_name (self->network) != NULL
                      ? nns_network_get_input_name (self->network) : _("Input"));
  else
    {
      layer = nns_network_get_layer (self->network, self->index);
      title = layer->name ? g_strdup (layer->name) : default_title (self);
    }
  self->refreshing = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->title), title);
  self->refreshing = FALSE;
  gtk_widget_grab_focus (GTK_WIDGET (self->scale));
  return TRUE;
}

/* After a move, keep the keyboard focus on the layer that moved. */
static void
focus_moved_layer (NnsLayerRow *self, gboolean up)
{
  GtkWidget *dest = up ? gtk_widget_get_prev_sibling (GTK_WIDGET (self))
                       : gtk_widget_get_next_sibling (GTK_WIDGET (self));

  if (NNS_IS_LAYER_ROW (dest))
    {
      NnsLayerRow *row = NNS_LAYER_ROW (dest);
      GtkWidget *button = GTK_WIDGET (up ? row->move_up : row->move_down);

      if (!gtk_widget_get_sensitive (button))
        button = GTK_WIDGET (up ? row->move_down : row->move_up);
      gtk_widget_grab_focus (button);
    }
}

static void
move (NnsLayerRow *self, gboolean up)
{
  g_autoptr (GError) error = NULL;
  gboolean had_focus;
  guint to;

  if (is_input (self) || (up && self->index == 0))
    return;
  to = up ? self->index - 1 : self->index + 1;
  had_focus = gtk_widget_has_focus (GTK_WIDGET (up ? self->move_up : self->move_down));
  if (!nns_network_move_layer (self->network, self->index, to, &error))
    {
      report (self, error);
      return;
    }
  if (had_focus)
    focus_moved_layer (self, up);
}

static void
on_move_up_clicked (NnsLayerRow *self, GtkButton *button)
{
  move (self, TRUE);
}

static void
on_move_down_clicked (NnsLayerRow *self, GtkButton *button)
{
  move (self, FALSE);
}

static void
on_remove_clicked (NnsLayerRow *self, GtkButton *button)
{
  g_autoptr (GError) error = NULL;

  if (is_input (self))
    return;
  if (!nns_network_remove_layer (self->network, self->index, &error))
    report (self, error);
}

static char *
activation_label (GtkStringObject *item)
{
  const char *label = gtk_string_object_get_string (item);

  return g_strdup (label[0] != '\0' ? label : _("None"));
}

static void
setup_activation_model (NnsLayerRow *self)
{
  g_autoptr (GtkStringList) list = gtk_string_list_new (NULL);
  g_autoptr (GtkExpression) expression = NULL;

  for (guint i = 0; i < NNS_N_ACTIVATIONS; i++)
    gtk_string_list_append (list, nns_activation_get_label (i));
  expression = gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 0, NULL,
                                            G_CALLBACK (activation_label), NULL, NULL);
  gtk_drop_down_set_expression (self->activation, expression);
  gtk_drop_down_set_model (self->activation, G_LIST_MODEL (list));
}

static void
nns_layer_row_dispose (GObject *object)
{
  NnsLayerRow *self = NNS_LAYER_ROW (object);
  GtkWidget *child;

  /* Losing focus while being torn down is not an edit. */
  self->disposed = TRUE;
  set_sliding (self, FALSE);
  gtk_widget_dispose_template (GTK_WIDGET (self), NNS_TYPE_LAYER_ROW);
  /* The card box is not a bound child, so the template leaves it. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->network);
  g_clear_pointer (&self->refused_shape, g_free);

  G_OBJECT_CLASS (nns_layer_row_parent_class)->dispose (object);
}

static void
nns_layer_row_class_init (NnsLayerRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = nns_layer_row_dispose;

  /**
   * NnsLayerRow::error:
   * @message: what went wrong, for a toast
   */
  signals[SIGNAL_ERROR] = g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                        NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * NnsLayerRow::slide-begin:
   *
   * The pointer took the units slider; units changes until ::slide-end are
   * one drag (one undo step).
   */
  signals[SIGNAL_SLIDE_BEGIN] = g_signal_new ("slide-begin", G_TYPE_FROM_CLASS (klass),
                                              G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                              G_TYPE_NONE, 0);
  signals[SIGNAL_SLIDE_END] = g_signal_new ("slide-end", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                            G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/nnsketch/NnSketch/nns-layer-row.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "nns-layer-row");

  gtk_widget_class_bind_template_child (widget_class, NnsLayerRow, title);
  gtk_widget_class_bind_template_child (widget_class, NnsLayerRow, input_title);
  gtk_widget_class_bind_template_child (widget_class, NnsLayerRow, subtitle);
  gtk_widget_class_bind_template_child (widget_class, NnsLayerRow, move_up);
  gtk_widget_class_bind_template_child (widget_class, NnsLayerRow, move_down);
  gtk_widget_class_bind_template_child (widget_class, NnsLayerRow, remove);
  gtk_widget_class_bind_template_child (widget_class, NnsLayerRow, scale);
  gtk_widget_class_bind_template_child (widget_class, NnsLayerRow, spin);
  gtk_widget_class_bind_template_child (widget_class, NnsLayerRow, options_box);
  gtk_widget_class_bind_template_child (widget_class, NnsLayerRow, activation);
  gtk_widget_class_bind_template_child (widget_class, NnsLayerRow, bias);
  gtk_widget_class_bind_template_child (widget_class, NnsLayerRow, formula);
  gtk_widget_class_bind_template_child (widget_class, NnsLayerRow, shape_box);
  gtk_widget_class_bind_template_child (widget_class, NnsLayerRow, shape);

  gtk_widget_class_bind_template_callback (widget_class, on_scale_value_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_scale_change_value);
  gtk_widget_class_bind_template_callback (widget_class, on_spin_value_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_activation_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_bias_active);
  gtk_widget_class_bind_template_callback (widget_class, on_title_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_move_up_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_move_down_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_remove_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_shape_activate);
}

/* The units with thousands separators, as everywhere else. */
static gboolean
on_spin_output (GtkSpinButton *spin, gpointer user_data)
{
  g_autofree char *text = nns_format_count ((guint64) MAX (0, gtk_spin_button_get_value (spin)));

  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (spin)), text) != 0)
    gtk_editable_set_text (GTK_EDITABLE (spin), text);
  return TRUE;
}

/* Digits, with or without separators; anything else keeps the old value and
 * marks the box as in error until a number is typed. */
static int
on_spin_input (GtkSpinButton *spin, double *value, gpointer user_data)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (spin));
  guint64 n = 0;
  gboolean digits = FALSE;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c >= '0' && c <= '9')
        {
          digits = TRUE;
          n = MIN (n * 10 + (c - '0'), (guint64) G_MAXUINT32);
        }
      else if (!(c == ',' || c == '.' || c == '\'' || g_unichar_isspace (c) || c == 0x202f
                 || c == 0x00a0))
        {
          digits = FALSE;
          break;
        }
    }
  if (!digits)
    {
      gtk_widget_add_css_class (GTK_WIDGET (spin), "error");
      return GTK_INPUT_ERROR;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (spin), "error");
  /* Out of range: the nearest end (the box updates only with valid values). */
  *value = CLAMP ((double) n, gtk_adjustment_get_lower (gtk_spin_button_get_adjustment (spin)),
                  gtk_adjustment_get_upper (gtk_spin_button_get_adjustment (spin)));
  return TRUE;
}

static void
nns_layer_row_init (NnsLayerRow *self)
{
  GtkEventController *controller;

  /* Template signals fire while the template is built; ignore them. */
  self->refreshing = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  setup_activation_model (self);

  /* Commit a rename when focus leaves (GtkEditableLabel would do this, but
   * in GTK 4.8 it leaves a timeout behind when destroyed). */
  controller = gtk_event_controller_focus_new ();
  g_signal_connect_object (controller, "leave", G_CALLBACK (on_title_focus_leave), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->title), controller);
  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_object (controller, "key-pressed", G_CALLBACK (on_title_key_pressed), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->title), controller);
  controller = gtk_event_controller_focus_new ();
  g_signal_connect_object (controller, "leave", G_CALLBACK (on_shape_focus_leave), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->shape), controller);
  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_object (controller, "key-pressed", G_CALLBACK (on_shape_key_pressed), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->shape), controller);
  controller = gtk_event_controller_legacy_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_object (controller, "event", G_CALLBACK (on_scale_event), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->scale), controller);
  g_signal_connect (self->spin, "input", G_CALLBACK (on_spin_input), NULL);
  g_signal_connect (self->spin, "output", G_CALLBACK (on_spin_output), NULL);
  self->refreshing = FALSE;
}

NnsLayerRow *
nns_layer_row_new (NnsNetwork *network, guint index)
{
  NnsLayerRow *self;

  g_return_val_if_fail (NNS_IS_NETWORK (network), NULL);

  self = g_object_new (NNS_TYPE_LAYER_ROW, NULL);
  self->network = g_object_ref (network);
  self->index = index;
  nns_layer_row_refresh (self);
  return self;
}

guint
nns_layer_row_get_index (NnsLayerRow *self)
{
  g_return_val_if_fail (NNS_IS_LAYER_ROW (self), 0);
  return self->index;
}

void
nns_layer_row_set_index (NnsLayerRow *self, guint index)
{
  g_return_if_fail (NNS_IS_LAYER_ROW (self));
  self->index = index;
  nns_layer_row_refresh (self);
}

gboolean
nns_layer_row_get_sliding (NnsLayerRow *self)
{
  g_return_val_if_fail (NNS_IS_LAYER_ROW (self), FALSE);
  return self->sliding;
}

GtkRange *
nns_layer_row_get_scale (NnsLayerRow *self)
{
  return GTK_RANGE (self->scale);
}

GtkSpinButton *
nns_layer_row_get_spin (NnsLayerRow *self)
{
  return self->spin;
}

GtkDropDown *
nns_layer_row_get_activation (NnsLayerRow *self)
{
  return self->activation;
}

GtkSwitch *
nns_layer_row_get_bias (NnsLayerRow *self)
{
  return self->bias;
}

GtkLabel *
nns_layer_row_get_formula (NnsLayerRow *self)
{
  return self->formula;
}

GtkEditable *
nns_layer_row_get_title (NnsLayerRow *self)
{
  return GTK_EDITABLE (self->title);
}

GtkEditable *
nns_layer_row_get_shape (NnsLayerRow *self)
{
  return GTK_EDITABLE (self->shape);
}

GtkButton *
nns_layer_row_get_remove (NnsLayerRow *self)
{
  return self->remove;
}

GtkButton *
nns_layer_row_get_move_up (NnsLayerRow *self)
{
  return self->move_up;
}

GtkButton *
nns_layer_row_get_move_down (NnsLayerRow *self)
{
  return self->move_down;
}
