/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "nns-application"

#include "config.h"

#include <glib/gi18n.h>

#include "nns-application.h"
#include "nns-document.h"
#include "nns-about-window.h"
#include "nns-window.h"

typedef struct
{
  NnsNetwork *network;
  NnsStyle    style;
  const char *path;
  gboolean    is_document;
  NnsWeights *weights;
} RunData;

static void
quit_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  GApplication *app = G_APPLICATION (user_data);
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (app));

  /* Close the windows (so they can ask about unsaved changes) rather than
   * tearing the application down under them. */
  for (GList *l = windows; l != NULL;)
    {
      GtkWindow *window = l->data;

      l = l->next;
      gtk_window_close (window);
    }
}

static void
preferences_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (user_data));

  if (NNS_IS_WINDOW (window))
    nns_window_show_preferences (NNS_WINDOW (window));
}

static void
about_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  nns_show_about_window (gtk_application_get_active_window (GTK_APPLICATION (user_data)));
}

static void
on_startup (GApplication *app, RunData *data)
{
  static const GActionEntry entries[] = {
    { "quit", quit_activated, NULL, NULL, NULL },
    { "preferences", preferences_activated, NULL, NULL, NULL },
    { "about", about_activated, NULL, NULL, NULL },
  };
  static const char *const quit_accels[] = { "<Control>q", NULL };
  static const char *const preferences_accels[] = { "<Control>comma", NULL };

  g_action_map_add_action_entries (G_ACTION_MAP (app), entries, G_N_ELEMENTS (entries), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences",
                                         preferences_accels);
}

static void
on_activate (GApplication *app, RunData *data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    {
      g_autoptr (NnsDocument) document = nns_document_new (data->network);
      NnsWindow *nns_window;

      /* A document brings its own style; anything else follows the user's
       * defaults, but for --show-all-neurons. */
      if (data->is_document)
        nns_document_load_with_weights (document, data->network, data->weights,
                                        NNS_WEIGHTS_SEED_DEFAULT, &data->style,
                                        NNS_STYLE_MASK_ALL, NULL);
      else
        {
          NnsStyleMask mask = data->style.show_all_neurons
                              ? NNS_STYLE_OPTION_BIT (nns_style_option_get_index (
                                  nns_style_find_option ("show_all_neurons")))
                              : 0;

          /* A model file shows its weights, as the window's Open has it. */
          if (data->weights != NULL)
            nns_document_load_model (document, data->network, data->weights, &data->style, mask);
          else if (mask != 0)
            nns_document_load_with_weights (document, data->network, NULL,
                                            NNS_WEIGHTS_SEED_DEFAULT, &data->style, mask, NULL);
        }
      nns_window = nns_window_new_for_document (GTK_APPLICATION (app), document);

      /* As the window's Open would have it: a document keeps its path,
       * PyTorch text is an untitled network, and either goes into the recent
       * files. main() has read the file already (once: it may be a pipe). */
      if (data->path != NULL)
        {
          g_autoptr (GFile) file = g_file_new_for_commandline_arg (data->path);

          nns_window_set_file (nns_window, file, data->is_document);
        }
      window = GTK_WINDOW (nns_window);
    }
  gtk_window_present (window);
}

int
nns_application_run_window (NnsNetwork *network, const NnsStyle *style, const char *path,
                            gboolean is_document)
{
  return nns_application_run_window_with_weights (network, NULL, style, path, is_document);
}

int
nns_application_run_window_with_weights (NnsNetwork *network, NnsWeights *weights,
                                         const NnsStyle *style, const char *path,
                                         gboolean is_document)
{
  g_autoptr (AdwApplication) app = NULL;
  RunData data = { network, { 0 }, path, is_document, weights };

  g_return_val_if_fail (NNS_IS_NETWORK (network), 1);

  if (style != NULL)
    data.style = *style;
  else
    nns_style_init_default (&data.style);

  g_set_application_name (_("NN Sketch"));
  /* NON_UNIQUE: every run opens its own window in this process (the command
   * line and the tests rely on that). */
  app = adw_application_new (APP_ID, G_APPLICATION_NON_UNIQUE);
  g_signal_connect (app, "startup", G_CALLBACK (on_startup), &data);
  g_signal_connect (app, "activate", G_CALLBACK (on_activate), &data);
  return g_application_run (G_APPLICATION (app), 0, NULL);
}
