/* SPDX-License-Identifier: GPL-3.0-or-later */
/* .nnsketch documents, the input sniffer, and the command line end to end. */
#define G_LOG_DOMAIN "test-document"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "nns-document.h"
#include "nns-document-format.h"
#include "nns-input.h"
#include "nns-test-run.h"
#include "nns-params.h"
#include "nns-pytorch.h"

static char *
source_path (const char *relative)
{
  const char *dir = g_getenv ("NNS_SOURCE_DIR");

  assert_non_null (dir);
  return g_build_filename (dir, relative, NULL);
}

static void
load_fails (const char *data, int code, const char *message)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NnsNetwork) network = NULL;
  NnsStyle style;

  nns_style_init_default (&style);
  style.node_diameter = 77;
  network = nns_document_load_data (data, -1, &style, &error);
  if (network != NULL)
    fail_msg ("loading «%s» should fail with «%s»", data, message);
  if (!g_error_matches (error, NNS_DOCUMENT_ERROR, code))
    fail_msg ("«%s»: error %d «%s», expected %d «%s»", data, error->code, error->message, code,
              message);
  assert_string_equal (error->message, message);
  /* A failed load leaves the style alone. */
  assert_true (style.node_diameter == 77);
}

/* A document around a network object, for the error table. */
static char *
doc (const char *network_json)
{
  return g_strdup_printf ("{\"format\": \"nnsketch\", \"version\": 1, \"network\": %s}",
                          network_json);
}

static void
test_examples (void **state)
{
  static const struct { const char *file; const char *widths; guint64 total; } examples[] = {
    { "data/examples/lesson-8-4-2.nnsketch", "8,4,2", 46 },
    { "data/examples/default-10-18-20-5.nnsketch", "10,18,20,5", 683 },
    { "data/examples/mnist-784-256-128-10.nnsketch", "784,256,128,10", 235146 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (examples); i++)
    {
      g_autofree char *path = source_path (examples[i].file);
      g_autoptr (GFile) file = g_file_new_for_path (path);
      g_autoptr (GError) error = NULL;
      g_autoptr (NnsNetwork) network = NULL;
      g_autoptr (NnsNetwork) expected = NULL;
      gboolean is_document = FALSE;
      NnsStyle style, defaults;

      network = nns_input_load_file (file, &style, &is_document, NULL, &error);
      if (network == NULL)
        fail_msg ("%s", error->message);
      assert_true (is_document);
      expected = nns_network_new_from_string (examples[i].widths, NULL);
      assert_int_equal (nns_network_get_n_layers (network), nns_network_get_n_layers (expected));
      for (guint l = 0; l < nns_network_get_n_layers (network); l++)
        assert_int_equal (nns_network_get_column_width (network, l),
                          nns_network_get_column_width (expected, l));
      assert_int_equal (nns_network_count_total (network), examples[i].total);
      nns_style_init_default (&defaults);
      assert_true (nns_style_equal (&style, &defaults));
    }
}

static void
test_format (void **state)
{
  g_autoptr (NnsNetwork) network = nns_network_new_default ();
  g_autofree char *data = NULL;
  NnsStyle style;

  nns_style_init_default (&style);
  nns_network_set_activation (network, 0, NNS_ACTIVATION_RELU, NULL);
  nns_network_set_bias (network, 2, FALSE, NULL);
  nns_network_set_name (network, 1, "hid\"den\n", NULL);
  style.theme = NNS_THEME_DARK;
  style.edge_color_set = TRUE;
  style.edge_color = (NnsColor) { 1, 0, 0, 0.5 };
  style.edge_opacity = 0.3;
  data = nns_document_to_data (network, &style);

  assert_true (g_str_has_prefix (data, "{\n  \"format\": \"nnsketch\",\n  \"version\": 1,\n"));
  assert_non_null (strstr (data, "{ \"units\": 18, \"bias\": true, \"activation\": \"relu\", "
                                 "\"name\": null }"));
  assert_non_null (strstr (data, "{ \"units\": 20, \"bias\": true, \"activation\": \"none\", "
                                 "\"name\": \"hid\\\"den\\n\" }"));
  assert_non_null (strstr (data, "{ \"units\": 5, \"bias\": false"));
  /* The theme is how a figure is rendered, not part of the document. */
  assert_null (strstr (data, "theme"));
  assert_non_null (strstr (data, "\"edge_color\": \"#ff000080\""));
  assert_non_null (strstr (data, "\"node_fill\": null"));
  /* Numbers as a person writes them, not 0.29999999999999999. */
  assert_non_null (strstr (data, "\"edge_opacity\": 0.3,"));
  assert_non_null (strstr (data, "\"direction\": \"horizontal\""));
  assert_non_null (strstr (data, "\"edge_shape\": \"straight\""));
  assert_non_null (strstr (data, "\"collapse_limit\": 20,"));
  assert_true (g_str_has_suffix (data, "  }\n}\n"));
}

static void
test_errors (void **state)
{
  char big_layers[64 + 257 * 14];

  load_fails ("", NNS_DOCUMENT_ERROR_EMPTY, "the file is empty");
  load_fails (" \n\t ", NNS_DOCUMENT_ERROR_EMPTY, "the file is empty");
  load_fails ("{\"format\": \"nnsketch\",\n \"version\": 1,,}", NNS_DOCUMENT_ERROR_NOT_JSON,
              "not JSON: line 2, column 14: unexpected character `,', expected string constant");
  /* Found by the fuzzer: json-glib skips a second byte order mark and finds no value. */
  load_fails ("\xef\xbb\xbf\xef\xbb\xbf", NNS_DOCUMENT_ERROR_NOT_JSON,
              "not JSON: there is no value in it");
  load_fails ("[1, 2]", NNS_DOCUMENT_ERROR_FORMAT,
              "not a .nnsketch document: expected a JSON object, got an array");
  load_fails ("{\"version\": 1}", NNS_DOCUMENT_ERROR_FORMAT,
              "format is missing: expected “nnsketch”");
  load_fails ("{\"format\": \"keras\", \"version\": 1}", NNS_DOCUMENT_ERROR_FORMAT,
              "format: expected “nnsketch”");
  load_fails ("{\"format\": 1}", NNS_DOCUMENT_ERROR_FORMAT, "format: expected “nnsketch”");
  load_fails ("{\"format\": \"nnsketch\"}", NNS_DOCUMENT_ERROR_INVALID, "version is missing");
  load_fails ("{\"format\": \"nnsketch\", \"version\": 4, \"network\": 5}",
              NNS_DOCUMENT_ERROR_VERSION, "version 4 is newer than this NN Sketch reads (3)");
  load_fails ("{\"format\": \"nnsketch\", \"version\": 0}", NNS_DOCUMENT_ERROR_INVALID,
              "version: 0 is below 1");
  load_fails ("{\"format\": \"nnsketch\", \"version\": 9223372036854775807.0}",
              NNS_DOCUMENT_ERROR_INVALID, "version: 9223372036854775808 is above 9223372036854775807");
  load_fails ("{\"format\": \"nnsketch\", \"version\": \"1\"}", NNS_DOCUMENT_ERROR_INVALID,
              "version: expected a whole number, got a string");
  load_fails ("{\"format\": \"nnsketch\", \"version\": 1}", NNS_DOCUMENT_ERROR_INVALID,
              "network is missing");

  {
    static const struct { const char *network; const char *message; } cases[] = {
      { "[]", "network: expected an object, got an array" },
      { "{\"layers\": []}", "network.input is missing" },
      { "{\"input\": 4}", "network.layers is missing" },
      { "{\"input\": 4, \"layers\": \"many\"}", "network.layers: expected an array, got a string" },
      { "{\"input\": 4, \"layers\": {}}", "network.layers: expected an array, got an object" },
      { "{\"input\": 4, \"layers\": []}",
        "network.layers: is empty; a network needs at least one dense layer" },
      { "{\"input\": 4, \"layers\": [3]}", "network.layers[0]: expected an object, got a number" },
      { "{\"input\": 4, \"layers\": [{\"units\": 2}, {\"units\": 3}, {\"units\": 0}]}",
        "network.layers[2].units: 0 is below 1" },
      { "{\"input\": 4, \"layers\": [{\"units\": 1.5}]}",
        "network.layers[0].units: 1.5 is not a whole number" },
      { "{\"input\": 4, \"layers\": [{\"bias\": true}]}", "network.layers[0].units is missing" },
      { "{\"input\": 4, \"layers\": [{\"units\": null}]}",
        "network.layers[0].units: expected a whole number, got null" },
      { "{\"input\": 4, \"layers\": [{\"units\": true}]}",
        "network.layers[0].units: expected a whole number, got a boolean" },
      { "{\"input\": 1e300, \"layers\": [{\"units\": 1}]}", "network.input: 1e+300 is above 1000000" },
      { "{\"input\": 1e999, \"layers\": [{\"units\": 1}]}", "network.input: the number is too large" },
      { "{\"input\": -5, \"layers\": [{\"units\": 1}]}", "network.input: -5 is below 1" },
      { "{\"input\": 4, \"layers\": [{\"units\": 18446744073709551616}]}",
        "network.layers[0].units: 18446744073709551616 is above 1000000" },
      { "{\"input\": 4, \"layers\": [{\"units\": 9223372036854775808}]}",
        "network.layers[0].units: 9223372036854775808 is above 1000000" },
      { "{\"input\": -18446744073709551616, \"layers\": [{\"units\": 1}]}",
        "network.input: -18446744073709551616 is below 1" },
      { "{\"input\": 4, \"layers\": [{\"units\": 1000001}]}",
        "network.layers[0].units: 1000001 is above 1000000" },
      { "{\"input\": 4, \"layers\": [{\"units\": 2}, {\"units\": 2, \"activation\": \"swish\"}]}",
        "network.layers[1].activation: unknown activation “swish”; known: none, relu, leaky_relu, "
        "elu, gelu, silu, sigmoid, tanh, softplus, softmax, log_softmax, prelu" },
      { "{\"input\": 4, \"layers\": [{\"units\": 2, \"activation\": 3}]}",
        "network.layers[0].activation: expected a string, got a number" },
      { "{\"input\": 4, \"layers\": [{\"units\": 2, \"bias\": \"yes\"}]}",
        "network.layers[0].bias: expected true or false, got a string" },
      { "{\"input\": 4, \"layers\": [{\"units\": 2, \"name\": 7}]}",
        "network.layers[0].name: expected a string, got a number" },
      { "{\"input\": 4, \"layers\": [{\"units\": 2, \"name\": \"\\ud800x\"}]}",
        "network.layers[0].name: not valid UTF-8 text (a broken \\u escape?)" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_autofree char *data = doc (cases[i].network);

        load_fails (data, NNS_DOCUMENT_ERROR_INVALID, cases[i].message);
      }
  }

  /* 257 layers */
  strcpy (big_layers, "{\"input\": 4, \"layers\": [");
  for (guint i = 0; i < 257; i++)
    strcat (big_layers, i ? ", {\"units\": 1}" : "{\"units\": 1}");
  strcat (big_layers, "]}");
  {
    g_autofree char *data = doc (big_layers);

    load_fails (data, NNS_DOCUMENT_ERROR_INVALID, "network.layers: 257 layers is more than 256");
  }

  /* Style: a wrong type names the field; an unknown value too. */
  {
    static const struct { const char *style; const char *message; } cases[] = {
      { "[]", "style: expected an object, got an array" },
      { "{\"node_diameter\": \"big\"}", "style.node_diameter: expected a number, got a string" },
      { "{\"show_labels\": 1}", "style.show_labels: expected true or false, got a number" },
      { "{\"direction\": \"up\"}",
        "style.direction: unknown value “up”; known: horizontal, vertical" },
      { "{\"edge_shape\": false}", "style.edge_shape: expected a string, got a boolean" },
      { "{\"node_fill\": \"red\"}",
        "style.node_fill: “red” is not a colour like #rrggbb or #rrggbbaa" },
      { "{\"collapse_limit\": 2.5}", "style.collapse_limit: 2.5 is not a whole number" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_autofree char *data = g_strdup_printf ("{\"format\": \"nnsketch\", \"version\": 1, "
                                                 "\"network\": {\"input\": 1, \"layers\": "
                                                 "[{\"units\": 1}]}, \"style\": %s}",
                                                 cases[i].style);
        load_fails (data, NNS_DOCUMENT_ERROR_INVALID, cases[i].message);
      }
  }

  /* Not text at all. */
  load_fails ("{\"format\": \"nn\xffsketch\"}", NNS_DOCUMENT_ERROR_NOT_TEXT,
              "line 1: not valid UTF-8 text (byte 15)");
  {
    g_autoptr (GString) deep = g_string_new ("{\"format\": \"nnsketch\", \"a\": ");

    for (guint i = 0; i < 100000; i++)
      g_string_append_c (deep, '[');
    load_fails (deep->str, NNS_DOCUMENT_ERROR_NOT_JSON, "not JSON: line 1: nested deeper than 64 "
                                                        "levels");
  }
}

static void
test_style_lenient (void **state)
{
  const char *data =
    "\xef\xbb\xbf{\"format\": \"nnsketch\", \"version\": 1, \"extra\": {\"x\": [1]},\n"
    " \"network\": {\"input\": 3, \"comment\": \"ignored\", \"layers\": [\n"
    "   {\"units\": 5.0, \"bias\": false, \"activation\": \"Tanh\", \"name\": \"h\\u00e9\"},\n"
    "   {\"units\": 1, \"activation\": null, \"name\": \"\"}]},\n"
    " \"style\": {\"theme\": \"dark\", \"node_fill\": \"#ff000080\", \"node_border\": \"#00FF00\",\n"
    "   \"edge_color\": null, \"direction\": \"vertical\", \"edge_shape\": \"bezier\",\n"
    "   \"node_diameter\": 1e300, \"edge_width\": -4, \"collapse_limit\": 2, \"weight_seed\": "
    "4294967295, \"arrowheads\": true, \"unknown_member\": [1, 2]}}\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (NnsNetwork) network = NULL;
  NnsStyle style;

  network = nns_document_load_data (data, -1, &style, &error);
  if (network == NULL)
    fail_msg ("%s", error->message);
  assert_int_equal (nns_network_get_input (network), 3);
  assert_int_equal (nns_network_get_layer (network, 0)->units, 5);
  assert_false (nns_network_get_layer (network, 0)->bias);
  assert_int_equal (nns_network_get_layer (network, 0)->activation, NNS_ACTIVATION_TANH);
  assert_string_equal (nns_network_get_layer (network, 0)->name, "hé");
  assert_true (nns_network_get_layer (network, 1)->bias);
  assert_null (nns_network_get_layer (network, 1)->name);
  assert_int_equal (nns_network_get_layer (network, 1)->activation, NNS_ACTIVATION_NONE);

  /* A theme older documents carry still opens, and is not taken. */
  assert_int_equal (style.theme, NNS_THEME_LIGHT);
  assert_true (style.node_fill_set);
  assert_true (style.node_fill.red == 1.0 && style.node_fill.green == 0.0 &&
               style.node_fill.alpha == 128 / 255.0);
  assert_true (style.node_border_set && style.node_border.green == 1.0);
  assert_false (style.edge_color_set);
  assert_int_equal (style.direction, NNS_DIRECTION_VERTICAL);
  assert_int_equal (style.edge_shape, NNS_EDGE_BEZIER);
  /* Clamped into range, not refused. */
  assert_true (style.node_diameter == 200.0);
  assert_true (style.edge_width == 0.1);
  assert_int_equal (style.collapse_limit, 4);
  /* "weight_seed" (the style option older releases wrote, never drawn) is ignored. */
  assert_true (style.arrowheads);
  /* Unset members keep their defaults. */
  assert_true (style.show_labels);
  assert_true (style.layer_spacing == 160.0);

  /* No style at all: the defaults. */
  {
    g_autoptr (NnsNetwork) plain = NULL;
    NnsStyle defaults;

    plain = nns_document_load_data ("{\"format\": \"nnsketch\", \"version\": 1, \"network\": "
                                    "{\"input\": 2, \"layers\": [{\"units\": 1}]}}", -1, &style,
                                    &error);
    assert_non_null (plain);
    nns_style_init_default (&defaults);
    assert_true (nns_style_equal (&style, &defaults));
  }
}

static NnsNetwork *
random_network (GRand *rand)
{
  static const char *const names[] = { "fc1", "hidden layer", "héllo wörld", "a.b", "7", "tab\there",
                                       "quote\"back\\slash", "new\nline", "Ω", "" };
  guint n_layers = g_rand_int_range (rand, 0, 8) == 0 ? g_rand_int_range (rand, 1, 257)
                                                       : g_rand_int_range (rand, 1, 6);
  g_autofree guint *widths = g_new (guint, n_layers + 1);
  NnsNetwork *network;

  for (guint i = 0; i <= n_layers; i++)
    widths[i] = g_rand_int_range (rand, 0, 10) == 0 ? g_rand_int_range (rand, 1, 1000001)
                                                    : g_rand_int_range (rand, 1, 100);
  network = nns_network_new (widths, n_layers + 1, NULL);
  for (guint i = 0; i < n_layers; i++)
    {
      nns_network_set_bias (network, i, g_rand_boolean (rand), NULL);
      nns_network_set_activation (network, i, g_rand_int_range (rand, 0, NNS_N_ACTIVATIONS), NULL);
      if (g_rand_int_range (rand, 0, 3) == 0)
        nns_network_set_name (network, i, names[g_rand_int_range (rand, 0, G_N_ELEMENTS (names))],
                              NULL);
    }
  return network;
}

static NnsColor
random_color (GRand *rand)
{
  /* Colours are stored as bytes: draw them as bytes. */
  return (NnsColor) { g_rand_int_range (rand, 0, 256) / 255.0, g_rand_int_range (rand, 0, 256) / 255.0,
                      g_rand_int_range (rand, 0, 256) / 255.0, g_rand_int_range (rand, 0, 256) / 255.0 };
}

static void
random_style (GRand *rand, NnsStyle *style)
{
  nns_style_init_default (style);
  style->node_diameter = g_rand_double_range (rand, 0, 250);
  style->node_border_width = g_rand_double_range (rand, 0, 25);
  style->node_fill_set = g_rand_boolean (rand);
  style->node_fill = random_color (rand);
  style->node_border_set = g_rand_boolean (rand);
  style->node_border = random_color (rand);
  style->edge_color_set = g_rand_boolean (rand);
  style->edge_color = random_color (rand);
  style->edge_width = g_rand_boolean (rand) ? g_rand_double_range (rand, 0, 25)
                                            : g_rand_int_range (rand, 1, 20) / 10.0;
  style->edge_opacity = g_rand_double (rand);
  style->layer_spacing = g_rand_double_range (rand, 0, 3000);
  style->node_spacing = g_rand_int_range (rand, 0, 500);
  style->direction = g_rand_int_range (rand, 0, 2);
  style->show_labels = g_rand_boolean (rand);
  style->edge_shape = g_rand_int_range (rand, 0, 2);
  style->arrowheads = g_rand_boolean (rand);
  style->show_bias_nodes = g_rand_boolean (rand);
  style->weight_colors = g_rand_boolean (rand);
  style->layer_colors = g_rand_boolean (rand);
  style->collapse_limit = g_rand_int_range (rand, 0, 2000);
  style->show_all_neurons = g_rand_boolean (rand);
  nns_style_clamp (style);
}

/* Hundreds of generated networks and styles through both text formats. */
static void
test_round_trips (void **state)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (5);
  g_autofree char *dir = g_dir_make_tmp ("nns-test-document-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "network.nnsketch", NULL);
  guint big = 0;

  assert_non_null (dir);
  for (guint n = 0; n < 300; n++)
    {
      g_autoptr (NnsNetwork) network = random_network (rand);
      g_autoptr (NnsNetwork) back = NULL;
      g_autoptr (NnsNetwork) from_file = NULL;
      g_autoptr (NnsNetwork) from_code = NULL;
      g_autoptr (NnsNetwork) unnamed = NULL;
      g_autoptr (GError) error = NULL;
      g_autofree char *data = NULL;
      g_autofree char *contents = NULL;
      g_autofree char *code = NULL;
      gboolean is_document = FALSE;
      NnsStyle style, style_back, style_file;

      random_style (rand, &style);
      data = nns_document_to_data (network, &style);
      back = nns_document_load_data (data, -1, &style_back, &error);
      if (back == NULL)
        fail_msg ("%s\n%s", error->message, data);
      assert_true (nns_network_equal (network, back));
      assert_true (nns_style_equal (&style, &style_back));

      /* Saved to a file, read through the sniffer. */
      assert_true (nns_document_save (network, &style, path, &error));
      assert_true (g_file_get_contents (path, &contents, NULL, NULL));
      assert_string_equal (contents, data);
      from_file = nns_input_load_data (contents, -1, &style_file, &is_document, NULL, &error);
      assert_non_null (from_file);
      assert_true (is_document);
      assert_true (nns_network_equal (network, from_file));
      assert_true (nns_style_equal (&style, &style_file));

      /* And as PyTorch code: names only where they can be OrderedDict keys. */
      code = nns_pytorch_export (network);
      from_code = nns_input_load_data (code, -1, NULL, &is_document, NULL, &error);
      if (from_code == NULL)
        fail_msg ("%s\n%s", error->message, code);
      assert_false (is_document);
      unnamed = nns_network_copy (network);
      if (!g_str_has_prefix (code, "from collections import OrderedDict"))
        for (guint i = 0; i < nns_network_get_n_layers (unnamed); i++)
          nns_network_set_name (unnamed, i, NULL, NULL);
      assert_true (nns_network_equal (unnamed, from_code));
      assert_true (nns_network_count_total (network) == nns_network_count_total (from_code));
      big += nns_network_get_n_layers (network) > 6;
    }
  assert_true (big > 10);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_save_atomic (void **state)
{
  g_autofree char *dir = g_dir_make_tmp ("nns-test-save-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "a.nnsketch", NULL);
  g_autofree char *missing = g_build_filename (dir, "no", "such", "a.nnsketch", NULL);
  g_autoptr (NnsNetwork) first = nns_network_new_default ();
  g_autoptr (NnsNetwork) second = nns_network_new_from_string ("8,4,2", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GDir) listing = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *expected = nns_document_to_data (second, NULL);
  const char *entry;
  guint n_entries = 0;

  assert_true (nns_document_save (first, NULL, path, &error));
  assert_true (nns_document_save (second, NULL, path, &error));
  assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  assert_string_equal (contents, expected);
  /* No temporary file left beside it. */
  listing = g_dir_open (dir, 0, NULL);
  while ((entry = g_dir_read_name (listing)) != NULL)
    {
      assert_string_equal (entry, "a.nnsketch");
      n_entries++;
    }
  assert_int_equal (n_entries, 1);

  /* A folder that does not exist: an error that names the file, nothing written. */
  assert_false (nns_document_save (first, NULL, missing, &error));
  assert_true (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT));
  assert_non_null (strstr (error->message, "a.nnsketch"));
  assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_input_sniffing (void **state)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NnsNetwork) network = NULL;
  g_autofree char *notes = NULL;
  gboolean is_document = TRUE;
  NnsStyle style;

  /* PyTorch text: the style is not touched, notes come through. */
  nns_style_init_default (&style);
  style.node_diameter = 55;
  network = nns_input_load_data ("\n  nn.Sequential(nn.Linear(8, 4), nn.Dropout(0.1), nn.ReLU(), "
                                 "nn.Linear(4, 2))", -1, &style, &is_document, &notes, &error);
  assert_non_null (network);
  assert_false (is_document);
  assert_true (style.node_diameter == 55);
  assert_int_equal (nns_network_count_total (network), 46);
  assert_null (notes);
  assert_true (nns_network_get_layer (network, 0)->dropout == 0.1);
  g_clear_object (&network);
  g_clear_pointer (&notes, g_free);

  /* A document after blank space and a byte order mark. */
  network = nns_input_load_data ("\xef\xbb\xbf \n{\"format\": \"nnsketch\", \"version\": 1, "
                                 "\"network\": {\"input\": 10, \"layers\": [{\"units\": 18}, "
                                 "{\"units\": 20}, {\"units\": 5}]}}", -1, &style, &is_document,
                                 &notes, &error);
  assert_non_null (network);
  assert_true (is_document);
  assert_null (notes);
  assert_true (style.node_diameter == 24);
  assert_int_equal (nns_network_count_total (network), 683);
  g_clear_object (&network);

  /* UTF-16 with and without a byte order mark, as PowerShell's "> file" writes it. */
  {
    static const char text[] = "Sequential(\n  (0): Linear(in_features=3, out_features=4, bias=True)\n)\n";
    g_autofree char *utf16 = NULL;
    gsize length = 0;

    utf16 = g_convert (text, -1, "UTF-16LE", "UTF-8", NULL, &length, NULL);
    assert_non_null (utf16);
    network = nns_input_load_data (utf16, length, NULL, NULL, NULL, &error);
    assert_non_null (network);
    assert_int_equal (nns_network_count_total (network), 16);
    g_clear_object (&network);
    g_free (utf16);
    utf16 = g_convert ("\xef\xbb\xbfnn.Linear(3, 4)", -1, "UTF-16BE", "UTF-8", NULL, &length, NULL);
    network = nns_input_load_data (utf16, length, NULL, NULL, NULL, &error);
    assert_non_null (network);
    assert_int_equal (nns_network_count_total (network), 16);
    g_clear_object (&network);
  }

  /* Length is honoured: the text need not end in a NUL. */
  network = nns_input_load_data ("nn.Sequential(nn.Linear(8, 4))GARBAGE", 30, NULL, NULL, NULL,
                                 &error);
  assert_non_null (network);
  g_clear_object (&network);

  {
    static const struct { const char *data; gssize length; const char *message; } cases[] = {
      { "", 0, "the file is empty" },
      { "  \r\n\t", -1, "the file is empty" },
      { "\x7f" "ELF\x02\x01\x01\0\0\0", 10,
        "not a .nnsketch document or PyTorch text (it holds binary data)" },
      { "nn.Sequential(\0nn.Linear(1, 2))", 31,
        "not a .nnsketch document or PyTorch text (it holds binary data)" },
      { "Sequential(\n  (0): Linear(in_features=\xe9, out_features=1)\n)", -1,
        "line 2: not valid UTF-8 text (byte 39)" },
      { "just some words", -1,
        "not PyTorch: expected nn.Sequential(…), a class based on nn.Module or the print(model) "
        "text" },
      { "{\"format\": tru}", -1, "not JSON: line 1, column 14: unexpected identifier `tru', "
                                 "expected value" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_clear_error (&error);
        network = nns_input_load_data (cases[i].data, cases[i].length, NULL, &is_document, NULL,
                                       &error);
        assert_null (network);
        assert_non_null (error);
        assert_string_equal (error->message, cases[i].message);
      }
  }
}

static void
test_load_file (void **state)
{
  g_autofree char *dir = g_dir_make_tmp ("nns-test-file-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "bad.txt", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GError) error = NULL;
  g_autoptr (NnsNetwork) network = NULL;
  g_autofree char *expected = NULL;

  network = nns_input_load_file (file, NULL, NULL, NULL, &error);
  assert_null (network);
  assert_true (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND));
  assert_true (g_str_has_prefix (error->message, path));

  /* A damaged document is called one, not "not PyTorch". */
  {
    g_autofree char *doc = g_build_filename (dir, "broken.nnsketch", NULL);
    g_autoptr (GFile) doc_file = g_file_new_for_path (doc);
    g_autoptr (GError) doc_error = NULL;
    g_autofree char *doc_expected = NULL;

    assert_true (g_file_set_contents (doc, "garbage garbage", -1, NULL));
    assert_null (nns_input_load_file (doc_file, NULL, NULL, NULL, &doc_error));
    doc_expected = g_strdup_printf ("%s: not a .nnsketch document (a document is JSON, starting "
                                    "with “{”); the file may be damaged", doc);
    assert_string_equal (doc_error->message, doc_expected);
    g_unlink (doc);
  }
  g_clear_error (&error);

  assert_true (g_file_set_contents (path, "nn.Sequential(\n nn.Linear(2, 3),\n nn.Conv2d(3, 3, 3))",
                                    -1, NULL));
  network = nns_input_load_file (file, NULL, NULL, NULL, &error);
  assert_null (network);
  expected = g_strdup_printf ("%s: line 3: Conv2d has parameters and is not a dense layer; NN "
                              "Sketch draws only Linear layers (with BatchNorm1d, LayerNorm, PReLU, "
                              "activations and dropout)", path);
  assert_string_equal (error->message, expected);
  g_unlink (path);
  g_rmdir (dir);
}

/* ------------------------------------------------------------------ the command line */

static char *
write_temp (const char *dir, const char *name, const char *contents)
{
  char *path = g_build_filename (dir, name, NULL);

  assert_true (g_file_set_contents (path, contents, -1, NULL));
  return path;
}

static const char lesson_code[] =
  "import torch.nn as nn\n"
  "model = nn.Sequential(\n"
  "    nn.Linear(10, 18),\n"
  "    nn.ReLU(),\n"
  "    nn.Dropout(p=0.5),\n"
  "    nn.Linear(18, 20),\n"
  "    nn.ReLU(),\n"
  "    nn.Linear(20, 5),\n"
  ")\n";

static void
test_cli_summary (void **state)
{
  g_autofree char *dir = g_dir_make_tmp ("nns-test-cli-XXXXXX", NULL);
  g_autofree char *model = write_temp (dir, "model.txt", lesson_code);
  g_autofree char *bad = write_temp (dir, "bad.txt", "Sequential(\n  (0): Linear(in_features=4, "
                                     "out_features=3, bias=True)\n  (1): BatchNorm1d(4)\n)\n");
  g_autofree char *empty = write_temp (dir, "empty.nnsketch", "");
  g_autofree char *expected = NULL;
  NnsRun run;

  run = nns_test_run (NULL, model, "--summary", NULL);
  assert_int_equal (run.status, 0);
  assert_non_null (strstr (run.out, "Total: 683 parameters"));
  /* Dropout is kept with its layer: no note. */
  assert_string_equal (run.err, "");
  nns_test_run_clear (&run);

  run = nns_test_run (lesson_code, "-", "--summary", NULL);
  assert_int_equal (run.status, 0);
  assert_non_null (strstr (run.out, "Total: 683 parameters"));
  assert_string_equal (run.err, "");
  nns_test_run_clear (&run);

  run = nns_test_run ("", "-", "--summary", NULL);
  assert_int_equal (run.status, 1);
  assert_string_equal (run.out, "");
  assert_string_equal (run.err, "nnsketch: error: stdin: the file is empty\n");
  nns_test_run_clear (&run);

  g_clear_pointer (&expected, g_free);
  run = nns_test_run (NULL, bad, "--summary", NULL);
  assert_int_equal (run.status, 1);
  assert_string_equal (run.out, "");
  expected = g_strdup_printf ("nnsketch: error: %s: line 3: BatchNorm1d expects 3 features, got "
                              "4\n", bad);
  assert_string_equal (run.err, expected);
  nns_test_run_clear (&run);

  g_clear_pointer (&expected, g_free);
  run = nns_test_run (NULL, empty, "--summary", NULL);
  assert_int_equal (run.status, 1);
  expected = g_strdup_printf ("nnsketch: error: %s: the file is empty\n", empty);
  assert_string_equal (run.err, expected);
  nns_test_run_clear (&run);

  g_unlink (model);
  g_unlink (bad);
  g_unlink (empty);
  g_rmdir (dir);
}

/* Export formats come from nns_export_format_from_path () (nns-export.h). */

static void
cli_export (void)
{
  g_autofree char *dir = g_dir_make_tmp ("nns-test-cli-XXXXXX", NULL);
  g_autofree char *model = write_temp (dir, "model.txt", lesson_code);
  g_autofree char *bad = write_temp (dir, "bad.txt", "nn.Sequential(\n nn.Linear(10, 18),\n"
                                     " nn.Linear(19, 2))\n");
  g_autofree char *py = g_build_filename (dir, "x.py", NULL);
  g_autofree char *doc_path = g_build_filename (dir, "x.nnsketch", NULL);
  g_autofree char *bad_out = g_build_filename (dir, "never.nnsketch", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *export_arg = NULL;
  g_autofree char *expected = NULL;
  g_autoptr (NnsNetwork) from_py = NULL;
  g_autoptr (NnsNetwork) from_doc = NULL;
  g_autoptr (NnsNetwork) original = NULL;
  g_autoptr (GError) error = NULL;
  NnsRun run;

  original = nns_pytorch_import (lesson_code, NULL, NULL);
  export_arg = g_strconcat ("--export-filename=", py, NULL);
  run = nns_test_run (NULL, model, export_arg, NULL);
  assert_int_equal (run.status, 0);
  nns_test_run_clear (&run);
  assert_true (g_file_get_contents (py, &contents, NULL, NULL));
  assert_non_null (strstr (contents, "# 683 parameters"));
  from_py = nns_pytorch_import (contents, NULL, &error);
  assert_non_null (from_py);
  assert_true (nns_network_equal (original, from_py));

  g_clear_pointer (&export_arg, g_free);
  g_clear_pointer (&contents, g_free);
  export_arg = g_strconcat ("--export-filename=", doc_path, NULL);
  run = nns_test_run (lesson_code, "-", export_arg, "--theme=dark", NULL);
  assert_int_equal (run.status, 0);
  nns_test_run_clear (&run);
  {
    NnsStyle style;

    assert_true (g_file_get_contents (doc_path, &contents, NULL, NULL));
    from_doc = nns_document_load_data (contents, -1, &style, &error);
    assert_non_null (from_doc);
    assert_true (nns_network_equal (original, from_doc));
    /* --theme=dark rendered nothing here: the document has no theme. */
    assert_int_equal (style.theme, NNS_THEME_LIGHT);
    assert_null (strstr (contents, "theme"));
  }

  /* A bad input: exit 1, one line naming file and problem, no output file. */
  g_clear_pointer (&export_arg, g_free);
  export_arg = g_strconcat ("--export-filename=", bad_out, NULL);
  run = nns_test_run (NULL, bad, export_arg, NULL);
  assert_int_equal (run.status, 1);
  expected = g_strdup_printf ("nnsketch: error: %s: line 3: Linear expects in_features=18, got 19\n",
                              bad);
  assert_string_equal (run.err, expected);
  assert_false (g_file_test (bad_out, G_FILE_TEST_EXISTS));
  nns_test_run_clear (&run);

  g_unlink (model);
  g_unlink (bad);
  g_unlink (py);
  g_unlink (doc_path);
  g_rmdir (dir);
}

static void
test_cli_export (void **state)
{
  cli_export ();
}

/* Norms, PReLU, dropout and shared layers: version 2, read back exactly;
 * a network without them stays version 1. */
static void
test_layer_extras (void **state)
{
  g_autoptr (NnsNetwork) network = nns_network_new ((const guint[]) { 8, 16, 16, 4 }, 4, NULL);
  g_autoptr (NnsNetwork) back = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *data = NULL;
  g_autofree char *plain = NULL;
  NnsLayerExtras extras = { NNS_NORM_BATCH, TRUE, TRUE, TRUE, FALSE, 0.25 };

  plain = nns_document_to_data (network, NULL);
  assert_non_null (strstr (plain, "\"version\": 1,"));

  assert_true (nns_network_set_extras (network, 0, &extras, NULL));
  extras = (NnsLayerExtras) { NNS_NORM_LAYER, TRUE, FALSE, FALSE, TRUE, 0 };
  assert_true (nns_network_set_extras (network, 1, &extras, NULL));
  assert_true (nns_network_set_activation (network, 1, NNS_ACTIVATION_PRELU, NULL));
  assert_true (nns_network_set_shared (network, 1, 0, NULL) == FALSE);   /* 8 → 16 is not 16 → 16 */
  g_clear_object (&network);

  network = nns_network_new ((const guint[]) { 16, 16, 16, 4 }, 4, NULL);
  extras = (NnsLayerExtras) { NNS_NORM_BATCH, TRUE, TRUE, TRUE, FALSE, 0.25 };
  assert_true (nns_network_set_extras (network, 0, &extras, NULL));
  extras = (NnsLayerExtras) { NNS_NORM_LAYER, TRUE, FALSE, FALSE, TRUE, 0 };
  assert_true (nns_network_set_extras (network, 1, &extras, NULL));
  assert_true (nns_network_set_activation (network, 1, NNS_ACTIVATION_PRELU, NULL));
  assert_true (nns_network_set_shared (network, 1, 0, NULL));
  /* 272 + BatchNorm1d 32; the shared Linear 0 + LayerNorm 16 + PReLU 16; 68 */
  assert_int_equal (nns_network_count_total (network), 272 + 32 + 16 + 16 + 68);

  nns_network_set_input_name (network, "x ∈ ℝ¹⁶");
  data = nns_document_to_data (network, NULL);
  assert_non_null (strstr (data, "\"version\": 2,"));
  assert_non_null (strstr (data, "\"input_name\": \"x ∈ ℝ¹⁶\""));
  back = nns_document_load_data (data, -1, NULL, &error);
  if (back == NULL)
    fail_msg ("%s\n%s", error->message, data);
  assert_true (nns_network_equal (network, back));
  assert_int_equal (nns_network_count_total (back), nns_network_count_total (network));
  g_clear_object (&back);

  /* A sharing that does not hold is refused by its place. */
  {
    g_autofree char *bad = g_strdup (data);
    char *at = strstr (bad, "\"shares\": 1");

    assert_non_null (at);
    at[strlen ("\"shares\": ")] = '3';
    back = nns_document_load_data (bad, -1, NULL, &error);
    assert_null (back);
    assert_string_equal (error->message, "network.layers[1].shares: layer 3 has another width or "
                                         "bias, or comes later");
    g_clear_error (&error);
  }
  back = nns_document_load_data ("{\"format\": \"nnsketch\", \"version\": 2, \"network\": "
                                 "{\"input\": 4, \"layers\": [{\"units\": 2, \"dropout\": 1.5}]}}",
                                 -1, NULL, &error);
  assert_null (back);
  assert_string_equal (error->message, "network.layers[0].dropout: 1.5 is outside 0 … 1");
}

/* The input's shape is saved as "input_shape" (a version 2 member: older
 * releases that read version 2 ignore it), read back, refused by name when
 * it does not hold the width; files without it open without one. With
 * weights and through the document object it comes back too, and its edit
 * is one undo step. */
static void
test_input_shape (void **state)
{
  g_autoptr (NnsNetwork) network = nns_network_new ((const guint[]) { 60, 4, 2 }, 3, NULL);
  g_autoptr (NnsNetwork) back = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *data = NULL;
  g_autofree char *plain = NULL;
  NnsInputShape shape = { 3, { 3, 4, 5 } }, got;

  plain = nns_document_to_data (network, NULL);
  assert_non_null (strstr (plain, "\"version\": 1,"));
  assert_null (strstr (plain, "input_shape"));
  assert_true (nns_network_set_input_shape (network, &shape, NULL));
  data = nns_document_to_data (network, NULL);
  assert_non_null (strstr (data, "\"version\": 2,"));
  assert_non_null (strstr (data, "    \"input_shape\": [3, 4, 5],\n"));
  back = nns_document_load_data (data, -1, NULL, &error);
  assert_non_null (back);
  assert_true (nns_network_equal (network, back));
  nns_network_get_input_shape (back, &got);
  assert_true (nns_input_shape_equal (&got, &shape));
  g_clear_object (&back);

  /* an old file (no member) has no shape */
  back = nns_document_load_data (plain, -1, NULL, &error);
  assert_non_null (back);
  nns_network_get_input_shape (back, &got);
  assert_int_equal (got.n_dims, 0);
  g_clear_object (&back);

  /* with weights (version 3) */
  {
    g_autoptr (NnsWeights) weights = nns_weights_new_init (network, 3);
    g_autoptr (NnsWeights) weights_back = NULL;
    g_autofree char *v3 = nns_document_to_data_with_weights (network, weights, NULL);

    assert_non_null (strstr (v3, "\"version\": 3,"));
    back = nns_document_load_data_with_weights (v3, -1, NULL, &weights_back, &error);
    assert_non_null (back);
    assert_true (nns_network_equal (network, back));
    assert_true (nns_weights_equal (weights, weights_back));
    g_clear_object (&back);
  }

  /* refused by name */
  {
    static const struct { const char *member, *message; } bad[] = {
      { "[3, 4, 6]", "network.input_shape: Shape 3 × 4 × 6 holds 72 values, but the input is 60 wide" },
      { "[60]", "network.input_shape: give 2 or 3 sizes ([H, W] or [C, H, W]), not 1" },
      { "[1, 3, 4, 5]", "network.input_shape: give 2 or 3 sizes ([H, W] or [C, H, W]), not 4" },
      { "[3, 0, 20]", "network.input_shape[1]: 0 is below 1" },
      { "[3, 4.5, 5]", "network.input_shape[1]: 4.5 is not a whole number" },
      { "\"3x4x5\"", "network.input_shape: expected an array, got a string" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autofree char *text = g_strdup_printf ("{\"format\": \"nnsketch\", \"version\": 2, "
                                                 "\"network\": {\"input\": 60, \"input_shape\": %s, "
                                                 "\"layers\": [{\"units\": 2}]}}", bad[i].member);

        back = nns_document_load_data (text, -1, NULL, &error);
        assert_null (back);
        assert_string_equal (error->message, bad[i].message);
        g_clear_error (&error);
      }
  }

  /* the document: an undoable edit that keeps the weights, saved and loaded */
  {
    g_autoptr (NnsDocument) document = nns_document_new (NULL);
    NnsNetwork *net = nns_document_get_network (document);
    NnsWeights *before;

    assert_true (nns_network_set_input (net, 60, NULL));
    before = nns_document_get_weights (document);
    assert_true (nns_network_set_input_shape (net, &shape, NULL));
    assert_true (nns_document_get_weights (document) == before);
    assert_true (nns_document_get_can_undo (document));
    assert_true (nns_document_undo (document));
    nns_network_get_input_shape (net, &got);
    assert_int_equal (got.n_dims, 0);
    assert_int_equal (nns_network_get_input (net), 60);
    assert_true (nns_document_redo (document));
    nns_network_get_input_shape (net, &got);
    assert_true (nns_input_shape_equal (&got, &shape));
    /* the width edit that drops it is one step: undo brings both back */
    assert_true (nns_network_set_input (net, 61, NULL));
    nns_network_get_input_shape (net, &got);
    assert_int_equal (got.n_dims, 0);
    assert_true (nns_document_undo (document));
    nns_network_get_input_shape (net, &got);
    assert_true (nns_input_shape_equal (&got, &shape));
    assert_int_equal (nns_network_get_input (net), 60);
  }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_examples),
    cmocka_unit_test (test_format),
    cmocka_unit_test (test_errors),
    cmocka_unit_test (test_style_lenient),
    cmocka_unit_test (test_round_trips),
    cmocka_unit_test (test_layer_extras),
    cmocka_unit_test (test_input_shape),
    cmocka_unit_test (test_save_atomic),
    cmocka_unit_test (test_input_sniffing),
    cmocka_unit_test (test_load_file),
    cmocka_unit_test (test_cli_summary),
    cmocka_unit_test (test_cli_export),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
