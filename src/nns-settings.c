/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "nns-settings"

#include "config.h"

#include "nns-settings.h"

#define AT(style, offset, type) ((type *) (gpointer) ((guint8 *) (style) + (offset)))

static void
read_key (GSettings *settings, const NnsStyleOption *o, NnsStyle *style)
{
  switch (o->type)
    {
    case NNS_STYLE_DOUBLE:
      *AT (style, o->offset, double) = g_settings_get_double (settings, o->settings_key);
      break;
    case NNS_STYLE_BOOL:
      *AT (style, o->offset, gboolean) = g_settings_get_boolean (settings, o->settings_key);
      break;
    case NNS_STYLE_UINT:
      *AT (style, o->offset, guint) = g_settings_get_uint (settings, o->settings_key);
      break;
    case NNS_STYLE_COLOR:
      {
        g_autofree char *text = g_settings_get_string (settings, o->settings_key);
        NnsColor color;

        if (text[0] != '\0' && nns_color_parse (text, &color))
          {
            *AT (style, o->set_offset, gboolean) = TRUE;
            *AT (style, o->offset, NnsColor) = color;
          }
        else
          {
            /* Unparsable text (edited by hand) follows the theme like "". */
            if (text[0] != '\0')
              g_debug ("%s: “%s” is not a colour; following the theme", o->settings_key, text);
            *AT (style, o->set_offset, gboolean) = FALSE;
            *AT (style, o->offset, NnsColor) = o->default_color;
          }
      }
      break;
    case NNS_STYLE_ENUM:
      {
        g_autofree char *text = g_settings_get_string (settings, o->settings_key);
        int value = nns_style_option_find_id (o, text);

        /* The schema's <choices> equal the table's ids. */
        nns_style_option_set_enum (o, style, value >= 0 ? value : (int) o->default_value);
      }
      break;
    default:
      g_assert_not_reached ();
    }
}

static GVariant *
key_value (const NnsStyleOption *o, const NnsStyle *style)
{
  switch (o->type)
    {
    case NNS_STYLE_DOUBLE:
      return g_variant_new_double (*AT (style, o->offset, const double));
    case NNS_STYLE_BOOL:
      return g_variant_new_boolean (*AT (style, o->offset, const gboolean));
    case NNS_STYLE_UINT:
      return g_variant_new_uint32 (*AT (style, o->offset, const guint));
    case NNS_STYLE_COLOR:
      if (!*AT (style, o->set_offset, const gboolean))
        return g_variant_new_string ("");
      return g_variant_new_take_string (nns_color_to_string (AT (style, o->offset,
                                                                 const NnsColor)));
    case NNS_STYLE_ENUM:
      return g_variant_new_string (o->ids[nns_style_option_get_enum (o, style)]);
    default:
      g_assert_not_reached ();
    }
}

GSettings *
nns_settings_new (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr (GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL)
    {
      g_debug ("GSettings schema %s is not installed; settings will not be kept", APP_ID);
      return NULL;
    }
  return g_settings_new_full (schema, NULL, NULL);
}

void
nns_settings_get_style (GSettings *settings, NnsStyle *style)
{
  const NnsStyleOption *options;
  guint n_options;

  g_return_if_fail (G_IS_SETTINGS (settings));
  g_return_if_fail (style != NULL);

  options = nns_style_get_options (&n_options);
  for (guint i = 0; i < n_options; i++)
    if (options[i].settings_key != NULL)
      read_key (settings, &options[i], style);
}

void
nns_settings_set_style (GSettings *settings, const NnsStyle *style)
{
  const NnsStyleOption *options;
  guint n_options;
  NnsStyle clamped;

  g_return_if_fail (G_IS_SETTINGS (settings));
  g_return_if_fail (style != NULL);

  /* The table's ranges are the schema's (a test holds them equal); GSettings
   * refuses values outside them. */
  clamped = *style;
  nns_style_clamp (&clamped);

  options = nns_style_get_options (&n_options);
  for (guint i = 0; i < n_options; i++)
    {
      const char *key = options[i].settings_key;
      g_autoptr (GVariant) value = NULL;
      g_autoptr (GVariant) old = NULL;

      if (key == NULL)
        continue;
      value = g_variant_ref_sink (key_value (&options[i], &clamped));
      old = g_settings_get_value (settings, key);
      /* Unchanged keys are not written, so listeners hear only real changes. */
      if (!g_variant_equal (value, old))
        g_settings_set_value (settings, key, value);
    }
}

gboolean
nns_settings_apply_key (GSettings *settings, const char *key, NnsStyle *style)
{
  const NnsStyleOption *o;

  g_return_val_if_fail (G_IS_SETTINGS (settings), FALSE);
  g_return_val_if_fail (style != NULL, FALSE);

  o = nns_style_find_settings_key (key);
  if (o == NULL)
    return FALSE;
  read_key (settings, o, style);
  return TRUE;
}

void
nns_settings_reset_style (GSettings *settings)
{
  const NnsStyleOption *options;
  guint n_options;

  g_return_if_fail (G_IS_SETTINGS (settings));

  options = nns_style_get_options (&n_options);
  for (guint i = 0; i < n_options; i++)
    if (options[i].settings_key != NULL)
      g_settings_reset (settings, options[i].settings_key);
}
