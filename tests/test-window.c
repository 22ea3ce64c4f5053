/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-window"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <adwaita.h>
#include <gdk/x11/gdkx.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "nns-application.h"
#include "nns-canvas.h"
#include "nns-document-format.h"
#include "nns-input.h"
#include "nns-layer-row.h"
#include "nns-params.h"
#include "nns-preferences-window.h"
#include "nns-test-folder.h"
#include "nns-window-testing.h"

typedef struct
{
  NnsNetwork *network;
  NnsWindow  *window;
  gboolean    alive_when_saved;  /* the window was there when its save was written */
} Fixture;

/* Runs the main loop until nothing is pending (or cond holds, if given). */
/* A window writing its document (Save runs in a worker thread). */
static gboolean
any_saving (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* not ours */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GObject) window = g_list_model_get_item (toplevels, i);

      if (NNS_IS_WINDOW (window) && nns_window_get_saving (NNS_WINDOW (window)))
        return TRUE;
    }
  return FALSE;
}

/* Runs what is pending, and waits for saves to be written. */
static void
pump (void)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  for (int i = 0; i < 1000 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
  while (any_saving () && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  for (int i = 0; i < 1000 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
}

static void
wait_until_drawn (GtkWidget *widget)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while ((!gtk_widget_get_mapped (widget) || gtk_widget_get_width (widget) == 0)
         && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  pump ();
}

static int
setup (void **state)
{
  Fixture *f = g_new0 (Fixture, 1);
  f->network = nns_network_new_default ();
  /* An untitled network in the user's defaults, as the app starts. */
  f->window = nns_window_new (NULL, f->network, NULL);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1200, 800);
  gtk_window_present (GTK_WINDOW (f->window));
  wait_until_drawn (GTK_WIDGET (nns_window_get_canvas (f->window)));
  *state = f;
  return 0;
}

static int
teardown (void **state)
{
  Fixture *f = *state;

  if (f->window != NULL)
    gtk_window_destroy (GTK_WINDOW (f->window));
  pump ();
  g_object_unref (f->network);
  g_free (f);
  return 0;
}

static const char *
formula (Fixture *f, guint i)
{
  return gtk_label_get_text (nns_layer_row_get_formula (nns_window_get_layer_row (f->window, i)));
}

static const char *
total (Fixture *f)
{
  return gtk_label_get_text (nns_window_get_total_label (f->window));
}

static void
click (GtkButton *button)
{
  assert_true (gtk_widget_is_sensitive (GTK_WIDGET (button)));
  g_signal_emit_by_name (button, "clicked");
  pump ();
}

/* The rows show the lesson's network and follow every edit. */
static void
test_editor (void **state)
{
  Fixture *f = *state;
  NnsLayerRow *row;
  GtkSpinButton *spin;
  GtkEditable *title;

  assert_int_equal (nns_window_get_n_layer_rows (f->window), 3);
  assert_string_equal (formula (f, 0), "10 × 18 + 18 = 198");
  assert_string_equal (formula (f, 1), "18 × 20 + 20 = 380");
  assert_string_equal (formula (f, 2), "20 × 5 + 5 = 105");
  assert_string_equal (total (f), "683 parameters · 2.7 kB");
  assert_int_equal (gtk_spin_button_get_value_as_int (
                      nns_layer_row_get_spin (nns_window_get_input_row (f->window))), 10);

  /* Move the first slider to 32 units: the spin button, the model, both
   * affected formulas and the total follow. */
  row = nns_window_get_layer_row (f->window, 0);
  gtk_range_set_value (nns_layer_row_get_scale (row), log2 (32));
  pump ();
  assert_int_equal (nns_network_get_layer (f->network, 0)->units, 32);
  assert_int_equal (gtk_spin_button_get_value_as_int (nns_layer_row_get_spin (row)), 32);
  assert_string_equal (formula (f, 0), "10 × 32 + 32 = 352");
  assert_string_equal (formula (f, 1), "32 × 20 + 20 = 660");
  assert_string_equal (formula (f, 2), "20 × 5 + 5 = 105");
  assert_string_equal (total (f), "1,117 parameters · 4.5 kB");

  /* Type 2000 into the second spin button: above the slider's end, which
   * stays pinned there. */
  row = nns_window_get_layer_row (f->window, 1);
  spin = nns_layer_row_get_spin (row);
  gtk_editable_set_text (GTK_EDITABLE (spin), "2000");
  /* Enter in the spin button's text. */
  g_signal_emit_by_name (gtk_editable_get_delegate (GTK_EDITABLE (spin)), "activate");
  pump ();
  assert_int_equal (nns_network_get_layer (f->network, 1)->units, 2000);
  assert_float_equal (gtk_range_get_value (nns_layer_row_get_scale (row)), 10.0, 1e-9);
  assert_string_equal (formula (f, 1), "32 × 2,000 + 2,000 = 66,000");
  assert_string_equal (formula (f, 2), "2,000 × 5 + 5 = 10,005");
  assert_string_equal (total (f), "76,357 parameters · 305.4 kB");

  /* Arrow keys on the slider step one unit (the slider is logarithmic). */
  g_signal_emit_by_name (nns_layer_row_get_scale (row), "move-slider", GTK_SCROLL_STEP_LEFT);
  pump ();
  assert_int_equal (nns_network_get_layer (f->network, 1)->units, 1023);
  g_signal_emit_by_name (nns_layer_row_get_scale (row), "move-slider", GTK_SCROLL_STEP_RIGHT);
  g_signal_emit_by_name (nns_layer_row_get_scale (row), "move-slider", GTK_SCROLL_STEP_RIGHT);
  pump ();
  assert_int_equal (nns_network_get_layer (f->network, 1)->units, 1024);

  /* The pinned slider moved down again sets units from the slider. */
  gtk_range_set_value (nns_layer_row_get_scale (row), log2 (20));
  pump ();
  assert_int_equal (nns_network_get_layer (f->network, 1)->units, 20);
  assert_int_equal (gtk_spin_button_get_value_as_int (spin), 20);
  assert_string_equal (formula (f, 2), "20 × 5 + 5 = 105");

  /* Bias off on the output layer. */
  row = nns_window_get_layer_row (f->window, 2);
  gtk_switch_set_active (nns_layer_row_get_bias (row), FALSE);
  pump ();
  assert_false (nns_network_get_layer (f->network, 2)->bias);
  assert_string_equal (formula (f, 2), "20 × 5 = 100");
  assert_string_equal (total (f), "1,112 parameters · 4.4 kB");

  /* Activation and name. */
  gtk_drop_down_set_selected (nns_layer_row_get_activation (nns_window_get_layer_row (f->window, 0)),
                              NNS_ACTIVATION_RELU);
  pump ();
  assert_int_equal (nns_network_get_layer (f->network, 0)->activation, NNS_ACTIVATION_RELU);
  /* Rename as a person does: type, press Enter. */
  title = nns_layer_row_get_title (nns_window_get_layer_row (f->window, 0));
  assert_string_equal (gtk_editable_get_text (title), "Hidden 1");
  gtk_editable_set_text (title, "encoder");
  assert_null (nns_network_get_layer (f->network, 0)->name);
  g_signal_emit_by_name (title, "activate");
  pump ();
  assert_string_equal (nns_network_get_layer (f->network, 0)->name, "encoder");
  assert_string_equal (gtk_editable_get_text (title), "encoder");
  /* Emptying the title goes back to the default one. */
  gtk_editable_set_text (title, "");
  g_signal_emit_by_name (title, "activate");
  pump ();
  assert_null (nns_network_get_layer (f->network, 0)->name);
  assert_string_equal (gtk_editable_get_text (title), "Hidden 1");
  /* The output layer's default title. */
  assert_string_equal (gtk_editable_get_text (nns_layer_row_get_title (
                         nns_window_get_layer_row (f->window, 2))), "Output");

  /* The input width. */
  spin = nns_layer_row_get_spin (nns_window_get_input_row (f->window));
  gtk_spin_button_set_value (spin, 784);
  pump ();
  assert_int_equal (nns_network_get_input (f->network), 784);
  assert_string_equal (formula (f, 0), "784 × 32 + 32 = 25,120");
  assert_string_equal (total (f), "25,880 parameters · 103.5 kB");

  /* The input's own label for the figure, typed in its card; Undo takes it back. */
  title = nns_layer_row_get_title (nns_window_get_input_row (f->window));
  assert_string_equal (gtk_editable_get_text (title), "Input");
  gtk_editable_set_text (title, "x ∈ ℝ⁷⁸⁴");
  g_signal_emit_by_name (title, "activate");
  pump ();
  assert_string_equal (nns_network_get_input_name (f->network), "x ∈ ℝ⁷⁸⁴");
  {
    g_autofree char *column = nns_network_dup_column_title (f->network, 0);

    assert_string_equal (column, "x ∈ ℝ⁷⁸⁴");
  }
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.undo", NULL);
  pump ();
  assert_null (nns_network_get_input_name (f->network));
  assert_string_equal (gtk_editable_get_text (title), "Input");
}

/* The input's shape, typed in its card: what people write is taken, a shape
 * that does not hold the width is refused with a toast naming both, a width
 * edit it no longer fits removes it and says so; each edit is one undo step. */
static void
test_input_shape (void **state)
{
  Fixture *f = *state;
  NnsLayerRow *input = nns_window_get_input_row (f->window);
  GtkEditable *entry = nns_layer_row_get_shape (input);
  GtkSpinButton *spin = nns_layer_row_get_spin (input);
  NnsInputShape shape;

  /* only the input's card has the entry */
  assert_true (gtk_widget_is_visible (GTK_WIDGET (entry)));
  assert_false (gtk_widget_is_visible (GTK_WIDGET (nns_layer_row_get_shape (
                  nns_window_get_layer_row (f->window, 0)))));
  assert_string_equal (gtk_editable_get_text (entry), "");

  gtk_spin_button_set_value (spin, 3072);
  pump ();
  gtk_editable_set_text (entry, "3x32x32");
  g_signal_emit_by_name (entry, "activate");
  pump ();
  nns_network_get_input_shape (f->network, &shape);
  assert_int_equal (shape.n_dims, 3);
  assert_int_equal (shape.dims[0], 3);
  assert_int_equal (shape.dims[2], 32);
  assert_string_equal (gtk_editable_get_text (entry), "3 × 32 × 32");

  /* refused: the toast names the problem, the model keeps its shape */
  gtk_editable_set_text (entry, "3×32×31");
  g_signal_emit_by_name (entry, "activate");
  pump ();
  assert_string_equal (nns_window_get_last_toast (f->window),
                       "Shape 3 × 32 × 31 holds 2,976 values, but the input is 3,072 wide");
  assert_true (gtk_widget_has_css_class (GTK_WIDGET (entry), "error"));
  nns_network_get_input_shape (f->network, &shape);
  assert_int_equal (shape.dims[2], 32);
  gtk_editable_set_text (entry, "32 by 96");
  g_signal_emit_by_name (entry, "activate");
  pump ();
  assert_string_equal (nns_window_get_last_toast (f->window),
                       "Shape: “b” is not a size; write it like 3 × 32 × 32 or 28 × 28");
  gtk_editable_set_text (entry, "32 96");
  g_signal_emit_by_name (entry, "activate");
  pump ();
  assert_false (gtk_widget_has_css_class (GTK_WIDGET (entry), "error"));
  nns_network_get_input_shape (f->network, &shape);
  assert_int_equal (shape.n_dims, 2);
  assert_int_equal (shape.dims[1], 96);

  /* undo: back to 3 × 32 × 32, in the entry too */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.undo", NULL);
  pump ();
  nns_network_get_input_shape (f->network, &shape);
  assert_int_equal (shape.n_dims, 3);
  assert_string_equal (gtk_editable_get_text (entry), "3 × 32 × 32");

  /* a width it does not hold removes it, and says so; undo brings both back */
  gtk_spin_button_set_value (spin, 1000);
  pump ();
  assert_string_equal (nns_window_get_last_toast (f->window),
                       "Shape 3 × 32 × 32 removed: it does not hold 1,000 inputs");
  nns_network_get_input_shape (f->network, &shape);
  assert_int_equal (shape.n_dims, 0);
  assert_string_equal (gtk_editable_get_text (entry), "");
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.undo", NULL);
  pump ();
  assert_int_equal (nns_network_get_input (f->network), 3072);
  assert_string_equal (gtk_editable_get_text (entry), "3 × 32 × 32");

  /* emptied: no shape */
  gtk_editable_set_text (entry, "");
  g_signal_emit_by_name (entry, "activate");
  pump ();
  nns_network_get_input_shape (f->network, &shape);
  assert_int_equal (shape.n_dims, 0);
}

/* Add, move and remove layers through their buttons. */
static void
test_structure (void **state)
{
  Fixture *f = *state;
  NnsLayerRow *row;

  /* 10 → 18 → 20 → 5: the new hidden layer goes before the output, as wide
   * as the output's input. */
  click (nns_window_get_add_button (f->window));
  assert_int_equal (nns_network_get_n_layers (f->network), 4);
  assert_int_equal (nns_window_get_n_layer_rows (f->window), 4);
  assert_int_equal (nns_network_get_layer (f->network, 2)->units, 20);
  assert_int_equal (nns_network_get_layer (f->network, 3)->units, 5);
  assert_string_equal (formula (f, 2), "20 × 20 + 20 = 420");
  assert_string_equal (formula (f, 3), "20 × 5 + 5 = 105");
  assert_string_equal (total (f), "1,103 parameters · 4.4 kB");

  /* Make the layers distinct, then move the output layer (5) up. */
  gtk_spin_button_set_value (nns_layer_row_get_spin (nns_window_get_layer_row (f->window, 2)), 7);
  pump ();
  row = nns_window_get_layer_row (f->window, 3);
  assert_false (gtk_widget_is_sensitive (GTK_WIDGET (nns_layer_row_get_move_down (row))));
  click (nns_layer_row_get_move_up (row));
  /* 10 → 18 → 20 → 5 → 7 */
  assert_int_equal (nns_network_get_layer (f->network, 2)->units, 5);
  assert_int_equal (nns_network_get_layer (f->network, 3)->units, 7);
  assert_string_equal (formula (f, 2), "20 × 5 + 5 = 105");
  assert_string_equal (formula (f, 3), "5 × 7 + 7 = 42");
  assert_int_equal (gtk_spin_button_get_value_as_int (
                      nns_layer_row_get_spin (nns_window_get_layer_row (f->window, 3))), 7);
  assert_string_equal (total (f), "725 parameters · 2.9 kB");

  /* Move the first layer down: 10 → 20 → 18 → 5 → 7 */
  click (nns_layer_row_get_move_down (nns_window_get_layer_row (f->window, 0)));
  assert_int_equal (nns_network_get_layer (f->network, 0)->units, 20);
  assert_int_equal (nns_network_get_layer (f->network, 1)->units, 18);
  assert_string_equal (formula (f, 0), "10 × 20 + 20 = 220");
  assert_string_equal (formula (f, 1), "20 × 18 + 18 = 378");
  assert_string_equal (formula (f, 2), "18 × 5 + 5 = 95");
  assert_false (gtk_widget_is_sensitive (
                  GTK_WIDGET (nns_layer_row_get_move_up (nns_window_get_layer_row (f->window, 0)))));

  /* Remove down to one layer; the last one cannot go. */
  click (nns_layer_row_get_remove (nns_window_get_layer_row (f->window, 1)));
  assert_int_equal (nns_network_get_n_layers (f->network), 3);
  assert_int_equal (nns_window_get_n_layer_rows (f->window), 3);
  assert_string_equal (formula (f, 1), "20 × 5 + 5 = 105");
  click (nns_layer_row_get_remove (nns_window_get_layer_row (f->window, 0)));
  click (nns_layer_row_get_remove (nns_window_get_layer_row (f->window, 0)));
  assert_int_equal (nns_network_get_n_layers (f->network), 1);
  assert_int_equal (nns_window_get_n_layer_rows (f->window), 1);
  row = nns_window_get_layer_row (f->window, 0);
  assert_false (gtk_widget_is_sensitive (GTK_WIDGET (nns_layer_row_get_remove (row))));
  assert_string_equal (formula (f, 0), "10 × 7 + 7 = 77");
  assert_string_equal (total (f), "77 parameters · 308 bytes");

  /* Adding to a single-layer network: units = the output's in_features. */
  click (nns_window_get_add_button (f->window));
  assert_int_equal (nns_network_get_layer (f->network, 0)->units, 10);
  assert_string_equal (formula (f, 0), "10 × 10 + 10 = 110");
  assert_string_equal (formula (f, 1), "10 × 7 + 7 = 77");
}

/* Renders the canvas's own snapshot to pixels, as the screen would. */
static guchar *
render_canvas (NnsCanvas *canvas, int *width, int *height)
{
  GtkWidget *widget = GTK_WIDGET (canvas);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  GskRenderer *renderer;
  guchar *pixels;

  *width = gtk_widget_get_width (widget);
  *height = gtk_widget_get_height (widget);
  GTK_WIDGET_GET_CLASS (widget)->snapshot (widget, snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  assert_non_null (node);
  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, *width, *height));
  pixels = g_malloc ((gsize) *width * *height * 4);
  gdk_texture_download (texture, pixels, (gsize) *width * 4);
  return pixels;
}

static guint
count_changed_pixels (const guchar *a, const guchar *b, int width, int height)
{
  guint n = 0;

  for (gsize i = 0; i < (gsize) width * height; i++)
    if (memcmp (a + 4 * i, b + 4 * i, 4) != 0)
      n++;
  return n;
}

static void
node_center (Fixture *f, guint column, guint neuron, double *x, double *y)
{
  NnsCanvas *canvas = nns_window_get_canvas (f->window);
  NnsNode node;

  assert_true (nns_layout_get_node (nns_canvas_get_layout (canvas), column, neuron, &node));
  nns_canvas_layout_to_widget (canvas, node.x, node.y, x, y);
  assert_true (*x > 0 && *x < gtk_widget_get_width (GTK_WIDGET (canvas)));
  assert_true (*y > 0 && *y < gtk_widget_get_height (GTK_WIDGET (canvas)));
}

/* Click a neuron: the info line names it and the drawing changes. */
static void
test_selection (void **state)
{
  Fixture *f = *state;
  NnsCanvas *canvas = nns_window_get_canvas (f->window);
  const char *hint = gtk_label_get_text (nns_window_get_info_label (f->window));
  g_autofree guchar *before = NULL;
  g_autofree guchar *after = NULL;
  g_autofree guchar *cleared = NULL;
  g_autofree char *tooltip = NULL;
  g_autofree char *hint_copy = g_strdup (hint);
  guint column, neuron;
  int width, height;
  double x, y;

  assert_true (strlen (hint) > 0);
  before = render_canvas (canvas, &width, &height);

  node_center (f, 1, 2, &x, &y);
  assert_true (nns_canvas_click_at (canvas, x, y));
  pump ();
  assert_true (nns_canvas_get_selection (canvas, &column, &neuron));
  assert_int_equal (column, 1);
  assert_int_equal (neuron, 2);
  assert_string_equal (gtk_label_get_text (nns_window_get_info_label (f->window)),
                       "Hidden layer 1, neuron 3 of 18: 10 weights + 1 bias = 11 parameters");
  after = render_canvas (canvas, &width, &height);
  /* The rest dims: many pixels change, not a few. */
  assert_true (count_changed_pixels (before, after, width, height) > 1000);

  /* Hovering shows the same text. */
  tooltip = nns_canvas_dup_tooltip_at (canvas, x, y);
  assert_string_equal (tooltip, "Hidden layer 1, neuron 3 of 18: 10 weights + 1 bias = 11 parameters");
  assert_null (nns_canvas_dup_tooltip_at (canvas, 2, 2));

  /* Another click moves the selection. */
  node_center (f, 3, 4, &x, &y);
  assert_true (nns_canvas_click_at (canvas, x, y));
  pump ();
  assert_string_equal (gtk_label_get_text (nns_window_get_info_label (f->window)),
                       "Output layer, neuron 5 of 5: 20 weights + 1 bias = 21 parameters");

  /* Empty space clears it, and the drawing is the unselected one again. */
  assert_false (nns_canvas_click_at (canvas, 2, 2));
  pump ();
  assert_false (nns_canvas_get_selection (canvas, NULL, NULL));
  assert_string_equal (gtk_label_get_text (nns_window_get_info_label (f->window)), hint_copy);
  cleared = render_canvas (canvas, &width, &height);
  assert_int_equal (count_changed_pixels (before, cleared, width, height), 0);

  /* Escape (win.clear-selection) clears it. */
  node_center (f, 0, 0, &x, &y);
  assert_true (nns_canvas_click_at (canvas, x, y));
  assert_string_equal (gtk_label_get_text (nns_window_get_info_label (f->window)),
                       "Input 1 of 10: no parameters");
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.clear-selection", NULL);
  pump ();
  assert_false (nns_canvas_get_selection (canvas, NULL, NULL));

  /* Shrinking a layer past the selected neuron clears it; shrinking it less
   * keeps it and updates the text. */
  node_center (f, 1, 2, &x, &y);
  assert_true (nns_canvas_click_at (canvas, x, y));
  gtk_spin_button_set_value (nns_layer_row_get_spin (nns_window_get_input_row (f->window)), 4);
  pump ();
  assert_string_equal (gtk_label_get_text (nns_window_get_info_label (f->window)),
                       "Hidden layer 1, neuron 3 of 18: 4 weights + 1 bias = 5 parameters");
  gtk_spin_button_set_value (nns_layer_row_get_spin (nns_window_get_layer_row (f->window, 0)), 3);
  pump ();
  assert_true (nns_canvas_get_selection (canvas, NULL, NULL));
  gtk_spin_button_set_value (nns_layer_row_get_spin (nns_window_get_layer_row (f->window, 0)), 2);
  pump ();
  assert_false (nns_canvas_get_selection (canvas, NULL, NULL));
  assert_string_equal (gtk_label_get_text (nns_window_get_info_label (f->window)), hint_copy);
}

/* Arrow keys: along a layer, then across to the nearest drawn neuron. */
static void
test_keyboard (void **state)
{
  Fixture *f = *state;
  NnsCanvas *canvas = nns_window_get_canvas (f->window);
  guint column, neuron;

  nns_canvas_move_selection (canvas, 0, 1);
  assert_true (nns_canvas_get_selection (canvas, &column, &neuron));
  assert_int_equal (column, 0);
  assert_int_equal (neuron, 0);
  nns_canvas_move_selection (canvas, 0, 1);
  nns_canvas_move_selection (canvas, 0, 1);
  nns_canvas_get_selection (canvas, &column, &neuron);
  assert_int_equal (neuron, 2);
  nns_canvas_move_selection (canvas, 0, -5);
  nns_canvas_get_selection (canvas, &column, &neuron);
  assert_int_equal (neuron, 0);

  /* Input 0 (the top of 10) → the top of Hidden 1's drawn neurons is
   * further up; the nearest by height is some neuron of layer 1. */
  nns_canvas_select (canvas, 0, 9);
  nns_canvas_move_selection (canvas, 1, 0);
  nns_canvas_get_selection (canvas, &column, &neuron);
  assert_int_equal (column, 1);
  {
    const NnsLayout *layout = nns_canvas_get_layout (canvas);
    NnsNode from, to, other;

    nns_layout_get_node (layout, 0, 9, &from);
    assert_true (nns_layout_get_node (layout, 1, neuron, &to));
    for (guint i = 0; i < nns_layout_get_n_drawn (layout, 1); i++)
      {
        nns_layout_get_drawn_node (layout, 1, i, &other);
        assert_true (fabs (to.y - from.y) <= fabs (other.y - from.y) + 1e-9);
      }
  }
  /* Right to the end and no further. */
  for (int i = 0; i < 5; i++)
    nns_canvas_move_selection (canvas, 1, 0);
  nns_canvas_get_selection (canvas, &column, &neuron);
  assert_int_equal (column, 3);
  assert_true (neuron < 5);
  assert_string_not_equal (gtk_label_get_text (nns_window_get_info_label (f->window)), "");
}

/* Zoom keeps the point under the pointer still; fit comes back. */
static void
test_zoom (void **state)
{
  Fixture *f = *state;
  NnsCanvas *canvas = nns_window_get_canvas (f->window);
  double fit_zoom = nns_canvas_get_zoom (canvas);
  double lx, ly, x, y;

  assert_true (nns_canvas_get_fit (canvas));
  assert_true (fit_zoom > 0);
  nns_canvas_widget_to_layout (canvas, 100, 80, &lx, &ly);
  nns_canvas_zoom_at (canvas, 2.0, 100, 80);
  assert_false (nns_canvas_get_fit (canvas));
  assert_float_equal (nns_canvas_get_zoom (canvas), 2 * fit_zoom, 1e-9);
  nns_canvas_layout_to_widget (canvas, lx, ly, &x, &y);
  assert_float_equal (x, 100, 1e-6);
  assert_float_equal (y, 80, 1e-6);

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.zoom-in", NULL);
  assert_float_equal (nns_canvas_get_zoom (canvas), 2.5 * fit_zoom, 1e-9);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.zoom-out", NULL);
  assert_float_equal (nns_canvas_get_zoom (canvas), 2 * fit_zoom, 1e-9);
  nns_canvas_pan (canvas, 30, -20);
  nns_canvas_layout_to_widget (canvas, lx, ly, &x, &y);
  assert_float_equal (x, 130, 1e-6);
  assert_float_equal (y, 60, 1e-6);

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.zoom-fit", NULL);
  assert_true (nns_canvas_get_fit (canvas));
  assert_float_equal (nns_canvas_get_zoom (canvas), fit_zoom, 1e-9);

  /* A click after zooming still hits the neuron under it. */
  {
    double cx, cy;
    guint column, neuron;

    node_center (f, 2, 1, &cx, &cy);
    nns_canvas_zoom_at (canvas, 3.0, cx + 20, cy - 10);
    node_center (f, 2, 1, &cx, &cy);
    assert_true (nns_canvas_click_at (canvas, cx, cy));
    nns_canvas_get_selection (canvas, &column, &neuron);
    assert_int_equal (column, 2);
    assert_int_equal (neuron, 1);
  }
}

/* Export through the window: a file and a toast; failure is a toast too. */
static void
test_export (void **state)
{
  Fixture *f = *state;
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("nns-window-XXXXXX", NULL);
  g_autofree char *png = g_build_filename (dir, "network.png", NULL);
  g_autofree char *svg = g_build_filename (dir, "network.svg", NULL);
  g_autofree char *bad = g_build_filename (dir, "missing", "network.pdf", NULL);
  g_autofree char *name = nns_window_dup_export_name (f->window, NNS_EXPORT_SVG);
  g_autofree char *data = NULL;
  gsize length;

  assert_string_equal (name, "network.svg");
  assert_true (nns_window_export_to (f->window, png, &error));
  assert_null (error);
  assert_true (g_file_get_contents (png, &data, &length, NULL));
  assert_true (length > 1000);
  assert_memory_equal (data, "\x89PNG", 4);
  assert_string_equal (nns_window_get_last_toast (f->window), "Exported network.png");

  assert_true (nns_window_export_to (f->window, svg, NULL));
  assert_string_equal (nns_window_get_last_toast (f->window), "Exported network.svg");

  assert_false (nns_window_export_to (f->window, bad, &error));
  assert_non_null (error);
  assert_string_equal (nns_window_get_last_toast (f->window), error->message);
  assert_false (g_file_test (bad, G_FILE_TEST_EXISTS));
  pump ();

  /* The document's name is the default. */
  nns_window_set_path (f->window, "/tmp/lesson.nnsketch");
  g_free (name);
  name = nns_window_dup_export_name (f->window, NNS_EXPORT_PDF);
  assert_string_equal (name, "lesson.pdf");

  g_unlink (png);
  g_unlink (svg);
  g_rmdir (dir);
}

/* The longer side of the PNG at path. */
static int
png_longer_side (const char *path, int *shorter)
{
  cairo_surface_t *surface = cairo_image_surface_create_from_png (path);
  int width, height;

  assert_int_equal (cairo_surface_status (surface), CAIRO_STATUS_SUCCESS);
  width = cairo_image_surface_get_width (surface);
  height = cairo_image_surface_get_height (surface);
  cairo_surface_destroy (surface);
  *shorter = MIN (width, height);
  return MAX (width, height);
}

/* Networks the model allows past what viewers open at their natural size
 * (256 layers) export scaled down to 16,384 px (14,400 pt) a side, and the
 * toast says so; a layer of 1024 units with every neuron shown fits. */
static void
test_export_fit (void **state)
{
  Fixture *f = *state;
  g_autofree char *dir = g_dir_make_tmp ("nns-window-XXXXXX", NULL);
  g_autofree char *png = g_build_filename (dir, "network.png", NULL);
  g_autofree char *pdf = g_build_filename (dir, "network.pdf", NULL);
  g_autoptr (GString) spec = g_string_new ("3");
  g_autoptr (NnsNetwork) deep = NULL;
  g_autoptr (NnsNetwork) wide = NULL;
  g_autoptr (GError) error = NULL;
  int shorter;

  for (guint i = 0; i < NNS_LAYERS_MAX; i++)
    g_string_append (spec, ",3");
  deep = nns_network_new_from_string (spec->str, &error);
  assert_non_null (deep);
  nns_network_assign (f->network, deep);
  pump ();
  assert_true (nns_window_export_to (f->window, png, &error));
  assert_null (error);
  assert_int_equal (png_longer_side (png, &shorter), 16384);
  assert_true (shorter > 10);
  assert_true (g_str_has_prefix (nns_window_get_last_toast (f->window),
                                 "Exported network.png. Scaled down from "));
  assert_non_null (strstr (nns_window_get_last_toast (f->window), " px, the most viewers open (16,384 px a side"));
  assert_true (nns_window_export_to (f->window, pdf, &error));
  assert_null (error);
  assert_non_null (strstr (nns_window_get_last_toast (f->window), " pt, the most viewers open (14,400 pt a side)"));

  wide = nns_network_new_from_string ("4,1024,2", &error);
  assert_non_null (wide);
  nns_network_assign (f->network, wide);
  nns_window_set_show_all_neurons (f->window, TRUE);
  pump ();
  assert_true (nns_window_export_to (f->window, png, &error));
  assert_null (error);
  assert_true (png_longer_side (png, &shorter) < 16384);
  assert_true (shorter > 1000);
  assert_string_equal (nns_window_get_last_toast (f->window), "Exported network.png");

  /* A small network keeps its natural size. */
  nns_window_set_show_all_neurons (f->window, FALSE);
  nns_window_new_document (f->window);
  pump ();
  assert_true (nns_window_export_to (f->window, png, &error));
  assert_true (png_longer_side (png, &shorter) < 2000);
  assert_string_equal (nns_window_get_last_toast (f->window), "Exported network.png");

  g_unlink (png);
  g_unlink (pdf);
  g_rmdir (dir);
}

/* The canvas follows the system dark style. */
static void
test_dark (void **state)
{
  Fixture *f = *state;
  AdwStyleManager *manager = adw_style_manager_get_default ();
  NnsCanvas *canvas = nns_window_get_canvas (f->window);
  g_autofree guchar *light = NULL;
  g_autofree guchar *dark = NULL;
  int width, height;

  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_LIGHT);
  pump ();
  assert_int_equal (nns_canvas_get_style (canvas)->theme, NNS_THEME_LIGHT);
  light = render_canvas (canvas, &width, &height);
  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_DARK);
  pump ();
  assert_int_equal (nns_canvas_get_style (canvas)->theme, NNS_THEME_DARK);
  assert_int_equal (nns_window_get_style (f->window)->theme, NNS_THEME_DARK);
  dark = render_canvas (canvas, &width, &height);
  assert_true (count_changed_pixels (light, dark, width, height) > 1000);
  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_DEFAULT);
  pump ();
}

/* Dragging a slider redraws every frame: each step of the drag is a new
 * drawing of the canvas, with the network as the slider left it. (How long
 * a frame takes is nns-canvas-bench's "drag", not a test's.) */
static void
test_drag_redraws (void **state)
{
  Fixture *f = *state;
  NnsCanvas *canvas = nns_window_get_canvas (f->window);
  GtkRange *scale = nns_layer_row_get_scale (nns_window_get_layer_row (f->window, 1));
  int width = gtk_widget_get_width (GTK_WIDGET (canvas));
  int height = gtk_widget_get_height (GTK_WIDGET (canvas));
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  const int steps = 60;
  NnsNetwork *network = nns_window_get_network (f->window);

  for (int i = 0; i < steps; i++)
    {
      GtkSnapshot *snapshot = gtk_snapshot_new ();
      g_autoptr (GskRenderNode) node = NULL;
      guint renders = nns_canvas_get_n_renders (canvas);
      guint units = nns_network_get_layer (network, 1)->units;
      cairo_t *cr;

      /* Sweep 1 … 1024 units and back, as a drag does. */
      gtk_range_set_value (scale, 10.0 * (i < steps / 2 ? i : steps - i) / (steps / 2));
      GTK_WIDGET_GET_CLASS (canvas)->snapshot (GTK_WIDGET (canvas), snapshot);
      node = gtk_snapshot_free_to_node (snapshot);
      cr = cairo_create (surface);
      gsk_render_node_draw (node, cr);
      cairo_destroy (cr);
      /* a step that changed the width drew the canvas again */
      assert_int_equal (nns_canvas_get_n_renders (canvas),
                        renders + (nns_network_get_layer (network, 1)->units != units));
      assert_true (nns_layout_get_column_width (nns_canvas_get_layout (canvas), 2)
                   == nns_network_get_layer (network, 1)->units);
    }
  cairo_surface_destroy (surface);
}

static void
on_text_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  char **text = user_data;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, NULL);
  if (*text == NULL)
    *text = g_strdup ("");
}

static void
spin_to (Fixture *f, guint layer, guint units)
{
  gtk_spin_button_set_value (nns_layer_row_get_spin (nns_window_get_layer_row (f->window, layer)),
                             units);
  pump ();
}

/* Undo, redo, save, open, import, copy, and the question before losing
 * changes. */
static void
test_documents (void **state)
{
  Fixture *f = *state;
  GtkWidget *window = GTK_WIDGET (f->window);
  g_autofree char *dir = g_dir_make_tmp ("nns-window-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "lesson.nnsketch", NULL);
  g_autofree char *bad = g_build_filename (dir, "broken.nnsketch", NULL);
  g_autofree char *torch = g_build_filename (dir, "model.py", NULL);
  g_autofree char *data = NULL;
  g_autofree char *copied = NULL;
  g_autoptr (GFile) file = NULL;
  g_autoptr (NnsNetwork) saved = NULL;
  g_autoptr (GError) error = NULL;
  GtkWindow *dialog;

  assert_false (nns_window_get_modified (f->window));
  assert_string_equal (gtk_window_get_title (GTK_WINDOW (window)), "Untitled Network — NN Sketch");

  /* A drag is many changes to one layer; one undo takes it all back. */
  for (guint units = 19; units <= 40; units++)
    spin_to (f, 0, units);
  spin_to (f, 1, 7);
  assert_true (nns_window_get_modified (f->window));
  assert_string_equal (gtk_window_get_title (GTK_WINDOW (window)),
                       "• Untitled Network — NN Sketch");
  gtk_widget_activate_action (window, "win.undo", NULL);
  pump ();
  assert_int_equal (nns_network_get_layer (f->network, 1)->units, 20);
  assert_int_equal (nns_network_get_layer (f->network, 0)->units, 40);
  gtk_widget_activate_action (window, "win.undo", NULL);
  pump ();
  assert_int_equal (nns_network_get_layer (f->network, 0)->units, 18);
  assert_string_equal (formula (f, 0), "10 × 18 + 18 = 198");
  assert_string_equal (total (f), "683 parameters · 2.7 kB");
  assert_false (nns_window_get_modified (f->window));
  gtk_widget_activate_action (window, "win.redo", NULL);
  pump ();
  assert_int_equal (nns_network_get_layer (f->network, 0)->units, 40);
  assert_int_equal (gtk_spin_button_get_value_as_int (
                      nns_layer_row_get_spin (nns_window_get_layer_row (f->window, 0))), 40);
  assert_string_equal (formula (f, 1), "40 × 20 + 20 = 820");

  /* Save: the file holds the network; the title names it. */
  assert_true (nns_window_save_to (f->window, path, &error));
  assert_false (nns_window_get_modified (f->window));
  assert_string_equal (gtk_window_get_title (GTK_WINDOW (window)), "lesson.nnsketch — NN Sketch");
  assert_true (g_file_get_contents (path, &data, NULL, NULL));
  saved = nns_document_load_data (data, -1, NULL, &error);
  assert_non_null (saved);
  assert_true (nns_network_equal (saved, f->network));

  /* New, then open it again. */
  nns_window_new_document (f->window);
  pump ();
  assert_int_equal (nns_network_get_layer (f->network, 0)->units, 18);
  assert_string_equal (gtk_window_get_title (GTK_WINDOW (window)), "Untitled Network — NN Sketch");
  file = g_file_new_for_path (path);
  assert_true (nns_window_open_file (f->window, file, &error));
  pump ();
  assert_true (nns_network_equal (saved, f->network));
  assert_string_equal (formula (f, 0), "10 × 40 + 40 = 440");
  assert_false (nns_window_get_modified (f->window));

  /* A broken file: the reason in a toast, nothing changes. */
  assert_true (g_file_set_contents (bad, "{ \"format\": \"nnsketch\", ", -1, NULL));
  g_clear_object (&file);
  file = g_file_new_for_path (bad);
  assert_false (nns_window_open_file (f->window, file, &error));
  assert_non_null (error);
  assert_non_null (strstr (nns_window_get_last_toast (f->window), "broken.nnsketch"));
  assert_true (nns_network_equal (saved, f->network));

  /* Opened PyTorch text starts a new untitled document, unmodified (the
   * text is still on disk) and with nothing to undo. */
  assert_true (g_file_set_contents (torch, "import torch.nn as nn\n"
                                    "model = nn.Sequential(nn.Linear(4, 3), nn.ReLU(),\n"
                                    "                      nn.Linear(3, 2))\n", -1, NULL));
  g_clear_object (&file);
  file = g_file_new_for_path (torch);
  assert_true (nns_window_open_file (f->window, file, NULL));
  pump ();
  assert_int_equal (nns_network_get_input (f->network), 4);
  assert_int_equal (nns_window_get_n_layer_rows (f->window), 2);
  assert_string_equal (formula (f, 0), "4 × 3 + 3 = 15");
  assert_string_equal (total (f), "23 parameters · 92 bytes");
  assert_int_equal (nns_network_get_layer (f->network, 0)->activation, NNS_ACTIVATION_RELU);
  assert_string_equal (gtk_window_get_title (GTK_WINDOW (window)), "Untitled Network — NN Sketch");
  assert_false (nns_window_get_modified (f->window));
  gtk_widget_activate_action (window, "win.undo", NULL);
  pump ();
  assert_int_equal (nns_network_get_input (f->network), 4);

  /* Copy as PyTorch code. */
  gtk_widget_activate_action (window, "win.copy-pytorch", NULL);
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (window), NULL, on_text_read, &copied);
  while (copied == NULL)
    g_main_context_iteration (NULL, TRUE);
  assert_non_null (strstr (copied, "nn.Linear(4, 3)"));
  assert_non_null (strstr (copied, "nn.Linear(3, 2)"));
  spin_to (f, 0, 5);

  /* Closing with changes asks; Cancel keeps the window, Discard closes it. */
  g_object_add_weak_pointer (G_OBJECT (f->window), (gpointer *) &f->window);
  gtk_window_close (GTK_WINDOW (window));
  pump ();
  dialog = nns_window_get_discard_dialog (f->window);
  assert_non_null (dialog);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  pump ();
  assert_non_null (f->window);
  assert_null (nns_window_get_discard_dialog (f->window));
  gtk_window_close (GTK_WINDOW (window));
  pump ();
  dialog = nns_window_get_discard_dialog (f->window);
  assert_non_null (dialog);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "discard");
  pump ();
  assert_null (f->window);

  g_unlink (path);
  g_unlink (bad);
  g_unlink (torch);
  g_rmdir (dir);
}

/* The top-left pixel of an exported PNG (its background). */
static guint32
png_corner (const char *path)
{
  cairo_surface_t *surface = cairo_image_surface_create_from_png (path);
  guint32 pixel;

  assert_int_equal (cairo_surface_status (surface), CAIRO_STATUS_SUCCESS);
  cairo_surface_flush (surface);
  pixel = *(guint32 *) cairo_image_surface_get_data (surface);
  cairo_surface_destroy (surface);
  return pixel & 0xffffff;
}

/* Preferences reach the canvas live; exports remember their folder and take
 * the export theme. */
static void
test_settings (void **state)
{
  Fixture *f = *state;
  GSettings *settings = nns_window_get_settings (f->window);
  NnsCanvas *canvas = nns_window_get_canvas (f->window);
  g_autofree char *dir = g_dir_make_tmp ("nns-window-XXXXXX", NULL);
  g_autofree char *light = g_build_filename (dir, "light.png", NULL);
  g_autofree char *dark = g_build_filename (dir, "dark.png", NULL);
  g_autofree char *folder = NULL;
  g_autofree char *format = NULL;
  double width;

  /* The test env has the schema (GSETTINGS_SCHEMA_DIR, memory backend). */
  assert_non_null (settings);
  /* The canvas lays out for its box; compare natural layouts of its style. */
  {
    g_autoptr (NnsLayout) before = nns_layout_new (nns_window_get_network (f->window),
                                                   nns_canvas_get_style (canvas), 0, 0);
    g_autoptr (NnsLayout) after = NULL;

    width = nns_layout_get_width (before);
    g_settings_set_double (settings, "layer-spacing", 600.0);
    pump ();
    assert_float_equal (nns_canvas_get_style (canvas)->layer_spacing, 600.0, 1e-9);
    after = nns_layout_new (nns_window_get_network (f->window), nns_canvas_get_style (canvas), 0, 0);
    /* (The landscape rule already spread the columns past 160.) */
    assert_true (nns_layout_get_width (after) > width + 3 * 200);
  }
  g_settings_reset (settings, "layer-spacing");
  pump ();
  assert_float_equal (nns_canvas_get_style (canvas)->layer_spacing, 160.0, 1e-9);

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_LIGHT);
  pump ();
  g_settings_set_string (settings, "export-theme", "follow");
  assert_true (nns_window_export_to (f->window, light, NULL));
  g_settings_set_string (settings, "export-theme", "dark");
  assert_true (nns_window_export_to (f->window, dark, NULL));
  g_settings_reset (settings, "export-theme");
  /* Light background is bright, dark is dark; the window stays light. */
  assert_true ((png_corner (light) & 0xff) > 0xc0);
  assert_true ((png_corner (dark) & 0xff) < 0x60);
  assert_int_equal (nns_canvas_get_style (canvas)->theme, NNS_THEME_LIGHT);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);

  folder = g_settings_get_string (settings, "last-export-folder");
  format = g_settings_get_string (settings, "last-export-format");
  assert_string_equal (folder, dir);
  assert_string_equal (format, "png");

  g_unlink (light);
  g_unlink (dark);
  g_rmdir (dir);
  g_settings_reset (settings, "last-export-folder");
  g_settings_reset (settings, "last-export-format");

  /* The window opens at the size it was closed at. */
  {
    NnsWindow *other;
    int width, height;

    g_settings_set_int (settings, "window-width", 1000);
    g_settings_set_int (settings, "window-height", 700);
    other = nns_window_new (NULL, f->network, NULL);
    gtk_window_get_default_size (GTK_WINDOW (other), &width, &height);
    assert_int_equal (width, 1000);
    assert_int_equal (height, 700);
    gtk_window_present (GTK_WINDOW (other));
    wait_until_drawn (GTK_WIDGET (other));
    gtk_window_set_default_size (GTK_WINDOW (other), 900, 650);
    gtk_window_close (GTK_WINDOW (other));
    pump ();
    assert_int_equal (g_settings_get_int (settings, "window-width"), 900);
    assert_int_equal (g_settings_get_int (settings, "window-height"), 650);
    g_settings_reset (settings, "window-width");
    g_settings_reset (settings, "window-height");
  }
}

/* A window as narrow as a phone (360 px): the layer list folds away and
 * the Layers button (F8) slides it over the drawing; the header bar fits. */
static void
test_narrow_window (void **state)
{
  Fixture *f = *state;
  AdwFlap *flap = nns_window_get_flap (f->window);
  GtkWidget *layers = nns_window_get_layers_button (f->window);
  int minimum = 0, natural = 0;

  /* GNOME's own title bar buttons: close only. */
  g_object_set (gtk_settings_get_default (), "gtk-decoration-layout", "appmenu:close", NULL);

  /* Wide: the list is beside the drawing, no Layers button. */
  wait_until_drawn (GTK_WIDGET (f->window));
  pump ();
  assert_false (adw_flap_get_folded (flap));
  assert_true (adw_flap_get_reveal_flap (flap));
  assert_false (gtk_widget_get_visible (layers));
  assert_true (gtk_widget_get_visible (nns_window_get_open_button (f->window)));

  gtk_window_set_default_size (GTK_WINDOW (f->window), 360, 700);
  for (int i = 0; i < 50 && !adw_flap_get_folded (flap); i++)
    {
      g_usleep (10000);
      pump ();
    }
  pump ();
  assert_true (adw_flap_get_folded (flap));
  assert_false (adw_flap_get_reveal_flap (flap));
  assert_true (gtk_widget_get_visible (layers));
  assert_false (gtk_widget_get_visible (nns_window_get_open_button (f->window)));
  assert_true (gtk_widget_get_width (GTK_WIDGET (nns_window_get_canvas (f->window))) > 300);
  /* Folded, the whole window fits 360 px (the header bar too). */
  gtk_widget_measure (GTK_WIDGET (f->window), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural,
                      NULL, NULL);
  fprintf (stderr, "minimum width %d\n", minimum);
  assert_true (minimum <= 360);

  /* F8 (win.show-layers) and the button show the list over the drawing. */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-layers", NULL);
  pump ();
  assert_true (adw_flap_get_reveal_flap (flap));
  assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (layers)));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (layers), FALSE);
  pump ();
  assert_false (adw_flap_get_reveal_flap (flap));

  /* Wide again: the list is back beside the drawing. */
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1200, 800);
  for (int i = 0; i < 50 && adw_flap_get_folded (flap); i++)
    {
      g_usleep (10000);
      pump ();
    }
  pump ();
  assert_false (adw_flap_get_folded (flap));
  assert_true (gtk_widget_get_visible (nns_window_get_open_button (f->window)));
  gtk_settings_reset_property (gtk_settings_get_default (), "gtk-decoration-layout");
}

/* --- helpers for the tests below --- */

/* Depth-first search for a widget of type whose action-name (if given) is
 * action_name. */
static GtkWidget *
find_widget (GtkWidget *root, GType type, const char *action_name)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type)
      && (action_name == NULL
          || (GTK_IS_ACTIONABLE (root)
              && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (root)), action_name) == 0)))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type, action_name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The menu item (in any section or submenu) with this action. */
static gboolean
menu_find (GMenuModel *model, const char *action, char **label)
{
  for (int i = 0; i < g_menu_model_get_n_items (model); i++)
    {
      g_autofree char *item_action = NULL;
      g_autoptr (GMenuModel) section = NULL;
      g_autoptr (GMenuModel) submenu = NULL;

      if (g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_ACTION, "s", &item_action)
          && g_strcmp0 (item_action, action) == 0)
        {
          if (label != NULL)
            g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_LABEL, "s", label);
          return TRUE;
        }
      section = g_menu_model_get_item_link (model, i, G_MENU_LINK_SECTION);
      submenu = g_menu_model_get_item_link (model, i, G_MENU_LINK_SUBMENU);
      if ((section != NULL && menu_find (section, action, label))
          || (submenu != NULL && menu_find (submenu, action, label)))
        return TRUE;
    }
  return FALSE;
}

static void
activate (Fixture *f, const char *action)
{
  gtk_widget_activate_action (GTK_WIDGET (f->window), action, NULL);
  pump ();
}

static gpointer
prefs_child (GtkWidget *preferences, const char *name)
{
  GObject *object = gtk_widget_get_template_child (preferences, NNS_TYPE_PREFERENCES_WINDOW, name);

  if (object == NULL)
    fail_msg ("no template child %s", name);
  return object;
}

/* "Show all neurons": a toggle by the zoom buttons and in the main menu; it
 * redraws, writes the setting, and is an undoable style edit. */
static void
test_show_all (void **state)
{
  Fixture *f = *state;
  GSettings *settings = nns_window_get_settings (f->window);
  NnsCanvas *canvas = nns_window_get_canvas (f->window);
  GtkWidget *toggle = find_widget (GTK_WIDGET (f->window), GTK_TYPE_TOGGLE_BUTTON,
                                   "win.show-all-neurons");
  GtkMenuButton *menu_button = nns_window_get_menu_button (f->window);
  g_autofree char *label = NULL;
  g_autofree guchar *collapsed = NULL;
  g_autofree guchar *all = NULL;
  GtkWidget *preferences;
  int width, height;

  assert_non_null (settings);
  assert_non_null (toggle);
  assert_string_equal (gtk_widget_get_tooltip_text (toggle), "Show All Neurons (Ctrl+Shift+A)");
  assert_true (gtk_widget_is_drawable (toggle));
  /* The main menu has it too. */
  assert_true (gtk_menu_button_get_primary (menu_button));
  assert_true (menu_find (gtk_menu_button_get_menu_model (menu_button), "win.show-all-neurons",
                          &label));
  assert_string_equal (label, "Show _All Neurons");

  /* 18 and 20 collapse at a limit of 16. */
  g_settings_set_uint (settings, "collapse-limit", 12);
  nns_window_new_document (f->window);
  pump ();
  assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (toggle)));
  assert_true (nns_layout_is_collapsed (nns_canvas_get_layout (canvas), 1));
  assert_true (nns_layout_get_n_drawn (nns_canvas_get_layout (canvas), 1) < 18);
  collapsed = render_canvas (canvas, &width, &height);

  /* Clicking the toggle, as a user does. */
  g_signal_emit_by_name (toggle, "clicked");
  pump ();
  assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (toggle)));
  assert_true (nns_window_get_show_all_neurons (f->window));
  assert_true (nns_canvas_get_style (canvas)->show_all_neurons);
  assert_int_equal (nns_layout_get_n_drawn (nns_canvas_get_layout (canvas), 1), 18);
  assert_int_equal (nns_layout_get_n_drawn (nns_canvas_get_layout (canvas), 2), 20);
  /* An edit of the document: the user's default for new networks stays. */
  assert_false (g_settings_get_boolean (settings, "show-all-neurons"));
  all = render_canvas (canvas, &width, &height);
  assert_true (count_changed_pixels (collapsed, all, width, height) > 1000);
  /* Saved with the document: it is an edit. */
  assert_true (nns_window_get_modified (f->window));
  assert_string_equal (gtk_window_get_title (GTK_WINDOW (f->window)),
                       "• Untitled Network — NN Sketch");

  /* Undo takes it back everywhere: toggle, canvas, setting, unsaved mark. */
  activate (f, "win.undo");
  assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (toggle)));
  assert_false (nns_canvas_get_style (canvas)->show_all_neurons);
  assert_int_equal (nns_layout_get_n_drawn (nns_canvas_get_layout (canvas), 1),
                    nns_layout_get_n_drawn (nns_canvas_get_layout (canvas), 2));
  assert_false (g_settings_get_boolean (settings, "show-all-neurons"));
  assert_false (nns_window_get_modified (f->window));
  activate (f, "win.redo");
  assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (toggle)));
  assert_false (g_settings_get_boolean (settings, "show-all-neurons"));

  /* The preferences' switch (the document's style) moves the toggle too. */
  preferences = nns_preferences_window_new_for_document (GTK_WINDOW (f->window), settings,
                                                         nns_window_get_document (f->window));
  gtk_window_present (GTK_WINDOW (preferences));
  pump ();
  assert_true (gtk_switch_get_active (prefs_child (preferences, "show_all_neurons_switch")));
  gtk_switch_set_active (prefs_child (preferences, "show_all_neurons_switch"), FALSE);
  pump ();
  assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (toggle)));
  assert_false (nns_canvas_get_style (canvas)->show_all_neurons);
  activate (f, "win.show-all-neurons");
  assert_true (nns_window_get_show_all_neurons (f->window));

  /* Any style option from the preferences is an undo step of its own. */
  gtk_spin_button_set_value (prefs_child (preferences, "layer_spacing_spin"), 250.0);
  pump ();
  assert_float_equal (nns_canvas_get_style (canvas)->layer_spacing, 250.0, 1e-9);
  activate (f, "win.undo");
  assert_float_equal (nns_canvas_get_style (canvas)->layer_spacing, 160.0, 1e-9);
  assert_float_equal (g_settings_get_double (settings, "layer-spacing"), 160.0, 1e-9);
  assert_true (nns_window_get_show_all_neurons (f->window));
  activate (f, "win.undo");
  activate (f, "win.undo");
  activate (f, "win.undo");
  assert_false (nns_window_get_show_all_neurons (f->window));
  assert_false (nns_window_get_modified (f->window));
  /* The preferences followed every undo. */
  assert_false (gtk_switch_get_active (prefs_child (preferences, "show_all_neurons_switch")));
  assert_true (gtk_spin_button_get_value (prefs_child (preferences, "layer_spacing_spin")) == 160.0);
  gtk_window_destroy (GTK_WINDOW (preferences));
  g_settings_reset (settings, "show-all-neurons");
  g_settings_reset (settings, "layer-spacing");
}

/* Drags the slider of row from fraction a to b of its width with the real
 * pointer (xdotool). FALSE when xdotool is not there. */
static gboolean
pointer_drag (Fixture *f, NnsLayerRow *row, double a, double b)
{
  GtkWidget *scale = GTK_WIDGET (nns_layer_row_get_scale (row));
  GtkNative *native = gtk_widget_get_native (scale);
  GdkSurface *surface = gtk_native_get_surface (native);
  g_autofree char *program = g_find_program_in_path ("xdotool");
  g_autofree char *xid = NULL;
  g_autofree char *x0 = NULL;
  g_autofree char *x1 = NULL;
  g_autofree char *x2 = NULL;
  g_autofree char *y = NULL;
  graphene_point_t point;
  double sx, sy;
  int status;

  if (program == NULL || !GDK_IS_X11_SURFACE (surface))
    return FALSE;
  assert_true (gtk_widget_compute_point (scale, GTK_WIDGET (native),
                                         &GRAPHENE_POINT_INIT (0, gtk_widget_get_height (scale) / 2.0),
                                         &point));
  gtk_native_get_surface_transform (native, &sx, &sy);
  xid = g_strdup_printf ("%lu", (gulong) gdk_x11_surface_get_xid (surface));
  /* Slider ends leave room for the knob. */
  x0 = g_strdup_printf ("%d", (int) (point.x + sx + 12 + a * (gtk_widget_get_width (scale) - 24)));
  x1 = g_strdup_printf ("%d", (int) (point.x + sx + 12 + (a + b) / 2 * (gtk_widget_get_width (scale) - 24)));
  x2 = g_strdup_printf ("%d", (int) (point.x + sx + 12 + b * (gtk_widget_get_width (scale) - 24)));
  y = g_strdup_printf ("%d", (int) (point.y + sy));
  {
    const char *argv[] = { program,
                           "mousemove", "--window", xid, x0, y, "mousedown", "1",
                           "sleep", "0.05", "mousemove", "--window", xid, x1, y,
                           "sleep", "0.05", "mousemove", "--window", xid, x2, y,
                           "sleep", "0.05", "mouseup", "1", NULL };

    assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL,
                               &status, NULL));
    assert_int_equal (status, 0);
  }
  /* Let the queued press, motions and release arrive. */
  {
    gint64 deadline = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;
    gboolean began = FALSE;

    while (g_get_monotonic_time () < deadline)
      {
        g_main_context_iteration (NULL, FALSE);
        began |= nns_layer_row_get_sliding (row);
        if (began && !nns_layer_row_get_sliding (row))
          break;
        g_usleep (1000);
      }
    assert_true (began);
    assert_false (nns_layer_row_get_sliding (row));
  }
  pump ();
  return TRUE;
}

/* Two drags of one slider with nothing between are two undo steps; undo
 * restores the network exactly. */
static void
test_slide_undo (void **state)
{
  Fixture *f = *state;
  NnsLayerRow *row = nns_window_get_layer_row (f->window, 0);
  g_autoptr (NnsNetwork) start = nns_network_copy (f->network);
  g_autoptr (NnsNetwork) after_first = NULL;
  guint first, second;

  if (!pointer_drag (f, row, 0.2, 0.5))
    {
      /* Without xdotool: what the press and release do. */
      g_signal_emit_by_name (row, "slide-begin");
      for (int i = 10; i <= 50; i++)
        gtk_range_set_value (nns_layer_row_get_scale (row), i / 10.0);
      g_signal_emit_by_name (row, "slide-end");
    }
  first = nns_network_get_layer (f->network, 0)->units;
  assert_int_not_equal (first, 18);
  after_first = nns_network_copy (f->network);

  if (!pointer_drag (f, row, 0.5, 0.8))
    {
      g_signal_emit_by_name (row, "slide-begin");
      for (int i = 50; i <= 80; i++)
        gtk_range_set_value (nns_layer_row_get_scale (row), i / 10.0);
      g_signal_emit_by_name (row, "slide-end");
    }
  second = nns_network_get_layer (f->network, 0)->units;
  assert_true (second > first);
  assert_int_equal (gtk_spin_button_get_value_as_int (nns_layer_row_get_spin (row)), second);

  activate (f, "win.undo");
  assert_true (nns_network_equal (f->network, after_first));
  assert_int_equal (gtk_spin_button_get_value_as_int (nns_layer_row_get_spin (row)), first);
  {
    g_autofree char *expected = g_strdup_printf ("10 × %u + %u = %u", first, first, 11 * first);

    assert_string_equal (formula (f, 0), expected);
  }
  activate (f, "win.undo");
  assert_true (nns_network_equal (f->network, start));
  assert_string_equal (formula (f, 0), "10 × 18 + 18 = 198");
  assert_string_equal (formula (f, 1), "18 × 20 + 20 = 380");
  assert_string_equal (total (f), "683 parameters · 2.7 kB");
  assert_false (nns_window_get_modified (f->window));
  assert_false (gtk_widget_is_sensitive (find_widget (GTK_WIDGET (f->window), GTK_TYPE_BUTTON,
                                                      "win.undo")));
}

typedef void (*EditFunc) (Fixture *f);

static void edit_spin (Fixture *f) { spin_to (f, 1, 33); }
static void edit_input (Fixture *f)
{
  gtk_spin_button_set_value (nns_layer_row_get_spin (nns_window_get_input_row (f->window)), 784);
  pump ();
}
static void edit_bias (Fixture *f)
{
  gtk_switch_set_active (nns_layer_row_get_bias (nns_window_get_layer_row (f->window, 0)), FALSE);
  pump ();
}
static void edit_activation (Fixture *f)
{
  gtk_drop_down_set_selected (nns_layer_row_get_activation (nns_window_get_layer_row (f->window, 1)),
                              NNS_ACTIVATION_TANH);
  pump ();
}
static void edit_name (Fixture *f)
{
  GtkEditable *title = nns_layer_row_get_title (nns_window_get_layer_row (f->window, 2));

  gtk_editable_set_text (title, "logits");
  g_signal_emit_by_name (title, "activate");
  pump ();
}
static void edit_add (Fixture *f) { click (nns_window_get_add_button (f->window)); }
static void edit_remove (Fixture *f)
{
  click (nns_layer_row_get_remove (nns_window_get_layer_row (f->window, 0)));
}
static void edit_move (Fixture *f)
{
  click (nns_layer_row_get_move_down (nns_window_get_layer_row (f->window, 0)));
}

/* Every kind of edit is one undo step, and undo restores the network, the
 * rows and the counts exactly; redo brings the edit back. */
static void
test_undo_every_edit (void **state)
{
  Fixture *f = *state;
  static const EditFunc edits[] = { edit_spin, edit_input, edit_bias, edit_activation, edit_name,
                                    edit_add, edit_remove, edit_move };

  for (guint i = 0; i < G_N_ELEMENTS (edits); i++)
    {
      g_autoptr (NnsNetwork) before = nns_network_copy (f->network);
      g_autoptr (NnsNetwork) after = NULL;
      g_autofree char *total_before = g_strdup (total (f));
      g_autofree char *formula_before = g_strdup (formula (f, 0));

      edits[i] (f);
      after = nns_network_copy (f->network);
      assert_false (nns_network_equal (before, after));
      assert_true (nns_window_get_modified (f->window));

      activate (f, "win.undo");
      assert_true (nns_network_equal (f->network, before));
      assert_string_equal (total (f), total_before);
      assert_string_equal (formula (f, 0), formula_before);
      assert_int_equal (nns_window_get_n_layer_rows (f->window),
                        nns_network_get_n_layers (before));
      for (guint k = 0; k < nns_network_get_n_layers (before); k++)
        {
          NnsLayerRow *row = nns_window_get_layer_row (f->window, k);
          const NnsLayer *layer = nns_network_get_layer (before, k);

          assert_int_equal (gtk_spin_button_get_value_as_int (nns_layer_row_get_spin (row)),
                            layer->units);
          assert_int_equal (gtk_switch_get_active (nns_layer_row_get_bias (row)), layer->bias);
          assert_int_equal (gtk_drop_down_get_selected (nns_layer_row_get_activation (row)),
                            layer->activation);
        }
      assert_false (nns_window_get_modified (f->window));

      activate (f, "win.redo");
      assert_true (nns_network_equal (f->network, after));
      activate (f, "win.undo");
    }

  /* Two renames of one layer are two steps. */
  edit_name (f);
  {
    GtkEditable *title = nns_layer_row_get_title (nns_window_get_layer_row (f->window, 2));

    gtk_editable_set_text (title, "scores");
    g_signal_emit_by_name (title, "activate");
    pump ();
  }
  activate (f, "win.undo");
  assert_string_equal (nns_network_get_layer (f->network, 2)->name, "logits");
  activate (f, "win.undo");
  assert_null (nns_network_get_layer (f->network, 2)->name);
}

/* Saving adds the document to the recent files (a private list here, in
 * XDG_DATA_HOME), and "Open Recent" lists and opens it. */
static void
test_recent (void **state)
{
  Fixture *f = *state;
  GtkRecentManager *manager = gtk_recent_manager_get_default ();
  g_autofree char *dir = g_dir_make_tmp ("nns-window-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "my_net.nnsketch", NULL);
  g_autofree char *torch = g_build_filename (dir, "model.py", NULL);
  g_autofree char *uri = g_filename_to_uri (path, NULL, NULL);
  g_autofree char *torch_uri = g_filename_to_uri (torch, NULL, NULL);
  g_autofree char *xbel = g_build_filename (g_get_user_data_dir (), "recently-used.xbel", NULL);
  g_autoptr (GtkRecentInfo) info = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *label = NULL;
  g_autofree char *target = NULL;
  GMenuModel *recent = nns_window_get_recent_menu (f->window);

  /* Not the user's list. */
  assert_true (g_str_has_prefix (g_get_user_data_dir (), g_get_tmp_dir ()));
  assert_false (gtk_recent_manager_has_item (manager, uri));
  /* An empty list has a disabled placeholder. */
  assert_int_equal (g_menu_model_get_n_items (recent), 1);
  assert_true (menu_find (recent, "win.no-recent", &label));
  assert_string_equal (label, "No Recent Networks");
  g_clear_pointer (&label, g_free);

  spin_to (f, 0, 24);
  assert_true (nns_window_save_to (f->window, path, &error));
  assert_true (gtk_recent_manager_has_item (manager, uri));
  info = gtk_recent_manager_lookup_item (manager, uri, &error);
  assert_non_null (info);
  assert_string_equal (gtk_recent_info_get_mime_type (info), "application/x-nnsketch");
  assert_true (gtk_recent_info_has_application (info, "nnsketch"));
  /* Written where GNOME reads it (GTK saves a moment later). */
  {
    gint64 deadline = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;

    while (!g_file_test (xbel, G_FILE_TEST_EXISTS) && g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, TRUE);
  }
  assert_true (g_file_test (xbel, G_FILE_TEST_EXISTS));

  /* The menu lists it, underscores doubled so they show. */
  assert_int_equal (g_menu_model_get_n_items (recent), 1);
  assert_true (g_menu_model_get_item_attribute (recent, 0, G_MENU_ATTRIBUTE_LABEL, "s", &label));
  assert_string_equal (label, "my__net.nnsketch");
  assert_true (g_menu_model_get_item_attribute (recent, 0, G_MENU_ATTRIBUTE_TARGET, "s", &target));
  assert_string_equal (target, uri);

  /* Opening PyTorch text adds it too, as text. */
  assert_true (g_file_set_contents (torch, "nn.Sequential(nn.Linear(3, 2))\n", -1, NULL));
  {
    g_autoptr (GFile) file = g_file_new_for_path (torch);

    assert_true (nns_window_open_file (f->window, file, NULL));
  }
  assert_true (gtk_recent_manager_has_item (manager, torch_uri));
  pump ();
  assert_int_equal (g_menu_model_get_n_items (recent), 2);

  /* Open Recent opens it (after Discard for an edit's changes). */
  assert_int_equal (nns_network_get_input (f->network), 3);
  spin_to (f, 0, 5);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.open-recent", "s", uri);
  pump ();
  assert_non_null (nns_window_get_discard_dialog (f->window));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (nns_window_get_discard_dialog (f->window)),
                               "discard");
  pump ();
  assert_int_equal (nns_network_get_layer (f->network, 0)->units, 24);
  assert_string_equal (gtk_window_get_title (GTK_WINDOW (f->window)),
                       "my_net.nnsketch — NN Sketch");

  gtk_recent_manager_remove_item (manager, uri, NULL);
  gtk_recent_manager_remove_item (manager, torch_uri, NULL);
  pump ();
  g_unlink (path);
  g_unlink (torch);
  g_rmdir (dir);
}

/* A file main() read from the command line: a document becomes the
 * window's file and a recent one; PyTorch text is recent but stays untitled;
 * a pipe is neither (and is not read: a FIFO would block). */
static void
test_set_file (void **state)
{
  Fixture *f = *state;
  GtkRecentManager *manager = gtk_recent_manager_get_default ();
  g_autofree char *dir = g_dir_make_tmp ("nns-window-XXXXXX", NULL);
  g_autofree char *doc = g_build_filename (dir, "cli.nnsketch", NULL);
  g_autofree char *py = g_build_filename (dir, "cli.py", NULL);
  g_autofree char *fifo = g_build_filename (dir, "fifo.nnsketch", NULL);
  g_autofree char *doc_uri = g_filename_to_uri (doc, NULL, NULL);
  g_autofree char *py_uri = g_filename_to_uri (py, NULL, NULL);
  g_autofree char *fifo_uri = g_filename_to_uri (fifo, NULL, NULL);
  g_autoptr (GFile) doc_file = g_file_new_for_path (doc);
  g_autoptr (GFile) py_file = g_file_new_for_path (py);
  g_autoptr (GFile) fifo_file = g_file_new_for_path (fifo);
  g_autoptr (GtkRecentInfo) info = NULL;

  assert_true (g_str_has_prefix (g_get_user_data_dir (), g_get_tmp_dir ()));
  assert_true (nns_document_save (f->network, nns_window_get_style (f->window), doc, NULL));
  assert_true (g_file_set_contents (py, "nn.Sequential(nn.Linear(10, 18))\n", -1, NULL));
  assert_int_equal (mkfifo (fifo, 0600), 0);

  nns_window_set_file (f->window, py_file, FALSE);
  pump ();
  assert_string_equal (gtk_window_get_title (GTK_WINDOW (f->window)),
                       "Untitled Network — NN Sketch");
  assert_true (gtk_recent_manager_has_item (manager, py_uri));
  info = gtk_recent_manager_lookup_item (manager, py_uri, NULL);
  assert_string_equal (gtk_recent_info_get_mime_type (info), "text/x-python");
  g_clear_pointer (&info, gtk_recent_info_unref);

  nns_window_set_file (f->window, fifo_file, TRUE);
  pump ();
  assert_string_equal (gtk_window_get_title (GTK_WINDOW (f->window)),
                       "Untitled Network — NN Sketch");
  assert_false (gtk_recent_manager_has_item (manager, fifo_uri));

  nns_window_set_file (f->window, doc_file, TRUE);
  pump ();
  assert_string_equal (gtk_window_get_title (GTK_WINDOW (f->window)),
                       "cli.nnsketch — NN Sketch");
  assert_false (nns_window_get_modified (f->window));
  assert_true (gtk_recent_manager_has_item (manager, doc_uri));
  info = gtk_recent_manager_lookup_item (manager, doc_uri, NULL);
  assert_string_equal (gtk_recent_info_get_mime_type (info), "application/x-nnsketch");
  assert_true (gtk_recent_info_has_application (info, "nnsketch"));
  /* Save writes that file. */
  spin_to (f, 0, 12);
  activate (f, "win.save");
  assert_false (nns_window_get_modified (f->window));
  {
    g_autofree char *data = NULL;
    g_autoptr (NnsNetwork) saved = NULL;

    assert_true (g_file_get_contents (doc, &data, NULL, NULL));
    saved = nns_document_load_data (data, -1, NULL, NULL);
    assert_true (nns_network_equal (saved, f->network));
  }

  gtk_recent_manager_remove_item (manager, doc_uri, NULL);
  gtk_recent_manager_remove_item (manager, py_uri, NULL);
  pump ();
  g_unlink (doc);
  g_unlink (py);
  g_unlink (fifo);
  g_rmdir (dir);
}

/* "Save" in the Save Changes? dialog writes the file, then does what was
 * asked: a New, or closing the window. */
static void
test_save_answer (void **state)
{
  Fixture *f = *state;
  g_autofree char *dir = g_dir_make_tmp ("nns-window-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "answer.nnsketch", NULL);
  g_autofree char *data = NULL;
  g_autoptr (NnsNetwork) saved = NULL;
  g_autoptr (NnsNetwork) edited = NULL;
  GtkWindow *dialog;

  assert_true (nns_window_save_to (f->window, path, NULL));
  spin_to (f, 1, 64);
  edited = nns_network_copy (f->network);
  assert_true (nns_window_get_modified (f->window));

  /* New: Save, then the new network. */
  activate (f, "win.new");
  dialog = nns_window_get_discard_dialog (f->window);
  assert_non_null (dialog);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "save");
  pump ();
  assert_true (g_file_get_contents (path, &data, NULL, NULL));
  saved = nns_document_load_data (data, -1, NULL, NULL);
  assert_true (nns_network_equal (saved, edited));
  assert_int_equal (nns_network_get_layer (f->network, 1)->units, 20);
  assert_string_equal (gtk_window_get_title (GTK_WINDOW (f->window)),
                       "Untitled Network — NN Sketch");
  assert_false (nns_window_get_modified (f->window));

  /* Closing: Save writes the file and the window goes. */
  {
    g_autoptr (GFile) file = g_file_new_for_path (path);

    assert_true (nns_window_open_file (f->window, file, NULL));
  }
  spin_to (f, 2, 9);
  g_clear_object (&edited);
  edited = nns_network_copy (f->network);
  g_object_add_weak_pointer (G_OBJECT (f->window), (gpointer *) &f->window);
  gtk_window_close (GTK_WINDOW (f->window));
  pump ();
  dialog = nns_window_get_discard_dialog (f->window);
  assert_non_null (dialog);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "save");
  pump ();
  assert_null (f->window);
  g_free (data);
  assert_true (g_file_get_contents (path, &data, NULL, NULL));
  g_clear_object (&saved);
  saved = nns_document_load_data (data, -1, NULL, NULL);
  assert_true (nns_network_equal (saved, edited));

  g_unlink (path);
  g_rmdir (dir);
}

static char *
read_text (const char *path)
{
  char *data = NULL;

  assert_true (g_file_get_contents (path, &data, NULL, NULL));
  return data;
}

/* Answers the Save Changes? dialog, which must be shown, with response. */
static void
answer_discard (Fixture *f, const char *response)
{
  GtkWindow *dialog = nns_window_get_discard_dialog (f->window);

  assert_non_null (dialog);
  assert_string_equal (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)),
                       "Save Changes?");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), response);
  pump ();
}

static void
on_saved_note_window (NnsDocument *document, GParamSpec *pspec, Fixture *f)
{
  /* Still there when the file is written: the close waited for the save. */
  if (!nns_document_get_modified (document))
    f->alive_when_saved = f->window != NULL;
}

/* Closing with unsaved changes: Cancel keeps the window and the edit, Discard
 * closes it and leaves the file as it was, Save closes it only once the file
 * is written. */
static void
test_close_save_changes (void **state)
{
  Fixture *f = *state;
  g_autofree char *dir = g_dir_make_tmp ("nns-window-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "close.nnsketch", NULL);
  g_autofree char *before = NULL;
  g_autofree char *data = NULL;
  g_autoptr (NnsNetwork) edited = NULL;
  g_autoptr (NnsNetwork) saved = NULL;
  g_autoptr (NnsDocument) document = g_object_ref (nns_window_get_document (f->window));
  assert_true (nns_window_save_to (f->window, path, NULL));
  before = read_text (path);
  g_object_add_weak_pointer (G_OBJECT (f->window), (gpointer *) &f->window);

  spin_to (f, 1, 31);
  edited = nns_network_copy (f->network);

  /* Cancel: the window, its edit and the file stay. */
  gtk_window_close (GTK_WINDOW (f->window));
  pump ();
  answer_discard (f, "cancel");
  assert_non_null (f->window);
  assert_null (nns_window_get_discard_dialog (f->window));
  assert_true (nns_window_get_modified (f->window));
  assert_true (nns_network_equal (f->network, edited));
  assert_string_equal (data = read_text (path), before);
  g_clear_pointer (&data, g_free);

  /* Save: the file is written before the window goes. */
  f->alive_when_saved = FALSE;
  g_signal_connect (document, "notify::modified", G_CALLBACK (on_saved_note_window), f);
  gtk_window_close (GTK_WINDOW (f->window));
  pump ();
  answer_discard (f, "save");
  assert_null (f->window);
  assert_true (f->alive_when_saved);
  g_signal_handlers_disconnect_by_func (document, on_saved_note_window, f);
  data = read_text (path);
  saved = nns_document_load_data (data, -1, NULL, NULL);
  assert_non_null (saved);
  assert_true (nns_network_equal (saved, edited));
  g_clear_pointer (&data, g_free);

  /* Discard: the window goes and the file stays as it was saved. */
  g_clear_pointer (&before, g_free);
  before = read_text (path);
  f->window = nns_window_new_for_document (NULL, document);
  g_object_add_weak_pointer (G_OBJECT (f->window), (gpointer *) &f->window);
  gtk_window_present (GTK_WINDOW (f->window));
  pump ();
  spin_to (f, 1, 7);
  gtk_window_close (GTK_WINDOW (f->window));
  pump ();
  answer_discard (f, "discard");
  assert_null (f->window);
  assert_string_equal (data = read_text (path), before);

  g_unlink (path);
  g_rmdir (dir);
}

/* Save before closing, New or Open fails: a one-line toast names the file,
 * nothing goes ahead, the edit and the file on disk are as they were. */
static void
check_failed_save_keeps_all (Fixture *f, const char *path, const char *reason)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *folder = g_file_test (dir, G_FILE_TEST_IS_DIR) ? nns_test_list_folder (dir)
                                                                 : NULL;
  g_autofree char *before = g_file_test (path, G_FILE_TEST_EXISTS) ? read_text (path) : NULL;
  g_autoptr (NnsNetwork) edited = NULL;
  const char *toast;

  nns_window_set_path (f->window, path);
  spin_to (f, 1, 29);
  edited = nns_network_copy (f->network);

  /* Closing. */
  g_object_add_weak_pointer (G_OBJECT (f->window), (gpointer *) &f->window);
  gtk_window_close (GTK_WINDOW (f->window));
  pump ();
  answer_discard (f, "save");
  assert_non_null (f->window);
  toast = nns_window_get_last_toast (f->window);
  assert_non_null (toast);
  assert_non_null (strstr (toast, path));
  assert_non_null (strstr (toast, reason));
  assert_null (strchr (toast, '\n'));
  assert_true (nns_window_get_modified (f->window));
  assert_true (nns_network_equal (f->network, edited));
  assert_null (nns_window_get_discard_dialog (f->window));

  /* New. */
  activate (f, "win.new");
  answer_discard (f, "save");
  assert_true (nns_network_equal (f->network, edited));
  assert_true (nns_window_get_modified (f->window));

  /* Save itself: the window says why. */
  activate (f, "win.save");
  assert_non_null (strstr (nns_window_get_last_toast (f->window), reason));
  assert_true (nns_window_get_modified (f->window));

  if (before != NULL)
    {
      g_autofree char *after = read_text (path);

      assert_string_equal (after, before);
    }
  else
    assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  if (folder != NULL)
    {
      g_autofree char *now = nns_test_list_folder (dir);

      assert_string_equal (now, folder);
    }
}

static void
test_failed_save_keeps_all (void **state)
{
  Fixture *f = *state;
  g_autofree char *dir = g_dir_make_tmp ("nns-window-XXXXXX", NULL);
  g_autofree char *file = g_build_filename (dir, "a-file", NULL);
  g_autofree char *path = g_build_filename (file, "net.nnsketch", NULL);

  /* A folder that is a file: the one unwritable place root cannot write either. */
  assert_true (g_file_set_contents (file, "", -1, NULL));
  check_failed_save_keeps_all (f, path, "Not a directory");
  g_unlink (file);
  g_rmdir (dir);
}

/* The same on a full disk: a 64 KiB tmpfs (skipped where mounting is not
 * allowed), the old file byte for byte and no debris beside it. */
static void
test_full_disk_save_keeps_all (void **state)
{
  Fixture *f = *state;
  g_autofree char *dir = g_dir_make_tmp ("nns-window-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "net.nnsketch", NULL);
  g_autofree char *filler = g_build_filename (dir, "filler", NULL);
  g_autofree char *block = g_malloc0 (4096);
  FILE *fp;

  if (mount ("tmpfs", dir, "tmpfs", MS_NOSUID | MS_NODEV, "size=64k,mode=0755") != 0)
    {
      g_rmdir (dir);
      skip ();
    }
  assert_true (nns_window_save_to (f->window, path, NULL));
  fp = fopen (filler, "w");
  assert_non_null (fp);
  while (fwrite (block, 1, 4096, fp) == 4096 && fflush (fp) == 0)
    ;
  fclose (fp);
  check_failed_save_keeps_all (f, path, "no space left on device");
  g_unlink (filler);
  g_unlink (path);
  umount (dir);
  g_rmdir (dir);
}

/* Answers the "Replace …?" dialog, which must be shown, with response. */
static void
answer_replace (Fixture *f, const char *heading, const char *response)
{
  GtkWindow *dialog = nns_window_get_replace_dialog (f->window);

  assert_non_null (dialog);
  assert_string_equal (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), heading);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), response);
  pump ();
  assert_null (nns_window_get_replace_dialog (f->window));
}

/* A name chosen in Export or Save As gets its extension; when the name with
 * it is another, existing file (the file chooser asked only about the name
 * chosen), the window asks before replacing it. */
static void
test_replace (void **state)
{
  Fixture *f = *state;
  g_autofree char *dir = g_dir_make_tmp ("nns-window-XXXXXX", NULL);
  g_autofree char *fig = g_build_filename (dir, "fig", NULL);
  g_autofree char *fig_png = g_build_filename (dir, "fig.png", NULL);
  g_autofree char *other = g_build_filename (dir, "other", NULL);
  g_autofree char *other_svg = g_build_filename (dir, "other.svg", NULL);
  g_autofree char *lesson = g_build_filename (dir, "lesson", NULL);
  g_autofree char *lesson_doc = g_build_filename (dir, "lesson.nnsketch", NULL);
  g_autofree char *data = NULL;
  g_autoptr (NnsNetwork) saved = NULL;
  g_autoptr (NnsNetwork) edited = NULL;
  GtkWindow *discard;

  /* Export: "fig" would replace fig.png. Cancel keeps it; Replace writes it. */
  assert_true (g_file_set_contents (fig_png, "old", -1, NULL));
  nns_window_export_chosen (f->window, fig, NNS_EXPORT_PNG);
  pump ();
  assert_non_null (nns_window_get_replace_dialog (f->window));
  assert_string_equal (data = read_text (fig_png), "old");
  g_clear_pointer (&data, g_free);
  answer_replace (f, "Replace “fig.png”?", "cancel");
  assert_string_equal (data = read_text (fig_png), "old");
  g_clear_pointer (&data, g_free);
  nns_window_export_chosen (f->window, fig, NNS_EXPORT_PNG);
  pump ();
  {
    g_autofree char *folder = g_path_get_basename (dir);
    g_autofree char *body = g_strdup_printf ("A file with this name already exists in “%s”. "
                                             "Replacing it overwrites its contents.", folder);

    assert_string_equal (adw_message_dialog_get_body (
                           ADW_MESSAGE_DIALOG (nns_window_get_replace_dialog (f->window))), body);
  }
  answer_replace (f, "Replace “fig.png”?", "replace");
  data = read_text (fig_png);
  assert_memory_equal (data, "\x89PNG", 4);
  g_clear_pointer (&data, g_free);
  assert_string_equal (nns_window_get_last_toast (f->window), "Exported fig.png");
  /* The name chosen itself was asked about already; a new name needs no question. */
  assert_true (g_file_set_contents (fig_png, "old", -1, NULL));
  nns_window_export_chosen (f->window, fig_png, NNS_EXPORT_SVG);
  pump ();
  assert_null (nns_window_get_replace_dialog (f->window));
  data = read_text (fig_png);
  assert_memory_equal (data, "\x89PNG", 4);
  g_clear_pointer (&data, g_free);
  nns_window_export_chosen (f->window, other, NNS_EXPORT_SVG);
  pump ();
  assert_null (nns_window_get_replace_dialog (f->window));
  assert_true (g_file_test (other_svg, G_FILE_TEST_IS_REGULAR));

  /* Save As: "lesson" would replace lesson.nnsketch. */
  assert_true (g_file_set_contents (lesson_doc, "old", -1, NULL));
  nns_window_save_as_chosen (f->window, lesson);
  pump ();
  answer_replace (f, "Replace “lesson.nnsketch”?", "cancel");
  assert_string_equal (data = read_text (lesson_doc), "old");
  g_clear_pointer (&data, g_free);
  assert_string_equal (gtk_window_get_title (GTK_WINDOW (f->window)),
                       "Untitled Network — NN Sketch");
  spin_to (f, 1, 33);
  nns_window_save_as_chosen (f->window, lesson);
  pump ();
  answer_replace (f, "Replace “lesson.nnsketch”?", "replace");
  data = read_text (lesson_doc);
  saved = nns_document_load_data (data, -1, NULL, NULL);
  assert_non_null (saved);
  assert_true (nns_network_equal (saved, f->network));
  g_clear_pointer (&data, g_free);
  g_clear_object (&saved);
  assert_string_equal (gtk_window_get_title (GTK_WINDOW (f->window)),
                       "lesson.nnsketch — NN Sketch");

  /* Save As for a New that waits on Save Changes?: Cancel stops the New ... */
  nns_window_new_document (f->window);
  spin_to (f, 1, 44);
  edited = nns_network_copy (f->network);
  activate (f, "win.new");
  discard = nns_window_get_discard_dialog (f->window);
  assert_non_null (discard);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (discard), "save");
  pump ();
  nns_window_save_as_chosen (f->window, lesson);
  pump ();
  answer_replace (f, "Replace “lesson.nnsketch”?", "cancel");
  assert_true (nns_network_equal (f->network, edited));
  assert_true (nns_window_get_modified (f->window));
  data = read_text (lesson_doc);
  saved = nns_document_load_data (data, -1, NULL, NULL);
  assert_false (nns_network_equal (saved, edited));
  g_clear_pointer (&data, g_free);
  g_clear_object (&saved);
  /* ... and a Save As after it is no New. */
  nns_window_save_as_chosen (f->window, lesson_doc);
  pump ();
  assert_true (nns_network_equal (f->network, edited));
  assert_false (nns_window_get_modified (f->window));

  /* Replace saves, then the New goes ahead. */
  spin_to (f, 1, 55);
  g_clear_object (&edited);
  edited = nns_network_copy (f->network);
  nns_window_set_path (f->window, NULL);
  activate (f, "win.new");
  discard = nns_window_get_discard_dialog (f->window);
  assert_non_null (discard);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (discard), "save");
  pump ();
  nns_window_save_as_chosen (f->window, lesson);
  pump ();
  answer_replace (f, "Replace “lesson.nnsketch”?", "replace");
  data = read_text (lesson_doc);
  saved = nns_document_load_data (data, -1, NULL, NULL);
  assert_true (nns_network_equal (saved, edited));
  assert_int_equal (nns_network_get_layer (f->network, 1)->units, 20);
  assert_false (nns_window_get_modified (f->window));
  assert_string_equal (gtk_window_get_title (GTK_WINDOW (f->window)),
                       "Untitled Network — NN Sketch");

  g_unlink (fig_png);
  g_unlink (other_svg);
  g_unlink (lesson_doc);
  g_rmdir (dir);
}

/* Sends file to the window's GtkDropTarget as a drop does. */
static gboolean
drop_file (Fixture *f, const char *path)
{
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (f->window));
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_auto (GValue) value = G_VALUE_INIT;
  gboolean accepted = FALSE;

  g_value_init (&value, G_TYPE_FILE);
  g_value_set_object (&value, file);
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr (GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        {
          assert_true (gtk_drop_target_get_gtypes (GTK_DROP_TARGET (controller), NULL) != NULL);
          g_signal_emit_by_name (controller, "drop", &value, 40.0, 40.0, &accepted);
          pump ();
          return accepted;
        }
    }
  fail_msg ("the window has no drop target");
  return FALSE;
}

/* Import PyTorch by pasting: the dialog says what the text reads as, or what
 * is wrong with it, while typing; Import is only possible for good text. */
static void
test_import_paste (void **state)
{
  Fixture *f = *state;
  g_autoptr (NnsNetwork) before = nns_network_copy (f->network);
  NnsImportDialog *dialog;

  /* Nothing importable on the clipboard, so the dialog starts empty. */
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (f->window)), "");
  dialog = nns_window_show_import_dialog (f->window);
  pump ();
  assert_false (nns_import_dialog_can_import (dialog));
  assert_string_equal (nns_import_dialog_get_status (dialog), "Nothing pasted yet");

  nns_import_dialog_set_text (dialog, "nn.Sequential(\n  nn.Linear(8, 4),\n  nn.Conv2d(4, 2, 3),\n)");
  assert_false (nns_import_dialog_can_import (dialog));
  assert_non_null (strstr (nns_import_dialog_get_status (dialog), "line 3: Conv2d"));

  nns_import_dialog_set_text (dialog, "nn.Sequential(nn.Linear(8, 4), nn.ReLU(), nn.Linear(5, 2))");
  assert_false (nns_import_dialog_can_import (dialog));
  assert_non_null (strstr (nns_import_dialog_get_status (dialog),
                           "Linear expects in_features=4, got 5"));
  /* Nothing changed while the text was wrong. */
  assert_true (nns_network_equal (f->network, before));

  nns_import_dialog_set_text (dialog, "import torch.nn as nn\n"
                                      "nn.Sequential(nn.Linear(8, 4), nn.ReLU(),\n"
                                      "              nn.Identity(), nn.Linear(4, 2))\n");
  assert_true (nns_import_dialog_can_import (dialog));
  assert_non_null (strstr (nns_import_dialog_get_status (dialog),
                           "8 → 4 → 2 · 46 parameters · 184 bytes"));
  assert_non_null (strstr (nns_import_dialog_get_status (dialog), "Identity skipped"));

  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "import");
  pump ();
  assert_int_equal (nns_network_get_input (f->network), 8);
  assert_int_equal (nns_network_get_n_layers (f->network), 2);
  assert_int_equal (nns_network_get_layer (f->network, 0)->activation, NNS_ACTIVATION_RELU);
  assert_string_equal (formula (f, 0), "8 × 4 + 4 = 36");
  assert_string_equal (total (f), "46 parameters · 184 bytes");

  /* The import is one edit: Undo takes it back. */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.undo", NULL);
  pump ();
  assert_true (nns_network_equal (f->network, before));
}

/* The import dialogs shown; destroy: close them too. */
static guint
count_import_dialogs (gboolean destroy)
{
  GList *toplevels = gtk_window_list_toplevels ();
  guint n = 0;

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (NNS_IS_IMPORT_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      {
        n++;
        if (destroy)
          gtk_window_destroy (l->data);
      }
  g_list_free (toplevels);
  return n;
}

/* Import PyTorch is an edit of the open document: it keeps the document's
 * file, marks it modified, and Undo returns to exactly the document. */
static void
test_import_edit (void **state)
{
  Fixture *f = *state;
  g_autofree char *dir = g_dir_make_tmp ("nns-window-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "a.nnsketch", NULL);
  g_autoptr (NnsNetwork) a = nns_network_new_from_string ("5,7,3", NULL);
  g_autoptr (NnsNetwork) saved = NULL;
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autofree char *data = NULL;
  NnsImportDialog *dialog;
  guint n_dialogs;

  assert_true (nns_document_save (a, nns_window_get_style (f->window), path, NULL));
  assert_true (nns_window_open_file (f->window, file, NULL));
  pump ();
  assert_string_equal (gtk_window_get_title (GTK_WINDOW (f->window)), "a.nnsketch — NN Sketch");

  dialog = nns_window_show_import_dialog (f->window);
  pump ();
  nns_import_dialog_set_text (dialog, "nn.Sequential(nn.Linear(8, 4), nn.ReLU(), nn.Linear(4, 2))");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "import");
  pump ();
  assert_int_equal (nns_network_get_input (f->network), 8);
  assert_string_equal (gtk_window_get_title (GTK_WINDOW (f->window)), "• a.nnsketch — NN Sketch");
  assert_true (nns_window_get_modified (f->window));
  assert_string_equal (nns_window_get_last_toast (f->window), "Imported pasted text");

  /* Another import needs no "Save Changes?" first: nothing is lost. */
  n_dialogs = count_import_dialogs (FALSE);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.import-pytorch", NULL);
  pump ();
  assert_null (nns_window_get_discard_dialog (f->window));
  assert_int_equal (count_import_dialogs (TRUE), n_dialogs + 1);
  pump ();

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.undo", NULL);
  pump ();
  assert_true (nns_network_equal (f->network, a));
  assert_false (nns_window_get_modified (f->window));
  assert_string_equal (gtk_window_get_title (GTK_WINDOW (f->window)), "a.nnsketch — NN Sketch");

  /* Redo, then Save writes the document's own file, no Save As. */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.redo", NULL);
  pump ();
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.save", NULL);
  pump ();
  assert_false (nns_window_get_modified (f->window));
  assert_true (g_file_get_contents (path, &data, NULL, NULL));
  saved = nns_document_load_data (data, -1, NULL, NULL);
  assert_non_null (saved);
  assert_int_equal (nns_network_get_input (saved), 8);
  assert_true (nns_network_equal (saved, f->network));

  g_unlink (path);
  g_rmdir (dir);
}

/* The shortcuts window (Ctrl+?) opens without a GTK warning (G_DEBUG makes
 * one fatal): a paginated section's page labels warn in GTK 4.8. */
static void
test_shortcuts_window (void **state)
{
  g_autoptr (GtkBuilder) builder =
    gtk_builder_new_from_resource ("/io/github/nnsketch/NnSketch/gtk/help-overlay.ui");
  GtkWindow *overlay = GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay"));

  assert_non_null (overlay);
  gtk_window_present (overlay);
  wait_until_drawn (GTK_WIDGET (overlay));
  assert_true (gtk_widget_get_mapped (GTK_WIDGET (overlay)));
  gtk_window_destroy (overlay);
  pump ();
}

/* The import dialog starts with copied PyTorch text (and only with that);
 * Ctrl+I opens it. */
static void
test_import_clipboard (void **state)
{
  Fixture *f = *state;
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (f->window));
  NnsImportDialog *dialog;
  gint64 deadline;

  gdk_clipboard_set_text (clipboard, "just some words");
  dialog = nns_window_show_import_dialog (f->window);
  pump ();
  assert_false (nns_import_dialog_can_import (dialog));
  assert_string_equal (nns_import_dialog_get_status (dialog), "Nothing pasted yet");
  gtk_window_destroy (GTK_WINDOW (dialog));
  pump ();

  gdk_clipboard_set_text (clipboard, "nn.Sequential(nn.Linear(3, 2), nn.Tanh())");
  dialog = nns_window_show_import_dialog (f->window);
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (!nns_import_dialog_can_import (dialog) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  assert_true (nns_import_dialog_can_import (dialog));
  assert_true (g_str_has_prefix (nns_import_dialog_get_status (dialog), "3 → 2 · 8 parameters"));
  gtk_window_destroy (GTK_WINDOW (dialog));
  pump ();

  /* Ctrl+I is bound to the same action. */
  assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.import-pytorch", NULL));
  pump ();
  {
    GListModel *toplevels = gtk_window_get_toplevels ();
    gboolean found = FALSE;

    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr (GObject) item = g_list_model_get_item (toplevels, i);

        if (NNS_IS_IMPORT_DIALOG (item))
          {
            found = TRUE;
            gtk_window_destroy (GTK_WINDOW (item));
            break;
          }
      }
    assert_true (found);
  }
  pump ();
}

/* Dropped files: a document opens, PyTorch text imports as untitled, a
 * broken file keeps the current network and says why. */
static void
test_drop (void **state)
{
  Fixture *f = *state;
  g_autofree char *dir = g_dir_make_tmp ("nns-window-XXXXXX", NULL);
  g_autofree char *doc = g_build_filename (dir, "dropped.nnsketch", NULL);
  g_autofree char *py = g_build_filename (dir, "net.py", NULL);
  g_autofree char *txt = g_build_filename (dir, "printed.txt", NULL);
  g_autofree char *bad = g_build_filename (dir, "conv.py", NULL);
  g_autoptr (NnsNetwork) doc_network = nns_network_new_from_string ("4,8,2", NULL);
  g_autoptr (NnsNetwork) kept = NULL;

  assert_true (nns_document_save (doc_network, nns_window_get_style (f->window), doc, NULL));
  assert_true (drop_file (f, doc));
  assert_true (nns_network_equal (f->network, doc_network));
  assert_string_equal (gtk_window_get_title (GTK_WINDOW (f->window)),
                       "dropped.nnsketch — NN Sketch");
  assert_string_equal (formula (f, 0), "4 × 8 + 8 = 40");

  assert_true (g_file_set_contents (py, "import torch.nn as nn\n"
                                    "model = nn.Sequential(\n"
                                    "    nn.Linear(6, 5, bias=False),\n"
                                    "    nn.GELU(),\n"
                                    "    nn.Linear(5, 1),\n"
                                    ")\n", -1, NULL));
  assert_true (drop_file (f, py));
  assert_int_equal (nns_network_get_input (f->network), 6);
  assert_false (nns_network_get_layer (f->network, 0)->bias);
  assert_int_equal (nns_network_get_layer (f->network, 0)->activation, NNS_ACTIVATION_GELU);
  assert_string_equal (formula (f, 0), "6 × 5 = 30");
  /* A new document, unmodified: the text is still on disk. */
  assert_string_equal (gtk_window_get_title (GTK_WINDOW (f->window)),
                       "Untitled Network — NN Sketch");
  assert_string_equal (nns_window_get_last_toast (f->window), "Imported net.py");

  /* Notes are a list behind the toast's button, one a line. */
  assert_true (g_file_set_contents (py, "import torch.nn as nn\n"
                                    "model = nn.Sequential(\n"
                                    "    nn.Flatten(),\n"
                                    "    nn.Linear(6, 5),\n"
                                    "    nn.Identity(),\n"
                                    "    nn.Linear(5, 1),\n"
                                    ")\n", -1, NULL));
  assert_true (drop_file (f, py));
  assert_string_equal (nns_window_get_last_toast (f->window),
                       "Imported net.py · 2 notes\n"
                       "line 3: Flatten skipped (no parameters)\n"
                       "line 5: Identity skipped (no parameters)");
  {
    GListModel *toplevels = gtk_window_get_toplevels ();
    guint before = g_list_model_get_n_items (toplevels);

    gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-import-notes", NULL);
    pump ();
    assert_int_equal (g_list_model_get_n_items (toplevels), before + 1);
    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr (GtkWindow) w = g_list_model_get_item (toplevels, i);

        if (ADW_IS_MESSAGE_DIALOG (w))
          {
            assert_non_null (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (w)),
                                     "line 5: Identity skipped"));
            gtk_window_destroy (w);
          }
      }
    pump ();
  }

  /* With unsaved changes a drop asks first; Cancel keeps everything. */
  spin_to (f, 1, 2);
  assert_true (g_file_set_contents (txt, "Sequential(\n"
                                    "  (0): Linear(in_features=3, out_features=7, bias=True)\n"
                                    "  (1): ReLU()\n"
                                    "  (2): Linear(in_features=7, out_features=2, bias=True)\n"
                                    ")\n", -1, NULL));
  kept = nns_network_copy (f->network);
  assert_true (drop_file (f, txt));
  assert_non_null (nns_window_get_discard_dialog (f->window));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (nns_window_get_discard_dialog (f->window)),
                               "cancel");
  pump ();
  assert_true (nns_network_equal (f->network, kept));
  assert_true (drop_file (f, txt));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (nns_window_get_discard_dialog (f->window)),
                               "discard");
  pump ();
  assert_int_equal (nns_network_get_input (f->network), 3);
  assert_string_equal (formula (f, 1), "7 × 2 + 2 = 16");
  assert_string_equal (total (f), "44 parameters · 176 bytes");

  /* A model with a Conv2d: refused, named with its line; nothing lost. */
  g_clear_object (&kept);
  kept = nns_network_copy (f->network);
  assert_true (g_file_set_contents (bad, "nn.Sequential(\n"
                                    "    nn.Conv2d(3, 8, 3),\n"
                                    "    nn.Linear(8, 2))\n", -1, NULL));
  nns_window_save_to (f->window, doc, NULL);
  assert_true (drop_file (f, bad));
  assert_non_null (strstr (nns_window_get_last_toast (f->window), "Conv2d"));
  assert_non_null (strstr (nns_window_get_last_toast (f->window), "2"));
  assert_true (nns_network_equal (f->network, kept));
  assert_string_equal (gtk_window_get_title (GTK_WINDOW (f->window)),
                       "dropped.nnsketch — NN Sketch");

  g_unlink (doc);
  g_unlink (py);
  g_unlink (txt);
  g_unlink (bad);
  g_rmdir (dir);
}

/* The accessible label of widget is label (GTK_A11Y=test keeps them). */
static void
assert_label (gpointer widget, const char *label)
{
  g_autofree char *diff = gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget),
                                                              GTK_ACCESSIBLE_PROPERTY_LABEL, label);

  if (diff != NULL)
    fail_msg ("%s: accessible label is \"%s\", expected \"%s\"", G_OBJECT_TYPE_NAME (widget), diff,
              label);
}

/* Icon-only buttons (not inside composite widgets) have a tooltip and an
 * accessible label. Returns how many it checked. */
static guint
check_icon_buttons (GtkWidget *widget)
{
  guint n = 0;

  if (!gtk_widget_get_visible (widget) || GTK_IS_WINDOW_CONTROLS (widget)
      || GTK_IS_SPIN_BUTTON (widget) || GTK_IS_DROP_DOWN (widget) || GTK_IS_POPOVER (widget))
    return 0;
  if ((GTK_IS_BUTTON (widget) && gtk_button_get_icon_name (GTK_BUTTON (widget)) != NULL)
      || (GTK_IS_MENU_BUTTON (widget) && gtk_menu_button_get_icon_name (GTK_MENU_BUTTON (widget)) != NULL))
    {
      const char *tooltip = gtk_widget_get_tooltip_text (widget);

      if (tooltip == NULL || tooltip[0] == '\0')
        fail_msg ("icon button %s has no tooltip", gtk_button_get_icon_name (GTK_BUTTON (widget)));
      if (!gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL))
        fail_msg ("icon button with tooltip \"%s\" has no accessible label", tooltip);
      n++;
      if (GTK_IS_MENU_BUTTON (widget))
        return n;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += check_icon_buttons (child);
  return n;
}

/* Screen readers hear which layer each control belongs to, kept up to date;
 * Tab reaches the canvas; F10 opens the main menu. */
static void
test_accessibility (void **state)
{
  Fixture *f = *state;
  NnsLayerRow *row = nns_window_get_layer_row (f->window, 1);
  NnsLayerRow *input = nns_window_get_input_row (f->window);
  GtkWidget *canvas = GTK_WIDGET (nns_window_get_canvas (f->window));
  GtkEditable *title;
  gboolean reached_canvas = FALSE;
  guint n_focus = 0;

  assert_label (nns_layer_row_get_scale (row), "Hidden 2 units");
  assert_label (nns_layer_row_get_spin (row), "Hidden 2 units");
  assert_label (nns_layer_row_get_activation (row), "Hidden 2 activation");
  assert_label (nns_layer_row_get_bias (row), "Hidden 2 bias");
  assert_label (nns_layer_row_get_title (row), "Hidden 2 name");
  assert_label (nns_layer_row_get_move_up (row), "Move Hidden 2 up");
  assert_label (nns_layer_row_get_move_down (row), "Move Hidden 2 down");
  assert_label (nns_layer_row_get_remove (row), "Remove Hidden 2");
  assert_label (nns_layer_row_get_scale (nns_window_get_layer_row (f->window, 2)), "Output units");
  assert_label (nns_layer_row_get_spin (input), "Input width");

  /* Renamed, then moved: the labels follow the layer's title. */
  title = nns_layer_row_get_title (row);
  gtk_editable_set_text (title, "encoder");
  g_signal_emit_by_name (title, "activate");
  pump ();
  assert_label (nns_layer_row_get_scale (row), "encoder units");
  assert_label (nns_layer_row_get_remove (row), "Remove encoder");
  click (nns_layer_row_get_move_up (row));
  assert_label (nns_layer_row_get_scale (nns_window_get_layer_row (f->window, 0)), "encoder units");
  assert_label (nns_layer_row_get_bias (nns_window_get_layer_row (f->window, 1)), "Hidden 2 bias");
  click (nns_window_get_add_button (f->window));
  assert_label (nns_layer_row_get_activation (nns_window_get_layer_row (f->window, 2)),
                "Hidden 3 activation");
  assert_label (nns_layer_row_get_remove (nns_window_get_layer_row (f->window, 3)), "Remove Output");

  /* Header bar (undo, redo, save, menu), canvas (show all, 3 zoom) and 3 per
   * layer row. */
  assert_true (check_icon_buttons (GTK_WIDGET (f->window)) >= 4 + 4 + 3 * 4);

  /* Tab goes round the window through the canvas. */
  gtk_widget_grab_focus (GTK_WIDGET (nns_layer_row_get_scale (input)));
  for (int i = 0; i < 200 && !reached_canvas; i++)
    {
      if (!gtk_widget_child_focus (GTK_WIDGET (f->window), GTK_DIR_TAB_FORWARD))
        gtk_widget_child_focus (GTK_WIDGET (f->window), GTK_DIR_TAB_FORWARD);
      n_focus++;
      reached_canvas = gtk_window_get_focus (GTK_WINDOW (f->window)) == canvas;
    }
  assert_true (reached_canvas);
  assert_true (n_focus > 3);

  /* F10 from the keyboard (the real key through X) opens the main menu. */
  {
    g_autofree char *program = g_find_program_in_path ("xdotool");
    GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (f->window));
    GtkMenuButton *menu_button = nns_window_get_menu_button (f->window);

    if (program != NULL && GDK_IS_X11_SURFACE (surface))
      {
        g_autofree char *xid = g_strdup_printf ("%lu", (gulong) gdk_x11_surface_get_xid (surface));
        const char *argv[] = { program, "windowfocus", "--sync", xid, "key", "F10", NULL };
        gint64 deadline = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;
        GtkPopover *popover;

        assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL,
                                   NULL, NULL, NULL));
        popover = gtk_menu_button_get_popover (menu_button);
        while ((popover == NULL || !gtk_widget_get_visible (GTK_WIDGET (popover)))
               && g_get_monotonic_time () < deadline)
          {
            g_main_context_iteration (NULL, FALSE);
            popover = gtk_menu_button_get_popover (menu_button);
            g_usleep (1000);
          }
        assert_non_null (popover);
        assert_true (gtk_widget_get_visible (GTK_WIDGET (popover)));
        gtk_popover_popdown (popover);
        pump ();
      }
    else
      assert_true (gtk_menu_button_get_primary (menu_button));
  }
}

/* Writes a document whose own node diameter is 40 and returns its path. */
static char *
write_styled_document (const char *dir)
{
  g_autoptr (NnsNetwork) network = nns_network_new_default ();
  char *path = g_build_filename (dir, "styled.nnsketch", NULL);
  NnsStyle style;

  nns_style_init_default (&style);
  style.node_diameter = 40;
  style.edge_shape = NNS_EDGE_BEZIER;
  assert_true (nns_document_save (network, &style, path, NULL));
  return path;
}

/* A document's own style wins over the user's defaults, and neither an edit
 * nor its undo writes it to GSettings (they used to: Undo wrote the whole
 * style there, so one document's diameter became every new network's). */
static void
test_document_style_layers (void **state)
{
  Fixture *f = *state;
  GSettings *settings = nns_window_get_settings (f->window);
  NnsCanvas *canvas = nns_window_get_canvas (f->window);
  g_autofree char *dir = g_dir_make_tmp ("nns-window-XXXXXX", NULL);
  g_autofree char *path = write_styled_document (dir);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  GtkWidget *preferences;

  assert_non_null (settings);
  assert_true (g_settings_get_double (settings, "node-diameter") == 24.0);
  assert_true (nns_window_open_file (f->window, file, NULL));
  pump ();
  assert_true (nns_canvas_get_style (canvas)->node_diameter == 40.0);

  /* The preferences show the open document's style, not the defaults. */
  preferences = nns_preferences_window_new_for_document (GTK_WINDOW (f->window), settings,
                                                         nns_window_get_document (f->window));
  gtk_window_present (GTK_WINDOW (preferences));
  pump ();
  assert_true (gtk_spin_button_get_value (prefs_child (preferences, "node_diameter_spin")) == 40.0);
  assert_int_equal (adw_combo_row_get_selected (prefs_child (preferences, "edge_shape_row")), 1);
  /* Not modal: the network stays editable beside it. */
  assert_false (gtk_window_get_modal (GTK_WINDOW (preferences)));

  /* Edit, undo: GSettings is unchanged. */
  click (nns_window_get_add_button (f->window));
  assert_true (nns_window_get_modified (f->window));
  activate (f, "win.undo");
  assert_false (nns_window_get_modified (f->window));
  assert_true (g_settings_get_double (settings, "node-diameter") == 24.0);
  {
    g_autofree char *shape = g_settings_get_string (settings, "edge-shape");

    assert_string_equal (shape, "straight");
  }
  /* A style edit and its undo neither. */
  gtk_spin_button_set_value (prefs_child (preferences, "node_diameter_spin"), 50.0);
  pump ();
  assert_true (nns_canvas_get_style (canvas)->node_diameter == 50.0);
  activate (f, "win.undo");
  assert_true (nns_canvas_get_style (canvas)->node_diameter == 40.0);
  assert_true (gtk_spin_button_get_value (prefs_child (preferences, "node_diameter_spin")) == 40.0);
  assert_true (g_settings_get_double (settings, "node-diameter") == 24.0);

  /* A changed default does not reach a document that has its own value... */
  g_settings_set_double (settings, "node-diameter", 30.0);
  pump ();
  assert_true (nns_canvas_get_style (canvas)->node_diameter == 40.0);
  /* ...and "Use as Default for New Networks" writes the document's style there. */
  g_signal_emit_by_name (prefs_child (preferences, "use_as_default_button"), "clicked");
  pump ();
  assert_true (g_settings_get_double (settings, "node-diameter") == 40.0);
  {
    g_autofree char *shape = g_settings_get_string (settings, "edge-shape");

    assert_string_equal (shape, "bezier");
  }
  /* A new network follows the defaults. */
  nns_window_new_document (f->window);
  pump ();
  assert_true (nns_canvas_get_style (canvas)->node_diameter == 40.0);
  g_settings_set_double (settings, "node-diameter", 33.0);
  pump ();
  assert_true (nns_canvas_get_style (canvas)->node_diameter == 33.0);

  gtk_window_destroy (GTK_WINDOW (preferences));
  g_settings_reset (settings, "node-diameter");
  g_settings_reset (settings, "edge-shape");
  g_unlink (path);
  g_rmdir (dir);
}

/* Reset Diagram Style is one edit: one Undo takes all of it back. */
static void
test_reset_is_one_undo (void **state)
{
  Fixture *f = *state;
  GSettings *settings = nns_window_get_settings (f->window);
  NnsCanvas *canvas = nns_window_get_canvas (f->window);
  GtkWidget *preferences;

  preferences = nns_preferences_window_new_for_document (GTK_WINDOW (f->window), settings,
                                                         nns_window_get_document (f->window));
  gtk_window_present (GTK_WINDOW (preferences));
  pump ();
  gtk_spin_button_set_value (prefs_child (preferences, "node_diameter_spin"), 36.0);
  gtk_switch_set_active (prefs_child (preferences, "arrowheads_switch"), TRUE);
  adw_combo_row_set_selected (prefs_child (preferences, "direction_row"), 1);
  gtk_switch_set_active (prefs_child (preferences, "edge_color_switch"), TRUE);
  pump ();
  assert_true (nns_canvas_get_style (canvas)->node_diameter == 36.0);
  assert_true (nns_canvas_get_style (canvas)->arrowheads);

  g_signal_emit_by_name (prefs_child (preferences, "reset_button"), "clicked");
  pump ();
  assert_true (nns_canvas_get_style (canvas)->node_diameter == 24.0);
  assert_false (nns_canvas_get_style (canvas)->arrowheads);
  assert_int_equal (nns_canvas_get_style (canvas)->direction, NNS_DIRECTION_HORIZONTAL);
  assert_false (nns_canvas_get_style (canvas)->edge_color_set);
  assert_false (gtk_switch_get_active (prefs_child (preferences, "arrowheads_switch")));

  activate (f, "win.undo");
  assert_true (nns_canvas_get_style (canvas)->node_diameter == 36.0);
  assert_true (nns_canvas_get_style (canvas)->arrowheads);
  assert_int_equal (nns_canvas_get_style (canvas)->direction, NNS_DIRECTION_VERTICAL);
  assert_true (nns_canvas_get_style (canvas)->edge_color_set);
  assert_true (gtk_switch_get_active (prefs_child (preferences, "arrowheads_switch")));
  /* The user's defaults were never touched. */
  assert_true (g_settings_get_double (settings, "node-diameter") == 24.0);
  assert_false (g_settings_get_boolean (settings, "arrowheads"));
  gtk_window_destroy (GTK_WINDOW (preferences));
}

/* The theme is how the window renders, never part of what it saves. */
static void
test_dark_save_has_no_theme (void **state)
{
  Fixture *f = *state;
  AdwStyleManager *manager = adw_style_manager_get_default ();
  g_autofree char *dir = g_dir_make_tmp ("nns-window-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "dark.nnsketch", NULL);
  g_autofree char *contents = NULL;
  g_autoptr (NnsNetwork) back = NULL;
  NnsStyle style;

  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_DARK);
  pump ();
  assert_int_equal (nns_window_get_style (f->window)->theme, NNS_THEME_DARK);
  assert_true (nns_window_save_to (f->window, path, NULL));
  assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  assert_null (strstr (contents, "theme"));
  assert_null (strstr (contents, "dark"));
  back = nns_document_load_data (contents, -1, &style, NULL);
  assert_non_null (back);
  assert_int_equal (style.theme, NNS_THEME_LIGHT);
  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_DEFAULT);
  pump ();
  g_unlink (path);
  g_rmdir (dir);
}

/* The test AT context prints every state change; keep the log readable. */
static void
print_filtered (const char *text)
{
  if (!g_str_has_prefix (text, "Accessible state changed"))
    fputs (text, stdout);
}

/* Open a model file: its network and weights become the document's; Load
 * Weights attaches a file's weights when the shapes match (one undo step),
 * else a toast names the tensor and both shapes. */
static void
test_model_files (void **state)
{
  Fixture *f = *state;
  g_autofree char *mlp = g_build_filename (g_getenv ("NNS_SOURCE_DIR"), "tests", "weights",
                                           "mlp.safetensors", NULL);
  g_autofree char *onnx = g_build_filename (g_getenv ("NNS_SOURCE_DIR"), "tests", "weights",
                                            "mlp.onnx", NULL);
  g_autoptr (GFile) mlp_file = g_file_new_for_path (mlp);
  g_autoptr (GFile) onnx_file = g_file_new_for_path (onnx);
  g_autoptr (GError) error = NULL;
  NnsDocument *document = nns_window_get_document (f->window);
  g_autoptr (NnsWeights) opened = NULL;
  g_autoptr (NnsNetwork) opened_network = NULL;
  const NnsLayerWeights *layer;

  assert_true (nns_window_open_file (f->window, onnx_file, &error));
  pump ();
  opened_network = nns_network_copy (f->network);
  assert_int_equal (nns_network_get_input (f->network), 4);
  assert_int_equal (nns_network_get_layer (f->network, 0)->activation, NNS_ACTIVATION_RELU);
  opened = nns_weights_ref (nns_document_get_weights (document));
  layer = nns_weights_get_layer (opened, 2);
  assert_int_equal (layer->in_features, 6);
  assert_false (nns_weights_is_initial (opened, f->network, NNS_WEIGHTS_SEED_DEFAULT));
  assert_false (nns_window_get_modified (f->window));
  /* Opened to see its weights: the drawing colours the edges by them, an
   * option of the document's own, so the user's defaults stay as they were. */
  assert_true (nns_document_get_style (document)->weight_colors);
  {
    NnsStyleMask mask = 0;

    nns_document_get_own_style (document, NULL, &mask);
    assert_int_equal (mask, NNS_STYLE_OPTION_BIT (nns_style_option_get_index (
                              nns_style_find_option ("weight_colors"))));
  }

  /* The same weights again from safetensors: an edit of no tensor is no step. */
  assert_true (nns_window_load_weights (f->window, mlp_file, &error));
  assert_true (nns_weights_equal (nns_document_get_weights (document), opened));

  /* After an edit they no longer fit: refused by name, nothing changes. */
  assert_true (nns_network_set_units (f->network, 1, 7, NULL));
  assert_false (nns_window_load_weights (f->window, mlp_file, &error));
  assert_string_equal (error->message,
                       "mlp.safetensors: 2.weight: the file has [6, 8], the network needs [7, 8]");
  assert_string_equal (nns_window_get_last_toast (f->window), error->message);
  g_clear_error (&error);
  assert_true (nns_network_set_units (f->network, 1, 6, NULL));
  assert_false (nns_weights_equal (nns_document_get_weights (document), opened));
  assert_true (nns_window_load_weights (f->window, mlp_file, &error));
  assert_true (nns_weights_equal (nns_document_get_weights (document), opened));
  assert_true (nns_document_undo (document));
  assert_false (nns_weights_equal (nns_document_get_weights (document), opened));

  /* A new network has no weights of a file: it follows the user's defaults. */
  nns_window_new_document (f->window);
  pump ();
  assert_false (nns_document_get_style (document)->weight_colors);

  /* The command line (nnsketch model.onnx --show-all-neurons) opens on the
   * same: the weights coloured, and the option it was given. */
  {
    NnsStyleMask mask = 0, expected;
    NnsStyle style;
    g_autoptr (NnsDocument) from_cli = NULL;
    g_autoptr (NnsDocument) text = NULL;

    nns_style_init_default (&style);
    style.show_all_neurons = TRUE;
    from_cli = nns_application_new_document (opened_network, opened, &style, FALSE);
    assert_true (nns_document_get_style (from_cli)->weight_colors);
    assert_true (nns_document_get_style (from_cli)->show_all_neurons);
    assert_true (nns_weights_equal (nns_document_get_weights (from_cli), opened));
    nns_document_get_own_style (from_cli, NULL, &mask);
    expected = NNS_STYLE_OPTION_BIT (nns_style_option_get_index (
                 nns_style_find_option ("weight_colors")))
               | NNS_STYLE_OPTION_BIT (nns_style_option_get_index (
                   nns_style_find_option ("show_all_neurons")));
    assert_int_equal (mask, expected);

    /* PyTorch text has no weights of its own to show. */
    style.show_all_neurons = FALSE;
    text = nns_application_new_document (opened_network, NULL, &style, FALSE);
    assert_false (nns_document_get_style (text)->weight_colors);
  }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_editor, setup, teardown),
    cmocka_unit_test_setup_teardown (test_input_shape, setup, teardown),
    cmocka_unit_test_setup_teardown (test_structure, setup, teardown),
    cmocka_unit_test_setup_teardown (test_selection, setup, teardown),
    cmocka_unit_test_setup_teardown (test_keyboard, setup, teardown),
    cmocka_unit_test_setup_teardown (test_zoom, setup, teardown),
    cmocka_unit_test_setup_teardown (test_export, setup, teardown),
    cmocka_unit_test_setup_teardown (test_export_fit, setup, teardown),
    cmocka_unit_test_setup_teardown (test_dark, setup, teardown),
    cmocka_unit_test_setup_teardown (test_settings, setup, teardown),
    cmocka_unit_test_setup_teardown (test_drag_redraws, setup, teardown),
    cmocka_unit_test_setup_teardown (test_documents, setup, teardown),
    cmocka_unit_test_setup_teardown (test_show_all, setup, teardown),
    cmocka_unit_test_setup_teardown (test_document_style_layers, setup, teardown),
    cmocka_unit_test_setup_teardown (test_reset_is_one_undo, setup, teardown),
    cmocka_unit_test_setup_teardown (test_dark_save_has_no_theme, setup, teardown),
    cmocka_unit_test_setup_teardown (test_slide_undo, setup, teardown),
    cmocka_unit_test_setup_teardown (test_undo_every_edit, setup, teardown),
    cmocka_unit_test_setup_teardown (test_recent, setup, teardown),
    cmocka_unit_test_setup_teardown (test_set_file, setup, teardown),
    cmocka_unit_test_setup_teardown (test_save_answer, setup, teardown),
    cmocka_unit_test_setup_teardown (test_close_save_changes, setup, teardown),
    cmocka_unit_test_setup_teardown (test_failed_save_keeps_all, setup, teardown),
    cmocka_unit_test_setup_teardown (test_full_disk_save_keeps_all, setup, teardown),
    cmocka_unit_test_setup_teardown (test_replace, setup, teardown),
    cmocka_unit_test_setup_teardown (test_drop, setup, teardown),
    cmocka_unit_test_setup_teardown (test_import_paste, setup, teardown),
    cmocka_unit_test_setup_teardown (test_import_clipboard, setup, teardown),
    cmocka_unit_test_setup_teardown (test_import_edit, setup, teardown),
    cmocka_unit_test_setup_teardown (test_shortcuts_window, setup, teardown),
    cmocka_unit_test_setup_teardown (test_accessibility, setup, teardown),
    cmocka_unit_test_setup_teardown (test_model_files, setup, teardown),
    cmocka_unit_test_setup_teardown (test_narrow_window, setup, teardown),
  };
  g_autofree char *data_home = NULL;
  int status;

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_print ("test-window: skipped, no display (run under Xvfb: make test)\n");
      return 77;
    }
  /* Recent files go to a private list, not the user's; GTK keeps the
   * accessible properties where gtk_test_accessible_* read them. */
  data_home = g_dir_make_tmp ("nns-data-home-XXXXXX", NULL);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_setenv ("GTK_A11Y", "test", TRUE);
  g_set_print_handler (print_filtered);
  adw_init ();
  status = cmocka_run_group_tests (tests, NULL, NULL);
  {
    g_autofree char *xbel = g_build_filename (data_home, "recently-used.xbel", NULL);

    g_unlink (xbel);
    g_rmdir (data_home);
  }
  return status;
}
