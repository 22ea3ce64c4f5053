/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The PyTorch texts that tests/torch-texts/generate.py made with real
 * PyTorch, each with PyTorch's own parameter count: every one the importer
 * accepts must have exactly that count, and so must its exported code read
 * back; the ones marked exact must be accepted; none may be wrong. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "nns-document.h"
#include "nns-params.h"
#include "nns-pytorch.h"

typedef struct
{
  guint exact, refused, wrong, missed, shared_print, hidden;
} Outcome;

static void
test_torch_texts (void **state)
{
  const char *source = g_getenv ("NNS_SOURCE_DIR");
  g_autofree char *dir = g_build_filename (source, "tests", "torch-texts", NULL);
  g_autofree char *manifest = g_build_filename (dir, "cases.tsv", NULL);
  g_autofree char *contents = NULL;
  g_auto (GStrv) lines = NULL;
  g_autoptr (GHashTable) reasons = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  Outcome o = { 0 };
  guint n = 0;

  assert_true (g_file_get_contents (manifest, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 1; lines[i] != NULL; i++)
    {
      g_auto (GStrv) cols = g_strsplit (lines[i], "\t", 4);
      g_autofree char *path = NULL;
      g_autofree char *data = NULL;
      g_autoptr (GError) error = NULL;
      g_autoptr (NnsNetwork) network = NULL;
      g_autofree char *notes = NULL;
      gsize length = 0;
      guint64 total;

      if (g_strv_length (cols) < 3)
        continue;
      n++;
      total = g_ascii_strtoull (cols[2], NULL, 10);
      path = g_build_filename (dir, "cases", cols[0], NULL);
      if (!g_file_get_contents (path, &data, &length, &error))
        fail_msg ("%s: %s", cols[0], error->message);
      network = nns_input_load_data (data, length, NULL, NULL, &notes, &error);

      if (strcmp (cols[1], "print-hidden") == 0)
        {
          /* print(model) does not show an nn.Parameter: the note must say so. */
          if (network == NULL || notes == NULL || strstr (notes, "nn.Parameter") == NULL)
            fail_msg ("%s: no note that print(model) hides parameters", cols[0]);
          o.hidden++;
          continue;
        }
      if (strcmp (cols[1], "print-shared") == 0)
        {
          /* print(model) cannot show that a module is used twice. */
          o.shared_print++;
          continue;
        }
      if (network == NULL)
        {
          if (strcmp (cols[1], "exact") == 0)
            {
              g_print ("MISSED %s: %s\n", cols[0], error->message);
              o.missed++;
            }
          else
            {
              /* The reason without its line number, to tabulate. */
              const char *reason = strstr (error->message, ": ") && g_str_has_prefix (error->message, "line ")
                                   ? strstr (error->message, ": ") + 2 : error->message;
              g_autofree char *key = g_strndup (reason, MIN (strlen (reason), 60));

              g_hash_table_insert (reasons, g_steal_pointer (&key),
                                   GUINT_TO_POINTER (GPOINTER_TO_UINT (
                                     g_hash_table_lookup (reasons, reason)) + 1));
              o.refused++;
            }
          continue;
        }
      if (nns_network_count_total (network) != total)
        {
          g_print ("WRONG %s: %" G_GUINT64_FORMAT " instead of PyTorch's %" G_GUINT64_FORMAT "\n",
                   cols[0], nns_network_count_total (network), total);
          o.wrong++;
          continue;
        }
      /* The exported code reads back to the same count. */
      {
        g_autofree char *code = nns_pytorch_export (network);
        g_autoptr (NnsNetwork) back = nns_pytorch_import (code, NULL, &error);

        if (back == NULL)
          fail_msg ("%s: the exported code does not read back: %s\n%s", cols[0], error->message,
                    code);
        /* Names that cannot be keys (two layers named "fc") become comments. */
        if (nns_network_get_n_layers (back) != nns_network_get_n_layers (network) ||
            nns_network_count_total (back) != total)
          fail_msg ("%s: the exported code reads back as another network:\n%s", cols[0], code);
      }
      if (strcmp (cols[1], "exact") == 0)
        o.exact++;
      else
        {
          g_print ("ACCEPTED (marked refuse, count right) %s\n", cols[0]);
          o.exact++;
        }
    }

  g_print ("%u texts: %u exact, %u refused, %u wrong, %u missed, %u print texts of shared "
           "modules, %u print texts hiding an nn.Parameter (noted)\n", n, o.exact, o.refused,
           o.wrong, o.missed, o.shared_print, o.hidden);
  {
    GHashTableIter it;
    gpointer key, value;

    g_hash_table_iter_init (&it, reasons);
    while (g_hash_table_iter_next (&it, &key, &value))
      g_print ("  refused %u×: %s\n", GPOINTER_TO_UINT (value), (char *) key);
  }
  assert_true (n >= 100);
  assert_int_equal (o.wrong, 0);
  assert_int_equal (o.missed, 0);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_torch_texts),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
