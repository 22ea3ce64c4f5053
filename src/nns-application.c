/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "nns-application"

#include "config.h"

#include <stdio.h>

#include "nns-application.h"
#include "nns-summary.h"

/* Until the window issue lands, the app prints the summary and says so. */
int
nns_application_run_window (NnsNetwork *network, const NnsStyle *style, const char *path)
{
  g_autofree char *table = nns_summary_to_text (network);

  fputs (table, stdout);
  fputs ("nnsketch: the window is not built yet; this is the summary of the network.\n", stdout);
  return 0;
}
