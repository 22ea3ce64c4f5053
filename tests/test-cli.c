/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The command line itself, run as a process: exit status, stdout, stderr. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cairo.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <stdlib.h>
#include <string.h>

#include "nns-test-run.h"

static void
test_summary_text (void **state)
{
  static const struct { const char *layers; const char *total; } cases[] = {
    { "--layers=8,4,2", "Total: 46 parameters · 184 bytes" },
    { "--layers=10,18,20,5", "Total: 683 parameters · 2.7 kB" },
    { "--layers=784,256,128,10", "Total: 235,146 parameters · 940.6 kB" },
    { "--layers= 10, 18 ,20 , 5 ", "Total: 683 parameters · 2.7 kB" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      NnsRun run = nns_test_run (NULL, "--summary", cases[i].layers, NULL);

      assert_int_equal (run.status, 0);
      assert_string_equal (run.err, "");
      assert_non_null (strstr (run.out, cases[i].total));
      nns_test_run_clear (&run);
    }
}

static void
test_summary_rows (void **state)
{
  NnsRun run = nns_test_run (NULL, "--summary", "--layers=10,18,20,5", NULL);
  g_auto (GStrv) lines = g_strsplit (run.out, "\n", -1);
  guint rows = 0;

  assert_int_equal (run.status, 0);
  for (guint i = 0; lines[i]; i++)
    if (strstr (lines[i], "(Linear)"))
      {
        rows++;
        if (rows == 2)
          {
            /* kind, in → out, weights, biases, parameters */
            assert_non_null (strstr (lines[i], "Hidden 2 (Linear)"));
            assert_non_null (strstr (lines[i], "18 → 20"));
            assert_non_null (strstr (lines[i], "360"));
            assert_non_null (strstr (lines[i], "380"));
          }
      }
  assert_int_equal (rows, 3);
  nns_test_run_clear (&run);

  /* The default network, when nothing else is given, is the lesson's. */
  run = nns_test_run (NULL, "--summary", NULL);
  assert_int_equal (run.status, 0);
  assert_non_null (strstr (run.out, "683 parameters"));
  nns_test_run_clear (&run);
}

static void
test_summary_json (void **state)
{
  NnsRun run = nns_test_run (NULL, "--summary", "--json", "--layers=8,4,2", NULL);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  JsonObject *root, *layer;
  JsonArray *layers;

  assert_int_equal (run.status, 0);
  assert_true (json_parser_load_from_data (parser, run.out, -1, &error));
  root = json_node_get_object (json_parser_get_root (parser));
  assert_int_equal (json_node_get_value_type (json_object_get_member (root, "total")), G_TYPE_INT64);
  assert_int_equal (json_object_get_int_member (root, "total"), 46);
  assert_int_equal (json_object_get_int_member (root, "input"), 8);
  assert_int_equal (json_object_get_int_member (root, "fp32_bytes"), 184);
  layers = json_object_get_array_member (root, "layers");
  assert_int_equal (json_array_get_length (layers), 2);
  layer = json_array_get_object_element (layers, 0);
  assert_int_equal (json_object_get_int_member (layer, "in_features"), 8);
  assert_int_equal (json_object_get_int_member (layer, "out_features"), 4);
  assert_int_equal (json_object_get_int_member (layer, "weights"), 32);
  assert_int_equal (json_object_get_int_member (layer, "biases"), 4);
  assert_int_equal (json_object_get_int_member (layer, "parameters"), 36);
  assert_string_equal (json_object_get_string_member (layer, "kind"), "hidden");
  layer = json_array_get_object_element (layers, 1);
  assert_int_equal (json_object_get_int_member (layer, "parameters"), 10);
  assert_string_equal (json_object_get_string_member (layer, "kind"), "output");
  nns_test_run_clear (&run);
}

static void
test_layers_errors (void **state)
{
  static const struct { const char *arg; const char *needle; } cases[] = {
    { "--layers=", "--layers is empty" },
    { "--layers=  ", "--layers is empty" },
    { "--layers=5", "“5” is only an input width" },
    { "--layers=10,0,5", "item 2, “0”, is outside 1 … 1,000,000" },
    { "--layers=10,-3,5", "item 2, “-3”, is outside" },
    { "--layers=10,abc,5", "item 2, “abc”, is not a whole number" },
    { "--layers=10,1.5,5", "item 2, “1.5”, is not a whole number" },
    { "--layers=10,,5", "item 2 is empty" },
    { "--layers=10,18,", "item 3 is empty" },
    { "--layers=,10,18", "item 1 is empty" },
    { "--layers=10,1000001", "item 2, “1000001”, is outside" },
    { "--layers=10,99999999999999999999999", "item 2, “99999999999999999999999”, is outside" },
    { "--layers=1 0,5", "item 1, “1 0”, is not a whole number" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      NnsRun run = nns_test_run (NULL, "--summary", cases[i].arg, NULL);

      nns_test_assert_error (&run, cases[i].needle);
      nns_test_run_clear (&run);
    }
}

static void
test_layers_too_many (void **state)
{
  GString *arg = g_string_new ("--layers=4");
  g_autofree char *text = NULL;
  NnsRun run;

  for (guint i = 0; i < 256; i++)
    g_string_append (arg, ",3");
  run = nns_test_run (NULL, "--summary", arg->str, NULL);
  assert_int_equal (run.status, 0);
  assert_non_null (strstr (run.out, "Hidden 255 (Linear)"));
  nns_test_run_clear (&run);

  g_string_append (arg, ",3");
  text = g_string_free (arg, FALSE);
  run = nns_test_run (NULL, "--summary", text, NULL);
  nns_test_assert_error (&run, "257 dense layers is more than 256");
  nns_test_run_clear (&run);
}

static void
test_option_errors (void **state)
{
  static const struct { const char *a; const char *b; const char *needle; } cases[] = {
    { "--json", NULL, "--json goes with --summary" },
    { "--summary", "--export-scale=9", "--export-scale=9 is outside 1 … 8" },
    { "--summary", "--export-scale=0", "--export-scale=0 is outside 1 … 8" },
    { "--summary", "--export-width=0", "--export-width=0 is outside" },
    { "--summary", "--export-height=-4", "--export-height=-4 is outside" },
    { "--summary", "--export-width=999999999", "--export-width=999999999 is outside" },
    { "--summary", "--export-width=32768", "--export-width=32768 is outside 1 … 32767" },
    { "--summary", "--export-width=wide", "wide" },
    { "--summary", "--theme=blue", "--theme=blue: use light or dark" },
    { "--summary", "--export-background=red", "--export-background=red: use transparent or white" },
    { "--summary", "--no-such-option", "--no-such-option" },
    { "--layers=8,4,2", "missing.nnsketch", "not both" },
    { "--summary", "/no/such/file.nnsketch", "/no/such/file.nnsketch: No such file or directory" },
    { "--summary", "/dev/zero", "/dev/zero: larger than 16 MB" },
    { "--summary", "/", "/: Is a directory" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      NnsRun run = nns_test_run (NULL, cases[i].a, cases[i].b, NULL);

      nns_test_assert_error (&run, cases[i].needle);
      nns_test_run_clear (&run);
    }
}

static void
test_no_display (void **state)
{
  NnsRun run = nns_test_run (NULL, "--layers=8,4,2", NULL);

  nns_test_assert_error (&run, "no display");
  assert_non_null (strstr (run.err, "--export-filename"));
  nns_test_run_clear (&run);
}

static void
test_version_and_help (void **state)
{
  NnsRun run = nns_test_run (NULL, "--version", NULL);

  assert_int_equal (run.status, 0);
  assert_true (g_str_has_prefix (run.out, "nnsketch "));
  nns_test_run_clear (&run);

  run = nns_test_run (NULL, "--help", NULL);
  assert_int_equal (run.status, 0);
  for (const char *const *option = (const char *const[]) { "--layers", "--summary", "--json",
         "--export-filename", "--export-width", "--export-height", "--export-scale",
         "--export-background", "--theme", "--show-all-neurons", NULL };
       *option; option++)
    assert_non_null (strstr (run.out, *option));
  /* Every option is shown in use, in the examples. */
  {
    const char *examples = strstr (run.out, "Examples:");

    assert_non_null (examples);
    for (const char *const *option = (const char *const[]) { "--layers=", "--summary", "--json",
           "--export-filename=", "--export-width=", "--export-height=", "--export-scale=",
           "--export-background=", "--theme=", "--show-all-neurons", NULL };
         *option; option++)
      assert_non_null (strstr (examples, *option));
  }
  nns_test_run_clear (&run);
}

/* Pixels in the top half of an exported PNG (the edges and nodes, above the
 * caption and the legend's colour bars) whose red and blue differ by more
 * than 60: the weight colours (the plain drawing is grey). */
static guint
n_coloured (const char *png)
{
  cairo_surface_t *s = cairo_image_surface_create_from_png (png);
  const guint8 *data;
  guint n = 0;

  assert_int_equal (cairo_surface_status (s), CAIRO_STATUS_SUCCESS);
  data = cairo_image_surface_get_data (s);
  for (int y = 0; y < cairo_image_surface_get_height (s) / 2; y++)
    for (int x = 0; x < cairo_image_surface_get_width (s); x++)
      {
        guint32 v = *(const guint32 *) (data + y * cairo_image_surface_get_stride (s) + 4 * x);

        if (abs ((int) ((v >> 16) & 0xff) - (int) (v & 0xff)) > 60)
          n++;
      }
  cairo_surface_destroy (s);
  return n;
}

/* A document coloured by its weights exports in the weight colours (the
 * initial weights, made for it), a plain one without them. */
static void
test_export_weight_colors (void **state)
{
  g_autofree char *dir = g_dir_make_tmp ("test-cli-XXXXXX", NULL);
  g_autofree char *doc = g_build_filename (dir, "w.nnsketch", NULL);
  g_autofree char *plain = g_build_filename (dir, "plain.png", NULL);
  g_autofree char *coloured = g_build_filename (dir, "coloured.png", NULL);
  g_autofree char *doc_arg = g_strconcat ("--export-filename=", doc, NULL);
  g_autofree char *plain_arg = g_strconcat ("--export-filename=", plain, NULL);
  g_autofree char *coloured_arg = g_strconcat ("--export-filename=", coloured, NULL);
  g_autofree char *text = NULL;
  g_autoptr (GString) edited = NULL;
  NnsRun run = nns_test_run (NULL, "--layers=6,5,3", doc_arg, NULL);

  assert_int_equal (run.status, 0);
  nns_test_run_clear (&run);
  assert_true (g_file_get_contents (doc, &text, NULL, NULL));
  edited = g_string_new (text);
  assert_true (g_string_replace (edited, "\"weight_colors\": false", "\"weight_colors\": true", 1)
               == 1);
  assert_true (g_file_set_contents (doc, edited->str, -1, NULL));

  run = nns_test_run (NULL, "--layers=6,5,3", plain_arg, NULL);
  assert_int_equal (run.status, 0);
  nns_test_run_clear (&run);
  run = nns_test_run (NULL, doc, coloured_arg, NULL);
  assert_int_equal (run.status, 0);
  nns_test_run_clear (&run);

  assert_int_equal (n_coloured (plain), 0);
  assert_true (n_coloured (coloured) > 100);
  g_unlink (doc);
  g_unlink (plain);
  g_unlink (coloured);
  g_rmdir (dir);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_summary_text),
    cmocka_unit_test (test_summary_rows),
    cmocka_unit_test (test_summary_json),
    cmocka_unit_test (test_layers_errors),
    cmocka_unit_test (test_layers_too_many),
    cmocka_unit_test (test_option_errors),
    cmocka_unit_test (test_no_display),
    cmocka_unit_test (test_version_and_help),
    cmocka_unit_test (test_export_weight_colors),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
