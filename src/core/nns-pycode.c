/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "nns-pytorch"

/* Reads the Python code that builds a PyTorch model by running the part of
 * Python that model definitions use: imports (skipped), classes and their
 * __init__, functions with defaults, assignments, if / for, list and dict
 * literals and comprehensions, integer arithmetic. Module constructors build
 * the module tree PyTorch would build. Whatever the reader cannot work out
 * (a call into another library, a tensor) becomes an unknown value, which is
 * harmless until a width or a module depends on it: then the import is
 * refused, naming the line. forward() is never run. */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <errno.h>
#include <math.h>
#include <string.h>

#include "nns-pytorch-private.h"

#define MAX_STEPS     2000000   /* statements and calls, against endless loops */
/* Tokens read, each re-reading counted (a loop body or a function called
 * again reads its tokens again): bounds the reader's time on any text to
 * about 0.1 s, where real model code reads a few thousand. */
#define MAX_WORK      2000000
#define MAX_DEPTH     64        /* nested calls */
/* The limits in force: MAX_STEPS and MAX_WORK unless a fuzzer lowered them
 * (_nns_pycode_set_limits). */
static guint limit_steps = MAX_STEPS;
static guint limit_work = MAX_WORK;
#define MAX_ITEMS     1000000   /* elements of one list */
#define MAX_MODULES   200000
/* Expressions nested deeper than this are no model definition; the limit
 * keeps the reader's stack small. */
#define MAX_NESTING   100

/* ------------------------------------------------------------------ tokens */

typedef enum
{
  T_END,
  T_NAME,
  T_NUMBER,
  T_STRING,
  T_OP,
  T_NEWLINE,
  T_INDENT,
  T_DEDENT,
} TokKind;

typedef struct
{
  TokKind     kind;
  guint       line;
  const char *start;
  guint       len;
} Tok;

static gboolean
ident_char (char c, gboolean first)
{
  return g_ascii_isalpha (c) || c == '_' || (guchar) c >= 0x80 || (!first && g_ascii_isdigit (c));
}

static void
push (GArray *toks, TokKind kind, guint line, const char *start, gsize len)
{
  Tok t = { kind, line, start, (guint) len };

  g_array_append_val (toks, t);
}

static gboolean
string_prefix (const char *s, gsize len)
{
  if (len == 0 || len > 2)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!strchr ("rRbBuUfF", s[i]))
      return FALSE;
  return TRUE;
}

/* Length of the string literal at s (its opening quote), or 0 when it is
 * never closed (an apostrophe in prose: then a lone character). */
static gsize
string_length (const char *s, guint *lines)
{
  char quote = s[0];
  gboolean triple = s[1] == quote && s[2] == quote;
  gsize p = triple ? 3 : 1;

  *lines = 0;
  while (s[p])
    {
      if (s[p] == '\\' && s[p + 1])
        {
          *lines += s[p + 1] == '\n';
          p += 2;
          continue;
        }
      if (s[p] == '\n')
        {
          if (!triple)
            return 0;
          (*lines)++;
        }
      if (s[p] == quote && (!triple || (s[p + 1] == quote && s[p + 2] == quote)))
        return p + (triple ? 3 : 1);
      p++;
    }
  return 0;
}

static GArray *
tokenize (const char *text, gsize length)
{
  static const char *const ops3[] = { "**=", "//=", ">>=", "<<=", "...", NULL };
  static const char *const ops2[] = { "**", "//", "==", "!=", "<=", ">=", "->", "+=", "-=", "*=",
                                      "/=", "%=", "&=", "|=", "^=", ":=", "<<", ">>", "@=", NULL };
  GArray *toks = g_array_new (FALSE, FALSE, sizeof (Tok));
  GArray *indents = g_array_new (FALSE, FALSE, sizeof (guint));
  const char *s = text, *end = text + length;
  guint line = 1, depth = 0, zero = 0;
  gboolean line_start = TRUE, line_has_tokens = FALSE;

  g_array_append_val (indents, zero);
  while (s < end)
    {
      if (line_start && depth == 0)
        {
          guint col = 0;
          const char *p = s;

          while (p < end && (*p == ' ' || *p == '\t' || *p == '\f'))
            col = *p++ == '\t' ? (col / 8 + 1) * 8 : col + 1;
          line_start = FALSE;
          if (p < end && *p != '\n' && *p != '\r' && *p != '#')
            {
              guint top = g_array_index (indents, guint, indents->len - 1);

              if (col > top)
                {
                  g_array_append_val (indents, col);
                  push (toks, T_INDENT, line, p, 0);
                }
              else
                while (col < top && indents->len > 1)
                  {
                    g_array_set_size (indents, indents->len - 1);
                    push (toks, T_DEDENT, line, p, 0);
                    top = g_array_index (indents, guint, indents->len - 1);
                  }
            }
          s = p;
          continue;
        }
      if (*s == '\n')
        {
          if (depth == 0 && line_has_tokens)
            push (toks, T_NEWLINE, line, s, 0);
          line_has_tokens = depth > 0 && line_has_tokens;
          line++;
          s++;
          line_start = TRUE;
          continue;
        }
      if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\f' || *s == '\v')
        {
          s++;
          continue;
        }
      if (*s == '#')
        {
          while (s < end && *s != '\n')
            s++;
          continue;
        }
      if (*s == '\\' && (s[1] == '\n' || (s[1] == '\r' && s[2] == '\n')))
        {
          s += s[1] == '\n' ? 2 : 3;
          line++;
          continue;
        }

      line_has_tokens = TRUE;
      if (ident_char (*s, TRUE))
        {
          const char *p = s;

          while (p < end && ident_char (*p, FALSE))
            p++;
          if ((*p == '"' || *p == '\'') && string_prefix (s, p - s))
            {
              guint lines;
              gsize n = string_length (p, &lines);

              if (n > 0)
                {
                  push (toks, T_STRING, line, s, (p - s) + n);
                  line += lines;
                  s = p + n;
                  continue;
                }
            }
          push (toks, T_NAME, line, s, p - s);
          s = p;
        }
      else if (g_ascii_isdigit (*s) || (*s == '.' && g_ascii_isdigit (s[1])))
        {
          const char *p = s;

          while (p < end && (g_ascii_isalnum (*p) || *p == '_' || *p == '.' ||
                             ((*p == '-' || *p == '+') && (p[-1] == 'e' || p[-1] == 'E') &&
                              !(s[0] == '0' && (s[1] == 'x' || s[1] == 'X')))))
            p++;
          push (toks, T_NUMBER, line, s, p - s);
          s = p;
        }
      else if (*s == '"' || *s == '\'')
        {
          guint lines;
          gsize n = string_length (s, &lines);

          if (n > 0)
            {
              push (toks, T_STRING, line, s, n);
              line += lines;
              s += n;
            }
          else
            push (toks, T_OP, line, s++, 1);
        }
      else
        {
          gsize n = 0;

          for (guint i = 0; ops3[i] && n == 0; i++)
            if (end - s >= 3 && strncmp (s, ops3[i], 3) == 0)
              n = 3;
          for (guint i = 0; ops2[i] && n == 0; i++)
            if (end - s >= 2 && strncmp (s, ops2[i], 2) == 0)
              n = 2;
          if (n == 0)
            n = g_utf8_next_char (s) - s;
          if (n == 1 && strchr ("([{", *s))
            depth++;
          else if (n == 1 && strchr (")]}", *s) && depth > 0)
            depth--;
          push (toks, T_OP, line, s, n);
          s += n;
        }
    }
  /* An open bracket at the end is left open, so readers see the end. */
  if (line_has_tokens && depth == 0)
    push (toks, T_NEWLINE, line, s, 0);
  while (indents->len > 1)
    {
      g_array_set_size (indents, indents->len - 1);
      push (toks, T_DEDENT, line, s, 0);
    }
  push (toks, T_END, line, s, 0);
  g_array_unref (indents);
  return toks;
}

/* ------------------------------------------------------------------ values */

typedef enum
{
  V_NONE,
  V_BOOL,
  V_INT,
  V_FLOAT,
  V_STR,
  V_LIST,
  V_TUPLE,
  V_DICT,
  V_MODULE,
  V_CLASS,
  V_FUNC,
  V_NAME,      /* a dotted name bound to nothing in the text: nn.Linear, range, torch */
  V_BOUND,     /* a method of a value: layers.append */
  V_SUPER,
  V_UNKNOWN,   /* something only Python could work out */
} VKind;

typedef struct _Def Def;
typedef struct _Value Value;

struct _Value
{
  gint       ref_count;
  VKind      kind;
  gint64     i;           /* BOOL, INT */
  double     f;
  char      *s;           /* STR; NAME's dotted text; BOUND's method; UNKNOWN's text */
  GPtrArray *items;       /* LIST, TUPLE, DICT values */
  GPtrArray *keys;        /* DICT keys */
  NnsModule *module;
  Def       *def;         /* CLASS, FUNC; SUPER: the class it was called in */
  Value     *self;        /* BOUND, SUPER */
  gboolean   maybe_module;/* UNKNOWN: a call of a capitalised name the text does not define */
  guint      line;
};

struct _Def
{
  gboolean is_class;
  char    *name;
  guint    line;
  guint    params;       /* FUNC: token index just after its '(' */
  guint    body, body_end;
  char    *base;         /* CLASS: the dotted name of its first base */
  Def     *base_def;     /* CLASS: that base when the text defines it */
  Def     *init;         /* CLASS: its __init__ */
  Def     *owner;        /* FUNC: the class it is a method of */
  GHashTable *attrs;     /* CLASS: NAME = value lines of its body */
};

/* Every value alive while a text is read: Python code can make a list that
 * holds itself, a cycle that reference counts never free, so what is left
 * when the reader is done is freed here. */
static __thread GHashTable *live_values;

static Value *
value_new (VKind kind, guint line)
{
  Value *v = g_new0 (Value, 1);

  v->ref_count = 1;
  v->kind = kind;
  v->line = line;
  if (live_values != NULL)
    g_hash_table_add (live_values, v);
  return v;
}

static Value *
value_ref (Value *v)
{
  v->ref_count++;
  return v;
}

static void
value_unref (Value *v)
{
  if (v == NULL || --v->ref_count > 0)
    return;
  if (live_values != NULL)
    g_hash_table_remove (live_values, v);
  g_free (v->s);
  g_clear_pointer (&v->items, g_ptr_array_unref);
  g_clear_pointer (&v->keys, g_ptr_array_unref);
  g_clear_pointer (&v->module, _nns_module_unref);
  g_clear_pointer (&v->self, value_unref);
  g_free (v);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Value, value_unref)

static Value *
value_int (gint64 i, guint line)
{
  Value *v = value_new (V_INT, line);

  v->i = i;
  return v;
}

static Value *
value_bool (gboolean b, guint line)
{
  Value *v = value_new (V_BOOL, line);

  v->i = !!b;
  return v;
}

static Value *
value_str (const char *s, guint line)
{
  Value *v = value_new (V_STR, line);

  v->s = g_strdup (s);
  return v;
}

static Value *
value_unknown (const char *text, guint line)
{
  Value *v = value_new (V_UNKNOWN, line);

  v->s = g_strdup (text);
  return v;
}

static Value *
value_seq (VKind kind, guint line)
{
  Value *v = value_new (kind, line);

  v->items = g_ptr_array_new_with_free_func ((GDestroyNotify) value_unref);
  if (kind == V_DICT)
    v->keys = g_ptr_array_new_with_free_func ((GDestroyNotify) value_unref);
  return v;
}

static Value *
value_module (NnsModule *module, guint line)
{
  Value *v = value_new (V_MODULE, line);

  v->module = _nns_module_ref (module);
  return v;
}

static gboolean
is_seq (const Value *v)
{
  return v->kind == V_LIST || v->kind == V_TUPLE;
}

static gboolean
value_equal (const Value *a, const Value *b)
{
  if ((a->kind == V_INT || a->kind == V_BOOL) && (b->kind == V_INT || b->kind == V_BOOL))
    return a->i == b->i;
  if ((a->kind == V_INT || a->kind == V_FLOAT) && (b->kind == V_INT || b->kind == V_FLOAT))
    return (a->kind == V_INT ? (double) a->i : a->f) == (b->kind == V_INT ? (double) b->i : b->f);
  if (a->kind != b->kind)
    return FALSE;
  switch (a->kind)
    {
    case V_NONE:
      return TRUE;
    case V_STR:
      return strcmp (a->s, b->s) == 0;
    case V_MODULE:
      return a->module == b->module;
    case V_LIST:
    case V_TUPLE:
      if (a->items->len != b->items->len)
        return FALSE;
      for (guint i = 0; i < a->items->len; i++)
        if (!value_equal (g_ptr_array_index (a->items, i), g_ptr_array_index (b->items, i)))
          return FALSE;
      return TRUE;
    default:
      return a == b;
    }
}

/* ------------------------------------------------------------------ interpreter */

typedef struct
{
  GHashTable *vars;      /* name → Value */
  Value      *self;      /* in a method */
  Def        *cls;       /* the class of that method */
} Scope;

typedef struct
{
  const char *text;
  GArray     *toks;
  guint       pos;
  GHashTable *globals;
  Scope      *scope;     /* NULL at the top level */
  GPtrArray  *defs;      /* Def, owned */
  GString    *notes;
  GError     *error;
  guint       steps;
  guint       work;      /* tokens read; past limit_work every step fails */
  guint       depth;
  guint       skip;      /* > 0: parse without evaluating */
  guint       nesting;   /* expressions inside expressions */
  gboolean    returning, breaking, continuing;
  Value      *ret;
  GPtrArray  *candidates; /* Value (MODULE) bound or left at the top level */
  GPtrArray  *created;    /* NnsModule with parameters, every one built */
  GHashTable *attrs;      /* NnsModule → (name → Value): attributes that are no modules */
  GHashTable *classes;    /* NnsModule → Def: the class an instance was built from */
  gboolean    saw_keras;
  guint       n_modules;
  gboolean    owns_values;   /* this reader frees live_values at the end */
} Interp;

static const Tok *
tok (Interp *I)
{
  if (I->pos >= I->toks->len)
    I->pos = I->toks->len - 1;
  return &g_array_index (I->toks, Tok, I->pos);
}

static const Tok *
tok_at (Interp *I, guint pos)
{
  return &g_array_index (I->toks, Tok, MIN (pos, I->toks->len - 1));
}

static void too_long (Interp *I);

static void
next (Interp *I)
{
  if (tok (I)->kind != T_END)
    I->pos++;
  if (++I->work > limit_work)
    too_long (I);
}

static gboolean
tok_is (const Tok *t, TokKind kind, const char *text)
{
  return t->kind == kind && t->len == strlen (text) && strncmp (t->start, text, t->len) == 0;
}

static gboolean
is_op (Interp *I, const char *op)
{
  return tok_is (tok (I), T_OP, op);
}

static gboolean
is_kw (Interp *I, const char *word)
{
  return tok_is (tok (I), T_NAME, word);
}

static gboolean
failed (Interp *I)
{
  return I->error != NULL;
}

static void fail (Interp *I, NnsPytorchError code, guint line, const char *format, ...)
  G_GNUC_PRINTF (4, 5);

static void
fail (Interp *I, NnsPytorchError code, guint line, const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  if (I->error != NULL)
    return;
  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  _nns_pytorch_set_error (&I->error, code, line, "%s", message);
}

/* The text of tokens [from, to), cut short for messages. */
static char *
source_text (Interp *I, guint from, guint to)
{
  const Tok *a = tok_at (I, from);
  const Tok *b;
  const char *end;

  if (to <= from)
    return g_strdup ("");
  b = tok_at (I, to - 1);
  end = b->start + b->len;
  if (end - a->start > 40)
    {
      const char *cut = g_utf8_find_prev_char (a->start, a->start + 38);

      return g_strdup_printf ("%.*s…", (int) (cut - a->start), a->start);
    }
  return g_strndup (a->start, end - a->start);
}

static char *
tok_text (const Tok *t)
{
  return g_strndup (t->start, t->len);
}

static gboolean
expect_op (Interp *I, const char *op)
{
  if (failed (I))
    return FALSE;
  if (!is_op (I, op) && tok (I)->kind == T_END && strchr (")]}", op[0]))
    {
      fail (I, NNS_PYTORCH_ERROR_SYNTAX, tok (I)->line,
            _("the text ends before the closing “%s”; is it cut off?"), op);
      return FALSE;
    }
  if (!is_op (I, op))
    {
      g_autofree char *got = tok (I)->kind == T_END || tok (I)->kind == T_NEWLINE
                             ? g_strdup (_("the end of the line")) : tok_text (tok (I));

      fail (I, NNS_PYTORCH_ERROR_SYNTAX, tok (I)->line, _("expected “%s”, got “%s”"), op, got);
      return FALSE;
    }
  next (I);
  return TRUE;
}

/* The limit on the reader's work: a range error, so that no recovery (a
 * top-level line skipped as prose, a class attribute left unknown) takes it
 * back, and once passed every further step fails again. */
static void
too_long (Interp *I)
{
  fail (I, NNS_PYTORCH_ERROR_RANGE, tok (I)->line,
        _("the code runs too long to be read (NN Sketch stops after %u statements or %u "
          "tokens read)"), limit_steps, limit_work);
}

/* Work that reads no token — the items a list operation makes, copies or
 * compares — counts as tokens read, so that a short text cannot run long
 * (a range of 11,000 built 11,000 times reads a few tokens). */
static gboolean
charge (Interp *I, guint64 items)
{
  if (items > (guint64) limit_work - MIN (I->work, limit_work))
    {
      I->work = limit_work + 1;
      too_long (I);
      return FALSE;
    }
  I->work += (guint) items;
  return TRUE;
}

static gboolean
step (Interp *I)
{
  if (++I->steps > limit_steps || I->work > limit_work)
    {
      too_long (I);
      return FALSE;
    }
  return !failed (I);
}

/* Finds the token that closes the bracket at pos (or the end). */
static guint
matching_close (Interp *I, guint pos)
{
  guint depth = 0;

  for (guint p = pos; p < I->toks->len; p++)
    {
      const Tok *t = tok_at (I, p);

      if (t->kind == T_END)
        return p;
      if (t->kind == T_OP && t->len == 1 && strchr ("([{", t->start[0]))
        depth++;
      else if (t->kind == T_OP && t->len == 1 && strchr (")]}", t->start[0]) && --depth == 0)
        return p;
    }
  return I->toks->len - 1;
}

/* The depth-0 "for" of a comprehension between pos and the closing bracket
 * or ',' that ends the element, or 0. */
static guint
comprehension_for (Interp *I, guint pos)
{
  guint depth = 0;

  for (guint p = pos; p < I->toks->len; p++)
    {
      const Tok *t = tok_at (I, p);

      if (t->kind == T_END || t->kind == T_NEWLINE)
        return 0;
      if (t->kind == T_OP && t->len == 1 && strchr ("([{", t->start[0]))
        depth++;
      else if (t->kind == T_OP && t->len == 1 && strchr (")]}", t->start[0]))
        {
          if (depth == 0)
            return 0;
          depth--;
        }
      else if (depth == 0 && tok_is (t, T_OP, ","))
        return 0;
      else if (depth == 0 && tok_is (t, T_NAME, "for"))
        return p;
    }
  return 0;
}

/* ------------------------------------------------------------------ modules */

typedef enum
{
  SPEC_LINEAR,
  SPEC_SEQUENTIAL,
  SPEC_MODULE_LIST,
  SPEC_MODULE_DICT,
  SPEC_BATCH_NORM,
  SPEC_LAYER_NORM,
  SPEC_PRELU,
  SPEC_DROPOUT,
  SPEC_ACTIVATION,
  SPEC_FREE,
  SPEC_LOSS,          /* no parameters, and never a layer of the model */
  SPEC_WIDTH,         /* no parameters, but it changes the width: refused */
  SPEC_REFUSED,       /* parameters, but no dense layer: refused */
  SPEC_LAZY,
} SpecKind;

typedef struct
{
  const char *name;
  SpecKind    kind;
  const char *params[7];   /* positional order */
} ModuleSpec;

static const ModuleSpec module_specs[] = {
  { "Linear", SPEC_LINEAR, { "in_features", "out_features", "bias", "device", "dtype" } },
  { "Sequential", SPEC_SEQUENTIAL, { NULL } },
  { "ModuleList", SPEC_MODULE_LIST, { "modules" } },
  { "ModuleDict", SPEC_MODULE_DICT, { "modules" } },
  { "BatchNorm1d", SPEC_BATCH_NORM, { "num_features", "eps", "momentum", "affine",
                                      "track_running_stats", "device", "dtype" } },
  { "LayerNorm", SPEC_LAYER_NORM, { "normalized_shape", "eps", "elementwise_affine", "bias",
                                    "device", "dtype" } },
  { "PReLU", SPEC_PRELU, { "num_parameters", "init", "device", "dtype" } },
  { "Dropout", SPEC_DROPOUT, { "p", "inplace" } },
  { "Dropout1d", SPEC_DROPOUT, { "p", "inplace" } },
  { "Dropout2d", SPEC_DROPOUT, { "p", "inplace" } },
  { "Dropout3d", SPEC_DROPOUT, { "p", "inplace" } },
  { "AlphaDropout", SPEC_DROPOUT, { "p", "inplace" } },
  { "FeatureAlphaDropout", SPEC_DROPOUT, { "p", "inplace" } },
  /* The activations NN Sketch labels are found by their label; these have none. */
  { "Identity", SPEC_FREE, { NULL } }, { "Flatten", SPEC_FREE, { NULL } },
  { "Unflatten", SPEC_FREE, { NULL } }, { "ReLU6", SPEC_FREE, { NULL } },
  { "RReLU", SPEC_FREE, { NULL } }, { "SELU", SPEC_FREE, { NULL } },
  { "CELU", SPEC_FREE, { NULL } }, { "Hardtanh", SPEC_FREE, { NULL } },
  { "Hardsigmoid", SPEC_FREE, { NULL } }, { "Hardswish", SPEC_FREE, { NULL } },
  { "Hardshrink", SPEC_FREE, { NULL } }, { "Softshrink", SPEC_FREE, { NULL } },
  { "Softsign", SPEC_FREE, { NULL } }, { "Softmin", SPEC_FREE, { NULL } },
  { "Softmax2d", SPEC_FREE, { NULL } }, { "Tanhshrink", SPEC_FREE, { NULL } },
  { "Threshold", SPEC_FREE, { NULL } }, { "LogSigmoid", SPEC_FREE, { NULL } },
  { "Mish", SPEC_FREE, { NULL } },
  { "GLU", SPEC_WIDTH, { NULL } }, { "MaxPool1d", SPEC_WIDTH, { NULL } },
  { "AvgPool1d", SPEC_WIDTH, { NULL } }, { "AdaptiveAvgPool1d", SPEC_WIDTH, { NULL } },
  { "AdaptiveMaxPool1d", SPEC_WIDTH, { NULL } }, { "LPPool1d", SPEC_WIDTH, { NULL } },
  { "MaxPool2d", SPEC_WIDTH, { NULL } }, { "AvgPool2d", SPEC_WIDTH, { NULL } },
  { "AdaptiveAvgPool2d", SPEC_WIDTH, { NULL } }, { "MaxPool3d", SPEC_WIDTH, { NULL } },
  { "Upsample", SPEC_WIDTH, { NULL } }, { "PixelShuffle", SPEC_WIDTH, { NULL } },
  { "ConstantPad1d", SPEC_WIDTH, { NULL } }, { "ZeroPad2d", SPEC_WIDTH, { NULL } },
  { "Fold", SPEC_WIDTH, { NULL } }, { "Unfold", SPEC_WIDTH, { NULL } },
  { "LazyLinear", SPEC_LAZY, { NULL } },
  { "Conv1d", SPEC_REFUSED, { NULL } }, { "Conv2d", SPEC_REFUSED, { NULL } },
  { "Conv3d", SPEC_REFUSED, { NULL } }, { "ConvTranspose1d", SPEC_REFUSED, { NULL } },
  { "ConvTranspose2d", SPEC_REFUSED, { NULL } }, { "ConvTranspose3d", SPEC_REFUSED, { NULL } },
  { "LazyConv1d", SPEC_LAZY, { NULL } }, { "LazyConv2d", SPEC_LAZY, { NULL } },
  { "LazyConv3d", SPEC_LAZY, { NULL } }, { "LazyBatchNorm1d", SPEC_LAZY, { NULL } },
  { "LazyBatchNorm2d", SPEC_LAZY, { NULL } }, { "LazyBatchNorm3d", SPEC_LAZY, { NULL } },
  { "BatchNorm2d", SPEC_REFUSED, { NULL } }, { "BatchNorm3d", SPEC_REFUSED, { NULL } },
  { "SyncBatchNorm", SPEC_REFUSED, { NULL } }, { "GroupNorm", SPEC_REFUSED, { NULL } },
  { "RMSNorm", SPEC_REFUSED, { NULL } }, { "InstanceNorm1d", SPEC_REFUSED, { NULL } },
  { "InstanceNorm2d", SPEC_REFUSED, { NULL } }, { "InstanceNorm3d", SPEC_REFUSED, { NULL } },
  { "LocalResponseNorm", SPEC_REFUSED, { NULL } },
  { "Embedding", SPEC_REFUSED, { NULL } }, { "EmbeddingBag", SPEC_REFUSED, { NULL } },
  { "RNN", SPEC_REFUSED, { NULL } }, { "LSTM", SPEC_REFUSED, { NULL } },
  { "GRU", SPEC_REFUSED, { NULL } }, { "RNNCell", SPEC_REFUSED, { NULL } },
  { "LSTMCell", SPEC_REFUSED, { NULL } }, { "GRUCell", SPEC_REFUSED, { NULL } },
  { "MultiheadAttention", SPEC_REFUSED, { NULL } }, { "Transformer", SPEC_REFUSED, { NULL } },
  { "TransformerEncoder", SPEC_REFUSED, { NULL } },
  { "TransformerDecoder", SPEC_REFUSED, { NULL } },
  { "TransformerEncoderLayer", SPEC_REFUSED, { NULL } },
  { "TransformerDecoderLayer", SPEC_REFUSED, { NULL } },
  { "Bilinear", SPEC_REFUSED, { NULL } },
  { "NonDynamicallyQuantizableLinear", SPEC_REFUSED, { NULL } },
  { "Parameter", SPEC_REFUSED, { NULL } }, { "ParameterList", SPEC_REFUSED, { NULL } },
  { "ParameterDict", SPEC_REFUSED, { NULL } },
  { "AdaptiveLogSoftmaxWithLoss", SPEC_REFUSED, { NULL } },
  { "CrossEntropyLoss", SPEC_LOSS, { NULL } }, { "MSELoss", SPEC_LOSS, { NULL } },
  { "NLLLoss", SPEC_LOSS, { NULL } }, { "BCELoss", SPEC_LOSS, { NULL } },
  { "BCEWithLogitsLoss", SPEC_LOSS, { NULL } }, { "L1Loss", SPEC_LOSS, { NULL } },
  { "SmoothL1Loss", SPEC_LOSS, { NULL } }, { "HuberLoss", SPEC_LOSS, { NULL } },
  { "KLDivLoss", SPEC_LOSS, { NULL } },
};

static const ModuleSpec *
find_spec (const char *name)
{
  static const ModuleSpec activation = { NULL, SPEC_ACTIVATION, { NULL } };

  for (guint i = 0; i < G_N_ELEMENTS (module_specs); i++)
    if (strcmp (module_specs[i].name, name) == 0)
      return &module_specs[i];
  for (guint a = NNS_ACTIVATION_NONE + 1; a < NNS_N_ACTIVATIONS; a++)
    if (a != NNS_ACTIVATION_PRELU && strcmp (nns_activation_get_label (a), name) == 0)
      return &activation;
  return NULL;
}

/* Names a module class has in the text: the last part of nn.Linear,
 * torch.nn.Linear, torch.nn.modules.linear.Linear, or Linear itself. */
static const char *
last_part (const char *dotted)
{
  const char *dot = strrchr (dotted, '.');

  return dot != NULL ? dot + 1 : dotted;
}

/* Whether a dotted name points into torch.nn (nn.X, torch.nn.X, X). */
static gboolean
in_torch_nn (const char *dotted)
{
  return g_str_has_prefix (dotted, "nn.") || g_str_has_prefix (dotted, "torch.nn.") ||
         strchr (dotted, '.') == NULL;
}

typedef struct
{
  GPtrArray *pos;       /* Value */
  GPtrArray *pos_text;  /* char *: the argument as written */
  GPtrArray *kw_names;  /* char * */
  GPtrArray *kw;        /* Value */
  GPtrArray *kw_text;
  gboolean   unknown_star;  /* a *x or **x whose content is unknown */
  guint      line;
} Args;

static void
args_init (Args *a, guint line)
{
  a->pos = g_ptr_array_new_with_free_func ((GDestroyNotify) value_unref);
  a->pos_text = g_ptr_array_new_with_free_func (g_free);
  a->kw_names = g_ptr_array_new_with_free_func (g_free);
  a->kw = g_ptr_array_new_with_free_func ((GDestroyNotify) value_unref);
  a->kw_text = g_ptr_array_new_with_free_func (g_free);
  a->unknown_star = FALSE;
  a->line = line;
}

static void
args_clear (Args *a)
{
  g_ptr_array_unref (a->pos);
  g_ptr_array_unref (a->pos_text);
  g_ptr_array_unref (a->kw_names);
  g_ptr_array_unref (a->kw);
  g_ptr_array_unref (a->kw_text);
}

/* Binds args to a constructor's parameters: out[i] (borrowed) or NULL. */
static gboolean
bind_spec (Interp *I, const ModuleSpec *spec, const char *name, Args *a, Value **out,
           const char **text)
{
  guint n = 0;

  while (n < G_N_ELEMENTS (spec->params) && spec->params[n] != NULL)
    n++;
  for (guint i = 0; i < n; i++)
    out[i] = NULL, text[i] = NULL;
  if (a->pos->len > n)
    {
      fail (I, NNS_PYTORCH_ERROR_SYNTAX, a->line, _("%s takes at most %u arguments"), name, n);
      return FALSE;
    }
  for (guint i = 0; i < a->pos->len; i++)
    out[i] = g_ptr_array_index (a->pos, i), text[i] = g_ptr_array_index (a->pos_text, i);
  for (guint k = 0; k < a->kw->len; k++)
    {
      const char *kw = g_ptr_array_index (a->kw_names, k);
      guint i;

      for (i = 0; i < n; i++)
        if (strcmp (spec->params[i], kw) == 0)
          break;
      if (i == n)
        {
          fail (I, NNS_PYTORCH_ERROR_SYNTAX, a->line, _("%s has no argument “%s”"), name, kw);
          return FALSE;
        }
      if (out[i] != NULL)
        {
          fail (I, NNS_PYTORCH_ERROR_SYNTAX, a->line, _("%s got %s twice"), name, kw);
          return FALSE;
        }
      out[i] = g_ptr_array_index (a->kw, k);
      text[i] = g_ptr_array_index (a->kw_text, k);
    }
  if (a->unknown_star)
    {
      fail (I, NNS_PYTORCH_ERROR_SYNTAX, a->line,
            _("the arguments of %s come from *… or **… that NN Sketch cannot work out"), name);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_width (Interp *I, const char *module, const char *what, Value *v, const char *text,
             guint line, guint *out)
{
  switch (v->kind)
    {
    case V_INT:
      if (v->i < NNS_UNITS_MIN)
        fail (I, NNS_PYTORCH_ERROR_RANGE, line, _("%s %s=%s is below %d"), module, what, text,
              NNS_UNITS_MIN);
      else if (v->i > NNS_UNITS_MAX)
        fail (I, NNS_PYTORCH_ERROR_RANGE, line, _("%s %s=%s is above 1,000,000"), module, what,
              text);
      else
        {
          *out = v->i;
          return TRUE;
        }
      return FALSE;
    case V_FLOAT:
      fail (I, NNS_PYTORCH_ERROR_RANGE, line, _("%s %s=%s is not a whole number"), module, what,
            text);
      return FALSE;
    case V_UNKNOWN:
    case V_NAME:
      fail (I, NNS_PYTORCH_ERROR_SYNTAX, line,
            _("%s %s=%s: NN Sketch cannot work out this number from the text"), module, what,
            text);
      return FALSE;
    default:
      fail (I, NNS_PYTORCH_ERROR_SYNTAX, line, _("%s %s=%s is not a number"), module, what, text);
      return FALSE;
    }
}

static gboolean
check_flag (Interp *I, const char *module, const char *what, Value *v, const char *text,
            guint line, gboolean fallback, gboolean *out)
{
  if (v == NULL)
    *out = fallback;
  else if (v->kind == V_BOOL || v->kind == V_INT)
    *out = v->i != 0;
  else
    {
      fail (I, NNS_PYTORCH_ERROR_SYNTAX, line, _("%s %s=%s: expected True or False"), module, what,
            text);
      return FALSE;
    }
  return TRUE;
}

static gboolean
register_child (Interp *I, NnsModule *parent, const char *key, Value *v, guint line,
                const char *container)
{
  if (v->kind == V_MODULE)
    {
      if (_nns_module_contains (v->module, parent))
        {
          fail (I, NNS_PYTORCH_ERROR_SYNTAX, line, _("%s would contain itself"), container);
          return FALSE;
        }
      if (key != NULL)
        _nns_module_set_child (parent, key, v->module);
      else
        _nns_module_append_child (parent, v->module);
      return TRUE;
    }
  if (v->kind == V_NAME && find_spec (last_part (v->s)) != NULL)
    fail (I, NNS_PYTORCH_ERROR_SYNTAX, v->line, _("%s needs its parentheses: %s(…)"), v->s, v->s);
  else if (v->kind == V_UNKNOWN && v->maybe_module)
    fail (I, NNS_PYTORCH_ERROR_MODULE, v->line,
          _("%s is not defined in the text and may have parameters; paste its class too"), v->s);
  else if (v->kind == V_UNKNOWN)
    fail (I, NNS_PYTORCH_ERROR_SYNTAX, line,
          _("%s holds %s, which NN Sketch cannot work out"), container, v->s);
  else
    fail (I, NNS_PYTORCH_ERROR_SYNTAX, line, _("%s takes modules"), container);
  return FALSE;
}

/* Children from a dict, a list of (key, module) pairs or a list of modules. */
static gboolean
register_all (Interp *I, NnsModule *parent, Value *v, guint line, const char *container)
{
  if (v->kind == V_DICT)
    {
      for (guint i = 0; i < v->items->len; i++)
        {
          Value *key = g_ptr_array_index (v->keys, i);

          if (key->kind != V_STR)
            {
              fail (I, NNS_PYTORCH_ERROR_SYNTAX, line, _("%s keys must be strings"), container);
              return FALSE;
            }
          if (!register_child (I, parent, key->s, g_ptr_array_index (v->items, i), line, container))
            return FALSE;
        }
      return TRUE;
    }
  if (v->kind == V_MODULE && v->module->kind == NNS_MODULE_CONTAINER &&
      strcmp (container, "Sequential") != 0)
    {
      /* Counted first: layers.extend (layers) doubles the list once. */
      guint n = v->module->children->len;

      if ((guint64) n + parent->children->len > MAX_ITEMS)
        {
          fail (I, NNS_PYTORCH_ERROR_RANGE, line, _("%s with more than %u modules"), container,
                MAX_ITEMS);
          return FALSE;
        }
      for (guint i = 0; i < n; i++)
        {
          g_autoptr (Value) child = value_module (g_ptr_array_index (v->module->children, i), line);

          if (!register_child (I, parent, NULL, child, line, container))
            return FALSE;
        }
      return TRUE;
    }
  if (is_seq (v))
    {
      guint n = v->items->len;

      for (guint i = 0; i < n; i++)
        {
          Value *item = g_ptr_array_index (v->items, i);

          if (strcmp (container, "ModuleDict") == 0 && is_seq (item) && item->items->len == 2 &&
              ((Value *) g_ptr_array_index (item->items, 0))->kind == V_STR)
            {
              if (!register_child (I, parent,
                                   ((Value *) g_ptr_array_index (item->items, 0))->s,
                                   g_ptr_array_index (item->items, 1), line, container))
                return FALSE;
            }
          else if (!register_child (I, parent, NULL, item, line, container))
            return FALSE;
        }
      return TRUE;
    }
  if (v->kind == V_NONE)
    return TRUE;
  return register_child (I, parent, NULL, v, line, container);
}

static void
note_created (Interp *I, NnsModule *m)
{
  gboolean has_parameters = m->kind == NNS_MODULE_LINEAR ||
                            (m->kind == NNS_MODULE_NORM && m->norm_affine) ||
                            (m->kind == NNS_MODULE_ACTIVATION &&
                             m->activation == NNS_ACTIVATION_PRELU);

  if (has_parameters)
    g_ptr_array_add (I->created, _nns_module_ref (m));
}

static Value *
construct (Interp *I, const ModuleSpec *spec, const char *name, Args *a)
{
  g_autoptr (NnsModule) m = NULL;
  Value *bound[7] = { NULL };
  const char *text[7] = { NULL };
  guint line = a->line;

  if (++I->n_modules > MAX_MODULES)
    {
      fail (I, NNS_PYTORCH_ERROR_RANGE, line, _("the code builds more than %u modules"),
            MAX_MODULES);
      return NULL;
    }
  switch (spec->kind)
    {
    case SPEC_LINEAR:
      if (!bind_spec (I, spec, name, a, bound, text))
        return NULL;
      if (bound[0] == NULL || bound[1] == NULL)
        {
          fail (I, NNS_PYTORCH_ERROR_SYNTAX, line,
                _("Linear needs in_features and out_features, e.g. Linear(10, 18)"));
          return NULL;
        }
      m = _nns_module_new (NNS_MODULE_LINEAR, name, line);
      if (!check_width (I, name, "in_features", bound[0], text[0], line, &m->in_features) ||
          !check_width (I, name, "out_features", bound[1], text[1], line, &m->out_features) ||
          !check_flag (I, name, "bias", bound[2], text[2], line, TRUE, &m->bias))
        return NULL;
      break;
    case SPEC_SEQUENTIAL:
      m = _nns_module_new (NNS_MODULE_CONTAINER, name, line);
      m->sequential = TRUE;
      if (a->kw->len > 0 || a->unknown_star)
        {
          fail (I, NNS_PYTORCH_ERROR_SYNTAX, line,
                a->unknown_star ? _("Sequential(*…) of something NN Sketch cannot work out")
                                : _("Sequential takes modules, not keyword arguments"));
          return NULL;
        }
      if (a->pos->len == 1 && ((Value *) g_ptr_array_index (a->pos, 0))->kind == V_DICT)
        {
          if (!register_all (I, m, g_ptr_array_index (a->pos, 0), line, "Sequential"))
            return NULL;
        }
      else
        for (guint i = 0; i < a->pos->len; i++)
          if (!register_child (I, m, NULL, g_ptr_array_index (a->pos, i), line, "Sequential"))
            return NULL;
      break;
    case SPEC_MODULE_LIST:
    case SPEC_MODULE_DICT:
      if (!bind_spec (I, spec, name, a, bound, text))
        return NULL;
      m = _nns_module_new (NNS_MODULE_CONTAINER, name, line);
      m->sequential = spec->kind == SPEC_MODULE_LIST;
      if (bound[0] != NULL && !register_all (I, m, bound[0], line, name))
        return NULL;
      /* A ModuleList's order is the forward order only if forward() says so. */
      m->sequential = FALSE;
      break;
    case SPEC_BATCH_NORM:
      if (!bind_spec (I, spec, name, a, bound, text))
        return NULL;
      if (bound[0] == NULL)
        {
          fail (I, NNS_PYTORCH_ERROR_SYNTAX, line, _("%s needs num_features"), name);
          return NULL;
        }
      m = _nns_module_new (NNS_MODULE_NORM, name, line);
      m->norm = NNS_NORM_BATCH;
      m->norm_bias = TRUE;
      if (!check_width (I, name, "num_features", bound[0], text[0], line, &m->norm_features) ||
          !check_flag (I, name, "affine", bound[3], text[3], line, TRUE, &m->norm_affine) ||
          !check_flag (I, name, "track_running_stats", bound[4], text[4], line, TRUE,
                       &m->norm_running_stats))
        return NULL;
      break;
    case SPEC_LAYER_NORM:
      {
        Value *shape;

        if (!bind_spec (I, spec, name, a, bound, text))
          return NULL;
        if (bound[0] == NULL)
          {
            fail (I, NNS_PYTORCH_ERROR_SYNTAX, line, _("%s needs normalized_shape"), name);
            return NULL;
          }
        shape = bound[0];
        if (is_seq (shape))
          {
            if (shape->items->len != 1)
              {
                fail (I, NNS_PYTORCH_ERROR_MODULE, line,
                      _("LayerNorm over %s: NN Sketch draws a norm over one dimension"),
                      text[0]);
                return NULL;
              }
            shape = g_ptr_array_index (shape->items, 0);
          }
        m = _nns_module_new (NNS_MODULE_NORM, name, line);
        m->norm = NNS_NORM_LAYER;
        if (!check_width (I, name, "normalized_shape", shape, text[0], line, &m->norm_features) ||
            !check_flag (I, name, "elementwise_affine", bound[2], text[2], line, TRUE,
                         &m->norm_affine) ||
            !check_flag (I, name, "bias", bound[3], text[3], line, TRUE, &m->norm_bias))
          return NULL;
        break;
      }
    case SPEC_PRELU:
      if (!bind_spec (I, spec, name, a, bound, text))
        return NULL;
      m = _nns_module_new (NNS_MODULE_ACTIVATION, name, line);
      m->activation = NNS_ACTIVATION_PRELU;
      m->prelu_parameters = 1;
      if (bound[0] != NULL &&
          !check_width (I, name, "num_parameters", bound[0], text[0], line, &m->prelu_parameters))
        return NULL;
      break;
    case SPEC_DROPOUT:
      if (!bind_spec (I, spec, name, a, bound, text))
        return NULL;
      m = _nns_module_new (NNS_MODULE_DROPOUT, name, line);
      m->dropout = 0.5;
      if (bound[0] != NULL)
        {
          double p = bound[0]->kind == V_FLOAT ? bound[0]->f
                     : bound[0]->kind == V_INT ? (double) bound[0]->i : -1;

          if (bound[0]->kind != V_FLOAT && bound[0]->kind != V_INT)
            {
              fail (I, NNS_PYTORCH_ERROR_SYNTAX, line,
                    _("%s p=%s: NN Sketch cannot work out this number from the text"), name,
                    text[0]);
              return NULL;
            }
          if (!(p >= 0 && p <= 1))
            {
              fail (I, NNS_PYTORCH_ERROR_RANGE, line, _("%s p=%s is outside 0 … 1"), name,
                    text[0]);
              return NULL;
            }
          m->dropout = p;
        }
      if (strcmp (name, "Dropout") != 0 || m->dropout >= 1.0 || m->dropout == 0.0)
        {
          /* Only nn.Dropout with 0 < p < 1 has a place in the drawing. */
          m->kind = NNS_MODULE_FREE;
        }
      break;
    case SPEC_ACTIVATION:
      m = _nns_module_new (NNS_MODULE_ACTIVATION, name, line);
      nns_activation_from_string (name, &m->activation);
      break;
    case SPEC_FREE:
    case SPEC_LOSS:
      m = _nns_module_new (NNS_MODULE_FREE, name, line);
      break;
    case SPEC_WIDTH:
      fail (I, NNS_PYTORCH_ERROR_MODULE, line,
            _("%s changes the width between layers; NN Sketch draws dense layers whose widths "
              "chain"), name);
      return NULL;
    case SPEC_LAZY:
      fail (I, NNS_PYTORCH_ERROR_MODULE, line,
            _("%s learns its input width when it first runs; write nn.Linear(in_features, "
              "out_features) instead"), name);
      return NULL;
    case SPEC_REFUSED:
    default:
      fail (I, NNS_PYTORCH_ERROR_MODULE, line,
            _("%s has parameters and is not a dense layer; NN Sketch draws only Linear layers "
              "(with BatchNorm1d, LayerNorm, PReLU, activations and dropout)"), name);
      return NULL;
    }
  note_created (I, m);
  return value_module (m, line);
}

/* ------------------------------------------------------------------ scopes */

static Value *
lookup (Interp *I, const char *name)
{
  Value *v = NULL;

  if (I->scope != NULL)
    v = g_hash_table_lookup (I->scope->vars, name);
  if (v == NULL)
    v = g_hash_table_lookup (I->globals, name);
  return v;
}

static void
store (Interp *I, const char *name, Value *v)
{
  GHashTable *vars = I->scope != NULL ? I->scope->vars : I->globals;

  g_hash_table_replace (vars, g_strdup (name), value_ref (v));
  if (I->scope == NULL && v->kind == V_MODULE)
    g_ptr_array_add (I->candidates, value_ref (v));
}

static GHashTable *
attrs_of (Interp *I, NnsModule *m)
{
  GHashTable *attrs = g_hash_table_lookup (I->attrs, m);

  if (attrs == NULL)
    {
      attrs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                     (GDestroyNotify) value_unref);
      g_hash_table_insert (I->attrs, _nns_module_ref (m), attrs);
    }
  return attrs;
}

static gboolean
has_module (Value *v)
{
  if (v->kind == V_MODULE)
    return TRUE;
  if (v->items != NULL)
    for (guint i = 0; i < v->items->len; i++)
      if (has_module (g_ptr_array_index (v->items, i)))
        return TRUE;
  return FALSE;
}

/* self.key = v in __init__: a module registers, anything else is a plain attribute. */
static gboolean
set_attribute (Interp *I, Value *obj, const char *key, Value *v, guint line)
{
  if (obj->kind != V_MODULE)
    return TRUE;   /* an attribute of something unknown */
  if (v->kind == V_MODULE)
    {
      if (obj->module->kind != NNS_MODULE_CONTAINER)
        return TRUE;
      g_hash_table_remove (attrs_of (I, obj->module), key);
      return register_child (I, obj->module, key, v, line, obj->module->type);
    }
  if (v->kind == V_UNKNOWN && v->maybe_module)
    return register_child (I, obj->module, key, v, line, obj->module->type);
  if ((is_seq (v) || v->kind == V_DICT) && has_module (v))
    _nns_pytorch_note (I->notes, line,
                       _("self.%s is a plain Python %s: PyTorch does not register the modules "
                         "in it (nn.ModuleList or nn.ModuleDict does), so it does not count "
                         "them, and neither does NN Sketch"), key,
                       v->kind == V_DICT ? "dict" : "list");
  g_hash_table_replace (attrs_of (I, obj->module), g_strdup (key), value_ref (v));
  return TRUE;
}

/* ------------------------------------------------------------------ expressions */

static Value *parse_test (Interp *I);
static Value *parse_or (Interp *I);
static Value *parse_factor (Interp *I);
static Value *call_value (Interp *I, Value *callee, Args *a);
static void exec_block (Interp *I, guint start, guint end);

static Value *
none (guint line)
{
  return value_new (V_NONE, line);
}

static gboolean
truthy (Interp *I, Value *v, gboolean *out)
{
  switch (v->kind)
    {
    case V_NONE: *out = FALSE; return TRUE;
    case V_BOOL: case V_INT: *out = v->i != 0; return TRUE;
    case V_FLOAT: *out = v->f != 0; return TRUE;
    case V_STR: *out = v->s[0] != '\0'; return TRUE;
    case V_LIST: case V_TUPLE: case V_DICT: *out = v->items->len > 0; return TRUE;
    case V_MODULE: case V_CLASS: case V_FUNC: *out = TRUE; return TRUE;
    default: return FALSE;
    }
}

static char *
unquote (const Tok *t)
{
  const char *s = t->start;
  gboolean raw = FALSE;
  GString *out;
  const char *end;
  gsize q;

  while (*s != '"' && *s != '\'')
    raw |= *s == 'r' || *s == 'R', s++;
  q = (s[1] == s[0] && s[2] == s[0] && t->start + t->len - s >= 6) ? 3 : 1;
  end = t->start + t->len - q;
  s += q;
  out = g_string_new (NULL);
  while (s < end)
    {
      if (*s != '\\' || raw || s + 1 >= end)
        {
          g_string_append_c (out, *s++);
          continue;
        }
      s++;
      switch (*s)
        {
        case 'n': g_string_append_c (out, '\n'); s++; break;
        case 't': g_string_append_c (out, '\t'); s++; break;
        case '\\': case '\'': case '"': g_string_append_c (out, *s++); break;
        case '\n': s++; break;
        case 'r': g_string_append_c (out, '\r'); s++; break;
        case 'x':
        case 'u':
        case 'U':
          {
            guint n = *s == 'x' ? 2 : *s == 'u' ? 4 : 8;
            gunichar c = 0;
            guint i;

            for (i = 0; i < n && s + 1 + i < end && g_ascii_isxdigit (s[1 + i]); i++)
              c = c * 16 + g_ascii_xdigit_value (s[1 + i]);
            if (i == n && c != 0 && g_unichar_validate (c))
              {
                g_string_append_unichar (out, c);
                s += 1 + n;
              }
            else
              g_string_append_c (out, '\\');
            break;
          }
        default: g_string_append_c (out, '\\'); break;
        }
    }
  return g_string_free (out, FALSE);
}

/* The letters before a string's quote: "f" of f"…", "" for "…". */
static const char *
tok_text_prefix (const Tok *t)
{
  static char prefix[4];
  guint n = 0;

  while (n < 3 && n < t->len && t->start[n] != '"' && t->start[n] != '\'')
    {
      prefix[n] = t->start[n];
      n++;
    }
  prefix[n] = '\0';
  return prefix;
}

/* f"fc{i}": a name or a whole number in braces is filled in; anything else
 * stays unknown but distinct, so two modules never share a made-up name. */
static void
format_fstring (Interp *I, GString *out, const char *text)
{
  static guint unknown_field;

  for (const char *p = text; *p; p++)
    {
      const char *close;
      g_autofree char *field = NULL;
      Value *v;

      if (p[0] == '{' && p[1] == '{')
        {
          g_string_append_c (out, '{');
          p++;
          continue;
        }
      if (p[0] == '}' && p[1] == '}')
        {
          g_string_append_c (out, '}');
          p++;
          continue;
        }
      if (*p != '{' || (close = strchr (p, '}')) == NULL)
        {
          g_string_append_c (out, *p);
          continue;
        }
      field = g_strstrip (g_strndup (p + 1, close - p - 1));
      if (strchr (field, ':') != NULL)
        *strchr (field, ':') = '\0';
      v = g_strstrip (field)[0] != '\0' ? lookup (I, field) : NULL;
      if (v != NULL && v->kind == V_INT)
        g_string_append_printf (out, "%" G_GINT64_FORMAT, v->i);
      else if (v != NULL && v->kind == V_STR)
        g_string_append (out, v->s);
      else
        g_string_append_printf (out, "{%s#%u}", field, ++unknown_field);
      p = close;
    }
}

static Value *
parse_number (Interp *I)
{
  const Tok *t = tok (I);
  g_autofree char *digits = tok_text (t);
  guint line = t->line;
  int w = 0;

  next (I);
  for (int r = 0; digits[r]; r++)
    if (digits[r] != '_')
      digits[w++] = digits[r];
  digits[w] = '\0';
  if (strpbrk (digits, "jJ") != NULL)
    return value_unknown (digits, line);
  if (!(digits[0] == '0' && strchr ("xXoObB", digits[1] ? digits[1] : ' ')) &&
      strpbrk (digits, ".eE") != NULL)
    {
      Value *v = value_new (V_FLOAT, line);
      char *end = NULL;

      v->f = g_ascii_strtod (digits, &end);
      if (*end != '\0')
        {
          value_unref (v);
          return value_unknown (digits, line);
        }
      return v;
    }
  {
    const char *d = digits;
    guint base = 10;
    guint64 n;
    char *end = NULL;

    if (d[0] == '0' && d[1] && strchr ("xXoObB", d[1]))
      {
        base = (d[1] == 'x' || d[1] == 'X') ? 16 : (d[1] == 'o' || d[1] == 'O') ? 8 : 2;
        d += 2;
      }
    errno = 0;
    n = g_ascii_strtoull (d, &end, base);
    if (d[0] == '\0' || *end != '\0')
      return value_unknown (digits, line);
    /* Too large for any width: kept as the largest, which every check refuses. */
    if (errno == ERANGE || n > G_MAXINT64)
      n = G_MAXINT64;
    return value_int ((gint64) n, line);
  }
}

/* A comprehension [elem for … in … if …]; pos at elem, for_pos its "for". */
static gboolean comp_clause (Interp *I, guint clause, guint elem, guint end, Value *out);

static gboolean
assign_names (Interp *I, guint from, guint to, Value *v);

static gboolean
comp_clause (Interp *I, guint clause, guint elem, guint end, Value *out)
{
  if (!step (I))
    return FALSE;
  I->pos = clause;
  if (clause >= end)
    {
      Value *item;

      I->pos = elem;
      item = parse_test (I);
      if (item == NULL)
        return FALSE;
      if (out->items->len >= MAX_ITEMS)
        {
          value_unref (item);
          fail (I, NNS_PYTORCH_ERROR_RANGE, tok (I)->line, _("a list of more than %u items"),
                MAX_ITEMS);
          return FALSE;
        }
      g_ptr_array_add (out->items, item);
      return TRUE;
    }
  if (is_kw (I, "for"))
    {
      guint targets, targets_end, after;
      g_autoptr (Value) iter = NULL;
      guint line = tok (I)->line;

      next (I);
      targets = I->pos;
      while (!is_kw (I, "in") && tok (I)->kind != T_END && I->pos < end)
        next (I);
      targets_end = I->pos;
      if (!is_kw (I, "in"))
        {
          fail (I, NNS_PYTORCH_ERROR_SYNTAX, line, _("expected “in” in the comprehension"));
          return FALSE;
        }
      next (I);
      iter = parse_or (I);
      if (iter == NULL)
        return FALSE;
      after = I->pos;
      if (!is_seq (iter) && iter->kind != V_DICT)
        {
          if (I->skip)
            return TRUE;
          fail (I, NNS_PYTORCH_ERROR_SYNTAX, line,
                _("the comprehension runs over something NN Sketch cannot work out"));
          return FALSE;
        }
      for (guint i = 0; i < iter->items->len; i++)
        {
          Value *item = iter->kind == V_DICT ? g_ptr_array_index (iter->keys, i)
                                             : g_ptr_array_index (iter->items, i);

          if (!assign_names (I, targets, targets_end, item) ||
              !comp_clause (I, after, elem, end, out))
            return FALSE;
        }
      return TRUE;
    }
  if (is_kw (I, "if"))
    {
      g_autoptr (Value) cond = NULL;
      gboolean yes;

      next (I);
      cond = parse_or (I);
      if (cond == NULL)
        return FALSE;
      if (!truthy (I, cond, &yes))
        {
          fail (I, NNS_PYTORCH_ERROR_SYNTAX, cond->line,
                _("a condition NN Sketch cannot work out"));
          return FALSE;
        }
      return !yes || comp_clause (I, I->pos, elem, end, out);
    }
  fail (I, NNS_PYTORCH_ERROR_SYNTAX, tok (I)->line, _("cannot read this comprehension"));
  return FALSE;
}

static Value *
comprehension (Interp *I, guint elem, guint for_pos, guint end, VKind kind)
{
  Value *out = value_seq (kind, tok_at (I, elem)->line);

  if (I->skip)
    {
      I->pos = end;
      return out;
    }
  if (!comp_clause (I, for_pos, elem, end, out))
    {
      value_unref (out);
      return NULL;
    }
  I->pos = end;
  return out;
}

/* Items up to the closer; pos just after the opening bracket. */
static Value *
parse_items (Interp *I, const char *closer, VKind kind, gboolean *single_out)
{
  guint line = tok (I)->line;
  guint close = matching_close (I, I->pos - 1);
  guint for_pos = comprehension_for (I, I->pos);
  Value *out;
  gboolean had_comma = FALSE;

  if (for_pos != 0)
    {
      out = comprehension (I, I->pos, for_pos, close, kind);
      if (out != NULL && !expect_op (I, closer))
        g_clear_pointer (&out, value_unref);
      if (single_out)
        *single_out = FALSE;
      return out;
    }
  out = value_seq (kind, line);
  while (!is_op (I, closer))
    {
      Value *item;

      if (is_op (I, "*"))
        {
          next (I);
          item = parse_or (I);
          if (item == NULL)
            break;
          if (is_seq (item))
            for (guint i = 0; i < item->items->len; i++)
              g_ptr_array_add (out->items, value_ref (g_ptr_array_index (item->items, i)));
          else if (!I->skip)
            g_ptr_array_add (out->items, value_unknown (_("*…"), line));
          value_unref (item);
        }
      else
        {
          item = parse_test (I);
          if (item == NULL)
            break;
          g_ptr_array_add (out->items, item);
        }
      if (is_op (I, ","))
        {
          had_comma = TRUE;
          next (I);
        }
      else if (!is_op (I, closer))
        break;
    }
  if (!expect_op (I, closer))
    {
      value_unref (out);
      return NULL;
    }
  if (single_out)
    *single_out = !had_comma && out->items->len == 1;
  return out;
}

static Value *
parse_dict (Interp *I)
{
  guint line = tok (I)->line;
  guint close = matching_close (I, I->pos - 1);
  Value *out = value_seq (V_DICT, line);

  if (comprehension_for (I, I->pos) != 0)
    {
      /* A dict comprehension: unknown unless nobody needs it. */
      I->pos = close;
      next (I);
      value_unref (out);
      return value_unknown (_("a dict comprehension"), line);
    }
  while (!is_op (I, "}"))
    {
      Value *key, *val;

      if (is_op (I, "**"))
        {
          next (I);
          val = parse_or (I);
          if (val == NULL)
            break;
          if (val->kind == V_DICT)
            for (guint i = 0; i < val->items->len; i++)
              {
                g_ptr_array_add (out->keys, value_ref (g_ptr_array_index (val->keys, i)));
                g_ptr_array_add (out->items, value_ref (g_ptr_array_index (val->items, i)));
              }
          value_unref (val);
        }
      else
        {
          key = parse_test (I);
          if (key == NULL)
            break;
          if (!is_op (I, ":"))
            {
              /* A set: kept as a list. */
              g_ptr_array_add (out->keys, key);
              g_ptr_array_add (out->items, value_ref (key));
            }
          else
            {
              next (I);
              val = parse_test (I);
              if (val == NULL)
                {
                  value_unref (key);
                  break;
                }
              /* A repeated key keeps its place and takes the new value. */
              {
                guint k;

                for (k = 0; k < out->keys->len; k++)
                  if (value_equal (g_ptr_array_index (out->keys, k), key))
                    break;
                if (k < out->keys->len)
                  {
                    value_unref (g_ptr_array_index (out->items, k));
                    g_ptr_array_index (out->items, k) = val;
                    value_unref (key);
                  }
                else
                  {
                    g_ptr_array_add (out->keys, key);
                    g_ptr_array_add (out->items, val);
                  }
              }
            }
        }
      if (is_op (I, ","))
        next (I);
      else if (!is_op (I, "}"))
        break;
    }
  if (!expect_op (I, "}"))
    {
      value_unref (out);
      return NULL;
    }
  return out;
}

static Value *
parse_atom (Interp *I)
{
  const Tok *t = tok (I);
  guint line = t->line;

  if (!step (I))
    return NULL;
  if (t->kind == T_NUMBER)
    return parse_number (I);
  if (t->kind == T_STRING)
    {
      GString *s = g_string_new (NULL);
      Value *v;

      while (tok (I)->kind == T_STRING)
        {
          g_autofree char *part = unquote (tok (I));

          if (strpbrk (tok_text_prefix (tok (I)), "fF") != NULL)
            format_fstring (I, s, part);
          else
            g_string_append (s, part);
          next (I);
        }
      v = value_str (s->str, line);
      g_string_free (s, TRUE);
      return v;
    }
  if (t->kind == T_NAME)
    {
      g_autofree char *name = tok_text (t);
      Value *v;

      if (tok_is (t, T_NAME, "keras") || tok_is (t, T_NAME, "tensorflow"))
        I->saw_keras = TRUE;
      next (I);
      if (strcmp (name, "None") == 0)
        return none (line);
      if (strcmp (name, "True") == 0 || strcmp (name, "False") == 0)
        return value_bool (name[0] == 'T', line);
      if (strcmp (name, "lambda") == 0)
        {
          while (!is_op (I, ":") && tok (I)->kind != T_END && tok (I)->kind != T_NEWLINE)
            next (I);
          if (!expect_op (I, ":"))
            return NULL;
          I->skip++;
          v = parse_test (I);
          I->skip--;
          if (v == NULL)
            return NULL;
          value_unref (v);
          return value_unknown ("lambda", line);
        }
      if (I->skip)
        return none (line);
      v = lookup (I, name);
      if (v != NULL)
        return value_ref (v);
      if (strcmp (name, "self") == 0 && I->scope != NULL && I->scope->self != NULL)
        return value_ref (I->scope->self);
      v = value_new (V_NAME, line);
      v->s = g_steal_pointer (&name);
      return v;
    }
  if (tok_is (t, T_OP, "("))
    {
      gboolean single;
      Value *v;

      next (I);
      v = parse_items (I, ")", V_TUPLE, &single);
      if (v != NULL && single)
        {
          Value *inner = value_ref (g_ptr_array_index (v->items, 0));

          value_unref (v);
          return inner;
        }
      return v;
    }
  if (tok_is (t, T_OP, "["))
    {
      next (I);
      return parse_items (I, "]", V_LIST, NULL);
    }
  if (tok_is (t, T_OP, "{"))
    {
      next (I);
      return parse_dict (I);
    }
  if (tok_is (t, T_OP, "..."))
    {
      next (I);
      return value_unknown ("...", line);
    }
  if (t->kind == T_END)
    fail (I, NNS_PYTORCH_ERROR_SYNTAX, line, _("the text ends in the middle of an expression; "
                                               "is it cut off?"));
  else
    {
      g_autofree char *got = t->kind == T_NEWLINE ? g_strdup (_("the end of the line"))
                                                  : tok_text (t);

      fail (I, NNS_PYTORCH_ERROR_SYNTAX, line, _("cannot read “%s” here"), got);
    }
  return NULL;
}

/* Call arguments; pos just after '('. */
static gboolean
parse_args (Interp *I, Args *a)
{
  guint close = matching_close (I, I->pos - 1);

  if (comprehension_for (I, I->pos) != 0)
    {
      Value *gen = comprehension (I, I->pos, comprehension_for (I, I->pos), close, V_LIST);

      if (gen == NULL)
        return FALSE;
      g_ptr_array_add (a->pos, gen);
      g_ptr_array_add (a->pos_text, g_strdup (_("a generator")));
      return expect_op (I, ")");
    }
  while (!is_op (I, ")"))
    {
      guint start = I->pos;
      Value *v;

      if (tok (I)->kind == T_NAME && tok_is (tok_at (I, I->pos + 1), T_OP, "="))
        {
          char *name = tok_text (tok (I));

          next (I);
          next (I);
          start = I->pos;
          v = parse_test (I);
          if (v == NULL)
            {
              g_free (name);
              return FALSE;
            }
          g_ptr_array_add (a->kw_names, name);
          g_ptr_array_add (a->kw, v);
          g_ptr_array_add (a->kw_text, source_text (I, start, I->pos));
        }
      else if (is_op (I, "*") || is_op (I, "**"))
        {
          gboolean dict = is_op (I, "**");

          next (I);
          v = parse_test (I);
          if (v == NULL)
            return FALSE;
          if (!dict && is_seq (v))
            for (guint i = 0; i < v->items->len; i++)
              {
                g_ptr_array_add (a->pos, value_ref (g_ptr_array_index (v->items, i)));
                g_ptr_array_add (a->pos_text, source_text (I, start, I->pos));
              }
          else if (!dict && v->kind == V_MODULE && v->module->kind == NNS_MODULE_CONTAINER)
            for (guint i = 0; i < v->module->children->len; i++)
              {
                g_ptr_array_add (a->pos, value_module (g_ptr_array_index (v->module->children,
                                                                          i), v->line));
                g_ptr_array_add (a->pos_text, source_text (I, start, I->pos));
              }
          else if (dict && v->kind == V_DICT)
            for (guint i = 0; i < v->items->len; i++)
              {
                Value *key = g_ptr_array_index (v->keys, i);

                if (key->kind != V_STR)
                  continue;
                g_ptr_array_add (a->kw_names, g_strdup (key->s));
                g_ptr_array_add (a->kw, value_ref (g_ptr_array_index (v->items, i)));
                g_ptr_array_add (a->kw_text, g_strdup (key->s));
              }
          else
            a->unknown_star = TRUE;
          value_unref (v);
        }
      else
        {
          v = parse_test (I);
          if (v == NULL)
            return FALSE;
          g_ptr_array_add (a->pos, v);
          g_ptr_array_add (a->pos_text, source_text (I, start, I->pos));
        }
      if (is_op (I, ","))
        next (I);
      else if (!is_op (I, ")"))
        break;
    }
  return expect_op (I, ")");
}

static Value *
subscript (Interp *I, Value *base, guint line)
{
  g_autoptr (Value) index = NULL;
  g_autoptr (Value) lo = NULL;
  g_autoptr (Value) hi = NULL;
  g_autoptr (Value) stride = NULL;
  gboolean slice = FALSE;

  /* [lo:hi:step] or [index] */
  if (!is_op (I, ":"))
    {
      index = parse_test (I);
      if (index == NULL)
        return NULL;
    }
  if (is_op (I, ":"))
    {
      slice = TRUE;
      lo = g_steal_pointer (&index);
      next (I);
      if (!is_op (I, "]") && !is_op (I, ":"))
        if ((hi = parse_test (I)) == NULL)
          return NULL;
      if (is_op (I, ":"))
        {
          next (I);
          if (!is_op (I, "]") && (stride = parse_test (I)) == NULL)
            return NULL;
        }
    }
  while (is_op (I, ","))
    {
      /* a[1, 2]: a tensor's index */
      next (I);
      if (!is_op (I, "]"))
        {
          Value *more = parse_test (I);

          if (more == NULL)
            return NULL;
          value_unref (more);
        }
      base = NULL;
    }
  if (!expect_op (I, "]"))
    return NULL;
  if (I->skip || base == NULL)
    return I->skip ? none (line) : value_unknown (_("an index"), line);

  if (base->kind == V_MODULE && base->module->kind == NNS_MODULE_CONTAINER && !slice &&
      index != NULL)
    {
      GPtrArray *children = base->module->children;

      if (index->kind == V_STR)
        {
          NnsModule *child = _nns_module_get_child (base->module, index->s);

          if (child != NULL)
            return value_module (child, line);
        }
      else if (index->kind == V_INT)
        {
          gint64 k = index->i < 0 ? index->i + children->len : index->i;

          if (k >= 0 && k < children->len)
            return value_module (g_ptr_array_index (children, k), line);
        }
      fail (I, NNS_PYTORCH_ERROR_SYNTAX, line, _("%s has no such item"), base->module->type);
      return NULL;
    }
  if (base->kind == V_DICT && !slice && index != NULL)
    {
      for (guint i = 0; i < base->keys->len; i++)
        if (value_equal (g_ptr_array_index (base->keys, i), index))
          return value_ref (g_ptr_array_index (base->items, i));
      return value_unknown (_("a missing key"), line);
    }
  if (is_seq (base))
    {
      gint64 n = base->items->len;

      if (!slice)
        {
          gint64 k;

          if (index == NULL || index->kind != V_INT)
            return value_unknown (_("an index"), line);
          k = index->i < 0 ? index->i + n : index->i;
          if (k < 0 || k >= n)
            {
              g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, index->i);

              /* Numbers go into messages as text, so translatable strings stay plain %s. */
              fail (I, NNS_PYTORCH_ERROR_SYNTAX, line, _("index %s is out of range"), number);
              return NULL;
            }
          return value_ref (g_ptr_array_index (base->items, k));
        }
      else
        {
          gint64 st = stride != NULL && stride->kind == V_INT ? stride->i : 1;
          gint64 a, b;
          Value *out = value_seq (base->kind, line);

          if (st == 0 || (lo && lo->kind != V_INT && lo->kind != V_NONE) ||
              (hi && hi->kind != V_INT && hi->kind != V_NONE))
            {
              value_unref (out);
              return value_unknown (_("a slice"), line);
            }
          a = lo && lo->kind == V_INT ? lo->i : (st > 0 ? 0 : n - 1);
          b = hi && hi->kind == V_INT ? hi->i : (st > 0 ? n : -n - 1);
          if (a < 0) a += n;
          if (b < 0) b += n;
          if (!charge (I, n))
            {
              value_unref (out);
              return NULL;
            }
          if (st > 0)
            {
              a = CLAMP (a, 0, n), b = CLAMP (b, 0, n);
              for (gint64 k = a; k < b; k += st)
                g_ptr_array_add (out->items, value_ref (g_ptr_array_index (base->items, k)));
            }
          else
            {
              a = CLAMP (a, -1, n - 1), b = CLAMP (b, -1, n - 1);
              for (gint64 k = a; k > b; k += st)
                g_ptr_array_add (out->items, value_ref (g_ptr_array_index (base->items, k)));
            }
          return out;
        }
    }
  return value_unknown (_("an index"), line);
}

static Value *
attribute (Interp *I, Value *base, const char *name, guint line)
{
  static const char *const module_methods[] = {
    "append", "extend", "insert", "add_module", "register_module", "requires_grad_", "to",
    "cuda", "cpu", "float", "double", "half", "bfloat16", "train", "eval", "apply", "type",
    "share_memory", "zero_grad", "__init__", NULL
  };
  static const char *const list_methods[] = { "append", "extend", "insert", "pop", "copy",
                                              "reverse", NULL };
  static const char *const dict_methods[] = { "items", "keys", "values", "get", "update",
                                              "copy", NULL };

  if (I->skip)
    return none (line);
  switch (base->kind)
    {
    case V_NAME:
      {
        Value *v = value_new (V_NAME, line);

        v->s = g_strconcat (base->s, ".", name, NULL);
        return v;
      }
    case V_MODULE:
      {
        NnsModule *m = base->module;
        GHashTable *attrs = g_hash_table_lookup (I->attrs, m);
        Value *plain;

        NnsModule *child;

        if (m->kind == NNS_MODULE_CONTAINER && (child = _nns_module_get_child (m, name)) != NULL)
          return value_module (child, line);
        if (attrs != NULL && (plain = g_hash_table_lookup (attrs, name)) != NULL)
          return value_ref (plain);
        /* Class attributes (IN = 784 in the class body), inherited ones too. */
        for (Def *cls = g_hash_table_lookup (I->classes, m); cls != NULL; cls = cls->base_def)
          if (cls->attrs != NULL && (plain = g_hash_table_lookup (cls->attrs, name)) != NULL)
            return value_ref (plain);
        if (m->kind == NNS_MODULE_LINEAR && strcmp (name, "in_features") == 0)
          return value_int (m->in_features, line);
        if (m->kind == NNS_MODULE_LINEAR && strcmp (name, "out_features") == 0)
          return value_int (m->out_features, line);
        if (g_strv_contains (module_methods, name))
          {
            Value *v = value_new (V_BOUND, line);

            v->s = g_strdup (name);
            v->self = value_ref (base);
            return v;
          }
        return value_unknown (name, line);
      }
    case V_LIST:
    case V_DICT:
      if (g_strv_contains (base->kind == V_LIST ? list_methods : dict_methods, name))
        {
          Value *v = value_new (V_BOUND, line);

          v->s = g_strdup (name);
          v->self = value_ref (base);
          return v;
        }
      return value_unknown (name, line);
    case V_CLASS:
      for (Def *cls = base->def; cls != NULL; cls = cls->base_def)
        {
          Value *plain;

          if (cls->attrs != NULL && (plain = g_hash_table_lookup (cls->attrs, name)) != NULL)
            return value_ref (plain);
        }
      return value_unknown (name, line);
    case V_SUPER:
      if (strcmp (name, "__init__") == 0)
        {
          Value *v = value_new (V_BOUND, line);

          v->s = g_strdup (name);
          v->self = value_ref (base);
          return v;
        }
      return value_unknown (name, line);
    default:
      return value_unknown (name, line);
    }
}

static Value *
parse_primary (Interp *I)
{
  Value *v = parse_atom (I);

  while (v != NULL && !failed (I))
    {
      guint line = tok (I)->line;

      if (is_op (I, "."))
        {
          g_autofree char *name = NULL;
          Value *w;

          next (I);
          if (tok (I)->kind != T_NAME)
            {
              fail (I, NNS_PYTORCH_ERROR_SYNTAX, line, _("expected a name after “.”"));
              break;
            }
          name = tok_text (tok (I));
          next (I);
          w = attribute (I, v, name, line);
          value_unref (v);
          v = w;
        }
      else if (is_op (I, "("))
        {
          Args a;
          Value *w = NULL;

          next (I);
          args_init (&a, line);
          if (parse_args (I, &a))
            w = I->skip ? none (line) : call_value (I, v, &a);
          args_clear (&a);
          value_unref (v);
          v = w;
        }
      else if (is_op (I, "["))
        {
          Value *w;

          next (I);
          w = subscript (I, v, line);
          value_unref (v);
          v = w;
        }
      else
        break;
    }
  if (failed (I))
    g_clear_pointer (&v, value_unref);
  return v;
}

static gboolean
number_of (Value *v, double *out)
{
  if (v->kind == V_INT || v->kind == V_BOOL)
    *out = v->i;
  else if (v->kind == V_FLOAT)
    *out = v->f;
  else
    return FALSE;
  return TRUE;
}

static Value *
binary (Interp *I, const char *op, Value *a, Value *b, guint line)
{
  gboolean ints = (a->kind == V_INT || a->kind == V_BOOL) && (b->kind == V_INT || b->kind == V_BOOL);
  double x, y;

  if (I->skip)
    return none (line);
  if (ints)
    {
      gint64 r = 0;
      gboolean overflow = FALSE;

      if (strcmp (op, "+") == 0)
        overflow = __builtin_add_overflow (a->i, b->i, &r);
      else if (strcmp (op, "-") == 0)
        overflow = __builtin_sub_overflow (a->i, b->i, &r);
      else if (strcmp (op, "*") == 0)
        overflow = __builtin_mul_overflow (a->i, b->i, &r);
      else if (strcmp (op, "//") == 0 || strcmp (op, "%") == 0)
        {
          gint64 q, m;

          if (b->i == 0)
            {
              fail (I, NNS_PYTORCH_ERROR_SYNTAX, line, _("division by zero"));
              return NULL;
            }
          if (a->i == G_MININT64 && b->i == -1)
            return value_unknown (_("a number too large"), line);
          q = a->i / b->i, m = a->i % b->i;
          if (m != 0 && ((m < 0) != (b->i < 0)))
            q--, m += b->i;
          r = op[0] == '%' ? m : q;
        }
      else if (strcmp (op, "**") == 0)
        {
          if (b->i < 0)
            {
              Value *v = value_new (V_FLOAT, line);

              v->f = pow (a->i, b->i);
              return v;
            }
          if (a->i == 0 || a->i == 1)
            r = b->i == 0 ? 1 : a->i;
          else if (a->i == -1)
            r = b->i % 2 == 0 ? 1 : -1;
          else
            {
              /* |a| >= 2: past 63 steps it overflows anyway. */
              r = 1;
              for (gint64 k = 0; k < b->i && !overflow; k++)
                overflow = __builtin_mul_overflow (r, a->i, &r);
            }
        }
      else if (strcmp (op, "<<") == 0)
        {
          /* Shifted as a multiplication, so an overflow is caught, not undefined. */
          overflow = b->i < 0 || b->i > 62 ||
                     __builtin_mul_overflow (a->i, (gint64) 1 << b->i, &r);
        }
      else if (strcmp (op, ">>") == 0)
        r = b->i < 0 || b->i > 63 ? 0 : a->i >> b->i;
      else if (strcmp (op, "&") == 0)
        r = a->i & b->i;
      else if (strcmp (op, "|") == 0)
        r = a->i | b->i;
      else if (strcmp (op, "^") == 0)
        r = a->i ^ b->i;
      else if (strcmp (op, "/") != 0)
        return value_unknown (op, line);
      if (strcmp (op, "/") != 0)
        return overflow ? value_unknown (_("a number too large"), line) : value_int (r, line);
    }
  if (number_of (a, &x) && number_of (b, &y))
    {
      Value *v = value_new (V_FLOAT, line);

      if (strcmp (op, "+") == 0) v->f = x + y;
      else if (strcmp (op, "-") == 0) v->f = x - y;
      else if (strcmp (op, "*") == 0) v->f = x * y;
      else if (strcmp (op, "/") == 0 && y != 0) v->f = x / y;
      else if (strcmp (op, "//") == 0 && y != 0) v->f = floor (x / y);
      else if (strcmp (op, "**") == 0) v->f = pow (x, y);
      else
        {
          value_unref (v);
          return value_unknown (op, line);
        }
      return v;
    }
  if (strcmp (op, "+") == 0 && a->kind == V_STR && b->kind == V_STR)
    {
      Value *v = value_new (V_STR, line);

      v->s = g_strconcat (a->s, b->s, NULL);
      return v;
    }
  if (strcmp (op, "+") == 0 && is_seq (a) && a->kind == b->kind)
    {
      Value *v;

      if ((guint64) a->items->len + b->items->len > MAX_ITEMS)
        {
          fail (I, NNS_PYTORCH_ERROR_RANGE, line, _("a list of more than %u items"), MAX_ITEMS);
          return NULL;
        }
      if (!charge (I, (guint64) a->items->len + b->items->len))
        return NULL;
      v = value_seq (a->kind, line);

      for (guint i = 0; i < a->items->len; i++)
        g_ptr_array_add (v->items, value_ref (g_ptr_array_index (a->items, i)));
      for (guint i = 0; i < b->items->len; i++)
        g_ptr_array_add (v->items, value_ref (g_ptr_array_index (b->items, i)));
      return v;
    }
  if (strcmp (op, "*") == 0 && (is_seq (a) || is_seq (b)) && (a->kind == V_INT || b->kind == V_INT))
    {
      Value *seq = is_seq (a) ? a : b;
      gint64 n = a->kind == V_INT ? a->i : b->i;
      Value *v = value_seq (seq->kind, line);

      if (n > 0 && (guint64) n * seq->items->len > MAX_ITEMS)
        {
          value_unref (v);
          fail (I, NNS_PYTORCH_ERROR_RANGE, line, _("a list of more than %u items"), MAX_ITEMS);
          return NULL;
        }
      if (n > 0 && !charge (I, (guint64) n * seq->items->len))
        {
          value_unref (v);
          return NULL;
        }
      /* [m] * 3 repeats the same objects, as Python does; [] * n is empty. */
      for (gint64 k = 0; seq->items->len > 0 && k < n; k++)
        for (guint i = 0; i < seq->items->len; i++)
          g_ptr_array_add (v->items, value_ref (g_ptr_array_index (seq->items, i)));
      return v;
    }
  return value_unknown (op, line);
}

static Value *
parse_power (Interp *I)
{
  Value *base = parse_primary (I);

  if (base != NULL && is_op (I, "**"))
    {
      guint line = tok (I)->line;
      Value *exponent, *r;

      next (I);
      exponent = parse_factor (I);
      if (exponent == NULL)
        {
          value_unref (base);
          return NULL;
        }
      r = binary (I, "**", base, exponent, line);
      value_unref (base);
      value_unref (exponent);
      return r;
    }
  return base;
}

static Value *
parse_factor (Interp *I)
{
  if (is_op (I, "-") || is_op (I, "+") || is_op (I, "~"))
    {
      char op = tok (I)->start[0];
      guint line = tok (I)->line;
      Value *v;

      next (I);
      /* - - - x: each sign is a level, bounded as nested expressions are. */
      if (I->nesting >= MAX_NESTING)
        {
          fail (I, NNS_PYTORCH_ERROR_SYNTAX, line, _("expressions nested more than %u deep"),
                MAX_NESTING);
          return NULL;
        }
      I->nesting++;
      v = parse_factor (I);
      I->nesting--;
      if (v == NULL || I->skip)
        return v;
      if (op == '+')
        return v;
      if ((v->kind == V_INT || v->kind == V_BOOL) && v->i != G_MININT64)
        {
          gint64 i = op == '-' ? -v->i : ~v->i;

          value_unref (v);
          return value_int (i, line);
        }
      if (v->kind == V_FLOAT && op == '-')
        {
          Value *w = value_new (V_FLOAT, line);

          w->f = -v->f;
          value_unref (v);
          return w;
        }
      value_unref (v);
      return value_unknown ("-", line);
    }
  return parse_power (I);
}

typedef Value *(*ParseFunc) (Interp *I);

static Value *
parse_binary_level (Interp *I, ParseFunc sub, const char *const *ops)
{
  Value *left = sub (I);

  while (left != NULL)
    {
      const char *op = NULL;
      guint line = tok (I)->line;
      Value *right, *r;

      for (guint i = 0; ops[i]; i++)
        if (is_op (I, ops[i]))
          op = ops[i];
      if (op == NULL)
        break;
      next (I);
      right = sub (I);
      if (right == NULL)
        {
          value_unref (left);
          return NULL;
        }
      r = binary (I, op, left, right, line);
      value_unref (left);
      value_unref (right);
      left = r;
    }
  return left;
}

static Value *
parse_term (Interp *I)
{
  static const char *const ops[] = { "*", "/", "//", "%", "@", NULL };

  return parse_binary_level (I, parse_factor, ops);
}

static Value *
parse_arith (Interp *I)
{
  static const char *const ops[] = { "+", "-", NULL };

  return parse_binary_level (I, parse_term, ops);
}

static Value *
parse_shift (Interp *I)
{
  static const char *const ops[] = { "<<", ">>", NULL };

  return parse_binary_level (I, parse_arith, ops);
}

static Value *
parse_bits (Interp *I)
{
  static const char *const ops[] = { "&", "|", "^", NULL };

  return parse_binary_level (I, parse_shift, ops);
}

static Value *
compare (Interp *I, const char *op, Value *a, Value *b, guint line)
{
  double x, y;
  int c;

  if (I->skip)
    return none (line);
  if (strcmp (op, "==") == 0 || strcmp (op, "!=") == 0 || strcmp (op, "is") == 0 ||
      strcmp (op, "is not") == 0)
    {
      gboolean eq;

      if ((a->kind == V_UNKNOWN || b->kind == V_UNKNOWN || a->kind == V_NAME ||
           b->kind == V_NAME) && !(a->kind == V_NONE || b->kind == V_NONE))
        return value_unknown (op, line);
      if ((a->kind == V_UNKNOWN || a->kind == V_NAME) || (b->kind == V_UNKNOWN || b->kind == V_NAME))
        return value_unknown (op, line);
      if (!charge (I, (a->items != NULL ? a->items->len : 0) + (b->items != NULL ? b->items->len : 0)))
        return NULL;
      eq = value_equal (a, b);
      return value_bool ((op[0] == '=' || strcmp (op, "is") == 0) ? eq : !eq, line);
    }
  if (strcmp (op, "in") == 0 || strcmp (op, "not in") == 0)
    {
      gboolean found = FALSE;

      if (!is_seq (b) && b->kind != V_DICT)
        return value_unknown (op, line);
      if (!charge (I, b->items->len))
        return NULL;
      for (guint i = 0; i < b->items->len && !found; i++)
        found = value_equal (a, g_ptr_array_index (b->kind == V_DICT ? b->keys : b->items, i));
      return value_bool (op[0] == 'i' ? found : !found, line);
    }
  if (!number_of (a, &x) || !number_of (b, &y))
    return value_unknown (op, line);
  c = x < y ? -1 : x > y ? 1 : 0;
  if (strcmp (op, "<") == 0) return value_bool (c < 0, line);
  if (strcmp (op, ">") == 0) return value_bool (c > 0, line);
  if (strcmp (op, "<=") == 0) return value_bool (c <= 0, line);
  return value_bool (c >= 0, line);
}

static Value *
parse_comparison (Interp *I)
{
  Value *left = parse_bits (I);
  Value *result = NULL;

  while (left != NULL)
    {
      const char *op = NULL;
      guint line = tok (I)->line;
      Value *right, *r;

      if (is_op (I, "<")) op = "<";
      else if (is_op (I, ">")) op = ">";
      else if (is_op (I, "==")) op = "==";
      else if (is_op (I, "!=")) op = "!=";
      else if (is_op (I, "<=")) op = "<=";
      else if (is_op (I, ">=")) op = ">=";
      else if (is_kw (I, "in")) op = "in";
      else if (is_kw (I, "is"))
        op = tok_is (tok_at (I, I->pos + 1), T_NAME, "not") ? (next (I), "is not") : "is";
      else if (is_kw (I, "not") && tok_is (tok_at (I, I->pos + 1), T_NAME, "in"))
        {
          next (I);
          op = "not in";
        }
      if (op == NULL)
        break;
      next (I);
      right = parse_bits (I);
      if (right == NULL)
        {
          value_unref (left);
          g_clear_pointer (&result, value_unref);
          return NULL;
        }
      r = compare (I, op, left, right, line);
      value_unref (left);
      left = right;
      if (r == NULL)
        {
          value_unref (left);
          g_clear_pointer (&result, value_unref);
          return NULL;
        }
      if (result == NULL)
        result = r;
      else
        {
          /* a < b < c: both must hold */
          gboolean x, y;

          if (truthy (I, result, &x) && truthy (I, r, &y))
            {
              value_unref (result);
              result = value_bool (x && y, line);
            }
          value_unref (r);
        }
    }
  if (result != NULL)
    {
      value_unref (left);
      return result;
    }
  return left;
}

static Value *
parse_not (Interp *I)
{
  if (is_kw (I, "not"))
    {
      guint line = tok (I)->line;
      Value *v;
      gboolean yes;

      next (I);
      v = parse_not (I);
      if (v == NULL || I->skip)
        return v;
      if (!truthy (I, v, &yes))
        {
          value_unref (v);
          return value_unknown ("not", line);
        }
      value_unref (v);
      return value_bool (!yes, line);
    }
  return parse_comparison (I);
}

/* and / or with Python's short circuit: the operand not needed is only parsed. */
static Value *
parse_logic (Interp *I, gboolean is_and)
{
  Value *left = is_and ? parse_not (I) : parse_logic (I, TRUE);

  while (left != NULL && is_kw (I, is_and ? "and" : "or"))
    {
      gboolean yes = FALSE, known = I->skip ? FALSE : truthy (I, left, &yes);
      gboolean decided = known && (is_and ? !yes : yes);
      Value *right;

      next (I);
      if (decided)
        I->skip++;
      right = is_and ? parse_not (I) : parse_logic (I, TRUE);
      if (decided)
        I->skip--;
      if (right == NULL)
        {
          value_unref (left);
          return NULL;
        }
      if (decided || I->skip)
        value_unref (right);
      else if (known)
        {
          value_unref (left);
          left = right;
        }
      else
        {
          value_unref (left);
          value_unref (right);
          left = value_unknown (is_and ? "and" : "or", tok (I)->line);
        }
    }
  return left;
}

static Value *
parse_or (Interp *I)
{
  return parse_logic (I, FALSE);
}

/* a if cond else b */
static Value *parse_test_inner (Interp *I);


static Value *
parse_test (Interp *I)
{
  Value *v;

  if (!step (I))
    return NULL;
  if (I->nesting >= MAX_NESTING)
    {
      fail (I, NNS_PYTORCH_ERROR_SYNTAX, tok (I)->line,
            _("expressions nested more than %u deep"), MAX_NESTING);
      return NULL;
    }
  I->nesting++;
  v = parse_test_inner (I);
  I->nesting--;
  return v;
}

static Value *
parse_test_inner (Interp *I)
{
  Value *a;

  a = parse_or (I);
  if (a != NULL && is_kw (I, "if"))
    {
      g_autoptr (Value) cond = NULL;
      gboolean yes = FALSE, known;
      Value *b;
      guint else_pos;

      next (I);
      cond = parse_or (I);
      if (cond == NULL)
        {
          value_unref (a);
          return NULL;
        }
      if (!is_kw (I, "else"))
        {
          fail (I, NNS_PYTORCH_ERROR_SYNTAX, tok (I)->line, _("expected “else”"));
          value_unref (a);
          return NULL;
        }
      next (I);
      else_pos = I->pos;
      known = !I->skip && truthy (I, cond, &yes);
      if (known && yes)
        {
          I->skip++;
          b = parse_test (I);
          I->skip--;
          if (b == NULL)
            g_clear_pointer (&a, value_unref);
          else
            value_unref (b);
          return a;
        }
      value_unref (a);
      if (known)
        {
          /* the condition is false: a was built for nothing; build b instead */
          guint end;

          I->skip++;
          b = parse_test (I);
          I->skip--;
          if (b == NULL)
            return NULL;
          value_unref (b);
          end = I->pos;
          I->pos = else_pos;
          b = parse_test (I);
          if (b != NULL && I->pos != end)
            I->pos = end;
          return b;
        }
      b = parse_test (I);
      if (b == NULL)
        return NULL;
      value_unref (b);
      return I->skip ? none (tok (I)->line) : value_unknown (_("a conditional value"),
                                                             tok (I)->line);
    }
  return a;
}

/* a, b, c without brackets: a tuple. */
static Value *
parse_testlist (Interp *I)
{
  Value *first = parse_test (I);
  Value *tuple;

  if (first == NULL || !is_op (I, ","))
    return first;
  tuple = value_seq (V_TUPLE, first->line);
  g_ptr_array_add (tuple->items, first);
  while (is_op (I, ","))
    {
      Value *item;

      next (I);
      if (tok (I)->kind == T_NEWLINE || is_op (I, "=") || is_op (I, ")") || tok (I)->kind == T_END)
        break;
      item = parse_test (I);
      if (item == NULL)
        {
          value_unref (tuple);
          return NULL;
        }
      g_ptr_array_add (tuple->items, item);
    }
  return tuple;
}

/* ------------------------------------------------------------------ calls */

static Def *
find_init (Def *cls)
{
  for (guint guard = 0; cls != NULL && guard < 32; guard++, cls = cls->base_def)
    if (cls->init != NULL)
      return cls->init;
  return NULL;
}

static Def *
sequential_base (Def *cls, const char **kind)
{
  for (guint guard = 0; cls != NULL && guard < 32; guard++)
    {
      const char *base = cls->base != NULL ? last_part (cls->base) : "";

      if (cls->base_def == NULL &&
          (strcmp (base, "Sequential") == 0 || strcmp (base, "ModuleList") == 0 ||
           strcmp (base, "ModuleDict") == 0))
        {
          *kind = base;
          return cls;
        }
      cls = cls->base_def;
    }
  *kind = NULL;
  return NULL;
}

/* Runs a function's body with its parameters bound. self may be NULL. */
static Value *
run_def (Interp *I, Def *def, Value *self, Def *cls, Args *a)
{
  g_autoptr (GHashTable) vars = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                       (GDestroyNotify) value_unref);
  Scope scope = { vars, self, cls };
  Scope *saved_scope = I->scope;
  guint saved_pos = I->pos;
  guint n_pos = 0;
  GPtrArray *used_kw = g_ptr_array_new ();
  Value *result;
  gboolean first = TRUE;

  if (I->depth >= MAX_DEPTH)
    {
      g_ptr_array_unref (used_kw);
      fail (I, NNS_PYTORCH_ERROR_RANGE, a->line, _("calls nested more than %u deep"), MAX_DEPTH);
      return NULL;
    }

  /* The parameter list: name [: annotation] [= default], *args, **kwargs. */
  I->pos = def->params;
  while (!is_op (I, ")") && !failed (I) && tok (I)->kind != T_END)
    {
      gboolean star = FALSE, dstar = FALSE;
      g_autofree char *name = NULL;
      guint default_pos = 0;
      Value *v = NULL;

      if (is_op (I, "/") || (is_op (I, "*") && tok_is (tok_at (I, I->pos + 1), T_OP, ",")))
        {
          next (I);
          if (is_op (I, ","))
            next (I);
          continue;
        }
      if (is_op (I, "*"))
        star = TRUE, next (I);
      else if (is_op (I, "**"))
        dstar = TRUE, next (I);
      if (tok (I)->kind != T_NAME)
        {
          fail (I, NNS_PYTORCH_ERROR_SYNTAX, tok (I)->line, _("cannot read the parameters of %s"),
                def->name);
          break;
        }
      name = tok_text (tok (I));
      next (I);
      if (is_op (I, ":"))
        {
          Value *annotation;

          next (I);
          I->skip++;
          annotation = parse_test (I);
          I->skip--;
          if (annotation == NULL)
            break;
          value_unref (annotation);
        }
      if (is_op (I, "="))
        {
          Value *skipped;

          next (I);
          default_pos = I->pos;
          I->skip++;
          skipped = parse_test (I);
          I->skip--;
          if (skipped == NULL)
            break;
          value_unref (skipped);
        }
      if (is_op (I, ","))
        next (I);

      if (first && self != NULL)
        {
          first = FALSE;
          v = value_ref (self);
        }
      else if (star)
        {
          v = value_seq (V_TUPLE, a->line);
          while (n_pos < a->pos->len)
            g_ptr_array_add (v->items, value_ref (g_ptr_array_index (a->pos, n_pos++)));
        }
      else if (dstar)
        {
          v = value_seq (V_DICT, a->line);
          for (guint k = 0; k < a->kw->len; k++)
            if (!g_ptr_array_find (used_kw, g_ptr_array_index (a->kw_names, k), NULL))
              {
                g_ptr_array_add (v->keys, value_str (g_ptr_array_index (a->kw_names, k), a->line));
                g_ptr_array_add (v->items, value_ref (g_ptr_array_index (a->kw, k)));
              }
        }
      else
        {
          first = FALSE;
          for (guint k = 0; k < a->kw->len && v == NULL; k++)
            if (strcmp (g_ptr_array_index (a->kw_names, k), name) == 0)
              {
                v = value_ref (g_ptr_array_index (a->kw, k));
                g_ptr_array_add (used_kw, g_ptr_array_index (a->kw_names, k));
              }
          if (v == NULL && n_pos < a->pos->len)
            v = value_ref (g_ptr_array_index (a->pos, n_pos++));
          if (v == NULL && default_pos != 0)
            {
              guint here = I->pos;
              Scope *inner = I->scope;

              I->scope = saved_scope;
              I->pos = default_pos;
              v = parse_test (I);
              I->scope = inner;
              I->pos = here;
              if (v == NULL)
                break;
            }
          if (v == NULL)
            {
              if (a->unknown_star)
                v = value_unknown (name, a->line);
              else
                {
                  fail (I, NNS_PYTORCH_ERROR_SYNTAX, a->line,
                        _("%s() needs a value for %s; write it in the call, e.g. %s(%s=…)"),
                        def->owner != NULL ? def->owner->name : def->name, name,
                        def->owner != NULL ? def->owner->name : def->name, name);
                  break;
                }
            }
        }
      g_hash_table_replace (vars, g_strdup (name), v);
    }
  g_ptr_array_unref (used_kw);
  if (failed (I))
    {
      I->pos = saved_pos;
      return NULL;
    }

  I->scope = &scope;
  I->depth++;
  exec_block (I, def->body, def->body_end);
  I->depth--;
  I->scope = saved_scope;
  I->pos = saved_pos;
  I->breaking = I->continuing = FALSE;
  result = I->ret != NULL ? I->ret : none (a->line);
  I->ret = NULL;
  I->returning = FALSE;
  if (failed (I))
    {
      value_unref (result);
      return NULL;
    }
  return result;
}

static Value *
instantiate (Interp *I, Def *cls, Args *a)
{
  g_autoptr (NnsModule) m = _nns_module_new (NNS_MODULE_CONTAINER, cls->name, a->line);
  g_autoptr (Value) self = value_module (m, a->line);
  Def *init = find_init (cls);
  const char *kind = NULL;

  if (++I->n_modules > MAX_MODULES)
    {
      fail (I, NNS_PYTORCH_ERROR_RANGE, a->line, _("the code builds more than %u modules"),
            MAX_MODULES);
      return NULL;
    }
  if (sequential_base (cls, &kind) != NULL && strcmp (kind, "Sequential") == 0)
    m->sequential = TRUE;
  g_hash_table_insert (I->classes, _nns_module_ref (m), cls);
  if (init != NULL)
    {
      Value *r = run_def (I, init, self, init->owner, a);

      if (r == NULL)
        return NULL;
      value_unref (r);
    }
  else if (kind != NULL)
    {
      /* class MLP(nn.Sequential) without __init__: the arguments are its modules. */
      for (guint i = 0; i < a->pos->len; i++)
        if (!register_child (I, m, NULL, g_ptr_array_index (a->pos, i), a->line, cls->name))
          return NULL;
    }
  return g_steal_pointer (&self);
}

static gboolean
int_arg (Args *a, guint i, gint64 *out)
{
  Value *v;

  if (i >= a->pos->len)
    return FALSE;
  v = g_ptr_array_index (a->pos, i);
  if (v->kind != V_INT && v->kind != V_BOOL)
    return FALSE;
  *out = v->i;
  return TRUE;
}

static Value *
builtin (Interp *I, const char *name, Args *a, gboolean *handled)
{
  guint line = a->line;
  Value *arg0 = a->pos->len > 0 ? g_ptr_array_index (a->pos, 0) : NULL;

  *handled = TRUE;
  if (strcmp (name, "range") == 0)
    {
      gint64 start = 0, stop = 0, stride = 1;
      Value *out;

      if (a->pos->len == 1 ? !int_arg (a, 0, &stop)
          : !(int_arg (a, 0, &start) && int_arg (a, 1, &stop) &&
              (a->pos->len < 3 || int_arg (a, 2, &stride))) || stride == 0)
        return value_unknown ("range(…)", line);
      {
        /* (the count is only charged up to the item limit, checked below) */
        double count = stride > 0 ? ceil (((double) stop - start) / stride)
                                  : ceil (((double) start - stop) / -(double) stride);

        if (count > 0 && !charge (I, (guint64) MIN (count, (double) MAX_ITEMS)))
          return NULL;
      }
      out = value_seq (V_LIST, line);
      for (gint64 k = start; stride > 0 ? k < stop : k > stop; k += stride)
        {
          if (out->items->len >= MAX_ITEMS)
            {
              value_unref (out);
              fail (I, NNS_PYTORCH_ERROR_RANGE, line, _("a range of more than %u numbers"),
                    MAX_ITEMS);
              return NULL;
            }
          g_ptr_array_add (out->items, value_int (k, line));
        }
      return out;
    }
  if (strcmp (name, "len") == 0 && arg0 != NULL)
    {
      if (arg0->items != NULL)
        return value_int (arg0->items->len, line);
      if (arg0->kind == V_STR)
        return value_int (g_utf8_strlen (arg0->s, -1), line);
      if (arg0->kind == V_MODULE && arg0->module->kind == NNS_MODULE_CONTAINER)
        return value_int (arg0->module->children->len, line);
      return value_unknown ("len(…)", line);
    }
  if (strcmp (name, "int") == 0 && arg0 != NULL)
    {
      if (arg0->kind == V_INT || arg0->kind == V_BOOL)
        return value_int (arg0->i, line);
      if (arg0->kind == V_FLOAT && fabs (arg0->f) < 9e18)
        return value_int ((gint64) arg0->f, line);
      if (arg0->kind == V_STR)
        {
          char *end = NULL;
          gint64 n = g_ascii_strtoll (arg0->s, &end, 10);

          if (end != arg0->s && *end == '\0')
            return value_int (n, line);
        }
      return value_unknown ("int(…)", line);
    }
  if (strcmp (name, "str") == 0 && arg0 != NULL && a->pos->len == 1)
    {
      if (arg0->kind == V_INT)
        {
          g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, arg0->i);

          return value_str (text, line);
        }
      if (arg0->kind == V_STR)
        return value_ref (arg0);
      return value_unknown ("str(…)", line);
    }
  if (strcmp (name, "round") == 0 && arg0 != NULL && a->pos->len == 1)
    {
      if (arg0->kind == V_INT)
        return value_ref (arg0);
      if (arg0->kind == V_FLOAT && fabs (arg0->f) < 9e18)
        return value_int ((gint64) nearbyint (arg0->f), line);
      return value_unknown ("round(…)", line);
    }
  if (strcmp (name, "float") == 0 && arg0 != NULL)
    {
      double x;
      Value *v;

      if (!number_of (arg0, &x))
        return value_unknown ("float(…)", line);
      v = value_new (V_FLOAT, line);
      v->f = x;
      return v;
    }
  if ((strcmp (name, "list") == 0 || strcmp (name, "tuple") == 0 || strcmp (name, "reversed") == 0 ||
       strcmp (name, "sorted") == 0) && a->pos->len <= 1)
    {
      Value *out = value_seq (name[0] == 't' ? V_TUPLE : V_LIST, line);

      if (arg0 == NULL)
        return out;
      if (arg0->items != NULL && !charge (I, arg0->items->len))
        {
          value_unref (out);
          return NULL;
        }
      if (arg0->kind == V_DICT)
        for (guint i = 0; i < arg0->keys->len; i++)
          g_ptr_array_add (out->items, value_ref (g_ptr_array_index (arg0->keys, i)));
      else if (is_seq (arg0))
        for (guint i = 0; i < arg0->items->len; i++)
          g_ptr_array_add (out->items, value_ref (g_ptr_array_index (arg0->items, i)));
      else if (arg0->kind == V_MODULE && arg0->module->kind == NNS_MODULE_CONTAINER)
        for (guint i = 0; i < arg0->module->children->len; i++)
          g_ptr_array_add (out->items, value_module (g_ptr_array_index (arg0->module->children, i),
                                                     line));
      else
        {
          value_unref (out);
          return value_unknown (name, line);
        }
      if (name[0] == 'r')
        for (guint i = 0, j = out->items->len; i + 1 < j; i++, j--)
          {
            gpointer t = out->items->pdata[i];

            out->items->pdata[i] = out->items->pdata[j - 1];
            out->items->pdata[j - 1] = t;
          }
      if (name[0] == 's')
        {
          /* sorted () of whole numbers only */
          for (guint i = 0; i < out->items->len; i++)
            if (((Value *) out->items->pdata[i])->kind != V_INT)
              {
                value_unref (out);
                return value_unknown (name, line);
              }
          for (guint i = 1; i < out->items->len; i++)
            for (guint j = i; j > 0 && ((Value *) out->items->pdata[j - 1])->i >
                                        ((Value *) out->items->pdata[j])->i; j--)
              {
                gpointer t = out->items->pdata[j];

                out->items->pdata[j] = out->items->pdata[j - 1];
                out->items->pdata[j - 1] = t;
              }
        }
      return out;
    }
  if (strcmp (name, "zip") == 0 || strcmp (name, "enumerate") == 0)
    {
      gboolean enumerate = name[0] == 'e';
      gint64 start = 0;
      guint n = G_MAXUINT;
      Value *out;

      if (a->pos->len == 0)
        return value_seq (V_LIST, line);
      for (guint i = 0; i < a->pos->len; i++)
        {
          Value *s = g_ptr_array_index (a->pos, i);

          if (enumerate && i == 1)
            {
              if (!int_arg (a, 1, &start))
                return value_unknown (name, line);
              continue;
            }
          if (!is_seq (s))
            return value_unknown (name, line);
          n = MIN (n, s->items->len);
          if (enumerate)
            break;
        }
      for (guint k = 0; k < a->kw->len; k++)
        if (enumerate && strcmp (g_ptr_array_index (a->kw_names, k), "start") == 0 &&
            ((Value *) g_ptr_array_index (a->kw, k))->kind == V_INT)
          start = ((Value *) g_ptr_array_index (a->kw, k))->i;
      out = value_seq (V_LIST, line);
      for (guint k = 0; k < n; k++)
        {
          Value *t = value_seq (V_TUPLE, line);

          if (enumerate)
            {
              g_ptr_array_add (t->items, value_int (start + k, line));
              g_ptr_array_add (t->items, value_ref (g_ptr_array_index (arg0->items, k)));
            }
          else
            for (guint i = 0; i < a->pos->len; i++)
              g_ptr_array_add (t->items,
                               value_ref (g_ptr_array_index (((Value *) g_ptr_array_index (a->pos, i))->items, k)));
          g_ptr_array_add (out->items, t);
        }
      return out;
    }
  if ((strcmp (name, "min") == 0 || strcmp (name, "max") == 0 || strcmp (name, "sum") == 0 ||
       strcmp (name, "abs") == 0) && arg0 != NULL)
    {
      GPtrArray *items = a->pos->len == 1 && is_seq (arg0) ? arg0->items : a->pos;
      gint64 acc = 0;

      if (strcmp (name, "abs") == 0)
        return arg0->kind == V_INT && arg0->i != G_MININT64 ? value_int (ABS (arg0->i), line)
                                                            : value_unknown (name, line);
      if (items->len == 0)
        return value_unknown (name, line);
      for (guint i = 0; i < items->len; i++)
        {
          Value *v = g_ptr_array_index (items, i);

          if (v->kind != V_INT)
            return value_unknown (name, line);
          if (i == 0 && name[1] != 'u')
            acc = v->i;
          else if (name[1] == 'i')
            acc = MIN (acc, v->i);
          else if (name[1] == 'a')
            acc = MAX (acc, v->i);
          else if (__builtin_add_overflow (acc, v->i, &acc))
            return value_unknown (name, line);
        }
      return value_int (acc, line);
    }
  if (strcmp (name, "OrderedDict") == 0 || strcmp (name, "dict") == 0)
    {
      Value *out = value_seq (V_DICT, line);

      if (arg0 != NULL && arg0->kind == V_DICT)
        for (guint i = 0; i < arg0->items->len; i++)
          {
            g_ptr_array_add (out->keys, value_ref (g_ptr_array_index (arg0->keys, i)));
            g_ptr_array_add (out->items, value_ref (g_ptr_array_index (arg0->items, i)));
          }
      else if (arg0 != NULL && is_seq (arg0))
        for (guint i = 0; i < arg0->items->len; i++)
          {
            Value *pair = g_ptr_array_index (arg0->items, i);

            if (!is_seq (pair) || pair->items->len != 2)
              {
                fail (I, NNS_PYTORCH_ERROR_SYNTAX, line,
                      _("expected (\"name\", module) pairs in %s([…])"), name);
                value_unref (out);
                return NULL;
              }
            g_ptr_array_add (out->keys, value_ref (g_ptr_array_index (pair->items, 0)));
            g_ptr_array_add (out->items, value_ref (g_ptr_array_index (pair->items, 1)));
          }
      else if (arg0 != NULL)
        {
          value_unref (out);
          return value_unknown (name, line);
        }
      for (guint k = 0; k < a->kw->len; k++)
        {
          g_ptr_array_add (out->keys, value_str (g_ptr_array_index (a->kw_names, k), line));
          g_ptr_array_add (out->items, value_ref (g_ptr_array_index (a->kw, k)));
        }
      return out;
    }
  if (strcmp (name, "super") == 0)
    {
      Value *v;

      if (I->scope == NULL || I->scope->self == NULL)
        return value_unknown ("super()", line);
      v = value_new (V_SUPER, line);
      v->self = value_ref (I->scope->self);
      v->def = I->scope->cls;
      return v;
    }
  if (strcmp (name, "print") == 0 || strcmp (name, "isinstance") == 0 ||
      strcmp (name, "setattr") == 0 || strcmp (name, "getattr") == 0)
    {
      if (strcmp (name, "setattr") == 0 && a->pos->len == 3 &&
          ((Value *) g_ptr_array_index (a->pos, 1))->kind == V_STR)
        {
          if (!set_attribute (I, arg0, ((Value *) g_ptr_array_index (a->pos, 1))->s,
                              g_ptr_array_index (a->pos, 2), line))
            return NULL;
          return none (line);
        }
      if (strcmp (name, "getattr") == 0 && a->pos->len >= 2 &&
          ((Value *) g_ptr_array_index (a->pos, 1))->kind == V_STR)
        return attribute (I, arg0, ((Value *) g_ptr_array_index (a->pos, 1))->s, line);
      return strcmp (name, "print") == 0 ? none (line) : value_unknown (name, line);
    }
  *handled = FALSE;
  return NULL;
}

static Value *
method (Interp *I, Value *bound, Args *a)
{
  Value *self = bound->self;
  const char *name = bound->s;
  guint line = a->line;
  Value *arg0 = a->pos->len > 0 ? g_ptr_array_index (a->pos, 0) : NULL;

  if (self->kind == V_SUPER)
    {
      Def *cls = self->def;
      const char *kind = NULL;
      Def *base_init;

      if (cls == NULL)
        return none (line);
      base_init = find_init (cls->base_def);
      if (base_init != NULL)
        {
          Value *r = run_def (I, base_init, self->self, base_init->owner, a);

          return r;
        }
      if (sequential_base (cls, &kind) != NULL && self->self->kind == V_MODULE)
        {
          NnsModule *m = self->self->module;

          if (strcmp (kind, "Sequential") == 0)
            {
              m->sequential = TRUE;
              if (a->pos->len == 1 && arg0->kind == V_DICT)
                {
                  if (!register_all (I, m, arg0, line, cls->name))
                    return NULL;
                }
              else
                for (guint i = 0; i < a->pos->len; i++)
                  if (!register_child (I, m, NULL, g_ptr_array_index (a->pos, i), line, cls->name))
                    return NULL;
              if (a->unknown_star)
                {
                  fail (I, NNS_PYTORCH_ERROR_SYNTAX, line,
                        _("%s passes modules through *… that NN Sketch cannot work out"),
                        cls->name);
                  return NULL;
                }
            }
          else if (arg0 != NULL && !register_all (I, m, arg0, line, cls->name))
            return NULL;
        }
      return none (line);
    }

  if (self->kind == V_MODULE)
    {
      NnsModule *m = self->module;

      if (strcmp (name, "append") == 0 || strcmp (name, "extend") == 0 ||
          strcmp (name, "insert") == 0)
        {
          if (m->kind != NNS_MODULE_CONTAINER || arg0 == NULL)
            return value_ref (self);
          if (strcmp (name, "insert") == 0)
            {
              fail (I, NNS_PYTORCH_ERROR_SYNTAX, line,
                    _("%s.insert(…): NN Sketch reads append and extend"), m->type);
              return NULL;
            }
          if (name[0] == 'e' ? !register_all (I, m, arg0, line, m->type)
                             : !register_child (I, m, NULL, arg0, line, m->type))
            return NULL;
          return value_ref (self);
        }
      if (strcmp (name, "add_module") == 0 || strcmp (name, "register_module") == 0)
        {
          Value *key = arg0;
          Value *child = a->pos->len > 1 ? g_ptr_array_index (a->pos, 1) : NULL;

          if (key == NULL || child == NULL || key->kind != V_STR)
            {
              fail (I, NNS_PYTORCH_ERROR_SYNTAX, line,
                    _("%s(name, module): NN Sketch needs the name written out"), name);
              return NULL;
            }
          if (m->kind != NNS_MODULE_CONTAINER)
            return none (line);
          if (child->kind == V_NONE)
            return none (line);
          if (!register_child (I, m, key->s, child, line, m->type))
            return NULL;
          return none (line);
        }
      /* to(), requires_grad_(), train(), … return the module itself. */
      return value_ref (self);
    }

  if (self->kind == V_LIST)
    {
      if (strcmp (name, "append") == 0 && arg0 != NULL)
        {
          if (self->items->len >= MAX_ITEMS)
            {
              fail (I, NNS_PYTORCH_ERROR_RANGE, line, _("a list of more than %u items"), MAX_ITEMS);
              return NULL;
            }
          g_ptr_array_add (self->items, value_ref (arg0));
          return none (line);
        }
      if (strcmp (name, "extend") == 0 && arg0 != NULL)
        {
          if (!is_seq (arg0))
            {
              g_ptr_array_add (self->items, value_unknown (_("an extended list"), line));
              return none (line);
            }
          if ((guint64) self->items->len + arg0->items->len > MAX_ITEMS)
            {
              fail (I, NNS_PYTORCH_ERROR_RANGE, line, _("a list of more than %u items"),
                    MAX_ITEMS);
              return NULL;
            }
          for (guint i = 0, n = arg0->items->len; i < n; i++)
            g_ptr_array_add (self->items, value_ref (g_ptr_array_index (arg0->items, i)));
          return none (line);
        }
      if (strcmp (name, "insert") == 0 && a->pos->len == 2)
        {
          gint64 k;

          if (!int_arg (a, 0, &k))
            return value_unknown (name, line);
          k = k < 0 ? MAX (0, k + (gint64) self->items->len) : MIN (k, (gint64) self->items->len);
          g_ptr_array_insert (self->items, k, value_ref (g_ptr_array_index (a->pos, 1)));
          return none (line);
        }
      if (strcmp (name, "pop") == 0 && self->items->len > 0)
        {
          gint64 k = self->items->len - 1;

          if (arg0 != NULL && (!int_arg (a, 0, &k) || (k < 0 ? (k += self->items->len) < 0
                                                          : k >= self->items->len)))
            return value_unknown (name, line);
          return g_ptr_array_steal_index (self->items, k);
        }
      if (strcmp (name, "reverse") == 0)
        {
          for (guint i = 0, j = self->items->len; i + 1 < j; i++, j--)
            {
              gpointer t = self->items->pdata[i];

              self->items->pdata[i] = self->items->pdata[j - 1];
              self->items->pdata[j - 1] = t;
            }
          return none (line);
        }
      if (strcmp (name, "copy") == 0)
        {
          Value *out;

          if (!charge (I, self->items->len))
            return NULL;
          out = value_seq (V_LIST, line);

          for (guint i = 0; i < self->items->len; i++)
            g_ptr_array_add (out->items, value_ref (g_ptr_array_index (self->items, i)));
          return out;
        }
      return value_unknown (name, line);
    }

  if (self->kind == V_DICT)
    {
      if (strcmp (name, "keys") == 0 || strcmp (name, "values") == 0 ||
          strcmp (name, "items") == 0 || strcmp (name, "copy") == 0)
        {
          Value *out = value_seq (name[0] == 'c' ? V_DICT : V_LIST, line);

          for (guint i = 0; i < self->items->len; i++)
            {
              Value *k = g_ptr_array_index (self->keys, i), *v = g_ptr_array_index (self->items, i);

              if (name[0] == 'c')
                {
                  g_ptr_array_add (out->keys, value_ref (k));
                  g_ptr_array_add (out->items, value_ref (v));
                }
              else if (name[0] == 'i')
                {
                  Value *t = value_seq (V_TUPLE, line);

                  g_ptr_array_add (t->items, value_ref (k));
                  g_ptr_array_add (t->items, value_ref (v));
                  g_ptr_array_add (out->items, t);
                }
              else
                g_ptr_array_add (out->items, value_ref (name[0] == 'k' ? k : v));
            }
          return out;
        }
      if (strcmp (name, "update") == 0 && arg0 != NULL && arg0->kind == V_DICT)
        {
          /* A key already there keeps its place and takes the new value. */
          for (guint i = 0, n = arg0->items->len; i < n && arg0 != self; i++)
            {
              Value *key = g_ptr_array_index (arg0->keys, i);
              guint k;

              for (k = 0; k < self->keys->len; k++)
                if (value_equal (g_ptr_array_index (self->keys, k), key))
                  break;
              if (k < self->keys->len)
                {
                  value_unref (g_ptr_array_index (self->items, k));
                  g_ptr_array_index (self->items, k) = value_ref (g_ptr_array_index (arg0->items, i));
                }
              else
                {
                  g_ptr_array_add (self->keys, value_ref (key));
                  g_ptr_array_add (self->items, value_ref (g_ptr_array_index (arg0->items, i)));
                }
            }
          return none (line);
        }
      return value_unknown (name, line);
    }
  return value_unknown (name, line);
}

static Value *
call_value (Interp *I, Value *callee, Args *a)
{
  guint line = a->line;

  if (!step (I))
    return NULL;
  switch (callee->kind)
    {
    case V_CLASS:
      return instantiate (I, callee->def, a);
    case V_FUNC:
      return run_def (I, callee->def, NULL, NULL, a);
    case V_BOUND:
      return method (I, callee, a);
    case V_NAME:
      {
        const char *name = last_part (callee->s);
        const ModuleSpec *spec;
        gboolean handled;
        Value *v;

        if (strstr (callee->s, "keras") != NULL || strstr (callee->s, "tf.") == callee->s)
          {
            I->saw_keras = TRUE;
            return value_unknown (callee->s, line);
          }
        if (strchr (callee->s, '.') == NULL)
          {
            v = builtin (I, name, a, &handled);
            if (handled)
              return v;
          }
        else if (strcmp (name, "OrderedDict") == 0)
          {
            v = builtin (I, name, a, &handled);
            if (handled)
              return v;
          }
        spec = in_torch_nn (callee->s) ? find_spec (name) : NULL;
        if (spec != NULL)
          return construct (I, spec, name, a);
        if (g_ascii_isupper (name[0]) &&
            (g_str_has_prefix (callee->s, "nn.") || g_str_has_prefix (callee->s, "torch.nn.")))
          {
            fail (I, NNS_PYTORCH_ERROR_MODULE, line,
                  _("%s is not a module NN Sketch knows; it may have parameters"), callee->s);
            return NULL;
          }
        v = value_unknown (callee->s, line);
        v->maybe_module = g_ascii_isupper (name[0]) && strchr (callee->s, '.') == NULL;
        return v;
      }
    case V_MODULE:
      /* model(x): a forward pass, not read */
      return value_unknown (callee->module->type, line);
    default:
      return value_unknown (_("a call"), line);
    }
}

/* ------------------------------------------------------------------ statements */

/* Just after a ':' that opens a block: its extent, and pos after it. */
static gboolean
block_range (Interp *I, guint *start, guint *end)
{
  if (tok (I)->kind != T_NEWLINE)
    {
      /* a one-line body: "if x: y = 1" */
      *start = I->pos;
      while (tok (I)->kind != T_NEWLINE && tok (I)->kind != T_END)
        next (I);
      *end = I->pos;
      next (I);
      return TRUE;
    }
  next (I);
  if (tok (I)->kind != T_INDENT)
    {
      fail (I, NNS_PYTORCH_ERROR_SYNTAX, tok (I)->line, _("expected an indented block"));
      return FALSE;
    }
  next (I);
  *start = I->pos;
  for (guint depth = 1; tok (I)->kind != T_END; next (I))
    {
      if (tok (I)->kind == T_INDENT)
        depth++;
      else if (tok (I)->kind == T_DEDENT && --depth == 0)
        break;
    }
  *end = I->pos;
  next (I);
  return TRUE;
}

/* Skips to the ':' of a compound statement's header (past brackets). */
static gboolean
to_colon (Interp *I)
{
  guint depth = 0;

  while (tok (I)->kind != T_END && tok (I)->kind != T_NEWLINE)
    {
      if (tok (I)->kind == T_OP && tok (I)->len == 1 && strchr ("([{", tok (I)->start[0]))
        depth++;
      else if (tok (I)->kind == T_OP && tok (I)->len == 1 && strchr (")]}", tok (I)->start[0]))
        depth--;
      else if (depth == 0 && is_op (I, ":"))
        {
          next (I);
          return TRUE;
        }
      next (I);
    }
  fail (I, NNS_PYTORCH_ERROR_SYNTAX, tok (I)->line, _("expected “:”"));
  return FALSE;
}

/* Whether tokens [start, end) build a module: a known module or a class of
 * the text called there. */
static const char *
builds_module (Interp *I, guint start, guint end)
{
  for (guint p = start; p + 1 < end; p++)
    {
      const Tok *t = tok_at (I, p);
      const ModuleSpec *spec;
      g_autofree char *name = NULL;
      Value *bound;

      if (t->kind != T_NAME || !tok_is (tok_at (I, p + 1), T_OP, "("))
        continue;
      name = tok_text (t);
      spec = find_spec (name);
      if (spec != NULL && spec->kind != SPEC_LOSS && spec->kind != SPEC_FREE &&
          spec->kind != SPEC_ACTIVATION && spec->kind != SPEC_DROPOUT)
        return spec->name;
      bound = g_hash_table_lookup (I->globals, name);
      if (bound != NULL && (bound->kind == V_CLASS || bound->kind == V_FUNC))
        return bound->def->name;
    }
  return NULL;
}

static gboolean
assign_to (Interp *I, guint from, guint to, Value *v);

/* A target list "a, (b, c)" in [from, to) takes v apart. */
static gboolean
assign_names (Interp *I, guint from, guint to, Value *v)
{
  GArray *parts = g_array_new (FALSE, FALSE, sizeof (guint));
  guint depth = 0, begin = from;
  gboolean ok = TRUE;

  for (guint p = from; p < to; p++)
    {
      const Tok *t = tok_at (I, p);

      if (t->kind == T_OP && t->len == 1 && strchr ("([{", t->start[0]))
        depth++;
      else if (t->kind == T_OP && t->len == 1 && strchr (")]}", t->start[0]))
        depth--;
      else if (depth == 0 && tok_is (t, T_OP, ","))
        {
          g_array_append_val (parts, begin);
          g_array_append_val (parts, p);
          begin = p + 1;
        }
    }
  if (parts->len == 0)
    {
      g_array_unref (parts);
      /* (a, b) = …: a bracketed target list */
      if (to - from >= 2 && (tok_is (tok_at (I, from), T_OP, "(") || tok_is (tok_at (I, from), T_OP, "[")) &&
          matching_close (I, from) == to - 1)
        return assign_names (I, from + 1, to - 1, v);
      return assign_to (I, from, to, v);
    }
  if (begin < to)
    {
      g_array_append_val (parts, begin);
      g_array_append_val (parts, to);
    }
  if (!is_seq (v) || v->items->len != parts->len / 2)
    {
      for (guint i = 0; i < parts->len && ok; i += 2)
        {
          g_autoptr (Value) unknown = value_unknown (_("an unpacked value"), v->line);

          ok = assign_to (I, g_array_index (parts, guint, i), g_array_index (parts, guint, i + 1),
                          unknown);
        }
    }
  else
    for (guint i = 0; i < parts->len && ok; i += 2)
      ok = assign_names (I, g_array_index (parts, guint, i), g_array_index (parts, guint, i + 1),
                         g_ptr_array_index (v->items, i / 2));
  g_array_unref (parts);
  return ok;
}

/* One target: a name, obj.attr or obj[index]. */
static gboolean
assign_to (Interp *I, guint from, guint to, Value *v)
{
  guint saved = I->pos;
  g_autoptr (Value) base = NULL;
  gboolean ok = TRUE;

  if (to == from + 1 && tok_at (I, from)->kind == T_NAME)
    {
      g_autofree char *name = tok_text (tok_at (I, from));

      store (I, name, v);
      return TRUE;
    }
  if (to > from && tok_is (tok_at (I, from), T_OP, "*"))
    return assign_to (I, from + 1, to, v);

  /* Evaluate all but the last trailer. */
  I->pos = from;
  base = parse_atom (I);
  while (base != NULL && I->pos < to)
    {
      guint line = tok (I)->line;
      guint trailer_end;

      if (is_op (I, "."))
        trailer_end = I->pos + 2;
      else if (is_op (I, "[") || is_op (I, "("))
        trailer_end = matching_close (I, I->pos) + 1;
      else
        break;
      if (trailer_end >= to)
        {
          /* the last one: store through it */
          if (is_op (I, "."))
            {
              g_autofree char *name = tok_text (tok_at (I, I->pos + 1));

              ok = set_attribute (I, base, name, v, line);
            }
          else if (is_op (I, "["))
            {
              g_autoptr (Value) key = NULL;

              next (I);
              key = parse_test (I);
              if (key == NULL)
                ok = FALSE;
              else if (base->kind == V_DICT)
                {
                  guint k;

                  for (k = 0; k < base->keys->len; k++)
                    if (value_equal (g_ptr_array_index (base->keys, k), key))
                      break;
                  if (k < base->keys->len)
                    {
                      value_unref (g_ptr_array_index (base->items, k));
                      g_ptr_array_index (base->items, k) = value_ref (v);
                    }
                  else
                    {
                      g_ptr_array_add (base->keys, value_ref (key));
                      g_ptr_array_add (base->items, value_ref (v));
                    }
                }
              else if (base->kind == V_LIST && key->kind == V_INT)
                {
                  gint64 k = key->i < 0 ? key->i + base->items->len : key->i;

                  if (k >= 0 && k < base->items->len)
                    {
                      value_unref (g_ptr_array_index (base->items, k));
                      g_ptr_array_index (base->items, k) = value_ref (v);
                    }
                }
              else if (base->kind == V_MODULE && v->kind == V_MODULE)
                {
                  fail (I, NNS_PYTORCH_ERROR_SYNTAX, line,
                        _("replacing an item of %s: NN Sketch reads modules assigned by name"),
                        base->module->type);
                  ok = FALSE;
                }
            }
          break;
        }
      else
        {
          Value *w;

          if (is_op (I, "."))
            {
              g_autofree char *name = tok_text (tok_at (I, I->pos + 1));

              next (I);
              next (I);
              w = attribute (I, base, name, line);
            }
          else if (is_op (I, "["))
            {
              next (I);
              w = subscript (I, base, line);
            }
          else
            {
              Args a;

              next (I);
              args_init (&a, line);
              w = parse_args (I, &a) ? call_value (I, base, &a) : NULL;
              args_clear (&a);
            }
          value_unref (base);
          base = w;
        }
    }
  I->pos = saved;
  return ok && !failed (I);
}

/* Skips the rest of a line that is not code the reader knows, unless it
 * builds modules: then it is refused. */
static void
skip_line (Interp *I, guint start)
{
  const char *what;

  while (tok (I)->kind != T_NEWLINE && tok (I)->kind != T_END)
    next (I);
  what = builds_module (I, start, I->pos);
  if (what != NULL)
    {
      g_autofree char *text = source_text (I, start, I->pos);

      fail (I, NNS_PYTORCH_ERROR_SYNTAX, tok_at (I, start)->line,
            _("NN Sketch cannot read “%s”, which builds %s"), text, what);
      return;
    }
  next (I);
  if (tok (I)->kind == T_INDENT)
    {
      guint s, e;

      I->pos--;
      block_range (I, &s, &e);
    }
}

static void exec_stmt (Interp *I);

static void
exec_block (Interp *I, guint start, guint end)
{
  I->pos = start;
  while (I->pos < end && tok (I)->kind != T_END && !failed (I) && !I->returning &&
         !I->breaking && !I->continuing)
    exec_stmt (I);
}

static void
run_block (Interp *I, guint start, guint end, guint after)
{
  exec_block (I, start, end);
  I->pos = after;
}

static void
exec_def (Interp *I, gboolean is_class, Def *owner)
{
  Def *def = g_new0 (Def, 1);
  guint line = tok (I)->line;
  guint s, e;

  g_ptr_array_add (I->defs, def);
  def->is_class = is_class;
  def->line = line;
  def->owner = owner;
  next (I);
  if (tok (I)->kind != T_NAME)
    {
      fail (I, NNS_PYTORCH_ERROR_SYNTAX, line, _("expected a name after “%s”"),
            is_class ? "class" : "def");
      return;
    }
  def->name = tok_text (tok (I));
  next (I);
  if (is_class)
    {
      if (is_op (I, "("))
        {
          guint close = matching_close (I, I->pos);

          next (I);
          if (tok (I)->kind == T_NAME)
            {
              GString *base = g_string_new (NULL);

              while (tok (I)->kind == T_NAME || is_op (I, "."))
                {
                  g_string_append_len (base, tok (I)->start, tok (I)->len);
                  next (I);
                }
              def->base = g_string_free (base, FALSE);
              {
                Value *b = lookup (I, def->base);

                if (b != NULL && b->kind == V_CLASS)
                  def->base_def = b->def;
              }
            }
          I->pos = close;
          next (I);
        }
    }
  else
    {
      if (!is_op (I, "("))
        {
          fail (I, NNS_PYTORCH_ERROR_SYNTAX, line, _("expected “(” after def %s"), def->name);
          return;
        }
      def->params = I->pos + 1;
      I->pos = matching_close (I, I->pos);
      next (I);
    }
  if (!to_colon (I) || !block_range (I, &s, &e))
    return;
  def->body = s;
  def->body_end = e;
  if (is_class)
    {
      /* The class body: its methods; __init__ is the one that builds. */
      guint after = I->pos;

      I->pos = s;
      while (I->pos < e && !failed (I))
        {
          if (is_kw (I, "def"))
            {
              guint before = I->defs->len;

              exec_def (I, FALSE, def);
              if (I->defs->len > before)
                {
                  Def *m = g_ptr_array_index (I->defs, before);

                  if (g_strcmp0 (m->name, "__init__") == 0)
                    def->init = m;
                }
            }
          else
            {
              if (tok (I)->kind == T_NAME && tok_is (tok_at (I, I->pos + 1), T_OP, "="))
                {
                  /* NAME = value: a class attribute */
                  g_autofree char *name = tok_text (tok (I));
                  Value *v;

                  I->pos += 2;
                  v = parse_test (I);
                  if (v == NULL)
                    g_clear_error (&I->error);
                  else
                    {
                      if (def->attrs == NULL)
                        def->attrs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                            (GDestroyNotify) value_unref);
                      g_hash_table_replace (def->attrs, g_strdup (name), v);
                    }
                }
              while (tok (I)->kind != T_NEWLINE && tok (I)->kind != T_END && I->pos < e)
                next (I);
              next (I);
              if (tok (I)->kind == T_INDENT)
                {
                  guint bs, be;

                  I->pos--;
                  block_range (I, &bs, &be);
                }
            }
        }
      I->pos = after;
    }
  if (owner == NULL && !failed (I))
    {
      Value *v = value_new (is_class ? V_CLASS : V_FUNC, line);

      v->def = def;
      g_hash_table_replace (I->scope != NULL ? I->scope->vars : I->globals, g_strdup (def->name), v);
    }
}

static void
exec_if (Interp *I)
{
  gboolean done = FALSE;
  GArray *blocks = g_array_new (FALSE, FALSE, sizeof (guint));

  /* Reads every branch first: a branch is run when its condition holds and
   * no earlier one did; an unknown condition is fine unless a branch builds
   * modules. */
  for (;;)
    {
      guint line = tok (I)->line;
      g_autoptr (Value) cond = NULL;
      gboolean is_else = is_kw (I, "else");
      gboolean yes = TRUE, known = TRUE;
      guint s, e;

      next (I);
      if (!is_else)
        {
          cond = parse_test (I);
          if (cond == NULL)
            break;
          known = truthy (I, cond, &yes);
        }
      if (!expect_op (I, ":") || !block_range (I, &s, &e))
        break;
      if (!known)
        {
          const char *what = builds_module (I, s, e);

          if (what != NULL)
            {
              fail (I, NNS_PYTORCH_ERROR_SYNTAX, line,
                    _("what this “if” builds (%s) depends on a condition NN Sketch cannot work "
                      "out"), what);
              break;
            }
          yes = FALSE;
        }
      if (yes && !done)
        {
          guint run[2] = { s, e };

          g_array_append_vals (blocks, run, 2);
          done = TRUE;
        }
      if (!is_kw (I, "elif") && !is_kw (I, "else"))
        break;
    }
  if (!failed (I) && blocks->len == 2)
    run_block (I, g_array_index (blocks, guint, 0), g_array_index (blocks, guint, 1), I->pos);
  g_array_unref (blocks);
}

static void
exec_for (Interp *I)
{
  guint line = tok (I)->line;
  guint targets, targets_end, s, e, after;
  g_autoptr (Value) iter = NULL;

  next (I);
  targets = I->pos;
  while (!is_kw (I, "in") && tok (I)->kind != T_NEWLINE && tok (I)->kind != T_END)
    next (I);
  targets_end = I->pos;
  if (!is_kw (I, "in"))
    {
      fail (I, NNS_PYTORCH_ERROR_SYNTAX, line, _("expected “in” in the for loop"));
      return;
    }
  next (I);
  iter = parse_testlist (I);
  if (iter == NULL || !expect_op (I, ":") || !block_range (I, &s, &e))
    return;
  after = I->pos;
  if (is_kw (I, "else"))
    {
      guint bs, be;

      next (I);
      if (!expect_op (I, ":") || !block_range (I, &bs, &be))
        return;
      after = I->pos;
    }
  if (iter->kind == V_MODULE && iter->module->kind == NNS_MODULE_CONTAINER)
    {
      Value *list = value_seq (V_LIST, line);

      for (guint i = 0; i < iter->module->children->len; i++)
        g_ptr_array_add (list->items, value_module (g_ptr_array_index (iter->module->children, i),
                                                    line));
      value_unref (iter);
      iter = list;
    }
  if (!is_seq (iter) && iter->kind != V_DICT)
    {
      const char *what = builds_module (I, s, e);

      if (what != NULL)
        fail (I, NNS_PYTORCH_ERROR_SYNTAX, line,
              _("this loop builds %s, and NN Sketch cannot work out what it runs over"), what);
      I->pos = after;
      return;
    }
  for (guint i = 0; i < iter->items->len && !failed (I); i++)
    {
      Value *item = iter->kind == V_DICT ? g_ptr_array_index (iter->keys, i)
                                         : g_ptr_array_index (iter->items, i);

      if (!assign_names (I, targets, targets_end, item))
        break;
      exec_block (I, s, e);
      I->continuing = FALSE;
      if (I->breaking || I->returning)
        break;
    }
  I->breaking = FALSE;
  I->pos = after;
}

static void
exec_simple (Interp *I)
{
  guint start = I->pos;
  GArray *equals = g_array_new (FALSE, FALSE, sizeof (guint));
  guint depth = 0, end, annotation = 0;
  const char *aug = NULL;
  guint aug_pos = 0;

  /* Find '=' (and augmented ops) at bracket depth 0 on this logical line. */
  for (end = start; ; end++)
    {
      const Tok *t = tok_at (I, end);

      if (t->kind == T_NEWLINE || t->kind == T_END || (depth == 0 && tok_is (t, T_OP, ";")))
        break;
      if (t->kind == T_OP && t->len == 1 && strchr ("([{", t->start[0]))
        depth++;
      else if (t->kind == T_OP && t->len == 1 && strchr (")]}", t->start[0]))
        depth = depth > 0 ? depth - 1 : 0;
      else if (depth == 0 && tok_is (t, T_OP, "="))
        g_array_append_val (equals, end);
      else if (depth == 0 && tok_is (t, T_OP, ":") && equals->len == 0 && annotation == 0)
        annotation = end;
      else if (depth == 0 && t->kind == T_OP && t->len >= 2 && t->start[t->len - 1] == '=' &&
               !tok_is (t, T_OP, "==") && !tok_is (t, T_OP, "!=") && !tok_is (t, T_OP, "<=") &&
               !tok_is (t, T_OP, ">=") && aug == NULL)
        aug = t->start, aug_pos = end;
    }

  if (aug != NULL && equals->len == 0)
    {
      /* x += v */
      g_autofree char *op = g_strndup (aug, tok_at (I, aug_pos)->len - 1);
      g_autoptr (Value) old = NULL;
      g_autoptr (Value) add = NULL;
      g_autoptr (Value) result = NULL;

      I->pos = start;
      old = parse_test (I);
      I->pos = aug_pos + 1;
      if (old != NULL)
        add = parse_testlist (I);
      if (add != NULL)
        {
          if (strcmp (op, "+") == 0 && old->kind == V_LIST && is_seq (add) &&
              (guint64) old->items->len + add->items->len > MAX_ITEMS)
            fail (I, NNS_PYTORCH_ERROR_RANGE, tok_at (I, start)->line,
                  _("a list of more than %u items"), MAX_ITEMS);
          else if (strcmp (op, "+") == 0 && old->kind == V_LIST && is_seq (add))
            {
              /* Counted first: layers += layers doubles the list once. */
              guint n = add->items->len;

              for (guint i = 0; i < n; i++)
                g_ptr_array_add (old->items, value_ref (g_ptr_array_index (add->items, i)));
              result = value_ref (old);
            }
          else if (strcmp (op, "+") == 0 && old->kind == V_MODULE &&
                   old->module->kind == NNS_MODULE_CONTAINER && is_seq (add))
            {
              register_all (I, old->module, add, old->line, old->module->type);
              result = value_ref (old);
            }
          else
            result = binary (I, op, old, add, tok_at (I, start)->line);
        }
      if (result != NULL)
        assign_names (I, start, aug_pos, result);
    }
  else if (equals->len > 0 || annotation != 0)
    {
      guint value_start = equals->len > 0 ? g_array_index (equals, guint, equals->len - 1) + 1 : 0;
      g_autoptr (Value) v = NULL;

      if (equals->len > 0)
        {
          I->pos = value_start;
          v = parse_testlist (I);
          if (v != NULL && tok (I)->kind != T_NEWLINE && tok (I)->kind != T_END &&
              !is_op (I, ";"))
            {
              g_clear_pointer (&v, value_unref);
              I->pos = start;
              skip_line (I, start);
              g_array_unref (equals);
              return;
            }
          end = I->pos;
          if (v != NULL)
            for (guint k = 0; k < equals->len && !failed (I); k++)
              {
                guint from = k == 0 ? start : g_array_index (equals, guint, k - 1) + 1;
                guint to = g_array_index (equals, guint, k);

                if (k == 0 && annotation != 0 && annotation < to)
                  to = annotation;
                assign_names (I, from, to, v);
              }
        }
    }
  else
    {
      g_autoptr (Value) v = NULL;

      I->pos = start;
      v = parse_testlist (I);
      if (v != NULL && tok (I)->kind != T_NEWLINE && tok (I)->kind != T_END && !is_op (I, ";"))
        {
          /* More on the line than an expression: not code the reader knows. */
          I->pos = start;
          skip_line (I, start);
          g_array_unref (equals);
          return;
        }
      if (v != NULL && I->scope == NULL && v->kind == V_MODULE)
        g_ptr_array_add (I->candidates, value_ref (v));
    }
  g_array_unref (equals);
  if (failed (I))
    return;
  I->pos = end;
  if (is_op (I, ";"))
    next (I);
  else
    next (I);
}

/* A dotted name at pos: "torch.nn"; pos after it. */
static char *
read_dotted_name (Interp *I)
{
  GString *name = g_string_new (NULL);

  while (tok (I)->kind == T_NAME)
    {
      g_string_append_len (name, tok (I)->start, tok (I)->len);
      next (I);
      if (!is_op (I, ".") || tok_at (I, I->pos + 1)->kind != T_NAME)
        break;
      g_string_append_c (name, '.');
      next (I);
    }
  return g_string_free (name, FALSE);
}

static void
bind_import (Interp *I, const char *name, const char *dotted)
{
  Value *v = value_new (V_NAME, tok (I)->line);

  v->s = g_strdup (dotted);
  store (I, name, v);
  value_unref (v);
}

/* import torch.nn as nn, from torch import nn as N, from torch.nn import Linear:
 * the names they bind point into the module they came from. */
static void
exec_import (Interp *I)
{
  gboolean from = is_kw (I, "from");
  g_autofree char *module = NULL;

  next (I);
  if (from)
    {
      module = read_dotted_name (I);
      if (!is_kw (I, "import"))
        goto rest;
      next (I);
      if (is_op (I, "("))
        next (I);
    }
  while (tok (I)->kind == T_NAME)
    {
      g_autofree char *name = read_dotted_name (I);
      g_autofree char *full = from ? g_strconcat (module, ".", name, NULL) : g_strdup (name);

      if (is_kw (I, "as"))
        {
          next (I);
          if (tok (I)->kind == T_NAME)
            {
              g_autofree char *alias = tok_text (tok (I));

              bind_import (I, alias, full);
              next (I);
            }
        }
      else if (from)
        bind_import (I, name, full);
      if (!is_op (I, ","))
        break;
      next (I);
    }
rest:
  while (tok (I)->kind != T_NEWLINE && tok (I)->kind != T_END)
    next (I);
  next (I);
}

static void
exec_stmt (Interp *I)
{
  const Tok *t = tok (I);
  guint start = I->pos;

  if (!step (I))
    return;
  if (t->kind == T_NEWLINE || t->kind == T_INDENT || t->kind == T_DEDENT || is_op (I, ";"))
    {
      next (I);
      return;
    }
  if (is_kw (I, "import") || is_kw (I, "from"))
    {
      exec_import (I);
      return;
    }
  if (is_kw (I, "global") || is_kw (I, "nonlocal") ||
      is_kw (I, "pass") || is_kw (I, "del") || is_kw (I, "assert") || is_kw (I, "raise") ||
      is_op (I, "@") || is_op (I, ">>>") || is_op (I, ">>") || is_op (I, "..."))
    {
      while (tok (I)->kind != T_NEWLINE && tok (I)->kind != T_END)
        next (I);
      next (I);
      return;
    }
  if (is_kw (I, "class") || is_kw (I, "def"))
    {
      exec_def (I, is_kw (I, "class"), NULL);
      return;
    }
  if (is_kw (I, "async") && tok_is (tok_at (I, I->pos + 1), T_NAME, "def"))
    {
      next (I);
      exec_def (I, FALSE, NULL);
      return;
    }
  if (is_kw (I, "if"))
    {
      exec_if (I);
      return;
    }
  if (is_kw (I, "for"))
    {
      exec_for (I);
      return;
    }
  if (is_kw (I, "return"))
    {
      next (I);
      if (tok (I)->kind == T_NEWLINE || tok (I)->kind == T_END)
        I->ret = none (t->line);
      else
        I->ret = parse_testlist (I);
      if (I->ret != NULL)
        I->returning = TRUE;
      return;
    }
  if (is_kw (I, "break") || is_kw (I, "continue"))
    {
      if (is_kw (I, "break"))
        I->breaking = TRUE;
      else
        I->continuing = TRUE;
      next (I);
      return;
    }
  if (is_kw (I, "with") || is_kw (I, "try") || is_kw (I, "finally") || is_kw (I, "else"))
    {
      guint s, e;

      if (!to_colon (I) || !block_range (I, &s, &e))
        return;
      run_block (I, s, e, I->pos);
      return;
    }
  if (is_kw (I, "except") || is_kw (I, "while") || is_kw (I, "elif"))
    {
      guint s, e;
      const char *what;

      if (!to_colon (I) || !block_range (I, &s, &e))
        return;
      what = builds_module (I, s, e);
      if (what != NULL && !is_kw (I, "except"))
        fail (I, NNS_PYTORCH_ERROR_SYNTAX, tok_at (I, start)->line,
              _("this loop builds %s; NN Sketch reads for loops, not while loops"), what);
      return;
    }
  exec_simple (I);
  if (failed (I) && I->error->code == NNS_PYTORCH_ERROR_SYNTAX && I->pos >= start &&
      builds_module (I, start, MAX (I->pos, start + 1)) == NULL && I->scope == NULL &&
      I->depth == 0)
    {
      /* A line of prose or of a language the reader does not know, at the
       * top level, building nothing: skipped. */
      guint p = start;

      g_clear_error (&I->error);
      I->pos = start;
      while (tok_at (I, p)->kind != T_NEWLINE && tok_at (I, p)->kind != T_END)
        p++;
      if (builds_module (I, start, p) != NULL)
        {
          I->pos = start;
          skip_line (I, start);
          return;
        }
      I->pos = p;
      next (I);
      if (tok (I)->kind == T_INDENT)
        {
          guint s, e;

          I->pos--;
          block_range (I, &s, &e);
        }
    }
}

/* ------------------------------------------------------------------ the model */

static gboolean
module_has_parameters (NnsModule *m)
{
  if (m->kind == NNS_MODULE_LINEAR)
    return TRUE;
  if (m->kind == NNS_MODULE_NORM)
    return m->norm_affine;
  if (m->kind == NNS_MODULE_ACTIVATION)
    return m->activation == NNS_ACTIVATION_PRELU;
  if (m->kind == NNS_MODULE_CONTAINER)
    for (guint i = 0; i < m->children->len; i++)
      if (module_has_parameters (g_ptr_array_index (m->children, i)))
        return TRUE;
  return FALSE;
}

static void
interp_init (Interp *I, const char *text, gsize length, GString *notes)
{
  memset (I, 0, sizeof *I);
  if (live_values == NULL)
    {
      live_values = g_hash_table_new (NULL, NULL);
      I->owns_values = TRUE;
    }
  I->text = text;
  I->toks = tokenize (text, length);
  I->globals = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                      (GDestroyNotify) value_unref);
  I->defs = g_ptr_array_new ();
  I->notes = notes;
  I->candidates = g_ptr_array_new_with_free_func ((GDestroyNotify) value_unref);
  I->created = g_ptr_array_new_with_free_func ((GDestroyNotify) _nns_module_unref);
  I->attrs = g_hash_table_new_full (NULL, NULL, (GDestroyNotify) _nns_module_unref,
                                    (GDestroyNotify) g_hash_table_unref);
  I->classes = g_hash_table_new_full (NULL, NULL, (GDestroyNotify) _nns_module_unref, NULL);
  g_hash_table_insert (I->globals, g_strdup ("__name__"), value_str ("__main__", 1));
}

static void
def_free (Def *def)
{
  g_clear_pointer (&def->attrs, g_hash_table_unref);
  g_free (def->name);
  g_free (def->base);
  g_free (def);
}

static void
interp_clear (Interp *I)
{
  g_clear_pointer (&I->ret, value_unref);
  g_hash_table_unref (I->attrs);
  g_hash_table_unref (I->classes);
  g_hash_table_unref (I->globals);
  g_ptr_array_unref (I->candidates);
  g_ptr_array_unref (I->created);
  for (guint i = 0; i < I->defs->len; i++)
    def_free (g_ptr_array_index (I->defs, i));
  g_ptr_array_unref (I->defs);
  g_array_unref (I->toks);
  g_clear_error (&I->error);
  if (I->owns_values)
    {
      /* Cycles: drop what the values hold outside the cycle, then the values. */
      GHashTable *left = g_steal_pointer (&live_values);
      GHashTableIter it;
      gpointer key;

      g_hash_table_iter_init (&it, left);
      while (g_hash_table_iter_next (&it, &key, NULL))
        {
          Value *v = key;

          g_free (v->s);
          if (v->items != NULL)
            g_ptr_array_set_free_func (v->items, NULL), g_ptr_array_unref (v->items);
          if (v->keys != NULL)
            g_ptr_array_set_free_func (v->keys, NULL), g_ptr_array_unref (v->keys);
          g_clear_pointer (&v->module, _nns_module_unref);
        }
      g_hash_table_iter_init (&it, left);
      while (g_hash_table_iter_next (&it, &key, NULL))
        g_free (key);
      g_hash_table_unref (left);
    }
}

/* The classes of the text that no other class or function uses. */
static GPtrArray *
unused_classes (Interp *I)
{
  GPtrArray *out = g_ptr_array_new ();

  for (guint i = 0; i < I->defs->len; i++)
    {
      Def *cls = g_ptr_array_index (I->defs, i);
      gboolean used = FALSE;

      /* A class line the reader skipped has no name. */
      if (!cls->is_class || cls->owner != NULL || cls->name == NULL)
        continue;
      for (guint j = 0; j < I->defs->len && !used; j++)
        {
          Def *other = g_ptr_array_index (I->defs, j);

          if (other == cls || (other->owner == cls))
            continue;
          if (other->base_def == cls)
            {
              used = TRUE;
              break;
            }
          for (guint p = other->body; p < other->body_end && !used; p++)
            used = tok_at (I, p)->kind == T_NAME &&
                   tok_at (I, p)->len == strlen (cls->name) &&
                   strncmp (tok_at (I, p)->start, cls->name, tok_at (I, p)->len) == 0;
        }
      if (!used)
        g_ptr_array_add (out, cls);
    }
  return out;
}

static NnsModule *
choose_root (Interp *I, GError **error)
{
  g_autoptr (GPtrArray) roots = g_ptr_array_new ();
  NnsModule *root;

  for (guint i = 0; i < I->candidates->len; i++)
    {
      NnsModule *m = ((Value *) g_ptr_array_index (I->candidates, i))->module;

      if (module_has_parameters (m) && !g_ptr_array_find (roots, m, NULL))
        g_ptr_array_add (roots, m);
    }
  /* A module inside another candidate is part of that one. */
  for (guint i = 0; i < roots->len;)
    {
      gboolean inside = FALSE;

      for (guint j = 0; j < roots->len && !inside; j++)
        inside = i != j && _nns_module_contains (g_ptr_array_index (roots, j),
                                                  g_ptr_array_index (roots, i));
      if (inside)
        g_ptr_array_remove_index (roots, i);
      else
        i++;
    }

  if (roots->len == 0)
    {
      g_autoptr (GPtrArray) classes = unused_classes (I);

      if (classes->len == 1)
        {
          Def *cls = g_ptr_array_index (classes, 0);
          Args a;
          Value *v;

          /* Only a class: build it with its defaults. */
          args_init (&a, cls->line);
          v = instantiate (I, cls, &a);
          args_clear (&a);
          if (v == NULL)
            {
              g_propagate_error (error, g_steal_pointer (&I->error));
              return NULL;
            }
          root = _nns_module_ref (v->module);
          value_unref (v);
          return root;
        }
      if (classes->len > 1)
        {
          Def *a = g_ptr_array_index (classes, 0), *b = g_ptr_array_index (classes, 1);

          _nns_pytorch_set_error (error, NNS_PYTORCH_ERROR_SYNTAX, b->line,
                                  _("the text defines several models (%s on line %u, %s on line "
                                    "%u); add model = %s(…) for the one to draw"),
                                  a->name, a->line, b->name, b->line, b->name);
          return NULL;
        }
      /* Only modules without parameters: the last one, to be refused as such. */
      if (I->candidates->len > 0)
        return _nns_module_ref (((Value *) g_ptr_array_index (I->candidates,
                                                              I->candidates->len - 1))->module);
      return NULL;
    }
  if (roots->len > 1)
    {
      NnsModule *a = g_ptr_array_index (roots, 0), *b = g_ptr_array_index (roots, 1);
      const char *name_a = NULL, *name_b = NULL;
      GHashTableIter it;
      gpointer key, value;

      g_hash_table_iter_init (&it, I->globals);
      while (g_hash_table_iter_next (&it, &key, &value))
        if (((Value *) value)->kind == V_MODULE)
          {
            if (((Value *) value)->module == a)
              name_a = key;
            else if (((Value *) value)->module == b)
              name_b = key;
          }
      _nns_pytorch_set_error (error, NNS_PYTORCH_ERROR_SYNTAX, b->line,
                              _("two separate models: %s (line %u) and %s (line %u); NN Sketch "
                                "draws one — combine them, e.g. nn.Sequential(%s, %s)"),
                              name_a ? name_a : a->type, a->line, name_b ? name_b : b->type,
                              b->line, name_a ? name_a : "a", name_b ? name_b : "b");
      return NULL;
    }
  return _nns_module_ref (g_ptr_array_index (roots, 0));
}

void
_nns_pycode_set_limits (guint max_steps, guint max_work)
{
  limit_steps = max_steps > 0 ? max_steps : MAX_STEPS;
  limit_work = max_work > 0 ? max_work : MAX_WORK;
}

NnsModule *
_nns_pycode_read (const char *text, GString *notes, GError **error)
{
  Interp I;
  NnsModule *root = NULL;
  GError *local_error = NULL;

  interp_init (&I, text, strlen (text), notes);
  {
    gboolean keras = FALSE, torch = FALSE;

    for (guint i = 0; i < I.toks->len; i++)
      {
        const Tok *t = tok_at (&I, i);

        keras |= tok_is (t, T_NAME, "keras") || tok_is (t, T_NAME, "tensorflow");
        torch |= tok_is (t, T_NAME, "torch") || tok_is (t, T_NAME, "nn");
      }
    if (keras && !torch)
      {
        g_set_error_literal (error, NNS_PYTORCH_ERROR, NNS_PYTORCH_ERROR_NOT_PYTORCH,
                             _("not PyTorch: this looks like Keras; expected nn.Sequential(…), "
                               "a class based on nn.Module or the print(model) text"));
        interp_clear (&I);
        return NULL;
      }
  }
  exec_block (&I, 0, I.toks->len);
  if (I.steps > limit_steps || I.work > limit_work)
    too_long (&I);
  if (I.returning)
    {
      /* return at the top level: not Python; the model is still what ran */
      I.returning = FALSE;
    }
  if (failed (&I))
    {
      g_propagate_error (error, g_steal_pointer (&I.error));
      interp_clear (&I);
      return NULL;
    }
  root = choose_root (&I, &local_error);
  if (root == NULL && local_error == NULL)
    {
      if (I.saw_keras)
        g_set_error_literal (&local_error, NNS_PYTORCH_ERROR, NNS_PYTORCH_ERROR_NOT_PYTORCH,
                             _("not PyTorch: this looks like Keras; expected nn.Sequential(…), "
                               "a class based on nn.Module or the print(model) text"));
      else
        g_set_error_literal (&local_error, NNS_PYTORCH_ERROR, NNS_PYTORCH_ERROR_NOT_PYTORCH,
                             _("not PyTorch: expected nn.Sequential(…), a class based on "
                               "nn.Module or the print(model) text"));
    }
  if (root != NULL)
    {
      /* Modules with parameters the model does not hold: PyTorch does not
       * count them either, but the reader says so. */
      guint noted = 0;

      for (guint i = 0; i < I.created->len && noted < 8; i++)
        {
          NnsModule *m = g_ptr_array_index (I.created, i);

          if (!_nns_module_contains (root, m))
            {
              _nns_pytorch_note (notes, m->line,
                                 _("%s is built but is not part of the model; PyTorch does not "
                                   "count it, and neither does NN Sketch"), m->type);
              noted++;
            }
        }
    }
  if (local_error != NULL)
    g_propagate_error (error, local_error);
  interp_clear (&I);
  return root;
}

NnsModule *
_nns_pycode_read_module (const char *text, gsize length, guint line, GError **error)
{
  g_autofree char *copy = g_strndup (text, length);
  g_autoptr (GString) notes = g_string_new (NULL);
  Interp I;
  Value *v;
  NnsModule *m = NULL;

  interp_init (&I, copy, length, notes);
  for (guint i = 0; i < I.toks->len; i++)
    g_array_index (I.toks, Tok, i).line = line;
  v = parse_test (&I);
  if (v != NULL && tok (&I)->kind != T_NEWLINE && tok (&I)->kind != T_END)
    fail (&I, NNS_PYTORCH_ERROR_SYNTAX, line, _("unexpected text after the module"));
  if (!failed (&I) && v != NULL)
    {
      if (v->kind == V_MODULE)
        m = _nns_module_ref (v->module);
      else
        fail (&I, NNS_PYTORCH_ERROR_MODULE, line,
              v->kind == V_UNKNOWN || v->kind == V_NAME
              ? _("%s is not a module NN Sketch knows; it may have parameters")
              : _("expected a module, got %s"), v->s != NULL ? v->s : "?");
    }
  g_clear_pointer (&v, value_unref);
  if (failed (&I))
    g_propagate_error (error, g_steal_pointer (&I.error));
  interp_clear (&I);
  return m;
}

gboolean
_nns_pycode_check_container (const char *type, guint line, GError **error)
{
  const ModuleSpec *spec = find_spec (type);
  Interp I;
  Args a;
  Value *v;

  if (spec == NULL || (spec->kind != SPEC_REFUSED && spec->kind != SPEC_WIDTH &&
                       spec->kind != SPEC_LAZY))
    return TRUE;
  memset (&I, 0, sizeof I);
  args_init (&a, line);
  v = construct (&I, spec, type, &a);
  args_clear (&a);
  g_clear_pointer (&v, value_unref);
  if (I.error != NULL)
    {
      g_propagate_error (error, I.error);
      return FALSE;
    }
  return TRUE;
}
