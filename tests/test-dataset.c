/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The data to train on: the 2-D problems' shapes, their determinism and
 * split; Fashion-MNIST as Debian installs it; and the IDX reader refusing
 * missing, truncated and malformed files in one line. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "nns-dataset.h"

static void
test_toy_split_and_balance (void **state)
{
  for (NnsDatasetKind k = 0; k < NNS_DATASET_FASHION_MNIST; k++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (NnsDataset) d = nns_dataset_new_toy (k, 500, 0.1, 0.2, 7, &error);
      guint ones = 0;

      assert_null (error);
      assert_int_equal (d->n_features, 2);
      assert_int_equal (d->n_classes, 2);
      assert_int_equal (d->test.n, 100);
      assert_int_equal (d->train.n, 400);
      for (guint i = 0; i < d->train.n; i++)
        ones += d->train.y[i];
      for (guint i = 0; i < d->test.n; i++)
        ones += d->test.y[i];
      assert_int_equal (ones, 250);
      /* shuffled: the training set is not all one class at its start */
      ones = 0;
      for (guint i = 0; i < 20; i++)
        ones += d->train.y[i];
      assert_in_range (ones, 2, 18);
    }
}

static void
test_toy_deterministic (void **state)
{
  g_autoptr (NnsDataset) a = nns_dataset_new_toy (NNS_DATASET_SPIRAL, 300, 0.05, 0.5, 42, NULL);
  g_autoptr (NnsDataset) b = nns_dataset_new_toy (NNS_DATASET_SPIRAL, 300, 0.05, 0.5, 42, NULL);
  g_autoptr (NnsDataset) c = nns_dataset_new_toy (NNS_DATASET_SPIRAL, 300, 0.05, 0.5, 43, NULL);

  assert_memory_equal (a->train.x, b->train.x, sizeof (float) * 2 * a->train.n);
  assert_memory_equal (a->test.y, b->test.y, a->test.n);
  assert_true (memcmp (a->train.x, c->train.x, sizeof (float) * 2 * a->train.n) != 0);
}

/* Without noise each problem has its shape: the rule that labels it holds
 * for every point. */
static void
test_toy_shapes (void **state)
{
  g_autoptr (NnsDataset) circles = nns_dataset_new_toy (NNS_DATASET_CIRCLES, 400, 0, 0, 1, NULL);
  g_autoptr (NnsDataset) xor = nns_dataset_new_toy (NNS_DATASET_XOR, 400, 0, 0, 1, NULL);
  g_autoptr (NnsDataset) gauss = nns_dataset_new_toy (NNS_DATASET_GAUSS, 400, 0, 0, 1, NULL);
  g_autoptr (NnsDataset) spiral = nns_dataset_new_toy (NNS_DATASET_SPIRAL, 400, 0, 0, 1, NULL);
  double mean[2][2] = { { 0 } };

  for (guint i = 0; i < 400; i++)
    {
      const float *p = circles->train.x + 2 * i;
      double r = hypot (p[0], p[1]);

      if (circles->train.y[i] == 0)
        assert_true (r < 0.5);
      else
        assert_true (r >= 0.7 - 1e-6 && r <= 1.0 + 1e-6);

      p = xor->train.x + 2 * i;
      assert_true (fabsf (p[0]) >= 0.05f && fabsf (p[1]) >= 0.05f);
      assert_int_equal (xor->train.y[i], (p[0] > 0) != (p[1] > 0));

      p = gauss->train.x + 2 * i;
      mean[gauss->train.y[i]][0] += p[0] / 200;
      mean[gauss->train.y[i]][1] += p[1] / 200;

      p = spiral->train.x + 2 * i;
      assert_true (hypot (p[0], p[1]) <= 1.0 + 1e-6);
    }
  assert_true (fabs (mean[0][0] - 0.45) < 0.05 && fabs (mean[0][1] - 0.45) < 0.05);
  assert_true (fabs (mean[1][0] + 0.45) < 0.05 && fabs (mean[1][1] + 0.45) < 0.05);

  /* The two spiral arms are each other turned by half a turn: for every
   * point of arm 0 its negation is a point of arm 1. */
  for (guint i = 0; i < 400; i++)
    if (spiral->train.y[i] == 0)
      {
        gboolean found = FALSE;

        for (guint j = 0; j < 400 && !found; j++)
          found = spiral->train.y[j] == 1 &&
                  fabsf (spiral->train.x[2 * j] + spiral->train.x[2 * i]) < 1e-5f &&
                  fabsf (spiral->train.x[2 * j + 1] + spiral->train.x[2 * i + 1]) < 1e-5f;
        assert_true (found);
      }
}

static void
test_toy_refuses (void **state)
{
  g_autoptr (GError) e1 = NULL;
  g_autoptr (GError) e2 = NULL;
  g_autoptr (GError) e3 = NULL;
  g_autoptr (GError) e4 = NULL;

  assert_null (nns_dataset_new_toy (NNS_DATASET_XOR, 2, 0, 0, 1, &e1));
  assert_string_equal (e1->message, "2 points: give 4 … 1000000");
  assert_null (nns_dataset_new_toy (NNS_DATASET_XOR, 100, NAN, 0, 1, &e2));
  assert_non_null (strstr (e2->message, "noise"));
  assert_null (nns_dataset_new_toy (NNS_DATASET_XOR, 100, 0, 1.0, 1, &e3));
  assert_non_null (strstr (e3->message, "test fraction"));
  assert_null (nns_dataset_new_toy (NNS_DATASET_FASHION_MNIST, 100, 0, 0, 1, &e4));
  assert_string_equal (e4->message, "“fashion-mnist” is not a 2-D problem");
}

static void
test_kind_ids (void **state)
{
  NnsDatasetKind k;

  for (NnsDatasetKind i = 0; i < NNS_N_DATASETS; i++)
    {
      assert_true (nns_dataset_kind_from_string (nns_dataset_kind_get_id (i), &k));
      assert_int_equal (k, i);
    }
  assert_true (nns_dataset_kind_from_string ("Spirals", &k));
  assert_int_equal (k, NNS_DATASET_SPIRAL);
  assert_false (nns_dataset_kind_from_string ("mnist", &k));
}

/* ---- IDX files, crafted ---- */

static void
write_gz (const char   *path,
          const guint8 *data,
          gsize         length)
{
  g_autoptr (GZlibCompressor) gz = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 6);
  g_autoptr (GOutputStream) mem = g_memory_output_stream_new_resizable ();
  g_autoptr (GOutputStream) out = g_converter_output_stream_new (mem, G_CONVERTER (gz));
  gsize written;

  assert_true (g_output_stream_write_all (out, data, length, &written, NULL, NULL));
  assert_true (g_output_stream_close (out, NULL, NULL));
  assert_true (g_file_set_contents (path,
                                    g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (mem)),
                                    g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (mem)),
                                    NULL));
}

static GByteArray *
idx_bytes (guint n_dims,
           const guint32 *dims,
           guint8 fill_start)
{
  GByteArray *b = g_byte_array_new ();
  guint8 header[4] = { 0, 0, 0x08, (guint8) n_dims };
  guint64 total = 1;

  g_byte_array_append (b, header, 4);
  for (guint i = 0; i < n_dims; i++)
    {
      guint8 d[4] = { dims[i] >> 24, dims[i] >> 16, dims[i] >> 8, dims[i] };

      g_byte_array_append (b, d, 4);
      total *= dims[i];
    }
  for (guint64 i = 0; i < total; i++)
    {
      guint8 v = (guint8) (fill_start + i);

      g_byte_array_append (b, &v, 1);
    }
  return b;
}

/* A tiny Fashion-MNIST: 3 training and 2 test images. */
static char *
make_tiny_set (void)
{
  char *dir = g_dir_make_tmp ("nns-idx-XXXXXX", NULL);
  const char *prefixes[] = { "train", "t10k" };

  for (guint s = 0; s < 2; s++)
    {
      guint32 n = s == 0 ? 3 : 2;
      guint32 image_dims[3] = { n, 28, 28 };
      g_autoptr (GByteArray) images = idx_bytes (3, image_dims, 0);
      g_autoptr (GByteArray) labels = idx_bytes (1, &n, 7);
      g_autofree char *image_name = g_strdup_printf ("%s/%s-images-idx3-ubyte.gz", dir, prefixes[s]);
      g_autofree char *label_name = g_strdup_printf ("%s/%s-labels-idx1-ubyte.gz", dir, prefixes[s]);

      write_gz (image_name, images->data, images->len);
      write_gz (label_name, labels->data, labels->len);
    }
  return dir;
}

static void
remove_tree (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
}

static void
test_idx_tiny_set (void **state)
{
  g_autofree char *dir = make_tiny_set ();
  g_autoptr (GError) error = NULL;
  g_autoptr (NnsDataset) d = nns_dataset_load_fashion_mnist (dir, &error);

  assert_null (error);
  assert_int_equal (d->train.n, 3);
  assert_int_equal (d->test.n, 2);
  assert_int_equal (d->n_features, 784);
  assert_int_equal (d->train.y[0], 7);
  assert_int_equal (d->train.y[2], 9);
  /* pixel i is (i mod 256) / 255 */
  assert_true (d->train.x[0] == 0.0f);
  assert_true (d->train.x[255] == 1.0f);
  assert_true (fabsf (d->train.x[784 + 1] - (785 % 256) / 255.0f) < 1e-7f);
  assert_string_equal (nns_dataset_get_class_name (d, 9), "Ankle boot");
  remove_tree (dir);
}

static void
test_idx_missing (void **state)
{
  g_autofree char *dir = g_dir_make_tmp ("nns-idx-XXXXXX", NULL);
  g_autofree char *expected = g_strdup_printf (
    "%s/train-labels-idx1-ubyte.gz is missing: install the package dataset-fashion-mnist", dir);
  g_autoptr (GError) error = NULL;

  assert_null (nns_dataset_load_fashion_mnist (dir, &error));
  assert_true (g_error_matches (error, NNS_DATASET_ERROR, NNS_DATASET_ERROR_MISSING));
  assert_string_equal (error->message, expected);
  g_rmdir (dir);
}

/* Replaces one file of a tiny set with bytes and expects message. */
static void
expect_refused (const char   *file,
                const guint8 *bytes,
                gsize         length,
                gboolean      gzip,
                const char   *why)
{
  g_autofree char *dir = make_tiny_set ();
  g_autofree char *path = g_build_filename (dir, file, NULL);
  gboolean prefix = g_str_has_suffix (why, "*");
  g_autofree char *expected = g_strdup_printf ("%s: %.*s", path,
                                               (int) strlen (why) - (prefix ? 1 : 0), why);
  g_autoptr (GError) error = NULL;

  if (gzip)
    write_gz (path, bytes, length);
  else
    assert_true (g_file_set_contents (path, (const char *) bytes, length, NULL));
  assert_null (nns_dataset_load_fashion_mnist (dir, &error));
  assert_true (g_error_matches (error, NNS_DATASET_ERROR, NNS_DATASET_ERROR_MALFORMED));
  if (prefix)
    assert_true (g_str_has_prefix (error->message, expected));
  else
    assert_string_equal (error->message, expected);
  assert_null (strchr (error->message, '\n'));
  remove_tree (dir);
}

static void
test_idx_malformed (void **state)
{
  guint32 dims3[3] = { 3, 28, 28 };
  guint32 dims_small[3] = { 3, 14, 14 };
  guint32 n2 = 2, n3 = 3;
  g_autoptr (GByteArray) images = idx_bytes (3, dims3, 0);
  g_autoptr (GByteArray) small = idx_bytes (3, dims_small, 0);
  g_autoptr (GByteArray) two_labels = idx_bytes (1, &n2, 0);
  g_autoptr (GByteArray) bad_labels = idx_bytes (1, &n3, 9);
  guint8 floats[] = { 0, 0, 0x0D, 1, 0, 0, 0, 1, 0, 0, 0, 0 };
  guint8 magic[] = { 'P', 'K', 3, 4, 0, 0, 0, 0 };
  guint8 short_header[] = { 0, 0, 8, 3, 0, 0, 0, 3, 0, 0 };
  guint8 zero_dim[] = { 0, 0, 8, 1, 0, 0, 0, 0 };
  guint8 trailing[] = { 0, 0, 8, 1, 0, 0, 0, 3, 1, 2, 3, 4 };

  /* truncated: the data stops early */
  expect_refused ("train-images-idx3-ubyte.gz", images->data, images->len - 100, TRUE,
                  "truncated: 2252 of 2352 data bytes");
  expect_refused ("train-images-idx3-ubyte.gz", short_header, sizeof short_header, TRUE,
                  "truncated in its header");
  /* the gzip stream itself cut short */
  {
    g_autofree char *dir = make_tiny_set ();
    g_autofree char *path = g_build_filename (dir, "train-labels-idx1-ubyte.gz", NULL);
    g_autofree char *contents = NULL;
    gsize length;
    g_autoptr (GError) error = NULL;

    assert_true (g_file_get_contents (path, &contents, &length, NULL));
    assert_true (g_file_set_contents (path, contents, length / 2, NULL));
    assert_null (nns_dataset_load_fashion_mnist (dir, &error));
    assert_true (g_error_matches (error, NNS_DATASET_ERROR, NNS_DATASET_ERROR_MALFORMED));
    assert_true (g_str_has_prefix (error->message, path));
    remove_tree (dir);
  }
  expect_refused ("train-labels-idx1-ubyte.gz", magic, sizeof magic, FALSE,
                  "not a readable gzip file*");
  expect_refused ("train-labels-idx1-ubyte.gz", magic, sizeof magic, TRUE,
                  "not an IDX file (no IDX magic number)");
  expect_refused ("train-labels-idx1-ubyte.gz", floats, sizeof floats, TRUE,
                  "IDX element type 0x0d, not unsigned bytes (0x08)");
  expect_refused ("train-labels-idx1-ubyte.gz", images->data, images->len, TRUE,
                  "3 dimensions, expected 1");
  expect_refused ("train-labels-idx1-ubyte.gz", zero_dim, sizeof zero_dim, TRUE,
                  "dimension 1 is 0");
  expect_refused ("train-labels-idx1-ubyte.gz", trailing, sizeof trailing, TRUE,
                  "more data than its dimensions say");
  expect_refused ("train-labels-idx1-ubyte.gz", bad_labels->data, bad_labels->len, TRUE,
                  "label 10 of item 2 is not a class 0 … 9");
  expect_refused ("train-images-idx3-ubyte.gz", small->data, small->len, TRUE,
                  "images of 14 × 14, not 28 × 28");
  expect_refused ("train-labels-idx1-ubyte.gz", two_labels->data, two_labels->len, TRUE,
                  "2 labels but 3 images in train-images-idx3-ubyte.gz");
}

/* The real files from dataset-fashion-mnist (a build dependency). */
static void
test_fashion_mnist_installed (void **state)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NnsDataset) d = nns_dataset_load_fashion_mnist (NULL, &error);
  guint counts[10] = { 0 };

  assert_null (error);
  assert_int_equal (d->train.n, 60000);
  assert_int_equal (d->test.n, 10000);
  /* the first training image is an ankle boot, the first test one too */
  assert_int_equal (d->train.y[0], 9);
  assert_int_equal (d->test.y[0], 9);
  for (guint i = 0; i < d->train.n; i++)
    counts[d->train.y[i]]++;
  for (guint c = 0; c < 10; c++)
    assert_int_equal (counts[c], 6000);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_toy_split_and_balance),
    cmocka_unit_test (test_toy_deterministic),
    cmocka_unit_test (test_toy_shapes),
    cmocka_unit_test (test_toy_refuses),
    cmocka_unit_test (test_kind_ids),
    cmocka_unit_test (test_idx_tiny_set),
    cmocka_unit_test (test_idx_missing),
    cmocka_unit_test (test_idx_malformed),
    cmocka_unit_test (test_fashion_mnist_installed),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
