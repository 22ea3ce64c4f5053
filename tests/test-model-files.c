/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-model-files"

/* Model files PyTorch wrote (tests/weights, made by generate.py with
 * torch 1.13): every tensor value read equals PyTorch's, bit for bit; the
 * network comes from the tensors; hostile files are refused by name; the
 * safetensors writer round-trips bit for bit; Load Weights fits or names
 * the tensor and both shapes. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <glib/gstdio.h>
#include <string.h>

#include "nns-model-file.h"
#include "nns-params.h"
#include "nns-safetensors.h"

static char *
data_path (const char *name)
{
  const char *source = g_getenv ("NNS_SOURCE_DIR");

  assert_non_null (source);
  return g_build_filename (source, "tests", "weights", name, NULL);
}

static GBytes *
read_data (const char *name)
{
  g_autofree char *path = data_path (name);
  g_autoptr (GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, &error))
    fail_msg ("%s", error->message);
  return g_bytes_new_take (contents, length);
}

static NnsModelFile *
load (const char *name, GError **error)
{
  g_autoptr (GBytes) bytes = read_data (name);
  gsize length = 0;
  const guint8 *data = g_bytes_get_data (bytes, &length);

  return nns_model_file_load (data, length, error);
}

static NnsModelFile *
load_ok (const char *name)
{
  g_autoptr (GError) error = NULL;
  NnsModelFile *file = load (name, &error);

  if (file == NULL)
    fail_msg ("%s: %s", name, error->message);
  assert_true (nns_weights_fits (file->weights, file->network));
  return file;
}

/* The tensor the file names name (or the network's state_dict names it). */
static const float *
find_tensor (NnsModelFile *file, const char *name, guint64 *n, gint64 **tracked)
{
  guint count = 0;
  NnsTensorInfo *infos = nns_weights_list_tensors (file->network, &count);
  const float *data = NULL;

  assert_int_equal (count, file->names->len);
  for (guint pass = 0; pass < 2 && data == NULL && (tracked == NULL || *tracked == NULL); pass++)
    for (guint t = 0; t < count; t++)
      {
        const char *have = pass == 0 ? g_ptr_array_index (file->names, t) : infos[t].name;

        if (!g_str_equal (have, name))
          continue;
        if (infos[t].kind == NNS_TENSOR_NUM_BATCHES_TRACKED)
          *tracked = nns_weights_get_layer (file->weights, infos[t].layer)->num_batches_tracked;
        else
          data = nns_weights_get_tensor (file->weights, infos[t].layer, infos[t].kind, n);
        break;
      }
  nns_tensor_infos_free (infos, count);
  return data;
}

/* values.tsv: file, tensor, index, the bits PyTorch holds. Every value of
 * every listed file, and every tensor of each file covered. */
static void
test_values (void **state)
{
  g_autoptr (GBytes) bytes = read_data ("values.tsv");
  g_auto (GStrv) lines = g_strsplit (g_bytes_get_data (bytes, NULL), "\n", -1);
  g_autoptr (GHashTable) files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                        (GDestroyNotify) nns_model_file_free);
  g_autoptr (GHashTable) counted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint checked = 0;

  for (guint l = 0; lines[l] != NULL; l++)
    {
      g_auto (GStrv) cells = NULL;
      NnsModelFile *file;
      const float *data;
      gint64 *tracked = NULL;
      guint64 n = 0, index;
      guint32 bits;

      if (lines[l][0] == '#' || lines[l][0] == '\0')
        continue;
      cells = g_strsplit (lines[l], "\t", -1);
      assert_int_equal (g_strv_length (cells), 4);
      file = g_hash_table_lookup (files, cells[0]);
      if (file == NULL)
        {
          file = load_ok (cells[0]);
          g_hash_table_insert (files, g_strdup (cells[0]), file);
        }
      data = find_tensor (file, cells[1], &n, &tracked);
      index = g_ascii_strtoull (cells[2], NULL, 10);
      if (g_str_has_prefix (cells[3], "i64:"))
        {
          assert_non_null (tracked);
          assert_int_equal (*tracked, g_ascii_strtoll (cells[3] + 4, NULL, 10));
          checked++;
          continue;
        }
      if (data == NULL)
        fail_msg ("%s: no tensor %s", cells[0], cells[1]);
      assert_true (index < n);
      memcpy (&bits, &data[index], 4);
      if (bits != (guint32) g_ascii_strtoull (cells[3], NULL, 16))
        fail_msg ("%s %s[%" G_GUINT64_FORMAT "]: %08x, PyTorch %s", cells[0], cells[1], index,
                  bits, cells[3]);
      {
        g_autofree char *key = g_strdup_printf ("%s/%s", cells[0], cells[1]);

        g_hash_table_insert (counted, g_steal_pointer (&key),
                             GUINT_TO_POINTER (GPOINTER_TO_UINT (
                               g_hash_table_lookup (counted, key)) + 1));
      }
      checked++;
    }
  assert_true (checked > 900);
  /* Every element of every tensor of each file was listed. */
  {
    GHashTableIter iter;
    gpointer key, value;

    g_hash_table_iter_init (&iter, files);
    while (g_hash_table_iter_next (&iter, &key, &value))
      {
        NnsModelFile *file = value;
        guint count = 0;
        NnsTensorInfo *infos = nns_weights_list_tensors (file->network, &count);

        for (guint t = 0; t < count; t++)
          {
            g_autofree char *k = g_strdup_printf ("%s/%s", (char *) key,
                                                  (char *) g_ptr_array_index (file->names, t));
            g_autofree char *k2 = g_strdup_printf ("%s/%s", (char *) key, infos[t].name);
            guint listed = GPOINTER_TO_UINT (g_hash_table_lookup (counted, k));

            if (listed == 0)
              listed = GPOINTER_TO_UINT (g_hash_table_lookup (counted, k2));

            if (infos[t].kind != NNS_TENSOR_NUM_BATCHES_TRACKED)
              assert_int_equal (listed, nns_tensor_info_get_size (&infos[t]));
          }
        nns_tensor_infos_free (infos, count);
      }
  }
}

static void
assert_widths (NnsNetwork *network, const guint *widths, guint n)
{
  assert_int_equal (nns_network_get_n_layers (network), n - 1);
  assert_int_equal (nns_network_get_input (network), widths[0]);
  for (guint i = 1; i < n; i++)
    assert_int_equal (nns_network_get_layer (network, i - 1)->units, widths[i]);
}

static void
test_networks (void **state)
{
  {
    g_autoptr (NnsModelFile) file = load_ok ("mlp.safetensors");
    const guint widths[] = { 4, 8, 6, 3 };

    assert_widths (file->network, widths, 4);
    assert_string_equal (file->source, "safetensors, 6 tensors (F32)");
    assert_non_null (strstr (file->notes, "no activations"));
  }
  {
    g_autoptr (NnsModelFile) file = load_ok ("mlp-bf16.safetensors");

    assert_string_equal (file->source, "safetensors, 6 tensors (BF16)");
  }
  {
    g_autoptr (NnsModelFile) file = load_ok ("norm.safetensors");
    const NnsLayer *layer;

    layer = nns_network_get_layer (file->network, 0);
    assert_int_equal (layer->norm, NNS_NORM_BATCH);
    assert_true (layer->norm_affine && layer->norm_running_stats);
    assert_int_equal (layer->activation, NNS_ACTIVATION_PRELU);
    assert_false (layer->prelu_per_unit);
    assert_int_equal (nns_network_count_total (file->network), 5 * 7 + 7 + 14 + 1 + 7 * 2 + 2);
  }
  {
    /* The header sorted as text: "10.weight" comes before "2.weight". */
    g_autoptr (NnsModelFile) file = load_ok ("deep.safetensors");
    const guint widths[] = { 3, 4, 5, 6, 7, 8, 9 };

    assert_widths (file->network, widths, 7);
  }
  {
    g_autoptr (NnsModelFile) file = load_ok ("named.safetensors");

    assert_string_equal (nns_network_get_layer (file->network, 0)->name, "fc1");
    assert_string_equal (nns_network_get_layer (file->network, 2)->name, "out");
  }
  {
    /* A Flatten of N × 3 × 4 × 5: the input takes the graph input's shape. */
    g_autoptr (NnsModelFile) file = load_ok ("image.onnx");
    g_autoptr (NnsModelFile) plain = load_ok ("mlp.onnx");
    const guint widths[] = { 60, 4, 2 };
    NnsInputShape shape;

    assert_widths (file->network, widths, 3);
    nns_network_get_input_shape (file->network, &shape);
    assert_int_equal (shape.n_dims, 3);
    assert_int_equal (shape.dims[0], 3);
    assert_int_equal (shape.dims[1], 4);
    assert_int_equal (shape.dims[2], 5);
    /* N × 4: no shape */
    nns_network_get_input_shape (plain->network, &shape);
    assert_int_equal (shape.n_dims, 0);
  }
}

static void
test_hostile (void **state)
{
  g_autoptr (GBytes) bytes = read_data ("hostile/hostile.tsv");
  g_auto (GStrv) lines = g_strsplit (g_bytes_get_data (bytes, NULL), "\n", -1);
  guint n = 0;

  for (guint l = 0; lines[l] != NULL; l++)
    {
      g_auto (GStrv) cells = NULL;
      g_autofree char *name = NULL;
      g_autoptr (GError) error = NULL;
      g_autoptr (NnsModelFile) file = NULL;

      if (lines[l][0] == '#' || lines[l][0] == '\0')
        continue;
      cells = g_strsplit (lines[l], "\t", 2);
      name = g_strconcat ("hostile/", cells[0], NULL);
      file = load (name, &error);
      if (file != NULL)
        fail_msg ("%s: opened", cells[0]);
      if (strstr (error->message, cells[1]) == NULL)
        fail_msg ("%s: “%s” does not name “%s”", cells[0], error->message, cells[1]);
      assert_null (strchr (error->message, '\n'));
      n++;
    }
  assert_true (n >= 20);
}

/* Every truncation of a good file is refused, never read past its end (the
 * ASan build checks the reads). */
static void
test_every_truncation (void **state)
{
  const char *names[] = { "mlp.safetensors", "norm.safetensors", "mlp.onnx", "norm.onnx" };

  for (guint f = 0; f < G_N_ELEMENTS (names); f++)
    {
      g_autoptr (GBytes) bytes = read_data (names[f]);
      gsize length = 0;
      const guint8 *data = g_bytes_get_data (bytes, &length);

      for (gsize cut = 0; cut < length; cut++)
        {
          g_autoptr (GError) error = NULL;
          guint8 *copy = g_memdup2 (data, cut);
          NnsModelFile *file = nns_model_file_load (copy, cut, &error);

          /* An ONNX file cut at a field boundary can still be a valid graph
           * of fewer nodes; a safetensors one never is. */
          if (file != NULL)
            assert_true (g_str_has_suffix (names[f], ".onnx"));
          else
            assert_non_null (error);
          nns_model_file_free (file);
          g_free (copy);
        }
    }
}

static void
test_round_trip (void **state)
{
  const char *names[] = { "mlp.safetensors", "norm.safetensors", "deep.safetensors",
                          "mlp-f16.safetensors" };

  for (guint f = 0; f < G_N_ELEMENTS (names); f++)
    {
      g_autoptr (NnsModelFile) file = load_ok (names[f]);
      g_autoptr (GBytes) written = nns_safetensors_write (file->network, file->weights);
      g_autoptr (GError) error = NULL;
      g_autoptr (NnsModelFile) back = NULL;
      gsize length = 0;
      const guint8 *data = g_bytes_get_data (written, &length);

      back = nns_model_file_load (data, length, &error);
      if (back == NULL)
        fail_msg ("%s: %s", names[f], error->message);
      assert_true (nns_network_equal (file->network, back->network));
      assert_true (nns_weights_equal (file->weights, back->weights));
      /* The header is padded to 8 bytes, as the format asks. */
      assert_true ((data[0] | data[1] << 8) % 8 == 0);
    }

  /* Through NnsFileWriter: the file, and nothing else, in the folder. */
  {
    g_autoptr (NnsModelFile) file = load_ok ("norm.safetensors");
    g_autofree char *dir = g_dir_make_tmp ("nns-weights-XXXXXX", NULL);
    g_autofree char *path = g_build_filename (dir, "model.safetensors", NULL);
    g_autoptr (GError) error = NULL;
    g_autoptr (GDir) listing = NULL;
    g_autofree char *contents = NULL;
    gsize length = 0;
    NnsModelFile *back;

    assert_true (nns_safetensors_save (file->network, file->weights, path, &error));
    assert_true (g_file_get_contents (path, &contents, &length, NULL));
    back = nns_model_file_load ((const guint8 *) contents, length, &error);
    assert_non_null (back);
    assert_true (nns_weights_equal (file->weights, back->weights));
    nns_model_file_free (back);
    listing = g_dir_open (dir, 0, NULL);
    assert_string_equal (g_dir_read_name (listing), "model.safetensors");
    assert_null (g_dir_read_name (listing));
    g_remove (path);
    g_rmdir (dir);
  }
}

static void
test_weights_for (void **state)
{
  g_autoptr (NnsModelFile) file = load_ok ("mlp.safetensors");
  g_autoptr (NnsNetwork) network = nns_network_new_from_string ("4,8,6,3", NULL);
  g_autoptr (NnsWeights) weights = NULL;
  g_autoptr (GError) error = NULL;

  /* The open network has activations the file does not say: still fits. */
  assert_true (nns_network_set_activation (network, 0, NNS_ACTIVATION_RELU, NULL));
  assert_true (nns_network_set_activation (network, 1, NNS_ACTIVATION_TANH, NULL));
  weights = nns_model_file_weights_for (file, network, &error);
  assert_non_null (weights);
  assert_true (memcmp (nns_weights_get_layer (weights, 2)->weight,
                       nns_weights_get_layer (file->weights, 2)->weight, 18 * 4) == 0);
  g_clear_pointer (&weights, nns_weights_unref);

  assert_true (nns_network_set_units (network, 1, 7, NULL));
  assert_null (nns_model_file_weights_for (file, network, &error));
  assert_string_equal (error->message, "2.weight: the file has [6, 8], the network needs [7, 8]");
  g_clear_error (&error);
  assert_true (nns_network_set_units (network, 1, 6, NULL));
  assert_true (nns_network_set_bias (network, 2, FALSE, NULL));
  assert_null (nns_model_file_weights_for (file, network, &error));
  assert_string_equal (error->message, "4.bias: in the file, and the network has no more tensors");
  g_clear_error (&error);
  assert_true (nns_network_set_bias (network, 2, TRUE, NULL));
  assert_true (nns_network_insert_layer (network, 3, 2, NULL));
  assert_null (nns_model_file_weights_for (file, network, &error));
  assert_string_equal (error->message, "5.weight: the network needs [2, 3], the file has no more tensors");
}

static void
test_f16_exact (void **state)
{
  /* Hand-made halves: subnormal, normal, infinity refused, negative zero. */
  static const guint16 halves[] = { 0x0001, 0x03ff, 0x3c00, 0xc000, 0x7bff, 0x8000, 0x0400 };
  static const float expect[] = { 5.9604644775390625e-08f, 6.097555160522461e-05f, 1.0f, -2.0f,
                                  65504.0f, -0.0f, 6.103515625e-05f };
  GString *file = g_string_new (NULL);
  g_autofree char *header = g_strdup_printf (
    "{\"0.weight\":{\"dtype\":\"F16\",\"shape\":[7,1],\"data_offsets\":[0,14]}}");
  guint64 length = strlen (header);
  g_autoptr (GError) error = NULL;
  g_autoptr (NnsModelFile) model = NULL;

  for (guint b = 0; b < 8; b++)
    g_string_append_c (file, (char) (length >> (8 * b)));
  g_string_append (file, header);
  for (guint i = 0; i < G_N_ELEMENTS (halves); i++)
    {
      g_string_append_c (file, (char) (halves[i] & 0xff));
      g_string_append_c (file, (char) (halves[i] >> 8));
    }
  model = nns_model_file_load ((const guint8 *) file->str, file->len, &error);
  assert_non_null (model);
  for (guint i = 0; i < G_N_ELEMENTS (halves); i++)
    assert_memory_equal (&nns_weights_get_layer (model->weights, 0)->weight[i], &expect[i], 4);
  /* 0x7c00 is infinity: refused by name. */
  file->str[8 + length] = 0x00;
  file->str[8 + length + 1] = 0x7c;
  g_clear_pointer (&model, nns_model_file_free);
  model = nns_model_file_load ((const guint8 *) file->str, file->len, &error);
  assert_null (model);
  assert_string_equal (error->message, "0.weight: element 0 is infinite");
  g_string_free (file, TRUE);
}

/* The command line: --summary says where the weights came from, a pickle
 * is refused with how to convert it, --export-filename=x.safetensors writes
 * the weights bit for bit. */
static void
test_command_line (void **state)
{
  const char *nnsketch = g_getenv ("NNSKETCH");
  g_autofree char *model = data_path ("norm.onnx");
  g_autofree char *pickle = data_path ("hostile/model.pt");
  g_autofree char *dir = g_dir_make_tmp ("nns-cli-XXXXXX", NULL);
  g_autofree char *out = g_build_filename (dir, "out.safetensors", NULL);
  g_autofree char *export_arg = g_strconcat ("--export-filename=", out, NULL);
  g_autofree char *stdout_text = NULL, *stderr_text = NULL;
  g_autofree char *contents = NULL;
  gint status = 0;
  gsize length = 0;

  assert_non_null (nnsketch);
  {
    const char *argv[] = { nnsketch, "--summary", export_arg, model, NULL };

    assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &stdout_text, &stderr_text, &status, NULL));
    assert_true (g_spawn_check_wait_status (status, NULL));
    assert_non_null (strstr (stdout_text, "Weights: ONNX, 2 layers, opset 14\n"));
    assert_non_null (strstr (stderr_text, "num_batches_tracked"));
  }
  assert_true (g_file_get_contents (out, &contents, &length, NULL));
  {
    g_autoptr (NnsModelFile) from_onnx = load_ok ("norm.onnx");
    g_autoptr (GError) error = NULL;
    g_autoptr (NnsModelFile) back = nns_model_file_load ((const guint8 *) contents, length, &error);

    assert_non_null (back);
    assert_true (nns_weights_equal (from_onnx->weights, back->weights));
  }
  g_clear_pointer (&stdout_text, g_free);
  g_clear_pointer (&stderr_text, g_free);
  {
    const char *argv[] = { nnsketch, "--summary", pickle, NULL };

    assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &stdout_text, &stderr_text, &status, NULL));
    assert_false (g_spawn_check_wait_status (status, NULL));
    assert_non_null (strstr (stderr_text, "never opens"));
    assert_non_null (strstr (stderr_text, "torch.onnx.export"));
  }
  g_remove (out);
  g_rmdir (dir);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_values),
    cmocka_unit_test (test_networks),
    cmocka_unit_test (test_hostile),
    cmocka_unit_test (test_every_truncation),
    cmocka_unit_test (test_round_trip),
    cmocka_unit_test (test_weights_for),
    cmocka_unit_test (test_f16_exact),
    cmocka_unit_test (test_command_line),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
