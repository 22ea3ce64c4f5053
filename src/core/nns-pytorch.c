/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "nns-pytorch"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <errno.h>
#include <string.h>

#include "nns-escape-private.h"
#include "nns-params.h"
#include "nns-pytorch.h"

G_DEFINE_QUARK (nns-pytorch-error-quark, nns_pytorch_error)

/* Nested Sequentials deeper than this are not a drawing anyone makes. */
#define MAX_NESTING 32

/* ------------------------------------------------------------------ modules */

/* No parameters, nothing to draw: skipped with a note. */
static const char *const parameter_free[] = {
  "Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout", "FeatureAlphaDropout",
  "Identity", "Flatten", "Unflatten",
  /* activations NN Sketch has no label for */
  "ReLU6", "RReLU", "SELU", "CELU", "GLU", "Hardtanh", "Hardsigmoid", "Hardswish", "Hardshrink",
  "Softshrink", "Softsign", "Softmin", "Softmax2d", "Tanhshrink", "Threshold", "LogSigmoid",
  "Mish",
  NULL
};

/* Modules with parameters that are not a dense layer: refused. */
static const char *const not_dense[] = {
  "Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d",
  "LazyConv1d", "LazyConv2d", "LazyConv3d",
  "BatchNorm1d", "BatchNorm2d", "BatchNorm3d", "LazyBatchNorm1d", "LazyBatchNorm2d",
  "LazyBatchNorm3d", "SyncBatchNorm", "LayerNorm", "GroupNorm", "RMSNorm",
  "InstanceNorm1d", "InstanceNorm2d", "InstanceNorm3d",
  "Embedding", "EmbeddingBag", "RNN", "LSTM", "GRU", "RNNCell", "LSTMCell", "GRUCell",
  "MultiheadAttention", "Transformer", "TransformerEncoder", "TransformerDecoder",
  "TransformerEncoderLayer", "TransformerDecoderLayer", "Bilinear", "PReLU",
  "NonDynamicallyQuantizableLinear",
  NULL
};

static gboolean
in_list (const char *const *list, const char *name)
{
  for (guint i = 0; list[i]; i++)
    if (strcmp (list[i], name) == 0)
      return TRUE;
  return FALSE;
}

/* Module names are case-sensitive in PyTorch: "relu" is not a module. */
static gboolean
activation_from_module (const char *name, NnsActivation *out)
{
  for (guint i = NNS_ACTIVATION_NONE + 1; i < NNS_N_ACTIVATIONS; i++)
    if (strcmp (nns_activation_get_label (i), name) == 0)
      {
        *out = i;
        return TRUE;
      }
  return FALSE;
}

/* ------------------------------------------------------------------ lexer */

typedef enum
{
  TOK_END,
  TOK_IDENT,
  TOK_NUMBER,
  TOK_STRING,
  TOK_PUNCT,
} TokenKind;

typedef struct
{
  TokenKind   kind;
  const char *start;
  gsize       len;
  guint       line;
} Token;

typedef struct
{
  const char *text;
  gsize       pos;
  guint       line;
} Lexer;

static gboolean
is_ident_char (char c, gboolean first)
{
  /* Bytes of multi-byte UTF-8 letters count, as Python allows such identifiers. */
  return g_ascii_isalpha (c) || c == '_' || (guchar) c >= 0x80 || (!first && g_ascii_isdigit (c));
}

static void
lex_next (Lexer *lex, Token *tok)
{
  const char *s = lex->text;

  for (;;)
    {
      char c = s[lex->pos];

      if (c == '\n')
        lex->line++, lex->pos++;
      else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v')
        lex->pos++;
      else if (c == '\\' && (s[lex->pos + 1] == '\n' || s[lex->pos + 1] == '\r'))
        lex->pos++;
      else if (c == '#')
        {
          while (s[lex->pos] && s[lex->pos] != '\n')
            lex->pos++;
        }
      else
        break;
    }

  tok->start = s + lex->pos;
  tok->line = lex->line;
  tok->len = 0;

  if (s[lex->pos] == '\0')
    {
      tok->kind = TOK_END;
      return;
    }

  if (is_ident_char (s[lex->pos], TRUE))
    {
      while (is_ident_char (s[lex->pos], FALSE))
        lex->pos++;
      tok->kind = TOK_IDENT;
    }
  else if (g_ascii_isdigit (s[lex->pos]) ||
           (s[lex->pos] == '.' && g_ascii_isdigit (s[lex->pos + 1])))
    {
      while (g_ascii_isalnum (s[lex->pos]) || s[lex->pos] == '_' || s[lex->pos] == '.' ||
             ((s[lex->pos] == '-' || s[lex->pos] == '+') &&
              (s[lex->pos - 1] == 'e' || s[lex->pos - 1] == 'E')))
        lex->pos++;
      tok->kind = TOK_NUMBER;
    }
  else if (s[lex->pos] == '"' || s[lex->pos] == '\'')
    {
      char quote = s[lex->pos];
      gboolean triple = s[lex->pos + 1] == quote && s[lex->pos + 2] == quote;
      gsize p = lex->pos + (triple ? 3 : 1);
      guint lines = 0;
      gboolean closed = FALSE;

      while (s[p])
        {
          if (s[p] == '\\' && s[p + 1])
            {
              lines += s[p + 1] == '\n';
              p += 2;
              continue;
            }
          if (s[p] == '\n')
            {
              if (!triple)
                break;
              lines++;
            }
          if (s[p] == quote && (!triple || (s[p + 1] == quote && s[p + 2] == quote)))
            {
              p += triple ? 3 : 1;
              closed = TRUE;
              break;
            }
          p++;
        }
      if (closed)
        {
          lex->pos = p;
          lex->line += lines;
          tok->kind = TOK_STRING;
        }
      else
        {
          /* An apostrophe in prose or a key ("(don't)"): a lone character. */
          lex->pos++;
          tok->kind = TOK_PUNCT;
        }
    }
  else
    {
      /* One character, whole if it is a multi-byte one (the text is valid UTF-8). */
      lex->pos = g_utf8_next_char (s + lex->pos) - s;
      tok->kind = TOK_PUNCT;
    }
  tok->len = s + lex->pos - tok->start;
}

/* ------------------------------------------------------------------ parser */

typedef struct
{
  Lexer    lex;
  Token    tok;
  GString *notes;
  GArray  *layers;         /* NnsLayer, names owned */
  guint    input;
  guint    last_line;      /* of the last Linear */
  guint    depth;
  gboolean saw_keras;
} Parser;

static void
advance (Parser *p)
{
  lex_next (&p->lex, &p->tok);
}

static gboolean
is_punct (const Token *tok, char c)
{
  return tok->kind == TOK_PUNCT && tok->len == 1 && tok->start[0] == c;
}

static gboolean
is_ident (const Token *tok, const char *word)
{
  return tok->kind == TOK_IDENT && tok->len == strlen (word) &&
         strncmp (tok->start, word, tok->len) == 0;
}

static Token
peek (Parser *p)
{
  Lexer lex = p->lex;
  Token tok;

  lex_next (&lex, &tok);
  return tok;
}

static gboolean
peek_is (Parser *p, char c)
{
  Token tok = peek (p);

  return is_punct (&tok, c);
}

/* The token's text for messages, cut short. */
static char *
token_text (const Token *tok)
{
  if (tok->kind == TOK_END)
    return g_strdup (_("the end of the text"));
  if (tok->len > 40)
    {
      const char *end = g_utf8_find_prev_char (tok->start, tok->start + 38);

      return g_strdup_printf ("“%.*s…”", (int) (end - tok->start), tok->start);
    }
  return g_strdup_printf ("“%.*s”", (int) tok->len, tok->start);
}

static gboolean
fail (Parser *p, GError **error, NnsPytorchError code, guint line, const char *format, ...)
  G_GNUC_PRINTF (5, 6);

static gboolean
fail (Parser *p, GError **error, NnsPytorchError code, guint line, const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, NNS_PYTORCH_ERROR, code, _("line %u: %s"), line, message);
  return FALSE;
}

static void
note (Parser *p, guint line, const char *format, ...) G_GNUC_PRINTF (3, 4);

static void
note (Parser *p, guint line, const char *format, ...)
{
  va_list args;

  if (p->notes->len > 0)
    g_string_append_c (p->notes, '\n');
  g_string_append_printf (p->notes, _("line %u: "), line);
  va_start (args, format);
  g_string_append_vprintf (p->notes, format, args);
  va_end (args);
}

/* Reads a dotted name (torch.nn.Linear); *last is its last part. The current
 * token is its first part. Returns the dotted text. */
static char *
read_dotted (Parser *p, Token *last)
{
  GString *name = g_string_new_len (p->tok.start, p->tok.len);

  *last = p->tok;
  advance (p);
  while (is_punct (&p->tok, '.'))
    {
      Token next = peek (p);

      if (next.kind != TOK_IDENT)
        break;
      advance (p);
      g_string_append_c (name, '.');
      g_string_append_len (name, p->tok.start, p->tok.len);
      *last = p->tok;
      advance (p);
    }
  return g_string_free (name, FALSE);
}

/* The current token is '('; skips to just after its ')'. */
static gboolean
skip_parens (Parser *p, const char *module, GError **error)
{
  guint open_line = p->tok.line;
  guint depth = 0;

  do
    {
      if (is_punct (&p->tok, '(') || is_punct (&p->tok, '[') || is_punct (&p->tok, '{'))
        depth++;
      else if (is_punct (&p->tok, ')') || is_punct (&p->tok, ']') || is_punct (&p->tok, '}'))
        depth--;
      else if (p->tok.kind == TOK_END)
        return fail (p, error, NNS_PYTORCH_ERROR_SYNTAX, open_line,
                     _("the “(” after %s is never closed"), module);
      advance (p);
    }
  while (depth > 0);
  return TRUE;
}

typedef enum { VALUE_INT, VALUE_FLOAT, VALUE_BOOL, VALUE_NONE, VALUE_OTHER } ValueKind;

typedef struct
{
  ValueKind kind;
  guint64   integer;     /* VALUE_INT: magnitude; G_MAXUINT64 when it overflows */
  gboolean  negative;
  gboolean  boolean;
  char     *text;        /* as written, for messages */
} Value;

static void
value_clear (Value *v)
{
  g_clear_pointer (&v->text, g_free);
}

/* One argument value, up to the ',' or ')' that ends it. */
static gboolean
read_value (Parser *p, const char *module, Value *v, GError **error)
{
  const char *start = p->tok.start;
  guint line = p->tok.line;
  gboolean negative = FALSE;
  gsize len;

  memset (v, 0, sizeof *v);
  while (is_punct (&p->tok, '-') || is_punct (&p->tok, '+'))
    {
      negative ^= is_punct (&p->tok, '-');
      advance (p);
    }

  if (p->tok.kind == TOK_NUMBER &&
      (peek_is (p, ',') || peek_is (p, ')')))
    {
      g_autofree char *digits = g_strndup (p->tok.start, p->tok.len);
      gboolean is_hex = g_str_has_prefix (digits, "0x") || g_str_has_prefix (digits, "0X");
      char *end = NULL;
      guint base = 10;
      int w = 0;

      /* Python allows 1_000; drop the underscores. */
      for (int r = 0; digits[r]; r++)
        if (digits[r] != '_')
          digits[w++] = digits[r];
      digits[w] = '\0';

      if (!is_hex && strpbrk (digits, ".eE") != NULL)
        v->kind = VALUE_FLOAT;
      else
        {
          const char *d = digits;

          if (is_hex || g_str_has_prefix (d, "0o") || g_str_has_prefix (d, "0O") ||
              g_str_has_prefix (d, "0b") || g_str_has_prefix (d, "0B"))
            {
              base = (d[1] == 'x' || d[1] == 'X') ? 16 : (d[1] == 'o' || d[1] == 'O') ? 8 : 2;
              d += 2;
            }
          errno = 0;
          v->integer = g_ascii_strtoull (d, &end, base);
          if (d[0] == '\0' || *end != '\0')
            v->kind = VALUE_OTHER;
          else
            {
              v->kind = VALUE_INT;
              if (errno == ERANGE)
                v->integer = G_MAXUINT64;
            }
        }
      v->negative = negative && !(v->kind == VALUE_INT && v->integer == 0);
      advance (p);
    }
  else if (p->tok.kind == TOK_IDENT && !negative &&
           (peek_is (p, ',') || peek_is (p, ')')) &&
           (is_ident (&p->tok, "True") || is_ident (&p->tok, "False") ||
            is_ident (&p->tok, "None")))
    {
      v->kind = is_ident (&p->tok, "None") ? VALUE_NONE : VALUE_BOOL;
      v->boolean = is_ident (&p->tok, "True");
      advance (p);
    }
  else
    {
      /* Anything else (a name, an expression, a call): skip it whole. */
      guint depth = 0;

      v->kind = VALUE_OTHER;
      while (p->tok.kind != TOK_END &&
             !(depth == 0 && (is_punct (&p->tok, ',') || is_punct (&p->tok, ')'))))
        {
          if (is_punct (&p->tok, '(') || is_punct (&p->tok, '[') || is_punct (&p->tok, '{'))
            depth++;
          else if (is_punct (&p->tok, ')') || is_punct (&p->tok, ']') || is_punct (&p->tok, '}'))
            depth--;
          advance (p);
        }
      if (p->tok.kind == TOK_END)
        return fail (p, error, NNS_PYTORCH_ERROR_SYNTAX, line,
                     _("the “(” after %s is never closed"), module);
    }

  len = p->tok.start - start;
  while (len > 0 && g_ascii_isspace (start[len - 1]))
    len--;
  if (len > 40)
    {
      const char *end = g_utf8_find_prev_char (start, start + 38);

      v->text = g_strdup_printf ("%.*s…", (int) (end - start), start);
    }
  else
    v->text = g_strndup (start, len);
  return TRUE;
}

/* A width argument of Linear: a whole number in 1 … NNS_UNITS_MAX. */
static gboolean
check_width (Parser *p, const char *what, const Value *v, guint line, guint *out, GError **error)
{
  switch (v->kind)
    {
    case VALUE_INT:
      if (v->negative || v->integer < NNS_UNITS_MIN)
        return fail (p, error, NNS_PYTORCH_ERROR_RANGE, line,
                     _("Linear %s=%s is below %d"), what, v->text, NNS_UNITS_MIN);
      if (v->integer > NNS_UNITS_MAX)
        return fail (p, error, NNS_PYTORCH_ERROR_RANGE, line,
                     _("Linear %s=%s is above 1,000,000"), what, v->text);
      *out = v->integer;
      return TRUE;
    case VALUE_FLOAT:
      return fail (p, error, NNS_PYTORCH_ERROR_RANGE, line,
                   _("Linear %s=%s is not a whole number"), what, v->text);
    case VALUE_BOOL:
    case VALUE_NONE:
    case VALUE_OTHER:
    default:
      return fail (p, error, NNS_PYTORCH_ERROR_SYNTAX, line,
                   _("Linear %s=%s is not a number; NN Sketch needs the widths written out"),
                   what, v->text);
    }
}

static gboolean
all_digits (const char *text)
{
  if (text == NULL || text[0] == '\0')
    return FALSE;
  for (; *text; text++)
    if (!g_ascii_isdigit (*text))
      return FALSE;
  return TRUE;
}

/* After "Linear": the arguments, then the layer is added. */
static gboolean
parse_linear (Parser *p, guint line, const char *key, GError **error)
{
  static const char *const params[] = { "in_features", "out_features", "bias", "device", "dtype" };
  Value values[G_N_ELEMENTS (params)] = { 0 };
  gboolean given[G_N_ELEMENTS (params)] = { 0 };
  guint n_positional = 0;
  guint in_features = 0, out_features = 0;
  gboolean ok = FALSE;
  NnsLayer layer = { 0 };

  advance (p);   /* '(' */
  while (!is_punct (&p->tok, ')'))
    {
      guint slot;
      Value v;

      if (p->tok.kind == TOK_IDENT && peek_is (p, '='))
        {
          guint i;

          for (i = 0; i < G_N_ELEMENTS (params); i++)
            if (is_ident (&p->tok, params[i]))
              break;
          if (i == G_N_ELEMENTS (params))
            {
              g_autofree char *text = token_text (&p->tok);

              fail (p, error, NNS_PYTORCH_ERROR_SYNTAX, p->tok.line,
                    _("Linear has no argument %s"), text);
              goto out;
            }
          slot = i;
          advance (p);
          advance (p);
        }
      else
        {
          if (n_positional >= G_N_ELEMENTS (params))
            {
              fail (p, error, NNS_PYTORCH_ERROR_SYNTAX, line,
                    _("Linear takes at most %u arguments"), (guint) G_N_ELEMENTS (params));
              goto out;
            }
          slot = n_positional++;
        }
      if (given[slot])
        {
          fail (p, error, NNS_PYTORCH_ERROR_SYNTAX, line, _("Linear got %s twice"), params[slot]);
          goto out;
        }
      if (!read_value (p, "Linear", &v, error))
        goto out;
      values[slot] = v;
      given[slot] = TRUE;

      if (is_punct (&p->tok, ','))
        advance (p);
      else if (!is_punct (&p->tok, ')'))
        {
          g_autofree char *text = token_text (&p->tok);

          fail (p, error, NNS_PYTORCH_ERROR_SYNTAX, p->tok.line,
                _("expected “,” or “)” in Linear(…), got %s"), text);
          goto out;
        }
    }
  advance (p);   /* ')' */

  if (!given[0] || !given[1])
    {
      fail (p, error, NNS_PYTORCH_ERROR_SYNTAX, line,
            _("Linear needs in_features and out_features, e.g. Linear(10, 18)"));
      goto out;
    }
  if (!check_width (p, "in_features", &values[0], line, &in_features, error) ||
      !check_width (p, "out_features", &values[1], line, &out_features, error))
    goto out;

  layer.bias = TRUE;
  if (given[2])
    {
      if (values[2].kind == VALUE_BOOL)
        layer.bias = values[2].boolean;
      else if (values[2].kind == VALUE_INT)
        layer.bias = values[2].integer != 0;
      else
        {
          fail (p, error, NNS_PYTORCH_ERROR_SYNTAX, line,
                _("Linear bias=%s: expected True or False"), values[2].text);
          goto out;
        }
    }

  if (p->layers->len == 0)
    p->input = in_features;
  else
    {
      guint expected = g_array_index (p->layers, NnsLayer, p->layers->len - 1).units;

      if (in_features != expected)
        {
          fail (p, error, NNS_PYTORCH_ERROR_MISMATCH, line,
                _("Linear expects in_features=%u, got %u"), expected, in_features);
          goto out;
        }
    }
  if (p->layers->len >= NNS_LAYERS_MAX)
    {
      fail (p, error, NNS_PYTORCH_ERROR_RANGE, line,
            _("more than %u dense layers (Linear); NN Sketch draws at most %u"), NNS_LAYERS_MAX,
            NNS_LAYERS_MAX);
      goto out;
    }

  layer.units = out_features;
  layer.activation = NNS_ACTIVATION_NONE;
  layer.name = key != NULL && key[0] != '\0' && !all_digits (key) ? g_strdup (key) : NULL;
  g_array_append_val (p->layers, layer);
  p->last_line = line;
  ok = TRUE;

out:
  for (guint i = 0; i < G_N_ELEMENTS (params); i++)
    value_clear (&values[i]);
  return ok;
}

static gboolean parse_container (Parser *p, guint line, GError **error);

/* One module: [torch.][nn.]Name(args). key: its name in the Sequential, if any. */
static gboolean
parse_module (Parser *p, const char *key, GError **error)
{
  g_autofree char *dotted = NULL;
  g_autofree char *name = NULL;
  NnsActivation activation;
  Token last;
  guint line;

  if (p->tok.kind != TOK_IDENT)
    {
      g_autofree char *text = token_text (&p->tok);

      if (is_punct (&p->tok, '*'))
        return fail (p, error, NNS_PYTORCH_ERROR_SYNTAX, p->tok.line,
                     _("*… builds the layers when the code runs; NN Sketch needs them "
                       "written out"));
      return fail (p, error, NNS_PYTORCH_ERROR_SYNTAX, p->tok.line,
                   _("expected a module like nn.Linear(10, 18), got %s"), text);
    }

  dotted = read_dotted (p, &last);
  name = g_strndup (last.start, last.len);
  line = last.line;
  if (!is_punct (&p->tok, '('))
    return fail (p, error, NNS_PYTORCH_ERROR_SYNTAX, line,
                 _("%s needs its parentheses: %s(…)"), dotted, dotted);

  if (strcmp (name, "Linear") == 0)
    return parse_linear (p, line, key, error);

  if (strcmp (name, "Sequential") == 0)
    {
      if (p->depth >= MAX_NESTING)
        return fail (p, error, NNS_PYTORCH_ERROR_SYNTAX, line,
                     _("Sequentials nested more than %u deep"), MAX_NESTING);
      advance (p);
      p->depth++;
      if (!parse_container (p, line, error))
        return FALSE;
      p->depth--;
      return TRUE;
    }

  if (!skip_parens (p, name, error))
    return FALSE;

  if (activation_from_module (name, &activation))
    {
      NnsLayer *layer;

      if (p->layers->len == 0)
        {
          note (p, line, _("%s before the first Linear dropped (an activation belongs after a "
                           "dense layer)"), name);
          return TRUE;
        }
      layer = &g_array_index (p->layers, NnsLayer, p->layers->len - 1);
      if (layer->activation != NNS_ACTIVATION_NONE)
        {
          note (p, line, _("%s dropped: the Linear on line %u already has %s (one activation "
                           "per layer)"), name, p->last_line,
                nns_activation_get_label (layer->activation));
          return TRUE;
        }
      layer->activation = activation;
      return TRUE;
    }
  if (in_list (parameter_free, name))
    {
      note (p, line, _("%s skipped (no parameters)"), name);
      return TRUE;
    }
  if (in_list (not_dense, name))
    return fail (p, error, NNS_PYTORCH_ERROR_MODULE, line,
                 _("%s has parameters and is not a dense layer; NN Sketch draws only Linear "
                   "layers"), name);
  if (strcmp (name, "LazyLinear") == 0)
    return fail (p, error, NNS_PYTORCH_ERROR_MODULE, line,
                 _("LazyLinear has no in_features until it runs; write Linear(in, out)"));
  return fail (p, error, NNS_PYTORCH_ERROR_MODULE, line,
               _("unknown module “%s”; NN Sketch reads Linear, activations (ReLU, Tanh, …) and "
                 "parameter-free modules (Dropout, Flatten, …)"), name);
}

/* Python string literal → text (the escapes Python has, the common ones). */
static char *
unquote (const Token *tok)
{
  gsize q = (tok->len >= 6 && tok->start[1] == tok->start[0] && tok->start[2] == tok->start[0])
            ? 3 : 1;
  const char *s = tok->start + q;
  const char *end = tok->start + tok->len - q;
  GString *out = g_string_new (NULL);

  while (s < end)
    {
      if (*s != '\\' || s + 1 >= end)
        {
          g_string_append_c (out, *s++);
          continue;
        }
      s++;
      switch (*s)
        {
        case 'n': g_string_append_c (out, '\n'); s++; break;
        case 't': g_string_append_c (out, '\t'); s++; break;
        case 'r': g_string_append_c (out, '\r'); s++; break;
        case '\\': case '\'': case '"': g_string_append_c (out, *s++); break;
        case '\n': s++; break;
        case 'x':
        case 'u':
          {
            guint n = *s == 'x' ? 2 : 4;
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
        default:
          g_string_append_c (out, '\\');
          break;
        }
    }
  return g_string_free (out, FALSE);
}

/* OrderedDict([("fc1", nn.Linear(10, 18)), …]); the current token is '['. */
static gboolean
parse_ordered_dict (Parser *p, GError **error)
{
  advance (p);   /* '[' */
  while (!is_punct (&p->tok, ']'))
    {
      g_autofree char *key = NULL;

      if (!is_punct (&p->tok, '(') || peek (p).kind != TOK_STRING)
        {
          g_autofree char *text = token_text (&p->tok);

          return fail (p, error, NNS_PYTORCH_ERROR_SYNTAX, p->tok.line,
                       _("expected (\"name\", module) in OrderedDict([…]), got %s"), text);
        }
      advance (p);
      key = unquote (&p->tok);
      advance (p);
      if (!is_punct (&p->tok, ','))
        return fail (p, error, NNS_PYTORCH_ERROR_SYNTAX, p->tok.line,
                     _("expected “,” after the name “%s”"), key);
      advance (p);
      if (!parse_module (p, key, error))
        return FALSE;
      if (is_punct (&p->tok, ','))
        advance (p);
      if (!is_punct (&p->tok, ')'))
        {
          g_autofree char *text = token_text (&p->tok);

          return fail (p, error, NNS_PYTORCH_ERROR_SYNTAX, p->tok.line,
                       _("expected “)” after (“%s”, …), got %s"), key, text);
        }
      advance (p);
      if (is_punct (&p->tok, ','))
        advance (p);
      else if (!is_punct (&p->tok, ']'))
        {
          g_autofree char *text = token_text (&p->tok);

          return fail (p, error, NNS_PYTORCH_ERROR_SYNTAX, p->tok.line,
                       _("expected “,” or “]” in OrderedDict([…]), got %s"), text);
        }
    }
  advance (p);   /* ']' */
  if (!is_punct (&p->tok, ')'))
    {
      g_autofree char *text = token_text (&p->tok);

      return fail (p, error, NNS_PYTORCH_ERROR_SYNTAX, p->tok.line,
                   _("expected “)” after OrderedDict([…]), got %s"), text);
    }
  advance (p);
  return TRUE;
}

/* print(model) items: "(key): Module(…)"; the current token is the '(' of the first. */
static gboolean
parse_printed_items (Parser *p, GError **error)
{
  while (is_punct (&p->tok, '('))
    {
      const char *s = p->lex.text + p->lex.pos;
      const char *close = s;
      g_autofree char *key = NULL;

      /* The key is everything up to "):" on this line; print() shows it raw. */
      while (*close && *close != '\n' && !(close[0] == ')' && close[1] == ':'))
        close++;
      if (close[0] != ')')
        return fail (p, error, NNS_PYTORCH_ERROR_SYNTAX, p->tok.line,
                     _("expected “(name): Module(…)” as print(model) shows it"));
      key = g_strstrip (g_strndup (s, close - s));
      p->lex.pos += close + 2 - s;
      advance (p);
      if (!parse_module (p, key, error))
        return FALSE;
    }
  if (!is_punct (&p->tok, ')'))
    {
      g_autofree char *text = token_text (&p->tok);

      return fail (p, error, NNS_PYTORCH_ERROR_SYNTAX, p->tok.line,
                   _("expected “(name): Module(…)” or “)”, got %s"), text);
    }
  advance (p);
  return TRUE;
}

/* The inside of Sequential(…); the current token is just after its '('. */
static gboolean
parse_container (Parser *p, guint line, GError **error)
{
  if (is_punct (&p->tok, '('))
    return parse_printed_items (p, error);

  if (p->tok.kind == TOK_IDENT)
    {
      Lexer saved_lex = p->lex;
      Token saved_tok = p->tok;
      g_autofree char *dotted = NULL;
      Token last;

      dotted = read_dotted (p, &last);
      if (last.len == strlen ("OrderedDict") && strncmp (last.start, "OrderedDict", last.len) == 0
          && is_punct (&p->tok, '(') && peek_is (p, '['))
        {
          advance (p);
          if (!parse_ordered_dict (p, error))
            return FALSE;
          if (!is_punct (&p->tok, ')'))
            {
              g_autofree char *text = token_text (&p->tok);

              return fail (p, error, NNS_PYTORCH_ERROR_SYNTAX, p->tok.line,
                           _("expected “)” to close the Sequential of line %u, got %s"), line,
                           text);
            }
          advance (p);
          return TRUE;
        }
      p->lex = saved_lex;
      p->tok = saved_tok;
    }

  while (!is_punct (&p->tok, ')'))
    {
      if (!parse_module (p, NULL, error))
        return FALSE;
      if (is_punct (&p->tok, ','))
        advance (p);
      else if (!is_punct (&p->tok, ')'))
        {
          g_autofree char *text = token_text (&p->tok);

          if (p->tok.kind == TOK_END)
            return fail (p, error, NNS_PYTORCH_ERROR_SYNTAX, line,
                         _("the Sequential( is never closed"));
          return fail (p, error, NNS_PYTORCH_ERROR_SYNTAX, p->tok.line,
                       _("expected “,” or “)” between modules, got %s"), text);
        }
    }
  advance (p);
  return TRUE;
}

static gboolean
not_pytorch (GError **error, gboolean keras)
{
  g_set_error_literal (error, NNS_PYTORCH_ERROR, NNS_PYTORCH_ERROR_NOT_PYTORCH,
                       keras ? _("not PyTorch: this looks like Keras; expected nn.Sequential(…) "
                                 "or the print(model) text of a Sequential")
                             : _("not PyTorch: expected nn.Sequential(…) or the print(model) "
                                 "text of a Sequential"));
  return FALSE;
}

/* Finds the Sequential and parses it. print(model) of another container
 * (class MLP) is taken too when the text starts with it. */
static gboolean
parse_text (Parser *p, GError **error)
{
  gboolean first = TRUE;

  advance (p);
  while (p->tok.kind != TOK_END)
    {
      Token last;
      g_autofree char *dotted = NULL;
      gboolean was_first = first;

      first = FALSE;
      if (p->tok.kind != TOK_IDENT)
        {
          advance (p);
          continue;
        }
      if (is_ident (&p->tok, "keras") || is_ident (&p->tok, "tensorflow"))
        p->saw_keras = TRUE;

      dotted = read_dotted (p, &last);
      if (!is_punct (&p->tok, '('))
        continue;

      if (last.len == strlen ("Sequential") && strncmp (last.start, "Sequential", last.len) == 0)
        {
          Token next = peek (p);

          if (p->saw_keras || g_str_has_prefix (dotted, "tf.") || is_punct (&next, '['))
            return not_pytorch (error, TRUE);
          advance (p);
          return parse_container (p, last.line, error);
        }

      if (was_first && peek_is (p, '('))
        {
          /* "MLP(\n  (fc1): Linear(…)": a custom module's print(); its
           * children in the printed order are the best guess at its forward(). */
          g_autofree char *name = g_strndup (last.start, last.len);

          advance (p);
          note (p, last.line, _("%s is not a Sequential; its children are read in the order "
                                "printed"), name);
          return parse_container (p, last.line, error);
        }
    }
  return not_pytorch (error, p->saw_keras);
}

NnsNetwork *
nns_pytorch_import (const char *text, char **notes_out, GError **error)
{
  g_autoptr (NnsNetwork) network = NULL;
  g_autoptr (GArray) widths = NULL;
  Parser p = { 0 };
  gboolean ok;

  g_return_val_if_fail (text != NULL, NULL);

  if (notes_out != NULL)
    *notes_out = NULL;

  {
    const char *end = NULL;

    if (!g_utf8_validate (text, -1, &end))
      {
        guint line = 1;

        for (const char *c = text; c < end; c++)
          line += *c == '\n';
        g_set_error (error, NNS_PYTORCH_ERROR, NNS_PYTORCH_ERROR_SYNTAX,
                     _("line %u: not valid UTF-8 text"), line);
        return NULL;
      }
  }

  p.lex.text = text;
  p.lex.line = 1;
  p.notes = g_string_new (NULL);
  p.layers = g_array_new (FALSE, TRUE, sizeof (NnsLayer));

  {
    Lexer lex = p.lex;
    Token tok;

    lex_next (&lex, &tok);
    if (tok.kind == TOK_END)
      {
        g_set_error_literal (error, NNS_PYTORCH_ERROR, NNS_PYTORCH_ERROR_EMPTY,
                             _("the text is empty"));
        ok = FALSE;
        goto out;
      }
  }

  ok = parse_text (&p, error);
  if (ok && p.layers->len == 0)
    {
      g_set_error_literal (error, NNS_PYTORCH_ERROR, NNS_PYTORCH_ERROR_NO_LINEAR,
                           _("the Sequential has no Linear layer; NN Sketch needs at least one "
                             "nn.Linear"));
      ok = FALSE;
    }
  if (ok)
    {
      widths = g_array_sized_new (FALSE, FALSE, sizeof (guint), p.layers->len + 1);
      g_array_append_val (widths, p.input);
      for (guint i = 0; i < p.layers->len; i++)
        g_array_append_val (widths, g_array_index (p.layers, NnsLayer, i).units);
      network = nns_network_new ((guint *) widths->data, widths->len, error);
      ok = network != NULL;
    }
  if (ok)
    for (guint i = 0; i < p.layers->len; i++)
      {
        const NnsLayer *layer = &g_array_index (p.layers, NnsLayer, i);

        nns_network_set_bias (network, i, layer->bias, NULL);
        nns_network_set_activation (network, i, layer->activation, NULL);
        nns_network_set_name (network, i, layer->name, NULL);
      }

out:
  if (ok && notes_out != NULL && p.notes->len > 0)
    *notes_out = g_string_free (g_steal_pointer (&p.notes), FALSE);
  if (p.notes != NULL)
    g_string_free (p.notes, TRUE);
  for (guint i = 0; i < p.layers->len; i++)
    g_free (g_array_index (p.layers, NnsLayer, i).name);
  g_array_unref (p.layers);
  return ok ? g_steal_pointer (&network) : NULL;
}

/* ------------------------------------------------------------------ export */

static void
append_python_string (GString *out, const char *text)
{
  _nns_string_append_quoted (out, text, "\\x%02x");
}

/* Whether every name can be an OrderedDict key that reads back as itself:
 * PyTorch refuses "" and '.', all-digit keys read back as unnamed, and keys
 * must be unique (the unnamed modules use their index, which has no letters). */
static gboolean
names_as_keys (NnsNetwork *network)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  gboolean any = FALSE;

  for (guint i = 0; i < nns_network_get_n_layers (network); i++)
    {
      const char *name = nns_network_get_layer (network, i)->name;

      if (name == NULL)
        continue;
      any = TRUE;
      if (name[0] == '\0' || strchr (name, '.') != NULL || all_digits (name) ||
          g_str_has_prefix (name, " ") || g_str_has_suffix (name, " ") ||
          !g_hash_table_add (seen, (gpointer) name))
        return FALSE;
    }
  return any;
}

static void
append_linear (GString *out, NnsNetwork *network, guint i)
{
  const NnsLayer *layer = nns_network_get_layer (network, i);

  g_string_append_printf (out, "nn.Linear(%u, %u%s)", nns_network_get_in_features (network, i),
                          layer->units, layer->bias ? "" : ", bias=False");
}

static const char *
activation_call (NnsActivation activation)
{
  switch (activation)
    {
    case NNS_ACTIVATION_SOFTMAX:
      return "nn.Softmax(dim=-1)";
    case NNS_ACTIVATION_LOG_SOFTMAX:
      return "nn.LogSoftmax(dim=-1)";
    default:
      return NULL;
    }
}

static void
append_activation (GString *out, NnsActivation activation)
{
  const char *call = activation_call (activation);

  if (call != NULL)
    g_string_append (out, call);
  else
    g_string_append_printf (out, "nn.%s()", nns_activation_get_label (activation));
}

/* A comment stays one line. */
static void
append_comment_text (GString *out, const char *text)
{
  for (const char *s = text; *s; s++)
    g_string_append_c (out, (*s == '\n' || *s == '\r') ? ' ' : *s);
}

char *
nns_pytorch_export (NnsNetwork *network)
{
  GString *out;
  gboolean keyed;
  guint index = 0;

  g_return_val_if_fail (NNS_IS_NETWORK (network), NULL);

  keyed = names_as_keys (network);
  out = g_string_new (NULL);
  if (keyed)
    g_string_append (out, "from collections import OrderedDict\n\n");
  g_string_append (out, "import torch.nn as nn\n\n");
  g_string_append_printf (out, "# %" G_GUINT64_FORMAT " parameters "
                          "(sum(p.numel() for p in model.parameters()))\n",
                          nns_network_count_total (network));
  g_string_append (out, keyed ? "model = nn.Sequential(OrderedDict([\n" : "model = nn.Sequential(\n");

  for (guint i = 0; i < nns_network_get_n_layers (network); i++)
    {
      const NnsLayer *layer = nns_network_get_layer (network, i);

      if (keyed)
        {
          g_autofree char *key = layer->name != NULL ? g_strdup (layer->name)
                                                     : g_strdup_printf ("%u", index);

          g_string_append (out, "    (");
          append_python_string (out, key);
          g_string_append (out, ", ");
          append_linear (out, network, i);
          g_string_append (out, "),\n");
          index++;
          if (layer->activation != NNS_ACTIVATION_NONE)
            {
              g_string_append_printf (out, "    (\"%u\", ", index);
              append_activation (out, layer->activation);
              g_string_append (out, "),\n");
              index++;
            }
        }
      else
        {
          g_string_append (out, "    ");
          append_linear (out, network, i);
          g_string_append (out, ",");
          if (layer->name != NULL)
            {
              g_string_append (out, "  # ");
              append_comment_text (out, layer->name);
            }
          g_string_append (out, "\n");
          if (layer->activation != NNS_ACTIVATION_NONE)
            {
              g_string_append (out, "    ");
              append_activation (out, layer->activation);
              g_string_append (out, ",\n");
            }
        }
    }
  g_string_append (out, keyed ? "]))\n" : ")\n");
  return g_string_free (out, FALSE);
}
