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
#include "nns-model-file.h"

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

/* The colour the picture shows for v on the inspector's palette, as cairo's
 * RGB24 pixel. */
static guint32
expected_pixel (NnsDocument *document, double v, double max_abs)
{
  NnsStyle style = *nns_document_get_style (document);
  NnsPalette palette;
  NnsColor c;

  style.theme = adw_style_manager_get_dark (adw_style_manager_get_default ()) ? NNS_THEME_DARK
                                                                             : NNS_THEME_LIGHT;
  nns_style_get_palette (&style, &palette);
  nns_weight_color (&palette, v, max_abs, &c);
  return (guint32) (c.red * 255 + 0.5) << 16 | (guint32) (c.green * 255 + 0.5) << 8
         | (guint32) (c.blue * 255 + 0.5);
}

static guint32
pixel (cairo_surface_t *p, guint x, guint y)
{
  const guint8 *data = cairo_image_surface_get_data (p);

  return *(const guint32 *) (data + y * cairo_image_surface_get_stride (p) + 4 * x) & 0xffffff;
}

/* A shape set on the input draws a first-layer neuron's 60 weights as three
 * 4 × 5 channels side by side, in PyTorch's flatten order, one background
 * column between them; the picture follows the shape's edits and undo. */
static void
test_shape_picture (void **state)
{
  float row[60];
  NnsInputShape shape = { 3, { 3, 4, 5 } };
  g_autoptr (NnsDocument) document = NULL;
  NnsInspector *inspector = NNS_INSPECTOR (g_object_ref_sink (nns_inspector_new ()));
  NnsNetwork *network;
  cairo_surface_t *p;

  /* distinct values, −1 … 0.967: each pixel is its own weight's colour */
  for (guint k = 0; k < 60; k++)
    row[k] = ((float) k - 30) / 30;
  document = document_with_weights ("60,4,4", row, 60, 0);
  network = nns_document_get_network (document);
  nns_inspector_set_document (inspector, document);
  nns_inspector_set_neuron (inspector, TRUE, 1, 1);
  /* 60 is no square: no picture without a shape */
  assert_null (nns_inspector_get_picture (inspector));

  assert_true (nns_network_set_input_shape (network, &shape, NULL));
  p = nns_inspector_get_picture (inspector);
  assert_non_null (p);
  assert_int_equal (cairo_image_surface_get_width (p), 3 * 5 + 2);
  assert_int_equal (cairo_image_surface_get_height (p), 4);
  for (guint c = 0; c < 3; c++)
    for (guint y = 0; y < 4; y++)
      {
        for (guint x = 0; x < 5; x++)
          assert_int_equal (pixel (p, c * 6 + x, y),
                            expected_pixel (document, row[c * 20 + y * 5 + x], 1.0));
        if (c < 2)   /* the gap: the background, as a weight of 0 */
          assert_int_equal (pixel (p, c * 6 + 5, y), expected_pixel (document, 0, 1.0));
      }
  /* spot checks against the numbers themselves: the corners of channel 0
   * and 2 are the most negative and the most positive weights */
  assert_int_equal (pixel (p, 0, 0), expected_pixel (document, -1.0, 1.0));
  assert_int_equal (pixel (p, 16, 3), expected_pixel (document, 29.0 / 30, 1.0));
  assert_int_not_equal (pixel (p, 0, 0), pixel (p, 1, 0));

  /* the H × W form of the same 60 */
  shape = (NnsInputShape) { 2, { 6, 10 } };
  assert_true (nns_network_set_input_shape (network, &shape, NULL));
  p = nns_inspector_get_picture (inspector);
  assert_int_equal (cairo_image_surface_get_width (p), 10);
  assert_int_equal (cairo_image_surface_get_height (p), 6);
  assert_int_equal (pixel (p, 3, 2), expected_pixel (document, row[23], 1.0));

  /* undo goes back to 3 × 4 × 5, again to none */
  assert_true (nns_document_undo (document));
  assert_int_equal (cairo_image_surface_get_width (nns_inspector_get_picture (inspector)), 17);
  assert_true (nns_document_undo (document));
  assert_null (nns_inspector_get_picture (inspector));

  /* the next layer's 4 inputs make a 2 × 2 square whatever the input's shape */
  assert_true (nns_document_redo (document));
  nns_inspector_set_neuron (inspector, TRUE, 2, 0);
  p = nns_inspector_get_picture (inspector);
  assert_non_null (p);
  assert_int_equal (cairo_image_surface_get_width (p), 2);
  g_object_unref (inspector);
}

/* The float32 PyTorch holds for tensor[index] of a file of tests/weights
 * (values.tsv). */
static float
torch_value (const char *file, const char *tensor, guint index)
{
  g_autofree char *path = g_build_filename (g_getenv ("NNS_SOURCE_DIR"), "tests", "weights",
                                            "values.tsv", NULL);
  g_autofree char *contents = NULL;
  g_auto (GStrv) lines = NULL;
  g_autofree char *prefix = g_strdup_printf ("%s\t%s\t%u\t", file, tensor, index);

  assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  for (guint l = 0; lines[l] != NULL; l++)
    if (g_str_has_prefix (lines[l], prefix))
      {
        guint32 bits = (guint32) g_ascii_strtoull (lines[l] + strlen (prefix), NULL, 16);
        float v;

        memcpy (&v, &bits, sizeof v);
        return v;
      }
  fail_msg ("%s %s[%u] not in values.tsv", file, tensor, index);
  return NAN;
}

/* A real model with a BatchNorm1d and a PReLU between its Linears
 * (Linear 5 → 7, BatchNorm1d, PReLU, Linear 7 → 2: state_dict 0.*, 1.*,
 * 2.weight, 3.*): the inspector and the hover text of the second Linear
 * show 3.weight and 3.bias, not the norm's or the slope's tensors. */
static void
test_norm_prelu_numbers (void **state)
{
  g_autofree char *path = g_build_filename (g_getenv ("NNS_SOURCE_DIR"), "tests", "weights",
                                            "norm.safetensors", NULL);
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autoptr (GError) error = NULL;
  g_autoptr (NnsModelFile) file = NULL;
  g_autoptr (NnsDocument) document = nns_document_new (NULL);
  g_autoptr (NnsWeightSource) source = NULL;
  NnsInspector *inspector = NNS_INSPECTOR (g_object_ref_sink (nns_inspector_new ()));
  g_auto (GStrv) lines = NULL;
  g_autofree char *bias = NULL, *bias_text = NULL, *hover = NULL, *want_hover = NULL;
  g_autofree char *w = NULL;
  float row[7];
  g_autofree guint *order = NULL;

  assert_true (g_file_get_contents (path, &contents, &length, NULL));
  file = nns_model_file_load ((const guint8 *) contents, length, &error);
  assert_non_null (file);
  nns_document_load_model (document, file->network, file->weights, NULL, 0);
  nns_inspector_set_document (inspector, document);

  /* output neuron 2: row 1 of 3.weight, 3.bias[1] */
  nns_inspector_set_neuron (inspector, TRUE, 2, 1);
  assert_string_equal (nns_inspector_get_title (inspector), "Output neuron 2");
  bias = nns_weight_format (torch_value ("norm.safetensors", "3.bias", 1));
  bias_text = g_strdup_printf ("Bias: %s", bias);
  assert_string_equal (nns_inspector_get_bias_text (inspector), bias_text);
  for (guint k = 0; k < 7; k++)
    row[k] = torch_value ("norm.safetensors", "3.weight", 7 + k);
  order = nns_weight_sort_desc (row, 7);
  lines = nns_inspector_dup_sorted (inspector);
  assert_int_equal (g_strv_length (lines), 7);
  for (guint k = 0; k < 7; k++)
    {
      g_autofree char *v = nns_weight_format (row[order[k]]);
      g_autofree char *want = g_strdup_printf ("Hidden 1 %u: %s", order[k] + 1, v);

      assert_string_equal (lines[k], want);
    }

  /* the hover text of edge Hidden 1 neuron 3 → Output neuron 2 */
  source = nns_weight_source_new (nns_document_get_weights (document));
  hover = nns_weight_describe_edge (nns_document_get_network (document), source, 1, 2, 1);
  w = nns_weight_format (torch_value ("norm.safetensors", "3.weight", 7 + 2));
  want_hover = g_strdup_printf ("Output neuron 2 \u2190 Hidden 1 3: w = %s (weight[1, 2])", w);
  assert_string_equal (hover, want_hover);

  /* a hidden neuron: 0.bias[4] */
  nns_inspector_set_neuron (inspector, TRUE, 1, 4);
  g_free (bias);
  g_free (bias_text);
  bias = nns_weight_format (torch_value ("norm.safetensors", "0.bias", 4));
  bias_text = g_strdup_printf ("Bias: %s", bias);
  assert_string_equal (nns_inspector_get_bias_text (inspector), bias_text);
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
    cmocka_unit_test (test_shape_picture),
    cmocka_unit_test (test_norm_prelu_numbers),
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
