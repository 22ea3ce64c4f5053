/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <inttypes.h>

#include "nns-dataset.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

G_DEFINE_QUARK (nns-dataset-error-quark, nns_dataset_error)

static const char *const kind_ids[NNS_N_DATASETS] = {
  [NNS_DATASET_CIRCLES] = "circles",
  [NNS_DATASET_XOR] = "xor",
  [NNS_DATASET_GAUSS] = "gauss",
  [NNS_DATASET_SPIRAL] = "spiral",
  [NNS_DATASET_FASHION_MNIST] = "fashion-mnist",
};

const char *
nns_dataset_kind_get_id (NnsDatasetKind kind)
{
  g_return_val_if_fail (kind < NNS_N_DATASETS, "");
  return kind_ids[kind];
}

gboolean
nns_dataset_kind_from_string (const char     *text,
                              NnsDatasetKind *out)
{
  for (guint k = 0; k < NNS_N_DATASETS; k++)
    if (text != NULL && g_ascii_strcasecmp (text, kind_ids[k]) == 0)
      {
        *out = k;
        return TRUE;
      }
  /* The plural and singular forms people type. */
  if (text != NULL && g_ascii_strcasecmp (text, "spirals") == 0)
    return (*out = NNS_DATASET_SPIRAL, TRUE);
  if (text != NULL && g_ascii_strcasecmp (text, "gaussian") == 0)
    return (*out = NNS_DATASET_GAUSS, TRUE);
  return FALSE;
}

static NnsDataset *
dataset_new (NnsDatasetKind kind,
             guint          n_features,
             guint          n_classes)
{
  NnsDataset *d = g_new0 (NnsDataset, 1);

  d->kind = kind;
  d->n_features = n_features;
  d->n_classes = n_classes;
  return d;
}

void
nns_dataset_free (NnsDataset *dataset)
{
  if (dataset == NULL)
    return;
  g_free (dataset->train.x);
  g_free (dataset->train.y);
  g_free (dataset->test.x);
  g_free (dataset->test.y);
  g_free (dataset);
}

static const char *const fashion_names[10] = {
  N_("T-shirt/top"), N_("Trouser"), N_("Pullover"), N_("Dress"), N_("Coat"),
  N_("Sandal"), N_("Shirt"), N_("Sneaker"), N_("Bag"), N_("Ankle boot"),
};

const char *
nns_dataset_get_class_name (const NnsDataset *dataset,
                            guint             klass)
{
  static const char *const digits[] = { "0", "1", "2", "3", "4", "5", "6", "7", "8", "9" };

  g_return_val_if_fail (klass < dataset->n_classes && klass < 10, "");
  if (dataset->kind == NNS_DATASET_FASHION_MNIST)
    return _(fashion_names[klass]);
  return digits[klass];
}

/* ---- the 2-D problems ---- */

/* A standard normal from two uniforms (Box–Muller); GRand is the same
 * Mersenne Twister everywhere, so a seed gives the same points anywhere. */
static double
gaussian (GRand *rand)
{
  double u = g_rand_double (rand);
  double v = g_rand_double (rand);

  return sqrt (-2.0 * log1p (-u)) * cos (2.0 * G_PI * v);
}

static void
toy_point (NnsDatasetKind kind,
           GRand         *rand,
           guint          i,
           guint          n,
           float         *xy,
           guint8        *label)
{
  guint klass = i % 2;
  double x, y;

  switch (kind)
    {
    case NNS_DATASET_CIRCLES:
      {
        /* class 0 in the disc r < 0.5, class 1 in the ring 0.7 … 1 */
        double r = klass == 0 ? g_rand_double_range (rand, 0.0, 0.5)
                              : g_rand_double_range (rand, 0.7, 1.0);
        double t = g_rand_double_range (rand, 0.0, 2.0 * G_PI);

        x = r * cos (t);
        y = r * sin (t);
      }
      break;
    case NNS_DATASET_XOR:
      {
        /* a point in a quadrant, kept 0.05 off the axes; class 1 where
         * x and y have opposite signs */
        double ax = g_rand_double_range (rand, 0.05, 1.0);
        double ay = g_rand_double_range (rand, 0.05, 1.0);
        gboolean flip = g_rand_boolean (rand);

        x = flip ? -ax : ax;
        y = (klass == 0) == flip ? -ay : ay;
      }
      break;
    case NNS_DATASET_GAUSS:
      x = (klass == 0 ? 0.45 : -0.45) + 0.2 * gaussian (rand);
      y = (klass == 0 ? 0.45 : -0.45) + 0.2 * gaussian (rand);
      break;
    case NNS_DATASET_SPIRAL:
    default:
      {
        /* point j of the arm, 1.75 turns out to radius 1; the second arm
         * turned by half a turn */
        double s = (double) (i / 2) / MAX (n / 2, 1);
        double t = 1.75 * s * 2.0 * G_PI + klass * G_PI;

        x = s * sin (t);
        y = s * cos (t);
      }
      break;
    }
  xy[0] = (float) x;
  xy[1] = (float) y;
  *label = (guint8) klass;
}

NnsDataset *
nns_dataset_new_toy (NnsDatasetKind  kind,
                     guint           n_samples,
                     double          noise,
                     double          test_fraction,
                     guint32         seed,
                     GError        **error)
{
  g_autoptr (GRand) rand = NULL;
  g_autofree float *x = NULL;
  g_autofree guint8 *y = NULL;
  NnsDataset *d;
  guint n_test;

  if (kind >= NNS_DATASET_FASHION_MNIST)
    {
      g_set_error (error, NNS_DATASET_ERROR, NNS_DATASET_ERROR_INVALID,
                   _("“%s” is not a 2-D problem"),
                   kind < NNS_N_DATASETS ? kind_ids[kind] : "?");
      return NULL;
    }
  if (n_samples < 4 || n_samples > 1000000)
    {
      g_set_error (error, NNS_DATASET_ERROR, NNS_DATASET_ERROR_INVALID,
                   _("%u points: give 4 … 1000000"), n_samples);
      return NULL;
    }
  if (!(noise >= 0.0 && noise <= 1.0))
    {
      g_set_error (error, NNS_DATASET_ERROR, NNS_DATASET_ERROR_INVALID,
                   _("noise %g: give 0 … 1"), noise);
      return NULL;
    }
  if (!(test_fraction >= 0.0 && test_fraction <= 0.9))
    {
      g_set_error (error, NNS_DATASET_ERROR, NNS_DATASET_ERROR_INVALID,
                   _("test fraction %g: give 0 … 0.9"), test_fraction);
      return NULL;
    }

  rand = g_rand_new_with_seed (seed);
  x = g_new (float, 2 * (gsize) n_samples);
  y = g_new (guint8, n_samples);
  for (guint i = 0; i < n_samples; i++)
    {
      toy_point (kind, rand, i, n_samples, x + 2 * (gsize) i, y + i);
      if (noise > 0.0)
        {
          x[2 * (gsize) i] += (float) (noise * gaussian (rand));
          x[2 * (gsize) i + 1] += (float) (noise * gaussian (rand));
        }
    }
  /* Shuffle (Fisher–Yates), then the first points are the test set. */
  for (guint i = n_samples - 1; i > 0; i--)
    {
      guint j = g_rand_int_range (rand, 0, (gint32) i + 1);
      float tx = x[2 * (gsize) i], ty = x[2 * (gsize) i + 1];
      guint8 tl = y[i];

      x[2 * (gsize) i] = x[2 * (gsize) j];
      x[2 * (gsize) i + 1] = x[2 * (gsize) j + 1];
      y[i] = y[j];
      x[2 * (gsize) j] = tx;
      x[2 * (gsize) j + 1] = ty;
      y[j] = tl;
    }

  n_test = (guint) floor (n_samples * test_fraction);
  d = dataset_new (kind, 2, 2);
  d->test.n = n_test;
  d->test.x = g_memdup2 (x, 2 * sizeof (float) * n_test);
  d->test.y = g_memdup2 (y, n_test);
  d->train.n = n_samples - n_test;
  d->train.x = g_memdup2 (x + 2 * (gsize) n_test, 2 * sizeof (float) * d->train.n);
  d->train.y = g_memdup2 (y + n_test, d->train.n);
  return d;
}

/* ---- IDX files ---- */

/* Far more than Fashion-MNIST's 47 MB of training images. */
#define IDX_MAX_BYTES ((guint64) 512 * 1024 * 1024)

static gboolean
read_exactly (GInputStream *in,
              void         *buffer,
              gsize         count,
              gsize        *got,
              GError      **error)
{
  return g_input_stream_read_all (in, buffer, count, got, NULL, error);
}

guint8 *
nns_idx_read (const char *path,
              guint       expect_n_dims,
              guint32    *dims,
              gsize      *length,
              GError    **error)
{
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GInputStream) raw = NULL;
  g_autoptr (GInputStream) in = NULL;
  g_autoptr (GError) local = NULL;
  g_autofree guint8 *data = NULL;
  guint8 header[4], extra;
  guint64 total = 1;
  gsize got;

  raw = G_INPUT_STREAM (g_file_read (file, NULL, &local));
  if (raw == NULL)
    {
      if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_set_error (error, NNS_DATASET_ERROR, NNS_DATASET_ERROR_MISSING,
                     _("%s is missing: install the package %s"), path,
                     NNS_FASHION_MNIST_PACKAGE);
      else
        g_set_error (error, NNS_DATASET_ERROR, NNS_DATASET_ERROR_MISSING,
                     "%s: %s", path, local->message);
      return NULL;
    }
  if (g_str_has_suffix (path, ".gz"))
    {
      g_autoptr (GZlibDecompressor) gunzip =
        g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);

      in = g_converter_input_stream_new (raw, G_CONVERTER (gunzip));
    }
  else
    in = g_object_ref (raw);

#define FAIL_IO(what) \
  do { \
    g_set_error (error, NNS_DATASET_ERROR, NNS_DATASET_ERROR_MALFORMED, \
                 _("%s: %s (%s)"), path, what, local->message); \
    return NULL; \
  } while (0)
#define FAIL(...) \
  do { \
    g_autofree char *why_ = g_strdup_printf (__VA_ARGS__); \
    g_set_error (error, NNS_DATASET_ERROR, NNS_DATASET_ERROR_MALFORMED, \
                 "%s: %s", path, why_); \
    return NULL; \
  } while (0)

  if (!read_exactly (in, header, 4, &got, &local))
    FAIL_IO (_("not a readable gzip file"));
  if (got < 4)
    FAIL (_("too short for an IDX file"));
  if (header[0] != 0 || header[1] != 0)
    FAIL (_("not an IDX file (no IDX magic number)"));
  if (header[2] != 0x08)
    FAIL (_("IDX element type 0x%02x, not unsigned bytes (0x08)"), header[2]);
  if (header[3] != expect_n_dims)
    FAIL (_("%u dimensions, expected %u"), header[3], expect_n_dims);

  for (guint i = 0; i < expect_n_dims; i++)
    {
      guint8 b[4];

      if (!read_exactly (in, b, 4, &got, &local))
        FAIL_IO (_("not a readable gzip file"));
      if (got < 4)
        FAIL (_("truncated in its header"));
      dims[i] = (guint32) b[0] << 24 | (guint32) b[1] << 16 | (guint32) b[2] << 8 | b[3];
      if (dims[i] == 0)
        FAIL (_("dimension %u is 0"), i + 1);
      total *= dims[i];
      if (total > IDX_MAX_BYTES)
        FAIL (_("larger than %u MB"), (guint) (IDX_MAX_BYTES >> 20));
    }

  data = g_malloc (total);
  if (!read_exactly (in, data, total, &got, &local))
    FAIL_IO (_("not a readable gzip file"));
  if (got < total)
    FAIL (_("truncated: %zu of %" PRIu64 " data bytes"),
          got, total);
  if (!read_exactly (in, &extra, 1, &got, &local))
    FAIL_IO (_("not a readable gzip file"));
  if (got != 0)
    FAIL (_("more data than its dimensions say"));
#undef FAIL
#undef FAIL_IO

  *length = total;
  return g_steal_pointer (&data);
}

static gboolean
load_split (const char *dir,
            const char *prefix,
            NnsSamples *samples,
            GError    **error)
{
  g_autofree char *image_name = g_strdup_printf ("%s-images-idx3-ubyte.gz", prefix);
  g_autofree char *label_name = g_strdup_printf ("%s-labels-idx1-ubyte.gz", prefix);
  g_autofree char *image_path = g_build_filename (dir, image_name, NULL);
  g_autofree char *label_path = g_build_filename (dir, label_name, NULL);
  g_autofree guint8 *pixels = NULL;
  g_autofree guint8 *labels = NULL;
  guint32 image_dims[3], label_dims[1];
  gsize n_pixels, n_labels;

  labels = nns_idx_read (label_path, 1, label_dims, &n_labels, error);
  if (labels == NULL)
    return FALSE;
  for (gsize i = 0; i < n_labels; i++)
    if (labels[i] > 9)
      {
        g_set_error (error, NNS_DATASET_ERROR, NNS_DATASET_ERROR_MALFORMED,
                     _("%s: label %u of item %zu is not a class 0 … 9"),
                     label_path, labels[i], i + 1);
        return FALSE;
      }
  pixels = nns_idx_read (image_path, 3, image_dims, &n_pixels, error);
  if (pixels == NULL)
    return FALSE;
  if (image_dims[1] != 28 || image_dims[2] != 28)
    {
      g_set_error (error, NNS_DATASET_ERROR, NNS_DATASET_ERROR_MALFORMED,
                   _("%s: images of %u × %u, not 28 × 28"), image_path,
                   image_dims[1], image_dims[2]);
      return FALSE;
    }
  if (image_dims[0] != label_dims[0])
    {
      g_set_error (error, NNS_DATASET_ERROR, NNS_DATASET_ERROR_MALFORMED,
                   _("%s: %u labels but %u images in %s"), label_path,
                   label_dims[0], image_dims[0], image_name);
      return FALSE;
    }

  samples->n = image_dims[0];
  samples->x = g_new (float, n_pixels);
  for (gsize i = 0; i < n_pixels; i++)
    samples->x[i] = pixels[i] / 255.0f;
  samples->y = g_steal_pointer (&labels);
  return TRUE;
}

NnsDataset *
nns_dataset_load_fashion_mnist (const char *dir,
                                GError    **error)
{
  g_autoptr (NnsDataset) d = dataset_new (NNS_DATASET_FASHION_MNIST, 28 * 28, 10);

  if (dir == NULL)
    dir = NNS_FASHION_MNIST_DIR;
  if (!load_split (dir, "train", &d->train, error) ||
      !load_split (dir, "t10k", &d->test, error))
    return NULL;
  return g_steal_pointer (&d);
}
