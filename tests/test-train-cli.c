/* SPDX-License-Identifier: GPL-3.0-or-later */
/* nnsketch --train: one line an epoch, a summary, the same figures for the
 * same seed, --compare-widths' table, and every bad option in one line. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "nns-test-run.h"

/* The output without its timings (samples/s and seconds), which vary. */
static char *
without_timings (const char *out)
{
  g_autoptr (GRegex) re = g_regex_new ("[0-9.]+ samples/s|in [0-9.]+ s", 0, 0, NULL);

  return g_regex_replace_literal (re, out, -1, 0, "…", 0, NULL);
}

static void
test_train_epochs (void **state)
{
  NnsRun a = nns_test_run (NULL, "--train=gauss", "--epochs=4", "--seed=3", "--lr=0.01", NULL);
  NnsRun b = nns_test_run (NULL, "--train=gauss", "--epochs=4", "--seed=3", "--lr=0.01", NULL);
  g_auto (GStrv) lines = g_strsplit (a.out, "\n", -1);
  g_autofree char *ta = without_timings (a.out);
  g_autofree char *tb = without_timings (b.out);
  double first, last;

  assert_int_equal (a.status, 0);
  assert_string_equal (a.err, "");
  assert_int_equal (g_strv_length (lines), 7);
  assert_true (g_str_has_prefix (lines[0], "Training 2 → 8 ReLU → 8 ReLU → 2 (114 parameters) on gauss: "
                                           "500 training and 500 test samples; Adam lr 0.01, batch 32, seed 3"));
  assert_true (g_str_has_prefix (lines[1], "epoch   1  loss "));
  assert_non_null (strstr (lines[4], " samples/s"));
  assert_true (g_str_has_prefix (lines[5], "Trained 4 epochs in "));
  first = g_ascii_strtod (lines[1] + strlen ("epoch   1  loss "), NULL);
  last = g_ascii_strtod (lines[4] + strlen ("epoch   4  loss "), NULL);
  assert_true (first > 0.2 && last < first / 2);
  assert_non_null (strstr (lines[5], "test accuracy "));
  assert_true (g_ascii_strtod (strstr (lines[5], "test accuracy ") + strlen ("test accuracy "), NULL) > 95);
  /* the same seed, the same run */
  assert_string_equal (ta, tb);
  nns_test_run_clear (&a);
  nns_test_run_clear (&b);
}

static void
test_compare_widths (void **state)
{
  NnsRun run = nns_test_run (NULL, "--train=circles", "--compare-widths=1,4", "--epochs=15",
                             "--lr=0.02", NULL);
  g_auto (GStrv) lines = g_strsplit (run.out, "\n", -1);

  assert_int_equal (run.status, 0);
  assert_int_equal (g_strv_length (lines), 4);
  assert_string_equal (lines[0], "   width    parameters  train accuracy  test accuracy");
  /* 2 → 1 → 1 → 2: 3 + 2 + 4; 2 → 4 → 4 → 2: 12 + 20 + 10 */
  assert_true (g_str_has_prefix (lines[1], "       1             9  "));
  assert_true (g_str_has_prefix (lines[2], "       4            42  "));
  /* one unit cannot part a disc from a ring; four can */
  assert_true (g_ascii_strtod (lines[1] + 24, NULL) < 80);
  assert_true (g_ascii_strtod (lines[2] + 24, NULL) > 95);
  nns_test_run_clear (&run);
}

static void
test_divergence (void **state)
{
  NnsRun run = nns_test_run (NULL, "--train=xor", "--optimizer=sgd", "--lr=1e9", NULL);

  assert_int_equal (run.status, 1);
  assert_non_null (strstr (run.err, "the learning rate 1e+09 is too large; kept the weights after step"));
  nns_test_run_clear (&run);
}

static void
test_errors (void **state)
{
  static const struct { const char *args[4]; const char *needle; } cases[] = {
    { { "--epochs=3" }, "--epochs goes with --train" },
    { { "--compare-widths=1,2" }, "--compare-widths goes with --train" },
    { { "--train=mnist" }, "--train=mnist: use spiral, circles, xor, gauss or fashion-mnist" },
    { { "--train=xor", "--epochs=0" }, "--epochs=0 is outside 1 … 100000" },
    { { "--train=xor", "--lr=-1" }, "--lr=-1: give a learning rate above 0" },
    { { "--train=xor", "--lr=0" }, "--lr=0: give a learning rate above 0" },
    { { "--train=xor", "--lr", "0" }, "--lr=0: give a learning rate above 0" },
    { { "--train=xor", "--lr=nan" }, "--lr=nan: give a learning rate above 0" },
    { { "--train=xor", "--lr=inf" }, "--lr=inf: give a learning rate above 0" },
    { { "--train=xor", "--epochs=-1" }, "--epochs=-1 is outside 1 … 100000" },
    { { "--train=xor", "--epochs=100001" }, "--epochs=100001 is outside 1 … 100000" },
    { { "--train=xor", "--seed=-1" }, "--seed=-1: give 0 or more" },
    { { "--train=xor", "--noise=-1" }, "--noise=-1 is outside 0 … 1" },
    { { "--train=xor", "--noise=nan" }, "--noise=nan is outside 0 … 1" },
    { { "--lr=0" }, "--lr goes with --train" },
    { { "--train=xor", "--batch-size=-1" }, "--batch-size=-1 is outside 1 … 65536" },
    { { "--train=xor", "--batch-size=65537" }, "--batch-size=65537 is outside 1 … 65536" },
    { { "--train=xor", "--batch-size=99999999999" }, "--batch-size" },
    { { "--train=xor", "--noise=2" }, "--noise=2 is outside 0 … 1" },
    { { "--train=fashion-mnist", "--noise=0.1" }, "--noise goes with a 2-D problem" },
    { { "--train=xor", "--activation=swish" }, "--activation=swish: use none, relu" },
    { { "--train=xor", "--compare-widths=1,x" }, "--compare-widths: “x” is not a width" },
    { { "--train=xor", "--optimizer=rmsprop" }, "--optimizer=rmsprop: use sgd, momentum, adam or adamw" },
    { { "--train=xor", "--summary" }, "give either --summary or --train, not both" },
    { { "--train=xor", "--dtype=fp16" }, "--dtype goes with --summary" },
    { { "--train=xor", "--export-filename=a.png" }, "give a .safetensors file" },
    { { "--train=spiral", "--layers=2,4,3" }, "the network has 3 outputs; spiral has 2 classes" },
    { { "--train=xor", "--batch-size=0" }, "--batch-size=0 is outside 1 … 65536" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *argv[5] = { NULL };
      NnsRun run;

      for (guint k = 0; k < 4 && cases[i].args[k]; k++)
        argv[k] = cases[i].args[k];
      run = nns_test_run_argv (NULL, argv);
      nns_test_assert_error (&run, cases[i].needle);
      nns_test_run_clear (&run);
    }
}

/* --export-filename=….safetensors: the trained weights, which a second
 * run starts from (its first epoch's loss is already low). */
static void
test_export_trained (void **state)
{
  g_autofree char *dir = g_dir_make_tmp ("nns-train-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "trained.safetensors", NULL);
  g_autofree char *arg = g_strconcat ("--export-filename=", path, NULL);
  NnsRun first = nns_test_run (NULL, "--train=gauss", "--layers=2,8,2", "--epochs=5", "--lr=0.02",
                               arg, NULL);
  NnsRun again = nns_test_run (NULL, "--train=gauss", "--epochs=1", "--lr=0.0001", path, NULL);
  g_auto (GStrv) a = g_strsplit (first.out, "\n", -1);
  g_auto (GStrv) b = g_strsplit (again.out, "\n", -1);

  assert_int_equal (first.status, 0);
  assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  assert_non_null (strstr (first.out, "Saved the trained weights to "));
  assert_int_equal (again.status, 0);
  /* untrained, gauss starts near log 2; from the saved weights far below */
  assert_true (g_ascii_strtod (a[1] + strlen ("epoch   1  loss "), NULL) > 0.3);
  assert_true (g_ascii_strtod (b[1] + strlen ("epoch   1  loss "), NULL) < 0.1);
  g_unlink (path);
  g_rmdir (dir);
  nns_test_run_clear (&first);
  nns_test_run_clear (&again);
}

/* Without the Debian package the error says which one to install. */
static void
test_fashion_mnist_missing (void **state)
{
  NnsRun run;

  g_setenv ("NNS_FASHION_MNIST_DIR", "/nonexistent-nns", TRUE);
  run = nns_test_run (NULL, "--train=fashion-mnist", NULL);
  g_unsetenv ("NNS_FASHION_MNIST_DIR");
  nns_test_assert_error (&run, "/nonexistent-nns/train-labels-idx1-ubyte.gz is missing: "
                               "install the package dataset-fashion-mnist");
  nns_test_run_clear (&run);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_train_epochs),
    cmocka_unit_test (test_compare_widths),
    cmocka_unit_test (test_divergence),
    cmocka_unit_test (test_errors),
    cmocka_unit_test (test_export_trained),
    cmocka_unit_test (test_fashion_mnist_missing),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
