/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "nns-onnx"

/* ONNX, through protobuf-c and the onnx.proto Debian installs: a graph that
 * is a chain of Gemm (or MatMul + Add) with activations between them, as
 * torch.onnx.export writes an MLP. The initializers are the weights. Every
 * other node is refused, naming the node and its op type. */

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "onnx.pb-c.h"
#include "nns-model-file-private.h"

typedef struct
{
  Onnx__ModelProto *model;
  GHashTable       *initializers;   /* name → Onnx__TensorProto */
  GHashTable       *constants;      /* a Constant node's output → Onnx__TensorProto */
  GPtrArray        *raws;           /* of NnsRawTensor, owned */
  GArray           *layers;         /* of NnsRawLayer */
  GString          *notes;
  const char       *current;        /* the value the chain has reached */
  gboolean          activation_done;
  gboolean          norm_done;
} Reader;

static const char *
node_label (const Onnx__NodeProto *node, char *buffer, gsize size)
{
  g_snprintf (buffer, size, "%s (%s)",
              node->name != NULL && node->name[0] != '\0' ? node->name
              : node->n_output > 0 ? node->output[0] : "?",
              node->op_type != NULL ? node->op_type : "?");
  return buffer;
}

static gboolean
refuse (GError **error, gint code, const Onnx__NodeProto *node, const char *why)
{
  char label[256];

  g_set_error (error, NNS_MODEL_FILE_ERROR, code, _("node %s: %s"),
               node_label (node, label, sizeof label), why);
  return FALSE;
}

static const Onnx__AttributeProto *
attribute (const Onnx__NodeProto *node, const char *name)
{
  for (gsize a = 0; a < node->n_attribute; a++)
    if (g_strcmp0 (node->attribute[a]->name, name) == 0)
      return node->attribute[a];
  return NULL;
}

static gboolean
int_attribute_is (const Onnx__NodeProto *node, const char *name, gint64 fallback, gint64 want)
{
  const Onnx__AttributeProto *a = attribute (node, name);

  return (a != NULL && a->has_i ? a->i : fallback) == want;
}

static gboolean
float_attribute_is (const Onnx__NodeProto *node, const char *name, float fallback, float want)
{
  const Onnx__AttributeProto *a = attribute (node, name);

  return (a != NULL && a->has_f ? a->f : fallback) == want;
}

/* The tensor as a raw tensor, its bytes checked against its shape. */
static const NnsRawTensor *
raw_tensor (Reader *reader, const Onnx__TensorProto *tensor, GError **error)
{
  NnsRawTensor *raw;
  guint64 n = 1;
  guint size;
  const char *name = tensor->name != NULL && tensor->name[0] ? tensor->name : "?";

  if (tensor->has_data_location && tensor->data_location == ONNX__TENSOR_PROTO__DATA_LOCATION__EXTERNAL)
    {
      g_set_error (error, NNS_MODEL_FILE_ERROR, NNS_MODEL_FILE_ERROR_UNSUPPORTED,
                   _("%s: stored in an external file, which NN Sketch does not read"), name);
      return NULL;
    }
  if (tensor->n_dims > NNS_RAW_MAX_DIMS)
    {
      g_set_error (error, NNS_MODEL_FILE_ERROR, NNS_MODEL_FILE_ERROR_UNSUPPORTED,
                   _("%s: %zu dimensions"), name, tensor->n_dims);
      return NULL;
    }
  raw = g_new0 (NnsRawTensor, 1);
  g_ptr_array_add (reader->raws, raw);
  raw->name = name;
  raw->n_dims = tensor->n_dims;
  for (gsize d = 0; d < tensor->n_dims; d++)
    {
      if (tensor->dims[d] < 0 || (guint64) tensor->dims[d] > G_MAXUINT32)
        {
          g_set_error (error, NNS_MODEL_FILE_ERROR, NNS_MODEL_FILE_ERROR_INVALID,
                       _("%s: dimension %zu is %" PRId64), name, d,
                       tensor->dims[d]);
          return NULL;
        }
      raw->shape[d] = (guint64) tensor->dims[d];
      n *= raw->shape[d];
      if (n > G_MAXUINT32)
        {
          g_set_error (error, NNS_MODEL_FILE_ERROR, NNS_MODEL_FILE_ERROR_INVALID,
                       _("%s: more elements than the file can hold"), name);
          return NULL;
        }
    }
  if (n == 0)
    {
      g_autofree char *shape = _nns_raw_tensor_dup_shape (raw);

      g_set_error (error, NNS_MODEL_FILE_ERROR, NNS_MODEL_FILE_ERROR_INVALID,
                   _("%s: an empty tensor %s"), name, shape);
      return NULL;
    }
  raw->n_elements = n;
  switch (tensor->has_data_type ? tensor->data_type : 0)
    {
    case ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT:
      raw->dtype = NNS_DTYPE_F32, size = 4;
      break;
    case ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT16:
      raw->dtype = NNS_DTYPE_F16, size = 2;
      break;
    case ONNX__TENSOR_PROTO__DATA_TYPE__BFLOAT16:
      raw->dtype = NNS_DTYPE_BF16, size = 2;
      break;
    default:
      g_set_error (error, NNS_MODEL_FILE_ERROR, NNS_MODEL_FILE_ERROR_UNSUPPORTED,
                   _("%s: data type %d is not read (float, float16 and bfloat16 are)"), name,
                   tensor->data_type);
      return NULL;
    }
  if (tensor->has_raw_data)
    {
      if (tensor->raw_data.len != n * size)
        {
          g_autofree char *shape = _nns_raw_tensor_dup_shape (raw);

          g_set_error (error, NNS_MODEL_FILE_ERROR, NNS_MODEL_FILE_ERROR_INVALID,
                       _("%s: %zu bytes, but %s %s needs %" PRIu64),
                       name, tensor->raw_data.len, shape, _nns_dtype_get_name (raw->dtype),
                       n * size);
          return NULL;
        }
      raw->data = tensor->raw_data.data;
    }
  else if (raw->dtype == NNS_DTYPE_F32 && tensor->n_float_data == n && G_BYTE_ORDER == G_LITTLE_ENDIAN)
    raw->data = (const guint8 *) tensor->float_data;
  else
    {
      g_set_error (error, NNS_MODEL_FILE_ERROR, NNS_MODEL_FILE_ERROR_INVALID,
                   _("%s: its values do not match its shape"), name);
      return NULL;
    }
  return raw;
}

static const Onnx__TensorProto *
initializer (Reader *reader, const char *name)
{
  return name != NULL ? g_hash_table_lookup (reader->initializers, name) : NULL;
}

/* A scalar float from a Constant node or an initializer, or NAN. */
static float
scalar (Reader *reader, const char *name, GError **error)
{
  const Onnx__TensorProto *tensor = g_hash_table_lookup (reader->constants, name);
  const NnsRawTensor *raw;

  if (tensor == NULL)
    tensor = initializer (reader, name);
  if (tensor == NULL)
    return NAN;
  raw = raw_tensor (reader, tensor, error);
  if (raw == NULL || raw->n_elements != 1)
    return NAN;
  return _nns_raw_tensor_get (raw, 0);
}

static NnsRawLayer *
current_layer (Reader *reader)
{
  return reader->layers->len > 0
         ? &g_array_index (reader->layers, NnsRawLayer, reader->layers->len - 1) : NULL;
}

/* The initializer's name without ".weight": a layer's name unless a number. */
static char *
layer_name (const char *tensor_name)
{
  const char *dot = strrchr (tensor_name, '.');
  g_autofree char *prefix = NULL;

  if (dot == NULL || strchr (tensor_name, ':') != NULL)
    return NULL;
  prefix = g_strndup (tensor_name, dot - tensor_name);
  for (const char *p = prefix; *p; p++)
    if (!g_ascii_isdigit (*p))
      return g_steal_pointer (&prefix);
  return NULL;
}

static gboolean
add_linear (Reader *reader, const Onnx__NodeProto *node, const char *weight_name,
            gboolean transposed, const char *bias_name, GError **error)
{
  const Onnx__TensorProto *w = initializer (reader, weight_name);
  const Onnx__TensorProto *b = bias_name != NULL ? initializer (reader, bias_name) : NULL;
  const NnsRawTensor *weight, *bias = NULL;
  NnsRawLayer layer = { 0 }, *previous = current_layer (reader);
  guint64 out, in;

  if (w == NULL)
    return refuse (error, NNS_MODEL_FILE_ERROR_UNSUPPORTED, node,
                   _("its weight is not an initializer (a constant of the file)"));
  if (bias_name != NULL && b == NULL)
    return refuse (error, NNS_MODEL_FILE_ERROR_UNSUPPORTED, node,
                   _("its bias is not an initializer"));
  weight = raw_tensor (reader, w, error);
  if (weight == NULL)
    return FALSE;
  if (weight->n_dims != 2)
    return refuse (error, NNS_MODEL_FILE_ERROR_UNSUPPORTED, node, _("its weight is not 2-D"));
  out = transposed ? weight->shape[1] : weight->shape[0];
  in = transposed ? weight->shape[0] : weight->shape[1];
  if (out > NNS_UNITS_MAX || in > NNS_UNITS_MAX)
    return refuse (error, NNS_MODEL_FILE_ERROR_UNSUPPORTED, node, _("wider than the limits"));
  if (previous != NULL && in != previous->units)
    {
      g_autofree char *why = g_strdup_printf (_("takes %" PRIu64 " inputs, but the "
                                                "layer before gives %u"), in, previous->units);

      return refuse (error, NNS_MODEL_FILE_ERROR_UNSUPPORTED, node, why);
    }
  if (b != NULL)
    {
      bias = raw_tensor (reader, b, error);
      if (bias == NULL)
        return FALSE;
      if (bias->n_elements != out || bias->n_dims > 2)
        return refuse (error, NNS_MODEL_FILE_ERROR_UNSUPPORTED, node,
                       _("its bias does not have one value per output"));
    }
  if (reader->layers->len >= NNS_LAYERS_MAX)
    return refuse (error, NNS_MODEL_FILE_ERROR_UNSUPPORTED, node, _("too many layers"));
  layer.in = (guint) in;
  layer.units = (guint) out;
  layer.bias = bias != NULL;
  layer.transposed = transposed;
  layer.name = layer_name (weight->name);
  layer.tensor[NNS_TENSOR_WEIGHT] = weight;
  layer.tensor[NNS_TENSOR_BIAS] = bias;
  g_array_append_val (reader->layers, layer);
  reader->activation_done = reader->norm_done = FALSE;
  return TRUE;
}

static gboolean
set_activation (Reader *reader, const Onnx__NodeProto *node, NnsActivation activation,
                GError **error)
{
  NnsRawLayer *layer = current_layer (reader);

  if (layer == NULL)
    return refuse (error, NNS_MODEL_FILE_ERROR_UNSUPPORTED, node,
                   _("an activation before the first Linear"));
  if (reader->activation_done)
    return refuse (error, NNS_MODEL_FILE_ERROR_UNSUPPORTED, node,
                   _("a second activation after one Linear"));
  layer->activation = activation;
  reader->activation_done = TRUE;
  return TRUE;
}

/* Whether node takes the chain's value as its first input (or, for a
 * commutative op, as either). */
static int
data_input (Reader *reader, const Onnx__NodeProto *node, gboolean either)
{
  if (node->n_input >= 1 && g_strcmp0 (node->input[0], reader->current) == 0)
    return 0;
  if (either && node->n_input >= 2 && g_strcmp0 (node->input[1], reader->current) == 0)
    return 1;
  return -1;
}

/* The node after *n that is not a Constant, if its op is op; *n moves to
 * just before it. */
static const Onnx__NodeProto *
next_node (const Onnx__GraphProto *graph, gsize *n, const char *op)
{
  gsize next = *n + 1;

  while (next < graph->n_node && g_strcmp0 (graph->node[next]->op_type, "Constant") == 0)
    next++;
  if (next < graph->n_node && g_strcmp0 (graph->node[next]->op_type, op) == 0)
    {
      *n = next - 1;
      return graph->node[next];
    }
  return NULL;
}

static gboolean
near (float value, double want)
{
  return fabs (value - want) <= 1e-6 * fabs (want);
}

/* GELU as torch 1.13 exports it: x · (erf (x / √2) + 1) · 0.5. Starting at
 * the Div node n; on success n is the last node of the pattern. */
static gboolean
erf_gelu (Reader *reader, const Onnx__GraphProto *graph, gsize *n, GError **error)
{
  const Onnx__NodeProto *div = graph->node[*n], *erf, *add, *mul, *half;
  const char *x = reader->current;
  gsize at = *n;

  if (div->n_input != 2 || div->n_output != 1 || !near (scalar (reader, div->input[1], NULL), G_SQRT2))
    return FALSE;
  if ((erf = next_node (graph, &at, "Erf")) == NULL || erf->n_input != 1 || erf->n_output != 1 ||
      g_strcmp0 (erf->input[0], div->output[0]) != 0)
    return FALSE;
  at++;
  if ((add = next_node (graph, &at, "Add")) == NULL || add->n_input != 2 || add->n_output != 1)
    return FALSE;
  if (!((g_strcmp0 (add->input[0], erf->output[0]) == 0 && near (scalar (reader, add->input[1], NULL), 1)) ||
        (g_strcmp0 (add->input[1], erf->output[0]) == 0 && near (scalar (reader, add->input[0], NULL), 1))))
    return FALSE;
  at++;
  if ((mul = next_node (graph, &at, "Mul")) == NULL || mul->n_input != 2 || mul->n_output != 1)
    return FALSE;
  if (!((g_strcmp0 (mul->input[0], x) == 0 && g_strcmp0 (mul->input[1], add->output[0]) == 0) ||
        (g_strcmp0 (mul->input[1], x) == 0 && g_strcmp0 (mul->input[0], add->output[0]) == 0)))
    return FALSE;
  at++;
  if ((half = next_node (graph, &at, "Mul")) == NULL || half->n_input != 2 || half->n_output != 1)
    return FALSE;
  if (!((g_strcmp0 (half->input[0], mul->output[0]) == 0 && near (scalar (reader, half->input[1], NULL), 0.5)) ||
        (g_strcmp0 (half->input[1], mul->output[0]) == 0 && near (scalar (reader, half->input[0], NULL), 0.5))))
    return FALSE;
  at++;
  if (!set_activation (reader, div, NNS_ACTIVATION_GELU, error))
    return FALSE;
  reader->current = half->output[0];
  *n = at + 1;
  return TRUE;
}

static gboolean
read_node (Reader *reader, const Onnx__GraphProto *graph, gsize *n, GError **error)
{
  const Onnx__NodeProto *node = graph->node[*n];
  const char *op = node->op_type != NULL ? node->op_type : "";
  static const struct { const char *op; NnsActivation activation; } activations[] = {
    { "Relu", NNS_ACTIVATION_RELU }, { "Tanh", NNS_ACTIVATION_TANH },
    { "Softplus", NNS_ACTIVATION_SOFTPLUS }, { "Gelu", NNS_ACTIVATION_GELU },
  };

  if (g_str_equal (op, "Constant"))
    {
      const Onnx__AttributeProto *value = attribute (node, "value");

      if (node->n_output != 1 || value == NULL || value->t == NULL)
        return refuse (error, NNS_MODEL_FILE_ERROR_UNSUPPORTED, node, _("not a tensor constant"));
      (*n)++;
      return TRUE;
    }
  if (node->n_output != 1)
    return refuse (error, NNS_MODEL_FILE_ERROR_UNSUPPORTED, node, _("more than one output"));

  if (g_str_equal (op, "Div") && data_input (reader, node, FALSE) == 0 &&
      erf_gelu (reader, graph, n, error))
    return TRUE;
  if (error != NULL && *error != NULL)
    return FALSE;

  if (data_input (reader, node, g_str_equal (op, "Add") || g_str_equal (op, "Mul")) < 0)
    return refuse (error, NNS_MODEL_FILE_ERROR_UNSUPPORTED, node,
                   _("it does not continue the chain of layers (NN Sketch reads a chain of "
                     "Gemm or MatMul + Add with activations between them)"));

  if (g_str_equal (op, "Gemm"))
    {
      if (node->n_input < 2 || node->n_input > 3 || !int_attribute_is (node, "transA", 0, 0) ||
          !float_attribute_is (node, "alpha", 1, 1) || !float_attribute_is (node, "beta", 1, 1))
        return refuse (error, NNS_MODEL_FILE_ERROR_UNSUPPORTED, node,
                       _("a Gemm other than x · Wᵀ + b (transA, alpha or beta)"));
      if (!add_linear (reader, node, node->input[1], int_attribute_is (node, "transB", 0, 0),
                       node->n_input == 3 && node->input[2][0] ? node->input[2] : NULL, error))
        return FALSE;
    }
  else if (g_str_equal (op, "MatMul"))
    {
      const Onnx__NodeProto *add = next_node (graph, n, "Add");
      const char *bias = NULL;

      if (node->n_input != 2)
        return refuse (error, NNS_MODEL_FILE_ERROR_UNSUPPORTED, node, _("not two inputs"));
      if (add != NULL && add->n_input == 2 && add->n_output == 1)
        {
          if (g_strcmp0 (add->input[0], node->output[0]) == 0 && initializer (reader, add->input[1]))
            bias = add->input[1];
          else if (g_strcmp0 (add->input[1], node->output[0]) == 0 && initializer (reader, add->input[0]))
            bias = add->input[0];
        }
      if (!add_linear (reader, node, node->input[1], TRUE, bias, error))
        return FALSE;
      if (bias != NULL)
        {
          (*n)++;
          node = add;
        }
    }
  else if (g_str_equal (op, "Flatten") || g_str_equal (op, "Identity") ||
           g_str_equal (op, "Dropout"))
    {
      if (g_str_equal (op, "Flatten") && !int_attribute_is (node, "axis", 1, 1))
        return refuse (error, NNS_MODEL_FILE_ERROR_UNSUPPORTED, node, _("a Flatten of the batch"));
      /* No parameters, no change of width: nothing to draw. */
    }
  else if (g_str_equal (op, "Sigmoid"))
    {
      const Onnx__NodeProto *mul = next_node (graph, n, "Mul");

      /* SiLU: x · sigmoid (x). */
      if (mul != NULL && mul->n_input == 2 && mul->n_output == 1 &&
          ((g_strcmp0 (mul->input[0], reader->current) == 0 &&
            g_strcmp0 (mul->input[1], node->output[0]) == 0) ||
           (g_strcmp0 (mul->input[1], reader->current) == 0 &&
            g_strcmp0 (mul->input[0], node->output[0]) == 0)))
        {
          if (!set_activation (reader, node, NNS_ACTIVATION_SILU, error))
            return FALSE;
          (*n)++;
          node = mul;
        }
      else if (!set_activation (reader, node, NNS_ACTIVATION_SIGMOID, error))
        return FALSE;
    }
  else if (g_str_equal (op, "Softmax") || g_str_equal (op, "LogSoftmax"))
    {
      if (!int_attribute_is (node, "axis", -1, -1) && !int_attribute_is (node, "axis", -1, 1))
        return refuse (error, NNS_MODEL_FILE_ERROR_UNSUPPORTED, node, _("not over the features"));
      if (!set_activation (reader, node, g_str_equal (op, "Softmax") ? NNS_ACTIVATION_SOFTMAX
                                                                     : NNS_ACTIVATION_LOG_SOFTMAX,
                           error))
        return FALSE;
    }
  else if (g_str_equal (op, "LeakyRelu"))
    {
      if (!float_attribute_is (node, "alpha", 0.01f, 0.01f))
        return refuse (error, NNS_MODEL_FILE_ERROR_UNSUPPORTED, node,
                       _("a negative slope other than nn.LeakyReLU’s 0.01"));
      if (!set_activation (reader, node, NNS_ACTIVATION_LEAKY_RELU, error))
        return FALSE;
    }
  else if (g_str_equal (op, "Elu"))
    {
      if (!float_attribute_is (node, "alpha", 1, 1))
        return refuse (error, NNS_MODEL_FILE_ERROR_UNSUPPORTED, node,
                       _("an alpha other than nn.ELU’s 1"));
      if (!set_activation (reader, node, NNS_ACTIVATION_ELU, error))
        return FALSE;
    }
  else if (g_str_equal (op, "PRelu"))
    {
      const Onnx__TensorProto *slope = node->n_input == 2 ? initializer (reader, node->input[1]) : NULL;
      const NnsRawTensor *raw;
      NnsRawLayer *layer = current_layer (reader);

      if (slope == NULL)
        return refuse (error, NNS_MODEL_FILE_ERROR_UNSUPPORTED, node,
                       _("its slope is not an initializer"));
      if ((raw = raw_tensor (reader, slope, error)) == NULL)
        return FALSE;
      if (!set_activation (reader, node, NNS_ACTIVATION_PRELU, error))
        return FALSE;
      if (raw->n_elements != 1 && raw->n_elements != layer->units)
        return refuse (error, NNS_MODEL_FILE_ERROR_UNSUPPORTED, node,
                       _("a slope that is neither one nor one per unit"));
      layer->extras.prelu_per_unit = raw->n_elements != 1;
      layer->tensor[NNS_TENSOR_PRELU] = raw;
    }
  else if (g_str_equal (op, "BatchNormalization"))
    {
      NnsRawLayer *layer = current_layer (reader);
      const NnsRawTensor *raws[4];
      static const NnsTensorKind kinds[] = { NNS_TENSOR_NORM_WEIGHT, NNS_TENSOR_NORM_BIAS,
                                             NNS_TENSOR_RUNNING_MEAN, NNS_TENSOR_RUNNING_VAR };

      if (layer == NULL || reader->norm_done || reader->activation_done)
        return refuse (error, NNS_MODEL_FILE_ERROR_UNSUPPORTED, node,
                       _("a norm that does not follow a Linear"));
      if (node->n_input != 5 || !float_attribute_is (node, "epsilon", 1e-5f, 1e-5f) ||
          !int_attribute_is (node, "training_mode", 0, 0))
        return refuse (error, NNS_MODEL_FILE_ERROR_UNSUPPORTED, node,
                       _("not nn.BatchNorm1d’s inference (epsilon 1e-5)"));
      for (guint i = 0; i < 4; i++)
        {
          const Onnx__TensorProto *t = initializer (reader, node->input[i + 1]);

          if (t == NULL)
            return refuse (error, NNS_MODEL_FILE_ERROR_UNSUPPORTED, node,
                           _("its parameters are not initializers"));
          if ((raws[i] = raw_tensor (reader, t, error)) == NULL)
            return FALSE;
          if (raws[i]->n_elements != layer->units)
            return refuse (error, NNS_MODEL_FILE_ERROR_UNSUPPORTED, node,
                           _("its parameters do not have one value per unit"));
          layer->tensor[kinds[i]] = raws[i];
        }
      layer->extras.norm = NNS_NORM_BATCH;
      layer->extras.norm_affine = TRUE;
      layer->extras.norm_bias = TRUE;
      layer->extras.norm_running_stats = TRUE;
      reader->norm_done = TRUE;
      g_string_append_printf (reader->notes,
                              _("%s: ONNX keeps no num_batches_tracked; it reads as 0\n"),
                              node->name != NULL ? node->name : "BatchNormalization");
    }
  else
    {
      guint a;

      for (a = 0; a < G_N_ELEMENTS (activations); a++)
        if (g_str_equal (op, activations[a].op))
          break;
      if (a == G_N_ELEMENTS (activations))
        return refuse (error, NNS_MODEL_FILE_ERROR_UNSUPPORTED, node,
                       _("an operator NN Sketch does not draw (it reads Gemm, MatMul + Add and "
                         "the activations between them)"));
      if (!set_activation (reader, node, activations[a].activation, error))
        return FALSE;
    }
  reader->current = node->output[0];
  (*n)++;
  return TRUE;
}

static void
raw_layer_clear (gpointer data)
{
  g_free (((NnsRawLayer *) data)->name);
}

/* The BatchNormalization's tracked count, which ONNX does not keep. */
static const guint8 zero_i64[8];
static const NnsRawTensor tracked_zero = { "num_batches_tracked", NNS_DTYPE_I64, 0, { 0 }, 1, zero_i64 };

static gboolean
text (const char *name)
{
  return name == NULL || g_utf8_validate (name, -1, NULL);
}

/* protobuf-c does not check proto2 strings; messages and layer names need text. */
static gboolean
names_are_text (const Onnx__GraphProto *graph)
{
  for (gsize i = 0; i < graph->n_node; i++)
    {
      const Onnx__NodeProto *node = graph->node[i];

      if (!text (node->name) || !text (node->op_type))
        return FALSE;
      for (gsize j = 0; j < node->n_input; j++)
        if (!text (node->input[j]))
          return FALSE;
      for (gsize j = 0; j < node->n_output; j++)
        if (!text (node->output[j]))
          return FALSE;
      for (gsize j = 0; j < node->n_attribute; j++)
        if (!text (node->attribute[j]->name) ||
            (node->attribute[j]->t != NULL && !text (node->attribute[j]->t->name)))
          return FALSE;
    }
  for (gsize i = 0; i < graph->n_initializer; i++)
    if (!text (graph->initializer[i]->name))
      return FALSE;
  for (gsize i = 0; i < graph->n_input; i++)
    if (!text (graph->input[i]->name))
      return FALSE;
  return TRUE;
}

/* The shape of an image input before the graph flattens it: the graph
 * input's sizes after the batch, [N, C, H, W] or [N, H, W] with every size
 * known, when they hold the network's input width. */
static void
read_input_shape (const Onnx__ValueInfoProto *input, NnsNetwork *network)
{
  const Onnx__TensorShapeProto *proto;
  NnsInputShape shape = { 0 };

  if (input->type == NULL || input->type->value_case != ONNX__TYPE_PROTO__VALUE_TENSOR_TYPE
      || input->type->tensor_type == NULL || (proto = input->type->tensor_type->shape) == NULL
      || proto->n_dim < 3 || proto->n_dim > 1 + NNS_INPUT_SHAPE_MAX_DIMS)
    return;
  shape.n_dims = proto->n_dim - 1;
  for (gsize d = 1; d < proto->n_dim; d++)
    {
      const Onnx__TensorShapeProto__Dimension *dim = proto->dim[d];

      if (dim == NULL || dim->value_case != ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_VALUE
          || dim->dim_value < 1 || dim->dim_value > NNS_UNITS_MAX)
        return;
      shape.dims[d - 1] = (guint) dim->dim_value;
    }
  /* refused (nothing set) when the sizes do not hold the width */
  nns_network_set_input_shape (network, &shape, NULL);
}

NnsModelFile *
_nns_onnx_read (const guint8 *data, gsize length, GError **error)
{
  Reader reader = { 0 };
  const Onnx__GraphProto *graph;
  NnsModelFile *file = NULL;
  const Onnx__ValueInfoProto *graph_input = NULL;
  guint input = 0;
  gsize n = 0;

  reader.model = onnx__model_proto__unpack (NULL, length, data);
  if (reader.model == NULL)
    {
      g_set_error_literal (error, NNS_MODEL_FILE_ERROR, NNS_MODEL_FILE_ERROR_INVALID,
                           _("not an ONNX model, or a damaged one (protobuf does not parse)"));
      return NULL;
    }
  graph = reader.model->graph;
  if (graph == NULL || graph->n_node == 0)
    {
      g_set_error_literal (error, NNS_MODEL_FILE_ERROR, NNS_MODEL_FILE_ERROR_INVALID,
                           _("an ONNX model without a graph"));
      onnx__model_proto__free_unpacked (reader.model, NULL);
      return NULL;
    }
  if (!names_are_text (graph))
    {
      g_set_error_literal (error, NNS_MODEL_FILE_ERROR, NNS_MODEL_FILE_ERROR_INVALID,
                           _("an ONNX graph with a name that is not UTF-8 text (damaged?)"));
      onnx__model_proto__free_unpacked (reader.model, NULL);
      return NULL;
    }
  reader.initializers = g_hash_table_new (g_str_hash, g_str_equal);
  reader.constants = g_hash_table_new (g_str_hash, g_str_equal);
  reader.raws = g_ptr_array_new_with_free_func (g_free);
  reader.layers = g_array_new (FALSE, TRUE, sizeof (NnsRawLayer));
  g_array_set_clear_func (reader.layers, raw_layer_clear);
  reader.notes = g_string_new (NULL);
  for (gsize i = 0; i < graph->n_initializer; i++)
    if (graph->initializer[i]->name != NULL)
      g_hash_table_insert (reader.initializers, graph->initializer[i]->name, graph->initializer[i]);
  /* Constants first: torch puts them between the nodes that use them. */
  for (gsize i = 0; i < graph->n_node; i++)
    {
      const Onnx__NodeProto *node = graph->node[i];
      const Onnx__AttributeProto *value = g_strcmp0 (node->op_type, "Constant") == 0
                                          ? attribute (node, "value") : NULL;

      if (value != NULL && value->t != NULL && node->n_output == 1)
        g_hash_table_insert (reader.constants, node->output[0], value->t);
    }
  /* The chain starts at the graph's first input that is not a weight. */
  for (gsize i = 0; i < graph->n_input && reader.current == NULL; i++)
    if (graph->input[i]->name != NULL && !initializer (&reader, graph->input[i]->name))
      {
        reader.current = graph->input[i]->name;
        graph_input = graph->input[i];
      }
  if (reader.current == NULL)
    g_set_error_literal (error, NNS_MODEL_FILE_ERROR, NNS_MODEL_FILE_ERROR_INVALID,
                         _("an ONNX graph without an input"));
  else
    {
      gboolean ok = TRUE;

      while (ok && n < graph->n_node)
        ok = read_node (&reader, graph, &n, error);
      if (ok)
        {
          NnsRawLayer *layers = (NnsRawLayer *) reader.layers->data;

          for (guint l = 0; l < reader.layers->len; l++)
            if (layers[l].extras.norm == NNS_NORM_BATCH)
              layers[l].tensor[NNS_TENSOR_NUM_BATCHES_TRACKED] = &tracked_zero;
          input = reader.layers->len > 0 ? layers[0].in : 0;
          if (reader.notes->len > 0)
            g_string_truncate (reader.notes, reader.notes->len - 1);
          {
            g_autofree char *source =
              g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "ONNX, %u layer, opset %" G_GINT64_FORMAT,
                                            "ONNX, %u layers, opset %" G_GINT64_FORMAT,
                                            reader.layers->len),
                               reader.layers->len,
                               reader.model->n_opset_import > 0
                                 ? reader.model->opset_import[0]->version : 0);

            file = _nns_model_file_build (layers, reader.layers->len, input, source,
                                          reader.notes->len > 0 ? g_strdup (reader.notes->str) : NULL,
                                          error);
            if (file != NULL)
              read_input_shape (graph_input, file->network);
          }
        }
    }
  g_string_free (reader.notes, TRUE);
  g_array_unref (reader.layers);
  g_ptr_array_unref (reader.raws);
  g_hash_table_unref (reader.constants);
  g_hash_table_unref (reader.initializers);
  onnx__model_proto__free_unpacked (reader.model, NULL);
  return file;
}
