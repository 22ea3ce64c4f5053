/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "nns-pytorch"

/* Reads the text print(model) writes:
 *
 *   Net(
 *     (features): Sequential(
 *       (0): Linear(in_features=10, out_features=20, bias=True)
 *       (1): ReLU()
 *     )
 *     (blocks): ModuleList(
 *       (0-2): 3 x Linear(in_features=20, out_features=20, bias=True)
 *     )
 *   )
 *
 * one module a line: a container opens with "Name(" and closes with ")";
 * a leaf is the constructor call its repr shows, read as code. PyTorch 2
 * folds repeated modules into "(0-2): 3 x …". Lines around the tree (a
 * header, a ">>>" prompt, "Using cpu device") are not part of it. */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "nns-params.h"
#include "nns-pytorch-private.h"

#define MAX_REPEAT 100000
/* Modules the "N x …" lines may make in all (nested, they multiply), as
 * the code reader's limit. */
#define MAX_MODULES 200000

typedef struct
{
  const char *start;
  gsize       len;
  guint       line;
} Line;

static GArray *
split_lines (const char *text)
{
  GArray *lines = g_array_new (FALSE, FALSE, sizeof (Line));
  const char *s = text;
  guint n = 1;

  for (;;)
    {
      const char *end = strchr (s, '\n');
      Line l = { s, end != NULL ? (gsize) (end - s) : strlen (s), n++ };

      while (l.len > 0 && (l.start[l.len - 1] == '\r' || g_ascii_isspace (l.start[l.len - 1])))
        l.len--;
      while (l.len > 0 && g_ascii_isspace (l.start[0]))
        l.start++, l.len--;
      g_array_append_val (lines, l);
      if (end == NULL)
        break;
      s = end + 1;
    }
  return lines;
}

/* "… Name(" at the end of a line: Name's start, or NULL. */
static const char *
opening_name (const Line *l, gsize *name_len)
{
  const char *p;

  if (l->len < 2 || l->start[l->len - 1] != '(')
    return NULL;
  p = l->start + l->len - 1;
  while (p > l->start && (g_ascii_isalnum (p[-1]) || p[-1] == '_' || p[-1] == '.'))
    p--;
  if (p == l->start + l->len - 1 || g_ascii_isdigit (*p))
    return NULL;
  *name_len = l->start + l->len - 1 - p;
  return p;
}

/* "(key): rest" */
static gboolean
split_item (const Line *l, const char **key, gsize *key_len, const char **rest, gsize *rest_len)
{
  const char *close;

  if (l->len < 4 || l->start[0] != '(')
    return FALSE;
  close = g_strstr_len (l->start, l->len, "):");
  if (close == NULL)
    return FALSE;
  *key = l->start + 1;
  *key_len = close - *key;
  *rest = close + 2;
  while (*rest < l->start + l->len && **rest == ' ')
    (*rest)++;
  *rest_len = l->start + l->len - *rest;
  return *rest_len > 0;
}

static gboolean
detect_at (GArray *lines, guint i)
{
  const Line *l = &g_array_index (lines, Line, i);
  gsize name_len;
  const char *key, *rest;
  gsize key_len, rest_len;

  if (opening_name (l, &name_len) == NULL)
    return FALSE;
  for (guint j = i + 1; j < lines->len; j++)
    {
      const Line *m = &g_array_index (lines, Line, j);

      if (m->len == 0)
        continue;
      return split_item (m, &key, &key_len, &rest, &rest_len);
    }
  return FALSE;
}

gboolean
_nns_pyprint_detect (const char *text, guint *line_out)
{
  g_autoptr (GArray) lines = split_lines (text);

  for (guint i = 0; i < lines->len; i++)
    if (detect_at (lines, i))
      {
        if (line_out != NULL)
          *line_out = g_array_index (lines, Line, i).line;
        return TRUE;
      }
  return FALSE;
}

static gboolean
balanced (const char *s, gsize len)
{
  int depth = 0;
  char quote = 0;

  for (gsize i = 0; i < len; i++)
    {
      if (quote)
        {
          if (s[i] == '\\')
            i++;
          else if (s[i] == quote)
            quote = 0;
        }
      else if (s[i] == '\'' || s[i] == '"')
        quote = s[i];
      else if (s[i] == '(' || s[i] == '[' || s[i] == '{')
        depth++;
      else if (s[i] == ')' || s[i] == ']' || s[i] == '}')
        depth--;
    }
  return depth == 0 && quote == 0;
}

static NnsModule *
copy_module (NnsModule *m)
{
  NnsModule *copy = _nns_module_new (m->kind, m->type, m->line);
  char *type = copy->type;
  GPtrArray *children = copy->children, *keys = copy->keys;
  GHashTable *index = copy->index;

  *copy = *m;
  copy->ref_count = 1;
  copy->type = type;
  copy->children = children;
  copy->keys = keys;
  copy->index = index;
  if (m->kind == NNS_MODULE_CONTAINER)
    for (guint i = 0; i < m->children->len; i++)
      {
        g_autoptr (NnsModule) child = copy_module (g_ptr_array_index (m->children, i));

        _nns_module_set_child (copy, g_ptr_array_index (m->keys, i), child);
      }
  return copy;
}

/* The modules of m's tree, m included. */
static guint64
count_modules (NnsModule *m)
{
  guint64 n = 1;

  if (m->kind == NNS_MODULE_CONTAINER)
    for (guint i = 0; i < m->children->len; i++)
      n += count_modules (g_ptr_array_index (m->children, i));
  return n;
}

/* The copies the "N x …" lines of this text have made. */
static __thread guint64 copies_made;

static const char *const containers[] = { "Sequential", "ModuleList", "ModuleDict", NULL };

static NnsModule *parse_container (GArray *lines, guint *index, const char *name, guint line,
                                   GError **error);

/* The first container of the user's own class, for the note below: its
 * type and line, copied (a later line with the same key may free it). */
static __thread char *first_own_type;
static __thread guint first_own_line;

/* One "(key): …" item; *index at its line, left at its last line. */
static gboolean
parse_item (GArray *lines, guint *index, NnsModule *parent, GError **error)
{
  const Line *l = &g_array_index (lines, Line, *index);
  const char *key, *rest;
  gsize key_len, rest_len, name_len;
  g_autofree char *key_text = NULL;
  g_autoptr (NnsModule) child = NULL;
  guint64 repeat = 1;
  guint first_key = 0;
  const char *name;
  gboolean range_key = FALSE;

  if (!split_item (l, &key, &key_len, &rest, &rest_len))
    {
      _nns_pytorch_set_error (error, NNS_PYTORCH_ERROR_SYNTAX, l->line,
                              _("expected “(name): Module(…)” as print(model) shows it"));
      return FALSE;
    }
  key_text = g_strndup (key, key_len);

  /* PyTorch 2: "(0-2): 3 x Linear(…)" */
  if (g_ascii_isdigit (rest[0]))
    {
      char *end = NULL;

      repeat = g_ascii_strtoull (rest, &end, 10);
      if (end != NULL && end + 3 < rest + rest_len && g_str_has_prefix (end, " x ") &&
          repeat >= 1)
        {
          const char *dash = strchr (key_text, '-');

          if (repeat > MAX_REPEAT)
            {
              g_autofree char *number = nns_format_count (repeat);

              _nns_pytorch_set_error (error, NNS_PYTORCH_ERROR_RANGE, l->line,
                                      _("%s repeated modules; NN Sketch reads at most %u"),
                                      number, MAX_REPEAT);
              return FALSE;
            }
          rest_len -= (end + 3) - rest;
          rest = end + 3;
          range_key = dash != NULL;
          first_key = range_key ? (guint) g_ascii_strtoull (key_text, NULL, 10) : 0;
        }
      else
        repeat = 1;
    }

  {
    Line item = { rest, rest_len, l->line };

    name = opening_name (&item, &name_len);
  }
  if (name == rest)
    {
      g_autofree char *type = g_strndup (name, name_len);

      child = parse_container (lines, index, type, l->line, error);
      if (child == NULL)
        return FALSE;
    }
  else
    {
      if (!balanced (rest, rest_len))
        {
          gboolean last = TRUE;

          for (guint j = *index + 1; j < lines->len && last; j++)
            last = g_array_index (lines, Line, j).len == 0;
          if (last)
            _nns_pytorch_set_error (error, NNS_PYTORCH_ERROR_SYNTAX, l->line,
                                    _("the text ends in the middle of this module; it looks cut "
                                      "off"));
          else
            _nns_pytorch_set_error (error, NNS_PYTORCH_ERROR_SYNTAX, l->line,
                                    _("this module’s parentheses do not close on its line"));
          return FALSE;
        }
      child = _nns_pycode_read_module (rest, rest_len, l->line, error);
      if (child == NULL)
        return FALSE;
    }

  if (repeat > 1)
    {
      copies_made += count_modules (child) * (repeat - 1);
      if (copies_made > MAX_MODULES)
        {
          _nns_pytorch_set_error (error, NNS_PYTORCH_ERROR_RANGE, l->line,
                                  _("more than %u modules in all, with their repeats; NN Sketch "
                                    "reads at most %u"),
                                  MAX_MODULES, MAX_MODULES);
          return FALSE;
        }
    }
  for (guint64 k = 0; k < repeat; k++)
    {
      g_autoptr (NnsModule) one = k == 0 ? _nns_module_ref (child) : copy_module (child);
      g_autofree char *one_key = repeat > 1 && range_key
                                 ? g_strdup_printf ("%u", first_key + (guint) k)
                                 : g_strdup (key_text);

      _nns_module_set_child (parent, one_key, one);
    }
  return TRUE;
}

/* "Name(" is at *index; reads to its ")". */
static NnsModule *
parse_container (GArray *lines, guint *index, const char *name, guint line, GError **error)
{
  const char *type = strrchr (name, '.') ? strrchr (name, '.') + 1 : name;
  g_autoptr (NnsModule) m = NULL;
  static guint depth;

  /* A known module with children (MultiheadAttention …) is judged by its
   * name; any other name is a class of the user's. */
  if (!g_strv_contains (containers, type) && !_nns_pycode_check_container (type, line, error))
    return NULL;
  if (depth >= 64)
    {
      _nns_pytorch_set_error (error, NNS_PYTORCH_ERROR_SYNTAX, line,
                              _("modules nested more than %u deep"), 64);
      return NULL;
    }
  m = _nns_module_new (NNS_MODULE_CONTAINER, type, line);
  m->sequential = strcmp (type, "Sequential") == 0;
  if (first_own_type == NULL && !g_strv_contains (containers, type))
    {
      first_own_type = g_strdup (type);
      first_own_line = line;
    }
  depth++;
  for ((*index)++; *index < lines->len; (*index)++)
    {
      const Line *l = &g_array_index (lines, Line, *index);

      if (l->len == 0)
        continue;
      if (l->len == 1 && l->start[0] == ')')
        {
          depth--;
          return g_steal_pointer (&m);
        }
      if (!parse_item (lines, index, m, error))
        {
          depth--;
          return NULL;
        }
    }
  depth--;
  _nns_pytorch_set_error (error, NNS_PYTORCH_ERROR_SYNTAX,
                          g_array_index (lines, Line, lines->len - 1).line,
                          _("the print(model) text ends inside %s (opened on line %u); it looks "
                            "cut off"), type, line);
  return NULL;
}

NnsModule *
_nns_pyprint_read (const char *text, GString *notes, GError **error)
{
  g_autoptr (GArray) lines = split_lines (text);
  g_autoptr (NnsModule) root = NULL;
  guint first = 0, last = 0;

  copies_made = 0;

  for (guint i = 0; i < lines->len; i++)
    if (detect_at (lines, i))
      {
        const Line *l = &g_array_index (lines, Line, i);
        gsize name_len;
        const char *name = opening_name (l, &name_len);
        g_autofree char *type = g_strndup (name, name_len);
        guint index = i;

        if (root != NULL)
          {
            /* The same print twice is one model; two different ones are not. */
            gboolean same = index - first == 0 ? FALSE : TRUE;

            for (guint k = 0; same && k <= last - first; k++)
              {
                const Line *a = &g_array_index (lines, Line, first + k);
                const Line *b = i + k < lines->len ? &g_array_index (lines, Line, i + k) : NULL;

                same = b != NULL && a->len == b->len && memcmp (a->start, b->start, a->len) == 0;
              }
            if (!same)
              {
                _nns_pytorch_set_error (error, NNS_PYTORCH_ERROR_SYNTAX, l->line,
                                        _("a second print(model) text (the first is on line %u); "
                                          "paste one model"),
                                        g_array_index (lines, Line, first).line);
                return NULL;
              }
            i += last - first;
            continue;
          }
        g_clear_pointer (&first_own_type, g_free);
        root = parse_container (lines, &index, type, l->line, error);
        if (root != NULL && first_own_type != NULL)
          _nns_pytorch_note (notes, first_own_line,
                             _("%s is a class of its own: print(model) does not show parameters "
                               "it holds itself (nn.Parameter), so they are not counted; paste "
                               "its code to count them"), first_own_type);
        g_clear_pointer (&first_own_type, g_free);
        if (root == NULL)
          return NULL;
        first = i;
        last = index;
        i = index;
      }
  if (root == NULL)
    {
      g_set_error_literal (error, NNS_PYTORCH_ERROR, NNS_PYTORCH_ERROR_NOT_PYTORCH,
                           _("not PyTorch: expected the print(model) text"));
      return NULL;
    }
  return g_steal_pointer (&root);
}
