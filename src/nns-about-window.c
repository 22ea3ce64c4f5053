/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "nns-about"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "nns-about-window.h"

void
nns_show_about_window (GtkWindow *parent)
{
  const char *developers[] = { _("The NN Sketch developers"), NULL };
  const char *translators = _("translator-credits");
  AdwAboutWindow *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", parent,
                        "modal", parent != NULL,
                        "application-name", _("NN Sketch"),
                        "application-icon", APP_ID,
                        "version", PACKAGE_VERSION,
                        "developer-name", _("The NN Sketch developers"),
                        "developers", developers,
                        "comments", _("Draw fully connected neural networks and count their "
                                      "parameters."),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "copyright", "© 2026 The NN Sketch developers",
                        "website", "https://github.com/nnsketch/nnsketch",
                        "issue-url", "https://github.com/nnsketch/nnsketch/issues",
                        "release-notes-version", "0.1.0",
                        "release-notes", _("<p>The first release: draw, count, export and import "
                                           "dense networks.</p>"),
                        NULL);
  /* An untranslated credit line would show the msgid itself. */
  if (g_strcmp0 (translators, "translator-credits") != 0)
    adw_about_window_set_translator_credits (about, translators);
  gtk_window_present (GTK_WINDOW (about));
}
