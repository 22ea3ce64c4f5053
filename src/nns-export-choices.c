/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "nns-export-choices"

#include "config.h"

#include <glib/gi18n.h>

#include "nns-export-choices.h"

/* One table per choice: its settings key, and the ids and labels it offers. */
typedef struct
{
  const char *key;
  const char *label;
  const char *ids[6];
  const char *labels[6];
} Choice;

static const Choice choices[] = {
  { "export-theme", N_("Theme"),
    { "follow", "light", "dark", NULL },
    { N_("As the Window"), N_("Light"), N_("Dark"), NULL } },
  { "export-background", N_("Background"),
    { "theme", "white", "transparent", NULL },
    { N_("Theme"), N_("White"), N_("Transparent"), NULL } },
  { "export-size", N_("Size"),
    { "1", "2", "4", "width", NULL },
    { N_("Natural Size"), N_("2×"), N_("4×"), NULL /* "N px Wide", from export-width */, NULL } },
};

/* The check box for the counts table, and its settings key. */
#define TABLE_CHOICE "table"
#define TABLE_KEY "export-table"

void
nns_export_choices_add (GtkFileChooser *chooser, GSettings *settings)
{
  for (guint c = 0; c < G_N_ELEMENTS (choices); c++)
    {
      const Choice *choice = &choices[c];
      const char *ids[6] = { NULL }, *labels[6] = { NULL };
      g_autofree char *width_label = NULL;
      g_autofree char *value = settings != NULL ? g_settings_get_string (settings, choice->key)
                                                : g_strdup (choice->ids[0]);
      guint n = 0;

      if (g_str_equal (choice->key, "export-size"))
        {
          guint width = settings != NULL ? g_settings_get_uint (settings, "export-width") : 1920;

          /* Translators: an export size, "1920 px Wide". */
          width_label = g_strdup_printf (_("%u px Wide"), width);
        }
      /* The remembered option first: GTK 4.8's own file chooser shows the
       * first option whatever gtk_file_chooser_set_choice() says. */
      for (int pass = 0; pass < 2; pass++)
        for (guint i = 0; choice->ids[i] != NULL; i++)
          if ((pass == 0) == g_str_equal (choice->ids[i], value))
            {
              ids[n] = choice->ids[i];
              labels[n++] = choice->labels[i] != NULL ? _(choice->labels[i]) : width_label;
            }
      gtk_file_chooser_add_choice (chooser, choice->key, _(choice->label), ids, labels);
      gtk_file_chooser_set_choice (chooser, choice->key, ids[0]);
    }
  /* The per-layer counts table under the figure (nns-caption.h): a check box. */
  gtk_file_chooser_add_choice (chooser, TABLE_CHOICE, _("Add the per-layer counts table"),
                               NULL, NULL);
  gtk_file_chooser_set_choice (chooser, TABLE_CHOICE,
                               settings != NULL && g_settings_get_boolean (settings, TABLE_KEY)
                                 ? "true" : "false");
}

void
nns_export_choices_save (GtkFileChooser *chooser, GSettings *settings)
{
  if (settings == NULL)
    return;
  for (guint c = 0; c < G_N_ELEMENTS (choices); c++)
    {
      const char *value = gtk_file_chooser_get_choice (chooser, choices[c].key);

      for (guint i = 0; value != NULL && choices[c].ids[i] != NULL; i++)
        if (g_str_equal (value, choices[c].ids[i]))
          g_settings_set_string (settings, choices[c].key, value);
    }
  g_settings_set_boolean (settings, TABLE_KEY,
                          g_strcmp0 (gtk_file_chooser_get_choice (chooser, TABLE_CHOICE),
                                     "true") == 0);
}

void
nns_export_choices_apply (GSettings *settings, gboolean window_dark, NnsStyle *style,
                          NnsExportOptions *options)
{
  g_autofree char *theme = NULL, *background = NULL, *size = NULL;

  nns_export_options_init (options);
  style->theme = window_dark ? NNS_THEME_DARK : NNS_THEME_LIGHT;
  if (settings == NULL)
    return;
  theme = g_settings_get_string (settings, "export-theme");
  background = g_settings_get_string (settings, "export-background");
  size = g_settings_get_string (settings, "export-size");
  /* "follow" keeps the window's theme. */
  nns_theme_from_string (theme, &style->theme);
  options->table = g_settings_get_boolean (settings, TABLE_KEY);
  options->white = g_str_equal (background, "white");
  options->transparent = g_str_equal (background, "transparent");
  if (g_str_equal (size, "width"))
    options->width = g_settings_get_uint (settings, "export-width");
  else
    options->scale = CLAMP (atoi (size), 1, 8);
}
