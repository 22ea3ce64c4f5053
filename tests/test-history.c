/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Undo and redo: steps, groups, coalescing, the saved mark, the bound. */
#define G_LOG_DOMAIN "test-history"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <glib-object.h>
#include <string.h>

#include "nns-history.h"

typedef struct
{
  guint can_undo;
  guint can_redo;
  guint is_modified;
} Notifies;

static void
on_notify (GObject *object, GParamSpec *pspec, Notifies *n)
{
  if (strcmp (pspec->name, "can-undo") == 0)
    n->can_undo++;
  else if (strcmp (pspec->name, "can-redo") == 0)
    n->can_redo++;
  else if (strcmp (pspec->name, "is-modified") == 0)
    n->is_modified++;
}

static gboolean
get_bool (NnsHistory *history, const char *property)
{
  gboolean value;

  g_object_get (history, property, &value, NULL);
  return value;
}

static void
assert_flags (NnsHistory *history, gboolean can_undo, gboolean can_redo, gboolean modified)
{
  assert_int_equal (nns_history_get_can_undo (history), can_undo);
  assert_int_equal (nns_history_get_can_redo (history), can_redo);
  assert_int_equal (nns_history_get_is_modified (history), modified);
  /* The properties say the same. */
  assert_int_equal (get_bool (history, "can-undo"), can_undo);
  assert_int_equal (get_bool (history, "can-redo"), can_redo);
  assert_int_equal (get_bool (history, "is-modified"), modified);
}

static void
test_undo_redo (void **state)
{
  g_autoptr (NnsNetwork) network = nns_network_new_default ();
  g_autoptr (NnsHistory) history = NULL;
  g_autoptr (NnsNetwork) start = NULL;
  g_autoptr (NnsNetwork) after_units = NULL;
  NnsStyle style, start_style;
  Notifies n = { 0 };

  nns_style_init_default (&style);
  start_style = style;
  start = nns_network_copy (network);
  history = nns_history_new (network, &style);
  g_signal_connect (history, "notify", G_CALLBACK (on_notify), &n);
  assert_flags (history, FALSE, FALSE, FALSE);
  assert_false (nns_history_undo (history, network, &style));
  assert_false (nns_history_redo (history, network, &style));

  /* Edit 1: units. */
  nns_network_set_units (network, 0, 30, NULL);
  assert_true (nns_history_push (history, network, &style));
  after_units = nns_network_copy (network);
  assert_flags (history, TRUE, FALSE, TRUE);
  assert_int_equal (n.can_undo, 1);
  assert_int_equal (n.is_modified, 1);

  /* The same state again is no step. */
  assert_false (nns_history_push (history, network, &style));
  assert_int_equal (nns_history_get_n_states (history), 2);

  /* Edit 2: style. */
  style.theme = NNS_THEME_DARK;
  style.node_diameter = 40;
  assert_true (nns_history_push (history, network, &style));
  assert_int_equal (nns_history_get_n_states (history), 3);

  /* Undo: the style comes back, then the network. */
  assert_true (nns_history_undo (history, network, &style));
  assert_int_equal (style.theme, NNS_THEME_LIGHT);
  assert_true (style.node_diameter == 24);
  assert_true (nns_network_equal (network, after_units));
  assert_flags (history, TRUE, TRUE, TRUE);
  assert_int_equal (n.can_redo, 1);

  assert_true (nns_history_undo (history, network, &style));
  assert_true (nns_network_equal (network, start));
  assert_true (nns_style_equal (&style, &start_style));
  assert_flags (history, FALSE, TRUE, FALSE);
  assert_int_equal (n.can_undo, 2);
  assert_int_equal (n.is_modified, 2);
  assert_false (nns_history_undo (history, network, &style));

  /* Redo twice. */
  assert_true (nns_history_redo (history, network, &style));
  assert_true (nns_network_equal (network, after_units));
  assert_true (nns_history_redo (history, network, &style));
  assert_int_equal (style.theme, NNS_THEME_DARK);
  assert_flags (history, TRUE, FALSE, TRUE);
  assert_false (nns_history_redo (history, network, &style));

  /* A new edit after an undo drops the redo step. */
  assert_true (nns_history_undo (history, network, &style));
  nns_network_insert_layer (network, 1, 7, NULL);
  assert_true (nns_history_push (history, network, &style));
  assert_flags (history, TRUE, FALSE, TRUE);
  assert_int_equal (nns_history_get_n_states (history), 3);
  assert_true (nns_history_undo (history, network, &style));
  assert_true (nns_network_equal (network, after_units));
  assert_int_equal (style.theme, NNS_THEME_LIGHT);

  /* NULL style: undo touches only the network. */
  assert_true (nns_history_undo (history, network, NULL));
  assert_true (nns_network_equal (network, start));
}

static void
on_changed (NnsNetwork *network, NnsChange *change, gpointer data)
{
  GArray *kinds = data;

  g_array_append_val (kinds, change->kind);
}

typedef struct
{
  NnsHistory *history;
  NnsStyle   *style;
  guint       pushes;
} Window;

/* What the window does: push after every change. */
static void
window_on_changed (NnsNetwork *network, NnsChange *change, Window *window)
{
  window->pushes++;
  nns_history_push (window->history, network, window->style);
}

static void
test_window_flow (void **state)
{
  g_autoptr (NnsNetwork) network = nns_network_new_default ();
  g_autoptr (NnsHistory) history = NULL;
  g_autoptr (GArray) kinds = g_array_new (FALSE, FALSE, sizeof (NnsChangeKind));
  NnsStyle style;
  Window window;

  nns_style_init_default (&style);
  history = nns_history_new (network, &style);
  window = (Window) { history, &style, 0 };
  g_signal_connect (network, "changed", G_CALLBACK (window_on_changed), &window);
  g_signal_connect (network, "changed", G_CALLBACK (on_changed), kinds);

  nns_network_set_units (network, 1, 5, NULL);
  nns_network_set_activation (network, 0, NNS_ACTIVATION_GELU, NULL);
  nns_network_remove_layer (network, 2, NULL);
  assert_int_equal (nns_history_get_n_states (history), 4);
  g_array_set_size (kinds, 0);

  /* Undo emits exactly one RESET, and the push it causes records nothing. */
  assert_true (nns_history_undo (history, network, &style));
  assert_int_equal (kinds->len, 1);
  assert_int_equal (g_array_index (kinds, NnsChangeKind, 0), NNS_CHANGE_RESET);
  assert_int_equal (nns_history_get_n_states (history), 4);
  assert_int_equal (nns_history_get_position (history), 2);
  assert_true (nns_history_get_can_redo (history));
  assert_int_equal (nns_network_get_n_layers (network), 3);

  assert_true (nns_history_undo (history, network, &style));
  assert_true (nns_history_undo (history, network, &style));
  assert_int_equal (nns_history_get_position (history), 0);
  assert_false (nns_history_get_is_modified (history));
  {
    g_autoptr (NnsNetwork) standard = nns_network_new_default ();
    assert_true (nns_network_equal (network, standard));
  }
  assert_true (nns_history_redo (history, network, &style));
  assert_true (nns_history_redo (history, network, &style));
  assert_true (nns_history_redo (history, network, &style));
  assert_int_equal (nns_network_get_n_layers (network), 2);
  assert_int_equal (nns_network_get_layer (network, 0)->activation, NNS_ACTIVATION_GELU);
  assert_int_equal (nns_history_get_n_states (history), 4);
}

static void
test_group (void **state)
{
  g_autoptr (NnsNetwork) network = nns_network_new_default ();
  g_autoptr (NnsHistory) history = nns_history_new (network, NULL);

  /* A slider drag: press, many values, release: one step. */
  nns_history_begin_group (history);
  for (guint units = 19; units <= 60; units++)
    {
      nns_network_set_units (network, 0, units, NULL);
      nns_history_push (history, network, NULL);
    }
  nns_history_end_group (history);
  assert_int_equal (nns_history_get_n_states (history), 2);
  assert_int_equal (nns_network_get_layer (network, 0)->units, 60);

  /* The next edit after the release is its own step. */
  nns_network_set_units (network, 0, 61, NULL);
  nns_history_push (history, network, NULL);
  assert_int_equal (nns_history_get_n_states (history), 3);

  assert_true (nns_history_undo (history, network, NULL));
  assert_int_equal (nns_network_get_layer (network, 0)->units, 60);
  assert_true (nns_history_undo (history, network, NULL));
  assert_int_equal (nns_network_get_layer (network, 0)->units, 18);
  assert_false (nns_history_get_can_undo (history));
  assert_true (nns_history_redo (history, network, NULL));
  assert_int_equal (nns_network_get_layer (network, 0)->units, 60);

  /* A drag that ends where it started leaves no step. */
  nns_history_begin_group (history);
  nns_network_set_units (network, 1, 99, NULL);
  nns_history_push (history, network, NULL);
  nns_network_set_units (network, 1, 20, NULL);
  nns_history_push (history, network, NULL);
  nns_history_end_group (history);
  assert_int_equal (nns_history_get_position (history), 1);
  assert_int_equal (nns_history_get_n_states (history), 2);

  /* Nested groups are one step; an end without a begin does nothing. */
  nns_history_end_group (history);
  nns_history_begin_group (history);
  nns_history_begin_group (history);
  nns_network_set_units (network, 1, 21, NULL);
  nns_history_push (history, network, NULL);
  nns_history_end_group (history);
  nns_network_set_units (network, 1, 22, NULL);
  nns_history_push (history, network, NULL);
  nns_history_end_group (history);
  assert_int_equal (nns_history_get_n_states (history), 3);

  /* Undo in the middle of a drag closes the group: the next push is a new step. */
  nns_history_begin_group (history);
  nns_network_set_units (network, 1, 23, NULL);
  nns_history_push (history, network, NULL);
  assert_true (nns_history_undo (history, network, NULL));
  assert_int_equal (nns_network_get_layer (network, 1)->units, 22);
  nns_network_set_units (network, 1, 24, NULL);
  nns_history_push (history, network, NULL);
  assert_int_equal (nns_history_get_n_states (history), 4);
  assert_true (nns_history_undo (history, network, NULL));
  assert_int_equal (nns_network_get_layer (network, 1)->units, 22);
  nns_history_end_group (history);
}

static void
test_coalesce (void **state)
{
  g_autoptr (NnsNetwork) network = nns_network_new_default ();
  g_autoptr (NnsHistory) history = nns_history_new (network, NULL);
  NnsStyle style;

  nns_style_init_default (&style);
  /* Typing 1, 12, 123 in layer 0's spin button: one step. */
  for (guint units = 1; units < 1000; units = units * 10 + 2)
    {
      nns_network_set_units (network, 0, units, NULL);
      nns_history_push_coalesce (history, network, &style, "units:0");
    }
  assert_int_equal (nns_history_get_n_states (history), 2);
  /* Another key: another step; back to the first key: yet another. */
  nns_network_set_units (network, 1, 3, NULL);
  nns_history_push_coalesce (history, network, &style, "units:1");
  nns_network_set_units (network, 0, 4, NULL);
  nns_history_push_coalesce (history, network, &style, "units:0");
  assert_int_equal (nns_history_get_n_states (history), 4);
  /* A plain push breaks coalescing too. */
  style.edge_width = 3;
  nns_history_push (history, network, &style);
  nns_network_set_units (network, 0, 5, NULL);
  nns_history_push_coalesce (history, network, &style, "units:0");
  nns_network_set_units (network, 0, 6, NULL);
  nns_history_push_coalesce (history, network, &style, "units:0");
  assert_int_equal (nns_history_get_n_states (history), 6);

  /* After an undo, the same key starts a new step. */
  assert_true (nns_history_undo (history, network, &style));
  assert_int_equal (nns_network_get_layer (network, 0)->units, 4);
  nns_network_set_units (network, 0, 7, NULL);
  nns_history_push_coalesce (history, network, &style, "units:0");
  nns_network_set_units (network, 0, 8, NULL);
  nns_history_push_coalesce (history, network, &style, "units:0");
  assert_int_equal (nns_history_get_n_states (history), 6);
  assert_true (nns_history_undo (history, network, &style));
  assert_int_equal (nns_network_get_layer (network, 0)->units, 4);
  assert_true (style.edge_width == 3);
  assert_true (nns_history_undo (history, network, &style));
  assert_true (style.edge_width == 1);
}

static void
test_saved_mark (void **state)
{
  g_autoptr (NnsNetwork) network = nns_network_new_default ();
  g_autoptr (NnsHistory) history = nns_history_new (network, NULL);
  Notifies n = { 0 };

  g_signal_connect (history, "notify::is-modified", G_CALLBACK (on_notify), &n);
  nns_network_set_units (network, 0, 2, NULL);
  nns_history_push (history, network, NULL);
  assert_true (nns_history_get_is_modified (history));
  nns_history_mark_saved (history);
  assert_false (nns_history_get_is_modified (history));
  assert_int_equal (n.is_modified, 2);

  /* Undo past the save: modified; redo back to it: not. */
  nns_history_undo (history, network, NULL);
  assert_true (nns_history_get_is_modified (history));
  nns_history_redo (history, network, NULL);
  assert_false (nns_history_get_is_modified (history));
  assert_int_equal (n.is_modified, 4);

  /* Marking twice notifies once. */
  nns_history_mark_saved (history);
  assert_int_equal (n.is_modified, 4);

  /* Coalescing never rewrites the saved state: the next push is a new step. */
  nns_network_set_units (network, 0, 3, NULL);
  nns_history_push_coalesce (history, network, NULL, "k");
  nns_history_mark_saved (history);
  nns_network_set_units (network, 0, 4, NULL);
  nns_history_push_coalesce (history, network, NULL, "k");
  assert_true (nns_history_get_is_modified (history));
  nns_history_undo (history, network, NULL);
  assert_int_equal (nns_network_get_layer (network, 0)->units, 3);
  assert_false (nns_history_get_is_modified (history));

  /* The saved state dropped with the redo side: modified everywhere. */
  nns_history_undo (history, network, NULL);
  nns_network_set_units (network, 0, 9, NULL);
  nns_history_push (history, network, NULL);
  assert_true (nns_history_get_is_modified (history));
  while (nns_history_undo (history, network, NULL))
    assert_true (nns_history_get_is_modified (history));

  /* Reset: a clean slate, saved. */
  nns_history_reset (history, network, NULL);
  assert_flags (history, FALSE, FALSE, FALSE);
  assert_int_equal (nns_history_get_n_states (history), 1);
}

static void
test_bounded (void **state)
{
  g_autoptr (NnsNetwork) network = nns_network_new_default ();
  g_autoptr (NnsHistory) history = nns_history_new (network, NULL);
  guint undos = 0;

  assert_int_equal (nns_history_get_max_steps (history), 1000);
  for (guint i = 0; i < 1500; i++)
    {
      nns_network_set_units (network, 0, 100 + i, NULL);
      assert_true (nns_history_push (history, network, NULL));
    }
  assert_int_equal (nns_history_get_n_states (history), 1001);
  assert_int_equal (nns_history_get_position (history), 1000);
  while (nns_history_undo (history, network, NULL))
    undos++;
  assert_int_equal (undos, 1000);
  /* The oldest kept state: edit 500 (units 599); the saved start is gone. */
  assert_int_equal (nns_network_get_layer (network, 0)->units, 599);
  assert_true (nns_history_get_is_modified (history));

  /* A smaller bound drops the oldest undo steps, keeps the redo side. */
  while (nns_history_redo (history, network, NULL))
    ;
  g_object_set (history, "max-steps", 10, NULL);
  assert_int_equal (nns_history_get_max_steps (history), 10);
  assert_int_equal (nns_history_get_n_states (history), 11);
  nns_history_set_max_steps (history, 0);
  assert_int_equal (nns_history_get_max_steps (history), 1);
  assert_int_equal (nns_history_get_n_states (history), 2);
  assert_true (nns_history_undo (history, network, NULL));
  assert_int_equal (nns_network_get_layer (network, 0)->units, 1598);
  assert_false (nns_history_undo (history, network, NULL));
}

/* Random edits, undos and redos against a plain list of states. */
static void
test_random_against_model (void **state)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (99);
  g_autoptr (NnsNetwork) network = nns_network_new_default ();
  g_autoptr (NnsHistory) history = NULL;
  g_autoptr (GPtrArray) model = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GArray) styles = g_array_new (FALSE, FALSE, sizeof (NnsStyle));
  NnsStyle style;
  guint position = 0;

  nns_style_init_default (&style);
  history = nns_history_new (network, &style);
  nns_history_set_max_steps (history, 50);
  g_ptr_array_add (model, nns_network_copy (network));
  g_array_append_val (styles, style);

  for (guint step = 0; step < 3000; step++)
    {
      guint action = g_rand_int_range (rand, 0, 10);

      if (action < 2)
        {
          gboolean done = nns_history_undo (history, network, &style);

          assert_int_equal (done, position > 0);
          position -= done;
        }
      else if (action < 4)
        {
          gboolean done = nns_history_redo (history, network, &style);

          assert_int_equal (done, position + 1 < model->len);
          position += done;
        }
      else
        {
          guint layer = g_rand_int_range (rand, 0, nns_network_get_n_layers (network));

          switch (g_rand_int_range (rand, 0, 4))
            {
            case 0:
              nns_network_set_units (network, layer, g_rand_int_range (rand, 1, 50), NULL);
              break;
            case 1:
              nns_network_set_activation (network, layer,
                                          g_rand_int_range (rand, 0, NNS_N_ACTIVATIONS), NULL);
              break;
            case 2:
              if (nns_network_get_n_layers (network) < 6)
                nns_network_insert_layer (network, layer, g_rand_int_range (rand, 1, 9), NULL);
              else
                nns_network_remove_layer (network, layer, NULL);
              break;
            default:
              style.node_diameter = g_rand_int_range (rand, 4, 100);
              break;
            }
          if (nns_history_push (history, network, &style))
            {
              g_ptr_array_set_size (model, position + 1);
              g_array_set_size (styles, position + 1);
              g_ptr_array_add (model, nns_network_copy (network));
              g_array_append_val (styles, style);
              position++;
              if (model->len > 51)
                {
                  g_ptr_array_remove_index (model, 0);
                  g_array_remove_index (styles, 0);
                  position--;
                }
            }
        }
      assert_int_equal (nns_history_get_position (history), position);
      assert_int_equal (nns_history_get_n_states (history), model->len);
      assert_true (nns_network_equal (network, g_ptr_array_index (model, position)));
      assert_true (nns_style_equal (&style, &g_array_index (styles, NnsStyle, position)));
    }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_undo_redo),
    cmocka_unit_test (test_window_flow),
    cmocka_unit_test (test_group),
    cmocka_unit_test (test_coalesce),
    cmocka_unit_test (test_saved_mark),
    cmocka_unit_test (test_bounded),
    cmocka_unit_test (test_random_against_model),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
