/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-document-object"

/* NnsDocument without a display: the style's layers, undo of style edits,
 * saving (sync and async). */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <glib/gstdio.h>
#include <string.h>

#include "nns-document.h"

static void
test_layers (void **state)
{
  g_autoptr (NnsDocument) document = nns_document_new (NULL);
  NnsStyle defaults, style, own;
  NnsStyleMask mask;

  /* A new document follows the user's defaults. */
  nns_style_init_default (&defaults);
  defaults.node_diameter = 30;
  nns_document_set_defaults (document, &defaults);
  assert_true (nns_document_get_style (document)->node_diameter == 30);
  assert_false (nns_document_get_modified (document));
  nns_document_get_own_style (document, NULL, &mask);
  assert_true (mask == 0);

  /* An edit owns the changed option only; the defaults stay below the rest. */
  style = *nns_document_get_style (document);
  style.arrowheads = TRUE;
  nns_document_set_style (document, &style, "arrowheads");
  assert_true (nns_document_get_modified (document));
  defaults.node_diameter = 35;
  defaults.arrowheads = FALSE;
  nns_document_set_defaults (document, &defaults);
  assert_true (nns_document_get_style (document)->node_diameter == 35);
  assert_true (nns_document_get_style (document)->arrowheads);
  nns_document_get_own_style (document, &own, &mask);
  assert_true (mask == NNS_STYLE_OPTION_BIT (nns_style_option_get_index (
                         nns_style_find_option ("arrowheads"))));

  /* Undo gives the option back to the defaults. */
  assert_true (nns_document_undo (document));
  assert_false (nns_document_get_style (document)->arrowheads);
  nns_document_get_own_style (document, NULL, &mask);
  assert_true (mask == 0);
  assert_false (nns_document_get_modified (document));
  assert_true (nns_document_redo (document));
  assert_true (nns_document_get_style (document)->arrowheads);

  /* A loaded document owns every option it stores: the defaults no longer reach it. */
  nns_style_init_default (&style);
  style.node_diameter = 40;
  nns_document_load (document, nns_document_get_network (document), &style, NNS_STYLE_MASK_ALL,
                     "/tmp/x.nnsketch");
  assert_true (nns_document_get_style (document)->node_diameter == 40);
  defaults.node_diameter = 50;
  nns_document_set_defaults (document, &defaults);
  assert_true (nns_document_get_style (document)->node_diameter == 40);
  assert_false (nns_document_get_can_undo (document));
  assert_string_equal (nns_document_get_path (document), "/tmp/x.nnsketch");
}

static void
count_cb (gpointer user_data)
{
  (*(int *) user_data)++;
}

static void
test_reset_is_one_step (void **state)
{
  g_autoptr (NnsDocument) document = nns_document_new (NULL);
  NnsStyle style = *nns_document_get_style (document);
  int changes = 0;

  g_signal_connect_swapped (document, "style-changed", G_CALLBACK (count_cb), &changes);
  style.node_diameter = 50;
  nns_document_set_style (document, &style, "node-diameter");
  style.edge_shape = NNS_EDGE_BEZIER;
  nns_document_set_style (document, &style, "edge-shape");
  style.direction = NNS_DIRECTION_VERTICAL;
  nns_document_set_style (document, &style, "direction");
  assert_int_equal (changes, 3);
  assert_int_equal (nns_history_get_position (nns_document_get_history (document)), 3);

  nns_document_reset_style (document);
  assert_int_equal (changes, 4);
  assert_true (nns_document_get_style (document)->node_diameter == 24);
  assert_int_equal (nns_document_get_style (document)->direction, NNS_DIRECTION_HORIZONTAL);
  assert_int_equal (nns_history_get_position (nns_document_get_history (document)), 4);
  assert_true (nns_document_undo (document));
  assert_true (nns_document_get_style (document)->node_diameter == 50);
  assert_int_equal (nns_document_get_style (document)->edge_shape, NNS_EDGE_BEZIER);
  assert_int_equal (nns_document_get_style (document)->direction, NNS_DIRECTION_VERTICAL);

  /* The theme is not a document option: setting it is no edit. */
  style = *nns_document_get_style (document);
  style.theme = NNS_THEME_DARK;
  nns_document_set_style (document, &style, NULL);
  assert_int_equal (nns_document_get_style (document)->theme, NNS_THEME_LIGHT);
  assert_int_equal (nns_history_get_position (nns_document_get_history (document)), 3);
  assert_true (nns_document_get_can_redo (document));
}

static void
on_saved (GObject *source, GAsyncResult *result, gpointer user_data)
{
  gboolean *done = user_data;
  g_autoptr (GError) error = NULL;

  assert_true (nns_document_save_finish (NNS_DOCUMENT (source), result, &error));
  *done = TRUE;
}

static void
test_save (void **state)
{
  g_autoptr (NnsDocument) document = nns_document_new (NULL);
  g_autofree char *dir = g_dir_make_tmp ("nns-document-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "a.nnsketch", NULL);
  g_autofree char *other = g_build_filename (dir, "b.nnsketch", NULL);
  g_autofree char *contents = NULL;
  g_autoptr (GError) error = NULL;
  NnsStyle style = *nns_document_get_style (document);
  gboolean done = FALSE;

  style.node_diameter = 44;
  nns_document_set_style (document, &style, NULL);
  assert_true (nns_document_save_to (document, path, &error));
  assert_false (nns_document_get_modified (document));
  assert_string_equal (nns_document_get_path (document), path);
  assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  assert_non_null (strstr (contents, "\"node_diameter\": 44"));
  assert_null (strstr (contents, "theme"));

  /* Async: the file holds the state when asked; an edit meanwhile stays unsaved. */
  nns_network_set_units (nns_document_get_network (document), 0, 7, NULL);
  nns_document_save_async (document, other, NULL, on_saved, &done);
  nns_network_set_units (nns_document_get_network (document), 0, 9, NULL);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  assert_string_equal (nns_document_get_path (document), other);
  assert_true (nns_document_get_modified (document));
  g_free (contents);
  assert_true (g_file_get_contents (other, &contents, NULL, NULL));
  assert_non_null (strstr (contents, "\"units\": 7"));

  /* A save that fails names the path and changes nothing. */
  assert_false (nns_document_save_to (document, "/nonexistent-dir/x.nnsketch", &error));
  assert_non_null (strstr (error->message, "/nonexistent-dir/x.nnsketch"));
  assert_string_equal (nns_document_get_path (document), other);

  g_unlink (path);
  g_unlink (other);
  g_rmdir (dir);
}

/* A model file opens as an untitled document showing its weights: it owns
 * Colour by Weight, on, and the options it was given, nothing else; it is
 * not modified and its weights are the file's. */
static void
test_load_model (void **state)
{
  g_autoptr (NnsDocument) document = nns_document_new (NULL);
  g_autoptr (NnsNetwork) network = nns_network_new_from_string ("3,2", NULL);
  g_autoptr (NnsWeights) weights = nns_weights_new_init (network, 9);
  NnsStyle given, own;
  NnsStyleMask mask, colors = NNS_STYLE_OPTION_BIT (nns_style_option_get_index (
                                nns_style_find_option ("weight_colors")));
  NnsStyleMask all = NNS_STYLE_OPTION_BIT (nns_style_option_get_index (
                       nns_style_find_option ("show_all_neurons")));

  nns_document_load_model (document, network, weights, NULL, 0);
  assert_true (nns_document_get_style (document)->weight_colors);
  nns_document_get_own_style (document, &own, &mask);
  assert_int_equal (mask, colors);
  assert_true (nns_weights_equal (nns_document_get_weights (document), weights));
  assert_null (nns_document_get_path (document));
  assert_false (nns_document_get_modified (document));

  /* with the command line's --show-all-neurons */
  nns_style_init_default (&given);
  given.show_all_neurons = TRUE;
  given.node_diameter = 40;   /* not in the mask: not the document's */
  nns_document_load_model (document, network, weights, &given, all);
  nns_document_get_own_style (document, &own, &mask);
  assert_int_equal (mask, colors | all);
  assert_true (nns_document_get_style (document)->show_all_neurons);
  assert_true (nns_document_get_style (document)->weight_colors);
  assert_false (nns_document_get_style (document)->node_diameter == 40);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_layers),
    cmocka_unit_test (test_reset_is_one_step),
    cmocka_unit_test (test_save),
    cmocka_unit_test (test_load_model),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
