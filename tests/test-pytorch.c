/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PyTorch text: print(model) and nn.Sequential(…) code in, code out. */
#define G_LOG_DOMAIN "test-pytorch"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>

#include <glib.h>
#include <string.h>

#include "nns-params.h"
#include "nns-pytorch.h"

/* Imports text and checks the widths ("10,18,20,5"), the bias flags ("TTF")
 * and the activation ids ("relu,relu,none"). Returns the network. */
static NnsNetwork *
import_ok (const char *text, const char *widths, const char *biases, const char *activations)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NnsNetwork) network = nns_pytorch_import (text, NULL, &error);
  g_autoptr (GString) w = g_string_new (NULL);
  g_autoptr (GString) b = g_string_new (NULL);
  g_autoptr (GString) a = g_string_new (NULL);

  if (network == NULL)
    fail_msg ("import failed: %s\n%s", error->message, text);
  g_string_append_printf (w, "%u", nns_network_get_input (network));
  for (guint i = 0; i < nns_network_get_n_layers (network); i++)
    {
      const NnsLayer *layer = nns_network_get_layer (network, i);

      g_string_append_printf (w, ",%u", layer->units);
      g_string_append_c (b, layer->bias ? 'T' : 'F');
      g_string_append_printf (a, "%s%s", i ? "," : "", nns_activation_get_id (layer->activation));
    }
  assert_string_equal (w->str, widths);
  if (biases != NULL)
    assert_string_equal (b->str, biases);
  if (activations != NULL)
    assert_string_equal (a->str, activations);
  return g_steal_pointer (&network);
}

static void
import_fails (const char *text, int code, const char *message)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *notes = NULL;
  g_autoptr (NnsNetwork) network = nns_pytorch_import (text, &notes, &error);

  if (network != NULL)
    fail_msg ("import of «%s» should fail with «%s»", text, message);
  assert_null (notes);
  assert_true (g_error_matches (error, NNS_PYTORCH_ERROR, code));
  assert_string_equal (error->message, message);
}

static const char lesson_print[] =
  "Sequential(\n"
  "  (0): Linear(in_features=10, out_features=18, bias=True)\n"
  "  (1): ReLU()\n"
  "  (2): Linear(in_features=18, out_features=20, bias=True)\n"
  "  (3): ReLU()\n"
  "  (4): Linear(in_features=20, out_features=5, bias=False)\n"
  ")\n";

static void
test_print_form (void **state)
{
  g_autoptr (NnsNetwork) network = import_ok (lesson_print, "10,18,20,5", "TTF", "relu,relu,none");

  /* 198 + 380 + 100 */
  assert_int_equal (nns_network_count_total (network), 678);
  for (guint i = 0; i < 3; i++)
    assert_null (nns_network_get_layer (network, i)->name);
}

static void
test_print_named_and_notes (void **state)
{
  const char *text =
    "Sequential(\n"
    "  (flatten): Flatten(start_dim=1, end_dim=-1)\n"
    "  (fc1): Linear(in_features=784, out_features=256, bias=True)\n"
    "  (act1): LeakyReLU(negative_slope=0.01)\n"
    "  (drop): Dropout(p=0.5, inplace=False)\n"
    "  (fc2): Linear(in_features=256, out_features=128, bias=True)\n"
    "  (act2): GELU(approximate='none')\n"
    "  (head): Sequential(\n"
    "    (0): Linear(in_features=128, out_features=10, bias=True)\n"
    "    (1): Softmax(dim=1)\n"
    "  )\n"
    ")\n";
  g_autoptr (GError) error = NULL;
  g_autofree char *notes = NULL;
  g_autoptr (NnsNetwork) network = import_ok (text, "784,256,128,10", "TTT",
                                              "leaky_relu,gelu,softmax");

  assert_string_equal (nns_network_get_layer (network, 0)->name, "fc1");
  assert_string_equal (nns_network_get_layer (network, 1)->name, "fc2");
  /* The nested Sequential's "(0)" is a number: no name. */
  assert_null (nns_network_get_layer (network, 2)->name);
  assert_int_equal (nns_network_count_total (network), 784 * 256 + 256 + 256 * 128 + 128 + 1290);

  g_clear_object (&network);
  network = nns_pytorch_import (text, &notes, &error);
  assert_non_null (network);
  assert_string_equal (notes, "line 2: Flatten skipped (no parameters)");
  /* Dropout is kept with its layer, p and all. */
  assert_true (nns_network_get_layer (network, 0)->dropout == 0.5);
  assert_true (nns_network_get_layer (network, 1)->dropout == 0.0);
}

static void
test_code_form (void **state)
{
  const char *spec =
    "nn.Sequential(nn.Linear(10, 18), nn.ReLU(), nn.Linear(18, 20, bias=False), torch.nn.Tanh(), "
    "nn.Linear(in_features=20, out_features=5),)";
  const char *spread =
    "import torch\n"
    "import torch.nn as nn\n"
    "from collections import OrderedDict\n"
    "\n"
    "# a model, spread over lines\n"
    "model = nn.Sequential(   # comment after the paren\n"
    "\n"
    "    nn.Linear(\n"
    "        10,\n"
    "        18 ,\n"
    "    ),\n"
    "    nn.Sigmoid( ),  # sigmoid\n"
    "    torch.nn.Linear(out_features = 4, in_features = 18, bias = False),\n"
    "    nn.LogSoftmax(dim=-1)\n"
    ")\n"
    "print(sum(p.numel() for p in model.parameters()))\n";
  g_autoptr (NnsNetwork) a = import_ok (spec, "10,18,20,5", "TFT", "relu,tanh,none");
  g_autoptr (NnsNetwork) b = import_ok (spread, "10,18,4", "TF", "sigmoid,log_softmax");
  g_autoptr (NnsNetwork) c = import_ok ("Sequential(Linear(1_000, 0x10), Linear(16, 0b11, 0))",
                                        "1000,16,3", "TF", "none,none");
  g_autoptr (NnsNetwork) d = import_ok ("x=nn.Sequential(nn.Linear(2,3,True,None,None))",
                                        "2,3", "T", "none");

  assert_int_equal (nns_network_count_total (a), 198 + 360 + 105);
  assert_int_equal (nns_network_count_total (b), 198 + 72);
}

static void
test_ordered_dict (void **state)
{
  const char *text =
    "from collections import OrderedDict\n"
    "model = nn.Sequential(collections.OrderedDict([\n"
    "    (\"fc1\", nn.Linear(8, 4)),\n"
    "    ('relu', nn.ReLU()),\n"
    "    (\"0\", nn.Linear(4, 2, bias=False)),\n"
    "    (\"out \\\"q\\\" \\u00e9\\x41\", nn.Linear(2, 1)),\n"
    "]))\n";
  g_autoptr (NnsNetwork) network = import_ok (text, "8,4,2,1", "TFT", "relu,none,none");

  assert_string_equal (nns_network_get_layer (network, 0)->name, "fc1");
  assert_null (nns_network_get_layer (network, 1)->name);
  assert_string_equal (nns_network_get_layer (network, 2)->name, "out \"q\" éA");
}

static void
test_activation_rules (void **state)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *notes = NULL;
  g_autoptr (NnsNetwork) network = NULL;
  const char *text =
    "nn.Sequential(\n"
    "  nn.ReLU(),\n"
    "  nn.Linear(4, 3),\n"
    "  nn.ELU(),\n"
    "  nn.Dropout(0.2),\n"
    "  nn.SiLU(),\n"
    "  nn.Linear(3, 2),\n"
    "  nn.Softplus(),\n"
    "  nn.Identity(),\n"
    ")";

  network = nns_pytorch_import (text, &notes, &error);
  assert_non_null (network);
  assert_int_equal (nns_network_get_layer (network, 0)->activation, NNS_ACTIVATION_ELU);
  assert_int_equal (nns_network_get_layer (network, 1)->activation, NNS_ACTIVATION_SOFTPLUS);
  assert_string_equal (notes,
                       "line 2: ReLU before the first Linear dropped (an activation belongs after "
                       "a dense layer)\n"
                       "line 6: SiLU dropped: the Linear on line 3 already has ELU (one activation "
                       "per layer)\n"
                       "line 9: Identity skipped (no parameters)");

  /* No notes: NULL. */
  g_clear_object (&network);
  g_clear_pointer (&notes, g_free);
  network = nns_pytorch_import ("nn.Sequential(nn.Linear(1, 1))", &notes, &error);
  assert_non_null (network);
  assert_null (notes);
}

static void
test_errors (void **state)
{
  import_fails ("", NNS_PYTORCH_ERROR_EMPTY, "the text is empty");
  import_fails ("  \n# only a comment\n", NNS_PYTORCH_ERROR_EMPTY, "the text is empty");
  import_fails ("A network is layers of neurons. Don't worry (it's simple).",
                NNS_PYTORCH_ERROR_NOT_PYTORCH,
                "not PyTorch: expected nn.Sequential(…), a class based on nn.Module or the print(model) text");
  import_fails ("model = keras.Sequential([\n  layers.Dense(64, activation='relu'),\n])",
                NNS_PYTORCH_ERROR_NOT_PYTORCH,
                "not PyTorch: this looks like Keras; expected nn.Sequential(…), a class based on "
                "nn.Module or the print(model) text");
  import_fails ("from keras.models import Sequential\nmodel = Sequential()\nmodel.add(Dense(3))",
                NNS_PYTORCH_ERROR_NOT_PYTORCH,
                "not PyTorch: this looks like Keras; expected nn.Sequential(…), a class based on "
                "nn.Module or the print(model) text");
  import_fails ("[1, 2, {\"a\": 3}] junk", NNS_PYTORCH_ERROR_NOT_PYTORCH,
                "not PyTorch: expected nn.Sequential(…), a class based on nn.Module or the print(model) text");
  import_fails ("Sequential(\n  (0): Linear(in_features=10, out_features=18, bias=True)\n"
                "  (1): Conv2d(1, 32, kernel_size=(3, 3), stride=(1, 1))\n)",
                NNS_PYTORCH_ERROR_MODULE,
                "line 3: Conv2d has parameters and is not a dense layer; NN Sketch draws only "
                "Linear layers (with BatchNorm1d, LayerNorm, PReLU, activations and dropout)");
  import_fails ("model = nn.Sequential(\n    nn.Linear(10, 18),\n    nn.ReLU(),\n"
                "    nn.Linear(18, 20),\n    nn.Linear(19, 5),\n)",
                NNS_PYTORCH_ERROR_MISMATCH, "line 5: Linear expects in_features=20, got 19");
  import_fails ("nn.Sequential()", NNS_PYTORCH_ERROR_NO_LINEAR,
                "line 1: Sequential has no Linear layer; NN Sketch needs at least one nn.Linear");
  import_fails ("nn.Sequential(nn.ReLU(), nn.Dropout(0.1))", NNS_PYTORCH_ERROR_NO_LINEAR,
                "line 1: Sequential has no Linear layer; NN Sketch needs at least one nn.Linear");
  import_fails ("nn.Sequential(\n nn.Linear(3, 4),\n nn.MyBlock(4))", NNS_PYTORCH_ERROR_MODULE,
                "line 3: nn.MyBlock is not a module NN Sketch knows; it may have parameters");
  import_fails ("nn.Sequential(nn.Linear(0, 4))", NNS_PYTORCH_ERROR_RANGE,
                "line 1: Linear in_features=0 is below 1");
  import_fails ("nn.Sequential(nn.Linear(4, -5))", NNS_PYTORCH_ERROR_RANGE,
                "line 1: Linear out_features=-5 is below 1");
  import_fails ("nn.Sequential(nn.Linear(4, 1000001))", NNS_PYTORCH_ERROR_RANGE,
                "line 1: Linear out_features=1000001 is above 1,000,000");
  import_fails ("nn.Sequential(nn.Linear(4, 18446744073709551616))", NNS_PYTORCH_ERROR_RANGE,
                "line 1: Linear out_features=18446744073709551616 is above 1,000,000");
  import_fails ("nn.Sequential(nn.Linear(4, 1e300))", NNS_PYTORCH_ERROR_RANGE,
                "line 1: Linear out_features=1e300 is not a whole number");
  import_fails ("nn.Sequential(nn.Linear(4.5, 2))", NNS_PYTORCH_ERROR_RANGE,
                "line 1: Linear in_features=4.5 is not a whole number");
  import_fails ("nn.Sequential(nn.Linear(n_in, 2))", NNS_PYTORCH_ERROR_SYNTAX,
                "line 1: Linear in_features=n_in: NN Sketch cannot work out this number from the "
                "text");
  g_object_unref (import_ok ("nn.Sequential(nn.Linear(2, 2 * 3))", "2,6", "T", "none"));
  import_fails ("nn.Sequential(nn.Linear(2))", NNS_PYTORCH_ERROR_SYNTAX,
                "line 1: Linear needs in_features and out_features, e.g. Linear(10, 18)");
  import_fails ("nn.Sequential(nn.Linear(2, 3, bias=maybe))", NNS_PYTORCH_ERROR_SYNTAX,
                "line 1: Linear bias=maybe: expected True or False");
  import_fails ("nn.Sequential(nn.Linear(2, 3, in_features=2))", NNS_PYTORCH_ERROR_SYNTAX,
                "line 1: Linear got in_features twice");
  import_fails ("nn.Sequential(nn.Linear(2, 3, biass=False))", NNS_PYTORCH_ERROR_SYNTAX,
                "line 1: Linear has no argument “biass”");
  import_fails ("nn.Sequential(\n  nn.Linear(2, 3),\n  nn.ReLU\n)", NNS_PYTORCH_ERROR_SYNTAX,
                "line 3: nn.ReLU needs its parentheses: nn.ReLU(…)");
  import_fails ("nn.Sequential(\n  nn.Linear(2, 3),\n  nn.ReLU(\n", NNS_PYTORCH_ERROR_SYNTAX,
                "line 4: the text ends in the middle of an expression; is it cut off?");
  import_fails ("nn.Sequential(\n  nn.Linear(2, 3)\n  nn.ReLU()\n)", NNS_PYTORCH_ERROR_SYNTAX,
                "line 3: expected “)”, got “nn”");
  import_fails ("nn.Sequential(*layers)", NNS_PYTORCH_ERROR_SYNTAX,
                "line 1: Sequential(*…) of something NN Sketch cannot work out");
  import_fails ("nn.Sequential(nn.Linear(2, 3), nn.LazyLinear(4))", NNS_PYTORCH_ERROR_MODULE,
                "line 1: LazyLinear learns its input width when it first runs; write nn.Linear(in_features, out_features) instead");
  import_fails ("Sequential(\n  (0): Linear(in_features=64, out_features=64, bias=True)\n"
                "  (1): MultiheadAttention(\n    (out_proj): NonDynamicallyQuantizableLinear("
                "in_features=64, out_features=64, bias=True)\n  )\n)",
                NNS_PYTORCH_ERROR_MODULE,
                "line 3: MultiheadAttention has parameters and is not a dense layer; NN Sketch "
                "draws only Linear layers (with BatchNorm1d, LayerNorm, PReLU, activations and "
                "dropout)");
  import_fails ("nn.Sequential(nn.Linear(2, 3), nn.Linear(3, 2)", NNS_PYTORCH_ERROR_SYNTAX,
                "line 1: the text ends before the closing “)”; is it cut off?");
  import_fails ("nn.Sequential(nn.Linear(2, 3), \xff)", NNS_PYTORCH_ERROR_SYNTAX,
                "line 1: not valid UTF-8 text");

  /* Every module with parameters that is not Linear, by name. */
  {
    static const char *const refused[] = { "Conv1d", "Conv3d", "BatchNorm2d", "Embedding",
                                           "LSTM", "GRU", "RNN", "Bilinear",
                                           "TransformerEncoderLayer" };

    for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
      {
        g_autofree char *text = g_strdup_printf ("nn.Sequential(\n nn.Linear(3, 3),\n\n "
                                                 "nn.%s(3, 3),\n)", refused[i]);
        g_autofree char *message = g_strdup_printf ("line 4: %s has parameters and is not a dense "
                                                    "layer; NN Sketch draws only Linear layers "
                                                    "(with BatchNorm1d, LayerNorm, PReLU, "
                                                    "activations and dropout)", refused[i]);
        import_fails (text, NNS_PYTORCH_ERROR_MODULE, message);
      }
  }
}

static void
test_limits (void **state)
{
  g_autoptr (GString) text = g_string_new ("nn.Sequential(\n");
  g_autoptr (NnsNetwork) network = NULL;
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < 256; i++)
    g_string_append (text, "  nn.Linear(1000000, 1000000, bias=False),\n");
  {
    g_autofree char *closed = g_strconcat (text->str, ")", NULL);

    network = nns_pytorch_import (closed, NULL, &error);
  }
  assert_non_null (network);
  assert_int_equal (nns_network_get_n_layers (network), 256);
  assert_true (nns_network_count_total (network) == G_GUINT64_CONSTANT (256000000000000));

  g_string_append (text, "  nn.Linear(1000000, 7),\n)");
  import_fails (text->str, NNS_PYTORCH_ERROR_RANGE,
                "line 258: more than 256 dense layers (Linear); NN Sketch draws at most 256");
}

static void
test_line_numbers (void **state)
{
  /* CRLF, comments, a docstring over three lines: still the right line. */
  import_fails ("\"\"\"doc\nstring\n\"\"\"\r\nimport torch.nn as nn\r\n# c\r\n"
                "nn.Sequential(\r\n nn.Linear(2, 3),\r\n nn.Linear(4, 1))",
                NNS_PYTORCH_ERROR_MISMATCH, "line 8: Linear expects in_features=3, got 4");
  /* Deep nesting is refused, not a stack overflow. */
  {
    g_autoptr (GString) text = g_string_new (NULL);

    for (guint i = 0; i < 10000; i++)
      g_string_append (text, "nn.Sequential(");
    import_fails (text->str, NNS_PYTORCH_ERROR_SYNTAX,
                  "line 1: expressions nested more than 100 deep");
  }
}

/* Code that would run for hours is refused by name in a fraction of a
 * second: calls that double at every level (2^40 of them, never deeper
 * than 40), and a loop whose few statements read long expressions (under
 * the statement limit, over the tokens read), and list operations that
 * read a few tokens but build or scan millions of items. At the top level the refusal
 * is not mistaken for a line of prose and skipped. */
static void
refused_as_too_long (const char *text, guint first_line, guint last_line)
{
  static const char too_long[] = ": the code runs too long to be read (NN Sketch stops after "
                                 "2000000 statements or 2000000 tokens read)";
  g_autoptr (GError) error = NULL;
  g_autofree char *notes = NULL;
  g_autoptr (NnsNetwork) network = nns_pytorch_import (text, &notes, &error);
  guint line = 0;

  assert_null (network);
  assert_true (g_error_matches (error, NNS_PYTORCH_ERROR, NNS_PYTORCH_ERROR_RANGE));
  assert_true (g_str_has_suffix (error->message, too_long));
  /* The line where reading stopped: one of the lines that run. */
  assert_int_equal (sscanf (error->message, "line %u:", &line), 1);
  assert_in_range (line, first_line, last_line);
}

static void
test_work_limits (void **state)
{
  /* print(model)'s "N x …" lines: 100,000 copies are made at once (not one
   * key search each), and nested repeats that multiply are refused. */
  import_fails ("Sequential(\n"
                "  (0-99999): 100000 x Linear(in_features=32, out_features=32, bias=True)\n"
                ")\n",
                NNS_PYTORCH_ERROR_RANGE,
                "line 2: more than 256 dense layers (Linear); NN Sketch draws at most 256");
  import_fails ("Net(\n"
                "  (layers): ModuleList(\n"
                "    (0-999): 1000 x Sequential(\n"
                "      (0-999): 1000 x Linear(in_features=32, out_features=32, bias=True)\n"
                "    )\n"
                "  )\n"
                ")\n",
                NNS_PYTORCH_ERROR_RANGE,
                "line 3: more than 200000 modules in all, with their repeats; NN Sketch reads "
                "at most 200000");

  g_autoptr (GString) sum = g_string_new ("import torch.nn as nn\nx = 0\n"
                                          "for i in range(100000):\n    x = 1");

  refused_as_too_long ("import torch.nn as nn\n"
                       "def f(n):\n"
                       "    if n == 0:\n"
                       "        return 1\n"
                       "    return f(n - 1) + f(n - 1)\n"
                       "w = f(40)\n"
                       "model = nn.Sequential(nn.Linear(w, 3))\n",
                       3, 5);
  for (guint i = 0; i < 100; i++)
    g_string_append (sum, " + 1");
  g_string_append (sum, "\nmodel = nn.Sequential(nn.Linear(x, 3))\n");
  refused_as_too_long (sum->str, 3, 4);

  /* 11,000 ranges of 11,000 numbers, each scanned (found by the fuzzer:
   * 12 s before list work was counted); lists repeated, joined, compared
   * and copied in loops of few statements */
  refused_as_too_long ("import torch.nn as nn\n"
                       "x = [n in range(11_000) for _ in range(11_000)]\n", 2, 2);
  refused_as_too_long ("import torch.nn as nn\nbig = [0] * 500000\n"
                       "for i in range(100):\n    y = 7 in big\n", 3, 4);
  refused_as_too_long ("import torch.nn as nn\nbig = [0] * 500000\n"
                       "for i in range(100):\n    y = big + big\n", 3, 4);
  refused_as_too_long ("import torch.nn as nn\nbig = [0] * 500000\n"
                       "for i in range(100):\n    y = big == big\n", 3, 4);
  refused_as_too_long ("import torch.nn as nn\nbig = [0] * 500000\n"
                       "for i in range(100):\n    y = list(big)\n", 3, 4);
  refused_as_too_long ("import torch.nn as nn\nbig = [0] * 500000\n"
                       "for i in range(100):\n    y = big[1:]\n", 3, 4);
}

static void
test_class_and_custom_print (void **state)
{
  g_autofree char *notes = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (NnsNetwork) network = NULL;
  g_autoptr (NnsNetwork) a = import_ok ("class MLP(nn.Module):\n    def __init__(self):\n"
                                        "        super().__init__()\n"
                                        "        self.net = nn.Sequential(nn.Linear(4, 8), "
                                        "nn.ReLU(), nn.Linear(8, 3))\n",
                                        "4,8,3", "TT", "relu,none");

  network = nns_pytorch_import ("MLP(\n  (fc1): Linear(in_features=4, out_features=8, bias=True)\n"
                                "  (relu): ReLU()\n"
                                "  (fc2): Linear(in_features=8, out_features=3, bias=True)\n)\n",
                                &notes, &error);
  assert_non_null (network);
  assert_true (nns_network_equal (network, a) == FALSE);   /* names fc1, fc2 */
  assert_string_equal (nns_network_get_layer (network, 1)->name, "fc2");
  assert_string_equal (notes, "line 1: MLP is a class of its own: print(model) does not show "
                              "parameters it holds itself (nn.Parameter), so they are not counted; "
                              "paste its code to count them\n"
                              "line 1: order taken from the module’s definition (registration "
                              "order, as print(model) shows it); forward() is not read");
}

static void
test_export_exact (void **state)
{
  static const guint widths[] = { 8, 4, 2 };
  g_autoptr (NnsNetwork) network = nns_network_new (widths, 3, NULL);
  g_autofree char *code = NULL;
  g_autofree char *code2 = NULL;
  g_autofree char *code3 = NULL;

  nns_network_set_activation (network, 0, NNS_ACTIVATION_RELU, NULL);
  code = nns_pytorch_export (network);
  assert_string_equal (code,
                       "import torch.nn as nn\n"
                       "\n"
                       "# 46 parameters (sum(p.numel() for p in model.parameters()))\n"
                       "model = nn.Sequential(\n"
                       "    nn.Linear(8, 4),\n"
                       "    nn.ReLU(),\n"
                       "    nn.Linear(4, 2),\n"
                       ")\n");

  nns_network_set_bias (network, 1, FALSE, NULL);
  nns_network_set_activation (network, 1, NNS_ACTIVATION_SOFTMAX, NULL);
  nns_network_set_name (network, 0, "fc1", NULL);
  nns_network_set_name (network, 1, "head \"x\"", NULL);
  code2 = nns_pytorch_export (network);
  assert_string_equal (code2,
                       "from collections import OrderedDict\n"
                       "\n"
                       "import torch.nn as nn\n"
                       "\n"
                       "# 44 parameters (sum(p.numel() for p in model.parameters()))\n"
                       "model = nn.Sequential(OrderedDict([\n"
                       "    (\"fc1\", nn.Linear(8, 4)),\n"
                       "    (\"1\", nn.ReLU()),\n"
                       "    (\"head \\\"x\\\"\", nn.Linear(4, 2, bias=False)),\n"
                       "    (\"3\", nn.Softmax(dim=-1)),\n"
                       "]))\n");

  /* A name PyTorch would refuse as a key (a '.'): a comment instead. */
  nns_network_set_name (network, 1, "head.out\nline", NULL);
  nns_network_set_activation (network, 1, NNS_ACTIVATION_LOG_SOFTMAX, NULL);
  code3 = nns_pytorch_export (network);
  assert_string_equal (code3,
                       "import torch.nn as nn\n"
                       "\n"
                       "# 44 parameters (sum(p.numel() for p in model.parameters()))\n"
                       "model = nn.Sequential(\n"
                       "    nn.Linear(8, 4),  # fc1\n"
                       "    nn.ReLU(),\n"
                       "    nn.Linear(4, 2, bias=False),  # head.out line\n"
                       "    nn.LogSoftmax(dim=-1),\n"
                       ")\n");
}

static void
test_export_every_activation (void **state)
{
  g_autoptr (NnsNetwork) network = nns_network_new ((const guint[]) { 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
                                                                      3, 3, 3 }, 13, NULL);
  g_autoptr (NnsNetwork) back = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *code = NULL;

  for (guint i = 0; i < NNS_N_ACTIVATIONS; i++)
    nns_network_set_activation (network, i, i, NULL);
  code = nns_pytorch_export (network);
  for (guint i = 1; i < NNS_N_ACTIVATIONS; i++)
    {
      g_autofree char *module = g_strdup_printf ("    nn.%s(", nns_activation_get_label (i));
      assert_non_null (strstr (code, module));
    }
  back = nns_pytorch_import (code, NULL, &error);
  assert_non_null (back);
  assert_true (nns_network_equal (network, back));
}

/* The lesson's networks as their code, and hundreds of random ones both ways. */
static void
test_round_trips (void **state)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (20240605);
  guint keyed = 0, plain = 0;

  {
    g_autoptr (NnsNetwork) lesson = import_ok ("nn.Sequential(nn.Linear(8, 4), nn.ReLU(), "
                                               "nn.Linear(4, 2))", "8,4,2", "TT", "relu,none");
    g_autoptr (NnsNetwork) standard = nns_network_new_default ();
    g_autofree char *code = nns_pytorch_export (standard);
    g_autoptr (NnsNetwork) back = nns_pytorch_import (code, NULL, NULL);

    assert_int_equal (nns_network_count_total (lesson), 46);
    assert_non_null (strstr (code, "# 683 parameters"));
    assert_true (nns_network_equal (standard, back));
    assert_int_equal (nns_network_count_total (back), 683);
  }

  for (guint n = 0; n < 400; n++)
    {
      guint n_layers = g_rand_int_range (rand, 0, 10) == 0 ? g_rand_int_range (rand, 1, 257)
                                                           : g_rand_int_range (rand, 1, 8);
      g_autofree guint *widths = g_new (guint, n_layers + 1);
      g_autoptr (NnsNetwork) network = NULL;
      g_autoptr (NnsNetwork) back = NULL;
      g_autoptr (GError) error = NULL;
      g_autofree char *code = NULL;
      gboolean names = g_rand_boolean (rand);

      for (guint i = 0; i <= n_layers; i++)
        widths[i] = g_rand_int_range (rand, 0, 20) == 0 ? g_rand_int_range (rand, 1, 1000001)
                                                        : g_rand_int_range (rand, 1, 300);
      network = nns_network_new (widths, n_layers + 1, NULL);
      for (guint i = 0; i < n_layers; i++)
        {
          nns_network_set_bias (network, i, g_rand_boolean (rand), NULL);
          nns_network_set_activation (network, i, g_rand_int_range (rand, 0, NNS_N_ACTIVATIONS),
                                      NULL);
          if (names && g_rand_boolean (rand))
            {
              g_autofree char *name = g_strdup_printf ("l%u_%s\\'\"é\t", i,
                                                       g_rand_boolean (rand) ? "x" : "fc");
              nns_network_set_name (network, i, name, NULL);
            }
        }
      code = nns_pytorch_export (network);
      back = nns_pytorch_import (code, NULL, &error);
      if (back == NULL)
        fail_msg ("%s\n%s", error->message, code);
      assert_true (nns_network_equal (network, back));
      assert_int_equal (nns_network_count_total (network), nns_network_count_total (back));
      if (g_str_has_prefix (code, "from collections"))
        keyed++;
      else
        plain++;
    }
  /* Both export forms were exercised. */
  assert_true (keyed > 50);
  assert_true (plain > 50);
}

/* The text of a model as people write it: each count is PyTorch's. */
static guint64
count_of (const char *text, char **notes_out)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NnsNetwork) network = nns_pytorch_import (text, notes_out, &error);

  if (network == NULL)
    fail_msg ("import failed: %s\n%s", error->message, text);
  return nns_network_count_total (network);
}

static void
test_real_forms (void **state)
{
  g_autofree char *notes = NULL;
  g_autoptr (NnsNetwork) network = NULL;
  g_autoptr (GError) error = NULL;

  /* Everything outside the first Sequential counts too: 640 + 105. */
  assert_int_equal (count_of ("class Net(nn.Module):\n"
                              "    def __init__(self):\n"
                              "        super().__init__()\n"
                              "        self.features = nn.Sequential(nn.Linear(10, 20), nn.ReLU(),\n"
                              "                                      nn.Linear(20, 20), nn.ReLU())\n"
                              "        self.head = nn.Linear(20, 5)\n"
                              "    def forward(self, x):\n"
                              "        return self.head(self.features(x))\n", NULL), 745);
  /* A header line above print(model). */
  assert_int_equal (count_of (">>> print(model)\nModel architecture:\nNet(\n"
                              "  (features): Sequential(\n"
                              "    (0): Linear(in_features=10, out_features=20, bias=True)\n"
                              "    (1): ReLU()\n"
                              "    (2): Linear(in_features=20, out_features=20, bias=True)\n"
                              "  )\n"
                              "  (head): Linear(in_features=20, out_features=5, bias=True)\n"
                              ")\n", NULL), 745);
  /* Both halves of an autoencoder. */
  assert_int_equal (count_of ("encoder = nn.Sequential(nn.Linear(784, 64), nn.ReLU())\n"
                              "decoder = nn.Sequential(nn.Linear(64, 784), nn.Sigmoid())\n"
                              "model = nn.Sequential(OrderedDict([('encoder', encoder), "
                              "('decoder', decoder)]))\n", NULL),
                    2 * 784 * 64 + 64 + 784);
  /* Widths as expressions, names and defaults of a helper function. */
  assert_int_equal (count_of ("input_size = 28 * 28\n"
                              "def mlp(n_in, hidden=128, n_out=10):\n"
                              "    return nn.Sequential(nn.Linear(n_in, hidden), nn.ReLU(),\n"
                              "                         nn.Linear(hidden, hidden // 2), "
                              "nn.Linear(hidden // 2, n_out))\n"
                              "model = mlp(input_size)\n", NULL),
                    784 * 128 + 128 + 128 * 64 + 64 + 64 * 10 + 10);
  /* A loop, a ModuleList and frozen layers: requires_grad_ changes no count. */
  assert_int_equal (count_of ("layers = nn.ModuleList()\n"
                              "for a, b in zip([8, 16, 16], [16, 16, 4]):\n"
                              "    layers.append(nn.Linear(a, b).requires_grad_(False))\n", NULL),
                    8 * 16 + 16 + 16 * 16 + 16 + 16 * 4 + 4);
  /* Norms and PReLU are counted; their formula says so. */
  network = nns_pytorch_import ("nn.Sequential(nn.Linear(10, 18), nn.BatchNorm1d(18), nn.PReLU(),\n"
                                "              nn.Dropout(0.25), nn.Linear(18, 4), "
                                "nn.LayerNorm(4, elementwise_affine=False))", NULL, &error);
  assert_non_null (network);
  assert_int_equal (nns_network_count_total (network), 198 + 36 + 1 + 76);
  {
    g_autofree char *formula = nns_format_layer_formula (network, 0);

    assert_string_equal (formula, "10 × 18 + 18 + BatchNorm1d 36 + PReLU 1 = 235");
  }
  assert_true (nns_network_get_layer (network, 0)->dropout == 0.25);
  assert_int_equal (nns_network_count_buffers (network, 0), 37);
  g_clear_object (&network);
  /* A module used twice is one set of parameters. */
  assert_int_equal (count_of ("shared = nn.Linear(16, 16)\n"
                              "model = nn.Sequential(nn.Linear(8, 16), shared, nn.ReLU(), shared)\n",
                              &notes), 144 + 272);
  assert_non_null (strstr (notes, "counted once"));
  g_clear_pointer (&notes, g_free);
  /* A plain list is not registered by PyTorch, and the note says so. */
  assert_int_equal (count_of ("class Net(nn.Module):\n"
                              "    def __init__(self):\n"
                              "        super().__init__()\n"
                              "        self.hidden = [nn.Linear(4, 4)]\n"
                              "        self.out = nn.Linear(4, 2)\n", &notes), 10);
  assert_non_null (strstr (notes, "plain Python list"));
  g_clear_pointer (&notes, g_free);
  /* A lone Linear, as print and as code. */
  assert_int_equal (count_of ("Linear(in_features=8, out_features=4, bias=True)", NULL), 36);
  assert_int_equal (count_of ("layer = nn.Linear(8, 4, bias=False)", NULL), 32);
  /* PyTorch 2 folds repeated modules. */
  assert_int_equal (count_of ("ModuleList(\n"
                              "  (0-2): 3 x Linear(in_features=32, out_features=32, bias=True)\n"
                              ")\n", NULL), 3 * (32 * 32 + 32));

  import_fails ("Sequential(\n  (0): Linear(in_features=10, out_features=18, bias=True)\n"
                "  (1): Linear(in_features=18, out_fe", NNS_PYTORCH_ERROR_SYNTAX,
                "line 3: the text ends in the middle of this module; it looks cut off");
  import_fails ("nn.Sequential(nn.Linear(10, 20), nn.GLU(), nn.Linear(10, 5))",
                NNS_PYTORCH_ERROR_MODULE,
                "line 1: GLU changes the width between layers; NN Sketch draws dense layers whose "
                "widths chain");
  import_fails ("a = nn.Sequential(nn.Linear(2, 3))\nb = nn.Sequential(nn.Linear(3, 4))\n",
                NNS_PYTORCH_ERROR_SYNTAX,
                "line 2: two separate models: a (line 1) and b (line 2); NN Sketch draws one — "
                "combine them, e.g. nn.Sequential(a, b)");
  import_fails ("class Net(nn.Module):\n    def __init__(self, n_in):\n"
                "        super().__init__()\n        self.fc = nn.Linear(n_in, 2)\n",
                NNS_PYTORCH_ERROR_SYNTAX,
                "line 1: Net() needs a value for n_in; write it in the call, e.g. Net(n_in=…)");
  import_fails ("model = nn.Sequential(nn.Linear(4, 4), nn.BatchNorm1d(5))",
                NNS_PYTORCH_ERROR_MISMATCH, "line 1: BatchNorm1d expects 4 features, got 5");
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_print_form),
    cmocka_unit_test (test_print_named_and_notes),
    cmocka_unit_test (test_code_form),
    cmocka_unit_test (test_ordered_dict),
    cmocka_unit_test (test_activation_rules),
    cmocka_unit_test (test_errors),
    cmocka_unit_test (test_limits),
    cmocka_unit_test (test_line_numbers),
    cmocka_unit_test (test_work_limits),
    cmocka_unit_test (test_class_and_custom_print),
    cmocka_unit_test (test_export_exact),
    cmocka_unit_test (test_export_every_activation),
    cmocka_unit_test (test_round_trips),
    cmocka_unit_test (test_real_forms),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
