/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "nns-startup-profile"

/* The start-up profile (NNS_PROFILE=1, or =quit; see bench/startup.sh): one
 * line with the time and memory to the first painted frame. */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nns-startup-profile.h"

/* Microseconds since the process started, on g_get_real_time()'s clock:
 * NNS_PROFILE_START (µs since the epoch, set by the caller just before it
 * runs us) if given, else the start time in /proc/self/stat (10 ms ticks). */
static double
profile_elapsed_ms (void)
{
  const char *start = g_getenv ("NNS_PROFILE_START");
  g_autofree char *stat = NULL;
  unsigned long long ticks;
  double uptime;
  const char *p;

  if (start != NULL && *start != '\0')
    return (g_get_real_time () - g_ascii_strtoll (start, NULL, 10)) / 1000.0;
  /* Field 22, after the parenthesised command name (which may hold spaces). */
  if (!g_file_get_contents ("/proc/self/stat", &stat, NULL, NULL)
      || (p = strrchr (stat, ')')) == NULL
      || sscanf (p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d "
                        "%*d %*d %llu", &ticks) != 1)
    return -1;
  {
    g_autofree char *text = NULL;

    if (!g_file_get_contents ("/proc/uptime", &text, NULL, NULL))
      return -1;
    uptime = g_ascii_strtod (text, NULL);
  }
  return (uptime - (double) ticks / sysconf (_SC_CLK_TCK)) * 1000.0;
}

/* Resident memory in kB (VmRSS), -1 if unknown. */
static long
profile_rss_kb (void)
{
  g_autofree char *status = NULL;
  const char *p;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL)
      || (p = strstr (status, "VmRSS:")) == NULL)
    return -1;
  return strtol (p + 6, NULL, 10);
}

static void
on_profile_after_paint (GdkFrameClock *clock, NnsCanvas *self)
{
  const char *mode = g_getenv ("NNS_PROFILE");

  g_signal_handlers_disconnect_by_func (clock, on_profile_after_paint, self);
  /* One line a script can parse. */
  g_print ("nns-profile: first-frame-ms=%.1f rss-kb=%ld renders=%u size=%dx%d\n",
           profile_elapsed_ms (), profile_rss_kb (), nns_canvas_get_n_renders (self),
           gtk_widget_get_width (GTK_WIDGET (self)), gtk_widget_get_height (GTK_WIDGET (self)));
  if (g_strcmp0 (mode, "quit") == 0)
    {
      GApplication *app = g_application_get_default ();

      if (app != NULL)
        g_application_quit (app);
      else
        exit (0);
    }
}

void
nns_startup_profile_first_frame (NnsCanvas *self)
{
  GdkFrameClock *clock;

  if (g_getenv ("NNS_PROFILE") == NULL)
    return;
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));
  if (clock != NULL)
    g_signal_connect_object (clock, "after-paint", G_CALLBACK (on_profile_after_paint), self, 0);
}
