/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* What the GUI benchmark programs share: a line of frame statistics and
 * running the main loop dry. Header-only: each program is one file. */

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static inline int
nns_bench_cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* "  what   N frames  median …  95th …  max …" (ms); sorts v. */
static inline void
nns_bench_print_stats (const char *what, int width, GArray *v)
{
  double *d = (double *) v->data;

  qsort (d, v->len, sizeof (double), nns_bench_cmp_double);
  printf ("  %-*s %4u frames  median %7.2f  95th %7.2f  max %7.2f\n", width, what, v->len,
          d[v->len / 2], d[MIN (v->len - 1, v->len * 95 / 100)], d[v->len - 1]);
}

/* This thread's CPU time in µs: on a shared machine wall time mostly
 * measures the neighbours. */
static inline gint64
nns_bench_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * (gint64) 1000000 + ts.tv_nsec / 1000;
}

static inline void
nns_bench_pump (void)
{
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}
