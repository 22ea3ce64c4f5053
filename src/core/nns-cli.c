/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "nns-cli"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <gio/gunixinputstream.h>
#include <stdio.h>
#include <string.h>

#include "nns-capacity-report.h"
#include "nns-cli.h"
#include "nns-document-format.h"
#include "nns-input.h"
#include "nns-export.h"
#include "nns-file.h"
#include "nns-pytorch.h"
#include "nns-summary.h"
#include "nns-safetensors.h"
#include "nns-document-format.h"
#include "nns-file.h"
#include "nns-train-cli.h"


void
nns_cli_options_clear (NnsCliOptions *options)
{
  g_clear_pointer (&options->layers, g_free);
  g_clear_pointer (&options->file, g_free);
  g_clear_pointer (&options->export_filename, g_free);
  g_clear_pointer (&options->export_background, g_free);
  g_clear_pointer (&options->theme, g_free);
  g_clear_pointer (&options->dtype, g_free);
  g_clear_pointer (&options->optimizer, g_free);
  g_clear_pointer (&options->compare, g_free);
  g_clear_pointer (&options->train, g_free);
  g_clear_pointer (&options->activation, g_free);
  g_clear_pointer (&options->compare_widths, g_free);
}

static gboolean
check_range (const char *option, int value, int lo, int hi, GError **error)
{
  if (value < lo || value > hi)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("%s=%d is outside %d … %d"), option, value, lo, hi);
      return FALSE;
    }
  return TRUE;
}

/* Whether args (before a "--") give the option name ("--lr") as "--lr=X" or
 * "--lr X": a value any number may take cannot also mean "not given". */
static gboolean
option_given (char **args, const char *name)
{
  gsize len = strlen (name);

  for (guint i = 1; args[i] != NULL && strcmp (args[i], "--") != 0; i++)
    if (strncmp (args[i], name, len) == 0 && (args[i][len] == '\0' || args[i][len] == '='))
      return TRUE;
  return FALSE;
}

gboolean
nns_cli_parse (NnsCliOptions *options, int argc, char **argv, GError **error)
{
  g_autoptr (GOptionContext) context = NULL;
  g_auto (GStrv) args = NULL;
  g_auto (GStrv) rest = NULL;
  int export_width = -1, export_height = -1, export_scale = 1, batch_size = -1;
  GOptionEntry entries[] = {
    { "layers", 0, 0, G_OPTION_ARG_STRING, &options->layers,
      N_("The network by widths, input first, e.g. --layers=784,256,128,10"), "10,18,20,5" },
    { "summary", 0, 0, G_OPTION_ARG_NONE, &options->summary,
      N_("Print the per-layer table and the total, then exit"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &options->json,
      N_("With --summary: print it as one JSON object"), NULL },
    { "export-filename", 0, 0, G_OPTION_ARG_FILENAME, &options->export_filename,
      N_("Write OUT and exit; the format comes from its extension: .png .svg .pdf .nnsketch .py"),
      "OUT" },
    { "export-width", 0, 0, G_OPTION_ARG_INT, &export_width,
      N_("Fit the drawing into PX pixels (PNG) or points (SVG, PDF) wide, e.g. 1600"), "PX" },
    { "export-height", 0, 0, G_OPTION_ARG_INT, &export_height,
      N_("Fit the drawing into PX pixels (PNG) or points (SVG, PDF) high, e.g. 900"), "PX" },
    { "export-scale", 0, 0, G_OPTION_ARG_INT, &export_scale,
      N_("PNG pixel density, 1 … 8, e.g. --export-scale=2"), "N" },
    { "export-background", 0, 0, G_OPTION_ARG_STRING, &options->export_background,
      N_("transparent or white (default: the theme’s background)"), "transparent|white" },
    { "theme", 0, 0, G_OPTION_ARG_STRING, &options->theme,
      N_("Colours of the drawing: light or dark"), "light|dark" },
    { "show-all-neurons", 0, 0, G_OPTION_ARG_NONE, &options->show_all_neurons,
      N_("Draw every neuron of large layers"), NULL },
    { "batch-size", 0, 0, G_OPTION_ARG_INT, &batch_size,
      N_("With --summary: mult-adds and memory for N samples at once (default 1)"), "N" },
    { "dtype", 0, 0, G_OPTION_ARG_STRING, &options->dtype,
      N_("With --summary: bytes per number (default fp32)"), "fp32|fp16|bf16|int8" },
    { "optimizer", 0, 0, G_OPTION_ARG_STRING, &options->optimizer,
      N_("With --summary: the optimizer whose state training memory holds (default adam)"),
      "sgd|momentum|adam|adamw" },
    { "compare", 0, 0, G_OPTION_ARG_FILENAME, &options->compare,
      N_("With --summary: print OTHER (a file or a --layers list) too, and the difference"),
      "OTHER" },
    { "export-table", 0, 0, G_OPTION_ARG_NONE, &options->export_table,
      N_("With --export-filename: the per-layer counts table under the figure"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &options->version, N_("Print the version and exit"),
      NULL },
    /* training */
    { "train", 0, 0, G_OPTION_ARG_STRING, &options->train,
      N_("Train the network on a data set and print each epoch"),
      "spiral|circles|xor|gauss|fashion-mnist" },
    { "epochs", 0, 0, G_OPTION_ARG_INT, &options->epochs,
      N_("With --train: passes over the training set (default 10)"), "N" },
    { "lr", 0, 0, G_OPTION_ARG_DOUBLE, &options->lr,
      N_("With --train: the learning rate (default: sgd 0.01, adam 0.001)"), "RATE" },
    { "seed", 0, 0, G_OPTION_ARG_INT, &options->seed,
      N_("With --train: the seed of the data, the initial weights and the shuffling (default 1)"),
      "N" },
    { "noise", 0, 0, G_OPTION_ARG_DOUBLE, &options->noise,
      N_("With --train on a 2-D problem: the points' jitter, 0 … 1 (default 0.05)"), "X" },
    { "activation", 0, 0, G_OPTION_ARG_STRING, &options->activation,
      N_("With --train: the activation of every hidden layer (default relu for --layers)"), "NAME" },
    { "compare-widths", 0, 0, G_OPTION_ARG_STRING, &options->compare_widths,
      N_("With --train: train each hidden width for the same epochs and print the table"),
      "1,2,4,…" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &rest, NULL, NULL },
    { NULL }
  };

  context = g_option_context_new (_("[FILE] — draw fully connected networks and count their parameters"));
  g_option_context_set_summary (context,
    _("FILE is a .nnsketch document or PyTorch text (print(model) or nn.Sequential code); "
      "'-' reads stdin.\nWith neither --summary nor --export-filename it opens the window."));
  g_option_context_set_description (context,
    _("Examples:\n"
      "  nnsketch --summary --layers=8,4,2\n"
      "  nnsketch --summary --json model.nnsketch\n"
      "  nnsketch --layers=784,256,128,10 --export-filename=mnist.svg\n"
      "  nnsketch --layers=784,256,128,10 --show-all-neurons --export-width=1600 \\\n"
      "           --export-height=900 --export-scale=2 --export-filename=mnist.png\n"
      "  nnsketch --layers=8,4,2 --theme=dark --export-background=transparent \\\n"
      "           --export-filename=figure.png\n"
      "  nnsketch lesson.nnsketch --export-filename=lesson.pdf\n"
      "  nnsketch --layers=10,18,20,5 --export-filename=model.py\n"
      "  python -c 'print(model)' | nnsketch --summary -\n"
      "  nnsketch --train=spiral --layers=2,16,16,2 --activation=tanh --epochs=50\n"
      "  nnsketch --train=fashion-mnist --epochs=5 --optimizer=adam --batch-size=128\n"
      "  nnsketch --train=circles --compare-widths=1,2,4,8,16 --epochs=30\n"));
  options->epochs = -1;
  options->seed = -1;
  options->noise = -1;
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);

  /* GOption rewrites the vector it is given; give it a copy it may free from. */
  args = g_new0 (char *, argc + 1);
  for (int i = 0; i < argc; i++)
    args[i] = g_strdup (argv[i]);
  options->batch_size_given = option_given (args, "--batch-size");
  options->epochs_given = option_given (args, "--epochs");
  options->lr_given = option_given (args, "--lr");
  options->seed_given = option_given (args, "--seed");
  options->noise_given = option_given (args, "--noise");
  if (!g_option_context_parse_strv (context, &args, error))
    return FALSE;

  if (rest != NULL && g_strv_length (rest) > 1)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("one FILE at most, got “%s” and “%s”"), rest[0], rest[1]);
      return FALSE;
    }
  if (rest != NULL && rest[0] != NULL)
    options->file = g_strdup (rest[0]);
  if (options->file != NULL && options->layers != NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("give either --layers or FILE (“%s”), not both"), options->file);
      return FALSE;
    }
  if (options->json && !options->summary)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("--json goes with --summary"));
      return FALSE;
    }
  /* --batch-size and --optimizer also go with --train */
  if (!nns_train_cli_check (options, error))
    return FALSE;
  if (!options->summary)
    for (guint i = 0; i < 4; i++)
      {
        const char *names[] = { "--batch-size", "--dtype", "--optimizer", "--compare" };
        gboolean train = options->train != NULL;
        gboolean given[] = { options->batch_size_given && !train, options->dtype != NULL,
                             options->optimizer != NULL && !train, options->compare != NULL };

        if (given[i])
          {
            g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                         _("%s goes with --summary"), names[i]);
            return FALSE;
          }
      }
  if (options->export_table && options->export_filename == NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("--export-table goes with --export-filename"));
      return FALSE;
    }
  if (options->train != NULL && options->batch_size_given &&
      !check_range ("--batch-size", batch_size, 1, 65536, error))
    return FALSE;
  if (options->batch_size_given && !check_range ("--batch-size", batch_size, NNS_BATCH_MIN, NNS_BATCH_MAX, error))
    return FALSE;
  options->batch_size = options->batch_size_given ? batch_size : 1;
  if (options->dtype != NULL)
    {
      NnsDtype dtype;

      if (!nns_dtype_from_string (options->dtype, &dtype))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("--dtype=%s: use fp32, fp16, bf16 or int8"), options->dtype);
          return FALSE;
        }
    }
  if (options->optimizer != NULL)
    {
      NnsOptimizer optimizer;

      if (!nns_optimizer_from_string (options->optimizer, &optimizer))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("--optimizer=%s: use sgd, momentum, adam or adamw"), options->optimizer);
          return FALSE;
        }
    }
  if (options->compare != NULL && options->compare[0] == '\0')
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("--compare is empty"));
      return FALSE;
    }
  if (export_width != -1 && !check_range ("--export-width", export_width, 1, NNS_EXPORT_MAX_SIDE, error))
    return FALSE;
  if (export_height != -1 && !check_range ("--export-height", export_height, 1, NNS_EXPORT_MAX_SIDE, error))
    return FALSE;
  if (!check_range ("--export-scale", export_scale, 1, 8, error))
    return FALSE;
  options->export_width = MAX (export_width, 0);
  options->export_height = MAX (export_height, 0);
  options->export_scale = export_scale;
  if (options->export_background != NULL &&
      g_strcmp0 (options->export_background, "transparent") != 0 &&
      g_strcmp0 (options->export_background, "white") != 0)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--export-background=%s: use transparent or white"),
                   options->export_background);
      return FALSE;
    }
  if (options->theme != NULL)
    {
      NnsTheme theme;

      if (!nns_theme_from_string (options->theme, &theme))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("--theme=%s: use light or dark"), options->theme);
          return FALSE;
        }
    }
  if (options->export_filename != NULL)
    {
      NnsExportFormat format;

      if (options->export_filename[0] == '\0')
        {
          g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                               _("--export-filename is empty"));
          return FALSE;
        }
      /* The weights as safetensors, beside the export formats. */
      if (!g_str_has_suffix (options->export_filename, ".safetensors") &&
          !nns_export_format_from_path (options->export_filename, &format, error))
        return FALSE;
    }
  return TRUE;
}

/* FILE, or stdin for "-"; pipes are fine here (process substitution). */
static char *
read_input (const char *file, gsize *length, GError **error)
{
  if (g_strcmp0 (file, "-") == 0)
    {
      g_autoptr (GInputStream) in = g_unix_input_stream_new (0, FALSE);

      return nns_file_read_stream (in, "stdin", length, error);
    }
  else
    {
      g_autoptr (GFile) gfile = g_file_new_for_commandline_arg (file);

      return nns_file_read (gfile, FALSE, length, error);
    }
}

NnsNetwork *
nns_cli_load_network (const NnsCliOptions *options, NnsStyle *style, gboolean *is_document_out,
                      GError **error)
{
  return nns_cli_load_network_full (options, style, is_document_out, NULL, NULL, error);
}

NnsNetwork *
nns_cli_load_network_full (const NnsCliOptions *options, NnsStyle *style,
                           gboolean *is_document_out, NnsWeights **weights_out,
                           char **source_out, GError **error)
{
  g_autoptr (NnsNetwork) network = NULL;

  if (weights_out != NULL)
    *weights_out = NULL;
  if (source_out != NULL)
    *source_out = NULL;

  nns_style_init_default (style);
  if (is_document_out != NULL)
    *is_document_out = FALSE;
  if (options->layers != NULL)
    network = nns_network_new_from_string (options->layers, error);
  else if (options->file != NULL)
    {
      g_autoptr (GError) local_error = NULL;
      g_autofree char *notes = NULL;
      g_autofree char *contents = NULL;
      gboolean is_document = FALSE;
      const char *name = g_strcmp0 (options->file, "-") == 0 ? "stdin" : options->file;
      gsize length = 0;

      contents = read_input (options->file, &length, error);
      if (contents == NULL)
        return NULL;
      network = nns_input_load_data_full (contents, length, style, &is_document, weights_out,
                                          source_out, &notes, &local_error);
      if (network == NULL)
        {
          nns_input_set_error (error, name, local_error);
          return NULL;
        }
      if (is_document_out != NULL)
        *is_document_out = is_document;
      if (notes != NULL && notes[0] != '\0')
        {
          g_auto (GStrv) lines = g_strsplit (g_strchomp (notes), "\n", -1);

          for (guint i = 0; lines[i]; i++)
            fprintf (stderr, "nnsketch: note: %s: %s\n", name, lines[i]);
        }
    }
  else
    network = nns_network_new_default ();

  if (network == NULL)
    return NULL;
  if (options->theme != NULL)
    nns_theme_from_string (options->theme, &style->theme);
  if (options->show_all_neurons)
    style->show_all_neurons = TRUE;
  return g_steal_pointer (&network);
}

void
nns_cli_get_memory_spec (const NnsCliOptions *options, NnsMemorySpec *spec)
{
  nns_memory_spec_init (spec);
  if (options->batch_size > 0)
    spec->batch = options->batch_size;
  if (options->dtype != NULL)
    nns_dtype_from_string (options->dtype, &spec->dtype);
  if (options->optimizer != NULL)
    nns_optimizer_from_string (options->optimizer, &spec->optimizer);
}

/* --compare=OTHER: a file when one is there, otherwise a --layers list
 * (whose errors then also say that no such file exists). */
static NnsNetwork *
load_compare (const NnsCliOptions *options, GError **error)
{
  NnsCliOptions other = { 0 };
  NnsStyle style;
  g_autoptr (GError) local_error = NULL;
  NnsNetwork *network;
  gboolean is_file = g_strcmp0 (options->compare, "-") == 0 ||
                     g_file_test (options->compare, G_FILE_TEST_EXISTS) ||
                     strspn (options->compare, "0123456789, ") != strlen (options->compare);

  if (is_file)
    other.file = options->compare;
  else
    other.layers = options->compare;
  network = nns_cli_load_network (&other, &style, NULL, &local_error);
  if (network == NULL)
    g_set_error (error, local_error->domain, local_error->code, "--compare: %s",
                 local_error->message);
  return network;
}

gboolean
nns_cli_wants_window (const NnsCliOptions *options)
{
  return !options->summary && options->export_filename == NULL && !options->version &&
         options->train == NULL;
}

static gboolean
run_export (const NnsCliOptions *options, NnsNetwork *network, NnsWeights *weights,
            const NnsStyle *style, GError **error)
{
  NnsExportFormat format;
  NnsExportOptions export_options;
  g_autofree char *code = NULL;

  if (g_str_has_suffix (options->export_filename, ".safetensors"))
    {
      g_autoptr (NnsWeights) initial = weights == NULL
                                       ? nns_weights_new_init (network, NNS_WEIGHTS_SEED_DEFAULT)
                                       : NULL;

      return nns_safetensors_save (network, weights != NULL ? weights : initial,
                                   options->export_filename, error);
    }
  if (!nns_export_format_from_path (options->export_filename, &format, error))
    return FALSE;

  switch (format)
    {
    case NNS_EXPORT_NNSKETCH:
      {
        g_autofree char *data = nns_document_to_data_with_weights (
          network,
          weights != NULL && !nns_weights_is_initial (weights, network, NNS_WEIGHTS_SEED_DEFAULT)
            ? weights : NULL,
          style);

        return nns_file_write_atomic (options->export_filename, data, strlen (data), error);
      }
    case NNS_EXPORT_PYTORCH:
      /* Weights of their own (trained, read from a model file) go beside the
       * code, which loads them. */
      if (weights != NULL && !nns_weights_is_initial (weights, network, NNS_WEIGHTS_SEED_DEFAULT))
        {
          g_autofree char *base = g_strndup (options->export_filename,
                                             strlen (options->export_filename) -
                                               (g_str_has_suffix (options->export_filename, ".py")
                                                  ? 3 : 0));
          g_autofree char *weights_path = g_strconcat (base, ".safetensors", NULL);
          g_autofree char *weights_name = g_path_get_basename (weights_path);

          if (!nns_safetensors_save (network, weights, weights_path, error))
            return FALSE;
          code = nns_pytorch_export_with_weights (network, weights_name);
          g_printerr (_("nnsketch: note: %s: the weights are in %s, which the code loads\n"),
                      options->export_filename, weights_path);
          return nns_file_write_atomic (options->export_filename, code, strlen (code), error);
        }
      code = nns_pytorch_export (network);
      if (code == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                       _("%s: PyTorch export is not available"), options->export_filename);
          return FALSE;
        }
      return nns_file_write_atomic (options->export_filename, code, strlen (code), error);
    case NNS_EXPORT_PNG:
    case NNS_EXPORT_SVG:
    case NNS_EXPORT_PDF:
    default:
      nns_export_options_init (&export_options);
      export_options.width = options->export_width;
      export_options.height = options->export_height;
      export_options.scale = options->export_scale;
      export_options.table = options->export_table;
      if (options->export_background != NULL)
        {
          export_options.transparent = g_strcmp0 (options->export_background, "transparent") == 0;
          export_options.white = g_strcmp0 (options->export_background, "white") == 0;
        }
      {
        g_autofree char *note = NULL;
        /* The model file's weights, else what a new document holds:
         * PyTorch's default initialisation — made only when the drawing
         * is coloured by them (100000 → 1000's initial weights alone take
         * 0.6 s and 400 MB). */
        g_autoptr (NnsWeights) initial = weights == NULL && style->weight_colors
                                         ? nns_weights_new_init (network, NNS_WEIGHTS_SEED_DEFAULT)
                                         : NULL;
        g_autoptr (NnsWeightSource) source = NULL;

        if (weights != NULL || initial != NULL)
          source = nns_weight_source_new (weights != NULL ? weights : initial);

        export_options.weights = source;
        if (!nns_export_image_with_note (network, style, &export_options, format,
                                         options->export_filename, &note, error))
          return FALSE;
        /* A drawing past the viewers' limit was scaled down: say so. */
        if (note != NULL)
          g_printerr ("nnsketch: %s: %s\n", options->export_filename, note);
        return TRUE;
      }
    }
}

/* The --summary text; NULL with an error (a --compare that does not load,
 * figures too large for 64 bits) before anything is written. */
static char *
summary_text (const NnsCliOptions *options, NnsNetwork *network, GError **error)
{
  g_autoptr (NnsNetwork) other = NULL;
  NnsMemorySpec spec;
  NnsMemory memory;

  nns_cli_get_memory_spec (options, &spec);
  if (options->compare != NULL && (other = load_compare (options, error)) == NULL)
    return NULL;
  if (!nns_memory_compute (network, spec.dtype, spec.optimizer, spec.batch, &memory, error) ||
      (other != NULL &&
       !nns_memory_compute (other, spec.dtype, spec.optimizer, spec.batch, &memory, error)))
    return NULL;
  if (other != NULL)
    return nns_capacity_report_compare (other, network, &spec, options->json);
  return options->json ? nns_summary_to_json (network, &spec) : nns_summary_to_text (network, &spec);
}

gboolean
nns_cli_run_batch (const NnsCliOptions *options, NnsNetwork *network, const NnsStyle *style,
                   GError **error)
{
  return nns_cli_run_batch_full (options, network, NULL, NULL, style, error);
}

gboolean
nns_cli_run_batch_full (const NnsCliOptions *options, NnsNetwork *network, NnsWeights *weights,
                        const char *source, const NnsStyle *style, GError **error)
{
  g_autofree char *text = NULL;

  if (options->train != NULL)
    return nns_train_cli_run (options, network, weights, error);
  if (options->summary && (text = summary_text (options, network, error)) == NULL)
    return FALSE;
  /* Where the weights came from, after the text summary. */
  if (text != NULL && !options->json && options->compare == NULL)
    {
      g_autofree char *old = g_steal_pointer (&text);

      text = g_strdup_printf (_("%sWeights: %s\n"), old,
                              source != NULL ? source
                              : _("PyTorch’s default initialisation (uniform in ±1/√in_features, seed 1)"));
    }
  if (options->export_filename != NULL && !run_export (options, network, weights, style, error))
    return FALSE;
  if (text != NULL)
    {
      fputs (text, stdout);
      if (options->json)
        fputc ('\n', stdout);
      fflush (stdout);
    }
  return TRUE;
}
