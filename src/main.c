/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "nnsketch"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>

#include "nns-application.h"
#include "nns-cli.h"
#include "nns-render.h"

static int
fail (GError *error)
{
  /* One line on stderr that names the problem. */
  g_autofree char *message = g_strdup (error->message);

  g_strdelimit (message, "\n", ' ');
  fprintf (stderr, "nnsketch: error: %s\n", message);
  return 1;
}

int
main (int argc, char *argv[])
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NnsNetwork) network = NULL;
  g_autoptr (NnsWeights) weights = NULL;
  g_autofree char *source = NULL;
  NnsCliOptions options = { 0 };
  gboolean is_document = FALSE;
  NnsStyle style;
  int status;

  setlocale (LC_ALL, "");
  nns_render_keep_memory ();
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (!nns_cli_parse (&options, argc, argv, &error))
    {
      status = fail (error);
      goto out;
    }
  if (options.version)
    {
      printf ("nnsketch %s\n", PACKAGE_VERSION);
      status = 0;
      goto out;
    }
  network = nns_cli_load_network_full (&options, &style, &is_document, &weights, &source, &error);
  if (network == NULL)
    {
      status = fail (error);
      goto out;
    }

  if (nns_cli_wants_window (&options))
    {
      if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
        {
          fprintf (stderr, "nnsketch: error: no display to open the window on (DISPLAY and "
                           "WAYLAND_DISPLAY are unset); without one use --summary or "
                           "--export-filename=OUT.png|.svg|.pdf\n");
          status = 1;
          goto out;
        }
      /* Everything NN Sketch draws is a cairo picture, so GTK's GL renderer
       * buys nothing and costs a lot where GL is software (llvmpipe): under
       * Xvfb, 260 ms and 180 MB to the first frame of MNIST against 100 ms
       * and 38 MB without GL (bench/startup.sh). A user's own choice wins. */
      if (g_getenv ("GSK_RENDERER") == NULL && g_getenv ("GDK_DEBUG") == NULL)
        {
          g_setenv ("GSK_RENDERER", "cairo", FALSE);
          g_setenv ("GDK_DEBUG", "gl-disable", FALSE);
        }
      /* The window takes what was read here and does not read FILE again:
       * a pipe (<(…)) has nothing left, and a FIFO could block it. */
      status = nns_application_run_window_with_weights (
        network, weights, &style, g_strcmp0 (options.file, "-") == 0 ? NULL : options.file,
        is_document);
      goto out;
    }

  status = nns_cli_run_batch_full (&options, network, weights, source, &style, &error)
           ? 0 : fail (error);

out:
  nns_cli_options_clear (&options);
  return status;
}
