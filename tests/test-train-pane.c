/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-train-pane"

/* The Train pane in the window, clicked as a user would: a network that does
 * not fit the problem is named and fitted; Play trains (the status, the
 * document's weights and the canvas follow), Pause stops, Step is one
 * mini-batch; an edit while playing stops and says so; the hidden activation
 * row edits every hidden layer; Compare Widths runs, reports each width, and
 * Cancel stops it midway; a missing Fashion-MNIST names its package. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "nns-canvas.h"
#include "nns-window-testing.h"

static void
pump (void)
{
  for (int i = 0; i < 1000 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
}

/* Runs the main loop until done (data) is TRUE or 30 s pass. */
static gboolean
wait_for (gboolean (*done) (gpointer), gpointer data)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (!done (data) && g_get_monotonic_time () < deadline)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (2000);
    }
  return done (data);
}

static guint
n_points (NnsTrainSession *session)
{
  guint n;

  nns_train_session_get_points (session, &n);
  return n;
}

static guint64
last_step (NnsTrainSession *session)
{
  guint n;
  const NnsTrainPoint *p = nns_train_session_get_points (session, &n);

  return n > 0 ? p[n - 1].step : 0;
}

static gboolean
has_points (gpointer data)
{
  return n_points (data) >= 5;
}

static gboolean
compare_done (gpointer data)
{
  return !nns_train_pane_get_comparing (data);
}

typedef struct
{
  NnsWindow       *window;
  NnsTrainPane    *pane;
  NnsTrainSession *session;
  NnsDocument     *document;
  NnsNetwork      *network;
} Fixture;

static int
setup (void **state)
{
  Fixture *f = g_new0 (Fixture, 1);
  g_autoptr (NnsNetwork) network = nns_network_new_default ();
  NnsStyle style;

  nns_style_init_default (&style);
  f->window = nns_window_new (NULL, network, &style);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1400, 900);
  gtk_window_present (GTK_WINDOW (f->window));
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-train", NULL);
  f->pane = nns_window_get_train_pane (f->window);
  f->session = nns_window_get_train_session (f->window);
  f->document = nns_train_session_get_document (f->session);
  f->network = nns_document_get_network (f->document);
  pump ();
  *state = f;
  return 0;
}

static int
teardown (void **state)
{
  Fixture *f = *state;

  gtk_window_destroy (GTK_WINDOW (f->window));
  pump ();
  g_free (f);
  return 0;
}

static void
click (GtkWidget *button)
{
  assert_true (gtk_widget_get_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  pump ();
}

static void
test_fit_play_pause_step (void **state)
{
  Fixture *f = *state;
  GtkWidget *play = nns_train_pane_get_play_button (f->pane);
  GtkWidget *step = nns_train_pane_get_step_button (f->pane);
  g_autoptr (NnsWeights) before = NULL;
  NnsCanvas *canvas = nns_window_get_canvas (f->window);
  guint renders;
  guint64 paused_at;

  /* the lesson's 10 → 18 → 20 → 5 against Two Spirals */
  assert_true (nns_train_session_get_dataset (f->session) == NNS_DATASET_SPIRAL);
  assert_non_null (strstr (nns_train_pane_get_message_text (f->pane), "takes 10 inputs"));
  assert_false (gtk_widget_get_sensitive (play));
  click (nns_train_pane_get_fit_button (f->pane));
  assert_int_equal (nns_network_get_input (f->network), 2);
  assert_int_equal (nns_network_get_layer (f->network, 2)->units, 2);
  /* the lesson's hidden layers have no activation: said, not refused */
  assert_non_null (strstr (nns_train_pane_get_message_text (f->pane), "linear"));
  assert_true (gtk_widget_get_sensitive (play));
  for (guint l = 0; l < 2; l++)
    assert_true (nns_network_set_activation (f->network, l, NNS_ACTIVATION_TANH, NULL));
  pump ();
  assert_null (nns_train_pane_get_message_text (f->pane));
  assert_non_null (strstr (nns_train_pane_get_status_text (f->pane), "Not trained yet"));

  /* Play: points come, the status and the weights follow, the canvas
   * redraws */
  before = nns_weights_ref (nns_document_get_weights (f->document));
  renders = nns_canvas_get_n_renders (canvas);
  assert_false (nns_document_get_style (f->document)->weight_colors);
  click (play);
  assert_true (nns_train_session_get_running (f->session));
  assert_string_equal (gtk_widget_get_tooltip_text (play), "Pause");
  /* the edges show the weights as they train */
  assert_true (nns_document_get_style (f->document)->weight_colors);
  assert_true (wait_for (has_points, f->session));
  pump ();
  assert_non_null (strstr (nns_train_pane_get_status_text (f->pane), "Epoch"));
  assert_false (nns_weights_equal (nns_document_get_weights (f->document), before));
  assert_true (nns_canvas_get_n_renders (canvas) > renders);
  /* each hidden neuron shows its map over the plane inside its circle */
  gtk_widget_queue_draw (GTK_WIDGET (canvas));
  for (int i = 0; i < 100 && nns_canvas_get_n_unit_tiles (canvas) == 0; i++)
    {
      g_usleep (10000);
      pump ();
    }
  assert_int_equal (nns_canvas_get_n_unit_tiles (canvas), 18 + 20);

  /* Pause: nothing moves any more */
  click (play);
  assert_false (nns_train_session_get_running (f->session));
  assert_string_equal (gtk_widget_get_tooltip_text (play), "Play");
  paused_at = last_step (f->session);
  g_usleep (100000);
  pump ();
  assert_true (last_step (f->session) == paused_at);

  /* Step: one mini-batch, shown */
  click (step);
  assert_true (last_step (f->session) == paused_at + 1);
  {
    g_autofree char *expect = g_strdup_printf ("step %" G_GUINT64_FORMAT, paused_at + 1);

    assert_non_null (strstr (nns_train_pane_get_status_text (f->pane), expect));
  }

  /* Reset: PyTorch's initial weights, the curves cleared */
  click (nns_train_pane_get_reset_button (f->pane));
  assert_int_equal (n_points (f->session), 0);
  assert_non_null (strstr (nns_train_pane_get_status_text (f->pane), "Not trained yet"));
}

static void
test_edit_while_playing (void **state)
{
  Fixture *f = *state;
  GtkWidget *play = nns_train_pane_get_play_button (f->pane);

  click (nns_train_pane_get_fit_button (f->pane));
  for (guint l = 0; l < 2; l++)
    assert_true (nns_network_set_activation (f->network, l, NNS_ACTIVATION_RELU, NULL));
  click (play);
  assert_true (wait_for (has_points, f->session));
  /* a width typed in the layer list */
  assert_true (nns_network_set_units (f->network, 0, 12, NULL));
  pump ();
  assert_false (nns_train_session_get_running (f->session));
  assert_non_null (strstr (nns_train_pane_get_message_text (f->pane), "network changed"));
  assert_string_equal (gtk_widget_get_tooltip_text (play), "Play");

  /* Play again goes on with the edited network; the message goes */
  click (play);
  assert_true (nns_train_session_get_running (f->session));
  assert_null (nns_train_pane_get_message_text (f->pane));
  click (play);
}

static void
test_compare_and_cancel (void **state)
{
  Fixture *f = *state;
  GtkWidget *compare = nns_train_pane_get_compare_button (f->pane);
  const char *text;

  click (nns_train_pane_get_fit_button (f->pane));
  nns_train_pane_select_dataset (f->pane, NNS_DATASET_XOR);
  pump ();
  nns_train_pane_set_widths_text (f->pane, "1, 2, 4", 3);
  click (compare);
  /* (so short a comparison may be over before click () returns) */
  assert_true (wait_for (compare_done, f->pane));
  text = nns_train_pane_get_compare_text (f->pane);
  assert_non_null (text);
  /* 2 → w → w → 2: (2w + w) + (w² + w) + (2w + 2) parameters */
  assert_non_null (strstr (text, "width 1: 9 parameters"));
  assert_non_null (strstr (text, "width 2: 18 parameters"));
  assert_non_null (strstr (text, "width 4: 42 parameters"));

  /* a long comparison, cancelled midway */
  nns_train_pane_set_widths_text (f->pane, "64, 128, 256, 512, 1024", 1000);
  click (compare);
  assert_true (nns_train_pane_get_comparing (f->pane));
  g_usleep (200000);
  pump ();
  click (compare);
  assert_true (wait_for (compare_done, f->pane));
  assert_string_equal (nns_train_pane_get_compare_text (f->pane), "Comparison cancelled");

  /* a list that is not one */
  nns_train_pane_set_widths_text (f->pane, "4, many", 3);
  click (compare);
  assert_false (nns_train_pane_get_comparing (f->pane));
  assert_non_null (strstr (nns_train_pane_get_compare_text (f->pane), "many"));
}

static void
test_activation_row (void **state)
{
  Fixture *f = *state;
  AdwComboRow *row = NULL;
  GtkWidget *w;

  /* find the Hidden Activation row among the pane's descendants */
  for (w = GTK_WIDGET (f->pane); w != NULL;)
    {
      if (ADW_IS_COMBO_ROW (w)
          && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (w)),
                        "_Hidden Activation") == 0)
        {
          row = ADW_COMBO_ROW (w);
          break;
        }
      if (gtk_widget_get_first_child (w) != NULL)
        w = gtk_widget_get_first_child (w);
      else
        {
          while (w != NULL && gtk_widget_get_next_sibling (w) == NULL)
            w = w == GTK_WIDGET (f->pane) ? NULL : gtk_widget_get_parent (w);
          if (w != NULL)
            w = gtk_widget_get_next_sibling (w);
        }
    }
  assert_non_null (row);
  /* Tanh is the second item */
  adw_combo_row_set_selected (row, 1);
  pump ();
  for (guint l = 0; l + 1 < nns_network_get_n_layers (f->network); l++)
    assert_int_equal (nns_network_get_layer (f->network, l)->activation, NNS_ACTIVATION_TANH);
  assert_int_not_equal (nns_network_get_layer (f->network, 2)->activation, NNS_ACTIVATION_TANH);
  /* one undo step */
  assert_true (nns_document_undo (f->document));
  pump ();
  assert_int_equal (nns_network_get_layer (f->network, 0)->activation, NNS_ACTIVATION_NONE);
  /* the row follows: None (linear) is the last item */
  assert_int_equal (adw_combo_row_get_selected (row), 8);
}

static gboolean
data_read (gpointer data)
{
  return !nns_train_session_is_reading (data);
}

static void
test_fashion_missing (void **state)
{
  Fixture *f = *state;

  g_setenv ("NNS_FASHION_MNIST_DIR", "/nonexistent/fashion-mnist", TRUE);
  nns_train_pane_select_dataset (f->pane, NNS_DATASET_FASHION_MNIST);
  assert_true (wait_for (data_read, f->session));
  pump ();
  assert_non_null (strstr (nns_train_pane_get_message_text (f->pane), "dataset-fashion-mnist"));
  assert_false (gtk_widget_get_visible (nns_train_pane_get_fit_button (f->pane)));
  assert_false (gtk_widget_get_sensitive (nns_train_pane_get_play_button (f->pane)));
  g_unsetenv ("NNS_FASHION_MNIST_DIR");
}

/* Choosing Fashion-MNIST does not stop the window while its files are read
 * (about half a second): the pane says it is reading, with Play off, and
 * then what the data needs of the network (784 inputs, 10 outputs). */
static void
test_fashion_read_in_thread (void **state)
{
  Fixture *f = *state;
  const char *text;

  nns_train_pane_select_dataset (f->pane, NNS_DATASET_FASHION_MNIST);
  assert_true (nns_train_session_is_reading (f->session));
  text = nns_train_pane_get_message_text (f->pane);
  assert_non_null (text);
  assert_non_null (strstr (text, "Reading"));
  assert_false (gtk_widget_get_sensitive (nns_train_pane_get_play_button (f->pane)));
  assert_false (gtk_widget_get_visible (nns_train_pane_get_fit_button (f->pane)));

  assert_true (wait_for (data_read, f->session));
  pump ();
  text = nns_train_pane_get_message_text (f->pane);
  assert_non_null (text);
  assert_non_null (strstr (text, "784"));
  assert_true (gtk_widget_get_visible (nns_train_pane_get_fit_button (f->pane)));
  assert_non_null (nns_train_session_get_data (f->session, NULL));
}

int
main (int argc, char *argv[])
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_fit_play_pause_step, setup, teardown),
    cmocka_unit_test_setup_teardown (test_edit_while_playing, setup, teardown),
    cmocka_unit_test_setup_teardown (test_compare_and_cancel, setup, teardown),
    cmocka_unit_test_setup_teardown (test_activation_row, setup, teardown),
    cmocka_unit_test_setup_teardown (test_fashion_missing, setup, teardown),
    cmocka_unit_test_setup_teardown (test_fashion_read_in_thread, setup, teardown),
  };
  g_autofree char *data_home = NULL;
  int status;

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_print ("test-train-pane: skipped, no display (run under Xvfb: make test)\n");
      return 77;
    }
  data_home = g_dir_make_tmp ("nns-data-home-XXXXXX", NULL);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  adw_init ();
  status = cmocka_run_group_tests (tests, NULL, NULL);
  g_rmdir (data_home);
  return status;
}
