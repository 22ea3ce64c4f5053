/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A live training run of a document's network: the worker's snapshots
 * reach the document (the trained weights, one undo step) and the curves;
 * the loss falls; the decision surface and the hidden units' maps are made
 * for a 2-D problem; an edit or an undo stops the run without the worker's
 * last weights coming back; a loss that is not finite stops it with the last
 * good weights; a network that does not fit the data is named and fitted;
 * Fashion-MNIST missing names its package. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "nns-train-session.h"

#define assert_error(e, d, c) \
  do { assert_non_null (e); assert_true ((e)->domain == (d)); assert_int_equal ((e)->code, (c)); } while (0)

static NnsDocument *
new_document (const guint *widths,
              guint        n)
{
  g_autoptr (NnsNetwork) network = nns_network_new (widths, n, NULL);

  assert_non_null (network);
  for (guint l = 0; l + 2 < n; l++)
    assert_true (nns_network_set_activation (network, l, NNS_ACTIVATION_TANH, NULL));
  return nns_document_new (network);
}

static const guint spiral_net[] = { 2, 16, 16, 2 };

/* Plays until n points, then pauses. */
static void
play_points (NnsTrainSession *session,
             guint            n)
{
  g_autoptr (GError) error = NULL;

  assert_true (nns_train_session_play (session, &error));
  assert_null (error);
  assert_true (nns_train_session_get_running (session));
  assert_true (nns_train_session_wait_points (session, n, 20000));
  nns_train_session_pause (session);
  assert_false (nns_train_session_get_running (session));
}

static void
test_play_trains_the_document (void **state)
{
  g_autoptr (NnsDocument) doc = new_document (spiral_net, G_N_ELEMENTS (spiral_net));
  g_autoptr (NnsTrainSession) session = nns_train_session_new (doc);
  g_autoptr (NnsWeights) initial = nns_weights_ref (nns_document_get_weights (doc));
  const NnsTrainPoint *points;
  const float *surface;
  double extent = 0;
  guint n;

  nns_train_session_set_dataset (session, NNS_DATASET_CIRCLES);
  assert_true (nns_train_session_set_lr (session, 0.03, NULL));
  play_points (session, 20);

  points = nns_train_session_get_points (session, &n);
  assert_true (n >= 20);
  for (guint i = 1; i < n; i++)
    assert_true (points[i].step > points[i - 1].step);
  /* the loss falls and the run learns the circles */
  assert_true (points[n - 1].train_loss < 0.7 * points[0].train_loss);
  assert_true (points[n - 1].test_accuracy > 0.8);
  assert_true (points[n - 1].epoch > 1);

  /* the plane: probabilities, and a map for each hidden unit */
  surface = nns_train_session_get_surface (session, &extent);
  assert_non_null (surface);
  assert_true (extent > 0.9 && extent < 3);
  for (guint i = 0; i < NNS_TRAIN_SURFACE_RES * NNS_TRAIN_SURFACE_RES; i++)
    assert_true (surface[i] >= 0 && surface[i] <= 1);
  /* circles: the centre is one class, the corners the other */
  {
    guint mid = NNS_TRAIN_SURFACE_RES / 2;
    float centre = surface[mid * NNS_TRAIN_SURFACE_RES + mid];
    float corner = surface[0];

    assert_true (fabsf (centre - corner) > 0.5f);
  }
  for (guint l = 0; l < 2; l++)
    for (guint u = 0; u < 16; u++)
      assert_non_null (nns_train_session_get_unit_map (session, l, u));
  assert_null (nns_train_session_get_unit_map (session, 0, 16));
  assert_null (nns_train_session_get_unit_map (session, 2, 0));

  /* the map and the surface are the document's weights evaluated on the
   * plane's grid: (r, c) at x = −e + c·2e/(res − 1), y = e − r·2e/(res − 1) */
  {
    NnsTrainConfig config;
    g_autoptr (NnsTrainer) t = NULL;
    guint r = 5, c = 17;
    float xy[2] = {
      (float) (-extent + c * 2 * extent / (NNS_TRAIN_SURFACE_RES - 1)),
      (float) (extent - r * 2 * extent / (NNS_TRAIN_SURFACE_RES - 1)),
    };
    float h0[16], h1[16], out[2];
    float *outs[] = { h0, h1, out };
    const float *map = nns_train_session_get_unit_map (session, 1, 3);
    guint sr = 20, sc = 9;
    float sxy[2] = {
      (float) (-extent + sc * 2 * extent / (NNS_TRAIN_SURFACE_RES - 1)),
      (float) (extent - sr * 2 * extent / (NNS_TRAIN_SURFACE_RES - 1)),
    };

    nns_train_config_init (&config, NNS_OPTIM_ADAM);
    t = nns_trainer_new (nns_document_get_network (doc), &config, NULL);
    assert_true (nns_trainer_set_weights (t, nns_document_get_weights (doc), NULL));
    nns_trainer_forward_layers (t, xy, 1, outs);
    assert_float_equal (map[r * NNS_TRAIN_SURFACE_RES + c], h1[3], 1e-6);
    nns_trainer_forward (t, sxy, 1, out);
    assert_float_equal (surface[sr * NNS_TRAIN_SURFACE_RES + sc],
                        1 / (1 + exp (out[0] - out[1])), 1e-5);
  }

  /* the document holds the trained weights: one undo step back to the
   * initial ones */
  assert_false (nns_weights_equal (nns_document_get_weights (doc), initial));
  assert_true (nns_document_get_modified (doc));
  assert_true (nns_document_undo (doc));
  assert_true (nns_weights_equal (nns_document_get_weights (doc), initial));
  /* the figures described the undone weights */
  assert_null (nns_train_session_get_surface (session, NULL));
  assert_true (nns_document_redo (doc));
}

/* A network whose every new set of weights takes the main loop 100 ms to
 * draw: the weights are handed over no faster than that leaves the loop
 * half its time for the user, while the curves keep coming. */
static gboolean
slow_paint (gpointer data)
{
  guint *n = data;

  g_usleep (100000);
  (*n)++;
  return G_SOURCE_REMOVE;
}

static void
on_weights_paint (guint *n_paints)
{
  g_idle_add_full (G_PRIORITY_HIGH, slow_paint, n_paints, NULL);
}

static void
test_throttled_to_the_screen (void **state)
{
  g_autoptr (NnsDocument) doc = new_document (spiral_net, G_N_ELEMENTS (spiral_net));
  g_autoptr (NnsTrainSession) session = nns_train_session_new (doc);
  guint n_paints = 0, n_points;
  gint64 start, elapsed;

  g_signal_connect_swapped (doc, "weights-changed", G_CALLBACK (on_weights_paint), &n_paints);
  assert_true (nns_train_session_play (session, NULL));
  start = g_get_monotonic_time ();
  while (g_get_monotonic_time () - start < 3 * G_USEC_PER_SEC)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
  elapsed = g_get_monotonic_time () - start;
  nns_train_session_get_points (session, &n_points);
  nns_train_session_pause (session);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  fprintf (stderr, "%u paints, %u points in %.2f s\n", n_paints, n_points, elapsed / 1e6);
  /* the simulated drawing took at most about 60 % of the time */
  assert_true (n_paints >= 5);
  assert_true (n_paints * 100000.0 / elapsed < 0.65);
  /* and the curves did not wait for the weights */
  assert_true (n_points > n_paints);
  /* a pause hands the trainer's last weights over at once */
  assert_true (nns_train_session_get_running (session) == FALSE);
}

static void
test_step (void **state)
{
  g_autoptr (NnsDocument) doc = new_document (spiral_net, G_N_ELEMENTS (spiral_net));
  g_autoptr (NnsTrainSession) session = nns_train_session_new (doc);
  g_autoptr (NnsWeights) initial = nns_weights_ref (nns_document_get_weights (doc));
  const NnsTrainPoint *points;
  guint n;

  assert_true (nns_train_session_step (session, NULL));
  assert_false (nns_train_session_get_running (session));
  points = nns_train_session_get_points (session, &n);
  assert_int_equal (n, 1);
  assert_int_equal (points[0].step, 1);
  assert_true (fabs (points[0].epoch - 32.0 / 500) < 1e-9);
  assert_false (nns_weights_equal (nns_document_get_weights (doc), initial));
  assert_true (nns_train_session_step (session, NULL));
  points = nns_train_session_get_points (session, &n);
  assert_int_equal (n, 2);
  assert_int_equal (points[1].step, 2);

  /* Reset: PyTorch's initial weights again, the curves cleared */
  nns_train_session_reset (session);
  nns_train_session_get_points (session, &n);
  assert_int_equal (n, 0);
  assert_null (nns_train_session_get_surface (session, NULL));
  assert_false (nns_weights_equal (nns_document_get_weights (doc), initial));
  assert_true (nns_weights_is_initial (nns_document_get_weights (doc), nns_document_get_network (doc),
                                       nns_document_get_weights_seed (doc) + 1));
}

/* An edit while training stops the run and says so; the worker's last
 * snapshot does not come back over the edited network's weights. */
static void
test_edit_stops (void **state)
{
  g_autoptr (NnsDocument) doc = new_document (spiral_net, G_N_ELEMENTS (spiral_net));
  g_autoptr (NnsTrainSession) session = nns_train_session_new (doc);
  NnsNetwork *net = nns_document_get_network (doc);
  NnsWeights *after_edit;

  assert_true (nns_train_session_play (session, NULL));
  assert_true (nns_train_session_wait_points (session, 3, 20000));
  assert_true (nns_network_set_units (net, 0, 8, NULL));
  assert_false (nns_train_session_get_running (session));
  assert_non_null (strstr (nns_train_session_get_message (session), "network changed"));
  after_edit = nns_document_get_weights (doc);
  assert_true (nns_weights_fits (after_edit, net));
  for (int i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);
  assert_true (nns_document_get_weights (doc) == after_edit);
  assert_null (nns_train_session_get_surface (session, NULL));

  /* the next run trains the edited network */
  assert_true (nns_train_session_play (session, NULL));
  assert_null (nns_train_session_get_message (session));
  assert_true (nns_train_session_wait_points (session, 6, 20000));
  nns_train_session_pause (session);
  assert_non_null (nns_train_session_get_unit_map (session, 0, 7));
  assert_null (nns_train_session_get_unit_map (session, 0, 8));

  /* undo while training: stopped, and the undone weights stay */
  assert_true (nns_train_session_play (session, NULL));
  assert_true (nns_train_session_wait_points (session, 8, 20000));
  {
    g_autoptr (NnsWeights) before = NULL;

    assert_true (nns_document_undo (doc));
    before = nns_weights_ref (nns_document_get_weights (doc));
    assert_false (nns_train_session_get_running (session));
    assert_non_null (strstr (nns_train_session_get_message (session), "from elsewhere"));
    for (int i = 0; i < 50; i++)
      g_main_context_iteration (NULL, FALSE);
    assert_true (nns_document_get_weights (doc) == before);
  }
}

/* Weights whose outputs overflow: the loss is not finite at the first
 * step, which is refused and keeps the weights. */
static void
test_diverged (void **state)
{
  g_autoptr (NnsDocument) doc = new_document (spiral_net, G_N_ELEMENTS (spiral_net));
  g_autoptr (NnsTrainSession) session = nns_train_session_new (doc);
  g_autoptr (NnsWeights) huge = nns_weights_copy (nns_document_get_weights (doc));
  g_autoptr (GError) error = NULL;
  guint n;

  for (guint l = 0; l < nns_weights_get_n_layers (huge); l++)
    {
      NnsLayerWeights *lw = nns_weights_get_layer_mutable (huge, l);
      gsize count = (gsize) lw->out_features * lw->in_features;

      for (gsize i = 0; i < count; i++)
        lw->weight[i] = 3e37f;
    }
  nns_weights_freeze (huge);
  assert_true (nns_document_set_weights (doc, huge, NULL));

  assert_false (nns_train_session_step (session, &error));
  assert_error (error, NNS_TRAINER_ERROR, NNS_TRAINER_ERROR_DIVERGED);
  assert_non_null (strstr (nns_train_session_get_message (session), "smaller learning rate"));
  assert_true (nns_weights_equal (nns_document_get_weights (doc), huge));

  /* played, the worker stops by itself on the first step */
  assert_true (nns_train_session_play (session, NULL));
  for (int i = 0; i < 2000 && nns_train_session_get_running (session); i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  assert_false (nns_train_session_get_running (session));
  assert_non_null (strstr (nns_train_session_get_message (session), "smaller learning rate"));
  assert_true (nns_weights_equal (nns_document_get_weights (doc), huge));
  nns_train_session_get_points (session, &n);
  (void) n;
}

static void
test_mismatch_and_fit (void **state)
{
  const guint lesson[] = { 10, 18, 20, 5 };
  g_autoptr (NnsDocument) doc = new_document (lesson, G_N_ELEMENTS (lesson));
  g_autoptr (NnsTrainSession) session = nns_train_session_new (doc);
  g_autoptr (GError) error = NULL;
  NnsNetwork *net = nns_document_get_network (doc);

  assert_false (nns_train_session_play (session, &error));
  assert_non_null (error);
  assert_non_null (strstr (error->message, "2 features"));
  assert_non_null (strstr (error->message, "takes 10 inputs"));
  assert_false (nns_train_session_get_running (session));
  g_clear_error (&error);

  assert_true (nns_train_session_fit_network (session, NULL));
  assert_int_equal (nns_network_get_input (net), 2);
  assert_int_equal (nns_network_get_layer (net, 2)->units, 2);
  assert_int_equal (nns_network_get_layer (net, 0)->units, 18);
  assert_true (nns_train_session_check (session, NULL));
  /* one undo step */
  assert_true (nns_document_undo (doc));
  assert_int_equal (nns_network_get_input (net), 10);
  assert_int_equal (nns_network_get_layer (net, 2)->units, 5);
}

static void
test_settings (void **state)
{
  g_autoptr (NnsDocument) doc = new_document (spiral_net, G_N_ELEMENTS (spiral_net));
  g_autoptr (NnsTrainSession) session = nns_train_session_new (doc);
  g_autoptr (GError) error = NULL;

  assert_false (nns_train_session_set_lr (session, 0, &error));
  assert_non_null (strstr (error->message, "learning rate 0"));
  g_clear_error (&error);
  assert_false (nns_train_session_set_lr (session, NAN, &error));
  g_clear_error (&error);
  assert_false (nns_train_session_set_batch_size (session, 0, &error));
  assert_non_null (strstr (error->message, "batch size 0"));
  g_clear_error (&error);
  assert_false (nns_train_session_set_optimizer (session, "lbfgs"));
  assert_string_equal (nns_train_session_get_optimizer (session), "adam");
  assert_true (nns_train_session_set_optimizer (session, "momentum"));
  assert_string_equal (nns_train_session_get_optimizer (session), "momentum");

  /* the learning rate changes a run as it goes */
  assert_true (nns_train_session_play (session, NULL));
  assert_true (nns_train_session_set_lr (session, 0.05, NULL));
  assert_true (nns_train_session_get_running (session));
  assert_true (nns_train_session_get_lr (session) == 0.05);
  /* the batch size stops it (the trainer is made for one) */
  assert_true (nns_train_session_set_batch_size (session, 8, NULL));
  assert_false (nns_train_session_get_running (session));
  assert_true (nns_train_session_step (session, NULL));
  {
    guint n;
    const NnsTrainPoint *p = nns_train_session_get_points (session, &n);

    assert_true (n >= 1);
    /* 8 samples of 500 in the last step's epoch fraction */
    assert_true (fabs (p[n - 1].epoch * 500 - round (p[n - 1].epoch * 500)) < 1e-6);
  }
}

static void
test_fashion_missing (void **state)
{
  g_autoptr (NnsDocument) doc = new_document (spiral_net, G_N_ELEMENTS (spiral_net));
  g_autoptr (NnsTrainSession) session = nns_train_session_new (doc);
  g_autoptr (GError) error = NULL;

  g_setenv ("NNS_FASHION_MNIST_DIR", "/nonexistent/fashion", TRUE);
  nns_train_session_set_dataset (session, NNS_DATASET_FASHION_MNIST);
  /* read in a thread: until it is done, the data is being read */
  assert_true (nns_train_session_is_reading (session));
  assert_null (nns_train_session_get_data (session, &error));
  assert_error (error, NNS_DATASET_ERROR, NNS_DATASET_ERROR_READING);
  g_clear_error (&error);
  assert_false (nns_train_session_play (session, NULL));
  {
    gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

    while (nns_train_session_is_reading (session) && g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, TRUE);
  }
  assert_false (nns_train_session_is_reading (session));
  assert_null (nns_train_session_get_data (session, &error));
  assert_error (error, NNS_DATASET_ERROR, NNS_DATASET_ERROR_MISSING);
  assert_non_null (strstr (error->message, NNS_FASHION_MNIST_PACKAGE));
  g_clear_error (&error);
  assert_false (nns_train_session_play (session, &error));
  assert_non_null (error);
  g_unsetenv ("NNS_FASHION_MNIST_DIR");
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_play_trains_the_document),
    cmocka_unit_test (test_step),
    cmocka_unit_test (test_throttled_to_the_screen),
    cmocka_unit_test (test_edit_stops),
    cmocka_unit_test (test_diverged),
    cmocka_unit_test (test_mismatch_and_fit),
    cmocka_unit_test (test_settings),
    cmocka_unit_test (test_fashion_missing),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
