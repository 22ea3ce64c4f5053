/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-inspector"

/* The inspector pane and the canvas's hover text read the document's
 * weights: their numbers and pixels are the weights'. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <adwaita.h>
#include <math.h>
#include <string.h>

#include "nns-canvas.h"
#include "nns-inspector.h"

static void
pump (void)
{
  for (int i = 0; i < 1000 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
}

/* A 4 → 2 network whose neuron 2 of the output has known incoming weights. */
static NnsDocument *
document_with_weights (const char *widths, const float *row, guint n_in, float bias)
{
  g_autoptr (NnsNetwork) network = nns_network_new_from_string (widths, NULL);
  NnsDocument *document = nns_document_new (network);
  g_autoptr (NnsWeights) weights = nns_weights_copy (nns_document_get_weights (document));
  NnsLayerWeights *layer = nns_weights_get_layer_mutable (weights, 0);

  memcpy (layer->weight + n_in, row, sizeof (float) * n_in);
  layer->bias[1] = bias;
  assert_true (nns_document_set_weights (document, weights, NULL));
  return document;
}

static void
test_sorted_and_bias (void **state)
{
  const float row[4] = { 0.1f, -0.4f, 0.3f, 0.2f };
  g_autoptr (NnsDocument) document = document_with_weights ("4,2", row, 4, -0.118f);
  NnsInspector *inspector = NNS_INSPECTOR (g_object_ref_sink (nns_inspector_new ()));
  g_auto (GStrv) lines = NULL;

  nns_inspector_set_document (inspector, document);
  nns_inspector_set_neuron (inspector, TRUE, 1, 1);
  assert_string_equal (nns_inspector_get_title (inspector), "Output neuron 2");
  assert_string_equal (nns_inspector_get_bias_text (inspector), "Bias: \u22120.118");
  lines = nns_inspector_dup_sorted (inspector);
  assert_int_equal (g_strv_length (lines), 4);
  assert_string_equal (lines[0], "Input 3: 0.3");
  assert_string_equal (lines[1], "Input 4: 0.2");
  assert_string_equal (lines[2], "Input 1: 0.1");
  assert_string_equal (lines[3], "Input 2: \u22120.4");
  /* 4 = 2 × 2: a picture, one pixel a weight, on the palette */
  assert_non_null (nns_inspector_get_picture (inspector));
  {
    cairo_surface_t *p = nns_inspector_get_picture (inspector);
    const guint8 *data = cairo_image_surface_get_data (p);
    guint32 pos = *(const guint32 *) (data + 2 * 4 - 8 + cairo_image_surface_get_stride (p));   /* (0, 1): 0.3 */
    guint32 neg = *(const guint32 *) (data + 4);   /* (1, 0): −0.4 */

    assert_true ((pos & 0xff) > ((pos >> 16) & 0xff) + 40);   /* blue */
    assert_true (((neg >> 16) & 0xff) > (neg & 0xff) + 40);   /* orange */
  }
  /* the pane fits a 360 px wide phone window */
  {
    int min_width = 0;

    gtk_widget_measure (GTK_WIDGET (inspector), GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL,
                        NULL, NULL);
    assert_true (min_width <= 360);
  }
  /* nothing selected */
  nns_inspector_set_neuron (inspector, FALSE, 0, 0);
  g_strfreev (lines);
  lines = nns_inspector_dup_sorted (inspector);
  assert_int_equal (g_strv_length (lines), 0);
  assert_null (nns_inspector_get_picture (inspector));
  g_object_unref (inspector);
}

/* New weights (training, loading) show at once. */
static void
test_follows_document (void **state)
{
  const float row[4] = { 0.1f, -0.4f, 0.3f, 0.2f };
  g_autoptr (NnsDocument) document = document_with_weights ("4,2", row, 4, 0.5f);
  NnsInspector *inspector = NNS_INSPECTOR (g_object_ref_sink (nns_inspector_new ()));
  g_autoptr (NnsWeights) weights = nns_weights_copy (nns_document_get_weights (document));

  nns_inspector_set_document (inspector, document);
  nns_inspector_set_neuron (inspector, TRUE, 1, 1);
  assert_string_equal (nns_inspector_get_bias_text (inspector), "Bias: 0.5");
  nns_weights_get_layer_mutable (weights, 0)->bias[1] = 0.25f;
  assert_true (nns_document_set_weights (document, weights, NULL));
  assert_string_equal (nns_inspector_get_bias_text (inspector), "Bias: 0.25");
  g_object_unref (inspector);
}

/* The canvas's hover text over an edge is that edge's weight. */
static void
test_hover_text (void **state)
{
  const float row[4] = { 0.1f, -0.412f, 0.3f, 0.2f };
  g_autoptr (NnsDocument) document = document_with_weights ("4,2", row, 4, 0);
  GtkWidget *window = gtk_window_new ();
  NnsCanvas *canvas = NNS_CANVAS (nns_canvas_new ());
  NnsStyle style = *nns_document_get_style (document);
  const NnsLayout *layout;
  NnsNode a, b;
  double wx, wy;
  g_autofree char *text = NULL, *plain = NULL;

  style.weight_colors = TRUE;
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 600);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (canvas));
  nns_canvas_set_network (canvas, nns_document_get_network (document));
  nns_canvas_set_style (canvas, &style);
  nns_canvas_set_weights (canvas, nns_document_get_weights (document));
  gtk_window_present (GTK_WINDOW (window));
  pump ();
  layout = nns_canvas_get_layout (canvas);
  assert_true (nns_layout_get_node (layout, 0, 1, &a));
  assert_true (nns_layout_get_node (layout, 1, 1, &b));
  /* a third of the way along the edge Input 2 → Output 2 */
  nns_canvas_layout_to_widget (canvas, a.x + (b.x - a.x) / 3, a.y + (b.y - a.y) / 3, &wx, &wy);
  text = nns_canvas_dup_tooltip_at (canvas, wx, wy);
  assert_string_equal (text, "Output neuron 2 \u2190 Input 2: w = \u22120.412 (weight[1, 1])");
  /* without weight colours the edges say nothing */
  style.weight_colors = FALSE;
  nns_canvas_set_style (canvas, &style);
  plain = nns_canvas_dup_tooltip_at (canvas, wx, wy);
  assert_null (plain);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char *argv[])
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_sorted_and_bias),
    cmocka_unit_test (test_follows_document),
    cmocka_unit_test (test_hover_text),
  };

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_print ("no display: skipped\n");
      return 77;
    }
  gtk_init ();
  adw_init ();
  return cmocka_run_group_tests (tests, NULL, NULL);
}
